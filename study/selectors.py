"""Reads of study, always narrowed to what the actor may see.

An assignment is for the subtree of the committee that issued it: members of its cells study it; officials with a
role in or above that subtree read it. Who has studied (figures, the list of members) is for those who see member
records (MEMBER_VIEW) of the units shown; the issuing committee (CONTENT_PUBLISH) writes the questions and
withdraws. Outside scope an assignment does not exist (404)."""

import dataclasses

from django.db.models import Count, F, FilteredRelation, Q, QuerySet
from django.db.models.functions import Substr
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from accounts.choices import Permission
from accounts.models import User
from accounts.scoping import has_unit_permission, held_roles, published_above_q, units_q
from library.models import Document
from library.selectors import documents_visible_to
from meetings.models import Meeting
from members.choices import CURRENT_STATUSES
from members.models import Member
from members.selectors import own_member
from orgunits.models import Unit
from orgunits.selectors import unit_children
from rollout.selectors import current_members_counted

from .choices import TEXT_STEP, StudyState
from .models import QuizAttempt, StudyAssignment, StudyProgress, StudyQuestion


def assignments_visible_to(user: User) -> QuerySet[StudyAssignment]:
    """Assignments issued at or above the user's cell or roles, or below their roles. A withdrawn one stays
    visible only to those who may publish on its unit."""
    if not user.is_authenticated:
        return StudyAssignment.objects.none()
    role_paths = sorted({path for _role, path in held_roles(user)})
    member = own_member(user)
    places = [*role_paths, *([member.unit.path] if member is not None else [])]
    if not places:
        return StudyAssignment.objects.none()
    current = Q(withdrawn_at__isnull=True) | units_q(user, Permission.CONTENT_PUBLISH, via="unit__")
    return StudyAssignment.objects.filter(published_above_q(places, subtrees=role_paths)).filter(current)


def assignment_list(*, actor: User) -> QuerySet[StudyAssignment]:
    return assignments_visible_to(actor).select_related("unit").order_by("-starts_on", "-id")


def assignment_get(*, actor: User, pk: int) -> StudyAssignment:
    return get_object_or_404(assignments_visible_to(actor).select_related("unit"), pk=pk)


def issuing_units(*, actor: User) -> QuerySet[Unit]:
    """The open units the actor may assign study to."""
    return Unit.objects.filter(units_q(actor, Permission.CONTENT_PUBLISH), closed_on__isnull=True).order_by("path")


def attachable_documents(*, actor: User) -> QuerySet[Document]:
    """Library documents the actor may give to study: current ones they read, newest first."""
    return documents_visible_to(actor).filter(withdrawn_at__isnull=True).order_by("-issued_on", "-id")


def can_manage(*, user: User, assignment: StudyAssignment) -> bool:
    return has_unit_permission(user, Permission.CONTENT_PUBLISH, assignment.unit)


def study_documents(*, assignment: StudyAssignment) -> list[Document]:
    """The assignment's documents in the order they were issued (the oldest first), withdrawn ones left out."""
    return list(
        assignment.documents.filter(withdrawn_at__isnull=True).select_related("unit").order_by("issued_on", "pk")
    )


@dataclasses.dataclass(frozen=True)
class Step:
    key: str
    title: str
    document: Document | None
    is_done: bool


def study_steps(*, assignment: StudyAssignment, progress: StudyProgress | None) -> list[Step]:
    done = set(progress.steps_done) if progress else set()
    steps = []
    if assignment.text:
        steps.append(Step(TEXT_STEP, assignment.get_kind_display(), None, TEXT_STEP in done))
    for document in study_documents(assignment=assignment):
        key = f"doc-{document.pk}"
        steps.append(Step(key, f"{document.number} {document.title}", document, key in done))
    return steps


def may_study(*, user: User, assignment: StudyAssignment) -> bool:
    """A current member of a cell in the assignment's subtree."""
    member = own_member(user)
    return (
        member is not None and member.status in CURRENT_STATUSES and member.unit.path.startswith(assignment.unit.path)
    )


def own_progress(*, user: User, assignment: StudyAssignment) -> StudyProgress | None:
    if not getattr(user, "member_id", None):
        return None
    return StudyProgress.objects.filter(assignment=assignment, member_id=user.member_id).first()


def own_progress_by_assignment(*, user: User, assignments) -> dict[int, StudyProgress]:
    """The member's progress on each of `assignments`, in one query (the list page)."""
    if not getattr(user, "member_id", None):
        return {}
    rows = StudyProgress.objects.filter(member_id=user.member_id, assignment__in=[a.pk for a in assignments])
    return {row.assignment_id: row for row in rows}


