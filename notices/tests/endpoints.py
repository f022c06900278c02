"""The notice pages and API operations, for the permission matrix (common/tests/matrix.py).

Everything acts on a notice issued by commune A: its sibling B neither sees nor withdraws it; a role on
the province (an ancestor) oversees it.
"""

from django.urls import reverse

from common.tests.matrix import LIST, READ, WRITE, api, page

TITLE = "Thông báo lịch tiếp dân xã A"


NEWS_TITLE = "Tin xã A khánh thành nhà văn hoá"


def with_notice(tree) -> dict:
    from notices.tests.factories import make_notice

    return {"notice": make_notice(tree, title=TITLE)}


def with_news(tree) -> dict:
    from notices.tests.factories import make_news

    return {"news": make_news(tree, title=NEWS_TITLE)}


def picture(c):
    from notices.tests.factories import picture_upload

    return picture_upload()


ENDPOINTS = [
    page("notices:list", LIST, "get", lambda c: reverse("notices:list"), prepare=with_notice, hidden_text=TITLE),
    page(
        "notices:create",
        WRITE,
        "post",
        lambda c: reverse("notices:create"),
        lambda c: {"unit": c.commune_a.pk, "title": "Thông báo mới", "body": "Nội dung"},
        hidden_text="Đảng bộ xã A",
    ),
    page("notices:detail", READ, "get", lambda c: reverse("notices:detail", args=[c.notice.pk]), prepare=with_notice),
    page(
        "notices:withdraw",
        WRITE,
        "post",
        lambda c: reverse("notices:withdraw", args=[c.notice.pk]),
        lambda c: {},
        prepare=with_notice,
    ),
    api("get", "/notices", LIST, lambda c: "/api/notices", prepare=with_notice, hidden_text=TITLE),
    api(
        "post",
        "/notices",
        WRITE,
        lambda c: "/api/notices",
        lambda c: {"unit_code": "XA", "title": "Thông báo mới", "body": "Nội dung"},
    ),
    api("get", "/notices/{notice_id}", READ, lambda c: f"/api/notices/{c.notice.pk}", prepare=with_notice),
    api(
        "get",
        "/notices/{notice_id}/read-rate",
        READ,
        lambda c: f"/api/notices/{c.notice.pk}/read-rate",
        prepare=with_notice,
    ),
    api(
        "post",
        "/notices/{notice_id}/withdraw",
        WRITE,
        lambda c: f"/api/notices/{c.notice.pk}/withdraw",
        lambda c: {"reason": "Nhầm ngày"},
        prepare=with_notice,
    ),
    page("notices:news", LIST, "get", lambda c: reverse("notices:news"), prepare=with_news, hidden_text=NEWS_TITLE),
    page(
        "notices:news_create",
        WRITE,
        "post",
        lambda c: reverse("notices:news_create"),
        lambda c: {"unit": c.commune_a.pk, "title": "Tin mới", "body": "Nội dung", "picture": picture(c)},
        hidden_text="Đảng bộ xã A",
    ),
    page("notices:picture", READ, "get", lambda c: reverse("notices:picture", args=[c.news.pk]), prepare=with_news),
    api(
        "get",
        "/notices?kind=news",
        LIST,
        lambda c: "/api/notices?kind=news",
        prepare=with_news,
        hidden_text=NEWS_TITLE,
    ),
    api(
        "post",
        "/notices/news",
        WRITE,
        lambda c: "/api/notices/news",
        lambda c: {"unit_code": "XA", "title": "Tin mới", "body": "Nội dung", "picture": picture(c)},
        multipart=True,
    ),
]
