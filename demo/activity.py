"""The rollout's activity on a synthetic data set (`demo.synthetic`), so that benchmarks read real figures.

`generate_activity(as_of=, seed=)` adds, to a synthetic set whose rollout is still untouched: accounts (most
activated, spread over the eight weeks before `as_of`, some issued and waiting), record verifications, one
support team per commune with its supporter, and help sessions (at the cell meeting, at home, online) on the
day of the activation they helped. Each cell is given a pace once, so that some cells lag. Then the daily
history of every unit's figures is written from those rows, day by day and up the tree, and the current
figures are set to the recount: `rollout.recount.find_differences()` finds nothing afterwards.

Like the members, the rows bypass the services (COPY on PostgreSQL): no change-log row per account or session.
The same seed and `as_of` give the same rows.
"""

import dataclasses
import datetime
import random
import zoneinfo

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Max

from accounts.models import User
from common.bulk import allocate_ids, insert_rows
from members.choices import CURRENT_STATUSES
from members.models import Member
from orgunits.choices import UnitKind
from orgunits.models import Unit
from rollout.choices import HelpOutcome, HelpPlace, HelpTopic, TeamKind
from rollout.models import HelpSession, HelpSessionMember, RecordVerification, Team, UnitDailyDelta, UnitFigures
from rollout.recount import fix_differences

from .helpers import reset_sequences, weighted

WEEKS = 8
BATCH = 20_000
# (share of their eligible members activated, share of cells): most on track, some behind, a few lagging.
PACES = ((0.97, 0.75), (0.85, 0.17), (0.40, 0.08))
# Members exempt from the rollout may activate too (the seeds' "above 100 % of the eligible").
INELIGIBLE_ACTIVATED = 0.30
WAITING_ACCOUNT = 0.50  # of those not activated: an account issued, not yet activated
VERIFIED = 0.40  # of those activated
HELPED = 0.30  # of those activated, helped on the day
PLACES = ((HelpPlace.CELL_MEETING, 0.50), (HelpPlace.HOME, 0.35), (HelpPlace.REMOTE, 0.15))
# Activity is dated at this local hour, so that its UTC date is its local date (UTC+7).
LOCAL_HOUR = 9


class ActivityExists(Exception):
    """The set already has accounts or rollout history: activity goes only onto an untouched synthetic set."""


@dataclasses.dataclass
class ActivitySummary:
    accounts: int = 0
    activated: int = 0
    verified: int = 0
    teams: int = 0
    sessions: int = 0
    helped: int = 0


class _Ids:
    """Primary keys handed out ahead of the rows, a block at a time: the table's sequence on PostgreSQL, max + 1
    elsewhere (this transaction is the only writer). Keys left in the last block are gaps, as after a rollback."""

    def __init__(self, model):
        self.model = model
        self.block: list[int] = []
        self.next = (model.objects.aggregate(top=Max("pk"))["top"] or 0) + 1

    def take(self) -> int:
        if not self.block:
            if connection.vendor == "postgresql":
                self.block = allocate_ids(self.model, BATCH)
            else:
                self.block = list(range(self.next, self.next + BATCH))
                self.next += BATCH
            self.block.reverse()
        return self.block.pop()


def generate_activity(*, as_of: datetime.date, seed: int = 1) -> ActivitySummary:
    with transaction.atomic():
        if User.objects.filter(member__isnull=False).exists() or UnitDailyDelta.objects.exists():
            raise ActivityExists
        summary = ActivitySummary()
        teams = _teams(summary)
        _people(as_of=as_of, rng=random.Random(seed + 2), teams=teams, summary=summary)
        reset_sequences(RecordVerification, HelpSession)
        _history(start=as_of - datetime.timedelta(weeks=WEEKS, days=1))
        fix_differences()  # the current figures: the history's sums, recounted
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            for model in (User, RecordVerification, HelpSession, HelpSessionMember, UnitDailyDelta, UnitFigures):
                cursor.execute(f"ANALYZE {model._meta.db_table}")
    return summary


def _teams(summary: ActivitySummary) -> dict[str, tuple[int, int]]:
    """One support team per commune committee, each with a supporter: {commune path: (team id, supporter id)}."""
    communes = list(Unit.objects.filter(kind=UnitKind.COMMUNE_COMMITTEE).values_list("id", "path", "code", "name"))
    supporters = User.objects.bulk_create(
        User(username=f"synthetic-ht-{code}", password="!", first_name="Tổ hỗ trợ") for _pk, _path, code, _n in communes
    )
    teams = Team.objects.bulk_create(
        Team(name=f"Tổ hỗ trợ {name}"[:200], kind=TeamKind.SUPPORT_TEAM, unit_id=pk)
        for pk, _path, _code, name in communes
    )
    summary.teams = len(teams)
    return {
        path: (team.pk, supporter.pk)
        for (_pk, path, _c, _n), team, supporter in zip(communes, teams, supporters, strict=True)
    }


