"""The committee's decision to admit a candidate, as a DOCX in the party's document format (common/documents.py)."""

from django.utils import translation

from common import documents
from orgunits.choices import signing_authority
from orgunits.models import Unit

from .models import Candidate

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def admission_decision_docx(*, candidate: Candidate) -> bytes:
    """Quyết định kết nạp đảng viên: the committee admits the candidate as a probationary member of the cell."""
    committee = candidate.committee
    parent = Unit.objects.get_parent(committee)
    sex = "Ông" if candidate.sex == "male" else "Bà"
    with translation.override("vi"):
        document = documents.official_document()
        documents.add_header(
            document,
            upper_body=parent.name if parent else "",
            body=committee.name,
            number_symbol=candidate.decision_number,
            place="",
            day=candidate.admitted_on,
        )
        documents.add_title(document, "Quyết định", ["kết nạp đảng viên"])
        documents.add_paragraph(
            document,
            f"Căn cứ Điều lệ Đảng Cộng sản Việt Nam; xét đề nghị của {candidate.unit.name} "
            f"(nghị quyết ngày {candidate.cell_voted_on:%d/%m/%Y}, {candidate.cell_votes_for}/{candidate.cell_voters} "
            "đảng viên tán thành) và hồ sơ của người vào Đảng,",
        )
        documents.add_paragraph(document, "QUYẾT ĐỊNH:")
        documents.add_paragraph(
            document,
            f"Điều 1. Kết nạp {sex} {candidate.full_name}, sinh ngày {candidate.date_of_birth:%d/%m/%Y}, "
            f"vào Đảng Cộng sản Việt Nam, sinh hoạt tại {candidate.unit.name}. Thời gian dự bị 12 tháng, "
            f"kể từ ngày {candidate.admitted_on:%d/%m/%Y}.",
        )
        introducers = ", ".join(
            member.full_name for member in (candidate.introducer_1, candidate.introducer_2) if member is not None
        )
        if introducers:
            documents.add_paragraph(document, f"Người giới thiệu: {introducers}.")
        documents.add_paragraph(
            document,
            f"Điều 2. {candidate.unit.name} và đồng chí có tên tại Điều 1 chịu trách nhiệm thi hành quyết định này.",
        )
        documents.add_footer(
            document,
            recipients="\n".join([candidate.unit.name, "Như Điều 1", "Lưu hồ sơ đảng viên"]),
            authority=signing_authority(committee.kind),
            position=documents.DEFAULT_POSITION,
            signer_name="",
        )
        return documents.docx_bytes(document)
