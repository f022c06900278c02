"""Synthetic party trees and members at any size, from one cell to the whole country, for load and quality tests.

`generate_synthetic(spec)` builds, in one transaction, into a database whose unit and area tables are
empty:

- the administrative tree: province → commune/ward → village or residential group;
- the party tree: central → provincial committees → commune committees → under each commune, village
  and residential-group cells (attached cells serving one village) and grassroots organisations: grassroots
  cells, or grassroots committees with their attached cells (schools, clinics, companies...);
- members spread over the cells: names, dates, citizen IDs (province code, sex/century digit, birth
  year digits, a serial unique within the province), party card numbers, phones, statuses, eligibility.

The same seed and the same `as_of` date give the same rows. Apart from the errors planted on purpose,
every member passes `members.validation.validate_member_record`, and both trees have correct
treebeard paths (steplen 4, alphabet 0-9A-Z), depths and child counts, computed here.

Planted errors: `error_rate` is the share of the current members given each kind of error in
`ERROR_KINDS` (so with 10 kinds and 0.02, about 20 % of members carry exactly one planted error; the
rate must keep `error_rate × kinds ≤ 1`). Each kind is the one a check of `members.quality.checks` finds.
Duplicates copy the previous member (name and date of birth; or the citizen ID or card number as a
spreadsheet would mangle it, leading zero lost), so they pass the unique constraints as real ones do.

Speed: rows bypass the per-row services. On PostgreSQL they are streamed with COPY (psycopg's
`cursor.copy`); elsewhere they go in `bulk_create` batches. Consequently no per-member (or per-unit)
change-log row is written: a synthetic member's history starts empty. One change-log row is written
instead, on the central unit, with the parameters and the counts (action "create", source as the caller
set it, e.g. "command"), so the log still says when and how the data arrived.
"""

import dataclasses
import datetime
import random
from collections import Counter
from collections.abc import Callable, Iterator

from django.db import connection, transaction
from django.utils import timezone

from audit.choices import ChangeAction
from audit.services import change_log
from common.bulk import copy_rows
from common.collation import person_name_collation_key
from common.dates import add_years, today
from common.text import fold_for_search
from members.choices import IneligibilityReason, LeavingForm, MemberStatus, PoliticalTheory, Sex, Standing
from members.models import Member
from orgunits.choices import AreaKind, UnitKind
from orgunits.divisions import official_divisions
from orgunits.models import AdminArea, Unit

from .helpers import REORGANISED_ON, lower_first, reset_sequences, weighted_spread
from .world import (
    FEMALE_GIVEN_NAMES,
    FEMALE_MIDDLE_NAMES,
    MALE_GIVEN_NAMES,
    MALE_MIDDLE_NAMES,
    SURNAMES,
    VILLAGE_NAMES,
)

ALPHABET = Unit.alphabet
STEPLEN = Unit.steplen
BATCH = 5_000

# The 34 provinces and 3,321 communes since 1 July 2025, from the official list (orgunits/divisions.py): names and
# official codes are real; villages, cells and members below them are synthetic. A province's citizen-ID code is
# its official code with a leading zero (Hưng Yên: 33, 033).
_COUNTRY = official_divisions()
PROVINCES = tuple(
    (division.name, "0" + division.official_code, division.official_code)
    for division in _COUNTRY
    if not division.province_code
)
COMMUNES_BY_PROVINCE = {
    code: [division for division in _COUNTRY if division.province_code == code] for _name, _citizen, code in PROVINCES
}
PLACE_WORDS = (
    "An", "Bình", "Cẩm", "Đông", "Đức", "Hòa", "Hưng", "Hồng", "Kim", "Lạc", "Long", "Minh", "Nam", "Nghĩa",
    "Phú", "Phúc", "Quang", "Tân", "Thái", "Thanh", "Thịnh", "Thuận", "Tiến", "Trung", "Vĩnh", "Xuân", "Yên",
)  # fmt: skip
INSTITUTIONS = (
    ("Trường Trung học cơ sở", "Giáo viên", "Đại học Sư phạm"),
    ("Trường Tiểu học", "Giáo viên", "Cao đẳng Sư phạm"),
    ("Trạm Y tế", "Y sĩ", "Trung cấp Y"),
    ("Công ty Cổ phần", "Công nhân", "Trung cấp"),
    ("Hợp tác xã Nông nghiệp", "Nông dân", ""),
    ("Công an", "Công an", "Đại học Cảnh sát nhân dân"),
    ("Ban Chỉ huy Quân sự", "Quân nhân", "Trung cấp Quân sự"),
)
OCCUPATIONS = ("Nông dân", "Hưu trí", "Kinh doanh", "Công nhân", "Cán bộ", "Lao động tự do", "Giáo viên")
QUALIFICATIONS = ("", "Trung cấp", "Cao đẳng", "Đại học", "Thạc sĩ")
THEORY = ("", PoliticalTheory.ELEMENTARY, PoliticalTheory.ELEMENTARY, PoliticalTheory.INTERMEDIATE)
LEAVING = (
    (LeavingForm.STRUCK_OFF, "Bỏ sinh hoạt chi bộ 3 tháng trong năm không có lý do chính đáng"),
    (LeavingForm.RESIGNED, "Xin ra khỏi Đảng vì hoàn cảnh gia đình"),
)


