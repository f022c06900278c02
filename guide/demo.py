"""The demo's procedure guide: the ward's entries on the procedures members ask about most."""

from accounts.models import User
from orgunits.models import Unit

from .choices import Topic
from .services import entry_create

ENTRIES = (
    (
        Topic.TRANSFER,
        "Chuyển sinh hoạt đảng chính thức",
        "Khi chuyển nơi ở hoặc nơi công tác từ 1 năm trở lên. Đảng ủy cấp giấy giới thiệu trong 60 ngày làm việc; "
        "đồng chí xuất trình giấy với chi bộ nơi đến trong 30 ngày làm việc.",
        "Làm đơn đề nghị trên Sổ tay (Chuyển sinh hoạt đảng) hoặc nộp đơn giấy cho bí thư chi bộ\n"
        "Chi bộ xác nhận, hoàn thiện hồ sơ và đóng đảng phí đến hết tháng chuyển đi\n"
        "Đảng ủy xem xét, cấp giấy giới thiệu sinh hoạt đảng\n"
        "Xuất trình giấy giới thiệu với chi bộ nơi đến; chi bộ nơi đến quét mã QR để kiểm tra và tiếp nhận",
        "Đơn đề nghị chuyển sinh hoạt đảng\nHồ sơ đảng viên\nGiấy giới thiệu sinh hoạt đảng",
    ),
    (
        Topic.TRANSFER,
        "Chuyển sinh hoạt đảng tạm thời",
        "Khi đi làm việc, học tập ở nơi khác từ 3 tháng đến dưới 1 năm; hồ sơ vẫn do chi bộ hiện nay quản lý.",
        "Làm đơn đề nghị, ghi rõ thời gian trở về\nĐảng ủy cấp giấy giới thiệu sinh hoạt tạm thời\n"
        "Sinh hoạt tại chi bộ nơi đến\nKhi trở về, báo bí thư chi bộ để ghi nhận",
        "Đơn đề nghị chuyển sinh hoạt đảng tạm thời\nGiấy giới thiệu sinh hoạt đảng tạm thời",
    ),
    (
        Topic.DUES,
        "Đóng đảng phí hằng tháng",
        "Theo Quy định 01-QĐ/TW: 1% tiền lương đóng bảo hiểm xã hội, 0,5% lương hưu; đóng hằng tháng tại chi bộ.",
        "Xem số tiền phải đóng trong mục Đảng phí của tôi\nĐóng tiền mặt cho bí thư chi bộ tại buổi sinh hoạt, "
        "hoặc chuyển khoản bằng mã VietQR\nKiểm tra các tháng đã đóng trên Sổ tay",
        "Biên lai thu đảng phí (khi đóng tiền mặt)",
    ),
    (
        Topic.RATING,
        "Đánh giá, xếp loại đảng viên cuối năm",
        "Theo Quy định 366-QĐ/TW, thang 100 điểm.",
        "Tự kiểm điểm trên Sổ tay trước hạn\nChi bộ họp, nhận xét và biểu quyết đề xuất mức xếp loại\n"
        "Đảng ủy quyết định mức xếp loại",
        "Bản tự kiểm điểm của đảng viên",
    ),
)


def demo_guide(*, commune: Unit, officer: User) -> None:
    for topic, title, summary, steps, forms_needed in ENTRIES:
        entry_create(
            actor=officer,
            unit=commune,
            data={"topic": topic, "title": title, "summary": summary, "steps": steps, "forms_needed": forms_needed},
        )
