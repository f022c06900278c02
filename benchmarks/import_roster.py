"""Benchmark helper for the roster import: builds a commune with cells and an officer, and writes a roster.

    DATABASE_URL=... .venv/bin/python benchmarks/import_roster.py --rows 100000 --out /tmp/roster.csv
    DATABASE_URL=... /usr/bin/time -v .venv/bin/python manage.py import_members /tmp/roster.csv \
        --unit BENCH-X --user bench_officer --commit

Deterministic (no randomness), so a second run over the same database imports the same file unchanged.

    DATABASE_URL=postgres://... .venv/bin/python benchmarks/import_roster.py --copy-reference /tmp/roster.csv

The reference for the import's speed: PostgreSQL's COPY of the same rows into the member table (the CSV read
by Python's csv module, dates turned into ISO text, the cell code into its id, the name folded for search as
the member service folds it, nothing else checked), with the same indexes and constraints, foreign keys
checked row by row (not deferred to a commit that never comes), timed and then rolled back; and beside it the same COPY followed by a COPY of one
change-log row per member (its record as JSON), the history that any import of members must write too.
"""

import argparse
import csv
import datetime
import json
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sotay.settings.base")

import django  # noqa: E402

django.setup()

from accounts.choices import RoleKind  # noqa: E402
from accounts.models import RoleAssignment, User  # noqa: E402
from common.collation import person_name_collation_key  # noqa: E402
from common.text import fold_for_search  # noqa: E402
from orgunits.choices import UnitKind  # noqa: E402
from orgunits.models import Unit  # noqa: E402
from orgunits.services import unit_create  # noqa: E402

HEADER = [
    "STT",
    "Họ và tên",
    "Giới tính",
    "Ngày sinh",
    "Ngày vào Đảng",
    "Ngày chính thức",
    "Số thẻ đảng viên",
    "Số CCCD",
    "Mã chi bộ",
    "Số điện thoại",
    "Quê quán",
]
CELLS = 200


def build_tree() -> None:
    if Unit.objects.filter(code="BENCH-X").exists():
        return
    central = Unit.objects.filter(depth=1).first() or unit_create(
        actor=None, parent=None, code="BENCH-TW", name="Trung ương", kind=UnitKind.CENTRAL
    )
    province = unit_create(
        actor=None, parent=central, code="BENCH-P", name="Tỉnh thử", kind=UnitKind.PROVINCE_COMMITTEE
    )
    commune = unit_create(actor=None, parent=province, code="BENCH-X", name="Xã thử", kind=UnitKind.COMMUNE_COMMITTEE)
    for number in range(CELLS):
        unit_create(
            actor=None,
            parent=commune,
            code=f"BENCH-C{number:03d}",
            name=f"Chi bộ {number}",
            kind=UnitKind.ATTACHED_CELL,
        )
    user = User.objects.create_user(username="bench_officer", password="bench-password-1")
    RoleAssignment.objects.create(user=user, unit=commune, role=RoleKind.COMMITTEE_OFFICER)


def rows(count: int, start: int = 0):
    for number in range(start, start + count):
        sex_digit = number % 2
        born = datetime.date(1940 + number % 60, 1 + number % 12, 1 + number % 28)
        joined = datetime.date(born.year + 25, 5, 19)
        citizen = (
            f"001{sex_digit}{born.year % 100:02d}{number:06d}"
            if born.year < 2000
            else f"001{2 + sex_digit}{born.year % 100:02d}{number:06d}"
        )
        yield [
            number + 1,
            f"Nguyễn Văn Thử {number}",
            "Nam" if sex_digit == 0 else "Nữ",
            born.strftime("%d/%m/%Y"),
            joined.strftime("%d/%m/%Y"),
            joined.replace(year=joined.year + 1).strftime("%d/%m/%Y"),
            f"{20_000_000 + number}",
            citizen,
            f"BENCH-C{number % CELLS:03d}",
            f"09{number:08d}",
            "Xã Quỳnh Hồng, huyện Quỳnh Phụ, tỉnh Thái Bình",
        ]


def _iso(text: str) -> str:
    day, month, year = text.split("/")
    return f"{year}-{month}-{day}"


