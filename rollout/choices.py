from django.db import models
from django.utils.translation import gettext_lazy as _


class TeamKind(models.TextChoices):
    SUPPORT_TEAM = "support_team", _("Support team")
    COMMUNITY_DIGITAL_TEAM = "community_digital_team", _("Community digital technology team")


class Affiliation(models.TextChoices):
    """Where a helper comes from: the teams a commune raises draw on the party committee, the mass organisations,
    the schools and the police (the rollout plans of the source articles)."""

    PARTY_COMMITTEE = "party_committee", _("Member of the grassroots party committee")
    YOUTH_UNION = "youth_union", _("Youth union")
    WOMENS_UNION = "womens_union", _("Women's union")
    VETERANS = "veterans", _("Veterans' association")
    TEACHER = "teacher", _("Teacher")
    POLICE = "police", _("Police")
    DIGITAL_TEAM = "digital_team", _("Community digital technology team")
    OTHER = "other", _("Other")


class HelpPlace(models.TextChoices):
    CELL_MEETING = "cell_meeting", _("At the cell meeting")
    VILLAGE_MEETING = "village_meeting", _("At the village meeting")
    MASS_ORGANISATION = "mass_org", _("At a mass organisation's activity")
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


class PlanStatus(models.TextChoices):
    MET = "met", _("Target reached")
    ON_TRACK = "on_track", _("On track")
    BEHIND = "behind", _("Behind the plan")
    MISSED = "missed", _("Deadline passed, target not reached")


# The counters kept per unit subtree, in the order the figures show them.
COUNTER_FIELDS = ("members", "eligible", "activated", "verified", "help_sessions")
