"""The demo's story: the large ward eight weeks into the rollout, as the seed articles tell it.

Everything goes through the services, like the rest of the demo. Dates are counted back from the demo's
"today" (the real date when a user loads it, the pinned date in tests):

- the roll as it stood when the rollout began, then activations spread over the last eight weeks (most at
  the cells' monthly meetings, the rest at home or online), reaching about the Bắc Từ Liêm figures in the
  ward (about 92 % of all members, above 100 % of the eligible, since exempt members activate too) and about
  the 74 % of the other article in the small commune, with a few cells lagging (the demo cell among them, so
  its secretary and the supporter have work to do);
- support teams of several kinds (the youth union, the school's IT teachers, the ward police, the community
  digital technology team) and their help sessions at meetings, at home and online;
- the demo cell's meetings: two past ones with attendance, the next one scheduled;
- notices and documents from the ward and the province; members' questions, answered and waiting;
- correction requests waiting at the cell, the commune and the province;
- a report campaign to the villages on the rollout template, due yesterday: some filed on time, some late, some
  still missing.
"""

import dataclasses
import datetime
import random

from django.utils import timezone

from accounts.choices import ActivationChannel, CivicRoleKind, RoleKind
from accounts.models import User
from accounts.officers.civic import civic_role_grant
from accounts.registration import user_create
from admission.demo import demo_admission
from cards.demo import demo_cards
from corrections.choices import Decision
from corrections.services import correction_request_create, correction_request_decide
from dues.choices import PAYING_STATUSES
from dues.rules import DuesRules
from dues.services import (
    PaymentLine,
    arrears_reason_record,
    bank_account_set,
    payment_correct,
    payments_record,
    profile_record,
)
from guide.demo import demo_guide
from library.choices import DocumentKind
from library.services import document_publish
from meetings.choices import MeetingKind, Presence
from meetings.selectors import comments_quote, expected_members, voters_present
from meetings.services import (
    attendance_mark_many,
    comment_add,
    comment_answer,
    meeting_create,
    minutes_record,
    vote_close,
    vote_open,
)
from members.choices import CURRENT_STATUSES
from members.models import Member
from notices.demo import demo_news
from notices.services import notice_create
from orgunits.choices import RESIDENCE_AREA_KINDS, AreaKind, OrganisationKind, UnitKind
from orgunits.models import AdminArea, Organisation, Unit
from orgunits.services import organisation_create
from questions.choices import Addressee
from questions.services import question_answer, question_ask
from rating.demo import demo_rating
from reports.choices import PLACE_KINDS_SEPARATOR, EventKind, TargetTree
from reports.models import Campaign, Submission
from reports.presets import ROLLOUT_RESULTS
from reports.services import campaign_issue, submission_save, submission_submit, template_create
from residence.demo import demo_residence
from rollout.activation.services import account_activate, accounts_activate_in_bulk
from rollout.choices import Affiliation, HelpOutcome, HelpPlace, HelpTopic, TeamKind
from rollout.models import UnitDailyDelta
from rollout.services import (
    help_session_log,
    member_verifications_recorded_in_bulk,
    plan_create,
    team_create,
    team_member_add,
    training_record,
)
from study.demo import demo_study
from transfers.demo import demo_transfers

from .helpers import DEMO_PASSWORD, DEMO_REASON, lower_first, weighted

ROLLOUT_DAYS = 56
# Share of current members activated by today: the ward as in the Bắc Từ Liêm article, the small commune as in
# the 74.24 % of the other report.
LARGE_TARGET = 0.921
SMALL_TARGET = 0.745
# Cells that lag behind (the demo cell is always one): their members activate this much less often.
LAGGING_SHARE = 0.08
LAGGING_FACTOR = 0.35
# How much more often an eligible member activates than one not judged eligible (exempt, old, no smartphone).
ELIGIBLE_WEIGHT = 6.0
HELP_SESSIONS = 120
# Share of those activated who have checked their own record and confirmed it.
VERIFIED_SHARE = 0.45
ROLLOUT_TEMPLATE_CODE = "BC-STDV"


@dataclasses.dataclass(frozen=True)
class StateLogin:
    """A demo login with a role outside the party (accounts.CivicRole): it reaches reports only."""

    username: str
    kind: str
    description: str
    last_name: str
    first_name: str


CULTURE_OFFICER_LOGIN = "vanhoa_xa"
STATE_LOGINS = (
    StateLogin(
        CULTURE_OFFICER_LOGIN,
        CivicRoleKind.CULTURE_SOCIETY_OFFICER,
        "Công chức Văn hóa - Xã hội, UBND phường",
        "Trần Thị",
        "Mai",
    ),
    StateLogin("truongthon", CivicRoleKind.VILLAGE_HEAD, "Tổ trưởng tổ dân phố", "Ngô Văn", "Bình"),
)

