"""The demo data, loaded small through the same code path as `make run`."""

import datetime
import io

import pytest
from django.contrib.auth import authenticate
from django.contrib.contenttypes.models import ContentType
from django.core.management import CommandError, call_command
from django.db import transaction
from django.db.models import F
from django.test import RequestFactory
from django.utils import timezone

from accounts.choices import Permission, RoleKind
from accounts.models import User
from accounts.scoping import granted_unit_paths
from audit.choices import ChangeAction, ChangeSource
from audit.models import ChangeLog
from common.tests import clock
from demo import story as demo_story
from demo import world as demo
from members.choices import IneligibilityReason, MemberStatus, Standing
from members.models import Member
from orgunits.choices import CELL_KINDS, RESIDENCE_AREA_KINDS, UnitKind
from orgunits.models import AdminArea, Unit
from rollout.choices import TeamKind
from rollout.models import Team
from rollout.selectors import team_worklist

# The test settings run with DEBUG off, like production: the demo needs to be let in explicitly.
SMALL = {"members": 600, "cells": 22, "small_members": 60, "small_cells": 5, "seed": 1, "allow_production": True}


def load(**options) -> str:
    out = io.StringIO()
    call_command("load_demo", stdout=out, **(SMALL | options))
    return out.getvalue()


@pytest.fixture(scope="class")
def demo_data(django_db_setup, django_db_blocker):
    """One small load shared by the tests of a class; each test still runs in its own rolled-back transaction."""
    # One outer transaction rolled back at the end (as Django's TestCase.setUpClass does): the story's rows hold
    # each other with PROTECT foreign keys, and rolling back undoes them all at once.
    with django_db_blocker.unblock(), clock.pinned(), transaction.atomic():
        load()
        yield
        transaction.set_rollback(True)


def members_under(code: str):
    return Member.objects.filter(unit__path__startswith=Unit.objects.get(code=code).path)


