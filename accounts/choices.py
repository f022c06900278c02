from django.db import models
from django.utils.translation import gettext_lazy as _


class InterfaceLanguage(models.TextChoices):
    """The language a user chose for the interface; blank means not chosen, which is Vietnamese."""

    VIETNAMESE = "vi", "Tiếng Việt"
    ENGLISH = "en", "English"


class RoleKind(models.TextChoices):
    MEMBER = "member", _("Party member")
    CELL_SECRETARY = "cell_secretary", _("Cell secretary")
    COMMITTEE_OFFICER = "committee_officer", _("Committee officer")
    COMMITTEE_ADMIN = "committee_admin", _("Committee administrator")
    SUPPORTER = "supporter", _("Supporter")
    VIEWER = "viewer", _("Viewer")


class Permission(models.TextChoices):
    """What a role allows over the subtree of the unit it is granted on."""

    UNIT_VIEW = "unit.view", _("See units")
    UNIT_MANAGE = "unit.manage", _("Create, move, close and merge units")
    MEMBER_VIEW = "member.view", _("See member records")
    MEMBER_CHANGE = "member.change", _("Add and change member records")
    ROLE_MANAGE = "role.manage", _("Grant and revoke roles")
    MEETING_MANAGE = "meeting.manage", _("Schedule meetings and record attendance and minutes")
    CONTENT_PUBLISH = "content.publish", _("Publish documents and notices")
    QUESTION_ANSWER = "question.answer", _("Answer members' questions")
    REPORT_SUBMIT = "report.submit", _("Fill in and submit reports")
    REPORT_MANAGE = "report.manage", _("Issue report campaigns, accept and return reports")
    ACCESS_LOG_VIEW = "access_log.view", _("See who opened and exported member records")
    ROLLOUT_VIEW = "rollout.view", _("See the rollout figures (counts, no member's data)")
    DUES_RECORD = "dues.record", _("Record party dues, members' dues bases and exemptions")
    RATING_DECIDE = "rating.decide", _("Issue the year-end rating and decide members' grades")
    TRANSFER_DECIDE = "transfer.decide", _("Decide transfers of party activity and issue their letters")
    ADMISSION_DECIDE = "admission.decide", _("Decide admissions and the end of probationary members' probation")


_STAFF_VIEW = {Permission.UNIT_VIEW, Permission.MEMBER_VIEW, Permission.ROLLOUT_VIEW}
# What those who lead a cell or a committee do for their own subtree.
_UNIT_LEADER = {
    Permission.MEMBER_CHANGE,
    Permission.MEETING_MANAGE,
    Permission.CONTENT_PUBLISH,
    Permission.QUESTION_ANSWER,
    Permission.REPORT_SUBMIT,
    # No treasurer role exists: the cell secretary (and the committee's officers above) keep the dues ledger.
    Permission.DUES_RECORD,
}

# The one table of who may do what. A plain member sees their own unit and their own record
# (through `member.user`), never the registry. A supporter (often a volunteer from outside the party) reads no
# record either: only the worklist of the support teams they belong to (rollout/), with phones masked until they
# reveal one to call, which is logged (docs/security.md, "Who sees personal data").
ROLE_PERMISSIONS: dict[str, frozenset[str]] = {
    RoleKind.MEMBER: frozenset({Permission.UNIT_VIEW}),
    RoleKind.VIEWER: frozenset(_STAFF_VIEW),
    RoleKind.SUPPORTER: frozenset({Permission.UNIT_VIEW, Permission.ROLLOUT_VIEW}),
    RoleKind.CELL_SECRETARY: frozenset(_STAFF_VIEW | _UNIT_LEADER),
    RoleKind.COMMITTEE_OFFICER: frozenset(
        _STAFF_VIEW
        | _UNIT_LEADER
        | {
            Permission.UNIT_MANAGE,
            Permission.REPORT_MANAGE,
            Permission.RATING_DECIDE,
            Permission.TRANSFER_DECIDE,
            Permission.ADMISSION_DECIDE,
        }
    ),
    RoleKind.COMMITTEE_ADMIN: frozenset(
        _STAFF_VIEW
        | _UNIT_LEADER
        | {
            Permission.UNIT_MANAGE,
            Permission.REPORT_MANAGE,
            Permission.RATING_DECIDE,
            Permission.TRANSFER_DECIDE,
            Permission.ADMISSION_DECIDE,
            Permission.ROLE_MANAGE,
            Permission.ACCESS_LOG_VIEW,
        }
    ),
}


class CivicRoleKind(models.TextChoices):
    """Roles outside the party: in a People's Committee or one of its offices, a village, an organisation."""

    CULTURE_SOCIETY_OFFICER = "culture_society_officer", _("Culture–Society officer")
    VILLAGE_HEAD = "village_head", _("Head of a village or residential group")
    ORGANISATION_CONTACT = "organisation_contact", _("Organisation's contact")


# What a civic role allows over the body it is held on (an office works for its People's Committee) or over the
# village it is held on. It reaches that body's or that village's reports: never a member's record.
CIVIC_ROLE_PERMISSIONS: dict[str, frozenset[str]] = {
    # Follows up the committee's campaigns and compiles them; files the committee's own report upward.
    CivicRoleKind.CULTURE_SOCIETY_OFFICER: frozenset({Permission.REPORT_MANAGE, Permission.REPORT_SUBMIT}),
    CivicRoleKind.VILLAGE_HEAD: frozenset({Permission.REPORT_SUBMIT}),
    CivicRoleKind.ORGANISATION_CONTACT: frozenset({Permission.REPORT_SUBMIT}),
}
# The kinds held on a village or residential group; the others are held on an organisation.
CIVIC_ROLES_ON_AREAS = frozenset({CivicRoleKind.VILLAGE_HEAD})


class ActivationChannel(models.TextChoices):
    SLIP_CODE = "slip_code", _("Code printed on a slip")
    SMS = "sms", _("Identity check with an SMS code")
    SUPPORTER = "supporter", _("A supporter with the member present")
    SECRETARY_RESET = "secretary_reset", _("Code from a secretary's reset")
    OTHER = "other", _("Other")