# (username, name, affiliation): the helpers the articles name, none of whom signs in.
HELPERS = (
    ("dtn.phohien1", "Trần Minh Quân", Affiliation.YOUTH_UNION),
    ("dtn.phohien2", "Nguyễn Thu Trang", Affiliation.YOUTH_UNION),
    ("dtn.phohien3", "Vũ Đức Anh", Affiliation.YOUTH_UNION),
    ("gv.tinhoc1", "Phạm Thị Hương", Affiliation.TEACHER),
    ("gv.tinhoc2", "Đỗ Văn Thành", Affiliation.TEACHER),
    ("csxd.phohien1", "Lê Văn Hùng", Affiliation.POLICE),
    ("csxd.phohien2", "Bùi Quang Huy", Affiliation.POLICE),
)


def tell(
    *,
    builder,
    plans,
    rosters,
    users: dict[str, User],
    units: dict[str, Unit],
    province_code,
    large_code,
    small_code,
    cell_code,
):
    """Play the rollout's last eight weeks onto the freshly loaded province."""
    story = _Story(builder=builder, plans=plans, rosters=rosters, users=users, units=units)
    story.province = units[province_code]
    story.roll_as_it_began()
    story.activations(large_code=large_code, small_code=small_code, cell_code=cell_code)
    teams = story.teams(commune=units[large_code], cell=units[cell_code])
    story.help_sessions(teams)
    story.meetings(cell=units[cell_code])
    story.dues(cell=units[cell_code])
    story.notices_and_documents(commune=units[large_code])
    story.questions(cell=units[cell_code])
    story.corrections(cell=units[cell_code], commune=units[large_code])
    story.report_campaign(commune=units[large_code])
    demo_rating(
        rng=story.rng,
        commune=units[large_code],
        cell=units[cell_code],
        officer=users["canbo"],
        secretary=users["bithu"],
        keep_for=users["dangvien"],
        today=story.today,
        at=story.at,
    )
    demo_residence(commune=units[large_code], officer=users["canbo"], today=story.today)
    demo_guide(commune=units[large_code], officer=users["canbo"])
    demo_study(
        rng=story.rng,
        commune=units[large_code],
        cell=units[cell_code],
        officer=users["canbo"],
        secretary=users["bithu"],
        keep_for=users["dangvien"],
        today=story.today,
    )
    demo_cards(cell=units[cell_code], secretary=users["bithu"], keep_for=users["dangvien"])
    demo_transfers(
        commune=units[large_code],
        small_commune=units[small_code],
        cell=units[cell_code],
        officer=users["canbo"],
        small_officer=users["canbo2"],
        province_admin=users["tinhuy"],
        secretary=users["bithu"],
        keep_for=users["dangvien"],
        today=story.today,
    )
    demo_admission(cell=units[cell_code], secretary=users["bithu"], today=story.today)


