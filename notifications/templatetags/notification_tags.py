"""The navigation's link to the inbox: its unread count and the public Web Push key, in one cheap query."""

from django import template
from django.conf import settings
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from notifications.channels import push_enabled
from notifications.selectors import BADGE_COUNT_CAP, unread_badge_count

register = template.Library()

# More than this shows as "99+": counting further would only cost time.
BADGE_CAP = BADGE_COUNT_CAP - 1


@register.simple_tag
def notifications_link(user):
    """The inbox link with an unread badge.

    When Web Push is on, the link carries what a page's script needs to subscribe this browser:
    `data-vapid-key` (the applicationServerKey) and `data-push-subscribe` / `data-push-unsubscribe` (the API).
    """
    count = unread_badge_count(user=user)
    label = _("Notifications")
    badge = ""
    attributes = mark_safe("")  # noqa: S308 - empty
    if count:
        shown = f"{BADGE_CAP}+" if count > BADGE_CAP else str(count)
        badge = format_html(' <span class="badge" aria-hidden="true">{}</span>', shown)
        attributes = format_html(' aria-label="{}"', _("Notifications, %(count)s unread") % {"count": shown})
    if push_enabled():
        attributes += format_html(
            ' data-vapid-key="{}" data-push-subscribe="{}" data-push-unsubscribe="{}"',
            settings.VAPID_PUBLIC_KEY,
            "/api/notifications/push/subscriptions",
            "/api/notifications/push/unsubscribe",
        )
    return format_html(
        '<a href="{}" class="notifications-link"{}>{}{}</a>', reverse("notifications:inbox"), attributes, label, badge
    )
