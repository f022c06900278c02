from django import forms
from django.utils.translation import gettext_lazy as _

from .choices import Addressee, QuestionState
from .services import MAX_ANSWER_LENGTH, MAX_QUESTION_LENGTH


class AskForm(forms.Form):
    addressee = forms.ChoiceField(
        label=_("Whom do you ask?"), choices=Addressee.choices, initial=Addressee.CELL, widget=forms.RadioSelect
    )
    text = forms.CharField(
        label=_("Your question"), max_length=MAX_QUESTION_LENGTH, widget=forms.Textarea(attrs={"rows": 5})
    )
    may_publish = forms.BooleanField(
        label=_("The committee may publish my question and its answer in the FAQ, without my name"), required=False
    )


class AnswerForm(forms.Form):
    answer = forms.CharField(label=_("Answer"), max_length=MAX_ANSWER_LENGTH, widget=forms.Textarea(attrs={"rows": 6}))


class PublishForm(forms.Form):
    faq_question = forms.CharField(
        label=_("Question as published"),
        max_length=MAX_QUESTION_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Remove names and other personal details: the FAQ never names the member."),
    )
    faq_answer = forms.CharField(
        label=_("Answer as published"), max_length=MAX_ANSWER_LENGTH, widget=forms.Textarea(attrs={"rows": 6})
    )


class QueueFilterForm(forms.Form):
    state = forms.ChoiceField(
        label=_("State"), required=False, choices=[("", _("Waiting for an answer")), *QuestionState.choices[1:]]
    )
