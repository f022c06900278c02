"""Forms of the meetings pages: they only parse; the services decide."""

import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from common.fields import LONG_TEXT_MAX_LENGTH
from common.forms import DateInput
from orgunits.forms import UnitPickerField

from .choices import MeetingKind, PassingRule, Presence, RepeatRule, Reply, VoteChoice, VoteMethod, Weekday, WeekOfMonth


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%H:%M")


class MeetingForm(forms.Form):
    unit = UnitPickerField(label=_("Cell"))
    kind = forms.ChoiceField(label=_("Kind"), choices=MeetingKind.choices, initial=MeetingKind.THEMATIC)
    topic = forms.CharField(label=_("Topic"), max_length=255)
    day = forms.DateField(label=_("Date"), widget=DateInput())
    time = forms.TimeField(label=_("Time"), widget=TimeInput(), initial=datetime.time(8, 0))
    duration_minutes = forms.IntegerField(label=_("Duration (minutes)"), min_value=15, max_value=720, initial=120)
    place = forms.CharField(label=_("Place"), max_length=255)
    agenda = forms.CharField(
        max_length=LONG_TEXT_MAX_LENGTH, label=_("Agenda"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        if units.count() == 1:
            self.fields["unit"].initial = units.first().code

    def service_data(self) -> dict:
        data = dict(self.cleaned_data)
        day, time = data.pop("day"), data.pop("time")
        data["starts_at"] = timezone.make_aware(datetime.datetime.combine(day, time))
        return data


class MeetingEditForm(MeetingForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["unit"]


class SeriesForm(forms.Form):
    unit = UnitPickerField(label=_("Cell"))
    title = forms.CharField(label=_("Title"), max_length=200, initial=_("Regular cell meeting"))
    rule = forms.ChoiceField(label=_("Repeats"), choices=RepeatRule.choices, widget=forms.RadioSelect)
    day = forms.IntegerField(
        label=_("Day of the month"),
        min_value=1,
        max_value=31,
        required=False,
        help_text=_("31 means the last day in shorter months."),
    )
    week = forms.TypedChoiceField(
        label=_("Which week"), choices=[("", "—"), *WeekOfMonth.choices], coerce=int, required=False, empty_value=None
    )
    weekday = forms.TypedChoiceField(
        label=_("Weekday"), choices=[("", "—"), *Weekday.choices], coerce=int, required=False, empty_value=None
    )
    time = forms.TimeField(label=_("Time"), widget=TimeInput(), initial=datetime.time(8, 0))
    duration_minutes = forms.IntegerField(label=_("Duration (minutes)"), min_value=15, max_value=720, initial=120)
    place = forms.CharField(label=_("Place"), max_length=255)
    starts_on = forms.DateField(label=_("From"), widget=DateInput(), initial=timezone.localdate)
    ends_on = forms.DateField(label=_("Until"), widget=DateInput(), required=False)

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        if units.count() == 1:
            self.fields["unit"].initial = units.first().code


class ReplyForm(forms.Form):
    reply = forms.ChoiceField(
        label=_("Will you attend?"),
        choices=[(Reply.CONFIRMED, _("I will attend")), (Reply.EXCUSE_REQUESTED, _("I ask to be excused"))],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(label=_("Reason"), max_length=500, required=False)


class MaterialForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200, required=False)
    file = forms.FileField(label=_("PDF file"))


class MinutesForm(forms.Form):
    minutes = forms.CharField(
        max_length=LONG_TEXT_MAX_LENGTH, label=_("Minutes"), widget=forms.Textarea(attrs={"rows": 8})
    )
    resolution = forms.CharField(
        max_length=LONG_TEXT_MAX_LENGTH, label=_("Resolution"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    minutes_file = forms.FileField(label=_("Signed minutes (PDF)"), required=False)


class MarkForm(forms.Form):
    member = forms.IntegerField(widget=forms.HiddenInput)
    presence = forms.ChoiceField(
        choices=[
            (Presence.PRESENT, Presence.PRESENT.label),
            (Presence.EXCUSED, Presence.EXCUSED.label),
            (Presence.ABSENT, Presence.ABSENT.label),
        ]
    )


class YearForm(forms.Form):
    year = forms.IntegerField(min_value=2000, max_value=2100, required=False)


class CancelForm(forms.Form):
    reason = forms.CharField(
        label=_("Why is the meeting cancelled?"),
        max_length=500,
        help_text=_("The members who were invited receive this."),
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class CommentForm(forms.Form):
    text = forms.CharField(
        label=_("Your comment on the agenda"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    # The phone's time when the comment was sent (handbook/app.js sets it): one kept offline is judged then.
    written_at = forms.DateTimeField(required=False, widget=forms.HiddenInput)


class CommentAnswerForm(forms.Form):
    answer = forms.CharField(
        label=_("Answer"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    # The buttons: "1" takes the comment into the meeting, "0" takes it back out; absent, only the answer changes.
    taken = forms.ChoiceField(choices=[("", ""), ("1", "1"), ("0", "0")], required=False)

    def taken_into_meeting(self) -> bool | None:
        return {"1": True, "0": False}.get(self.cleaned_data.get("taken") or "")


class VoteOpenForm(forms.Form):
    matter = forms.CharField(label=_("Matter voted on"), max_length=500)
    method = forms.ChoiceField(label=_("How"), choices=VoteMethod.choices, initial=VoteMethod.SHOW_OF_HANDS)
    is_secret = forms.BooleanField(label=_("Secret vote (electronic only)"), required=False)
    passing_rule = forms.ChoiceField(label=_("Passes with"), choices=PassingRule.choices)
    probationary_members_vote = forms.BooleanField(
        label=_("Probationary members vote too (an opinion only, not a decision)"), required=False
    )


class VoteCloseForm(forms.Form):
    """The counts of a show of hands; an electronic vote closes with its ballots and leaves them empty."""

    count_for = forms.IntegerField(label=_("In favour"), min_value=0, max_value=100_000, required=False)
    count_against = forms.IntegerField(label=_("Against"), min_value=0, max_value=100_000, required=False)
    count_abstain = forms.IntegerField(label=_("Abstain"), min_value=0, max_value=100_000, required=False)


class BallotForm(forms.Form):
    choice = forms.ChoiceField(choices=VoteChoice.choices)
