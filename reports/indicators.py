"""The figures a report template can pick, computed for a party unit or an administrative area as of a cut-off.

The cut-off is the end of the day, Vietnam time (common.dates.end_of_day). Exactness as of a past date:

- members, eligible, activated, records_verified for a PARTY UNIT: exact. They are the sums of the rollout's
  daily deltas (rollout.UnitDailyDelta) up to the day, counted at the cell the member attended on each day;
  for today or later they are the live counters (rollout.UnitFigures).
- the same for an AREA (village / residential group): exact for members registered through the services (every
  write leaves a full snapshot in the change log). Each member's record is read back as it stood at the cut-off
  (residence, status, eligibility); an account counts as activated if `activated_at` is before the cut-off, a
  record as verified if `verified_at` is. (An account deactivated since is still counted: nothing records that.)
- help sessions (members helped, in total and by topic): exact, from the session's time. For a unit: members
  helped while attending a cell of the subtree (the cell stored with the session); for an area: sessions of the
  support teams working in that area or below.
- corrections (requested, open, applied, rejected): the state as of the cut-off is exact (replayed from the
  requests' events), but a request is placed by its member's CURRENT cell / residence, not the one at the cut-off.
"""

import contextlib
import contextvars

from django.contrib.contenttypes.models import ContentType
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from common.dates import end_of_day
from common.indicators import Indicator, register
from orgunits.models import AdminArea, Unit

# While one report is pre-filled, the figures share their reads (a village's records as of the cut-off are
# rebuilt once, not once per figure). Outside `computed_together()` nothing is kept.
_shared: contextvars.ContextVar[dict | None] = contextvars.ContextVar("report_indicator_reads", default=None)


@contextlib.contextmanager
def computed_together():
    token = _shared.set({})
    try:
        yield
    finally:
        _shared.reset(token)


def _once(key: tuple, compute):
    shared = _shared.get()
    if shared is None:
        return compute()
    if key not in shared:
        shared[key] = compute()
    return shared[key]


def _is_unit(target) -> bool:
    return isinstance(target, Unit)


def _area_ids(area: AdminArea) -> list[int]:
    return list(AdminArea.objects.filter(path__startswith=area.path).values_list("pk", flat=True))


def area_member_states(area: AdminArea, as_of) -> dict[int, dict]:
    """{member id: record as of the cut-off} for the members living in the area's subtree at the cut-off."""
    return _once(("area", area.pk, as_of), lambda: _area_member_states(area, as_of))


def _area_member_states(area: AdminArea, as_of) -> dict[int, dict]:
    from audit.models import ChangeLog
    from members.models import Member

    end = end_of_day(as_of)
    area_ids = _area_ids(area)
    member_type = ContentType.objects.get_for_model(Member)
    logs = ChangeLog.objects.filter(object_type=member_type, time__lte=end)
    # Whoever lives there now, or lived there at some time before the cut-off by the log.
    candidates = set(Member.objects.filter(residence_area_id__in=area_ids).values_list("pk", flat=True))
    candidates |= set(logs.filter(postchange_data__residence_area_id__in=area_ids).values_list("object_id", flat=True))
    latest: dict[int, dict] = {}
    rows = logs.filter(object_id__in=candidates).order_by("object_id", "-time", "-id")
    for object_id, data in rows.values_list("object_id", "postchange_data"):
        latest.setdefault(object_id, data)
    wanted = set(area_ids)
    return {pk: data for pk, data in latest.items() if data and data.get("residence_area_id") in wanted}


def _area_current_members(area, as_of) -> dict[int, dict]:
    from members.choices import CURRENT_STATUSES

    return {pk: data for pk, data in area_member_states(area, as_of).items() if data.get("status") in CURRENT_STATUSES}


def _unit_figure(unit, as_of, name: str) -> int:
    from rollout.selectors import unit_figures

    figures = _once(("unit", unit.pk, as_of), lambda: unit_figures(unit=unit, as_of=as_of))
    return getattr(figures, name)


def members(target, as_of) -> int:
    if _is_unit(target):
        return _unit_figure(target, as_of, "members")
    return len(_area_current_members(target, as_of))


def eligible(target, as_of) -> int:
    if _is_unit(target):
        return _unit_figure(target, as_of, "eligible")
    return sum(1 for data in _area_current_members(target, as_of).values() if data.get("is_eligible"))


def activated(target, as_of) -> int:
    from accounts.models import User

    if _is_unit(target):
        return _unit_figure(target, as_of, "activated")
    ids = list(_area_current_members(target, as_of))
    return User.objects.filter(member_id__in=ids, activated_at__lte=end_of_day(as_of)).count()


def records_verified(target, as_of) -> int:
    from rollout.models import RecordVerification

    if _is_unit(target):
        return _unit_figure(target, as_of, "verified")
    ids = list(_area_current_members(target, as_of))
    return RecordVerification.objects.filter(member_id__in=ids, verified_at__lte=end_of_day(as_of)).count()


