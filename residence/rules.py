"""Who must register where they live (Quy định 213-QĐ/TW): a member of a cell that is not a village's or a
residential group's, i.e. a cell of an agency, a unit or an enterprise. A residential cell is one whose area
is a village or a residential group."""

from django.db.models import Q

from orgunits.choices import CELL_KINDS, RESIDENCE_AREA_KINDS


def residential_cells_q(*, via: str = "") -> Q:
    return Q(**{f"{via}kind__in": CELL_KINDS, f"{via}area__kind__in": RESIDENCE_AREA_KINDS})


def work_cells_q(*, via: str = "") -> Q:
    return Q(**{f"{via}kind__in": CELL_KINDS}) & ~residential_cells_q(via=via)
