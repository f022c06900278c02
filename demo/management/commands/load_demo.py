"""`manage.py load_demo [--if-empty] [--seed N]`: the demo province, its members and the demo logins."""

import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from demo import world as demo


class Command(BaseCommand):
    help = "Tải dữ liệu mẫu: một tỉnh, một phường khoảng 13.000 đảng viên, một xã nhỏ và các tài khoản dùng thử."

    def add_arguments(self, parser):
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Không làm gì nếu cơ sở dữ liệu đã có tổ chức đảng (dùng cho `make run`).",
        )
        parser.add_argument(
            "--allow-production",
            action="store_true",
            help="Tải cả khi DEBUG tắt (máy tập huấn). Không bao giờ dùng trên máy thật: "
            "mọi tài khoản mẫu có cùng một mật khẩu công khai.",
        )
        parser.add_argument("--seed", type=int, default=demo.DEFAULT_SEED, help="Cùng một số cho cùng một dữ liệu.")
        parser.add_argument("--members", type=int, default=demo.DEFAULT_MEMBERS, help="Số đảng viên của phường lớn.")
        parser.add_argument("--cells", type=int, default=demo.DEFAULT_CELLS, help="Số chi bộ của phường lớn.")
        parser.add_argument(
            "--small-members", type=int, default=demo.DEFAULT_SMALL_MEMBERS, help="Số đảng viên của xã nhỏ."
        )
        parser.add_argument("--small-cells", type=int, default=demo.DEFAULT_SMALL_CELLS, help="Số chi bộ của xã nhỏ.")

    def handle(self, *args, **options):
        if demo.demo_is_loaded():
            if options["if_empty"]:
                self.stdout.write("Cơ sở dữ liệu đã có tổ chức đảng: không tải dữ liệu mẫu.")
                return
            raise CommandError("Cơ sở dữ liệu đã có tổ chức đảng: dữ liệu mẫu chỉ tải vào cơ sở dữ liệu trống.")
        if not settings.DEBUG and not options["allow_production"]:
            # Every demo login shares a published password: never let it slip onto a real server.
            raise CommandError(
                "DEBUG đang tắt (cấu hình chạy thật): không tải dữ liệu mẫu. Máy tập huấn thì thêm --allow-production."
            )
        started = time.monotonic()
        self.stdout.write("Đang tải dữ liệu mẫu…")
        try:
            summary = demo.load_demo(
                members=options["members"],
                cells=options["cells"],
                small_members=options["small_members"],
                small_cells=options["small_cells"],
                seed=options["seed"],
                progress=self._progress,
            )
        except demo.DemoDataExists as error:
            raise CommandError(
                "Cơ sở dữ liệu đã có tổ chức đảng: dữ liệu mẫu chỉ tải vào cơ sở dữ liệu trống."
            ) from error
        except ValueError as error:
            raise CommandError(str(error)) from error
        if self.stdout.isatty():
            self.stdout.write("")
        self.stdout.write(
            self.style.SUCCESS(
                f"Đã tải {_thousands(summary.members)} đảng viên, {summary.units} tổ chức đảng, {summary.areas} địa bàn"
                f" và {summary.users} tài khoản trong {_decimal(time.monotonic() - started)} giây."
            )
        )

    def _progress(self, done: int, total: int) -> None:
        # A progress line only on a terminal: logs and tests get the summary alone.
        if self.stdout.isatty():
            self.stdout.write(f"\r  Chi bộ {done}/{total}", ending="")
            self.stdout.flush()


def _thousands(number: int) -> str:
    """13000 → "13.000", as Vietnamese writes it."""
    return f"{number:,}".replace(",", ".")


def _decimal(number: float) -> str:
    return f"{number:.1f}".replace(".", ",")