@pytest.mark.usefixtures("demo_data")
class TestTheDemoData:
    def test_both_communes_get_the_members_and_cells_asked_for(self, db):
        assert members_under(demo.LARGE_CODE).count() == 600
        assert members_under(demo.SMALL_CODE).count() == 60
        large = Unit.objects.get(code=demo.LARGE_CODE)
        large_cells = Unit.objects.filter(path__startswith=large.path, kind__in=CELL_KINDS)
        assert large_cells.count() == SMALL["cells"]
        assert not large_cells.filter(members__isnull=True).exists(), "every cell has members"
        assert Unit.objects.filter(kind=UnitKind.GRASSROOTS_COMMITTEE, path__startswith=large.path).count() == 3
        assert Unit.objects.get(code="TW").kind == UnitKind.CENTRAL

    def test_the_province_and_its_communes_carry_their_official_names_and_codes(self, db):
        served = {
            unit.code: (unit.area.name, unit.area.official_code)
            for unit in Unit.objects.filter(code__in=[demo.PROVINCE_CODE, demo.LARGE_CODE, demo.SMALL_CODE])
        }
        assert served == {
            demo.PROVINCE_CODE: ("Tỉnh Hưng Yên", "33"),
            demo.LARGE_CODE: ("Phường Phố Hiến", "11953"),
            demo.SMALL_CODE: ("Xã Đức Hợp", "12313"),
        }

    def test_every_demo_member_passes_the_member_rules(self, db):
        for member in Member.objects.select_related("unit", "residence_area"):
            member.full_clean()

    def test_demo_members_look_like_a_residential_roll(self, db):
        members = Member.objects.all()
        total = members.count()
        residential = members.filter(unit__area__kind__in=RESIDENCE_AREA_KINDS)
        assert residential.filter(date_of_birth__year__lt=1966).count() > residential.count() / 2, "they are old"
        assert members.filter(standing=Standing.PROBATIONARY, official_on__isnull=True).exists()
        assert members.filter(citizen_id__isnull=True).count() < total * 0.1
        assert members.filter(phone="").count() < total * 0.25
        assert members.filter(is_police=True).exists() and members.filter(is_army=True).exists()
        assert all(" " in name and name == name.strip() for name in members.values_list("full_name", flat=True))

    def test_exempt_members_are_never_eligible(self, db):
        exempt = Member.objects.filter(status=MemberStatus.EXEMPT)
        assert exempt.exists()
        assert not exempt.filter(is_eligible=True).exists()
        assert set(exempt.values_list("ineligibility_reason", flat=True)) == {IneligibilityReason.EXEMPT}
        assert Member.objects.filter(status=MemberStatus.ACTIVE, ineligibility_reason="no_smartphone").exists()

    def test_members_who_left_or_died_stay_in_their_cells(self, db):
        left = Member.objects.filter(status=MemberStatus.LEFT)
        deceased = Member.objects.filter(status=MemberStatus.DECEASED)
        assert left.exists() and deceased.exists()
        assert not left.filter(left_on__isnull=True).exists()
        assert not deceased.filter(died_on__isnull=True).exists()
        assert {member.unit.kind for member in [*left, *deceased]} <= CELL_KINDS

    def test_residential_cells_serve_their_village_and_most_members_live_there(self, db):
        cell = Unit.objects.get(code=demo.DEMO_CELL_CODE)
        assert cell.area.kind in RESIDENCE_AREA_KINDS
        assert cell.members.filter(residence_area=cell.area).count() > cell.members.count() / 2
        villages = AdminArea.objects.filter(kind__in=RESIDENCE_AREA_KINDS)
        assert villages.count() == Unit.objects.filter(area__kind__in=RESIDENCE_AREA_KINDS).count()

    def test_every_demo_login_signs_in_and_sees_only_its_own_subtree(self, db):
        request = RequestFactory().post("/")
        for login in demo.DEMO_LOGINS:
            user = authenticate(request, username=login.username, password=demo.DEMO_PASSWORD)
            assert user is not None, login.username
            assert user.first_name and user.last_name, login.username
            assert granted_unit_paths(user, Permission.UNIT_VIEW) == [Unit.objects.get(code=login.unit_code).path]

    def test_only_the_widest_logins_reach_the_small_commune(self, db):
        small = Unit.objects.get(code=demo.SMALL_CODE)
        reaching = {
            user.username
            for user in User.objects.all()
            if any(small.path.startswith(path) for path in granted_unit_paths(user, Permission.UNIT_VIEW))
        }
        assert reaching == {"tinhuy", "xem", "canbo2"}

    def test_the_demo_supporter_works_from_a_team_worklist_of_one_village_and_reads_no_record(self, db):
        supporter = User.objects.get(username="hotro")
        team = Team.objects.get(memberships__user=supporter)
        cell = Unit.objects.get(code=demo.DEMO_CELL_CODE)

        worklist = team_worklist(team=team)

        assert worklist
        assert {row.member.residence_area_id for row in worklist} <= set(
            AdminArea.objects.filter(path__startswith=cell.area.path).values_list("pk", flat=True)
        )
        assert len(worklist) < members_under(demo.LARGE_CODE).count()
        assert granted_unit_paths(supporter, Permission.MEMBER_VIEW) == []

    def test_the_demo_member_signs_in_with_phone_or_citizen_id(self, db):
        user = demo.demo_member_user()
        member = user.member
        assert member.unit.code == demo.DEMO_CELL_CODE and member.status == MemberStatus.ACTIVE
        assert user.roles.get().role == RoleKind.MEMBER
        request = RequestFactory().post("/")
        for identifier in (member.phone, member.citizen_id):
            assert authenticate(request, username=identifier, password=demo.DEMO_PASSWORD) == user, identifier

    def test_every_member_creation_is_logged_as_coming_from_a_command(self, db):
        creations = ChangeLog.objects.filter(
            object_type=ContentType.objects.get_for_model(Member), action=ChangeAction.CREATE
        )
        assert set(creations.values_list("object_id", flat=True)) == set(Member.objects.values_list("pk", flat=True))
        assert set(ChangeLog.objects.values_list("source", flat=True)) == {ChangeSource.COMMAND}
        assert set(creations.values_list("reason", flat=True)) == {demo.DEMO_REASON}

    def test_if_empty_loads_nothing_the_second_time(self, db):
        counts = (Unit.objects.count(), Member.objects.count(), User.objects.count(), ChangeLog.objects.count())

        output = load(if_empty=True)

        assert "không tải" in output
        assert (Unit.objects.count(), Member.objects.count(), User.objects.count(), ChangeLog.objects.count()) == counts

    def test_loading_again_without_if_empty_is_refused(self, db):
        with pytest.raises(CommandError, match="trống"):
            load()
        assert Member.objects.count() == 660

    def test_demo_logins_prints_the_logins_and_how_the_demo_member_signs_in(self, db):
        out = io.StringIO()
        call_command("demo_logins", stdout=out)

        output = out.getvalue()
        member = demo.demo_member_user().member
        for username in demo.DEMO_USERNAMES:
            assert f"  {username} " in output
        assert demo.DEMO_PASSWORD in output
        assert member.phone in output and member.citizen_id in output

    def test_demo_logins_says_which_logins_need_the_second_step(self, db, settings):
        settings.TWO_FACTOR_ENFORCED = True
        out = io.StringIO()
        call_command("demo_logins", stdout=out)

        notice = next(line for line in out.getvalue().splitlines() if "xác thực hai bước" in line)
        assert "admin" in notice and "dangvien," not in notice and "TWO_FACTOR_ENFORCED=0" in notice
        assert "xem" in notice and "hotro" not in notice

    def test_demo_logins_hides_a_changed_password(self, db):
        user = User.objects.get(username="admin")
        user.set_password("mat-khau-rieng-2026")
        user.save()
        out = io.StringIO()
        call_command("demo_logins", stdout=out)

        admin_line = next(line for line in out.getvalue().splitlines() if line.startswith("  admin "))
        assert demo.DEMO_PASSWORD not in admin_line and "đã đổi" in admin_line


