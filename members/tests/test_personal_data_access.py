"""Who sees a citizen ID, a full phone number, and who exports personal data: the table of docs/security.md
("Who sees personal data"), read from the document and checked against what each role gets from the pages
and the API. Each role is held on commune A (the cell secretary and the plain member on its cell XA-C1) and
looks at member_a1, of cell XA-C1."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from accounts.choices import RoleKind
from accounts.security.two_factor import two_factor_mandatory
from accounts.tests.factories import PASSWORD, make_user
from audit.choices import ChangeAction
from audit.models import ChangeLog
from common.tests.api import api_client
from common.tests.clients import english_client
from members.models import RecordAccess
from members.templatetags.masking import masked
from rollout.choices import Affiliation
from rollout.models import Team, TeamMember

TABLE_HEADING = "## Who sees personal data"
PURPOSE = "?purpose=Checking%20the%20cell%27s%20list"

# The table as the tests read it: role label -> (citizen ID, full phone number, export, two-factor sign-in).
YES, NO, WORKLIST, REQUIRED, OPTIONAL = "yes", "no", "worklist, one tap, logged", "required", "optional"
EXPECTED_TABLE = {
    "Party member": (NO, NO, NO, OPTIONAL),
    "Cell secretary": (YES, YES, YES, OPTIONAL),
    "Committee officer": (YES, YES, YES, REQUIRED),
    "Committee administrator": (YES, YES, YES, REQUIRED),
    "Viewer": (YES, YES, YES, REQUIRED),
    "Supporter": (NO, WORKLIST, NO, OPTIONAL),
}


def role_labelled(label: str) -> str:
    """The role whose English label is `label` (the labels are translated when read in Vietnamese)."""
    with translation.override("en"):
        return next(role for role in RoleKind if str(role.label) == label)


def documented_table() -> dict[str, tuple[str, ...]]:
    """The rows of the table under TABLE_HEADING in docs/security.md, first cell (the role) to the others,
    each cell lower-cased with its markdown emphasis and the explanation after " (" dropped."""
    text = (Path(settings.BASE_DIR) / "docs" / "security.md").read_text(encoding="utf-8")
    section = text.split(TABLE_HEADING, 1)[1].split("\n## ", 1)[0]
    rows = {}
    for line in section.splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if not line.startswith("|") or cells[0] in {"Role", ""} or set(cells[0]) <= {"-", " "}:
            continue
        rows[cells[0]] = tuple(re.sub(r"\*|`", "", cell).split(" (")[0].strip().lower() for cell in cells[1:])
    return rows


def test_the_documented_table_is_the_one_the_tests_check():
    assert documented_table() == EXPECTED_TABLE


@pytest.fixture
def holder(tree):
    """A user holding the role named by the test's parameter where it reaches member_a1; the supporter is also in
    a support team of commune A, whose worklist member_a1 is on."""

    def make(label: str):
        role = role_labelled(label)
        unit = tree.cell_a1 if role in {RoleKind.MEMBER, RoleKind.CELL_SECRETARY} else tree.commune_a
        user = make_user(role=role, unit=unit, username=f"holder_{role}")
        if role == RoleKind.SUPPORTER:
            team = Team.objects.create(name="Tổ hỗ trợ xã A", unit=tree.commune_a)
            TeamMember.objects.create(team=team, user=user, affiliation=Affiliation.YOUTH_UNION)
            user.team = team
        return user

    return make


def signed_in(user) -> Client:
    client = english_client()
    client.force_login(user)
    return client


@pytest.mark.parametrize("label", EXPECTED_TABLE)
def test_the_citizen_id_is_shown_to_the_roles_of_the_table_only(tree, holder, label):
    user = holder(label)
    member = tree.member_a1
    may_see = EXPECTED_TABLE[label][0] == YES

    page = signed_in(user).get(reverse("members:detail", args=[member.pk]))
    api = api_client(user).get(f"/api/members/{member.pk}")

    assert member.citizen_id
    assert (page.status_code, api.status_code) == ((200, 200) if may_see else (404, 404))
    assert (member.citizen_id in page.content.decode()) is may_see
    assert (member.citizen_id in api.content.decode()) is may_see


@pytest.mark.parametrize("label", EXPECTED_TABLE)
def test_the_full_phone_number_is_shown_to_the_roles_of_the_table_and_to_supporters_one_tap_at_a_time(
    tree, holder, label
):
    user = holder(label)
    member = tree.member_a1
    rule = EXPECTED_TABLE[label][1]
    client = signed_in(user)

    page = client.get(reverse("members:detail", args=[member.pk])).content.decode()

    assert member.phone
    assert (member.phone in page) is (rule == YES)
    if rule == WORKLIST:
        worklist = client.get(reverse("rollout:team", args=[user.team.pk])).content.decode()
        assert member.full_name in worklist and masked(member.phone) in worklist and member.phone not in worklist
        revealed = client.post(reverse("rollout:phone_reveal", args=[user.team.pk, member.pk]))
        assert member.phone in revealed.content.decode()
        assert RecordAccess.objects.filter(actor=user, member=member, kind="phone").count() == 1


@pytest.mark.parametrize("label", EXPECTED_TABLE)
def test_exports_and_the_member_list_are_open_to_the_roles_of_the_table_only(tree, holder, label):
    user = holder(label)
    may_export = EXPECTED_TABLE[label][2] == YES
    client = signed_in(user)

    answers = [
        client.get(reverse("members:export") + PURPOSE),
        client.get(reverse("members:export_7hsdv", args=["XA-C1"]) + PURPOSE),
        client.get(reverse("members:export_registry", args=["XA-C1"]) + PURPOSE),
    ]
    listed = client.get(reverse("members:list"))
    api_items = api_client(user).get("/api/members").json().get("items", [])

    if may_export:
        assert [answer.status_code for answer in answers] == [200, 200, 200]
        assert all(int(answer["X-Export-Rows"]) >= 1 for answer in answers)
        assert ChangeLog.objects.filter(action=ChangeAction.EXPORT, actor=user).count() == 3
        assert listed.status_code == 200 and tree.member_a1.full_name in listed.content.decode()
        assert tree.member_a1.pk in {item["id"] for item in api_items}
    else:
        assert [answer.status_code for answer in answers] == [403, 404, 404]
        assert not ChangeLog.objects.filter(action=ChangeAction.EXPORT).exists()
        assert listed.status_code == 403
        assert api_items == []


@pytest.mark.parametrize("label", EXPECTED_TABLE)
def test_two_factor_sign_in_is_required_of_the_roles_of_the_table(tree, holder, label, settings):
    settings.TWO_FACTOR_ENFORCED = True
    user = holder(label)

    assert two_factor_mandatory(user) is (EXPECTED_TABLE[label][3] == REQUIRED)


# -- exports state their purpose -------------------------------------------------------------------------------


@pytest.mark.parametrize("purpose", ["", "?purpose=", "?purpose=%20%20", "?purpose=" + "x" * 201])
def test_an_export_without_a_purpose_is_refused_and_logs_nothing(tree, purpose):
    client = signed_in(tree.users["province_viewer"])

    response = client.get(reverse("members:export_registry", args=["XA"]) + purpose)

    assert response.status_code == (200 if purpose == "" else 400)
    assert "attachment" not in response.get("Content-Disposition", "")
    assert 'name="purpose"' in response.content.decode()
    assert not ChangeLog.objects.filter(action=ChangeAction.EXPORT).exists()


def test_an_export_with_a_purpose_is_logged_with_who_what_scope_rows_purpose_and_when(tree):
    viewer = tree.users["province_viewer"]

    response = signed_in(viewer).get(reverse("members:export") + "?unit=XA&purpose=%20Preparing%20%20the%20congress%20")

    assert response.status_code == 200
    entry = ChangeLog.objects.get(action=ChangeAction.EXPORT)
    assert (entry.actor, entry.unit) == (viewer, tree.commune_a)
    assert entry.postchange_data == {
        "export": "list",
        "unit": "XA",
        "filters": {"unit": "XA"},
        "rows": int(response["X-Export-Rows"]),
        "purpose": "Preparing the congress",
    }
    assert entry.postchange_data["rows"] == 2
    assert entry.reason == "Member list: Preparing the congress"
    assert abs((timezone.now() - entry.time).total_seconds()) < 60


def test_the_page_asking_for_the_purpose_keeps_the_filters_of_the_export(tree):
    page = signed_in(tree.users["officer_a"]).get(reverse("members:export") + "?q=binh&status=active")

    content = page.content.decode()
    assert '<input type="hidden" name="q" value="binh">' in content
    assert '<input type="hidden" name="status" value="active">' in content


# -- the viewer signs in with two factors -------------------------------------------------------------------------


def test_a_viewer_without_two_factors_is_held_at_the_second_step_when_enforcement_is_on(tree, settings):
    settings.TWO_FACTOR_ENFORCED = True
    client = english_client()
    client.post(reverse("accounts:login"), {"username": "province_viewer", "password": PASSWORD})

    listed = client.get(reverse("members:list"))
    export = client.get(reverse("members:export_registry", args=["XA"]) + PURPOSE)

    assert listed.status_code == 302 and listed["Location"].startswith(reverse("accounts:two_factor_setup"))
    assert export.status_code == 302 and export["Location"].startswith(reverse("accounts:two_factor_setup"))
    assert not ChangeLog.objects.filter(action=ChangeAction.EXPORT).exists()
