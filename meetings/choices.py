from django.db import models
from django.utils.translation import gettext_lazy as _

from members.choices import MemberStatus


class MeetingKind(models.TextChoices):
    REGULAR = "regular", _("Regular monthly meeting")
    THEMATIC = "thematic", _("Thematic meeting")


class RepeatRule(models.TextChoices):
    DAY_OF_MONTH = "day_of_month", _("On a day of the month")
    WEEKDAY_OF_MONTH = "weekday_of_month", _("On a weekday of the month")


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("Monday")
    TUESDAY = 1, _("Tuesday")
    WEDNESDAY = 2, _("Wednesday")
    THURSDAY = 3, _("Thursday")
    FRIDAY = 4, _("Friday")
    SATURDAY = 5, _("Saturday")
    SUNDAY = 6, _("Sunday")


class WeekOfMonth(models.IntegerChoices):
    FIRST = 1, _("first")
    SECOND = 2, _("second")
    THIRD = 3, _("third")
    FOURTH = 4, _("fourth")
    LAST = 5, _("last")


class Reply(models.TextChoices):
    """The member's answer to the invitation."""

    NONE = "", _("No answer yet")
    CONFIRMED = "confirmed", _("Will attend")
    EXCUSE_REQUESTED = "excuse_requested", _("Asks to be excused")


class ExcuseDecision(models.TextChoices):
    NONE = "", _("No excuse")
    PENDING = "pending", _("Excuse waiting for the secretary")
    ACCEPTED = "accepted", _("Excuse accepted")
    REFUSED = "refused", _("Excuse not accepted")


class Presence(models.TextChoices):
    UNKNOWN = "", _("Not recorded")
    PRESENT = "present", _("Present")
    EXCUSED = "excused", _("Excused")
    ABSENT = "absent", _("Absent")


class CheckInMethod(models.TextChoices):
    QR = "qr", _("QR code")
    BY_HAND = "by_hand", _("Marked by the secretary")


# Who is expected at a cell's meeting: members on the roll who take part in activities. Exempt and temporarily
# exempt members are relieved of activities; members transferred out temporarily attend their temporary cell;
# members who left or died are not on the roll.
EXPECTED_STATUSES = frozenset({MemberStatus.ACTIVE})
# Exempt members are not expected, but one who comes is marked present, counts and votes (see
# selectors.VoteFigures).
MAY_ATTEND_STATUSES = frozenset({MemberStatus.EXEMPT, MemberStatus.TEMPORARILY_EXEMPT})


class VoteMethod(models.TextChoices):
    SHOW_OF_HANDS = "show_of_hands", _("Show of hands, counted by the secretary")
    ELECTRONIC = "electronic", _("Electronic, each present member on their phone")


class VoteChoice(models.TextChoices):
    FOR = "for", _("In favour")
    AGAINST = "against", _("Against")
    ABSTAIN = "abstain", _("Abstain")


class PassingRule(models.TextChoices):
    """How many "for" a vote needs. The rules count shares against the official members with a vote (Quy định
    thi hành Điều lệ Đảng: the official members of the cell, less those transferred out temporarily and exempt
    members who are absent); some matters (e.g. rating a member excellent, expelling) need two thirds."""

    MAJORITY_OF_ROLL = "majority_of_roll", _("More than half of the official members with a vote")
    TWO_THIRDS_OF_ROLL = "two_thirds_of_roll", _("At least two thirds of the official members with a vote")
    MAJORITY_OF_VOTERS = "majority_of_voters", _("More than half of the members who voted")
