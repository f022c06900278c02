"""Hypothesis strategies for what a caller may hand the member services: values of every type for every field.

Units and areas are drawn as `Ref("<name>")` and resolved against the test's tree with `resolve`, because a
strategy is built before the database exists.
"""

import contextlib
import dataclasses
import datetime

from django.db import models, transaction
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

from common.tests import clock
from members.choices import Sex
from members.fields import EDITABLE_FIELDS
from members.models import Member
from members.tests.factories import citizen_id_for

# The same examples on every run (CI stays stable); the database work makes examples slow, hence no deadline.
PROPERTY_SETTINGS = settings(
    max_examples=60,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
)


@contextlib.contextmanager
def rolled_back():
    """Undo whatever the block wrote, so the next example starts from the same database."""

    class Undo(Exception):
        pass

    with contextlib.suppress(Undo), transaction.atomic():
        yield
        raise Undo


# Names a caller might pass that are not fields it may set.
UNKNOWN_FIELDS = ["bogus", "id", "pk", "search_name", "version", "created_at", "unit_id", "", "full name", "FULL_NAME"]


@dataclasses.dataclass(frozen=True)
class Ref:
    """A unit or area of the test tree, by its attribute name on `Tree`."""

    name: str


UNIT_REFS = ["cell_a1", "cell_a2", "cell_ag1", "cell_b1", "commune_a", "province", "closed_cell"]
AREA_REFS = ["village_a1", "area_a", "area_province"]


def resolve(value, tree, extra: dict | None = None):
    """`value` with every `Ref` replaced by the tree's unit or area of that name."""
    if isinstance(value, Ref):
        return (extra or {}).get(value.name) or getattr(tree, value.name)
    if isinstance(value, dict):
        return {key: resolve(item, tree, extra) for key, item in value.items()}
    return value


# -- values of any type ----------------------------------------------------------------------------------------------

# Any text, including what no form sends: NUL, lone surrogates (JSON may carry "\ud800"), control characters.
any_text = st.one_of(
    st.text(max_size=30),
    st.text(alphabet=st.characters(categories=["Cc", "Cf", "Zl", "Zp"]), min_size=1, max_size=5),
    st.tuples(st.text(max_size=5), st.text(alphabet=st.characters(categories=["Cs"]), min_size=1, max_size=2)).map(
        "".join
    ),
)
huge_text = st.tuples(
    st.sampled_from(["a", "Ạ", "한", "İ", "\x00", " ", "9"]), st.sampled_from([199, 200, 201, 255, 256, 5_000, 100_000])
).map(lambda pair: pair[0] * pair[1])
odd_numbers = st.one_of(
    st.integers(),
    st.floats(allow_nan=True, allow_infinity=True),
    st.decimals(allow_nan=True, allow_infinity=True),
)
hostile_values = st.one_of(
    st.none(),
    any_text,
    huge_text,
    odd_numbers,
    st.booleans(),
    st.binary(max_size=10),
    st.dates(),
    st.datetimes(),
    st.times(),
    st.lists(st.integers(), max_size=3),
    st.dictionaries(st.text(max_size=3), st.integers(), max_size=2),
    st.sampled_from([Ref("cell_a2"), Ref("village_a1"), object(), datetime.timedelta(days=1), {1, 2}]),
)


# -- values a form or the API might send for one field ------------------------------------------------------------------


def _citizen_ids():
    return st.builds(
        lambda sex, born, serial, province: citizen_id_for(
            sex=sex, date_of_birth=born, serial=serial, province=province
        ),
        st.sampled_from([Sex.MALE, Sex.FEMALE]),
        st.dates(min_value=datetime.date(1940, 1, 1), max_value=datetime.date(2005, 12, 31)),
        st.integers(0, 999_999),
        st.sampled_from(["001", "034", "079", "000"]),
    )


def _digit_strings(size: int):
    return st.one_of(
        st.text(alphabet="0123456789", min_size=size, max_size=size),
        st.text(alphabet="0123456789 .-", max_size=size + 4),
        st.sampled_from(["١٢٣٤٥٦٧٨", "１２３４５６７８", "٠٠١٠٦٢٠١٢٣٤٥", "0" * size]),
    )


