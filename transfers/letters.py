"""The transfer letter (giấy giới thiệu sinh hoạt đảng) as a DOCX in the party's format, and the QR printed on it.

The QR holds a link to Sổ tay's check page with a token: the transfer and the letter's number, signed with
SECRET_KEY under this module's salt, so a forged or altered code does not verify. What the check shows depends on
the transfer now (services may have cancelled it or the cell received the member), never on the token alone.
"""

import datetime
import io

import segno
from django.core import signing
from docx.shared import Mm

from common import documents
from orgunits.choices import signing_authority
from orgunits.models import Unit

from .choices import TransferKind
from .models import Transfer

SALT = "transfers.letter"
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def letter_token(transfer: Transfer) -> str:
    return signing.dumps({"t": transfer.pk, "n": transfer.letter_number, "y": transfer.letter_year}, salt=SALT)


def letter_token_read(value: str) -> tuple[int, int, int] | None:
    """(transfer id, letter number, year) of a genuine token, None for anything else."""
    try:
        data = signing.loads(value or "", salt=SALT)
        return int(data["t"]), int(data["n"]), int(data["y"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return None


def check_link(transfer: Transfer, base_url: str) -> str:
    return f"{base_url.rstrip('/')}/transfers/letters/check/?t={letter_token(transfer)}"


def _month(day: datetime.date | None) -> str:
    return f"tháng {day:%m/%Y}" if day else "chưa có"


def letter_docx(*, transfer: Transfer, link: str) -> bytes:
    """The letter as the committee signs it. The fixed words of the layout are Vietnamese by rule."""
    member = transfer.member
    issuer = transfer.issuing_unit
    parent = Unit.objects.get_parent(issuer)
    document = documents.official_document()
    documents.add_header(
        document,
        upper_body=parent.name if parent else "",
        body=issuer.name,
        number_symbol=f"{transfer.letter_number}-GTSHĐ",
        place="",
        day=transfer.issued_on,
    )
    kind = "tạm thời" if transfer.kind == TransferKind.TEMPORARY else "chính thức"
    documents.add_title(document, "Giấy giới thiệu sinh hoạt đảng", [f"(Chuyển sinh hoạt đảng {kind})"])
    standing = "chính thức" if member.official_on else "dự bị"
    lines = [
        f"{issuer.name} trân trọng giới thiệu đồng chí {member.full_name}, sinh ngày {member.date_of_birth:%d/%m/%Y},"
        f" là đảng viên {standing}, vào Đảng ngày {member.joined_on:%d/%m/%Y}.",
        f"Số thẻ đảng viên: {transfer.card_number or '……'}; số lý lịch: {transfer.background_file_number or '……'};"
        f" số danh sách: {transfer.list_position or '……'}.",
        f"Đang sinh hoạt tại: {transfer.from_unit.name}.",
        f"Được chuyển đến sinh hoạt tại: {transfer.destination}.",
        f"Đã đóng đảng phí đến hết {_month(transfer.dues_paid_through)}.",
    ]
    if transfer.kind == TransferKind.TEMPORARY and transfer.returns_on:
        lines.append(f"Thời gian sinh hoạt tạm thời: đến ngày {transfer.returns_on:%d/%m/%Y}.")
    if transfer.present_due:
        lines.append(
            f"Đồng chí có trách nhiệm xuất trình giấy này với chi bộ nơi đến trước ngày {transfer.present_due:%d/%m/%Y}."
        )
    for text in lines:
        documents.add_paragraph(document, text)
    qr = io.BytesIO()
    segno.make(link, error="m").save(qr, kind="png", scale=4, border=2)
    qr.seek(0)
    document.add_picture(qr, width=Mm(30))
    documents.add_paragraph(document, "Quét mã để kiểm tra giấy giới thiệu trên Sổ tay đảng viên điện tử.")
    documents.add_footer(
        document,
        recipients="\n".join(["Như trên", transfer.from_unit.name, "Lưu hồ sơ"]),
        authority=signing_authority(issuer.kind),
        position=documents.DEFAULT_POSITION,
        signer_name="",
    )
    return documents.docx_bytes(document)