def test_the_demo_is_refused_with_debug_off_unless_allowed(db, settings):
    settings.DEBUG = False

    with pytest.raises(CommandError, match="DEBUG"):
        load(allow_production=False)
    assert not Unit.objects.exists()


def test_the_same_seed_gives_the_same_people(db):
    def people(seed: int) -> list[tuple]:
        with transaction.atomic():
            demo.load_demo(members=60, cells=12, small_members=15, small_cells=2, seed=seed)
            rows = list(Member.objects.order_by("pk").values_list("full_name", "date_of_birth", "citizen_id", "phone"))
            transaction.set_rollback(True)
        return rows

    assert people(7) == people(7)
    assert people(7) != people(8)


def test_demo_logins_says_so_when_there_is_no_demo_data(db):
    out = io.StringIO()
    call_command("demo_logins", stdout=out)
    assert out.getvalue().startswith("Chưa có dữ liệu mẫu")


def figures_of(code: str):
    from rollout.selectors import unit_figures

    return unit_figures(unit=Unit.objects.get(code=code))


@pytest.mark.usefixtures("demo_data")
class TestTheDemoTellsTheRolloutStory:
    """The ward eight weeks into the rollout, as the seed articles tell it (members/demo_story.py)."""

    def test_the_ward_reaches_about_the_seed_figures_and_the_small_commune_lags(self, db):
        ward = figures_of(demo.LARGE_CODE)
        assert 90 <= ward.percent_of_members <= 94, "about 92 % of all members"
        assert 100 < ward.percent_of_eligible <= 115, "above 100 % of the eligible: exempt members activate too"
        assert 70 <= figures_of(demo.SMALL_CODE).percent_of_members <= 80

    def test_about_half_of_those_activated_have_confirmed_their_record_and_the_counters_agree(self, db):
        from rollout.recount import find_differences

        ward = figures_of(demo.LARGE_CODE)
        assert 0.35 * ward.activated <= ward.verified <= 0.55 * ward.activated
        assert find_differences() == []

    def test_activations_are_spread_over_the_last_eight_weeks_and_continue_this_week(self, db):
        from rollout.selectors import activation_trend

        ward = Unit.objects.get(code=demo.LARGE_CODE)
        trend = activation_trend(unit=ward, days=57)
        days_with_activations = sum(1 for before, after in zip(trend, trend[1:], strict=False) if after[1] > before[1])
        assert trend[0][1] < trend[-1][1] * 0.1, "almost nobody had activated eight weeks ago"
        assert days_with_activations >= 25
        assert trend[-1][1] - trend[-8][1] > 0, "someone activated this week"
        from transfers.models import Transfer

        # The roll was there from the start; today one member's letter out of Sổ tay takes them off it.
        departed = Transfer.objects.filter(stage="departed", kind="official", from_unit__path__startswith=ward.path)
        assert all(members == trend[0][2] for _day, _activated, members in trend[:-1])
        assert trend[-1][2] == trend[0][2] - departed.count() == trend[0][2] - 1
        activated_at = User.objects.filter(member__isnull=False, activated_at__isnull=False).values_list(
            "activated_at", flat=True
        )
        assert min(activated_at).date() >= clock.TODAY - datetime.timedelta(days=57)
        assert max(activated_at).date() <= clock.TODAY

    def test_some_cells_lag_and_the_demo_cell_is_one_of_them(self, db):
        from rollout.selectors import child_figures

        ward = Unit.objects.get(code=demo.LARGE_CODE)
        cells = [figure for figure in child_figures(unit=ward) if figure.unit.kind in CELL_KINDS]
        ward_share = figures_of(demo.LARGE_CODE).percent_of_members
        assert sum(1 for figure in cells if figure.percent_of_members < ward_share - 8) >= 1
        assert figures_of(demo.DEMO_CELL_CODE).percent_of_members < ward_share

    def test_every_demo_login_counts_as_activated(self, db):
        assert not User.objects.filter(username__in=demo.DEMO_USERNAMES, activated_at__isnull=True).exists()

    def test_the_forecast_is_a_near_date_not_centuries_away(self, db):
        from rollout.selectors import activation_trend, target_date

        for code in (demo.PROVINCE_CODE, demo.LARGE_CODE, demo.SMALL_CODE):
            unit = Unit.objects.get(code=code)
            day = target_date(figures=figures_of(code), trend=activation_trend(unit=unit, days=30))
            assert day is None or day <= clock.TODAY + datetime.timedelta(days=366), code

    def test_support_teams_of_several_kinds_helped_at_meetings_at_home_and_online(self, db):
        from rollout.choices import HelpPlace
        from rollout.models import HelpSession, TeamMember

        assert set(Team.objects.values_list("kind", flat=True)) == set(TeamKind.values)
        assert len(set(TeamMember.objects.values_list("affiliation", flat=True))) >= 3
        places = set(HelpSession.objects.values_list("place", flat=True))
        assert {HelpPlace.CELL_MEETING, HelpPlace.HOME, HelpPlace.REMOTE} <= places
        assert figures_of(demo.LARGE_CODE).help_sessions > 0

    def test_the_demo_cell_has_past_meetings_with_attendance_and_a_next_one(self, db):
        from meetings.choices import Presence
        from meetings.models import Meeting

        meetings = Meeting.objects.filter(unit__code=demo.DEMO_CELL_CODE)
        past = meetings.filter(starts_at__lt=timezone.now())
        assert past.count() == 2
        for meeting in past:
            assert meeting.attendances.filter(presence=Presence.PRESENT).count() > meeting.attendances.count() / 2
        assert meetings.filter(starts_at__gt=timezone.now()).count() == 1

    def test_the_last_meeting_has_comments_and_a_closed_vote_whose_result_is_in_the_minutes(self, db):
        from meetings.models import Meeting

        meeting = (
            Meeting.objects.filter(unit__code=demo.DEMO_CELL_CODE, starts_at__lt=timezone.now())
            .order_by("-starts_at")
            .first()
        )
        assert meeting.comments.count() == 3
        assert all(comment.created_at < meeting.starts_at for comment in meeting.comments.all())
        vote = meeting.votes.get()
        assert vote.closed_at is not None and vote.is_passed
        assert vote.matter in meeting.minutes and meeting.minutes_recorded_at is not None
        taken = meeting.comments.get(taken_into_meeting_at__isnull=False)
        assert taken.text in meeting.minutes

    def test_the_demo_cell_has_a_year_of_dues_a_correction_and_members_in_arrears(self, db):
        from dues.models import LedgerEntry
        from dues.selectors import arrears

        cell = Unit.objects.get(code=demo.DEMO_CELL_CODE)
        today = timezone.localdate()
        entries = LedgerEntry.objects.filter(unit=cell)
        assert entries.filter(method="cash").exists() and entries.filter(method="bank_transfer").exists()
        assert entries.filter(kind="reversal").count() == 1
        behind = arrears(unit=cell, year=today.year, today=today)
        assert 1 <= len(behind) <= 4
        assert any(row.reason for row in behind)

    def test_notices_documents_and_questions_answered_and_waiting(self, db):
        from library.models import Document
        from notices.models import Notice
        from questions.choices import QuestionState
        from questions.models import Question

        assert Notice.objects.filter(published_at__isnull=False).count() >= 2
        assert Document.objects.count() >= 2
        states = set(Question.objects.values_list("state", flat=True))
        assert QuestionState.ANSWERED in states and QuestionState.OPEN in states

    def test_the_ward_and_the_province_have_plans_the_figures_measure_against_and_the_ward_trained_its_people(self, db):
        from rollout.selectors import plan_in_force, plan_progress, training_totals, unit_figures

        ward, small = Unit.objects.get(code=demo.LARGE_CODE), Unit.objects.get(code=demo.SMALL_CODE)
        assert plan_in_force(unit=ward).number == "25-KH/ĐU"
        assert plan_in_force(unit=small).number == "117-KH/TU"
        progress = plan_progress(unit=ward, figures=unit_figures(unit=ward))
        assert progress.status in {"on_track", "behind", "met"} and progress.days_left == 25
        assert training_totals(unit=ward).trained == 42 and training_totals(unit=small).trained == 0

    def test_news_with_pictures_is_on_the_demo_members_home(self, db, client, pinned_clock):
        from django.urls import reverse

        from accounts.models import User
        from notices.choices import NoticeKind
        from notices.models import Notice

        news = Notice.objects.filter(kind=NoticeKind.NEWS, published_at__isnull=False)
        assert news.count() == 3
        assert news.exclude(picture="").count() == 2
        # The story was played on a clock that ticked past the test's pinned moment: look a little later.
        pinned_clock.shift(datetime.timedelta(hours=1))
        client.force_login(User.objects.get(username="dangvien"))
        home = client.get(reverse("handbook:home")).text
        assert "Phường khánh thành nhà văn hoá tổ dân phố số 3" in home
        assert home.count('class="news-picture"') == 2
        with_picture = news.exclude(picture="").first()
        assert client.get(reverse("notices:picture", args=[with_picture.pk])).status_code == 200

    def test_corrections_wait_at_the_cell_the_commune_and_the_province(self, db):
        from corrections.choices import Level
        from corrections.models import CorrectionRequest

        waiting = set(CorrectionRequest.objects.open().values_list("level", flat=True))
        assert {Level.CELL, Level.COMMUNE, Level.PROVINCE} <= waiting

    def test_a_report_campaign_reached_the_villages_some_filed_on_time_some_late_some_missing(self, db):
        from reports.models import Campaign

        campaign = Campaign.objects.get(template__code=demo_story.ROLLOUT_TEMPLATE_CODE, target_tree="places")
        submissions = list(campaign.submissions.all())
        assert campaign.organisation.name == "Ủy ban nhân dân phường Phố Hiến"
        agencies = [submission for submission in submissions if submission.target_organisation_id]
        assert len(agencies) == 2 and all(agency.is_filed for agency in agencies)
        assert len(submissions) > 2 and all(s.target_area_id for s in submissions if s not in agencies)
        on_time = [s for s in submissions if s.is_filed and not s.is_late]
        late = [s for s in submissions if s.is_late]
        assert on_time and late and any(submission.is_overdue for submission in submissions)
        assert all(s.first_submitted_at.date() >= campaign.cutoff_on for s in on_time)
        assert all(not s.events.filter(kind="submitted", note__gt="").exists() for s in on_time)

    def test_each_demo_role_has_something_to_do(self, db):
        from corrections.selectors import queue
        from questions.selectors import question_queue

        bithu, canbo = User.objects.get(username="bithu"), User.objects.get(username="canbo")
        supporter = User.objects.get(username="hotro")
        assert queue(actor=bithu).exists(), "the secretary confirms a correction"
        assert queue(actor=canbo).exists(), "the ward officer decides corrections"
        assert question_queue(actor=bithu).exists() or question_queue(actor=canbo).exists()
        assert team_worklist(team=Team.objects.get(memberships__user=supporter)), "the supporter has members to help"
        from handbook.selectors import today_for

        canbo_today = today_for(user=canbo)
        assert canbo_today.reports_to_file_count == 1, "the ward's own report to the province is due"
        assert canbo_today.lagging_count >= 1
        culture_officer = User.objects.get(username=demo_story.CULTURE_OFFICER_LOGIN)
        assert today_for(user=culture_officer).reports_overdue_count >= 1, "the ward's campaign has late villages"
        head = User.objects.get(username="truongthon")
        assert today_for(user=head).reports_to_file_count == 1, "the head files the residential group's report"
        member = demo.demo_member_user()
        from meetings.selectors import next_meeting_for

        assert next_meeting_for(user=member) is not None, "the member has a meeting to go to"

    def test_the_year_end_rating_is_half_done_and_the_demo_member_has_a_self_review_to_file(self, db):
        from rating.choices import Stage
        from rating.models import MemberRating

        cell = MemberRating.objects.filter(unit__code=demo.DEMO_CELL_CODE)
        stages = {stage: cell.filter(stage=stage).count() for stage in Stage.values}
        rated = cell.exclude(stage=Stage.EXCLUDED).count()
        filed = rated - stages[Stage.WAITING]
        assert 0.4 * rated <= filed <= 0.6 * rated
        assert stages[Stage.CELL_PROPOSED] >= 1 and stages[Stage.DECIDED] >= 1
        assert cell.get(member__user__username="dangvien").stage == Stage.WAITING

    def test_members_of_the_ward_institutions_registered_where_they_live_one_refused_some_with_feedback(self, db):
        from residence.choices import RegistrationStatus
        from residence.models import Feedback, Registration

        ward = Registration.objects.filter(work_unit__path__startswith=Unit.objects.get(code=demo.LARGE_CODE).path)
        assert ward.count() == ward.filter(residential_unit__area=F("member__residence_area")).count() == 8
        assert ward.filter(status=RegistrationStatus.REFUSED).count() == 1
        assert ward.filter(status=RegistrationStatus.ACCEPTED).count() == 7
        assert Feedback.objects.filter(registration__in=ward).count() == 4

    def test_transfers_stand_at_each_step_one_late_on_each_side(self, db):
        from common.dates import today
        from transfers import selectors
        from transfers.choices import Route, Stage
        from transfers.models import Transfer

        stages = {stage: Transfer.objects.filter(stage=stage).count() for stage in Stage.values}
        assert stages[Stage.APPLIED] == 2 and stages[Stage.ISSUED] == 2
        assert stages[Stage.RECEIVED] == 2 and stages[Stage.DEPARTED] == 1
        assert Transfer.objects.filter(route=Route.BETWEEN_COMMUNES).count() == 2
        assert Transfer.objects.filter(kind="temporary", stage=Stage.RECEIVED).count() == 1
        late = selectors.late(actor=User.objects.get(username="canbo"), day=today())
        assert {transfer.stage for transfer in late} == {Stage.APPLIED, Stage.ISSUED} and late.count() == 2

    def test_the_demo_bank_statement_is_matched_by_the_dues_import_but_for_the_credit_that_is_not_dues(
        self, db, tmp_path
    ):
        from dues.services import statement_import

        path = tmp_path / "sao-ke.csv"
        call_command("demo_bank_statement", out=str(path), stdout=io.StringIO())
        lines = path.read_text(encoding="utf-8").splitlines()
        assert len(lines) >= 3, "a heading, at least one member's transfer and the credit that is not dues"

        entries = statement_import(
            actor=User.objects.get(username="bithu"),
            unit=Unit.objects.get(code=demo.DEMO_CELL_CODE),
            name="sao-ke.csv",
            content=path.read_bytes(),
        )

        assert len(entries) == len(lines) - 2
        assert all(entry.method == "bank_transfer" and entry.bank_reference.startswith("FT") for entry in entries)

    def test_the_demo_member_finds_the_transfer_procedure_in_the_guide(self, db):
        from guide.selectors import entry_list

        found = entry_list(actor=demo.demo_member_user(), search="chuyen sinh hoat", topic="transfer")
        assert found.count() == 2

    def test_the_study_of_the_resolution_is_half_done_and_left_to_do_for_the_demo_member(self, db):
        from study.models import StudyAssignment
        from study.selectors import own_assignments_to_do, study_figures

        assignment = StudyAssignment.objects.get(title__startswith="Học tập, quán triệt")
        officer = User.objects.get(username="canbo")
        cell = Unit.objects.get(code=demo.DEMO_CELL_CODE)
        total, _children = study_figures(actor=officer, assignment=assignment, unit=cell)
        assert assignment.questions.count() == 5
        assert 0 < total.passed < total.studied < total.started < total.members
        assert assignment.progress.filter(marked_meeting__isnull=False).exists(), "the secretary marked some"
        assert assignment.progress.filter(attempts__passed=False).exists(), "some failed an attempt"
        member = demo.demo_member_user()
        assert assignment in own_assignments_to_do(user=member, limit=5)
        assert not assignment.progress.filter(member_id=member.member_id).exists()

    def test_the_demo_member_shows_a_card_with_a_photo_and_one_photo_waits_for_the_committee(self, db):
        from cards.choices import PhotoStatus
        from cards.models import CardPhoto
        from cards.selectors import approved_photo

        member = demo.demo_member_user().member
        photo = approved_photo(member)
        assert photo is not None and photo.file.read(8) == b"\x89PNG\r\n\x1a\n"
        cell_photos = CardPhoto.objects.filter(member__unit=member.unit)
        assert cell_photos.filter(status=PhotoStatus.APPROVED).count() > 2
        assert cell_photos.filter(status=PhotoStatus.PENDING).count() == 1