def app_installed(target, as_of) -> int:
    """Members whose phone installed the app by the cut-off. For a unit, placed by the member's CURRENT cell (an
    install records no cell); for an area, the members living there at the cut-off."""
    from accounts.models import AccountUse

    installs = AccountUse.objects.filter(app_installed_at__lte=end_of_day(as_of), user__member__isnull=False)
    if _is_unit(target):
        return installs.filter(user__member__unit__path__startswith=target.path).count()
    return installs.filter(user__member_id__in=list(_area_current_members(target, as_of))).count()


def _members_helped(target, as_of, **session) -> int:
    """Members helped by the cut-off, in sessions matching `session` (topic, place, team__kind) when given."""
    from rollout.models import HelpSessionMember

    rows = HelpSessionMember.objects.filter(
        session__happened_at__lte=end_of_day(as_of), **{f"session__{name}": value for name, value in session.items()}
    )
    if _is_unit(target):
        rows = rows.filter(unit__path__startswith=target.path)
    else:
        rows = rows.filter(session__team__area__path__startswith=target.path)
    return rows.count()


def help_sessions(target, as_of) -> int:
    return _members_helped(target, as_of)


def _help_where(**session):
    """Members helped in sessions on one topic, held at one place, or by one kind of team."""

    def compute(target, as_of) -> int:
        return _members_helped(target, as_of, **session)

    return compute


# Which requests each event leaves in which state ("open" until decided). An escalation changes nothing.
_CORRECTION_STATE_AFTER = {
    "submitted": "open",
    "confirmed": "open",
    "forwarded": "open",
    "conflict": "open",
    "transfer": "open",
    "applied_at_once": "applied",
    "approved": "applied",
    "rejected": "rejected",
}


def correction_states(target, as_of) -> dict[str, int]:
    """How many correction requests of the target's members were open, applied, rejected at the cut-off."""
    return _once(("corrections", type(target).__name__, target.pk, as_of), lambda: _correction_states(target, as_of))


def _correction_states(target, as_of) -> dict[str, int]:
    from corrections.models import CorrectionEvent, CorrectionRequest

    end = end_of_day(as_of)
    requests = CorrectionRequest.objects.filter(created_at__lte=end)
    if _is_unit(target):
        requests = requests.filter(member__unit__path__startswith=target.path)
    else:
        requests = requests.filter(member__residence_area__path__startswith=target.path)
    ids = list(requests.values_list("pk", flat=True))
    state = dict.fromkeys(ids, "open")
    events = CorrectionEvent.objects.filter(request_id__in=ids, at__lte=end).order_by("at", "id")
    for request_id, kind in events.values_list("request_id", "kind"):
        state[request_id] = _CORRECTION_STATE_AFTER.get(kind, state[request_id])
    counts = {"requested": len(ids), "open": 0, "applied": 0, "rejected": 0}
    for value in state.values():
        counts[value] += 1
    return counts


def _corrections(name: str):
    def compute(target, as_of) -> int:
        return correction_states(target, as_of)[name]

    return compute


def _register_all() -> None:
    from rollout.choices import HelpPlace, HelpTopic, TeamKind

    register(Indicator(key="members", label=_("Party members"), compute=members))
    register(Indicator(key="eligible", label=_("Members eligible for the app"), compute=eligible))
    register(Indicator(key="activated", label=_("Accounts activated"), compute=activated))
    register(
        Indicator(
            key="activated_percent_of_members",
            label=_("Activated, share of members (%)"),
            ratio_of=("activated", "members"),
        )
    )
    register(
        Indicator(
            key="activated_percent_of_eligible",
            label=_("Activated, share of eligible members (%)"),
            ratio_of=("activated", "eligible"),
            help_text=_("Can pass 100%: members not judged eligible activate too."),
        )
    )
    register(
        Indicator(
            key="app_installed",
            label=_("Members who installed the app"),
            compute=app_installed,
            help_text=_("Installs reported by the members' phones up to the date."),
        )
    )
    register(Indicator(key="records_verified", label=_("Records verified by the member"), compute=records_verified))
    register(Indicator(key="help_sessions", label=_("Members helped (all topics)"), compute=help_sessions))
    for topic in HelpTopic:
        register(
            Indicator(
                key=f"help_sessions_{topic.value}",
                label=format_lazy("{}: {}", _("Members helped"), topic.label),
                compute=_help_where(topic=topic.value),
            )
        )
    for place in HelpPlace:
        register(
            Indicator(
                key=f"help_place_{place.value}",
                label=format_lazy("{}: {}", _("Members helped"), place.label),
                compute=_help_where(place=place.value),
            )
        )
    for kind in TeamKind:
        register(
            Indicator(
                key=f"help_team_{kind.value}",
                label=format_lazy("{} ({})", _("Members helped"), kind.label),
                compute=_help_where(team__kind=kind.value),
            )
        )
    register(Indicator(key="corrections_requested", label=_("Correction requests"), compute=_corrections("requested")))
    register(Indicator(key="corrections_open", label=_("Correction requests open"), compute=_corrections("open")))
    register(
        Indicator(key="corrections_applied", label=_("Correction requests applied"), compute=_corrections("applied"))
    )
    register(
        Indicator(key="corrections_rejected", label=_("Correction requests rejected"), compute=_corrections("rejected"))
    )


_register_all()