class ErrorKind:
    INVALID_CITIZEN_ID = "invalid_citizen_id"
    DUPLICATE_CITIZEN_ID = "duplicate_citizen_id"
    DUPLICATE_CARD_NUMBER = "duplicate_card_number"
    MISSING_PLACE = "missing_or_closed_place"
    OUTSIDE_COMMUNE = "cell_outside_residence_commune"
    OFFICIAL_BEFORE_JOINING = "official_before_joining"
    JOINED_BEFORE_18 = "joined_before_18"
    PROBATIONARY_TOO_LONG = "probationary_too_long"
    MISSING_PHONE = "missing_phone"
    PROBABLE_DUPLICATE = "probable_duplicate"


# Named after the check that finds each (members.quality.checks.CHECKS codes).
ERROR_KINDS = (
    ErrorKind.INVALID_CITIZEN_ID,
    ErrorKind.DUPLICATE_CITIZEN_ID,
    ErrorKind.DUPLICATE_CARD_NUMBER,
    ErrorKind.MISSING_PLACE,
    ErrorKind.OUTSIDE_COMMUNE,
    ErrorKind.OFFICIAL_BEFORE_JOINING,
    ErrorKind.JOINED_BEFORE_18,
    ErrorKind.PROBATIONARY_TOO_LONG,
    ErrorKind.MISSING_PHONE,
    ErrorKind.PROBABLE_DUPLICATE,
)


@dataclasses.dataclass(frozen=True)
class SyntheticSpec:
    """How big: totals over the whole tree. `cells` counts every cell (village, grassroots and attached cells)."""

    provinces: int = 1
    communes: int = 1
    grassroots: int = 0
    cells: int = 1
    members: int = 30
    seed: int = 1
    error_rate: float = 0.0
    as_of: datetime.date | None = None

    def check(self) -> None:
        if not 1 <= self.provinces <= len(PROVINCES):
            raise ValueError(f"Between 1 and {len(PROVINCES)} provinces.")
        if self.communes < self.provinces:
            raise ValueError("At least one commune per province.")
        grassroots_cells, committees = _grassroots_split(self.grassroots)
        if self.cells < grassroots_cells + committees:
            raise ValueError("Too few cells: every grassroots committee needs at least one cell.")
        if self.members < 0 or self.error_rate < 0 or self.error_rate * len(ERROR_KINDS) > 1:
            raise ValueError(f"The error rate times {len(ERROR_KINDS)} kinds must stay within 0 and 1.")


SIZES = {
    "cell": SyntheticSpec(provinces=1, communes=1, grassroots=0, cells=1, members=30),
    "commune": SyntheticSpec(provinces=1, communes=1, grassroots=12, cells=70, members=1_800),
    "province": SyntheticSpec(provinces=1, communes=100, grassroots=1_650, cells=9_000, members=180_000),
    "national": SyntheticSpec(provinces=34, communes=3_321, grassroots=55_000, cells=300_000, members=6_000_000),
}


@dataclasses.dataclass
class SyntheticSummary:
    areas: int
    units: int
    members: int
    planted: dict[str, int]
    seconds: float = 0.0


