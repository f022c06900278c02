"""Background work of study: telling the members of the subtree about a new assignment, and the daily reminders
(Celery beat, or the `send_study_reminders` command)."""

from celery import shared_task
from django.urls import reverse
from django.utils import formats, translation
from django.utils.translation import gettext as _

from accounts.models import User
from audit.choices import ChangeSource
from audit.context import change_context
from members.choices import CURRENT_STATUSES
from notifications.services import Message, notify

from .models import StudyAssignment
from .services import study_send_reminders

NOTIFICATION_KIND = "study.assigned"


@shared_task
def study_assigned_notify_task(assignment_id: int) -> int:
    """Put the new assignment in the inbox (and on the phone) of every current member of the subtree with an
    account, once."""
    assignment = StudyAssignment.objects.select_related("unit").filter(pk=assignment_id, withdrawn_at__isnull=True)
    assignment = assignment.first()
    if assignment is None:
        return 0
    recipients = User.objects.filter(
        is_active=True,
        member__unit__path__startswith=assignment.unit.path,
        member__status__in=CURRENT_STATUSES,
    ).values_list("pk", flat=True)
    # Stored as written: in the members' language.
    with translation.override("vi"):
        message = Message(
            kind=NOTIFICATION_KIND,
            title=_("To study: %(title)s") % {"title": assignment.title[:200]},
            body=_("From %(first)s to %(last)s. Open it to study and answer the quiz.")
            % {
                "first": formats.date_format(assignment.starts_on, "d/m/Y"),
                "last": formats.date_format(assignment.ends_on, "d/m/Y"),
            },
            url=reverse("study:assignment", args=[assignment.pk]),
            dedupe_key=f"{NOTIFICATION_KIND}.{assignment.pk}",
        )
    recipient_ids = list(recipients)
    notify(recipients=recipient_ids, message=message)
    return len(recipient_ids)


@shared_task
def send_study_reminders() -> int:
    """Reminders before an assignment's last day; safe to run more than once a day."""
    with change_context(source=ChangeSource.SYSTEM):
        return study_send_reminders()
