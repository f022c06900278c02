from django.db import models
from django.utils.translation import gettext_lazy as _


class TeamKind(models.TextChoices):
    SUPPORT_TEAM = "support_team", _("Support team")
    COMMUNITY_DIGITAL_TEAM = "community_digital_team", _("Community digital technology team")


class Affiliation(models.TextChoices):
    YOUTH_UNION = "youth_union", _("Youth union")
    POLICE = "police", _("Police")
    TEACHER = "teacher", _("Teacher")
    OTHER = "other", _("Other")


class HelpPlace(models.TextChoices):
    CELL_MEETING = "cell_meeting", _("At the cell meeting")
    HOME = "home", _("At home")
    REMOTE = "remote", _("Online or by phone")
    OFFICE = "office", _("At the office")


class HelpTopic(models.TextChoices):
    INSTALL = "install", _("Install the app")
    ACTIVATE = "activate", _("Activate the account")
    LOG_IN = "log_in", _("Sign in")
    UPDATE_INFO = "update_info", _("Update information")
    LEARN_FEATURES = "learn_features", _("Learn the features")


class HelpOutcome(models.TextChoices):
    DONE = "done", _("Done")
    NEEDS_ANOTHER_VISIT = "needs_another_visit", _("Needs another visit")
    NO_SMARTPHONE = "no_smartphone", _("Cannot: no smartphone")
    NO_SIGNAL = "no_signal", _("Cannot: no signal")
    DECLINED = "declined", _("Cannot: declined")


# The counters kept per unit subtree, in the order the figures show them.
COUNTER_FIELDS = ("members", "eligible", "activated", "verified", "help_sessions")