def _state(*, started: bool, studied_at, passed_at) -> str:
    if not started:
        return StudyState.NOT_STARTED
    if passed_at:
        return StudyState.PASSED
    if studied_at:
        return StudyState.STUDIED
    return StudyState.STUDYING


def state_of(progress: StudyProgress | None) -> str:
    if progress is None:
        return StudyState.NOT_STARTED
    return _state(started=True, studied_at=progress.studied_at, passed_at=progress.passed_at)


def questions_of(*, assignment: StudyAssignment) -> list[StudyQuestion]:
    return list(assignment.questions.prefetch_related("choices").order_by("position", "pk"))


def has_attempts(*, assignment: StudyAssignment) -> bool:
    return QuizAttempt.objects.filter(progress__assignment=assignment).exists()


def key_is_shown(*, assignment: StudyAssignment, progress: StudyProgress | None) -> bool:
    """The right answers and the explanations (which usually state them) are the member's once they have passed or
    have no attempt left: before that they would be the next attempt's key."""
    return progress is not None and (
        progress.passed_at is not None or progress.attempts_used >= assignment.max_attempts
    )


@dataclasses.dataclass(frozen=True)
class ReviewedQuestion:
    number: int
    question: StudyQuestion
    chosen: frozenset[int]
    is_right: bool
    right: frozenset[int]  # empty while the key is not shown
    explanation: str  # empty while the key is not shown


def attempt_review(*, questions: list[StudyQuestion], attempt: QuizAttempt, show_key: bool) -> list[ReviewedQuestion]:
    """Each question of an attempt: what the member chose, whether it was right, and the key when it is shown."""
    review = []
    for number, question in enumerate(questions, start=1):
        chosen = frozenset(attempt.answers.get(str(question.pk), []))
        right = frozenset(choice.pk for choice in question.choices.all() if choice.is_correct)
        review.append(
            ReviewedQuestion(
                number=number,
                question=question,
                chosen=chosen,
                is_right=chosen == right,
                right=right if show_key else frozenset(),
                explanation=question.explanation if show_key else "",
            )
        )
    return review


def own_attempts(*, progress: StudyProgress | None) -> list[QuizAttempt]:
    return list(progress.attempts.order_by("number")) if progress else []


def own_attempt_get(*, user: User, assignment: StudyAssignment, number: int) -> QuizAttempt:
    """One of the member's own attempts on the assignment, or 404."""
    if not getattr(user, "member_id", None):
        raise Http404
    return get_object_or_404(
        QuizAttempt.objects.select_related("progress"),
        progress__assignment=assignment,
        progress__member_id=user.member_id,
        number=number,
    )


def own_assignments_to_do(*, user: User, limit: int) -> list[StudyAssignment]:
    """Open assignments the member has not finished (studied, and passed when there is a quiz), soonest due first:
    for the home page."""
    member = own_member(user)
    if member is None or member.status not in CURRENT_STATUSES:
        return []
    today = timezone.localdate()
    # Finished: passed; or studied when there is no quiz; or every attempt used (nothing more to do here).
    finished = StudyProgress.objects.filter(member=member).filter(
        Q(passed_at__isnull=False)
        | Q(studied_at__isnull=False, assignment__questions__isnull=True)
        | Q(attempts_used__gte=F("assignment__max_attempts"))
    )
    return list(
        StudyAssignment.objects.filter(
            published_above_q([member.unit.path]),
            withdrawn_at__isnull=True,
            starts_on__lte=today,
            ends_on__gte=today,
        )
        .exclude(pk__in=finished.values("assignment_id"))
        .select_related("unit")
        .order_by("ends_on", "pk")[:limit]
    )


# ---------------------------------------------------------------- the committee's figures


def _figure_units(actor: User, assignment: StudyAssignment) -> QuerySet[Unit]:
    """Units of the assignment's subtree whose members the actor sees: those whose figures they read."""
    return Unit.objects.filter(units_q(actor, Permission.MEMBER_VIEW), path__startswith=assignment.unit.path)


def figures_unit_get(*, actor: User, assignment: StudyAssignment, code: str = "") -> Unit:
    """The unit whose figures to show: one in the assignment's subtree whose members the actor sees, named by code;
    without a code the assignment's committee, else the highest such unit of the actor's (404 when none)."""
    units = _figure_units(actor, assignment)
    if code:
        return get_object_or_404(units, code=code)
    unit = units.order_by("depth", "path").first()
    if unit is None:
        raise Http404
    return unit


def figures_top(*, actor: User, assignment: StudyAssignment, unit: Unit) -> Unit | None:
    """The highest unit of the assignment's subtree whose figures the actor reads, when it is not `unit` itself."""
    top = figures_unit_get(actor=actor, assignment=assignment)
    return top if top.pk != unit.pk else None


