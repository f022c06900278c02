from common.tests.serials import Serial
from orgunits.choices import AreaKind, OrganisationKind, UnitKind
from orgunits.services import area_create, organisation_create, unit_create

_codes = Serial()


def make_unit(*, parent=None, kind=UnitKind.ATTACHED_CELL, name=None, code=None, area=None):
    number = next(_codes)
    return unit_create(
        actor=None, parent=parent, code=code or f"U{number:05d}", name=name or f"Đơn vị {number}", kind=kind, area=area
    )


def make_area(*, parent=None, kind=AreaKind.VILLAGE, name=None, code=None):
    number = next(_codes)
    return area_create(
        actor=None, parent=parent, code=code or f"A{number:05d}", name=name or f"Địa bàn {number}", kind=kind
    )


def make_organisation(*, area, kind=OrganisationKind.AGENCY, name=None, code=None, parent=None, party_unit=None):
    serial = next(_codes)
    return organisation_create(
        actor=None,
        area=area,
        code=code or f"ORG-{serial}",
        name=name or f"Cơ quan {serial}",
        kind=kind,
        parent=parent,
        party_unit=party_unit,
    )
