"""Every write of the questions app: ask, answer, publish to the FAQ (anonymised), close.

Routing: a question goes to its unit (the member's cell or the commune committee above it); the users
told about it are those holding `question.answer` on that unit, or, when nobody does, on the nearest unit
above that has someone. Anyone with `question.answer` on the unit or above may answer it.
"""

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.choices import ROLE_PERMISSIONS, Permission
from accounts.models import RoleAssignment, User
from accounts.scoping import has_unit_permission
from audit.choices import ChangeAction
from audit.services import model_create, model_update
from common.freshness import changed, user_token
from notifications.services import Message, notify
from orgunits.models import Unit
from orgunits.selectors import commune_committee_of

from .choices import Addressee, QuestionState
from .models import Question

MAX_QUESTION_LENGTH = 4000
MAX_ANSWER_LENGTH = 8000


# ---------------------------------------------------------------- routing


def unit_for(*, member, addressee: str) -> Unit:
    """The unit a member's question goes to: their cell, or the commune committee above it."""
    if addressee == Addressee.CELL:
        return member.unit
    if addressee == Addressee.COMMUNE:
        return commune_committee_of(member.unit)
    raise ValidationError({"addressee": _("Choose whom to ask.")})


def answerers_for(unit: Unit) -> list[int]:
    """Ids of the users told about a new question: `question.answer` on the unit itself, else on the nearest
    unit above that has such a user."""
    roles = [role for role, permissions in ROLE_PERMISSIONS.items() if Permission.QUESTION_ANSWER in permissions]
    paths = [unit.path[: index * Unit.steplen] for index in range(unit.depth, 0, -1)]  # nearest first
    held = RoleAssignment.objects.active().filter(role__in=roles, unit__path__in=paths, user__is_active=True)
    by_path: dict[str, set[int]] = {}
    for path, user_id in held.values_list("unit__path", "user_id"):
        by_path.setdefault(path, set()).add(user_id)
    return next((sorted(by_path[path]) for path in paths if path in by_path), [])


def can_answer(actor: User, question: Question) -> bool:
    return (
        bool(actor) and actor.is_authenticated and has_unit_permission(actor, Permission.QUESTION_ANSWER, question.unit)
    )


def require_can_answer(actor: User, question: Question) -> None:
    if not can_answer(actor, question):
        raise PermissionDenied(_("You may not answer questions of this unit."))


def _message(*, kind: str, title: str, body: str, url: str, dedupe_key: str) -> Message:
    # The in-app inbox only: no outside channel is worth a text message here.
    return Message(kind=kind, title=title, body=body, url=url, dedupe_key=dedupe_key)


def _in_users_language(function):
    """Notifications are stored as written: write them in the site's language (Vietnamese)."""
    with translation.override(settings.LANGUAGE_CODE):
        return function()


def _excerpt(text: str, length: int = 140) -> str:
    text = " ".join(text.split())
    return text if len(text) <= length else text[: length - 1] + "…"


# ---------------------------------------------------------------- writes


@transaction.atomic
def question_ask(*, actor: User, addressee: str, text: str, may_publish: bool = False) -> Question:
    """A member asks their cell or their commune committee; the unit's answerers are notified."""
    if actor is None or not actor.is_authenticated or not actor.member_id:
        raise PermissionDenied(_("Only a party member with a record can ask the committee."))
    member = actor.member
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": _("Write your question.")})
    question = Question(
        asker=actor,
        member=member,
        addressee=addressee,
        unit=unit_for(member=member, addressee=addressee),
        text=text,
        may_publish=may_publish,
    )
    model_create(question, actor=actor, unit=question.unit)
    changed(user_token(question.asker_id))
    url = reverse("questions:detail", args=[question.pk])
    message = _in_users_language(
        lambda: _message(
            kind="question_asked",
            title=_("A member asked %(unit)s a question") % {"unit": question.unit.name},
            body=_excerpt(text),
            url=url,
            dedupe_key=f"question-asked-{question.pk}",
        )
    )
    notify(recipients=answerers_for(question.unit), message=message)
    return question


def _lock(question: Question) -> Question:
    return Question.objects.select_for_update().select_related("unit", "asker").get(pk=question.pk)


@transaction.atomic
def question_answer(*, actor: User, question: Question, answer: str) -> Question:
    """Answer (or correct the answer of) a question; the asker is notified the first time."""
    question = _lock(question)
    require_can_answer(actor, question)
    if question.state == QuestionState.CLOSED:
        raise ValidationError({"answer": _("This question is closed.")})
    answer = (answer or "").strip()
    if not answer:
        raise ValidationError({"answer": _("Write the answer.")})
    is_first = question.state == QuestionState.OPEN
    data = {"answer": answer, "answered_by": actor, "answered_at": timezone.now()}
    if is_first:
        data["state"] = QuestionState.ANSWERED
    model_update(question, data=data, actor=actor, unit=question.unit)
    changed(user_token(question.asker_id))
    if is_first:
        message = _in_users_language(
            lambda: _message(
                kind="question_answered",
                title=_("Your question has been answered"),
                body=_excerpt(answer),
                url=reverse("questions:detail", args=[question.pk]),
                dedupe_key=f"question-answered-{question.pk}",
            )
        )
        notify(recipients=[question.asker_id], message=message)
    return question


@transaction.atomic
def question_publish(*, actor: User, question: Question, faq_question: str, faq_answer: str) -> Question:
    """Publish an answered question to the FAQ of its unit's subtree, in texts without personal details.

    Only with the asker's consent; the asker's name is never part of the FAQ.
    """
    question = _lock(question)
    require_can_answer(actor, question)
    if question.state not in (QuestionState.ANSWERED, QuestionState.PUBLISHED):
        raise ValidationError(_("Only an answered question can be published."))
    if not question.may_publish:
        raise ValidationError(_("The member did not agree to publish this question."))
    faq_question, faq_answer = (faq_question or "").strip(), (faq_answer or "").strip()
    errors = {}
    if not faq_question:
        errors["faq_question"] = _("Write the question as it will be published.")
    if not faq_answer:
        errors["faq_answer"] = _("Write the answer as it will be published.")
    names = {name for name in (question.member.full_name, question.asker.get_full_name()) if name}
    for field, value in (("faq_question", faq_question), ("faq_answer", faq_answer)):
        if any(name.casefold() in value.casefold() for name in names):
            errors[field] = _("Remove the member's name: the FAQ is anonymous.")
    if errors:
        raise ValidationError(errors)
    data = {
        "faq_question": faq_question,
        "faq_answer": faq_answer,
        "state": QuestionState.PUBLISHED,
        "published_by": actor,
        "published_at": timezone.now(),
    }
    model_update(question, data=data, actor=actor, unit=question.unit)
    changed(user_token(question.asker_id))
    return question


@transaction.atomic
def question_close(*, actor: User, question: Question) -> Question:
    """Close a question: the asker withdraws it, or an answerer settles it (a published one leaves the FAQ)."""
    question = _lock(question)
    is_asker = actor is not None and actor.is_authenticated and question.asker_id == actor.pk
    if not is_asker:
        require_can_answer(actor, question)
    if question.state == QuestionState.CLOSED:
        raise ValidationError(_("This question is already closed."))
    data = {"state": QuestionState.CLOSED, "closed_at": timezone.now()}
    model_update(question, data=data, actor=actor, action=ChangeAction.CLOSE, unit=question.unit, clean=False)
    changed(user_token(question.asker_id))
    return question
