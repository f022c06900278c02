import datetime

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from common.images import png_bytes
from notices.services import news_create, notice_create


def make_notice(tree, *, unit=None, actor=None, title="Thông báo họp chi bộ tháng 12", roles=(), in_minutes=None):
    """A notice issued by commune A (by its officer), now or in `in_minutes` minutes."""
    publish_at = timezone.now() + datetime.timedelta(minutes=in_minutes) if in_minutes else None
    return notice_create(
        actor=actor or tree.users["officer_a"],
        unit=unit or tree.commune_a,
        title=title,
        body="Kính gửi các đồng chí đảng viên.\nNội dung thông báo.",
        roles=roles,
        publish_at=publish_at,
    )


def picture_upload(name: str = "anh.png") -> SimpleUploadedFile:
    """A small real PNG, as a phone would send it."""
    return SimpleUploadedFile(name, png_bytes(8, 6, lambda x, y: (200, 30 * y, 20 * x)), content_type="image/png")


def make_news(tree, *, unit=None, actor=None, title="Chi bộ thôn 1 ra quân làm đường", picture=True, in_minutes=None):
    """A news item published by commune A (by its officer), with a picture unless told not to."""
    publish_at = timezone.now() + datetime.timedelta(minutes=in_minutes) if in_minutes else None
    return news_create(
        actor=actor or tree.users["officer_a"],
        unit=unit or tree.commune_a,
        title=title,
        summary="Bà con và đảng viên cùng làm đường bê tông.",
        body="Sáng chủ nhật, chi bộ thôn 1 ra quân.",
        picture=picture_upload() if picture else None,
        publish_at=publish_at,
    )


def inbox_owners(notice, *, now=None) -> set[str]:
    """The usernames of the users whose inbox holds the notice: their own row, or resolved on read (not yet written)."""
    from accounts.models import User
    from notices.selectors import notices_pending_in_inbox
    from notifications.models import Notification

    written = set(
        Notification.objects.filter(dedupe_key=notice.notification_key).values_list("user__username", flat=True)
    )
    pending = {
        user.username
        for user in User.objects.all()
        if notices_pending_in_inbox(user, now=now).filter(pk=notice.pk).exists()
    }
    return written | pending
