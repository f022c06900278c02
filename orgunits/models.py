from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from treebeard.mp_tree import MP_Node

from common.choices import choice_label

from .choices import CELL_KINDS, AreaKind, OrganisationKind, UnitKind

code_validator = RegexValidator(
    r"^[A-Za-z0-9._-]{1,32}$", _("A code has 1 to 32 letters, digits, dots, dashes or underscores, without spaces.")
)

official_code_validator = RegexValidator(
    r"^([0-9]{2}|[0-9]{5})$", _("An official code has 2 digits (a province) or 5 digits (a commune or ward).")
)


class TreeNode(MP_Node):
    """What both trees share: a stable code, a name, a kind, and the dates the node existed."""

    code = models.CharField(_("code"), max_length=32, unique=True, validators=[code_validator])
    name = models.CharField(_("name"), max_length=200)
    opened_on = models.DateField(_("opened on"), null=True, blank=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)

    # Paths change on every move and numchild on every child added: the log keeps the parent instead.
    AUDIT_EXCLUDE = ("numchild",)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.name

    @property
    def is_open(self) -> bool:
        return self.closed_on is None

    @classmethod
    def ancestor_paths(cls, path: str) -> list[str]:
        """The paths of the node at `path` and of every node above it, root first (materialised paths are prefixes)."""
        return [path[:end] for end in range(cls.steplen, len(path) + 1, cls.steplen)]


class AdminArea(TreeNode):
    """The administrative tree: province → commune/ward → village or residential group."""

    kind = models.CharField(_("kind"), max_length=32, choices=AreaKind.choices)
    # The General Statistics Office's code of a province (2 digits) or a commune (5 digits), for the areas loaded
    # from the official list (orgunits/divisions.py); villages and residential groups have none.
    official_code = models.CharField(
        _("official code"), max_length=5, null=True, blank=True, unique=True, validators=[official_code_validator]
    )

    class Meta:
        verbose_name = _("administrative area")
        verbose_name_plural = _("administrative areas")


class Unit(TreeNode):
    """A party organisation: the central level, a committee or a cell. A member's place of activity is a cell."""

    kind = models.CharField(_("kind"), max_length=32, choices=UnitKind.choices)
    area = models.ForeignKey(
        AdminArea, verbose_name=_("area served"), null=True, blank=True, on_delete=models.PROTECT, related_name="units"
    )
    merged_into = models.ForeignKey(
        "self", verbose_name=_("merged into"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("party unit")
        verbose_name_plural = _("party units")

    def get_kind_display(self) -> str:
        return choice_label(UnitKind, self.kind)  # unit lists show it once a row (common/choices.py)

    @property
    def is_cell(self) -> bool:
        return self.kind in CELL_KINDS


class Organisation(models.Model):
    """A state body or an organisation on the administrative tree: a People's Committee and its offices, an agency,
    a school, an enterprise, a mass organisation. Not a party unit: it holds no members. It issues report campaigns
    (a People's Committee) and files reports (every kind), through the people given a role in it
    (accounts.CivicRole)."""

    code = models.CharField(_("code"), max_length=32, unique=True, validators=[code_validator])
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=32, choices=OrganisationKind.choices)
    area = models.ForeignKey(AdminArea, verbose_name=_("area"), on_delete=models.PROTECT, related_name="organisations")
    # An office's People's Committee; nothing for the other kinds.
    parent = models.ForeignKey(
        "self", verbose_name=_("belongs to"), null=True, blank=True, on_delete=models.PROTECT, related_name="offices"
    )
    # The organisation's own party cell or committee, when it has one: its reports' figures are that unit's.
    party_unit = models.ForeignKey(
        Unit, verbose_name=_("party unit"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    opened_on = models.DateField(_("opened on"), null=True, blank=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["area"],
                condition=Q(kind=OrganisationKind.PEOPLES_COMMITTEE, closed_on__isnull=True),
                name="one_open_peoples_committee_per_area",
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_open(self) -> bool:
        return self.closed_on is None

    @property
    def acts_for(self) -> "Organisation":
        """The body whose campaigns this one follows: an office works for its People's Committee."""
        return self.parent if self.kind == OrganisationKind.OFFICE and self.parent_id else self