def plausible_values(field_name: str):
    """Values of about the right type for `field_name`, often valid, often just wrong."""
    if field_name == "unit":
        return st.sampled_from([Ref(name) for name in UNIT_REFS])
    if field_name == "residence_area":
        return st.one_of(st.none(), st.sampled_from([Ref(name) for name in AREA_REFS]))
    if field_name == "citizen_id":
        return st.one_of(st.none(), _citizen_ids(), _digit_strings(12))
    if field_name == "card_number":
        return st.one_of(st.none(), _digit_strings(8))
    if field_name == "phone":
        return st.one_of(_digit_strings(10), st.sampled_from(["+84 912 345 678", "84912345678", "0912.345.678"]))
    if field_name == "background_file_number":
        return st.sampled_from(["012345HN", "012345-hn", "12345HN", "012345HNAB", ""])
    field = Member._meta.get_field(field_name)
    if field.choices:
        return st.one_of(st.sampled_from([value for value, _label in field.choices]), st.text(max_size=10))
    if isinstance(field, models.DateField):
        return st.one_of(
            st.dates(min_value=datetime.date(1900, 1, 1), max_value=clock.TODAY),
            st.dates(),
            st.dates().map(datetime.date.isoformat),
            st.sampled_from(["2024-02-30", "19/05/1975", "", "1975"]),
        )
    if isinstance(field, models.BooleanField):
        return st.one_of(st.booleans(), st.sampled_from(["true", "1", "0", "yes", ""]))
    if isinstance(field, models.EmailField):
        return st.one_of(st.emails(), st.text(max_size=20))
    return st.one_of(
        st.text(max_size=field.max_length or 300),
        st.sampled_from(["Nguyễn Văn An", "  Trần   Thị  Bình ", "=cmd|' /C calc'!A0", "Lê\tVăn\nCường"]),
    )


def field_values(field_name: str):
    if field_name not in EDITABLE_FIELDS:
        return hostile_values
    return st.one_of(plausible_values(field_name), plausible_values(field_name), hostile_values)


@st.composite
def member_changes(draw, fields=None, *, max_size: int = 5):
    """A dict of field → value, as a caller might hand a service (with now and then a name that is no field)."""
    names = sorted(fields if fields is not None else EDITABLE_FIELDS)
    keys = draw(
        st.lists(st.one_of(st.sampled_from(names), st.sampled_from(UNKNOWN_FIELDS)), unique=True, max_size=max_size)
    )
    return {key: draw(field_values(key)) for key in keys}


_words = st.text(alphabet=st.characters(categories=["L", "N", "Zs", "P"], exclude_characters="\x00"), max_size=40)
# Fields whose value can change alone without breaking a rule, with values that obey the rules.
VALID_VALUES = {
    "notes": _words,
    "occupation": _words,
    "position": _words,
    "hometown": _words,
    "current_residence": _words,
    "religion": st.sampled_from(["", "Phật giáo", "Công giáo"]),
    "full_name": st.sampled_from(["Nguyễn Văn Thành", "  Trần   Thị  Bình ", "한" * 199, "Lê Văn Cường"]),
    "phone": st.from_regex(r"0[0-9]{9,10}", fullmatch=True),
    "email": st.sampled_from(["", "dangvien@example.vn", "a.b@xa.gov.vn"]),
    "is_army": st.booleans(),
    "is_retired": st.booleans(),
    "political_theory": st.sampled_from(["", "elementary", "intermediate", "advanced", "bachelor"]),
    "residence_area": st.sampled_from([None, Ref("village_a1")]),
    "unit": st.sampled_from([Ref("cell_a1"), Ref("cell_a2"), Ref("cell_ag1")]),
}


@st.composite
def valid_changes(draw) -> dict:
    """A few fields changed to values that obey every rule: the call should succeed."""
    fields = draw(st.lists(st.sampled_from(sorted(VALID_VALUES)), min_size=1, max_size=3, unique=True))
    return {field: draw(VALID_VALUES[field]) for field in fields}


@st.composite
def valid_members(draw) -> dict:
    """A member record that obeys every rule (the unit is added by the test)."""
    sex = draw(st.sampled_from([Sex.MALE, Sex.FEMALE]))
    born = draw(st.dates(min_value=datetime.date(1935, 1, 1), max_value=datetime.date(2000, 12, 31)))
    joined = datetime.date(min(born.year + draw(st.integers(19, 45)), clock.TODAY.year - 2), 5, 19)
    serial = draw(st.integers(500_000, 999_999))
    return {
        "full_name": draw(st.sampled_from(["Nguyễn Văn Thành", "Đặng Thị Hường", "Lê Văn Cường"])),
        "sex": sex,
        "date_of_birth": born,
        "joined_on": joined,
        "official_on": datetime.date(joined.year + 1, 5, 19),
        "standing": "official",
        "citizen_id": citizen_id_for(sex=sex, date_of_birth=born, serial=serial),
        "card_number": f"{90_000_000 + serial}",
    }


__all__ = [
    "AREA_REFS",
    "UNIT_REFS",
    "UNKNOWN_FIELDS",
    "Ref",
    "field_values",
    "hostile_values",
    "member_changes",
    "plausible_values",
    "resolve",
    "valid_changes",
    "valid_members",
]
