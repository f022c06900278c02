"""Writes of notices: issue (now or at a set time), withdraw, record a read, publish what is due.

A notice is in every recipient's inbox the moment it is out, whatever the size of the subtree: nothing is written
per recipient then. The inbox is resolved when it is read (`notices.inbox`: the notices addressed to the units above
the member), and a recipient's own inbox row is written when they open the inbox or the notice.

Only the recipients an outside channel reaches (push) get their row at once, with its delivery: that is background
work (`notices.tasks.notice_fan_out_task`), queued when the transaction that publishes the notice commits, never
done in the request. A notice is sent once: `published_at` is set by exactly one publisher, and the inbox key
"notice:<pk>" keeps a retried fan-out (or a row written on read meanwhile) from writing anything twice. A fan-out
that stopped for good (the database connection lost, Celery's retries spent or no broker to retry it) has no
`fanned_out_at`: the publisher starts it again.

Publishing renews the issuing unit's change token only: every member's home below reads it (handbook.home_cache),
so one token stands for the whole subtree, and no member's own token is renewed.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from accounts.choices import Permission, RoleKind
from accounts.models import User
from accounts.scoping import require_unit_permission
from audit.services import creation_log, model_update
from common.freshness import NOTICES, changed, unit_token, user_token
from common.images import upload_content_type
from common.queueing import enqueue_on_commit
from notifications.channels import reachable_users_q
from notifications.models import Notification
from notifications.services import Message, notify

from .choices import NoticeKind
from .models import Notice, NoticeAudience, NoticeRead
from .selectors import notice_recipients, notices_pending_in_inbox, withdrawn_notice_rows

NOTIFICATION_KIND = "notice"
# Longer than a fan-out takes with its task's retries: a notice sent this long ago and not yet in every inbox has
# a fan-out that stopped, and the publisher starts it again.
FAN_OUT_RETRY_AFTER = datetime.timedelta(minutes=10)


MAX_PICTURE_BYTES = 2 * 1024 * 1024


@transaction.atomic
def notice_create(
    *,
    actor: User,
    unit,
    title: str,
    body: str,
    roles: list[str] | tuple[str, ...] = (),
    publish_at: datetime.datetime | None = None,
    reason: str = "",
) -> Notice:
    """Issue a notice to the unit's subtree (only to holders of `roles` there, when given).

    Without `publish_at`, or with a time already past, it goes out now; otherwise at that time.
    """
    roles = sorted(set(roles))
    unknown = [role for role in roles if role not in RoleKind.values]
    if unknown:
        raise ValidationError({"roles": _("Choose roles from the list.")})
    notice = Notice(kind=NoticeKind.NOTICE, title=title.strip(), body=body.strip())
    return _issue(notice, actor=actor, unit=unit, roles=roles, publish_at=publish_at, reason=reason)


@transaction.atomic
def news_create(
    *,
    actor: User,
    unit,
    title: str,
    body: str,
    summary: str = "",
    picture=None,
    publish_at: datetime.datetime | None = None,
    reason: str = "",
) -> Notice:
    """Publish a news item to everyone in the unit's subtree, with a picture (JPEG, PNG or WebP, up to 2 MB) when
    given. It is listed and shown on the home, never sent to the inboxes."""
    news = Notice(kind=NoticeKind.NEWS, title=title.strip(), summary=summary.strip(), body=body.strip())
    if picture is not None:
        # The rights first: someone who may not publish learns nothing about what their file would have been.
        require_unit_permission(actor, Permission.CONTENT_PUBLISH, unit)
        if picture.size > MAX_PICTURE_BYTES:
            raise ValidationError({"picture": _("The picture is larger than 2 MB: choose a smaller one.")})
        news.picture_type = upload_content_type(picture) or ""
        if not news.picture_type:
            raise ValidationError({"picture": _("Choose a picture (JPEG, PNG or WebP).")})
    return _issue(news, actor=actor, unit=unit, roles=(), publish_at=publish_at, reason=reason, picture=picture)


def _issue(notice: Notice, *, actor: User, unit, roles, publish_at, reason: str, picture=None) -> Notice:
    require_unit_permission(actor, Permission.CONTENT_PUBLISH, unit)
    if unit.closed_on is not None:
        raise ValidationError({"unit": _("This unit is closed.")})
    now = timezone.now()
    notice.unit, notice.created_by, notice.created_at = unit, actor, now
    notice.publish_at = max(publish_at or now, now)
    notice.full_clean(exclude=["picture"])
    if picture is not None:
        notice.picture.save("picture", picture, save=False)
    notice.save()
    NoticeAudience.objects.bulk_create(NoticeAudience(notice=notice, role=role) for role in roles)
    creation_log(actor=actor, obj=notice, reason=reason, unit=unit)
    if notice.publish_at <= now:
        _publish(notice, now=now)
    changed(unit_token(unit.path, NOTICES))
    return notice


def _publish(notice: Notice, *, now: datetime.datetime) -> bool:
    """Claim the notice's fan-out (only one caller ever wins) and queue it for after the commit. A news item has
    no fan-out: it is out once claimed."""
    is_news = notice.kind == NoticeKind.NEWS
    claimed = Notice.objects.filter(pk=notice.pk, published_at__isnull=True, withdrawn_at__isnull=True).update(
        published_at=now, fanned_out_at=now if is_news else None
    )
    if claimed:
        notice.published_at = now
        if is_news:
            notice.fanned_out_at = now
        else:
            _queue_fan_out(notice.pk)
    return bool(claimed)


def _queue_fan_out(notice_id: int) -> None:
    # Robust: a fan-out that fails (run in-process when there is no broker) is logged, not raised to whoever
    # published the notice, which is saved by then; the publisher starts it again later.
    enqueue_on_commit("notices.tasks.notice_fan_out_task", notice_id, robust=True)


def notices_publish_due(*, now: datetime.datetime | None = None) -> int:
    """Send every notice whose time has come and that was not sent yet; returns how many. Safe to run any time,
    by several publishers at once: each notice is claimed by one of them.

    Also starts again each fan-out that stopped half-way (no `fanned_out_at` FAN_OUT_RETRY_AFTER after it started),
    claimed the same way; recipients who have the notice already are skipped.
    """
    now = now or timezone.now()
    published = 0
    due = Notice.objects.filter(published_at__isnull=True, withdrawn_at__isnull=True, publish_at__lte=now)
    for notice in list(due.order_by("publish_at", "pk").only("pk", "kind")):
        with transaction.atomic():
            published += _publish(notice, now=now)
    stopped = Notice.objects.filter(
        published_at__lte=now - FAN_OUT_RETRY_AFTER, fanned_out_at__isnull=True, withdrawn_at__isnull=True
    )
    for notice_id, started in list(stopped.order_by("published_at", "pk").values_list("pk", "published_at")):
        with transaction.atomic():
            if Notice.objects.filter(pk=notice_id, published_at=started, fanned_out_at__isnull=True).update(
                published_at=now
            ):
                _queue_fan_out(notice_id)
    return published


def notice_message(notice: Notice) -> Message:
    """The inbox entry of a notice: its own title and the start of its text (written by the issuer, in Vietnamese)."""
    return Message(
        kind=NOTIFICATION_KIND,
        title=Truncator(notice.title).chars(200),
        body=Truncator(notice.body).chars(300),
        url=reverse("notices:detail", args=[notice.pk]),
        dedupe_key=notice.notification_key,
        channels=("push",),
        is_in_inboxes_already=True,
    )


def notice_inbox_row(notice: Notice, *, user_id: int, read_at=None) -> Notification:
    """The recipient's own inbox row of a notice, dated when the notice came out (where it sits in the inbox)."""
    return notice_message(notice).row_for(user_id, created_at=notice.publish_at, read_at=read_at)