class SyntheticDataExists(Exception):
    """Units or areas exist already: synthetic trees go only into an empty database."""


def _grassroots_split(grassroots: int) -> tuple[int, int]:
    """(grassroots cells, grassroots committees): about 40 % of grassroots organisations are single cells."""
    cells = round(grassroots * 0.4)
    return cells, grassroots - cells


def spread(rng: random.Random, total: int, parts: int, *, minimum: int = 0, jitter: float = 0.4) -> list[int]:
    """`total` split into `parts` roughly even parts with random jitter."""
    return weighted_spread(total, [1 + rng.uniform(-jitter, jitter) for _ in range(parts)], minimum=minimum)


def path_step(index: int) -> str:
    """The treebeard path step of the `index`-th child (1-based): base 36, zero-padded to 4 characters."""
    digits = ""
    while index:
        index, remainder = divmod(index, len(ALPHABET))
        digits = ALPHABET[remainder] + digits
    return digits.rjust(STEPLEN, ALPHABET[0])


class _Tree:
    """Rows of one treebeard tree, built top-down with paths, depths and child counts kept right."""

    def __init__(self, first_id: int):
        self.rows: list[dict] = []
        self.next_id = first_id
        self.root_count = 0

    def add(self, parent: dict | None, **values) -> dict:
        if parent is None:
            self.root_count += 1
            path = path_step(self.root_count)
        else:
            parent["numchild"] += 1
            path = parent["path"] + path_step(parent["numchild"])
        row = {"id": self.next_id, "path": path, "depth": len(path) // STEPLEN, "numchild": 0, **values}
        self.next_id += 1
        self.rows.append(row)
        return row


@dataclasses.dataclass
class _Cell:
    unit_id: int
    kind: str  # "village", "grassroots" or "attached"
    village: dict | None
    commune_index: int
    commune_unit_id: int
    commune_name: str
    province_index: int
    institution: tuple | None
    size: int = 0
    commune_villages: list = dataclasses.field(default_factory=list)
    # Villages of another commune: where a member planted as "living elsewhere" lives.
    other_villages: list = dataclasses.field(default_factory=list)


CELL_WEIGHTS = {"village": 1.3, "grassroots": 0.9, "attached": 0.7}


def _place_name(rng: random.Random) -> str:
    first, second = rng.sample(PLACE_WORDS, 2)
    return f"{first} {second}"


def build_trees(spec: SyntheticSpec, rng: random.Random) -> tuple[_Tree, _Tree, list[_Cell]]:
    """Both trees and the list of cells with their member counts."""
    areas, units = _Tree(first_id=1), _Tree(first_id=1)
    central = units.add(
        None, code="TW", name="Trung ương", kind=UnitKind.CENTRAL, area_id=None, opened_on=datetime.date(1930, 2, 3)
    )
    grassroots_cells, committees = _grassroots_split(spec.grassroots)
    if spec.grassroots:
        village_cells = min(spec.cells - grassroots_cells - committees, max(spec.communes, round(spec.cells * 0.27)))
    else:
        village_cells = spec.cells
    attached_cells = spec.cells - grassroots_cells - village_cells
    is_single_cell = [True] * grassroots_cells + [False] * committees
    rng.shuffle(is_single_cell)
    single_cell_flags = iter(is_single_cell)

    # As many communes as asked, spread over the provinces in proportion to their real communes (all of them at the
    # national size); past a province's real list, communes get made-up names and no official code.
    real_communes = [COMMUNES_BY_PROVINCE[code] for _name, _citizen, code in PROVINCES[: spec.provinces]]
    communes_per_province = weighted_spread(spec.communes, [len(communes) for communes in real_communes], minimum=1)
    grassroots_per_commune = iter(spread(rng, spec.grassroots, spec.communes))
    villages_per_commune = iter(spread(rng, village_cells, spec.communes, minimum=1))
    attached_per_committee = iter(spread(rng, attached_cells, committees, minimum=1))
    cells: list[_Cell] = []
    villages_by_commune: list[list[dict]] = []
    for province_index in range(spec.provinces):
        province_name, _citizen_code, official_code = PROVINCES[province_index]
        province_code = f"T{province_index + 1:02d}"
        province_area = areas.add(
            None, code=f"AR-{province_code}", name=province_name, kind=AreaKind.PROVINCE, official_code=official_code
        )
        province = units.add(
            central,
            code=province_code,
            name=f"Đảng bộ {lower_first(province_name)}",
            kind=UnitKind.PROVINCE_COMMITTEE,
            area_id=province_area["id"],
            opened_on=REORGANISED_ON,
        )
        for number in range(1, communes_per_province[province_index] + 1):
            commune_index = len(villages_by_commune)
            real = real_communes[province_index][number - 1] if number <= len(real_communes[province_index]) else None
            if real is not None:
                commune_name, commune_official_code = real.name, real.official_code
                is_ward, place = real.division_type == "phường", real.place
            else:
                is_ward, place = rng.random() < 0.25, _place_name(rng)
                commune_name, commune_official_code = f"{'Phường' if is_ward else 'Xã'} {place}", None
            code = f"{province_code}-X{number:04d}"
            commune_area = areas.add(
                province_area,
                code=f"AR-{code}",
                name=commune_name,
                kind=AreaKind.COMMUNE,
                official_code=commune_official_code,
            )
            commune = units.add(
                province,
                code=code,
                name=f"Đảng bộ {lower_first(commune_name)}",
                kind=UnitKind.COMMUNE_COMMITTEE,
                area_id=commune_area["id"],
                opened_on=REORGANISED_ON,
            )

            where = {
                "commune_index": commune_index,
                "commune_unit_id": commune["id"],
                "commune_name": commune_name,
                "province_index": province_index,
            }
            villages = []
            for village_number in range(1, next(villages_per_commune) + 1):
                if is_ward:
                    village_name, area_kind = f"Tổ dân phố số {village_number}", AreaKind.RESIDENTIAL_GROUP
                else:
                    base = VILLAGE_NAMES[(village_number - 1) % len(VILLAGE_NAMES)]
                    repeat = (village_number - 1) // len(VILLAGE_NAMES)
                    village_name, area_kind = f"Thôn {base}{f' {repeat + 1}' if repeat else ''}", AreaKind.VILLAGE
                village = areas.add(
                    commune_area, code=f"AR-{code}-{village_number:03d}", name=village_name, kind=area_kind
                )
                villages.append(village)
                cell = units.add(
                    commune,
                    code=f"{code}-T{village_number:03d}",
                    name=f"Chi bộ {lower_first(village_name)}",
                    kind=UnitKind.ATTACHED_CELL,
                    area_id=village["id"],
                    opened_on=REORGANISED_ON,
                )
                cells.append(_Cell(unit_id=cell["id"], kind="village", village=village, institution=None, **where))
            villages_by_commune.append(villages)
            for grassroots_number in range(1, next(grassroots_per_commune) + 1):
                institution = rng.choice(INSTITUTIONS)
                is_cell = next(single_cell_flags)
                top = units.add(
                    commune,
                    code=f"{code}-G{grassroots_number:03d}",
                    name=f"{'Chi bộ' if is_cell else 'Đảng bộ'} {institution[0]} {place}",
                    kind=UnitKind.GRASSROOTS_CELL if is_cell else UnitKind.GRASSROOTS_COMMITTEE,
                    area_id=None,
                    opened_on=REORGANISED_ON,
                )
                if is_cell:
                    cells.append(
                        _Cell(unit_id=top["id"], kind="grassroots", village=None, institution=institution, **where)
                    )
                    continue
                for cell_number in range(1, next(attached_per_committee) + 1):
                    cell = units.add(
                        top,
                        code=f"{code}-G{grassroots_number:03d}-C{cell_number:02d}",
                        name=f"Chi bộ {cell_number}",
                        kind=UnitKind.ATTACHED_CELL,
                        area_id=None,
                        opened_on=REORGANISED_ON,
                    )
                    cells.append(
                        _Cell(unit_id=cell["id"], kind="attached", village=None, institution=institution, **where)
                    )

    with_villages = [index for index, villages in enumerate(villages_by_commune) if villages]
    for cell in cells:
        cell.commune_villages = villages_by_commune[cell.commune_index]
        others = [index for index in with_villages if index != cell.commune_index]
        if others:
            # The nearest commune before this one (wrapping round) that has villages.
            other = max((i for i in others if i < cell.commune_index), default=others[-1])
            cell.other_villages = villages_by_commune[other]

    weights = [CELL_WEIGHTS[cell.kind] * rng.uniform(0.6, 1.4) for cell in cells]
    for cell, size in zip(cells, weighted_spread(spec.members, weights, minimum=1), strict=True):
        cell.size = size
    return areas, units, cells


# -- members -------------------------------------------------------------------------------------------------


class _MemberMaker:
    """Draws member rows one at a time; the same seed gives the same rows in the same order."""

    def __init__(self, spec: SyntheticSpec, rng: random.Random, as_of: datetime.date, now: datetime.datetime):
        self.spec = spec
        self.rng = rng
        self.as_of = as_of
        self.now = now
        self.number = 0
        self.serial_by_province: Counter = Counter()
        self.planted: Counter = Counter()
        self.previous: dict | None = None
        self.zero_cards: list[str] = []
        self.surnames = [name for name, _weight in SURNAMES]
        self.surname_weights = [weight for _name, weight in SURNAMES]
        self.folded: dict[str, str] = {}
        self.file_letters = [
            "".join(word[0] for word in fold_for_search(name).split()[1:])[:3].upper() or "HN"
            for name, _citizen, _code in PROVINCES
        ]

    def _fold(self, part: str) -> str:
        folded = self.folded.get(part)
        if folded is None:
            folded = self.folded[part] = fold_for_search(part)
        return folded

    def _citizen_id(self, province_index: int, sex: str, date_of_birth: datetime.date) -> str:
        # The serial is unique within the province (a permutation of a counter), so any member's ID can be
        # altered in its sex or year digits, or lose a digit, without meeting another member's.
        count = self.serial_by_province[province_index]
        if count >= 1_000_000:
            raise ValueError("More than 1,000,000 members in one province: citizen ID serials would repeat.")
        self.serial_by_province[province_index] = count + 1
        serial = (count * 611_953 + 7 * province_index) % 1_000_000
        century_digit = 2 * ((date_of_birth.year - 1900) // 100) + (0 if sex == Sex.MALE else 1)
        return f"{PROVINCES[province_index][1]}{century_digit}{date_of_birth.year % 100:02d}{serial:06d}"

    def row(self, cell: _Cell, position: int) -> dict:
        rng = self.rng
        self.number += 1
        number = self.number
        kind = self._planted_kind()
        previous = self.previous if self.previous and not self.previous["_planted"] else None

        if kind == ErrorKind.PROBABLE_DUPLICATE and previous:
            sex, date_of_birth, full_name = previous["sex"], previous["date_of_birth"], previous["full_name"]
            surname_middle_given = previous["_name_parts"]
        else:
            if kind == ErrorKind.PROBABLE_DUPLICATE:
                kind = None
            sex = Sex.FEMALE if rng.random() < 0.35 else Sex.MALE
            if cell.institution:
                birth_year = rng.randint(1966, self.as_of.year - 22)
            else:
                birth_year = rng.choices(
                    ((1936, 1950), (1951, 1965), (1966, 1980), (1981, self.as_of.year - 22)), (20, 35, 25, 20)
                )[0]
                birth_year = rng.randint(*birth_year)
            date_of_birth = datetime.date(birth_year, 1, 1) + datetime.timedelta(days=rng.randrange(365))
            surname = rng.choices(self.surnames, self.surname_weights)[0]
            if sex == Sex.MALE:
                middle, given = rng.choice(MALE_MIDDLE_NAMES), rng.choice(MALE_GIVEN_NAMES)
            else:
                middle, given = rng.choice(FEMALE_MIDDLE_NAMES), rng.choice(FEMALE_GIVEN_NAMES)
            surname_middle_given = (surname, middle, given)
            full_name = f"{surname} {middle} {given}"
        age = self.as_of.year - date_of_birth.year

        is_probationary = rng.random() < 0.03 or kind == ErrorKind.PROBATIONARY_TOO_LONG
        if is_probationary:
            joined_on = self.as_of - datetime.timedelta(days=rng.randint(20, 350))
            official_on = None
        else:
            joining_age = rng.randint(18, max(18, min(45, age - 3)))
            joined_on = add_years(date_of_birth, joining_age) + datetime.timedelta(days=rng.randrange(300))
            joined_on = min(joined_on, self.as_of - datetime.timedelta(days=420))
            official_on = add_years(joined_on, 1) + datetime.timedelta(days=rng.randint(0, 40))

        province_index = cell.province_index
        citizen_id = self._citizen_id(province_index, sex, date_of_birth)
        card_number = f"{(number * 7_919_083 + self.spec.seed) % 100_000_000:08d}"
        phone = f"09{(number * 48_271 + self.spec.seed) % 100_000_000:08d}"

        residence = cell.village
        if cell.kind != "village" or rng.random() < 0.08:
            residence = rng.choice(cell.commune_villages) if cell.commune_villages else None
            if cell.kind != "village" and rng.random() < 0.35:
                residence = None
        row = {
            "unit_id": cell.unit_id,
            "residence_area_id": residence["id"] if residence else None,
            "full_name": full_name,
            "birth_name": "",
            "search_name": " ".join(self._fold(part) for part in surname_middle_given),
            "sort_name": person_name_collation_key(full_name),
            "sex": sex,
            "date_of_birth": date_of_birth,
            "ethnicity": "Kinh" if rng.random() < 0.9 else rng.choice(("Tày", "Thái", "Mường", "Khmer", "Hoa")),
            "religion": "" if rng.random() < 0.9 else rng.choice(("Phật giáo", "Công giáo")),
            "hometown": PROVINCES[province_index][0],
            "current_residence": f"{residence['name']}, {cell.commune_name}" if residence else "",
            "citizen_id": citizen_id,
            "phone": phone,
            "email": "",
            "education": "12/12" if date_of_birth.year >= 1975 else "10/10",
            "political_theory": rng.choice(THEORY),
            "professional_qualification": cell.institution[2] if cell.institution else rng.choice(QUALIFICATIONS),
            "foreign_language": "",
            "occupation_before_joining": rng.choice(OCCUPATIONS[:1] + OCCUPATIONS[2:]),
            "occupation": cell.institution[1] if cell.institution else rng.choice(OCCUPATIONS),
            "position": "Bí thư chi bộ" if position == 0 else "",
            "is_army": bool(cell.institution and cell.institution[1] == "Quân nhân"),
            "is_police": bool(cell.institution and cell.institution[1] == "Công an"),
            "is_retired": age >= 62 and not cell.institution and rng.random() < 0.7,
            "joined_on": joined_on,
            "official_on": official_on,
            "card_number": card_number,
            "background_file_number": f"{number % 1_000_000:06d}{self.file_letters[province_index]}",
            "standing": Standing.PROBATIONARY if official_on is None else Standing.OFFICIAL,
            "status": MemberStatus.ACTIVE,
            "status_since": None,
            "transferred_in_on": None,
            "transferred_in_from": "",
            "transferred_out_on": None,
            "transferred_out_to": "",
            "left_on": None,
            "leaving_form": "",
            "leaving_reason": "",
            "died_on": None,
            "is_eligible": True,
            "ineligibility_reason": "",
            "notes": "",
            "created_at": self.now,
            "updated_at": self.now,
            "version": 1,
        }
        if kind is None:
            self._natural_status(row, age)
        if kind is not None and not self._plant(kind, row, cell, previous):
            kind = None
        if kind is not None:
            self.planted[kind] += 1
        row["_planted"] = kind
        row["_name_parts"] = surname_middle_given
        # A small pool of unused card numbers with a leading zero, for "card number shared" errors.
        is_zero_card = row["card_number"].startswith("0") and len(self.zero_cards) < 10_000
        if kind is None and is_zero_card and row["status"] == MemberStatus.ACTIVE:
            self.zero_cards.append(row["card_number"])
        self.previous = row
        return row

    def _planted_kind(self) -> str | None:
        rate = self.spec.error_rate
        if not rate:
            return None
        draw = self.rng.random()
        index = int(draw / rate)
        return ERROR_KINDS[index] if index < len(ERROR_KINDS) else None

    def _natural_status(self, row: dict, age: int) -> None:
        """Deceased, left, exempt, without a smartphone: the ordinary variety of a register."""
        rng = self.rng
        draw = rng.random()
        official_on = row["official_on"]
        if age >= 75 and draw < 0.04:
            died_on = self.as_of - datetime.timedelta(days=rng.randint(15, 1800))
            row.update(status=MemberStatus.DECEASED, died_on=died_on, status_since=died_on)
        elif official_on and draw > 0.995:
            form, reason = rng.choice(LEAVING)
            left_on = max(official_on, self.as_of - datetime.timedelta(days=rng.randint(30, 3000)))
            row.update(
                status=MemberStatus.LEFT,
                left_on=left_on,
                leaving_form=form,
                leaving_reason=reason,
                status_since=left_on,
            )
        elif official_on and age >= 80 and draw < 0.3:
            row.update(
                status=MemberStatus.EXEMPT,
                status_since=self.as_of - datetime.timedelta(days=rng.randint(10, 2000)),
                is_eligible=False,
                ineligibility_reason=IneligibilityReason.EXEMPT,
            )
        elif draw < (0.15 if age >= 70 else 0.02):
            row.update(phone="", is_eligible=False, ineligibility_reason=IneligibilityReason.NO_SMARTPHONE)

    def _plant(self, kind: str, row: dict, cell: _Cell, previous: dict | None) -> bool:
        """Give `row` one error of `kind`; False when this row cannot carry it (it is then left clean)."""
        rng = self.rng
        if kind == ErrorKind.INVALID_CITIZEN_ID:
            citizen_id = row["citizen_id"]
            variant = rng.randrange(3)
            if variant == 0:  # the sex digit of the other sex
                row["citizen_id"] = f"{citizen_id[:3]}{int(citizen_id[3]) ^ 1}{citizen_id[4:]}"
            elif variant == 1:  # year digits of another year
                year = (int(citizen_id[4:6]) + rng.randint(1, 9)) % 100
                row["citizen_id"] = f"{citizen_id[:4]}{year:02d}{citizen_id[6:]}"
            else:  # a digit lost
                row["citizen_id"] = citizen_id[:3] + citizen_id[4:]
            return True
        if kind == ErrorKind.DUPLICATE_CITIZEN_ID:
            if not previous or not previous["citizen_id"]:
                return False
            # The previous member's number as a spreadsheet stored it: as a number, its leading zeros lost.
            row["citizen_id"] = previous["citizen_id"].lstrip("0")
            return True
        if kind == ErrorKind.DUPLICATE_CARD_NUMBER:
            if not self.zero_cards:
                return False
            row["card_number"] = self.zero_cards.pop().lstrip("0")
            return True
        if kind == ErrorKind.MISSING_PLACE:
            row["unit_id"] = cell.commune_unit_id
            return True
        if kind == ErrorKind.OUTSIDE_COMMUNE:
            if cell.kind != "village" or not cell.other_villages:
                return False
            village = rng.choice(cell.other_villages)
            row["residence_area_id"] = village["id"]
            row["current_residence"] = village["name"]
            return True
        if kind == ErrorKind.OFFICIAL_BEFORE_JOINING:
            if row["official_on"] is None:
                return False
            row["official_on"] = row["joined_on"] - datetime.timedelta(days=rng.randint(1, 300))
            return True
        if kind == ErrorKind.JOINED_BEFORE_18:
            if row["official_on"] is None:
                return False
            joined_on = add_years(row["date_of_birth"], 16) + datetime.timedelta(days=rng.randint(0, 600))
            row["joined_on"] = joined_on
            row["official_on"] = add_years(joined_on, 1)
            return True
        if kind == ErrorKind.PROBATIONARY_TOO_LONG:
            # Members are at least 22, so the 18th birthday comes before the two years of probation.
            joined_on = add_years(self.as_of, -2) - datetime.timedelta(days=rng.randint(31, 1000))
            row["joined_on"] = max(joined_on, add_years(row["date_of_birth"], 18))
            return True
        if kind == ErrorKind.MISSING_PHONE:
            row["phone"] = ""
            return True
        if kind == ErrorKind.PROBABLE_DUPLICATE:
            return previous is not None
        raise ValueError(kind)


def iter_members(maker: "_MemberMaker", cells: list[_Cell]) -> Iterator[dict]:
    """Member rows (dicts of column values, plus "_planted": the kind of error planted or None), cell after cell."""
    for cell in cells:
        for position in range(cell.size):
            yield maker.row(cell, position)


# -- writing ------------------------------------------------------------------------------------------------

UNIT_COLUMNS = [
    "id",
    "path",
    "depth",
    "numchild",
    "code",
    "name",
    "opened_on",
    "closed_on",
    "kind",
    "area_id",
    "merged_into_id",
]  # noqa: E501
AREA_COLUMNS = ["id", "path", "depth", "numchild", "code", "name", "opened_on", "closed_on", "kind", "official_code"]
MEMBER_COLUMNS = [field.attname for field in Member._meta.concrete_fields if field.name != "id"]


def _tree_tuples(tree: _Tree, columns: list[str]) -> Iterator[tuple]:
    defaults = {"opened_on": None, "closed_on": None, "merged_into_id": None, "area_id": None, "official_code": None}
    for row in tree.rows:
        yield tuple(row.get(column, defaults.get(column)) for column in columns)


def _write(model, columns: list[str], rows: Iterator[tuple], progress: Callable[[int], None] | None = None) -> int:
    """COPY on PostgreSQL, bulk_create batches elsewhere. Returns the number of rows written."""
    count = 0
    if connection.vendor == "postgresql":

        def counted():
            nonlocal count
            for row in rows:
                yield row
                count += 1
                if progress and count % 50_000 == 0:
                    progress(count)

        copy_rows(model, columns, counted())
    else:
        batch = []
        for row in rows:
            batch.append(model(**dict(zip(columns, row, strict=True))))
            count += 1
            if len(batch) == BATCH:
                model.objects.bulk_create(batch)
                batch = []
                if progress:
                    progress(count)
        if batch:
            model.objects.bulk_create(batch)
    if progress:
        progress(count)
    return count


def generate_synthetic(spec: SyntheticSpec, *, progress: Callable[[str, int], None] | None = None) -> SyntheticSummary:
    """Build the trees and members of `spec` in one transaction; raises SyntheticDataExists unless the trees are empty."""
    spec.check()
    started = timezone.now()
    as_of = spec.as_of or today()
    rng = random.Random(spec.seed)
    with transaction.atomic():
        if Unit.objects.exists() or AdminArea.objects.exists():
            raise SyntheticDataExists
        areas, units, cells = build_trees(spec, rng)
        area_count = _write(AdminArea, AREA_COLUMNS, _tree_tuples(areas, AREA_COLUMNS))
        unit_count = _write(Unit, UNIT_COLUMNS, _tree_tuples(units, UNIT_COLUMNS))
        if progress:
            progress("tree", unit_count)
        maker = _MemberMaker(spec, random.Random(spec.seed + 1), as_of, started)
        # Columns this generator does not know (added to Member later) take the field's default.
        defaults = {field.attname: field.get_default() for field in Member._meta.concrete_fields}
        member_rows = (
            tuple(row[column] if column in row else defaults[column] for column in MEMBER_COLUMNS)
            for row in iter_members(maker, cells)
        )
        member_count = _write(
            Member, MEMBER_COLUMNS, member_rows, (lambda done: progress("members", done)) if progress else None
        )
        planted = dict(maker.planted)
        reset_sequences(AdminArea, Unit)
        summary = SyntheticSummary(areas=area_count, units=unit_count, members=member_count, planted=planted)
        central = Unit.objects.get(code="TW")
        change_log(
            actor=None,
            obj=central,
            action=ChangeAction.CREATE,
            before=None,
            after={
                "synthetic": dataclasses.asdict(spec) | {"as_of": as_of.isoformat()},
                "areas": area_count,
                "units": unit_count,
                "members": member_count,
                "planted_errors": planted,
            },
            reason="Synthetic data (demo.synthetic): no change-log row per member",
            unit=central,
        )
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            for model in (AdminArea, Unit, Member):
                cursor.execute(f"ANALYZE {model._meta.db_table}")
    summary.seconds = (timezone.now() - started).total_seconds()
    return summary
