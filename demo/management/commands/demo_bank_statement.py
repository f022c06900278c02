"""`manage.py demo_bank_statement`: a bank statement of the demo cell's account to try the dues statement import
(Đảng phí › the cell › Nhập sao kê ngân hàng): the VietQR transfers of the members who still owe last month, and
one credit that is not dues (left unmatched by the import)."""

import csv

from django.core.management.base import BaseCommand, CommandError

from common.dates import today
from common.text import fold_for_search
from demo import world as demo
from dues.rules import add_months, first_of_month
from dues.selectors import cell_ledger
from dues.vietqr import payment_reference
from orgunits.models import Unit


class Command(BaseCommand):
    help = "Viết sao kê ngân hàng (CSV) của chi bộ mẫu để thử nhập đảng phí chuyển khoản."

    def add_arguments(self, parser):
        parser.add_argument("--out", default="sao-ke-chi-bo-mau.csv", help="Tệp CSV sẽ viết.")

    def handle(self, *args, **options):
        cell = Unit.objects.filter(code=demo.DEMO_CELL_CODE).first()
        if cell is None:
            raise CommandError("Chưa có dữ liệu mẫu: chạy `python manage.py load_demo` trước.")
        day = today()
        month = add_months(first_of_month(day), -1)
        owing = [row for row in cell_ledger(unit=cell, month=month) if row.line.due and row.line.paid < row.line.due]
        rows = []
        for number, row in enumerate(owing[:5], 1):
            name = fold_for_search(row.member.full_name).upper()
            reference = payment_reference(member_id=row.member.pk, month=month)
            amount = int(row.line.due - row.line.paid)
            rows.append((f"{day:%d/%m/%Y}", amount, f"{name} CHUYEN TIEN {reference}", f"FT{day:%y%m%d}{number:05d}"))
        rows.append((f"{day:%d/%m/%Y}", 200_000, "UNG HO QUY KHUYEN HOC THON", f"FT{day:%y%m%d}99999"))
        with open(options["out"], "w", newline="", encoding="utf-8") as file:
            writer = csv.writer(file)
            writer.writerow(("Ngày giao dịch", "Số tiền ghi có", "Nội dung", "Số tham chiếu"))
            writer.writerows(rows)
        self.stdout.write(
            f"Đã viết {options['out']}: {len(rows) - 1} khoản đảng phí tháng {month:%m/%Y} và 1 khoản khác "
            f"(không phải đảng phí). Nhập tại trang đảng phí của {cell.name}."
        )
