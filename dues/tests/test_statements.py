"""Bank statements: rows matched to members and months by the VietQR reference, previewed, then recorded once."""

import datetime
import io
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from dues.models import LedgerEntry
from dues.services import statement_import
from dues.statements import parse_amount, statement_rows


def csv_statement(*rows) -> bytes:
    lines = ["Ngày giao dịch,Số tiền ghi có,Nội dung,Số tham chiếu", *(",".join(row) for row in rows)]
    return "\n".join(lines).encode()


def test_rows_are_matched_by_reference_and_the_others_say_why_not(tree):
    a1, b1 = tree.member_a1.pk, tree.member_b1.pk
    content = csv_statement(
        ("28/11/2026", "30.000", f"NGUYEN VAN AN chuyen tien DP{a1}T202611", "FT001"),
        ("28/11/2026", "50.000", "ung ho quy khuyen hoc", "FT002"),
        ("29/11/2026", "30.000", f"DP{b1}T202611", "FT003"),
    )

    rows = statement_rows(unit=tree.cell_a1, name="saoke.csv", content=content)

    matched = [row for row in rows if row.is_matched]
    assert [(row.member, row.month, row.amount, row.paid_on) for row in matched] == [
        (tree.member_a1, datetime.date(2026, 11, 1), Decimal(30_000), datetime.date(2026, 11, 28))
    ]
    assert [row.number for row in rows if not row.is_matched] == [3, 4]


def test_importing_records_transfers_once_whatever_the_number_of_imports(tree):
    content = csv_statement(("28/11/2026", "30000", f"DP{tree.member_a1.pk}T202611", "FT001"))

    first = statement_import(actor=tree.users["secretary_a1"], unit=tree.cell_a1, name="a.csv", content=content)
    again = statement_import(actor=tree.users["secretary_a1"], unit=tree.cell_a1, name="a.csv", content=content)

    assert [(entry.method, entry.bank_reference, entry.amount) for entry in first] == [
        ("bank_transfer", "FT001", Decimal(30_000))
    ]
    assert again == []
    assert LedgerEntry.objects.count() == 1


def test_an_xlsx_statement_with_number_cells_is_read(tree):
    book = Workbook()
    sheet = book.active
    sheet.append(["Ngày", "Ghi có", "Diễn giải", "Mã giao dịch"])
    sheet.append(["28/11/2026", 30000.0, f"DP{tree.member_a1.pk}T202611", "FT9"])
    buffer = io.BytesIO()
    book.save(buffer)

    (row,) = statement_rows(unit=tree.cell_a1, name="saoke.xlsx", content=buffer.getvalue())

    assert (row.is_matched, row.amount) == (True, Decimal(30_000))


def test_amounts_are_read_as_whole_dong():
    assert [parse_amount(text) for text in ("30.000", "30,000", "30 000", "30000.0", "ba mươi")] == [
        Decimal(30_000),
        Decimal(30_000),
        Decimal(30_000),
        Decimal(30_000),
        None,
    ]


def test_the_page_previews_then_records(client, tree):
    content = csv_statement(
        ("28/11/2026", "30.000", f"DP{tree.member_a1.pk}T202611", "FT001"),
        ("28/11/2026", "10.000", "khong ro", "FT002"),
    )
    client.force_login(tree.users["secretary_a1"])
    url = reverse("dues:statement", args=["XA-C1"])

    preview = client.post(url, {"file": SimpleUploadedFile("saoke.csv", content)})

    assert preview.status_code == 200
    assert [row.reference for row in preview.context["unmatched"]] == ["FT002"]
    assert not LedgerEntry.objects.exists()
    done = client.post(url, {"name": "saoke.csv", "content": preview.context["content"]})
    assert done.status_code == 302
    assert list(LedgerEntry.objects.values_list("member_id", "bank_reference")) == [(tree.member_a1.pk, "FT001")]
