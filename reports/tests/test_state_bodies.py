"""A People's Committee's campaign to its villages and organisations (issue 22 points 1 and 2): who issues, who
files, who reviews, through civic roles in the one scoping module; figures where the system knows them; the state's
document format. Runs on both databases (the role summary reads party and civic roles in one UNION query)."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from accounts.choices import CivicRoleKind, Permission
from accounts.models import CivicRole
from accounts.officers.civic import civic_role_grant, civic_role_revoke
from accounts.scoping import civic_area_ids, civic_organisation_ids, forget_cached_scope
from accounts.tests.factories import make_civic_role, make_user
from common.tests.api import api_client
from notifications.models import Notification
from orgunits.choices import AreaKind, OrganisationKind
from orgunits.tests.factories import make_area, make_organisation
from reports import exporting, selectors, services
from reports.choices import SubmissionState, TargetTree

from .factories import make_campaign, make_template
from .test_exports import docx_text


@pytest.fixture
def ward(tree):
    """Commune A's People's Committee with its Culture–Society office, a second village, a school with its own
    party cell and the commune police without one; their people."""
    committee = make_organisation(
        area=tree.area_a, kind=OrganisationKind.PEOPLES_COMMITTEE, name="Ủy ban nhân dân xã A", code="UBND-XA"
    )
    office = make_organisation(
        area=tree.area_a, kind=OrganisationKind.OFFICE, name="Phòng Văn hóa - Xã hội", code="VHXH-XA", parent=committee
    )
    village_2 = make_area(parent=tree.area_a, kind=AreaKind.VILLAGE, name="Thôn 2", code="AR-XA-T2")
    school = make_organisation(
        area=tree.area_a,
        kind=OrganisationKind.SCHOOL,
        name="Trường THCS xã A",
        code="THCS-XA",
        party_unit=tree.cell_ag1,
    )
    police = make_organisation(area=tree.area_a, kind=OrganisationKind.AGENCY, name="Công an xã A", code="CA-XA")
    make_organisation(area=tree.area_b, kind=OrganisationKind.AGENCY, name="Công an xã B", code="CA-XB")
    people = {
        "culture": make_user(username="vanhoa_xa", first_name="Hoa", last_name="Phạm Thị"),
        "head_1": make_user(username="truongthon_1"),
        "school_contact": make_user(username="lienhe_thcs"),
        "police_contact": make_user(username="lienhe_ca"),
    }
    make_civic_role(user=people["culture"], kind=CivicRoleKind.CULTURE_SOCIETY_OFFICER, place=office)
    make_civic_role(user=people["head_1"], kind=CivicRoleKind.VILLAGE_HEAD, place=tree.village_a1)
    make_civic_role(user=people["school_contact"], kind=CivicRoleKind.ORGANISATION_CONTACT, place=school)
    make_civic_role(user=people["police_contact"], kind=CivicRoleKind.ORGANISATION_CONTACT, place=police)
    return {
        "committee": committee,
        "office": office,
        "village_2": village_2,
        "school": school,
        "police": police,
        "template": make_template(unit=tree.province),
        **people,
    }


def issue(ward, *, actor=None, target_kind="village,agency,school", deadline=None):
    today = timezone.localdate()
    return services.campaign_issue(
        actor=actor or ward["culture"],
        organisation=ward["committee"],
        template=ward["template"],
        title="Báo cáo kết quả hỗ trợ cài đặt Sổ tay đảng viên",
        target_tree=TargetTree.PLACES,
        target_kind=target_kind,
        period_start=today.replace(day=1),
        period_end=today,
        cutoff_on=min(today, deadline or today),
        deadline=deadline or today + datetime.timedelta(days=5),
    )


def report_of(campaign, target):
    field = {"Organisation": "target_organisation", "AdminArea": "target_area"}[type(target).__name__]
    return campaign.submissions.get(**{field: target})


def fill_and_submit(report, user):
    values = {
        key: (entry.get("value") if entry.get("value") is not None else 3) for key, entry in report.values.items()
    }
    values["difficulties"] = "Không"
    report = services.submission_save(actor=user, submission=report, values=values)
    return services.submission_submit(actor=user, submission=report)


def test_an_office_role_follows_its_committee_and_a_head_holds_the_village(tree, ward):
    culture, head = ward["culture"], ward["head_1"]

    assert civic_organisation_ids(culture, Permission.REPORT_MANAGE) == {ward["office"].pk, ward["committee"].pk}
    assert civic_area_ids(head, Permission.REPORT_SUBMIT) == {tree.village_a1.pk}
    assert civic_organisation_ids(head, Permission.REPORT_SUBMIT) == frozenset()
    # A civic role reaches no party unit: no member's record, no unit page.
    assert selectors.units_issuing_for(culture).count() == 0
    from accounts.scoping import granted_unit_paths

    assert granted_unit_paths(culture, Permission.MEMBER_VIEW) == []


def test_the_committee_asks_its_villages_and_organisations_in_one_campaign(tree, ward):
    campaign = issue(ward)

    targets = sorted(str(submission.target) for submission in campaign.submissions.all())
    assert targets == ["Công an xã A", "Thôn 1", "Thôn 2", "Trường THCS xã A"]
    assert campaign.issuer == ward["committee"] and campaign.unit is None
    # Never the other commune's agency, never the committee or its office.
    assert not campaign.submissions.filter(target_organisation__code__in=["CA-XB", "UBND-XA", "VHXH-XA"]).exists()


def test_only_its_culture_society_officer_issues_for_the_committee(tree, ward):
    with pytest.raises(PermissionDenied):
        issue(ward, actor=tree.users["officer_b"])
    with pytest.raises(PermissionDenied):
        issue(ward, actor=ward["head_1"])
    with pytest.raises(ValidationError):
        issue(ward, target_kind="attached_cell")


def test_figures_come_from_the_schools_cell_and_are_typed_for_the_police(tree, ward):
    campaign = issue(ward)
    school, police = report_of(campaign, ward["school"]), report_of(campaign, ward["police"])

    assert school.values["members"]["computed"] == 0
    assert police.values["members"] == {"value": None, "computed": None, "note": ""}
    # The police's contact types the figure without having to explain a difference from nothing.
    police = services.submission_save(
        actor=ward["police_contact"], submission=police, values={"members": 12, "households": 4}
    )
    assert police.values["members"]["value"] == 12
    refreshed = services.submission_refresh(actor=ward["police_contact"], submission=police)
    assert refreshed.values["members"]["value"] == 12


def test_each_filer_reaches_only_its_own_report(tree, ward):
    campaign = issue(ward)
    village_1, village_2 = report_of(campaign, tree.village_a1), report_of(campaign, ward["village_2"])
    school, police = report_of(campaign, ward["school"]), report_of(campaign, ward["police"])

    assert set(selectors.submissions_to_file(actor=ward["head_1"])) == {village_1}
    assert set(selectors.submissions_to_file(actor=ward["school_contact"])) == {school}
    with pytest.raises(PermissionDenied):
        services.submission_save(actor=ward["school_contact"], submission=police, values={"households": 1})
    with pytest.raises(PermissionDenied):
        services.submission_save(actor=ward["head_1"], submission=village_2, values={"households": 1})
    # The school's own party cell may file for it; the sibling commune reaches nothing.
    secretary = make_user(role="cell_secretary", unit=tree.cell_ag1, username="secretary_ag1")
    assert selectors.can_file(secretary, school)
    assert not selectors.submissions_visible_to(tree.users["officer_b"]).filter(campaign=campaign).exists()
    assert not selectors.campaigns_visible_to(tree.users["officer_b"]).filter(pk=campaign.pk).exists()


def test_the_culture_officer_reviews_and_sees_the_late_one(tree, ward):
    campaign = issue(ward, deadline=timezone.localdate() - datetime.timedelta(days=1))
    filed = fill_and_submit(report_of(campaign, tree.village_a1), ward["head_1"])

    assert filed.is_late
    accepted = services.submission_accept(actor=ward["culture"], submission=filed)
    assert accepted.state == SubmissionState.ACCEPTED
    with pytest.raises(PermissionDenied):
        services.submission_accept(actor=tree.users["officer_a"], submission=report_of(campaign, ward["school"]))
    per_unit, _levels = selectors.timeliness_tree(campaign)
    assert (per_unit[0].label, per_unit[0].expected, per_unit[0].late, per_unit[0].missing) == (
        "Ủy ban nhân dân xã A",
        4,
        1,
        3,
    )


def test_reminders_reach_the_village_head_and_the_contact_and_the_digest_the_officer(
    tree, ward, django_capture_on_commit_callbacks
):
    campaign = issue(ward, deadline=timezone.localdate() + datetime.timedelta(days=1))
    with django_capture_on_commit_callbacks(execute=True):
        services.reports_send_reminders(day=timezone.localdate())
    with django_capture_on_commit_callbacks(execute=True):
        services.reports_send_reminders(day=campaign.deadline + datetime.timedelta(days=1))

    def kinds(user):
        return list(Notification.objects.filter(user=user).values_list("kind", flat=True))

    assert kinds(ward["head_1"]) == ["reports.reminder"]
    assert kinds(ward["police_contact"]) == ["reports.reminder"]
    assert kinds(ward["culture"]) == ["reports.late_digest"]


def test_the_compiled_table_is_a_state_document_signed_for_the_committee(tree, ward):
    campaign = issue(ward)
    fill_and_submit(report_of(campaign, ward["police"]), ward["police_contact"])

    document, header, table, footer = docx_text(exporting.campaign_docx(campaign))

    left, right = header.rows[0].cells
    assert left.paragraphs[0].text == "ỦY BAN NHÂN DÂN XÃ A"
    assert "*" not in [paragraph.text for paragraph in left.paragraphs]
    assert right.paragraphs[0].text == "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
    assert right.paragraphs[1].text == "Độc lập - Tự do - Hạnh phúc"
    signer = [paragraph.text for paragraph in footer.rows[0].cells[1].paragraphs]
    assert signer[:2] == ["TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH"]
    names = [row.cells[1].text for row in table.rows[1:-1]]
    assert names == ["Thôn 1", "Thôn 2", "Công an xã A", "Trường THCS xã A"]
    # A party campaign's table keeps the party's heading.
    assert exporting.is_state_document(campaign, ward["police"])


def test_granting_and_revoking_a_civic_role(tree, ward):
    granted = civic_role_grant(
        actor=tree.users["admin_a"],
        kind=CivicRoleKind.VILLAGE_HEAD,
        place=ward["village_2"],
        username="truongthon_2",
        full_name="Đỗ Văn Hai",
        phone="0912345678",
        reason="Thôn 2 bầu trưởng thôn",
    )
    head = granted.role.user
    assert granted.code and head.get_full_name() == "Đỗ Văn Hai" and not head.has_usable_password()
    campaign = issue(ward)
    assert selectors.can_file(head, report_of(campaign, ward["village_2"]))

    with pytest.raises(PermissionDenied):
        civic_role_revoke(actor=tree.users["officer_b"], role=granted.role)
    civic_role_revoke(actor=tree.users["admin_a"], role=granted.role, reason="Hết nhiệm kỳ")
    forget_cached_scope(head)

    assert not selectors.can_file(head, report_of(campaign, ward["village_2"]))
    assert CivicRole.objects.filter(pk=granted.role.pk, ends_on__isnull=False).exists()


@pytest.mark.parametrize(
    ("kind", "place_key"),
    [
        (CivicRoleKind.VILLAGE_HEAD, "school"),
        (CivicRoleKind.ORGANISATION_CONTACT, "committee"),
        (CivicRoleKind.CULTURE_SOCIETY_OFFICER, "school"),
    ],
)
def test_a_role_is_held_only_on_its_kind_of_place(tree, ward, kind, place_key):
    with pytest.raises(ValidationError):
        civic_role_grant(actor=tree.users["admin_a"], kind=kind, place=ward[place_key], username="no_role")


def test_the_same_role_twice_and_another_communes_granter_are_refused(tree, ward):
    with pytest.raises(ValidationError):
        civic_role_grant(
            actor=tree.users["admin_a"], kind=CivicRoleKind.VILLAGE_HEAD, place=tree.village_a1, username="truongthon_1"
        )
    admin_b = make_user(role="committee_admin", unit=tree.commune_b, username="admin_b")
    with pytest.raises(PermissionDenied):
        civic_role_grant(actor=admin_b, kind=CivicRoleKind.VILLAGE_HEAD, place=ward["village_2"], username="no_role")


def test_the_pages_of_a_campaign_to_villages_and_organisations(client, tree, ward):
    client.force_login(ward["culture"])
    today = timezone.localdate()

    home = client.get(reverse("reports:home")).content.decode()
    response = client.post(
        reverse("reports:campaign_create_places"),
        {
            "organisation": ward["committee"].pk,
            "template": ward["template"].pk,
            "places": ["village", "agency"],
            "period_start": today.replace(day=1).isoformat(),
            "period_end": today.isoformat(),
            "cutoff_on": today.isoformat(),
            "deadline": (today + datetime.timedelta(days=3)).isoformat(),
            "remind_days_before": 3,
        },
    )

    assert reverse("reports:campaign_create_places") in home
    assert response.status_code == 302
    campaign = selectors.campaigns_visible_to(ward["culture"]).get()
    assert campaign.submissions.count() == 3
    table = client.get(reverse("reports:campaign", args=[campaign.pk])).content.decode()
    assert "Công an xã A" in table and "Thôn 2" in table
    assert client.get(reverse("reports:campaign_docx", args=[campaign.pk])).status_code == 200

    client.force_login(ward["head_1"])
    assert reverse("reports:home") in client.get(reverse("accounts:home"), follow=True).content.decode()
    report = report_of(campaign, tree.village_a1)
    assert client.get(reverse("reports:submission", args=[report.pk])).status_code == 200
    assert client.get(reverse("reports:campaign", args=[campaign.pk])).status_code == 404


def test_the_civic_roles_page_gives_a_role_and_shows_a_new_accounts_code_once(client, tree, ward):
    client.force_login(tree.users["admin_a"])

    response = client.post(
        reverse("accounts:civic_roles"),
        {"kind": "village_head", "place": "AR-XA-T2", "username": "truongthon_2", "full_name": "Đỗ Văn Hai"},
    )
    first = client.get(reverse("accounts:civic_roles")).content.decode()
    second = client.get(reverse("accounts:civic_roles")).content.decode()

    assert response.status_code == 302
    assert "truongthon_2" in first and "slip-code" in first
    assert "slip-code" not in second
    assert "Phạm Thị Hoa" in second
    client.force_login(tree.users["officer_b"])
    assert client.get(reverse("accounts:civic_roles")).status_code == 403


def test_the_api_issues_for_the_committee(tree, ward):
    client = api_client(ward["culture"])
    today = timezone.localdate()
    payload = {
        "organisation_code": "UBND-XA",
        "template_id": ward["template"].pk,
        "target_tree": "places",
        "target_kind": "village,residential_group,school",
        "period_start": today.isoformat(),
        "period_end": today.isoformat(),
        "cutoff_on": today.isoformat(),
        "deadline": today.isoformat(),
    }

    response = client.post("/api/reports/campaigns", payload, content_type="application/json")
    both = client.post("/api/reports/campaigns", {**payload, "unit_code": "XA"}, content_type="application/json")

    assert response.status_code == 201, response.content
    assert response.json()["organisation_code"] == "UBND-XA" and response.json()["unit_code"] is None
    assert both.status_code == 422


def test_in_the_committees_campaign_the_party_files_a_village_only_through_its_own_cell(tree, ward):
    campaign = issue(ward)
    village_1 = report_of(campaign, tree.village_a1)

    assert selectors.can_file(tree.users["secretary_a1"], village_1), "the village's own cell"
    assert not selectors.can_file(tree.users["officer_a"], village_1), "not the commune's committee"
    assert not selectors.submissions_to_file(actor=tree.users["officer_a"]).filter(campaign=campaign).exists()
    assert not selectors.can_file(tree.users["officer_a"], report_of(campaign, ward["school"])), "nor the school"


def test_a_village_head_never_reaches_a_party_campaign_to_the_villages(tree, ward):
    party = make_campaign(
        unit=tree.commune_a, template=ward["template"], target_tree=TargetTree.AREAS, target_kind=AreaKind.VILLAGE
    )

    assert not selectors.submissions_visible_to(ward["head_1"]).filter(campaign=party).exists()
    assert not selectors.can_file(ward["head_1"], party.submissions.get(target_area=tree.village_a1))


def test_a_campaign_to_places_asks_only_the_rollouts_figures(tree, ward):
    party_figures = make_template(
        unit=tree.province, code="BC-DANGPHI", fields=[{"key": "members", "kind": "indicator"},
                                                       {"key": "dues_members_in_arrears", "kind": "indicator"}],
    )  # fmt: skip
    ward["template"] = party_figures

    with pytest.raises(ValidationError) as error:
        issue(ward)

    assert "template" in error.value.message_dict
    assert not selectors.campaigns_visible_to(ward["culture"]).exists()


def test_a_strangers_account_is_not_found_by_its_phone(tree, ward):
    from accounts.selectors import account_named

    stranger = make_user(username="nguoi_la", phone="0987654321", member=tree.member_b1)

    assert account_named(tree.users["admin_a"], "0987654321") is None
    assert account_named(tree.users["admin_a"], "nguoi_la") is None
    assert account_named(None, "0987654321") == stranger
    assert account_named(tree.users["admin_a"], "vanhoa_xa") == ward["culture"]


def test_closing_an_organisation_ends_what_its_contact_reaches(tree, ward):
    from orgunits.services import organisation_close

    campaign = issue(ward)
    police = report_of(campaign, ward["police"])
    organisation_close(actor=tree.users["officer_a"], organisation=ward["police"], reason="Sáp nhập")
    contact = type(ward["police_contact"]).objects.get(pk=ward["police_contact"].pk)
    forget_cached_scope(contact)
    from django.core.cache import cache

    cache.clear()

    assert not selectors.can_file(contact, police)
