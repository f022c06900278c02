"""Routing by authority (phân cấp): which fields may be corrected, who decides, and where that authority sits."""

from members.fields import RECORD_SECTIONS
from orgunits.models import Unit
from orgunits.selectors import commune_committee_of, province_committee_of

from .choices import Level, Route, Section

# The defaults the seeding migration writes; administrators may change the table afterwards.
DEFAULT_ROUTES: dict[str, str] = {
    # Contact details: the member knows best.
    "phone": Route.MEMBER,
    "email": Route.MEMBER,
    "current_residence": Route.MEMBER,
    # Identity, education and work: the cell secretary confirms, the commune committee decides.
    **{
        field: Route.CELL_THEN_COMMUNE
        for field in (
            "full_name",
            "birth_name",
            "sex",
            "date_of_birth",
            "hometown",
            "ethnicity",
            "religion",
            "citizen_id",
            "education",
            "political_theory",
            "professional_qualification",
            "foreign_language",
            "occupation_before_joining",
            "occupation",
            "position",
            "residence_area",
        )
    },
    # Place of activity: the commune committee (into another commune it becomes a transfer case).
    "unit": Route.COMMUNE,
    # Party history: the commune committee forwards, the provincial organisation department decides.
    "joined_on": Route.COMMUNE_THEN_PROVINCE,
    "official_on": Route.COMMUNE_THEN_PROVINCE,
    "card_number": Route.COMMUNE_THEN_PROVINCE,
    "background_file_number": Route.COMMUNE_THEN_PROVINCE,
}
DEFAULT_DEADLINE_WORKING_DAYS = 10

# Where a request starts and where it is decided, by route.
FIRST_LEVEL = {
    Route.CELL_THEN_COMMUNE: Level.CELL,
    Route.COMMUNE: Level.COMMUNE,
    Route.COMMUNE_THEN_PROVINCE: Level.COMMUNE,
}
DECIDING_LEVEL = {
    Route.CELL_THEN_COMMUNE: Level.COMMUNE,
    Route.COMMUNE: Level.COMMUNE,
    Route.COMMUNE_THEN_PROVINCE: Level.PROVINCE,
}

# The sections a member checks: the first five of the record's sections, with stable keys.
SECTION_FIELDS: dict[str, tuple[str, ...]] = {
    key: field_names
    for key, (_title, field_names) in zip(Section.values, RECORD_SECTIONS[: len(Section.values)], strict=True)
}


def section_of(field_name: str) -> str | None:
    return next((key for key, names in SECTION_FIELDS.items() if field_name in names), None)


def authority_unit(cell: Unit, level: str) -> Unit:
    """The unit whose officials act for `level` over a member of `cell`."""
    if level == Level.CELL:
        return cell
    if level == Level.COMMUNE:
        return commune_committee_of(cell)
    return province_committee_of(cell)


def field_policies() -> dict:
    """The policy table by field name. An empty table reads as the defaults: a database flushed by a test
    (or restored without the seeding migration's rows) keeps working; to stop corrections of a field,
    administrators remove its row, never the whole table."""
    from .models import FieldPolicy

    policies = {policy.field_name: policy for policy in FieldPolicy.objects.all()}
    if policies:
        return policies
    return {
        field_name: FieldPolicy(field_name=field_name, route=route, deadline_working_days=DEFAULT_DEADLINE_WORKING_DAYS)
        for field_name, route in DEFAULT_ROUTES.items()
    }
