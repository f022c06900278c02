import datetime
import io

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from common.dates import add_years, today
from members.choices import CURRENT_STATUSES, MemberStatus, Responsible, Severity, Standing
from members.models import Member
from members.quality import checks
from members.selectors import members_visible_to
from members.tests.factories import make_member
from orgunits.choices import AreaKind
from orgunits.models import Unit
from orgunits.tests.factories import make_area

QUALITY_URL = reverse("members:quality")


def found(code: str, tree, unit=None) -> set[int]:
    """Ids of the members the check finds in the unit's subtree (commune A by default), as officer_a."""
    members = members_visible_to(tree.users["officer_a"]).filter(
        unit__path__startswith=(unit or tree.commune_a).path, status__in=CURRENT_STATUSES
    )
    return {member_id for member_id, _path in checks.CHECKS_BY_CODE[code].find(members)}


def plant(member, **values) -> None:
    """Write values straight to the row, as legacy data arrives, without the services' validation."""
    Member.objects.filter(pk=member.pk).update(**values)


def test_the_clean_tree_has_no_problem(tree):
    for check in checks.CHECKS:
        assert found(check.code, tree) == set(), check.code


# -- one positive and one negative case per check ---------------------------------------------------------


def test_a_citizen_id_with_an_unknown_province_code_is_invalid(tree):
    plant(tree.member_a2, citizen_id="999" + tree.member_a2.citizen_id[3:])

    assert found("invalid_citizen_id", tree) == {tree.member_a2.pk}


def test_a_citizen_id_whose_birth_year_digits_disagree_with_the_date_of_birth_is_invalid(tree):
    wrong_year = f"{(tree.member_a2.date_of_birth.year + 1) % 100:02d}"
    plant(tree.member_a2, citizen_id=tree.member_a2.citizen_id[:4] + wrong_year + tree.member_a2.citizen_id[6:])

    assert found("invalid_citizen_id", tree) == {tree.member_a2.pk}


def test_a_citizen_id_of_11_digits_is_invalid(tree):
    plant(tree.member_a2, citizen_id=tree.member_a2.citizen_id[1:])

    assert found("invalid_citizen_id", tree) == {tree.member_a2.pk}


def test_a_valid_citizen_id_or_none_is_not_reported(tree):
    plant(tree.member_a2, citizen_id=None)

    assert found("invalid_citizen_id", tree) == set()


def test_a_citizen_id_that_lost_its_leading_zeros_in_a_spreadsheet_is_the_same_number(tree):
    plant(tree.member_a1, citizen_id="001089012345")
    plant(tree.member_a2, citizen_id="1089012345")

    assert found("duplicate_citizen_id", tree) == {tree.member_a1.pk, tree.member_a2.pk}


def test_a_citizen_id_typed_with_spaces_and_without_its_leading_zeros_is_the_same_number(tree):
    plant(tree.member_a1, citizen_id="001089012345")
    plant(tree.member_a2, citizen_id="1089 012345")

    assert found("duplicate_citizen_id", tree) == {tree.member_a1.pk, tree.member_a2.pk}


def test_different_citizen_ids_are_not_duplicates(tree):
    assert found("duplicate_citizen_id", tree) == set()


def test_a_citizen_id_shared_with_a_member_outside_scope_flags_only_the_member_in_scope(tree):
    plant(tree.member_b1, citizen_id="001089012345")
    plant(tree.member_a2, citizen_id="1089012345")

    assert found("duplicate_citizen_id", tree) == {tree.member_a2.pk}


def test_a_card_number_that_lost_its_leading_zero_is_the_same_card(tree):
    plant(tree.member_a1, card_number="01234567")
    plant(tree.member_a2, card_number="1234567")

    assert found("duplicate_card_number", tree) == {tree.member_a1.pk, tree.member_a2.pk}


def test_a_card_number_with_a_dot_is_the_same_card(tree):
    plant(tree.member_a1, card_number="01234567")
    plant(tree.member_a2, card_number="1234.567")

    assert found("duplicate_card_number", tree) == {tree.member_a1.pk, tree.member_a2.pk}


def test_different_card_numbers_are_not_duplicates(tree):
    assert found("duplicate_card_number", tree) == set()


def test_a_member_on_a_closed_cell_has_no_open_place_of_activity(tree):
    Unit.objects.filter(pk=tree.cell_a2.pk).update(closed_on=today())

    assert found("missing_or_closed_place", tree) == {tree.member_a2.pk}