def can_see_figures(*, user: User, assignment: StudyAssignment) -> bool:
    return _figure_units(user, assignment).exists()


@dataclasses.dataclass
class StudyFigures:
    unit: Unit
    members: int = 0
    started: int = 0
    studied: int = 0
    passed: int = 0

    @staticmethod
    def _percent(part: int, whole: int) -> float | None:
        return round(100 * part / whole, 1) if whole else None

    @property
    def not_started(self) -> int:
        return max(self.members - self.started, 0)

    @property
    def studied_percent(self) -> float | None:
        return self._percent(self.studied, self.members)

    @property
    def passed_percent(self) -> float | None:
        return self._percent(self.passed, self.members)


def study_figures(*, actor: User, assignment: StudyAssignment, unit: Unit) -> tuple[StudyFigures, list[StudyFigures]]:
    """Current members, and how many of them opened, studied and passed, for `unit`'s subtree and each of its
    children: the members from the rollout's counters, the rest in one query grouping the progress rows by child."""
    children = unit_children(actor=actor, unit=unit)
    counts = current_members_counted([unit, *children])
    total = StudyFigures(unit=unit, members=counts[unit.pk])
    by_path = {child.path: StudyFigures(unit=child, members=counts[child.pk]) for child in children}
    grouped = (
        StudyProgress.objects.filter(
            assignment=assignment,
            member__status__in=CURRENT_STATUSES,
            member__unit__path__startswith=unit.path,
        )
        .annotate(child_path=Substr("member__unit__path", 1, len(unit.path) + Unit.steplen))
        .values_list("child_path")
        .annotate(
            started=Count("pk"),
            studied=Count("pk", filter=Q(studied_at__isnull=False)),
            passed=Count("pk", filter=Q(passed_at__isnull=False)),
        )
        .order_by()
    )
    for path, started, studied, passed in grouped:
        for figures in (total, by_path.get(path)):
            if figures is not None:
                figures.started += started
                figures.studied += studied
                figures.passed += passed
    return total, [figures for figures in by_path.values() if figures.members or figures.started]


def member_states(*, actor: User, assignment: StudyAssignment, unit: Unit, state: str = "") -> QuerySet[Member]:
    """Current members of `unit`'s subtree the actor sees, each with their progress on the assignment (annotated
    `p_*`), optionally only those in `state`: by cell, then name."""
    members = (
        Member.objects.filter(
            units_q(actor, Permission.MEMBER_VIEW, via="unit__"),
            unit__path__startswith=unit.path,
            status__in=CURRENT_STATUSES,
        )
        .annotate(progress=FilteredRelation("study_progress", condition=Q(study_progress__assignment=assignment)))
        .annotate(
            p_id=F("progress__id"),
            p_started_at=F("progress__started_at"),
            p_studied_at=F("progress__studied_at"),
            p_passed_at=F("progress__passed_at"),
            p_best_score=F("progress__best_score"),
            p_attempts=F("progress__attempts_used"),
            p_meeting_id=F("progress__marked_meeting_id"),
        )
        .select_related("unit")
        .order_by("unit__path", "sort_name", "pk")
    )
    if state == StudyState.NOT_STARTED:
        members = members.filter(p_id__isnull=True)
    elif state == StudyState.STUDYING:
        members = members.filter(p_id__isnull=False, p_studied_at__isnull=True, p_passed_at__isnull=True)
    elif state == StudyState.STUDIED:
        members = members.filter(p_studied_at__isnull=False, p_passed_at__isnull=True)
    elif state == StudyState.PASSED:
        members = members.filter(p_passed_at__isnull=False)
    return members


def member_state(member: Member) -> str:
    """The state of a row of `member_states`."""
    return _state(started=member.p_id is not None, studied_at=member.p_studied_at, passed_at=member.p_passed_at)


def can_mark(*, user: User, unit: Unit) -> bool:
    """The secretary (MEETING_MANAGE) marks members of the cell who studied at its meeting."""
    return has_unit_permission(user, Permission.MEETING_MANAGE, unit)


def marking_meetings(*, assignment: StudyAssignment, unit: Unit) -> QuerySet[Meeting]:
    """The cell's meetings held in the study period (so far), where it may have studied together: newest first."""
    return Meeting.objects.filter(
        unit=unit,
        cancelled_at__isnull=True,
        starts_at__date__gte=assignment.starts_on,
        starts_at__date__lte=min(assignment.ends_on, timezone.localdate()),
    ).order_by("-starts_at")


def marking_meeting_get(*, actor: User, pk: int) -> Meeting:
    """A meeting of a cell the actor manages the meetings of, or 404."""
    return get_object_or_404(Meeting.objects.filter(units_q(actor, Permission.MEETING_MANAGE, via="unit__")), pk=pk)