def notices_inbox_catch_up(user) -> int:
    """Write the user's own inbox rows of the notices out to them that have none yet (notices.inbox), and mark read,
    with their text taken out, their unread rows of notices withdrawn since. Returns how many rows it meant to
    write: one written meanwhile by the push fan-out or another request is skipped (the inbox key) but counted.
    Two queries when there is nothing to write, three otherwise."""
    Notification.objects.filter(user=user, read_at__isnull=True).filter(withdrawn_notice_rows()).update(
        read_at=timezone.now(), body=""
    )
    pending = list(notices_pending_in_inbox(user).only("pk", "title", "body", "publish_at"))
    if not pending:
        return 0
    Notification.objects.bulk_create(
        [notice_inbox_row(notice, user_id=user.pk) for notice in pending], ignore_conflicts=True
    )
    return len(pending)


def notice_fan_out(*, notice_id: int) -> bool:
    """Write the inbox rows of the recipients an outside channel reaches (push), with their deliveries (batched, in
    the background); every other recipient has the notice in their inbox already (fan-out on read). Returns False
    if the notice is withdrawn or was not published. Run twice, it writes nothing twice (the inbox key).

    `fanned_out_at` is set once every batch is written (queued, with a broker: each batch's task retries itself).
    """
    notice = Notice.objects.select_related("unit").filter(pk=notice_id).first()
    if notice is None or notice.is_withdrawn or notice.published_at is None or notice.kind == NoticeKind.NEWS:
        return False
    message = notice_message(notice)
    notify(recipients=notice_recipients(notice).filter(reachable_users_q(message.channels)), message=message)
    transaction.on_commit(
        lambda: Notice.objects.filter(pk=notice_id, fanned_out_at__isnull=True).update(fanned_out_at=timezone.now())
    )
    return True


@transaction.atomic
def notice_withdraw(*, actor: User, notice: Notice, reason: str = "") -> Notice:
    """Take a notice back: recipients no longer see it; one not yet sent is never sent."""
    unit = notice.unit
    require_unit_permission(actor, Permission.CONTENT_PUBLISH, unit)
    notice = Notice.objects.select_for_update().get(pk=notice.pk)
    if notice.withdrawn_at is not None:
        return notice
    changed(unit_token(unit.path, NOTICES))
    data = {"withdrawn_at": timezone.now()}
    return model_update(notice, data=data, actor=actor, reason=reason, clean=False, update_fields=True)


def notice_read_record(*, user, notice: Notice) -> bool:
    """A recipient opened the notice (or news item): record it once (the read rate counts these), and mark a notice's
    inbox entry read, writing it if the inbox was not opened since the notice came out. Returns whether the user is a recipient
    (others, e.g. officials overseeing the unit, leave no receipt)."""
    from .selectors import is_recipient

    if not is_recipient(user, notice):
        return False
    now = timezone.now()
    NoticeRead.objects.get_or_create(notice=notice, user=user)
    # News is never sent to the inboxes: only a notice has an inbox entry to mark read.
    if notice.kind == NoticeKind.NOTICE:
        row = notice_inbox_row(notice, user_id=user.pk, read_at=now)
        Notification.objects.bulk_create([row], ignore_conflicts=True)
        unread = Notification.objects.filter(user=user, dedupe_key=notice.notification_key, read_at__isnull=True)
        unread.update(read_at=now)
    changed(user_token(user.pk))
    return True
