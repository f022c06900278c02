TRANSFER_STEPS = "Viết đơn xin chuyển sinh hoạt đảng\nChi bộ xác nhận, gửi Đảng ủy\nNhận giấy giới thiệu\nXuất trình với chi bộ nơi đến"


def write(tree, *, unit=None, actor=None, **data):
    from guide.services import entry_create

    data.setdefault("topic", "transfer")
    data.setdefault("title", "Chuyển sinh hoạt đảng chính thức")
    data.setdefault("summary", "Trong 60 ngày làm việc Đảng ủy cấp giấy giới thiệu.")
    data.setdefault("steps", TRANSFER_STEPS)
    data.setdefault("forms_needed", "Đơn xin chuyển sinh hoạt đảng\nPhiếu báo chuyển sinh hoạt đảng")
    return entry_create(actor=actor or tree.users["officer_a"], unit=unit or tree.commune_a, data=data)
