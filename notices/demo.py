"""The demo's news: items from the province and the ward, two with a picture drawn in code (a village hall under
the sun, and rice fields), so the home and the news list show what members will see."""

from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.models import User
from common.images import png_bytes
from orgunits.models import Unit

from .services import news_create

WIDTH, HEIGHT = 320, 180
SKY_TOP, SKY_BOTTOM = (120, 175, 230), (205, 228, 245)
SUN = (255, 214, 90)
FIELD, FIELD_DARK = (110, 170, 80), (80, 140, 60)
WALL, ROOF, FLAG = (240, 226, 200), (170, 60, 45), (218, 37, 29)


def _sky(y: int) -> tuple:
    share = y / (HEIGHT * 0.6)
    return tuple(round(top + (bottom - top) * share) for top, bottom in zip(SKY_TOP, SKY_BOTTOM, strict=True))


def village_hall_png() -> bytes:
    """A village hall with a red roof and a flag, under the sun."""

    def pixel(x: int, y: int) -> tuple:
        if 50 <= y <= 80 and abs(x - 180) <= (y - 50) * 55 / 30:
            return ROOF
        if 135 <= x <= 225 and 80 < y <= 135:
            return (90, 70, 60) if 170 <= x <= 190 and y >= 105 else WALL
        if x == 240 and 40 <= y <= 135:
            return (90, 90, 90)
        if 241 <= x <= 262 and 40 <= y <= 54:
            return FLAG
        if (x - 60) ** 2 + (y - 40) ** 2 <= 20**2:
            return SUN
        return _sky(y) if y < HEIGHT * 0.6 else FIELD_DARK if (y // 6) % 2 else FIELD

    return png_bytes(WIDTH, HEIGHT, pixel)


def rice_fields_png() -> bytes:
    """Terraced rice fields under a pale sky."""

    def pixel(x: int, y: int) -> tuple:
        horizon = 70 + round(12 * ((x / WIDTH) - 0.5) ** 2 * 4)
        if y < horizon:
            return SUN if (x - 250) ** 2 + (y - 30) ** 2 <= 16**2 else _sky(y)
        band = (y - horizon + x // 20) // 14
        return FIELD if band % 2 else FIELD_DARK

    return png_bytes(WIDTH, HEIGHT, pixel)


def _picture(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="image/png")


def demo_news(*, province: Unit, province_officer: User, commune: Unit, officer: User) -> None:
    news_create(
        actor=province_officer,
        unit=province,
        title="Toàn tỉnh hoàn thành cài đặt Sổ tay đảng viên cho đảng viên đủ điều kiện",
        summary="Các đảng bộ xã, phường đẩy nhanh kích hoạt tài khoản, ưu tiên hỗ trợ đảng viên cao tuổi.",
        body="Sau một tháng triển khai, phần lớn đảng viên đủ điều kiện trong tỉnh đã kích hoạt tài khoản Sổ tay "
        "đảng viên điện tử. Các tổ công nghệ số cộng đồng tiếp tục hỗ trợ tại nhà văn hoá thôn, tổ dân phố.",
        picture=_picture("cai-dat.png", rice_fields_png()),
    )
    news_create(
        actor=officer,
        unit=commune,
        title="Phường khánh thành nhà văn hoá tổ dân phố số 3",
        summary="Nhà văn hoá mới là nơi sinh hoạt chi bộ và điểm hỗ trợ cài đặt Sổ tay cho bà con.",
        body="Sáng Chủ nhật, Đảng ủy, UBND phường tổ chức khánh thành nhà văn hoá tổ dân phố số 3. Từ tuần sau, "
        "chi bộ tổ dân phố sinh hoạt tại đây; Đoàn Thanh niên bố trí điểm hỗ trợ cài đặt vào sáng thứ Bảy.",
        picture=_picture("nha-van-hoa.png", village_hall_png()),
    )
    news_create(
        actor=officer,
        unit=commune,
        title="Chi bộ các khu dân cư ra quân vệ sinh môi trường",
        summary="Đảng viên gương mẫu cùng nhân dân dọn dẹp đường làng, ngõ xóm.",
        body="Hưởng ứng phong trào xây dựng khu dân cư văn minh, các chi bộ khu dân cư phối hợp với Mặt trận, "
        "các đoàn thể ra quân vệ sinh môi trường, trồng cây xanh dọc các tuyến đường.",
    )
