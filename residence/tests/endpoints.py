"""The residence registration pages and API operations, for the permission matrix (common/tests/matrix.py).

The member works in commune A's school cell and lives in Thôn 1, whose cell (XA-C1) is residential."""

from common.tests.matrix import READ, WRITE, api, page
from members.tests.factories import make_member


def teacher(tree):
    return make_member(unit=tree.cell_ag1, full_name="Phạm Thị Dung", residence_area=tree.village_a1)


def with_teacher(tree) -> dict:
    return {"teacher": teacher(tree)}


def with_request(tree) -> dict:
    from residence.services import registration_request

    member = teacher(tree)
    return {
        "registration": registration_request(
            actor=tree.users["officer_a"], member=member, residential_unit=tree.cell_a1
        )
    }


def with_registration(tree) -> dict:
    from residence.services import registration_accept

    prepared = with_request(tree)
    prepared["registration"] = registration_accept(actor=tree.users["officer_a"], registration=prepared["registration"])
    return prepared


def url(suffix: str = ""):
    return lambda ctx: f"/residence/{ctx.registration.pk}/{suffix}"


def api_url(suffix: str = ""):
    return lambda ctx: f"/api/residence/{ctx.registration.pk}{suffix}"


FEEDBACK = {"year": 2026, "keeps_contact": True, "sets_example": True, "takes_part": True, "remarks": "Gương mẫu"}

ENDPOINTS = [
    page("residence:registration", READ, "get", url(), prepare=with_request),
    page(
        "residence:register",
        WRITE,
        "post",
        lambda ctx: "/residence/register/",
        lambda ctx: {"member": ctx.teacher.pk, "residential_unit": ctx.cell_a1.code},
        prepare=with_teacher,
    ),
    page("residence:accept", WRITE, "post", url("accept/"), prepare=with_request),
    page(
        "residence:refuse",
        WRITE,
        "post",
        url("refuse/"),
        lambda ctx: {"reason": "Không cư trú tại thôn"},
        prepare=with_request,
    ),
    page("residence:feedback", WRITE, "post", url("feedback/"), lambda ctx: FEEDBACK, prepare=with_registration),
    api("get", "/residence/{registration_id}", READ, api_url(), prepare=with_request),
    api(
        "post",
        "/residence/register",
        WRITE,
        lambda ctx: "/api/residence/register",
        lambda ctx: {"member_id": ctx.teacher.pk, "residential_unit_code": ctx.cell_a1.code},
        prepare=with_teacher,
    ),
    api("post", "/residence/{registration_id}/accept", WRITE, api_url("/accept"), prepare=with_request),
    api(
        "post",
        "/residence/{registration_id}/refuse",
        WRITE,
        api_url("/refuse"),
        lambda ctx: {"reason": "Không cư trú tại thôn"},
        prepare=with_request,
    ),
    api(
        "post",
        "/residence/{registration_id}/feedback",
        WRITE,
        api_url("/feedback"),
        lambda ctx: FEEDBACK,
        prepare=with_registration,
    ),
]
# The member's own registrations, and the lists narrowed by the selectors (tests/test_views.py).
SIGNED_IN_ONLY = ["residence:index", "get /api/residence/mine"]
