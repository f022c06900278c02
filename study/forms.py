from django import forms
from django.utils.translation import gettext_lazy as _

from common.fields import LONG_TEXT_MAX_LENGTH
from common.forms import DateInput, reason_field
from orgunits.forms import UnitPickerField

from .choices import ANSWER_LETTERS, MaterialKind


class AssignmentForm(forms.Form):
    unit = UnitPickerField(label=_("Assigned by (committee)"))
    kind = forms.ChoiceField(label=_("What to study"), choices=MaterialKind.choices)
    title = forms.CharField(label=_("Title"), max_length=300)
    text = forms.CharField(
        label=_("Text to study"),
        required=False,
        max_length=LONG_TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("The topic or the resolution's main points, as members will read them."),
    )
    documents = forms.ModelMultipleChoiceField(
        label=_("Documents of the library"), queryset=None, required=False, widget=forms.CheckboxSelectMultiple
    )
    starts_on = forms.DateField(label=_("From"), widget=DateInput)
    ends_on = forms.DateField(label=_("Until"), widget=DateInput)
    pass_mark = forms.IntegerField(label=_("Pass mark (%)"), min_value=1, max_value=100, initial=80)
    max_attempts = forms.IntegerField(label=_("Attempts allowed"), min_value=1, max_value=10, initial=3)
    notify_members = forms.BooleanField(
        label=_("Tell the members (in their inbox and on their phone)"), required=False, initial=True
    )

    def __init__(self, *args, units, documents, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        self.fields["documents"].queryset = documents
        self.fields["documents"].label_from_instance = lambda document: f"{document.number} · {document.title}"


class QuestionForm(forms.Form):
    text = forms.CharField(label=_("Question"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2}))
    is_multiple = forms.BooleanField(label=_("More than one answer may be right"), required=False)
    explanation = forms.CharField(
        label=_("Explanation"),
        required=False,
        max_length=LONG_TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Shown to the member after they answer."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for letter in ANSWER_LETTERS:
            self.fields[f"answer_{letter}"] = forms.CharField(
                label=_("Answer %(letter)s") % {"letter": letter}, required=False, max_length=500
            )
            self.fields[f"right_{letter}"] = forms.BooleanField(
                label=_("%(letter)s is right") % {"letter": letter}, required=False
            )

    def choices(self) -> list[tuple[str, bool]]:
        data = self.cleaned_data
        return [(data[f"answer_{letter}"], data[f"right_{letter}"]) for letter in ANSWER_LETTERS]

    def answer_rows(self):
        return [(self[f"answer_{letter}"], self[f"right_{letter}"]) for letter in ANSWER_LETTERS]


class ExtendForm(forms.Form):
    ends_on = forms.DateField(label=_("New last day"), widget=DateInput)


class WithdrawForm(forms.Form):
    reason = reason_field(required=True)


class QuizForm(forms.Form):
    """One field per question: radio buttons for one answer, check boxes when more than one may be right; and the
    number of the attempt the page was for, so that the same answers sent twice are scored once."""

    attempt = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1, max_value=100)

    def __init__(self, *args, questions, **kwargs):
        super().__init__(*args, **kwargs)
        for number, question in enumerate(questions, start=1):
            choices = [(choice.pk, f"{choice.letter}. {choice.text}") for choice in question.choices.all()]
            label = f"{number}. {question.text}"
            if question.is_multiple:
                field = forms.TypedMultipleChoiceField(
                    label=label, choices=choices, coerce=int, widget=forms.CheckboxSelectMultiple, required=False
                )
            else:
                field = forms.TypedChoiceField(
                    label=label, choices=choices, coerce=int, widget=forms.RadioSelect, required=False
                )
            field.is_multiple = question.is_multiple
            self.fields[f"q{question.pk}"] = field
        self.questions = questions

    def answers(self) -> dict[int, list[int]]:
        answers = {}
        for question in self.questions:
            value = self.cleaned_data.get(f"q{question.pk}")
            answers[question.pk] = list(value) if isinstance(value, list) else ([value] if value else [])
        return answers
