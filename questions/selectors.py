"""Reads of the questions app. A member reads their own questions and the FAQ above them; answerers read
the questions of the units where they hold `question.answer` (and below)."""

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404

from accounts.choices import Permission
from accounts.models import RoleAssignment, User
from accounts.scoping import published_above_q, units_q
from orgunits.models import Unit

from .choices import OPEN_STATES, WAITING_STATES, QuestionState
from .models import Question


def questions_visible_to(actor: User) -> QuerySet[Question]:
    """The actor's own questions and those of units where they may answer."""
    if not actor.is_authenticated:
        return Question.objects.none()
    return Question.objects.filter(Q(asker=actor) | units_q(actor, Permission.QUESTION_ANSWER, via="unit__"))


def question_get(*, actor: User, pk: int) -> Question:
    """A question the actor may read, or 404."""
    return get_object_or_404(
        questions_visible_to(actor).select_related("unit", "member", "asker", "answered_by", "published_by"), pk=pk
    )


def my_questions(*, user) -> QuerySet[Question]:
    return Question.objects.filter(asker=user).select_related("unit").order_by("-created_at", "-id")


def my_open_questions(*, user, limit: int = 5) -> list[Question]:
    """The member's questions not yet settled (waiting or answered), newest first: for the home."""
    if not user.is_authenticated:
        return []
    return list(my_questions(user=user).filter(state__in=OPEN_STATES)[:limit])


def question_queue(*, actor: User, state: str = "") -> QuerySet[Question]:
    """Questions for the units where the actor may answer; by default those still waiting, oldest first."""
    questions = Question.objects.filter(units_q(actor, Permission.QUESTION_ANSWER, via="unit__"))
    questions = questions.filter(state=state) if state else questions.filter(state__in=WAITING_STATES)
    return questions.select_related("unit").order_by("created_at", "id")


def _faq_places(actor: User) -> list[str]:
    """Paths of the units the actor belongs to: their own cell and the units of their roles."""
    places = set(RoleAssignment.objects.active().filter(user=actor).values_list("unit__path", flat=True))
    if actor.member_id:
        places.update(Unit.objects.filter(members__pk=actor.member_id).values_list("path", flat=True))
    return sorted(places)


def faq_for(*, actor: User) -> QuerySet[Question]:
    """Published questions of the actor's units and of the units above them (a FAQ is for its unit's subtree),
    and those published anywhere in the subtrees the actor may see."""
    if not actor.is_authenticated:
        return Question.objects.none()
    condition = published_above_q(_faq_places(actor)) | units_q(actor, Permission.UNIT_VIEW, via="unit__")
    return (
        Question.objects.filter(condition, state=QuestionState.PUBLISHED)
        .select_related("unit")
        .order_by("-published_at", "-id")
    )
