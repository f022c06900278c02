"""Campaigns, the life of a report (draft → submitted → returned / accepted and locked), compiling up three levels."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from accounts.choices import RoleKind
from accounts.tests.factories import make_user
from audit.models import ChangeLog
from members.tests.factories import make_member
from orgunits.choices import AreaKind, UnitKind
from orgunits.tests.factories import make_area, make_unit
from reports import services
from reports.choices import EventKind, SubmissionState, TargetTree
from reports.models import ReportTemplate, Submission

from .factories import FIELDS, make_campaign, make_template


@pytest.fixture
def template(tree):
    return make_template(unit=tree.province)


@pytest.fixture
def village_campaign(tree, template):
    make_area(parent=tree.area_a, kind=AreaKind.VILLAGE, name="Thôn 2", code="AR-XA-T2")
    return make_campaign(
        unit=tree.commune_a,
        template=template,
        target_tree=TargetTree.AREAS,
        target_kind=AreaKind.VILLAGE,
        actor=tree.users["officer_a"],
    )


def village_report(campaign, tree) -> Submission:
    return campaign.submissions.get(target_area=tree.village_a1)


# Templates


def test_a_template_needs_known_indicators_and_the_parts_of_its_percentages(tree):
    with pytest.raises(ValidationError) as error:
        make_template(unit=tree.province, fields=[{"key": "activated_percent_of_eligible", "kind": "indicator"}])
    assert "activated" in str(error.value)
    with pytest.raises(ValidationError):
        make_template(unit=tree.province, fields=[{"key": "no_such_thing", "kind": "indicator"}])
    with pytest.raises(ValidationError):
        make_template(
            unit=tree.province, fields=[{"key": "mood", "kind": "choice", "label": "Mood", "options": ["ok"]}]
        )


def test_changing_a_template_saves_a_new_version_and_campaigns_keep_theirs(tree, template):
    campaign = make_campaign(unit=tree.commune_a, template=template, target_kind=UnitKind.ATTACHED_CELL)

    revised = services.template_revise(actor=None, template=template, title="Mẫu mới", fields=FIELDS[:1])

    assert (revised.code, revised.version) == (template.code, 2)
    assert ReportTemplate.objects.get(pk=template.pk).fields == template.fields
    campaign.refresh_from_db()
    assert campaign.template_id == template.pk


def test_only_report_managers_of_the_unit_create_templates(tree):
    with pytest.raises(PermissionDenied):
        make_template(unit=tree.commune_a, actor=tree.users["officer_b"])
    with pytest.raises(PermissionDenied):
        make_template(unit=tree.commune_a, actor=tree.users["secretary_a1"])


# Campaigns


def test_issuing_creates_one_prefilled_draft_per_target(tree, template):
    campaign = make_campaign(
        unit=tree.commune_a, template=template, target_kind=UnitKind.ATTACHED_CELL, actor=tree.users["officer_a"]
    )

    reports = {s.target_unit.code: s for s in campaign.submissions.select_related("target_unit")}
    assert set(reports) == {"XA-C1", "XA-C2", "XA-G-C1"}
    assert all(s.state == SubmissionState.DRAFT for s in reports.values())
    assert reports["XA-C1"].values["members"] == {"value": 1, "computed": 1, "note": ""}
    assert reports["XA-C1"].values["households"] == {"value": None}
    assert reports["XA-C1"].events.get().kind == EventKind.CREATED
    assert ChangeLog.objects.filter(object_repr=campaign.title).exists()


def test_a_village_campaign_targets_the_villages_under_the_commune_area(tree, village_campaign):
    assert sorted(village_campaign.submissions.values_list("target_area__code", flat=True)) == ["AR-XA-T1", "AR-XA-T2"]


def test_a_campaign_cannot_be_issued_outside_the_managers_subtree(tree, template):
    with pytest.raises(PermissionDenied):
        make_campaign(
            unit=tree.commune_a, template=template, target_kind="attached_cell", actor=tree.users["officer_b"]
        )
    with pytest.raises(ValidationError):
        make_campaign(unit=tree.commune_a, template=template, target_kind="commune_committee")


# A report's life


def fill(report, actor, **extra):
    return services.submission_save(
        actor=actor, submission=report, values={"households": 12, "difficulties": "Sóng yếu", **extra}
    )


def test_one_campaign_asks_the_villages_and_the_residential_groups_together(tree, template):
    from reports.choices import AREAS_OF_BOTH_KINDS
    from reports.selectors import target_kind_label

    make_area(parent=tree.area_a, kind=AreaKind.RESIDENTIAL_GROUP, name="Tổ dân phố 1", code="AR-XA-TDP1")
    make_area(parent=tree.area_a, kind=AreaKind.VILLAGE, name="Thôn 2", code="AR-XA-T2")

    both = make_campaign(
        unit=tree.commune_a,
        template=template,
        target_tree=TargetTree.AREAS,
        target_kind=AREAS_OF_BOTH_KINDS,
        actor=tree.users["officer_a"],
    )

    codes = sorted(both.submissions.values_list("target_area__code", flat=True))
    assert codes == ["AR-XA-T1", "AR-XA-T2", "AR-XA-TDP1"]
    assert target_kind_label(both) == "Villages and residential groups"
    with pytest.raises(ValidationError):
        services.campaign_targets(unit=tree.commune_a, target_tree=TargetTree.AREAS, target_kind="province")


def test_a_village_cell_secretary_files_the_village_report(tree, village_campaign):
    secretary = tree.users["secretary_a1"]
    report = fill(village_report(village_campaign, tree), secretary)

    report = services.submission_submit(actor=secretary, submission=report)

    assert report.state == SubmissionState.SUBMITTED
    assert report.submitted_by == secretary
    assert not report.is_late
    assert report.values["households"] == {"value": 12}


def test_the_sibling_commune_cannot_file_nor_review(tree, village_campaign):
    report = village_report(village_campaign, tree)
    with pytest.raises(PermissionDenied):
        fill(report, tree.users["officer_b"])
    fill(report, tree.users["secretary_a1"])
    services.submission_submit(actor=tree.users["secretary_a1"], submission=report)
    with pytest.raises(PermissionDenied):
        services.submission_accept(actor=tree.users["officer_b"], submission=report)
    with pytest.raises(PermissionDenied):
        services.submission_accept(actor=tree.users["secretary_a1"], submission=report)


def test_a_member_of_the_village_team_may_file(tree, village_campaign):
    from rollout.models import Team, TeamMember

    helper = make_user(username="doan_vien")
    team = Team.objects.create(name="Tổ CNS thôn 1", unit=tree.commune_a, area=tree.village_a1)
    TeamMember.objects.create(team=team, user=helper, affiliation="youth_union")

    report = fill(village_report(village_campaign, tree), helper)

    assert report.values["households"]["value"] == 12
    with pytest.raises(PermissionDenied):
        fill(village_campaign.submissions.get(target_area__code="AR-XA-T2"), helper)


def test_a_computed_figure_is_changed_only_with_a_note_and_the_computed_value_is_kept(tree, village_campaign):
    report = village_report(village_campaign, tree)
    with pytest.raises(ValidationError) as error:
        fill(report, tree.users["secretary_a1"], members=3)
    assert "members" in error.value.message_dict

    report = fill(report, tree.users["secretary_a1"], members=3, members_note="2 đảng viên mới chuyển đến")

    assert report.values["members"] == {"value": 3, "computed": 0, "note": "2 đảng viên mới chuyển đến"}


def test_submitting_needs_every_number_filled(tree, village_campaign):
    report = village_report(village_campaign, tree)
    with pytest.raises(ValidationError, match="Hộ được hỗ trợ"):
        services.submission_submit(actor=tree.users["secretary_a1"], submission=report)


def test_returned_with_a_reason_goes_back_to_the_filer_and_the_history_is_kept(tree, village_campaign):
    secretary, officer = tree.users["secretary_a1"], tree.users["officer_a"]
    report = services.submission_submit(
        actor=secretary, submission=fill(village_report(village_campaign, tree), secretary)
    )
    with pytest.raises(ValidationError):
        services.submission_return(actor=officer, submission=report, reason=" ")

    report = services.submission_return(actor=officer, submission=report, reason="Số hộ chưa khớp")

    assert report.state == SubmissionState.RETURNED
    assert report.return_reason == "Số hộ chưa khớp"
    report = fill(report, secretary, households=13)
    report = services.submission_submit(actor=secretary, submission=report)
    kinds = list(report.events.values_list("kind", flat=True))
    assert kinds == ["created", "saved", "submitted", "returned", "saved", "submitted"]
    assert report.events.get(kind="returned").note == "Số hộ chưa khớp"


def test_an_accepted_report_is_locked(tree, village_campaign):
    secretary, officer = tree.users["secretary_a1"], tree.users["officer_a"]
    report = services.submission_submit(
        actor=secretary, submission=fill(village_report(village_campaign, tree), secretary)
    )
    report = services.submission_accept(actor=officer, submission=report)
    assert report.state == SubmissionState.ACCEPTED

    for attempt in (
        lambda: fill(report, secretary, households=1),
        lambda: services.submission_submit(actor=secretary, submission=report),
        lambda: services.submission_return(actor=officer, submission=report, reason="x"),
        lambda: services.submission_refresh(actor=secretary, submission=report),
    ):
        with pytest.raises(ValidationError):
            attempt()
    report.refresh_from_db()
    assert report.values["households"] == {"value": 12}
    assert report.state == SubmissionState.ACCEPTED


def test_a_draft_cannot_be_accepted_and_a_submitted_one_cannot_be_edited(tree, village_campaign):
    report = village_report(village_campaign, tree)
    with pytest.raises(ValidationError):
        services.submission_accept(actor=tree.users["officer_a"], submission=report)
    report = services.submission_submit(
        actor=tree.users["secretary_a1"], submission=fill(report, tree.users["secretary_a1"])
    )
    with pytest.raises(ValidationError):
        fill(report, tree.users["secretary_a1"])


def test_a_report_filed_after_the_deadline_is_marked_late(tree, village_campaign):
    village_campaign.deadline = timezone.localdate() - datetime.timedelta(days=1)
    village_campaign.save()
    report = village_report(village_campaign, tree)
    report = services.submission_submit(
        actor=tree.users["secretary_a1"], submission=fill(report, tree.users["secretary_a1"])
    )
    assert report.is_late
    assert report.events.get(kind="submitted").note == "late"


# Compiling up three levels: cells → grassroots committee → commune → province


@pytest.fixture
def three_levels(tree, template):
    officer_a, admin_g = (
        tree.users["officer_a"],
        make_user(role=RoleKind.COMMITTEE_OFFICER, unit=tree.grassroots_a, username="officer_g"),
    )
    second_cell = make_unit(parent=tree.grassroots_a, name="Chi bộ học sinh", code="XA-G-C2")
    for cell, count in ((tree.cell_ag1, 2), (second_cell, 3)):
        for _ in range(count):
            make_member(unit=cell)
    province_officer = make_user(role=RoleKind.COMMITTEE_OFFICER, unit=tree.province, username="officer_hn")
    province = make_campaign(
        unit=tree.province, template=template, target_kind=UnitKind.COMMUNE_COMMITTEE, actor=province_officer
    )
    commune = make_campaign(
        unit=tree.commune_a,
        template=template,
        target_kind=UnitKind.GRASSROOTS_COMMITTEE,
        actor=officer_a,
        parent=province,
    )
    grassroots = make_campaign(
        unit=tree.grassroots_a,
        template=template,
        target_kind=UnitKind.ATTACHED_CELL,
        actor=admin_g,
        parent=commune,
    )
    return province, commune, grassroots, admin_g, province_officer


def test_reports_compile_up_three_levels_by_summing_and_dividing_once(tree, three_levels):
    province, commune, grassroots, officer_g, province_officer = three_levels
    officer_a = tree.users["officer_a"]
    # Cells: XA-G-C1 (2 members, 7 households), XA-G-C2 (3 members, overridden to 4 with a note, 5 households).
    first = grassroots.submissions.get(target_unit=tree.cell_ag1)
    second = grassroots.submissions.get(target_unit__code="XA-G-C2")
    services.submission_submit(actor=officer_g, submission=fill(first, officer_g, households=7))
    services.submission_submit(
        actor=officer_g, submission=fill(second, officer_g, households=5, members=4, members_note="1 chuyển đến")
    )
    services.submission_accept(actor=officer_g, submission=first)

    # Level 2: the grassroots committee compiles in one step.
    g_report = commune.submissions.get(target_unit=tree.grassroots_a)
    g_report = services.submission_compile(actor=officer_g, submission=g_report)
    assert g_report.values["members"] == {"value": 6, "computed": 6, "note": ""}
    assert g_report.values["households"] == {"value": 12}
    assert g_report.values["difficulties"] == {"value": None}  # its own text stays its own
    services.submission_submit(actor=officer_g, submission=fill(g_report, officer_g, households=12))

    # Level 3: the commune compiles from the grassroots committee's report.
    a_report = province.submissions.get(target_unit=tree.commune_a)
    a_report = services.submission_compile(actor=officer_a, submission=a_report)
    assert a_report.values["members"]["value"] == 6
    assert a_report.values["eligible"]["value"] == 5
    services.submission_submit(actor=officer_a, submission=fill(a_report, officer_a, households=12))

    # The province's table: the total of the filed reports; commune B is missing.
    from reports.exporting import campaign_table

    _fields, rows, total = campaign_table(province)
    totals = {cell.key: cell.value for cell in total}
    assert totals["members"] == 6
    assert totals["households"] == 12
    assert [row.target_unit.code for row in rows if not row.is_filed] == ["XB"]


def test_a_percentage_is_recomputed_from_summed_parts_not_averaged(tree, template):
    from reports.fields import cells, total_values

    children = [
        {"activated": {"value": 1, "computed": 1}, "eligible": {"value": 1, "computed": 1}},  # 100%
        {"activated": {"value": 1, "computed": 1}, "eligible": {"value": 3, "computed": 3}},  # 33.3%
    ]
    total = {cell.key: cell.value for cell in cells(template.fields, total_values(template.fields, children))}
    assert total["activated_percent_of_eligible"] == 50.0  # 2 of 4, not (100 + 33.3) / 2


def test_compiling_without_a_campaign_below_is_refused(tree, template):
    province = make_campaign(unit=tree.province, template=template, target_kind=UnitKind.COMMUNE_COMMITTEE)
    with pytest.raises(ValidationError, match="nothing to compile"):
        services.submission_compile(
            actor=tree.users["officer_a"], submission=province.submissions.get(target_unit=tree.commune_a)
        )


def test_timeliness_per_unit_and_level(tree, three_levels):
    from reports.selectors import timeliness_tree

    province, commune, grassroots, officer_g, _ = three_levels
    first = grassroots.submissions.get(target_unit=tree.cell_ag1)
    services.submission_submit(actor=officer_g, submission=fill(first, officer_g))
    second = grassroots.submissions.get(target_unit__code="XA-G-C2")
    services.submission_submit(actor=officer_g, submission=fill(second, officer_g))
    Submission.objects.filter(pk=second.pk).update(
        first_submitted_at=grassroots.deadline_end + datetime.timedelta(hours=1)
    )

    per_unit, per_level = timeliness_tree(province)

    rows = {row.label: row for row in per_unit}
    assert (rows["Đảng bộ Thành phố Hà Nội"].expected, rows["Đảng bộ Thành phố Hà Nội"].missing) == (2, 2)
    g = rows["Đảng bộ Trường học xã A"]
    assert (g.expected, g.submitted, g.on_time, g.late, g.missing) == (2, 2, 1, 1, 0)
    assert [row.expected for row in per_level] == [2, 1, 2]


def test_the_managers_hear_when_the_last_report_is_in_and_when_a_returned_one_comes_back(
    tree, village_campaign, django_capture_on_commit_callbacks
):
    from notifications.models import Notification

    secretary, officer = tree.users["secretary_a1"], tree.users["officer_a"]
    to_officer = Notification.objects.filter(user=officer)
    with django_capture_on_commit_callbacks(execute=True):
        first = services.submission_submit(
            actor=secretary, submission=fill(village_report(village_campaign, tree), secretary)
        )
    assert not to_officer.exists()  # one report of two: no message yet

    with django_capture_on_commit_callbacks(execute=True):
        other = village_campaign.submissions.get(target_area__code="AR-XA-T2")
        services.submission_submit(actor=officer, submission=fill(other, officer))
    [all_in] = to_officer
    assert all_in.title.startswith("Đã nhận đủ báo cáo")
    assert all_in.url == f"/reports/campaigns/{village_campaign.pk}/"

    with django_capture_on_commit_callbacks(execute=True):
        services.submission_return(actor=officer, submission=first, reason="Số hộ chưa khớp")
    with django_capture_on_commit_callbacks(execute=True):
        services.submission_submit(actor=secretary, submission=fill(first, secretary, households=13))
    urls = list(to_officer.order_by("pk").values_list("url", flat=True))
    # Sent again, and every report is in again: the second "all in" is the same message, not a new one.
    assert urls == [f"/reports/campaigns/{village_campaign.pk}/", f"/reports/submissions/{first.pk}/"]


def test_a_campaign_to_many_targets_is_issued_at_once_and_prefilled_in_the_background(
    tree, template, settings, django_capture_on_commit_callbacks
):
    settings.REPORTS_INLINE_PREFILL_LIMIT = 1
    make_area(parent=tree.area_a, kind=AreaKind.VILLAGE, name="Thôn 2", code="AR-XA-T2")

    with django_capture_on_commit_callbacks() as queued:
        campaign = make_campaign(
            unit=tree.commune_a,
            template=template,
            target_tree=TargetTree.AREAS,
            target_kind=AreaKind.VILLAGE,
            actor=tree.users["officer_a"],
        )
    report = campaign.submissions.get(target_area=tree.village_a1)
    assert report.computed_at is None and report.values == {}
    with pytest.raises(ValidationError, match="still being computed"):
        services.submission_submit(
            actor=tree.users["secretary_a1"], submission=fill(report, tree.users["secretary_a1"])
        )

    for callback in queued:
        callback()

    report.refresh_from_db()
    assert report.computed_at is not None
    # The same figures an inline issue gives (no member lives in the village: 0, computed).
    assert report.values["members"] == {"value": 0, "computed": 0, "note": ""}
    assert report.values["households"] == {"value": 12}  # typed before the figures came, kept
    assert services.campaign_prefill(campaign_id=campaign.pk) == 0  # a second run finds nothing to do


def test_a_prefill_whose_task_was_lost_is_finished_by_the_daily_run(tree, template, settings):
    from reports.tasks import send_report_reminders

    settings.REPORTS_INLINE_PREFILL_LIMIT = 1
    make_area(parent=tree.area_a, kind=AreaKind.VILLAGE, name="Thôn 2", code="AR-XA-T2")
    campaign = make_campaign(  # its on-commit task never runs here: as if the broker lost it
        unit=tree.commune_a,
        template=template,
        target_tree=TargetTree.AREAS,
        target_kind=AreaKind.VILLAGE,
        actor=tree.users["officer_a"],
    )
    assert campaign.submissions.filter(computed_at__isnull=True).count() == 2

    send_report_reminders.delay()

    assert not campaign.submissions.filter(computed_at__isnull=True).exists()
