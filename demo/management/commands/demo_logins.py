"""`manage.py demo_logins`: the demo logins, their roles and units, and how the demo member can sign in."""

from django.core.management.base import BaseCommand

from accounts.models import CivicRole, RoleAssignment, User
from accounts.security.two_factor import two_factor_mandatory
from demo import story
from demo import world as demo


class Command(BaseCommand):
    help = "In bảng các tài khoản dùng thử của dữ liệu mẫu."

    def handle(self, *args, **options):
        state_usernames = [login.username for login in story.STATE_LOGINS]
        users = {
            user.username: user for user in User.objects.filter(username__in=[*demo.DEMO_USERNAMES, *state_usernames])
        }
        if not users:
            self.stdout.write("Chưa có dữ liệu mẫu: chạy `python manage.py load_demo` để tải.")
            return
        roles = {
            (assignment.user.username, assignment.role): assignment.unit
            for assignment in RoleAssignment.objects.active()
            .filter(user__in=users.values())
            .select_related("user", "unit")
        }
        rows = []
        for login in demo.DEMO_LOGINS:
            user = users.get(login.username)
            unit = roles.get((login.username, login.role))
            if user is None or unit is None:
                continue
            # The password is shown only while it is still the demo one: a changed password stays private.
            password = demo.DEMO_PASSWORD if user.check_password(demo.DEMO_PASSWORD) else "(đã đổi)"
            rows.append((login.username, login.description, f"{unit.name} ({unit.code})", password))
        # Those with a role outside the party: the ward's Culture–Society officer and a residential group's head.
        places = {
            role.user.username: role.place
            for role in CivicRole.objects.active()
            .filter(user__username__in=state_usernames)
            .select_related("user", "organisation", "area")
        }
        for login in story.STATE_LOGINS:
            user, place = users.get(login.username), places.get(login.username)
            if user is None or place is None:
                continue
            password = demo.DEMO_PASSWORD if user.check_password(demo.DEMO_PASSWORD) else "(đã đổi)"
            rows.append((login.username, login.description, f"{place.name} ({place.code})", password))
        if not rows:
            self.stdout.write("Chưa có dữ liệu mẫu: chạy `python manage.py load_demo` để tải.")
            return

        headers = ("Tên đăng nhập", "Vai trò", "Đơn vị", "Mật khẩu")
        widths = [max(len(row[i]) for row in [headers, *rows]) for i in range(len(headers))]
        self.stdout.write("Tài khoản dùng thử (dữ liệu mẫu):")
        self.stdout.write(_line(headers, widths))
        self.stdout.write("  " + "  ".join("-" * width for width in widths))
        for row in rows:
            self.stdout.write(_line(row, widths))

        required = [row[0] for row in rows if _needs_second_step(users[row[0]])]
        if required:
            self.stdout.write("")
            self.stdout.write(
                f"Các tài khoản {', '.join(required)} giữ vai trò cấp ủy nên phải bật xác thực hai bước ở lần đăng "
                "nhập đầu: quét mã QR bằng ứng dụng xác thực (Google Authenticator, Microsoft Authenticator, "
                "FreeOTP). Muốn dùng thử mà không cần điện thoại: TWO_FACTOR_ENFORCED=0 make run."
            )

        demo_user = users.get("dangvien")
        member = demo_user.member if demo_user else None
        if member is not None:
            self.stdout.write("")
            self.stdout.write(
                f"Đảng viên “{member.full_name}” ({member.unit.name}) cũng đăng nhập được bằng "
                f"số điện thoại {member.phone or '(chưa có)'} hoặc số CCCD {member.citizen_id or '(chưa có)'}, "
                "cùng mật khẩu."
            )


def _needs_second_step(user) -> bool:
    return user.two_factor_enabled or two_factor_mandatory(user)


def _line(values, widths) -> str:
    return ("  " + "  ".join(value.ljust(width) for value, width in zip(values, widths, strict=True))).rstrip()