def test_a_member_registered_on_a_committee_has_no_cell(tree):
    plant(tree.member_a2, unit=tree.commune_a)

    assert found("missing_or_closed_place", tree) == {tree.member_a2.pk}


def test_a_member_of_an_open_cell_has_a_place_of_activity(tree):
    assert found("missing_or_closed_place", tree) == set()


def test_a_village_cell_member_living_in_another_commune_is_reported(tree):
    village_b = make_area(parent=tree.area_b, kind=AreaKind.VILLAGE, name="Thôn Đông")
    plant(tree.member_a1, residence_area=village_b)

    assert found("cell_outside_residence_commune", tree) == {tree.member_a1.pk}


def test_a_village_cell_member_living_in_the_cells_commune_is_not_reported(tree):
    other_village_a = make_area(parent=tree.area_a, kind=AreaKind.VILLAGE, name="Thôn 3")
    plant(tree.member_a1, residence_area=other_village_a)

    assert found("cell_outside_residence_commune", tree) == set()


def test_a_member_away_on_a_temporary_transfer_is_not_reported_for_living_elsewhere(tree):
    village_b = make_area(parent=tree.area_b, kind=AreaKind.VILLAGE, name="Thôn Đông")
    plant(
        tree.member_a1,
        residence_area=village_b,
        status=MemberStatus.TRANSFERRED_OUT_TEMPORARILY,
        transferred_out_on=today(),
    )

    assert found("cell_outside_residence_commune", tree) == set()


def test_a_member_of_a_cell_without_an_area_is_not_compared(tree):
    village_b = make_area(parent=tree.area_b, kind=AreaKind.VILLAGE, name="Thôn Đông")
    plant(tree.member_a2, residence_area=village_b)

    assert found("cell_outside_residence_commune", tree) == set()


def test_made_official_before_joining_is_reported(tree):
    plant(tree.member_a2, official_on=tree.member_a2.joined_on - datetime.timedelta(days=1))

    assert found("official_before_joining", tree) == {tree.member_a2.pk}


def test_made_official_after_joining_is_not_reported(tree):
    assert found("official_before_joining", tree) == set()


def test_joining_the_day_before_the_18th_birthday_is_reported(tree):
    birthday_18 = add_years(tree.member_a2.date_of_birth, 18)
    plant(tree.member_a2, joined_on=birthday_18 - datetime.timedelta(days=1))

    assert found("joined_before_18", tree) == {tree.member_a2.pk}


def test_joining_on_the_18th_birthday_is_not_reported(tree):
    plant(tree.member_a2, joined_on=add_years(tree.member_a2.date_of_birth, 18))

    assert found("joined_before_18", tree) == set()


def test_a_member_probationary_for_25_months_is_reported(tree):
    plant(
        tree.member_a2,
        standing=Standing.PROBATIONARY,
        official_on=None,
        joined_on=add_years(today(), -2) - datetime.timedelta(days=31),
    )

    assert found("probationary_too_long", tree) == {tree.member_a2.pk}


def test_a_member_probationary_for_23_months_is_not_reported(tree):
    plant(
        tree.member_a2,
        standing=Standing.PROBATIONARY,
        official_on=None,
        joined_on=add_years(today(), -2) + datetime.timedelta(days=31),
    )

    assert found("probationary_too_long", tree) == set()


def test_an_eligible_member_without_a_phone_is_reported(tree):
    plant(tree.member_a2, phone="")

    assert found("missing_phone", tree) == {tree.member_a2.pk}


def test_an_ineligible_member_without_a_phone_is_not_reported(tree):
    plant(tree.member_a2, phone="", is_eligible=False, ineligibility_reason="no_smartphone")

    assert found("missing_phone", tree) == set()


def test_two_records_with_the_same_name_without_diacritics_and_birth_date_are_probable_duplicates(tree):
    twin = make_member(unit=tree.cell_a1, full_name="TRẦN THỊ BÌNH", date_of_birth=tree.member_a2.date_of_birth)

    assert found("probable_duplicate", tree) == {tree.member_a2.pk, twin.pk}


def test_the_same_name_with_another_date_of_birth_is_not_a_duplicate(tree):
    make_member(
        unit=tree.cell_a1,
        full_name="Trần Thị Bình",
        date_of_birth=tree.member_a2.date_of_birth - datetime.timedelta(days=1),
    )

    assert found("probable_duplicate", tree) == set()


def test_members_who_left_the_party_are_not_checked(tree):
    plant(tree.member_a2, phone="", status=MemberStatus.LEFT)

    assert found("missing_phone", tree) == set()


