"""The member record's fields, declared once, by name.

The record page and the edit form show `RECORD_SECTIONS` in order, and members check their record section by
section (corrections); services accept `EDITABLE_FIELDS`; a roster file fills `IMPORTABLE_FIELDS` and places the
member by the codes of the `PLACEMENT_FIELDS` (importing); the registry export writes the same fields, so that it
reads back in (exporting). Every stored field of `Member` is either declared here or `DERIVED_FIELDS`: a test
(members/tests/test_fields.py) fails on a new field until it is.
"""

from django.utils.translation import gettext_lazy as _

RECORD_SECTIONS = [
    (
        _("Identity"),
        ("full_name", "birth_name", "sex", "date_of_birth", "ethnicity", "religion", "hometown", "citizen_id"),
    ),
    (
        _("Party history"),
        (
            "joined_on",
            "official_on",
            "standing",
            "card_number",
            "background_file_number",
            "status",
            "status_since",
            "transferred_in_on",
            "transferred_in_from",
            "transferred_out_on",
            "transferred_out_to",
            "left_on",
            "leaving_form",
            "leaving_reason",
            "died_on",
        ),
    ),
    (_("Place of activity"), ("unit", "residence_area", "current_residence")),
    (_("Contact"), ("phone", "email")),
    (
        _("Education and work"),
        (
            "education",
            "political_theory",
            "professional_qualification",
            "foreign_language",
            "occupation_before_joining",
            "occupation",
            "position",
            "is_army",
            "is_police",
            "is_retired",
        ),
    ),
    (_("App eligibility"), ("is_eligible", "ineligibility_reason")),
    (_("Notes"), ("notes",)),
]

# The unit and the residence area place the member in the two trees: files and exports carry their codes.
PLACEMENT_FIELDS = ("unit", "residence_area")
RECORD_FIELDS = tuple(name for _title, names in RECORD_SECTIONS for name in names)
EDITABLE_FIELDS = frozenset(RECORD_FIELDS)
IMPORTABLE_FIELDS = [name for name in RECORD_FIELDS if name not in PLACEMENT_FIELDS]
# Kept by the services themselves: the search and sort keys, the version, the timestamps.
DERIVED_FIELDS = frozenset({"id", "search_name", "sort_name", "version", "created_at", "updated_at"})
