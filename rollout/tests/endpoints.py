"""The rollout pages and API operations, for the permission matrix (common/tests/matrix.py)."""

import datetime

from django.urls import reverse

from accounts.tests.factories import make_user
from common.tests.matrix import LIST, READ, WRITE, api, page
from rollout.choices import Affiliation
from rollout.models import Team, TeamMember

PASSWORD = "Mat-khau-kich-hoat-2026"


def with_team(tree) -> dict:
    team = Team.objects.create(name="Tổ hỗ trợ xã A", unit=tree.commune_a)
    supporter = make_user(username="supporter_a")
    TeamMember.objects.create(team=team, user=supporter, affiliation=Affiliation.YOUTH_UNION)
    return {"team": team, "supporter": supporter}


PLAN = {"number": "25-KH/ĐU", "title": "Kế hoạch hỗ trợ cài đặt", "target_percent": 100}


def with_plan(tree) -> dict:
    from rollout.services import plan_create

    plan = plan_create(
        actor=tree.users["officer_a"],
        unit=tree.commune_a,
        issued_on=datetime.date(2026, 11, 1),
        deadline=datetime.date(2026, 12, 31),
        **PLAN,
    )
    return {"plan": plan}


TRAINING = {
    "place": "Hội trường xã A",
    "topic": "Cài đặt Sổ tay",
    "trainer": "Văn phòng Đảng ủy",
    "trainees": "Bí thư chi bộ",
    "trainee_count": 20,
}
TRAINING_TOPIC = "Tập huấn bí thư chi bộ xã A"


def with_training(tree) -> dict:
    from rollout.services import training_record

    training = training_record(
        actor=tree.users["officer_a"],
        unit=tree.commune_a,
        held_on=datetime.date(2026, 11, 20),
        **{**TRAINING, "topic": TRAINING_TOPIC},
    )
    return {"training": training}


SESSION = {"place": "home", "topic": "install", "outcome": "done", "note": "x"}

ENDPOINTS = [
    page(
        "rollout:home",
        LIST,
        "get",
        lambda c: reverse("rollout:home"),
        hidden_text="Đảng bộ xã A",
        ancestor_text="Đảng bộ Thành phố Hà Nội",
    ),
    page("rollout:dashboard", READ, "get", lambda c: reverse("rollout:dashboard", args=["XA"])),
    page("rollout:export", READ, "get", lambda c: reverse("rollout:export", args=["XA"])),
    page("rollout:report_docx", READ, "get", lambda c: reverse("rollout:report_docx", args=["XA"])),
    page("rollout:pending", READ, "get", lambda c: reverse("rollout:pending", args=["XA"])),
    page(
        "rollout:team_create",
        WRITE,
        "post",
        lambda c: reverse("rollout:team_create", args=["XA"]),
        lambda c: {"name": "Tổ công nghệ số thôn 1", "kind": "community_digital_team"},
    ),
    page("rollout:team", READ, "get", lambda c: reverse("rollout:team", args=[c.team.pk]), prepare=with_team),
    page(
        "rollout:log_session",
        WRITE,
        "post",
        lambda c: reverse("rollout:log_session", args=[c.team.pk]),
        lambda c: {**SESSION, "members": [c.member_a2.pk]},
        prepare=with_team,
    ),
    page(
        "rollout:team_member_add",
        WRITE,
        "post",
        lambda c: reverse("rollout:team_member_add", args=[c.team.pk]),
        lambda c: {"username": "no_role", "affiliation": "police"},
        prepare=with_team,
    ),
    page(
        "rollout:assign",
        WRITE,
        "post",
        lambda c: reverse("rollout:assign", args=[c.team.pk]),
        lambda c: {"member": c.member_a2.pk, "assignee": c.supporter.pk},
        prepare=with_team,
    ),
    # A read (of one phone number) that writes its access-log row: refused users get nothing and write nothing.
    page(
        "rollout:phone_reveal",
        READ,
        "post",
        lambda c: reverse("rollout:phone_reveal", args=[c.team.pk, c.member_a2.pk]),
        prepare=with_team,
    ),
    page(
        "rollout:supporter_activation",
        WRITE,
        "post",
        lambda c: reverse("rollout:supporter_activation", args=[c.team.pk, c.member_a2.pk]),
        lambda c: {"place": "home", "has_consent": "on", "password1": PASSWORD, "password2": PASSWORD},
        prepare=with_team,
    ),
    api("get", "/rollout/units/{code}/figures", READ, lambda c: "/api/rollout/units/XA/figures"),
    page("rollout:plans", READ, "get", lambda c: reverse("rollout:plans", args=["XA"]), prepare=with_plan),
    page(
        "rollout:plans",
        WRITE,
        "post",
        lambda c: reverse("rollout:plans", args=["XA"]),
        lambda c: {**PLAN, "issued_on": "01/11/2026", "deadline": "31/12/2026"},
    ),
    page("rollout:training", READ, "get", lambda c: reverse("rollout:training", args=["XA"]), prepare=with_training),
    page(
        "rollout:training",
        WRITE,
        "post",
        lambda c: reverse("rollout:training", args=["XA"]),
        lambda c: {**TRAINING, "held_on": "20/11/2026"},
    ),
    api(
        "get",
        "/rollout/units/{code}/training",
        READ,
        lambda c: "/api/rollout/units/XA/training",
        prepare=with_training,
    ),
    api(
        "post",
        "/rollout/units/{code}/training",
        WRITE,
        lambda c: "/api/rollout/units/XA/training",
        lambda c: {**TRAINING, "held_on": "2026-11-20"},
    ),
    api("get", "/rollout/units/{code}/plans", READ, lambda c: "/api/rollout/units/XA/plans", prepare=with_plan),
    api(
        "post",
        "/rollout/units/{code}/plans",
        WRITE,
        lambda c: "/api/rollout/units/XA/plans",
        lambda c: {**PLAN, "issued_on": "2026-11-01", "deadline": "2026-12-31"},
    ),
]

# The app reports its own installation, for the signed-in user alone.
SIGNED_IN_ONLY = ["post /api/rollout/installed"]
