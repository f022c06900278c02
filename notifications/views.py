"""The inbox pages: every user sees and marks only their own notifications."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import selectors, services
from .models import Notification

PAGE_SIZE = 30


def _notification_id(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise Http404 from None


@login_required
def inbox(request):
    unread_only = request.GET.get("unread") == "1"
    services.inbox_catch_up(user=request.user)
    notifications = selectors.inbox_for(user=request.user, unread_only=unread_only)
    page = Paginator(notifications, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"page": page, "unread_only": unread_only, "unread": selectors.unread_count_kept(user=request.user)}
    return render(request, "notifications/inbox.html", context)


@login_required
def notification_open(request):
    """Open one notification (`?id=`): mark it read and go to its page within this site, or back to the inbox."""
    try:
        url = services.notification_open(user=request.user, notification_id=_notification_id(request.GET.get("id")))
    except Notification.DoesNotExist:
        raise Http404 from None
    return redirect(url or "notifications:inbox")


@login_required
@require_POST
def mark_read(request):
    """Mark one of the user's notifications read (`id` in the form)."""
    services.notifications_mark_read(user=request.user, ids=[_notification_id(request.POST.get("id"))])
    return redirect("notifications:inbox")


@login_required
@require_POST
def mark_all_read(request):
    count = services.notifications_mark_read(user=request.user)
    if count:
        messages.success(request, _("All notifications are marked read."))
    return redirect("notifications:inbox")
