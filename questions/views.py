"""Pages: ask, my questions, the FAQ, the answerers' queue, a question with its answer and publication."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.choices import Permission
from accounts.scoping import granted_unit_paths
from common.views import form_service, service_action

from . import selectors, services
from .choices import QuestionState
from .forms import AnswerForm, AskForm, PublishForm, QueueFilterForm

PAGE_SIZE = 25


def _page(request, items):
    return Paginator(items, PAGE_SIZE).get_page(request.GET.get("page"))


@login_required
def ask(request):
    """A member asks their cell or the commune committee."""
    if not request.user.member_id:
        return render(request, "questions/no_record.html")
    form = AskForm(request.POST or None)
    if done := form_service(
        request,
        form,
        lambda data: services.question_ask(actor=request.user, **data),
        success=lambda question: _("Your question has been sent to %(unit)s.") % {"unit": question.unit.name},
        to=lambda question: reverse("questions:detail", args=[question.pk]),
    ):
        return done
    return render(request, "questions/ask.html", {"form": form})


@login_required
def mine(request):
    """The signed-in member's own questions."""
    page = _page(request, selectors.my_questions(user=request.user))
    can_answer = bool(granted_unit_paths(request.user, Permission.QUESTION_ANSWER))
    return render(request, "questions/mine.html", {"page": page, "can_answer": can_answer})


@login_required
def faq(request):
    """Questions answered and published for the units the user belongs to, without the askers' names."""
    return render(request, "questions/faq.html", {"page": _page(request, selectors.faq_for(actor=request.user))})


@login_required
def queue(request):
    """The questions waiting for the units where the user may answer."""
    form = QueueFilterForm(request.GET or None)
    state = form.cleaned_data["state"] if form.is_valid() else ""
    page = _page(request, selectors.question_queue(actor=request.user, state=state))
    return render(request, "questions/queue.html", {"page": page, "form": form})


def _detail_page(request, question, *, answer_form=None, publish_form=None, status=200):
    can_answer = services.can_answer(request.user, question)
    if can_answer and answer_form is None:
        answer_form = AnswerForm(initial={"answer": question.answer})
    can_publish = (
        can_answer
        and question.may_publish
        and question.state
        in (
            QuestionState.ANSWERED,
            QuestionState.PUBLISHED,
        )
    )
    if can_publish and publish_form is None:
        publish_form = PublishForm(
            initial={
                "faq_question": question.faq_question or question.text,
                "faq_answer": question.faq_answer or question.answer,
            }
        )
    context = {
        "question": question,
        "is_asker": question.asker_id == request.user.pk,
        "can_answer": can_answer and question.state != QuestionState.CLOSED,
        "can_publish": can_publish,
        "answer_form": answer_form,
        "publish_form": publish_form,
    }
    return render(request, "questions/detail.html", context, status=status)


@login_required
def detail(request, pk: int):
    return _detail_page(request, selectors.question_get(actor=request.user, pk=pk))


def _question_step(request, question, *, form, form_name: str, service, success: str):
    """A form of the question's page handed to its service; refused, the page again with the form's errors."""
    if done := form_service(
        request,
        form,
        lambda data: service(actor=request.user, question=question, **data),
        success=success,
        to="questions:detail",
        pk=question.pk,
    ):
        return done
    return _detail_page(request, question, **{form_name: form})


@login_required
@require_POST
def answer(request, pk: int):
    question = selectors.question_get(actor=request.user, pk=pk)
    return _question_step(
        request,
        question,
        form=AnswerForm(request.POST),
        form_name="answer_form",
        service=services.question_answer,
        success=_("The answer is saved and the member is told."),
    )


@login_required
@require_POST
def publish(request, pk: int):
    question = selectors.question_get(actor=request.user, pk=pk)
    return _question_step(
        request,
        question,
        form=PublishForm(request.POST),
        form_name="publish_form",
        service=services.question_publish,
        success=_("Published in the FAQ, without the member's name."),
    )


@login_required
@require_POST
def close(request, pk: int):
    question = selectors.question_get(actor=request.user, pk=pk)
    return service_action(
        request,
        lambda: services.question_close(actor=request.user, question=question),
        success=_("The question is closed."),
        to="questions:detail",
        pk=question.pk,
    )
