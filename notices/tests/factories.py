import datetime

from django.utils import timezone

from notices.services import notice_create


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