def test_every_check_has_a_name_a_severity_and_a_responsible_unit():
    with translation.override("en"):
        for check in checks.CHECKS:
            assert str(check.name)
            assert check.severity in Severity.values
            assert check.responsible in Responsible.values


# -- the report and the score -----------------------------------------------------------------------------


def test_the_score_weighs_each_member_by_their_worst_problem():
    assert checks.quality_score(4, [1.0, 0.5]) == 62.5
    assert checks.quality_score(4, []) == 100.0
    assert checks.quality_score(0, []) is None


def test_the_report_counts_problems_per_check_and_per_child_unit(tree):
    plant(tree.member_a1, phone="")
    plant(tree.member_a2, phone="", official_on=tree.member_a2.joined_on)
    checks.quality_refresh()

    report = checks.quality_report(actor=tree.users["officer_a"], unit=tree.commune_a)

    counts = {check.code: count for check, count in report.check_counts}
    assert counts["missing_phone"] == 2
    assert counts["official_before_joining"] == 1
    by_child = {row.unit.code: row for row in report.children}
    assert (by_child["XA-C1"].problems, by_child["XA-C1"].score) == (1, 75.0)
    assert (by_child["XA-C2"].problems, by_child["XA-C2"].score) == (2, 0.0)
    assert report.summary.members == 2
    assert report.summary.score == 37.5


def test_the_responsible_unit_of_a_commune_check_is_the_commune_committee(tree):
    plant(tree.member_a2, official_on=tree.member_a2.joined_on)
    plant(tree.member_a1, phone="")
    checks.quality_refresh()

    report = checks.quality_report(actor=tree.users["officer_a"], unit=tree.commune_a)

    rows = {row["check"].code: row for row in checks.problem_rows(report.problems, report.run)}
    assert rows["official_before_joining"]["responsible"] == tree.commune_a
    assert rows["missing_phone"]["responsible"] == tree.cell_a1


# -- the page ----------------------------------------------------------------------------------------------


def test_the_quality_page_lists_each_problem_with_a_link_to_the_member(officer_a, tree):
    plant(tree.member_a2, phone="")
    checks.quality_refresh()

    response = officer_a.get(QUALITY_URL + "?unit=XA")

    page = response.content.decode()
    assert response.status_code == 200
    assert reverse("members:detail", args=[tree.member_a2.pk]) in page
    assert "No phone for a member eligible for the app" in page
    assert 'data-check="missing_phone">1<' in page


def test_the_quality_page_without_a_unit_opens_the_users_own_unit(officer_a, tree):
    response = officer_a.get(QUALITY_URL)

    assert response.context["unit"] == tree.commune_a


def test_the_quality_page_of_a_unit_outside_scope_is_not_found(client, tree):
    client.force_login(tree.users["officer_b"])

    assert client.get(QUALITY_URL + "?unit=XA").status_code == 404


def test_the_quality_page_shows_only_the_chosen_check(officer_a, tree):
    plant(tree.member_a1, phone="")
    plant(tree.member_a2, official_on=tree.member_a2.joined_on)
    checks.quality_refresh()

    response = officer_a.get(QUALITY_URL + "?unit=XA&check=official_before_joining")

    assert [row["member"] for row in response.context["rows"]] == [tree.member_a2]


def test_the_quality_page_runs_as_many_queries_for_30_problems_as_for_3(officer_a, tree):
    for _ in range(3):
        make_member(unit=tree.cell_a2, phone="")
    checks.quality_refresh()
    with CaptureQueriesContext(connection) as few:
        officer_a.get(QUALITY_URL + "?unit=XA")
    for _ in range(27):
        make_member(unit=tree.cell_a2, phone="")
    checks.quality_refresh()
    cache.clear()  # the roles kept between requests: read them again, as the first visit did

    with CaptureQueriesContext(connection) as many:
        response = officer_a.get(QUALITY_URL + "?unit=XA")

    assert response.context["report"].summary.members_with_problems == 30
    assert len(many) == len(few)


def test_the_data_quality_command_prints_the_same_table(tree):
    plant(tree.member_a2, phone="")
    output = io.StringIO()

    with translation.override("en"):
        call_command("data_quality", "XA", "--refresh", stdout=output)

    text = output.getvalue()
    assert "XA Đảng bộ xã A" in text
    assert "No phone for a member eligible for the app" in text
    assert "Quality score: 87.5" in text
    assert "XA-C2" in text


def test_the_data_quality_command_as_a_user_is_limited_to_their_scope(tree):
    with pytest.raises(CommandError, match="No unit"):
        call_command("data_quality", "XA", "--user", "officer_b", stdout=io.StringIO())


