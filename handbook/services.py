"""Writes of the handbook app: a user's display preferences."""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from audit.choices import ChangeAction
from audit.services import change_log, creation_log, snapshot
from common.freshness import changed, user_token
from common.memo import forget

from .models import DisplayPreference
from .selectors import DISPLAY_PREFERENCE_MEMO


@transaction.atomic
def display_preference_set(*, actor: User, is_large_text: bool, is_high_contrast: bool) -> DisplayPreference:
    """Remember how the signed-in user wants pages shown; only ever their own preferences."""
    if actor is None or not actor.is_authenticated:
        raise PermissionDenied
    preference, created = DisplayPreference.objects.select_for_update().get_or_create(user=actor)
    before = snapshot(preference)
    preference.is_large_text = is_large_text
    preference.is_high_contrast = is_high_contrast
    preference.updated_at = timezone.now()
    preference.full_clean()
    preference.save()
    if created:
        creation_log(actor=actor, obj=preference)
    elif before != snapshot(preference):
        change_log(actor=actor, obj=preference, action=ChangeAction.UPDATE, before=before, after=snapshot(preference))
    # The next page of this request (htmx swaps, redirects) reads the new value.
    forget(actor, DISPLAY_PREFERENCE_MEMO)
    changed(user_token(actor.pk))
    return preference