class _Story:
    def __init__(self, *, builder, plans, rosters, users, units):
        self.rng: random.Random = builder.rng
        self.today: datetime.date = builder.today
        self.start = self.today - datetime.timedelta(days=ROLLOUT_DAYS)
        self.plans = plans
        self.rosters = rosters
        self.users = users
        self.units = units
        self.lagging: set[str] = set()

    def at(self, day: datetime.date, hour: int = 9, minute: int = 0) -> datetime.datetime:
        """A time on `day` in Việt Nam, never later than now (the demo's "today" is partly gone)."""
        moment = timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))
        return min(moment, timezone.now() - datetime.timedelta(minutes=5))

    def roll_as_it_began(self) -> None:
        """The members came onto the roll before the rollout began: their figures count from the day before it,
        so that the trend's first day compares activations with the whole roll (derived data, rewritten in the
        same transaction as the load)."""
        UnitDailyDelta.objects.filter(day=self.today).update(day=self.start - datetime.timedelta(days=1))

    # -- activations -------------------------------------------------------------------------------

    def activations(self, *, large_code: str, small_code: str, cell_code: str) -> None:
        rng = self.rng
        cells = [plan.unit for plan in self.plans]
        lagging_count = max(1, round(len(cells) * LAGGING_SHARE))
        self.lagging = {cell_code, *(cell.code for cell in rng.sample(cells, lagging_count))}
        # Each cell holds its monthly meeting on a fixed day: most activations happen there.
        meeting_day = {cell.code: rng.randint(3, 25) for cell in cells}
        chosen: list[tuple[Member, datetime.datetime]] = []
        for commune_code, target in ((large_code, LARGE_TARGET), (small_code, SMALL_TARGET)):
            current = [
                member
                for plan in self.plans
                if plan.unit.code.startswith(commune_code)
                for member in self.rosters[plan.unit.code]
                if member.status in CURRENT_STATUSES
            ]
            ranked = []
            for member in current:
                weight = ELIGIBLE_WEIGHT if member.is_eligible else 1.0
                if member.unit.code in self.lagging:
                    weight *= LAGGING_FACTOR
                # Weighted sampling without replacement (Efraimidis–Spirakis): the largest keys are drawn.
                ranked.append((rng.random() ** (1 / weight), member))
            ranked.sort(key=lambda pair: pair[0], reverse=True)
            for _key, member in ranked[: round(len(current) * target)]:
                chosen.append((member, self.at(self._activation_day(member, meeting_day), *self._hour())))
        logins = {user.member_id for user in self.users.values() if user.member_id}
        accounts_activate_in_bulk(
            actor=None,
            activations=[(member, when) for member, when in chosen if member.pk not in logins],
            channel=ActivationChannel.SLIP_CODE,
        )
        # Every demo login signs in: each counts as activated (today, when the demo hands them out).
        for user in self.users.values():
            account_activate(actor=None, user=user, channel=ActivationChannel.OTHER)
        # Some of those activated have checked their own record and confirmed it, within a week of activating.
        member_verifications_recorded_in_bulk(
            verifications=[
                (member, min(when + datetime.timedelta(days=rng.randint(0, 6)), timezone.now()))
                for member, when in chosen
                if rng.random() < VERIFIED_SHARE
            ]
        )

    def _activation_day(self, member: Member, meeting_day: dict[str, int]) -> datetime.date:
        rng = self.rng
        lagging = member.unit.code in self.lagging
        if rng.random() < (0.3 if lagging else 0.6):
            # At one of the two monthly meetings in the eight weeks (the later one for a lagging cell).
            meetings = [
                day
                for day in (_on_day(self.start, meeting_day[member.unit.code], months) for months in (0, 1, 2))
                if self.start <= day <= self.today
            ]
            if meetings:
                return meetings[-1] if lagging else rng.choice(meetings)
        # Otherwise at home or online, more often early on, with a tail to this week.
        fraction = rng.betavariate(2.2, 1.3) if lagging else rng.betavariate(1.4, 1.8)
        return self.start + datetime.timedelta(days=min(ROLLOUT_DAYS, int(fraction * (ROLLOUT_DAYS + 1))))

    def _hour(self) -> tuple[int, int]:
        return self.rng.choice((8, 9, 10, 14, 15, 16, 19, 20)), self.rng.randrange(60)

    # -- teams and help ----------------------------------------------------------------------------

    def teams(self, *, commune: Unit, cell: Unit) -> list:
        """The community digital technology team of the demo cell's area (the "hotro" login) and three more:
        the youth union's team for the whole ward, the school's IT teachers, the ward police."""
        supporter = self.users["hotro"]
        area_team = team_create(
            actor=None,
            unit=commune,
            name=f"Tổ công nghệ số cộng đồng {cell.area.name if cell.area else cell.name}",
            kind=TeamKind.COMMUNITY_DIGITAL_TEAM,
            area=cell.area,
            reason="Dữ liệu mẫu",
        )
        team_member_add(actor=None, team=area_team, user=supporter, affiliation=Affiliation.YOUTH_UNION)
        helpers = {}
        for username, name, affiliation in HELPERS:
            family, _space, given = name.rpartition(" ")
            helpers[username] = (
                user_create(actor=None, username=username, password=None, first_name=given, last_name=family),
                affiliation,
            )
        youth = team_create(
            actor=None, unit=commune, name="Tổ hỗ trợ Đoàn Thanh niên phường", kind=TeamKind.SUPPORT_TEAM
        )
        teachers = team_create(actor=None, unit=commune, name="Tổ hỗ trợ giáo viên tin học", kind=TeamKind.SUPPORT_TEAM)
        police = team_create(actor=None, unit=commune, name="Tổ hỗ trợ Công an phường", kind=TeamKind.SUPPORT_TEAM)
        for team, prefix in ((youth, "dtn."), (teachers, "gv."), (police, "csxd.")):
            for username, (user, affiliation) in helpers.items():
                if username.startswith(prefix):
                    team_member_add(actor=None, team=team, user=user, affiliation=affiliation)
        team_member_add(
            actor=None, team=area_team, user=helpers["dtn.phohien1"][0], affiliation=Affiliation.YOUTH_UNION
        )
        return [
            (area_team, [supporter, helpers["dtn.phohien1"][0]]),
            (youth, [helpers[name][0] for name in ("dtn.phohien1", "dtn.phohien2", "dtn.phohien3")]),
            (teachers, [helpers[name][0] for name in ("gv.tinhoc1", "gv.tinhoc2")]),
            (police, [helpers[name][0] for name in ("csxd.phohien1", "csxd.phohien2")]),
        ]

    def help_sessions(self, teams) -> None:
        """Sessions at meetings (several members at once), at home (hand-holding for the elderly) and online."""
        rng = self.rng
        from rollout.selectors import team_area_members

        places = ((HelpPlace.CELL_MEETING, 45), (HelpPlace.HOME, 35), (HelpPlace.REMOTE, 20))
        outcomes = ((HelpOutcome.DONE, 80), (HelpOutcome.NEEDS_ANOTHER_VISIT, 12), (HelpOutcome.NO_SMARTPHONE, 8))
        per_team = {}
        for team, _helpers in teams:
            pool = list(team_area_members(team).order_by("pk").values_list("pk", flat=True)[:4000])
            per_team[team.pk] = pool
        members = {
            member.pk: member
            for member in Member.objects.filter(pk__in={pk for pool in per_team.values() for pk in pool})
        }
        for number in range(HELP_SESSIONS):
            team, helpers = teams[number % len(teams)]
            pool = per_team[team.pk]
            if not pool:
                continue
            place = weighted(rng, places)
            count = rng.randint(3, 8) if place == HelpPlace.CELL_MEETING else 1
            day = self.start + datetime.timedelta(days=rng.randrange(ROLLOUT_DAYS + 1))
            help_session_log(
                actor=rng.choice(helpers),
                team=team,
                members=[members[pk] for pk in rng.sample(pool, min(count, len(pool)))],
                place=place,
                topic=weighted(
                    rng,
                    (
                        (HelpTopic.INSTALL, 35),
                        (HelpTopic.ACTIVATE, 30),
                        (HelpTopic.LOG_IN, 15),
                        (HelpTopic.UPDATE_INFO, 10),
                        (HelpTopic.LEARN_FEATURES, 10),
                    ),
                ),  # fmt: skip
                outcome=weighted(rng, outcomes),
                is_hand_holding=place == HelpPlace.HOME,
                has_consent=True,
                happened_at=self.at(day, *self._hour()),
            )

    # -- meetings, notices, documents, questions ---------------------------------------------------

    def dues(self, *, cell: Unit) -> None:
        """The demo cell's dues this year (from February 2026, when 01-QĐ/TW took effect): each member's basis, the
        month's collection at the meeting in cash with a receipt each, some paying by transfer, one entry corrected,
        and four members three or more months behind (one with the reason the cell recorded)."""
        rng, secretary = self.rng, self.users["bithu"]
        this_month = self.today.replace(day=1)
        first = max(datetime.date(2026, 2, 1), this_month.replace(month=1))
        months = []
        month = first
        while month < this_month:
            months.append(month)
            month = (month + datetime.timedelta(days=32)).replace(day=1)
        if not months:
            return
        bank_account_set(
            actor=secretary, unit=cell, bank_bin="970405", account_number="2601205123456", account_name="CHI BO"
        )
        members = [member for member in self.rosters[cell.code] if member.status in PAYING_STATUSES]
        rules, due = DuesRules.load(), {}
        for member in members:
            age = self.today.year - member.date_of_birth.year
            if age < 23:
                profile = profile_record(actor=secretary, member=member, starts_on=first, basis="student")
            else:
                basis = "pension" if age >= 60 else "social_insurance_salary"
                amount = 1000 * (rng.randint(3_500, 9_000) if age >= 60 else rng.randint(5_000, 15_000))
                profile = profile_record(actor=secretary, member=member, starts_on=first, basis=basis, amount=amount)
            amount_due = rules.due(month=first, joined_on=member.joined_on, profile=profile, exemptions=[])
            if amount_due:  # fifty years of party age: nothing to pay
                due[member.pk] = amount_due
        members = [member for member in members if member.pk in due]
        behind = {
            member.pk: rng.randint(3, min(5, len(months))) for member in rng.sample(members, min(4, len(members)))
        }
        receipt, entries = 0, []
        for index, month in enumerate(months):
            paid_on = min(month.replace(day=4), self.today)
            cash, transfer = [], []
            for member in members:
                if member.joined_on >= month or len(months) - index <= behind.get(member.pk, 0):
                    continue
                if rng.random() < 0.15:
                    transfer.append(
                        PaymentLine(
                            member=member, amount=due[member.pk], bank_reference=f"FT{month:%y%m}{member.pk:06d}"
                        )
                    )
                else:
                    receipt += 1
                    cash.append(PaymentLine(member=member, amount=due[member.pk], receipt_number=f"BL-{receipt:05d}"))
            for method, lines in (("cash", cash), ("bank_transfer", transfer)):
                if lines:
                    entries += payments_record(
                        actor=secretary, unit=cell, month=month, method=method, paid_on=paid_on, lines=lines
                    )
        # A small demo cell may have no member who pays (all exempt by party age, say): then nothing to correct.
        if entries:
            wrong = entries[-1]
            payment_correct(
                actor=secretary,
                entry=wrong,
                reason="Ghi nhầm số tiền, đối chiếu lại biên lai",
                amount=wrong.amount + 1000,
                bank_reference=wrong.bank_reference,
                receipt_number=wrong.receipt_number,
            )
        if behind:
            first_behind = next(iter(behind))
            arrears_reason_record(
                actor=secretary,
                member=next(member for member in members if member.pk == first_behind),
                year=months[-1].year,
                reason="Điều trị dài ngày tại bệnh viện tỉnh, gia đình đã báo chi bộ",
            )

    def meetings(self, *, cell: Unit) -> None:
        """Two past monthly meetings of the demo cell with attendance (the app installed at the first), the next one
        scheduled. Members commented on the last one's agenda beforehand; it voted its plan by show of hands, and
        its minutes quote the comments taken into it and the vote's result."""
        secretary = self.users["bithu"]
        topics = (
            "Sinh hoạt chi bộ thường kỳ: triển khai cài đặt Sổ tay đảng viên điện tử",
            "Sinh hoạt chi bộ thường kỳ: rà soát, chuẩn hóa thông tin đảng viên",
        )
        for months_ago, topic in zip((2, 1), topics, strict=True):
            day = _on_day(self.today, 4, -months_ago)
            meeting = meeting_create(
                actor=secretary,
                unit=cell,
                topic=topic,
                place="Nhà văn hóa " + (cell.area.name if cell.area else cell.name),
                starts_at=self.at(day, 19, 30),
                kind=MeetingKind.REGULAR,
            )
            if months_ago == 1:
                self._comments(meeting)
            presences = {}
            for member_id in expected_members(meeting=meeting).order_by("pk").values_list("pk", flat=True):
                draw = self.rng.random()
                presences[member_id] = (
                    Presence.PRESENT if draw < 0.82 else Presence.EXCUSED if draw < 0.93 else Presence.ABSENT
                )
            attendance_mark_many(actor=secretary, meeting=meeting, presences=presences)
            if months_ago == 1:
                self._vote_and_minutes(meeting)
        next_day = _on_day(self.today, 4, 1) if self.today.day >= 4 else self.today.replace(day=4)
        meeting_create(
            actor=secretary,
            unit=cell,
            topic="Sinh hoạt chi bộ thường kỳ: sơ kết triển khai Sổ tay đảng viên",
            place="Nhà văn hóa " + (cell.area.name if cell.area else cell.name),
            starts_at=timezone.make_aware(datetime.datetime.combine(next_day, datetime.time(19, 30))),
            kind=MeetingKind.REGULAR,
            agenda="1. Kết quả cài đặt, kích hoạt tài khoản\n2. Đảng viên chưa kích hoạt: phân công hỗ trợ tại nhà",
        )

    def _comments(self, meeting) -> None:
        """Three members comment on the agenda the day before; the secretary takes one into the meeting and answers
        another."""
        texts = (
            "Đề nghị chi bộ phân công đảng viên trẻ hỗ trợ các đồng chí cao tuổi cài đặt Sổ tay tại nhà.",
            "Đề nghị in hướng dẫn sử dụng khổ chữ lớn cho các đồng chí cao tuổi.",
            "Đề nghị thông báo lịch họp qua tin nhắn cho đảng viên chưa dùng điện thoại thông minh.",
        )
        authors = [self.users["dangvien"], *self._member_users(meeting.unit, 2)]
        day_before = meeting.starts_at - datetime.timedelta(days=1)
        comments = [
            comment_add(user=author, meeting=meeting, text=text, now=day_before)
            for author, text in zip(authors, texts, strict=False)
        ]
        secretary = self.users["bithu"]
        comment_answer(actor=secretary, comment=comments[0], taken_into_meeting=True)
        if len(comments) > 2:
            comment_answer(
                actor=secretary, comment=comments[2], answer="Chi uỷ sẽ giao tổ trưởng tổ dân phố báo tin trực tiếp."
            )

    def _vote_and_minutes(self, meeting) -> None:
        """The cell votes its plan for the next month by show of hands; the minutes quote the comments taken into
        the meeting and carry the vote's result (written when it closed)."""
        secretary = self.users["bithu"]
        vote = vote_open(actor=secretary, meeting=meeting, matter="Kế hoạch hỗ trợ cài đặt Sổ tay tháng tới")
        present = voters_present(vote=vote)
        vote_close(actor=secretary, vote=vote, count_for=present - 1, count_against=0, count_abstain=1)
        meeting.refresh_from_db()
        minutes = "\n".join(
            (
                "Chi bộ đánh giá kết quả cài đặt Sổ tay đảng viên điện tử và thống nhất kế hoạch tháng tới.",
                "Ý kiến đảng viên đưa vào cuộc họp:",
                comments_quote(meeting=meeting),
                meeting.minutes,
            )
        )
        minutes_record(actor=secretary, meeting=meeting, minutes=minutes, resolution="Thông qua kế hoạch tháng tới.")

    def notices_and_documents(self, *, commune: Unit) -> None:
        officer = self.users["admin"]
        province = self.province
        notice_create(
            actor=self.users["tinhuy"],
            unit=province,
            title="Đẩy mạnh triển khai Sổ tay đảng viên điện tử",
            body="Các đảng bộ xã, phường hoàn thành cài đặt, kích hoạt tài khoản cho đảng viên đủ điều kiện "
            "trước ngày 31 tháng này; huy động Tổ công nghệ số cộng đồng hỗ trợ đảng viên cao tuổi.",
            roles=[RoleKind.COMMITTEE_ADMIN, RoleKind.COMMITTEE_OFFICER, RoleKind.CELL_SECRETARY],
        )
        notice_create(
            actor=officer,
            unit=commune,
            title="Lịch hỗ trợ cài đặt tại nhà văn hóa các tổ dân phố",
            body="Tổ hỗ trợ Đoàn Thanh niên phường có mặt tại nhà văn hóa các tổ dân phố vào sáng thứ Bảy, "
            "Chủ nhật hằng tuần. Đảng viên mang theo điện thoại và căn cước công dân.",
        )
        notice_create(
            actor=officer,
            unit=commune,
            title="Rà soát thông tin đảng viên trên Sổ tay",
            body="Đề nghị đảng viên kiểm tra thông tin cá nhân, nơi sinh hoạt đảng; nếu sai, gửi đề nghị điều "
            "chỉnh ngay trên ứng dụng.",
            roles=[RoleKind.CELL_SECRETARY, RoleKind.SUPPORTER],
        )
        demo_news(province=province, province_officer=self.users["tinhuy"], commune=commune, officer=officer)
        documents = (
            (province, "117-KH/TU", "Tỉnh ủy Hưng Yên", DocumentKind.GUIDANCE,
             "Kế hoạch triển khai ứng dụng Sổ tay đảng viên điện tử",
             "Mục đích, yêu cầu; thành lập tổ hỗ trợ; tiến độ cài đặt, kích hoạt; chế độ báo cáo."),
            (commune, "25-KH/ĐU", "Đảng ủy phường Phố Hiến", DocumentKind.GUIDANCE,
             "Kế hoạch hỗ trợ đảng viên cài đặt Sổ tay đảng viên điện tử",
             "Lồng ghép hướng dẫn trong buổi sinh hoạt chi bộ; hỗ trợ tại nhà đảng viên cao tuổi, miễn sinh hoạt."),
            (commune, "08-HD/ĐU", "Đảng ủy phường Phố Hiến", DocumentKind.MEETING_MATERIAL,
             "Tài liệu sinh hoạt chi bộ tháng này",
             "Chuyên đề: ứng dụng công nghệ số trong công tác xây dựng Đảng ở cơ sở."),
        )  # fmt: skip
        for number, (unit, symbol, body, kind, title, summary) in enumerate(documents):
            document_publish(
                actor=self.users["tinhuy"] if unit == province else officer,
                unit=unit,
                number=symbol,
                issued_on=self.start + datetime.timedelta(days=7 * number),
                issuing_body=body,
                kind=kind,
                title=title,
                summary=summary,
                text=f"{title}.\n\n{summary}",
                notify_members=False,
            )
        # The plans behind the first two documents: the figures of every unit show their progress against them.
        plan_create(
            actor=self.users["tinhuy"],
            unit=province,
            number="117-KH/TU",
            issued_on=self.start,
            title="Kế hoạch triển khai ứng dụng Sổ tay đảng viên điện tử",
            target_percent=90,
            deadline=self.today + datetime.timedelta(days=40),
        )
        plan_create(
            actor=officer,
            unit=commune,
            number="25-KH/ĐU",
            issued_on=self.start + datetime.timedelta(days=7),
            title="Kế hoạch hỗ trợ đảng viên cài đặt Sổ tay đảng viên điện tử",
            target_percent=95,
            deadline=self.today + datetime.timedelta(days=25),
        )
        training_record(
            actor=officer,
            unit=commune,
            held_on=self.start + datetime.timedelta(days=10),
            place="Hội trường Đảng ủy phường",
            topic="Cài đặt, kích hoạt và hướng dẫn sử dụng Sổ tay đảng viên điện tử",
            trainer="Văn phòng Đảng ủy phường và Tổ công nghệ số cộng đồng",
            trainees="Bí thư chi bộ, tổ hỗ trợ của các khu dân cư",
            trainee_count=42,
        )

    def questions(self, *, cell: Unit) -> None:
        """Members of the demo cell ask their cell and the ward; some answered, some waiting."""
        askers = [self.users["dangvien"], *self._member_users(cell, 4)]
        texts = (
            (Addressee.COMMUNE, "Tôi đã chuyển sinh hoạt về chi bộ từ tháng trước nhưng Sổ tay vẫn ghi chi bộ cũ?",
             "Đồng chí gửi đề nghị điều chỉnh nơi sinh hoạt đảng trên ứng dụng; Đảng ủy phường duyệt trong 5 ngày."),
            (Addressee.CELL, "Buổi sinh hoạt tháng này có phải mang theo điện thoại để cài ứng dụng không?",
             "Có. Tổ công nghệ số cộng đồng có mặt từ 19 giờ để hỗ trợ đồng chí."),
            (Addressee.COMMUNE, "Đảng viên miễn sinh hoạt có phải kích hoạt tài khoản không?", ""),
            (Addressee.CELL, "Tôi quên mật khẩu, xin được cấp lại phiếu kích hoạt.", ""),
            (Addressee.COMMUNE, "Số thẻ đảng viên trên Sổ tay khác với thẻ của tôi, tôi phải làm gì?", ""),
        )  # fmt: skip
        answerers = {Addressee.CELL: self.users["bithu"], Addressee.COMMUNE: self.users["canbo"]}
        for asker, (addressee, text, answer) in zip(askers, texts, strict=False):
            question = question_ask(actor=asker, addressee=addressee, text=text)
            if answer:
                question_answer(actor=answerers[addressee], question=question, answer=answer)

    def _member_users(self, cell: Unit, count: int) -> list[User]:
        """Activated members of the cell (not the demo logins), then of the ward if the cell has too few."""
        logins = {user.pk for user in self.users.values()}
        activated = User.objects.filter(activated_at__isnull=False, member__isnull=False).exclude(pk__in=logins)
        users = list(activated.filter(member__unit=cell).select_related("member").order_by("pk")[:count])
        if len(users) < count:
            commune_path = cell.path[: -Unit.steplen]
            users += (
                activated.filter(member__unit__path__startswith=commune_path)
                .exclude(member__unit=cell)
                .select_related("member")
                .order_by("pk")[: count - len(users)]
            )
        return users

    def corrections(self, *, cell: Unit, commune: Unit) -> None:
        """Requests waiting at each level: at the cell (a name), at the commune (confirmed by the cell, and a
        move to another cell), at the province (a card number the commune forwarded)."""
        users = self._member_users(cell, 6)
        other_cell = next(plan.unit for plan in self.plans if plan.unit.code != cell.code and not plan.institution)
        secretary, officer = self.users["bithu"], self.users["canbo"]
        reason = "Theo giấy tờ gốc của tôi"
        correction_request_create(
            actor=users[0],
            member=users[0].member,
            changes=_other(users[0].member, "hometown", "xã Tân Hưng, tỉnh Hưng Yên", "xã Lạc Đạo, tỉnh Hưng Yên"),
            reason=reason,
        )
        correction_request_create(
            actor=users[1],
            member=users[1].member,
            changes=_other(users[1].member, "occupation", "Hưu trí", "Kinh doanh"),
            reason=reason,
        )
        confirmed = correction_request_create(
            actor=users[2],
            member=users[2].member,
            changes=_other(users[2].member, "education", "12/12", "10/10"),
            reason=reason,
        )
        confirming = secretary if users[2].member.unit_id == cell.pk else self.users["admin"]
        correction_request_decide(actor=confirming, request=confirmed[0], decision=Decision.CONFIRM, reason="Đúng")
        correction_request_create(
            actor=users[3], member=users[3].member, changes={"unit": other_cell}, reason="Đã chuyển nơi ở"
        )
        forwarded = correction_request_create(
            actor=users[4],
            member=users[4].member,
            changes={"card_number": f"{90_000_000 + users[4].member.pk}"},
            reason="Số thẻ ghi trên thẻ đảng viên",
        )
        correction_request_decide(
            actor=officer, request=forwarded[0], decision=Decision.FORWARD, reason="Đề nghị duyệt"
        )

    # -- the report campaign -----------------------------------------------------------------------

    def report_campaign(self, *, commune: Unit) -> None:
        """The province's rollout template (the prescribed one the product ships); the ward's People's Committee
        asks its villages, residential groups and agencies for a report due yesterday: some filed on time, some
        late, a few still missing."""
        province = self.province
        template = template_create(
            actor=self.users["tinhuy"],
            unit=province,
            code=ROLLOUT_TEMPLATE_CODE,
            title=ROLLOUT_RESULTS.title,
            fields=ROLLOUT_RESULTS.fields,
            body=ROLLOUT_RESULTS.body,
            place="Phố Hiến",
            recipients="Đảng ủy phường (để b/c)\nLưu",
            signer_title="T/M Ban công tác Mặt trận thôn",
        )
        # The province asks its communes for the same report within the week: the ward's own report is due.
        campaign_issue(
            actor=self.users["tinhuy"],
            unit=province,
            template=template,
            title="Báo cáo kết quả triển khai Sổ tay đảng viên (các đảng bộ xã, phường)",
            target_tree=TargetTree.UNITS,
            target_kind=UnitKind.COMMUNE_COMMITTEE,
            period_start=self.start,
            period_end=self.today,
            cutoff_on=self.today,
            deadline=self.today + datetime.timedelta(days=5),
        )
        committee = self.state_bodies(commune=commune)
        campaign = campaign_issue(
            actor=self.users[CULTURE_OFFICER_LOGIN],
            organisation=committee,
            template=template,
            title="Báo cáo kết quả hỗ trợ cài đặt Sổ tay đảng viên (các thôn, tổ dân phố, cơ quan)",
            target_tree=TargetTree.PLACES,
            # The ward's villages and residential groups, and the agencies on its territory, in one campaign.
            target_kind=PLACE_KINDS_SEPARATOR.join(
                (AreaKind.VILLAGE, AreaKind.RESIDENTIAL_GROUP, OrganisationKind.AGENCY)
            ),
            period_start=self.start,
            period_end=self.today - datetime.timedelta(days=4),
            cutoff_on=self.today - datetime.timedelta(days=4),
            deadline=self.today - datetime.timedelta(days=1),
        )
        # The agencies first (both file), the village of the demo's village head last (it is theirs to file).
        submissions = sorted(
            campaign.submissions.order_by("pk"),
            key=lambda submission: (
                submission.target_organisation_id is None,
                submission.target_area_id == self.head_village.pk,
            ),
        )
        # About half filed on time, a fifth late (today, after yesterday's deadline), the rest not yet (at least one
        # of each whenever there are three targets or more).
        filed = min(round(len(submissions) * 0.7), len(submissions) - 1)
        on_time = min(max(round(len(submissions) * 0.5), 1), filed - 1) if filed > 1 else filed
        for number, submission in enumerate(submissions[:filed]):
            submission_save(
                actor=None,
                submission=submission,
                values={
                    # An agency has no party unit here: its contact types the figures the system cannot know.
                    **(self._agency_figures() if submission.target_organisation_id else {}),
                    "records_updated": str(self.rng.randint(3, 25)),
                    "no_smartphone": str(self.rng.randint(0, 4)),
                    "difficulties": "Một số đảng viên cao tuổi không có điện thoại thông minh.",
                },
            )
            submission_submit(actor=None, submission=submission)
            if number < on_time:
                self._filed_before_the_deadline(submission, campaign)

    def _agency_figures(self) -> dict[str, str]:
        """The figures an agency's contact types in (its members, their accounts, the help they had): consistent
        with each other (no more activated than installed, every helped member helped at the office)."""
        members = self.rng.randint(6, 14)
        eligible = members - self.rng.randint(0, 1)
        installed = eligible - self.rng.randint(0, 1)
        activated = installed - self.rng.randint(0, 1)
        helped = self.rng.randint(1, activated)
        verified = self.rng.randint(1, activated)
        requested = self.rng.randint(0, 2)
        applied = self.rng.randint(0, requested)
        figures = {
            "members": members, "eligible": eligible, "app_installed": installed, "activated": activated,
            "help_sessions": helped, "help_place_cell_meeting": 0, "help_place_village_meeting": 0,
            "help_place_mass_org": 0, "help_place_home": 0, "help_place_remote": 0, "help_place_office": helped,
            "help_team_support_team": helped, "help_team_community_digital_team": 0, "records_verified": verified,
            "corrections_requested": requested, "corrections_applied": applied, "corrections_open": requested - applied,
        }  # fmt: skip
        return {key: str(value) for key, value in figures.items()}

    def state_bodies(self, *, commune: Unit) -> Organisation:
        """The ward's People's Committee, its Culture–Society office (with the `vanhoa_xa` login, who follows the
        committee's campaigns), two agencies, and the head of the first village (`truongthon`)."""
        area = commune.area
        local_name = lower_first(area.name)
        committee = organisation_create(
            actor=None,
            area=area,
            code=f"UBND-{commune.code}",
            name=f"Ủy ban nhân dân {local_name}",
            kind=OrganisationKind.PEOPLES_COMMITTEE,
            reason=DEMO_REASON,
        )
        office = organisation_create(
            actor=None,
            area=area,
            code=f"VHXH-{commune.code}",
            name="Phòng Văn hóa - Xã hội",
            kind=OrganisationKind.OFFICE,
            parent=committee,
            reason=DEMO_REASON,
        )
        for code, name in (("CA", "Công an"), ("TYT", "Trạm Y tế")):
            organisation_create(
                actor=None,
                area=area,
                code=f"{code}-{commune.code}",
                name=f"{name} {local_name}",
                kind=OrganisationKind.AGENCY,
                reason=DEMO_REASON,
            )
        self.head_village = (
            AdminArea.objects.filter(path__startswith=area.path, kind__in=RESIDENCE_AREA_KINDS).order_by("path").first()
        )
        for login in STATE_LOGINS:
            user = user_create(
                actor=None,
                username=login.username,
                password=DEMO_PASSWORD,
                first_name=login.first_name,
                last_name=login.last_name,
                reason=DEMO_REASON,
            )
            place = office if login.kind == CivicRoleKind.CULTURE_SOCIETY_OFFICER else self.head_village
            civic_role_grant(actor=None, kind=login.kind, place=place, username=user.username, reason=DEMO_REASON)
            self.users[login.username] = user
        return committee

    def _filed_before_the_deadline(self, submission: Submission, campaign: Campaign) -> None:
        """Move a filing the load made today back to a day between the cut-off and the deadline, as the village
        filed it (the services file at the present instant; the demo's past is written after the fact, as
        `roll_as_it_began` does for the figures)."""
        day = campaign.cutoff_on + datetime.timedelta(
            days=self.rng.randint(1, (campaign.deadline - campaign.cutoff_on).days)
        )
        filed_at = self.at(day, *self._hour())
        Submission.objects.filter(pk=submission.pk).update(submitted_at=filed_at, first_submitted_at=filed_at)
        submission.events.filter(kind=EventKind.SUBMITTED).update(at=filed_at, note="")


def _other(member: Member, field: str, *values: str) -> dict:
    """{field: the first of `values` that is not already on the member's record}."""
    return {field: next(value for value in values if value != getattr(member, field))}


def _on_day(anchor: datetime.date, day: int, months: int) -> datetime.date:
    """Day `day` of the month `months` after `anchor`'s month."""
    month_index = anchor.year * 12 + anchor.month - 1 + months
    return datetime.date(month_index // 12, month_index % 12 + 1, min(day, 28))
