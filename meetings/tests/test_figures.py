"""Figures per cell and member, the three-months rule, and the report indicators, against hand-counted meetings."""

import datetime

import pytest

from common.indicators import indicator_get, ratio
from meetings import selectors, services
from meetings.choices import ExcuseDecision, Presence
from meetings.models import AbsenceFlag, Attendance
from members.tests.factories import make_member
from notifications.models import Notification

from .factories import at, make_meeting

P, E, A = Presence.PRESENT, Presence.EXCUSED, Presence.ABSENT
END_2025 = datetime.date(2025, 12, 31)


def hold(unit, when, marks: dict, *, minutes: bool = False):
    """A past meeting with attendance marked by hand ({member: presence}); members left out stay unrecorded."""
    meeting = make_meeting(unit=unit, starts_at=when)
    for member, presence in marks.items():
        services.attendance_mark(actor=None, meeting=meeting, member=member, presence=presence)
    if minutes:
        services.minutes_record(actor=None, meeting=meeting, minutes="Biên bản")
    return meeting


@pytest.fixture
def year_2025(tree):
    """Cell A1 in 2025, counted by hand:

             a1       binh      chau
    Jan      present  present   absent
    Feb      present  excused   absent
    Mar      absent   present   present
    Apr      present  present   absent
    May      (minutes only: nobody recorded, so nobody present)
    Jun      scheduled, nothing recorded: not held

    held 5 of 12; expected 15; present 7 → 46.7 %. Chau absent without reason in Jan, Feb, Apr, May → flagged.
    """
    a1 = tree.member_a1
    binh = make_member(unit=tree.cell_a1, full_name="Phạm Thị Bình")
    chau = make_member(unit=tree.cell_a1, full_name="Hoàng Văn Châu")
    hold(tree.cell_a1, at(2025, 1, 4), {a1: P, binh: P, chau: A})
    hold(tree.cell_a1, at(2025, 2, 4), {a1: P, binh: E, chau: A})
    hold(tree.cell_a1, at(2025, 3, 4), {a1: A, binh: P, chau: P})
    hold(tree.cell_a1, at(2025, 4, 4), {a1: P, binh: P, chau: A})
    hold(tree.cell_a1, at(2025, 5, 4), {}, minutes=True)
    make_meeting(unit=tree.cell_a1, starts_at=at(2025, 6, 4))
    return {"a1": a1, "binh": binh, "chau": chau}


def test_cell_figures_match_the_hand_count(tree, year_2025):
    figures = selectors.cell_figures(unit=tree.cell_a1, year=2025, today=END_2025)

    assert (figures.held, figures.required, figures.expected, figures.present) == (5, 12, 15, 7)
    assert figures.rate == 46.7
    by_member = {row.member.pk: row for row in figures.members}
    chau = by_member[year_2025["chau"].pk]
    assert (chau.expected, chau.present, chau.excused, chau.absent) == (5, 1, 0, 4)
    assert chau.absent_months == (1, 2, 4, 5)
    binh = by_member[year_2025["binh"].pk]
    assert (binh.present, binh.excused, binh.absent, binh.rate) == (3, 1, 1, 60.0)
    assert [row.member for row in figures.flagged] == [year_2025["chau"]]


def test_the_monthly_rule_counts_months_begun_this_year(tree):
    assert selectors.months_required(year=2025, today=datetime.date(2025, 4, 2)) == 4
    assert selectors.months_required(year=2024, today=datetime.date(2025, 4, 2)) == 12


def test_the_indicators_add_up_the_subtree(tree, year_2025):
    def value(key, target):
        return indicator_get(key).compute(target, END_2025)

    assert value("meetings_held", tree.commune_a) == 5
    assert value("meetings_expected_attendance", tree.province) == 15
    assert value("meetings_present", tree.cell_a1) == 7
    assert value("meetings_held", tree.commune_b) == 0
    assert value("meetings_held", tree.area_a) is None
    assert indicator_get("meetings_attendance_rate").ratio_of == ("meetings_present", "meetings_expected_attendance")
    assert (
        ratio(value("meetings_present", tree.commune_a), value("meetings_expected_attendance", tree.commune_a)) == 46.7
    )
    # As of the end of February only January and February count.
    assert indicator_get("meetings_held").compute(tree.commune_a, datetime.date(2025, 2, 28)) == 2


def test_absent_in_exactly_three_different_months_is_flagged(tree):
    member = tree.member_a1
    hold(tree.cell_a1, at(2025, 1, 4), {member: A})
    hold(tree.cell_a1, at(2025, 1, 20), {member: A})
    hold(tree.cell_a1, at(2025, 2, 4), {member: A})
    assert selectors.absent_members(unit=tree.cell_a1, year=2025, today=END_2025) == []

    hold(tree.cell_a1, at(2025, 3, 4), {member: A})

    [row] = selectors.absent_members(unit=tree.cell_a1, year=2025, today=END_2025)
    assert row.member == member
    assert row.absent_months == (1, 2, 3)


def test_absences_with_an_accepted_excuse_do_not_count(tree):
    member = tree.member_a1
    hold(tree.cell_a1, at(2025, 1, 4), {member: A})
    hold(tree.cell_a1, at(2025, 2, 4), {member: A})
    hold(tree.cell_a1, at(2025, 3, 4), {member: E})
    april = hold(tree.cell_a1, at(2025, 4, 4), {member: A})
    row = Attendance.objects.get(meeting=april, member=member)
    Attendance.objects.filter(pk=row.pk).update(excuse_reason="Nằm viện", excuse=ExcuseDecision.PENDING)

    services.excuse_decide(actor=tree.users["secretary_a1"], attendance=row, accept=True)

    assert selectors.absent_members(unit=tree.cell_a1, year=2025, today=END_2025) == []


def test_a_new_year_resets_the_count(tree):
    member = tree.member_a1
    hold(tree.cell_a1, at(2024, 11, 4), {member: A})
    hold(tree.cell_a1, at(2024, 12, 4), {member: A})
    hold(tree.cell_a1, at(2025, 1, 4), {member: A})
    hold(tree.cell_a1, at(2025, 2, 4), {member: A})

    assert selectors.absent_members(unit=tree.cell_a1, year=2024, today=END_2025) == []
    assert selectors.absent_members(unit=tree.cell_a1, year=2025, today=END_2025) == []


def test_the_secretary_is_told_once_per_member_and_year(tree, django_capture_on_commit_callbacks):
    member = tree.member_a1
    with django_capture_on_commit_callbacks(execute=True):
        for month in (1, 2, 3, 4):
            hold(tree.cell_a1, at(2025, month, 4), {member: A})

    inbox = Notification.objects.filter(user=tree.users["secretary_a1"], kind="meeting_absences")
    assert inbox.count() == 1
    assert inbox.get().dedupe_key == f"meetings:absent:{member.pk}:2025"
    assert AbsenceFlag.objects.filter(member=member, year=2025).count() == 1
    assert services.absence_flags_record(unit=tree.cell_a1, year=2025) == []
    assert not Notification.objects.filter(user=tree.users["member_a1"], kind="meeting_absences").exists()