# -- the stored pass ------------------------------------------------------------------------------------------


def test_before_the_first_pass_the_page_says_the_checks_have_not_run(officer_a, tree):
    response = officer_a.get(QUALITY_URL + "?unit=XA")

    assert response.status_code == 200
    assert response.context["report"] is None
    assert "The checks have not run yet." in response.content.decode()


def test_asking_for_a_new_pass_runs_the_checks_and_the_page_shows_what_they_found(
    officer_a, tree, django_capture_on_commit_callbacks
):
    plant(tree.member_a2, phone="")

    with django_capture_on_commit_callbacks(execute=True):
        response = officer_a.post(reverse("members:quality-refresh"), {"unit": "XA"})

    assert response.status_code == 302
    assert response.url == QUALITY_URL + "?unit=XA"
    page = officer_a.get(response.url)
    assert 'data-check="missing_phone">1<' in page.content.decode()


def test_a_unit_outside_scope_cannot_ask_for_a_pass(client, tree):
    client.force_login(tree.users["officer_b"])

    response = client.post(reverse("members:quality-refresh"), {"unit": "XA"})

    assert response.status_code == 404
    assert not checks.QualityRun.objects.exists()


def test_no_second_pass_is_queued_while_one_is_running(tree):
    checks.QualityRun.objects.create()  # running, started now

    assert checks.quality_refresh_request(actor=tree.users["officer_a"], unit=tree.commune_a) is False


def test_a_new_pass_replaces_the_previous_one_and_a_fixed_problem_is_gone(tree):
    plant(tree.member_a1, phone="")
    first = checks.quality_refresh()
    Member.objects.filter(pk=tree.member_a1.pk).update(phone="0912345678")

    second = checks.quality_refresh()

    assert list(checks.QualityRun.objects.values_list("pk", flat=True)) == [second.pk]
    assert not checks.QualityFinding.objects.filter(run_id=first.pk).exists()
    report = checks.quality_report(actor=tree.users["officer_a"], unit=tree.commune_a)
    assert report.run == second
    assert report.problem_count == 0
    assert report.summary.score == 100.0


def test_a_pass_that_fails_is_recorded_and_the_previous_one_stays_in_use(tree, monkeypatch):
    plant(tree.member_a1, phone="")
    first = checks.quality_refresh()

    real_find_problems = checks.find_problems

    def breaks_half_way(members):
        yield from real_find_problems(members)  # every finding is written, then the pass fails
        raise RuntimeError("the database went away")

    monkeypatch.setattr(checks, "find_problems", breaks_half_way)
    with pytest.raises(RuntimeError):
        checks.quality_refresh()

    failed = checks.QualityRun.objects.exclude(pk=first.pk).get()
    assert (failed.state, failed.error) == ("failed", "the database went away")
    assert not failed.findings.exists()
    assert checks.quality_report(actor=tree.users["officer_a"], unit=tree.commune_a).run == first


def test_the_summary_of_each_level_adds_up_its_subtree(tree):
    plant(tree.member_a1, phone="")
    plant(tree.member_a2, phone="", official_on=tree.member_a2.joined_on)
    plant(tree.member_b1, phone="")

    run = checks.quality_refresh()

    report = checks.quality_report(actor=None, unit=tree.province)
    assert (report.summary.members, report.summary.members_with_problems, report.summary.problems) == (3, 3, 4)
    # member_a2's worst problem is an error (1), the others' a notice (0.25): 100 × (1 − 1.5 / 3).
    assert report.summary.score == 50.0
    assert {row.unit.code: row.problems for row in report.children} == {"XA": 3, "XB": 1}
    assert run.members_checked == 3 and run.problems == 4
    assert checks.quality_report(actor=None, unit=tree.cell_a1).summary.problems == 1


def test_the_worklist_lists_errors_first_and_marks_a_record_changed_since_the_pass(tree):
    plant(tree.member_a1, phone="")
    plant(tree.member_a2, official_on=tree.member_a2.joined_on)
    run = checks.quality_refresh()
    Member.objects.filter(pk=tree.member_a1.pk).update(updated_at=run.started_at + datetime.timedelta(minutes=1))

    report = checks.quality_report(actor=tree.users["officer_a"], unit=tree.commune_a)
    rows = checks.problem_rows(report.problems, report.run)

    assert [(row["check"].code, row["member"], row["changed"]) for row in rows] == [
        ("official_before_joining", tree.member_a2, False),
        ("missing_phone", tree.member_a1, True),
    ]