def _people(*, as_of, rng: random.Random, teams, summary: ActivitySummary) -> None:
    local = zoneinfo.ZoneInfo(settings.TIME_ZONE)
    stored = connection.ops.adapt_datetimefield_value  # as Django writes a datetime (UTC text on SQLite)
    first_day = as_of - datetime.timedelta(weeks=WEEKS)
    commune_length = 3 * Unit.steplen  # central, province, commune
    user_defaults = {
        field.column: field.get_default()
        for field in User._meta.concrete_fields
        if field.name not in {"id", "username", "password", "member", "activated_at", "date_joined"} and not field.null
    }
    user_columns = ["username", "password", "member_id", "activated_at", "date_joined", *user_defaults]
    user_rest = tuple(user_defaults.values())
    paces: dict[int, float] = {}
    session_ids, verification_ids = _Ids(HelpSession), _Ids(RecordVerification)
    users, verifications, sessions, helped = [], [], [], []
    open_sessions: dict[tuple[int, datetime.date], int] = {}
    current_cell = None

    def flush() -> None:
        insert_rows(User, user_columns, users)
        ids = [verification_ids.take() for _row in verifications]
        insert_rows(
            RecordVerification,
            ["id", "member_id", "verified_at"],
            [(pk, *row) for pk, row in zip(ids, verifications, strict=True)],
        )
        insert_rows(
            HelpSession,
            [
                "id",
                "team_id",
                "supporter_id",
                "place",
                "topic",
                "outcome",
                "is_hand_holding",
                "has_consent",
                "note",
                "happened_at",
            ],
            sessions,
        )
        insert_rows(HelpSessionMember, ["session_id", "member_id", "unit_id"], helped)
        for rows in (users, verifications, sessions, helped):
            rows.clear()

    members = (
        Member.objects.filter(status__in=CURRENT_STATUSES)
        .order_by("pk")
        .values_list("pk", "unit_id", "unit__path", "is_eligible")
        .iterator(chunk_size=BATCH)
    )
    for member_id, cell_id, cell_path, is_eligible in members:
        if cell_id != current_cell:
            current_cell, open_sessions = cell_id, {}
        if cell_id not in paces:
            paces[cell_id] = weighted(rng, PACES)
        share = paces[cell_id] if is_eligible else INELIGIBLE_ACTIVATED
        if rng.random() < share:
            # Activations gather towards the middle of the eight weeks, as a campaign's do.
            day = first_day + datetime.timedelta(days=round(rng.betavariate(2, 1.6) * (WEEKS * 7 - 1)) + 1)
            at = stored(datetime.datetime.combine(day, datetime.time(LOCAL_HOUR), tzinfo=local))
            users.append((f"synthetic-{member_id}", "!", member_id, at, at, *user_rest))
            summary.accounts += 1
            summary.activated += 1
            if rng.random() < VERIFIED:
                verified_on = min(as_of, day + datetime.timedelta(days=rng.randint(0, 7)))
                verifications.append(
                    (member_id, stored(datetime.datetime.combine(verified_on, datetime.time(LOCAL_HOUR), tzinfo=local)))
                )
                summary.verified += 1
            if rng.random() < HELPED:
                session = open_sessions.get((cell_id, day))
                if session is None:
                    team_id, supporter_id = teams[cell_path[:commune_length]]
                    session = session_ids.take()
                    open_sessions[(cell_id, day)] = session
                    place = weighted(rng, PLACES)
                    sessions.append(
                        (
                            session,
                            team_id,
                            supporter_id,
                            place,
                            HelpTopic.ACTIVATE,
                            HelpOutcome.DONE,
                            False,
                            True,
                            "",
                            at,
                        )
                    )
                    summary.sessions += 1
                helped.append((session, member_id, cell_id))
                summary.helped += 1
        elif rng.random() < WAITING_ACCOUNT:
            issued = stored(datetime.datetime.combine(first_day, datetime.time(LOCAL_HOUR), tzinfo=local))
            users.append((f"synthetic-{member_id}", "!", member_id, None, issued, *user_rest))
            summary.accounts += 1
        if len(users) >= BATCH:
            flush()
    flush()


def _history(*, start: datetime.date) -> None:
    """Each unit's daily changes, from the rows: the members on `start`, then each day's activations,
    verifications and members helped, summed for the cell and every unit above it (one statement per depth)."""
    statuses = ", ".join(["%s"] * len(CURRENT_STATUSES))
    events = f"""
        SELECT m.unit_id, %s AS day, 1 AS members, CASE WHEN m.is_eligible THEN 1 ELSE 0 END AS eligible,
               0 AS activated, 0 AS verified, 0 AS help_sessions
          FROM members_member m WHERE m.status IN ({statuses})
        UNION ALL
        SELECT m.unit_id, DATE(u.activated_at), 0, 0, 1, 0, 0
          FROM accounts_user u JOIN members_member m ON m.id = u.member_id
         WHERE u.activated_at IS NOT NULL AND m.status IN ({statuses})
        UNION ALL
        SELECT m.unit_id, DATE(v.verified_at), 0, 0, 0, 1, 0
          FROM rollout_recordverification v JOIN members_member m ON m.id = v.member_id
         WHERE m.status IN ({statuses})
        UNION ALL
        SELECT h.unit_id, DATE(s.happened_at), 0, 0, 0, 0, 1
          FROM rollout_helpsessionmember h JOIN rollout_helpsession s ON s.id = h.session_id
    """
    start_value = start if connection.vendor == "postgresql" else start.isoformat()
    parameters = [start_value, *CURRENT_STATUSES, *CURRENT_STATUSES, *CURRENT_STATUSES]
    deepest = Unit.objects.aggregate(deepest=Max("depth"))["deepest"] or 0
    with connection.cursor() as cursor:
        for depth in range(1, deepest + 1):
            cursor.execute(
                f"""
                INSERT INTO rollout_unitdailydelta (unit_id, day, members, eligible, activated, verified, help_sessions)
                SELECT a.id, e.day, SUM(e.members), SUM(e.eligible), SUM(e.activated), SUM(e.verified),
                       SUM(e.help_sessions)
                  FROM ({events}) e
                  JOIN orgunits_unit c ON c.id = e.unit_id
                  JOIN orgunits_unit a ON a.path = SUBSTR(c.path, 1, %s)
                 WHERE c.depth >= %s
                 GROUP BY a.id, e.day
                """,
                [*parameters, depth * Unit.steplen, depth],
            )