def copy_reference(path: str) -> None:
    from django.contrib.contenttypes.models import ContentType
    from django.db import connection, transaction

    from common.bulk import allocate_ids
    from members.models import Member

    build_tree()
    cells = dict(Unit.objects.filter(code__startswith="BENCH-C").values_list("code", "id"))
    now = datetime.datetime.now(datetime.UTC).isoformat()
    given = ["full_name", "search_name", "sort_name", "sex", "date_of_birth", "joined_on", "official_on", "card_number"]
    given += ["citizen_id", "unit_id", "phone", "hometown"]
    defaults = {field.attname: field.get_default() for field in Member._meta.concrete_fields if field.name != "id"}
    defaults.update(created_at=now, updated_at=now)
    rest = [name for name in defaults if name not in given]
    columns = ", ".join(["id", *given, *rest])
    log_columns = "time, actor_name, source, action, object_type_id, reason, object_id, object_repr, unit_id"
    log_columns += ", postchange_data"
    member_type = ContentType.objects.get_for_model(Member).pk
    with open(path, newline="", encoding="utf-8") as source:
        total = sum(1 for _line in csv.reader(source)) - 1
    count = 0
    with transaction.atomic(), open(path, newline="", encoding="utf-8") as source:
        ids = allocate_ids(Member, total)  # not timed: the members' keys, for their change-log rows
        with connection.cursor() as cursor:
            # Django's foreign keys are deferred to the commit, which a rolled-back reference never reaches:
            # checked as each row goes in, they are inside the timed part, as the import pays them.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        started = time.perf_counter()
        rows = list(csv.reader(source))[1:]
        with connection.cursor() as cursor, cursor.cursor.copy(f"COPY members_member ({columns}) FROM STDIN") as copy:
            for pk, row in zip(ids, rows, strict=True):
                copy.write_row([pk, *_member_values(row, cells)] + [defaults[name] for name in rest])
                count += 1
        members_done = time.perf_counter()
        # The history every import must also write: one change-log row per new member, its record as JSON.
        names = ["id", *given]
        with (
            connection.cursor() as cursor,
            cursor.cursor.copy(f"COPY audit_changelog ({log_columns}) FROM STDIN") as copy,
        ):
            for pk, row in zip(ids, rows, strict=True):
                values = [pk, *_member_values(row, cells)]
                record = {name: values[index] for index, name in enumerate(names)}
                record.update((name, defaults[name]) for name in rest if name not in ("created_at", "updated_at"))
                copy.write_row(
                    [
                        now,
                        "",
                        "import",
                        "create",
                        member_type,
                        "COPY",
                        pk,
                        row[1],
                        record["unit_id"],
                        json.dumps(record),
                    ]
                )
        seconds = time.perf_counter() - started
        transaction.set_rollback(True)
    members_seconds = members_done - started
    print(f"COPY of {count:,} members: {members_seconds:.2f} s, {count / members_seconds:,.0f} rows/s (rolled back)")
    print(f"COPY of the members and their change-log rows: {seconds:.2f} s, {count / seconds:,.0f} rows/s")


def _member_values(row: list, cells: dict) -> list:
    name = row[1]
    return (
        [
            name,
            fold_for_search(name)[:200],  # search_name's max_length
            person_name_collation_key(name)[:255],  # sort_name's
            "male" if row[2] == "Nam" else "female",
            _iso(row[3]),
            _iso(row[4]),
        ]
        + [
            _iso(row[5]),
            row[6],
            row[7],
            cells[row[8]],
            row[9],
            row[10],
        ]
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--start", type=int, default=0, help="First serial (another range gives other members).")
    parser.add_argument("--out")
    parser.add_argument("--copy-reference", metavar="CSV", help="Time PostgreSQL's COPY of this roster's rows.")
    args = parser.parse_args()
    if args.copy_reference:
        copy_reference(args.copy_reference)
        return
    if not args.out:
        parser.error("--out is required")
    build_tree()
    if args.out.endswith(".xlsx"):
        from openpyxl import Workbook

        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet("Danh sách")
        sheet.append(HEADER)
        for row in rows(args.rows, args.start):
            sheet.append(row)
        workbook.save(args.out)
    else:
        with open(args.out, "w", newline="", encoding="utf-8") as output:
            writer = csv.writer(output)
            writer.writerow(HEADER)
            writer.writerows(rows(args.rows, args.start))


if __name__ == "__main__":
    main()
