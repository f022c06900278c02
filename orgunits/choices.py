from django.db import models
from django.utils.translation import gettext_lazy as _


class UnitKind(models.TextChoices):
    CENTRAL = "central", _("Central")
    PROVINCE_COMMITTEE = "province_committee", _("Provincial party committee")
    COMMUNE_COMMITTEE = "commune_committee", _("Commune party committee")
    GRASSROOTS_COMMITTEE = "grassroots_committee", _("Grassroots party committee")
    GRASSROOTS_CELL = "grassroots_cell", _("Grassroots party cell")
    ATTACHED_CELL = "attached_cell", _("Attached party cell")


# Which kinds a unit of each kind may sit under (None: a root). Since 1 July 2025 there is no
# district level; village and residential-group cells are attached straight to the commune committee.
UNIT_PARENT_KINDS: dict[str, set[str | None]] = {
    UnitKind.CENTRAL: {None},
    UnitKind.PROVINCE_COMMITTEE: {UnitKind.CENTRAL},
    UnitKind.COMMUNE_COMMITTEE: {UnitKind.PROVINCE_COMMITTEE},
    UnitKind.GRASSROOTS_COMMITTEE: {UnitKind.PROVINCE_COMMITTEE, UnitKind.COMMUNE_COMMITTEE},
    UnitKind.GRASSROOTS_CELL: {UnitKind.PROVINCE_COMMITTEE, UnitKind.COMMUNE_COMMITTEE},
    UnitKind.ATTACHED_CELL: {UnitKind.COMMUNE_COMMITTEE, UnitKind.GRASSROOTS_COMMITTEE},
}

CELL_KINDS = frozenset({UnitKind.GRASSROOTS_CELL, UnitKind.ATTACHED_CELL})


class AreaKind(models.TextChoices):
    PROVINCE = "province", _("Province / city")
    COMMUNE = "commune", _("Commune / ward")
    VILLAGE = "village", _("Village")
    RESIDENTIAL_GROUP = "residential_group", _("Residential group")


AREA_PARENT_KINDS: dict[str, set[str | None]] = {
    AreaKind.PROVINCE: {None},
    AreaKind.COMMUNE: {AreaKind.PROVINCE},
    AreaKind.VILLAGE: {AreaKind.COMMUNE},
    AreaKind.RESIDENTIAL_GROUP: {AreaKind.COMMUNE},
}

RESIDENCE_AREA_KINDS = frozenset({AreaKind.VILLAGE, AreaKind.RESIDENTIAL_GROUP})

# The authority line of a document's signer block ("T/M <the body that signs>", Hướng dẫn 36-HD/VPTW):
# a cell signs for the cell, a party committee for its executive (đảng ủy) or standing committee.
# Fixed words of the party's document format, so Vietnamese whatever the interface language.
SIGNING_AUTHORITY: dict[str, str] = {
    UnitKind.CENTRAL: "T/M BAN CHẤP HÀNH TRUNG ƯƠNG",
    UnitKind.PROVINCE_COMMITTEE: "T/M BAN THƯỜNG VỤ",
    UnitKind.COMMUNE_COMMITTEE: "T/M ĐẢNG ỦY",
    UnitKind.GRASSROOTS_COMMITTEE: "T/M ĐẢNG ỦY",
    UnitKind.GRASSROOTS_CELL: "T/M CHI BỘ",
    UnitKind.ATTACHED_CELL: "T/M CHI BỘ",
}


def signing_authority(kind: str) -> str:
    """The signer block's authority line for a document issued by a unit of this kind."""
    return SIGNING_AUTHORITY[kind]


class OrganisationKind(models.TextChoices):
    """State bodies and organisations on the administrative tree: not party units, they hold no members."""

    PEOPLES_COMMITTEE = "peoples_committee", _("People's Committee")
    OFFICE = "office", _("Office of the People's Committee")
    AGENCY = "agency", _("Agency")
    SCHOOL = "school", _("School")
    ENTERPRISE = "enterprise", _("Enterprise")
    MASS_ORGANISATION = "mass_organisation", _("Mass organisation")


# Where each kind sits on the administrative tree. A People's Committee governs a province or a commune; an office
# belongs to its People's Committee (same area); the others are on a commune's territory or in one of its villages.
ORGANISATION_AREA_KINDS: dict[str, set[str]] = {
    OrganisationKind.PEOPLES_COMMITTEE: {AreaKind.PROVINCE, AreaKind.COMMUNE},
    OrganisationKind.OFFICE: {AreaKind.PROVINCE, AreaKind.COMMUNE},
    OrganisationKind.AGENCY: {AreaKind.COMMUNE, AreaKind.VILLAGE, AreaKind.RESIDENTIAL_GROUP},
    OrganisationKind.SCHOOL: {AreaKind.COMMUNE, AreaKind.VILLAGE, AreaKind.RESIDENTIAL_GROUP},
    OrganisationKind.ENTERPRISE: {AreaKind.COMMUNE, AreaKind.VILLAGE, AreaKind.RESIDENTIAL_GROUP},
    OrganisationKind.MASS_ORGANISATION: {AreaKind.COMMUNE, AreaKind.VILLAGE, AreaKind.RESIDENTIAL_GROUP},
}

# A state body's documents carry the state's heading and its own authority line (Nghị định 30/2020/NĐ-CP): fixed
# words of the format, Vietnamese whatever the interface language.
STATE_SIGNING_AUTHORITY: dict[str, tuple[str, str]] = {
    OrganisationKind.PEOPLES_COMMITTEE: ("TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH"),
}
