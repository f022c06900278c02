"""The admission forms (mẫu KNĐ) generated from the file, as DOCX in the party's document format
(common/documents.py).

The forms and their numbers follow the list of Hướng dẫn 09-HD/BTCTW (5 June 2017) as public pages of party
committees reproduce it (e.g. tnu.edu.vn, "Kết nạp Đảng và chuyển Đảng chính thức", and vanxuan.net): 3-KNĐ the
introduction by an official member, 6-KNĐ the cell's resolution proposing admission, 13-KNĐ the cell's resolution
proposing official standing. The regulation's own text was not at hand, and the number of the decision recognising
official standing was not found: that decision carries no form number. The text an official writes by hand (the
introducer's assessment, the meeting's discussion) is left as dotted lines to fill.
"""

from django.utils import translation

from common import documents
from orgunits.choices import signing_authority
from orgunits.models import Unit
from orgunits.selectors import commune_committee_of

from .models import Candidate, ProbationCase

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _committee_decision(
    *, committee, number_symbol: str, day, subject: str, grounds: str, articles: list[str], cell_name: str
) -> bytes:
    """A committee's decision on one person (the layout both admission decisions share): the header, the grounds,
    the articles, and the recipients: the cell, the person, the member's file."""
    parent = Unit.objects.get_parent(committee)
    with translation.override("vi"):
        document = documents.official_document()
        documents.add_header(
            document,
            upper_body=parent.name if parent else "",
            body=committee.name,
            number_symbol=number_symbol,
            place="",
            day=day,
        )
        documents.add_title(document, "Quyết định", [subject])
        documents.add_paragraph(document, grounds)
        documents.add_paragraph(document, "QUYẾT ĐỊNH:")
        for article in articles:
            documents.add_paragraph(document, article)
        documents.add_paragraph(
            document, f"Điều 2. {cell_name} và đồng chí có tên tại Điều 1 chịu trách nhiệm thi hành quyết định này."
        )
        documents.add_footer(
            document,
            recipients="\n".join([cell_name, "Như Điều 1", "Lưu hồ sơ đảng viên"]),
            authority=signing_authority(committee.kind),
            position=documents.DEFAULT_POSITION,
            signer_name="",
        )
        return documents.docx_bytes(document)


def admission_decision_docx(*, candidate: Candidate) -> bytes:
    """Quyết định kết nạp đảng viên: the committee admits the candidate as a probationary member of the cell."""
    articles = [
        f"Điều 1. Kết nạp {_sex(candidate.sex)} {candidate.full_name}, sinh ngày {candidate.date_of_birth:%d/%m/%Y}, "
        f"vào Đảng Cộng sản Việt Nam, sinh hoạt tại {candidate.unit.name}. Thời gian dự bị 12 tháng, "
        f"kể từ ngày {candidate.admitted_on:%d/%m/%Y}."
    ]
    introducers = ", ".join(
        member.full_name for member in (candidate.introducer_1, candidate.introducer_2) if member is not None
    )
    if introducers:
        articles.append(f"Người giới thiệu: {introducers}.")
    return _committee_decision(
        committee=candidate.committee,
        number_symbol=candidate.decision_number,
        day=candidate.admitted_on,
        subject="kết nạp đảng viên",
        grounds=f"Căn cứ Điều lệ Đảng Cộng sản Việt Nam; xét đề nghị của {candidate.unit.name} "
        f"(nghị quyết ngày {candidate.cell_voted_on:%d/%m/%Y}, {candidate.cell_votes_for}/{candidate.cell_voters} "
        "đảng viên tán thành) và hồ sơ của người vào Đảng,",
        articles=articles,
        cell_name=candidate.unit.name,
    )


TO_FILL = "." * 110


def _sex(sex: str) -> str:
    return "Ông" if sex == "male" else "Bà"


def _form_code(document, code: str) -> None:
    documents.add_paragraph(document, f"Mẫu {code}")


def introduction_docx(*, candidate: Candidate, introducer) -> bytes:
    """Mẫu 3-KNĐ, giấy giới thiệu người vào Đảng: one of the two official members introduces the candidate."""
    with translation.override("vi"):
        document = documents.official_document()
        _form_code(document, "3-KNĐ")
        documents.add_title(document, "Giấy giới thiệu người vào Đảng", [])
        joined = f"{introducer.joined_on:%d/%m/%Y}" if introducer.joined_on else "…"
        official = f"{introducer.official_on:%d/%m/%Y}" if introducer.official_on else "…"
        documents.add_paragraph(
            document,
            f"Tôi là {introducer.full_name}, vào Đảng ngày {joined}, chính thức ngày {official}, "
            f"đang sinh hoạt tại {candidate.unit.name}.",
        )
        documents.add_paragraph(
            document,
            f"Được chi bộ phân công giúp đỡ {_sex(candidate.sex).lower()} {candidate.full_name}, sinh ngày "
            f"{candidate.date_of_birth:%d/%m/%Y}, phấn đấu vào Đảng. Tôi giới thiệu người vào Đảng với những nội "
            "dung sau:",
        )
        for heading in (
            "Về lịch sử chính trị và chính trị hiện nay",
            "Về phẩm chất chính trị, đạo đức, lối sống",
            "Về năng lực công tác và quan hệ quần chúng",
            "Những khuyết điểm, nhược điểm chính",
        ):
            documents.add_paragraph(document, f"{heading}: {TO_FILL}")
        documents.add_paragraph(
            document,
            "Tôi xin chịu trách nhiệm trước Đảng về sự giới thiệu của mình và báo cáo để chi bộ xem xét, đề nghị cấp "
            "ủy cấp trên kết nạp người vào Đảng.",
        )
        documents.add_footer(
            document,
            recipients="",
            authority="",
            position="NGƯỜI GIỚI THIỆU",
            signer_name=introducer.full_name,
        )
        return documents.docx_bytes(document)


def _cell_header(document, *, cell, day, title: str, lines: list[str]) -> None:
    committee = commune_committee_of(cell)
    documents.add_header(
        document, upper_body=committee.name if committee else "", body=cell.name, number_symbol="", place="", day=day
    )
    documents.add_title(document, title, lines)


def _vote_line(votes_for: int | None, voters: int | None) -> str:
    against = (voters or 0) - (votes_for or 0)
    return (
        f"Số đảng viên biểu quyết: {voters or 0}; tán thành {votes_for or 0} đồng chí, không tán thành "
        f"{against} đồng chí."
    )


def cell_admission_resolution_docx(*, candidate: Candidate) -> bytes:
    """Mẫu 6-KNĐ, nghị quyết đề nghị kết nạp đảng viên: the cell's vote proposing the candidate."""
    with translation.override("vi"):
        document = documents.official_document()
        _form_code(document, "6-KNĐ")
        _cell_header(
            document,
            cell=candidate.unit,
            day=candidate.cell_voted_on,
            title="Nghị quyết",
            lines=["đề nghị kết nạp đảng viên"],
        )
        documents.add_paragraph(
            document,
            f"Ngày {candidate.cell_voted_on:%d/%m/%Y}, {candidate.unit.name} họp xét đề nghị kết nạp "
            f"{_sex(candidate.sex).lower()} {candidate.full_name}, sinh ngày {candidate.date_of_birth:%d/%m/%Y}, "
            "vào Đảng.",
        )
        if candidate.training_course:
            documents.add_paragraph(
                document,
                f"Người vào Đảng đã học {candidate.training_course}"
                + (
                    f" (giấy chứng nhận ngày {candidate.certificate_on:%d/%m/%Y})." if candidate.certificate_on else "."
                ),
            )
        introducers = [member for member in (candidate.introducer_1, candidate.introducer_2) if member is not None]
        if introducers:
            documents.add_paragraph(
                document, "Người giới thiệu: " + ", ".join(member.full_name for member in introducers) + "."
            )
        if candidate.mass_org_recommendation:
            documents.add_paragraph(document, f"Ý kiến của tổ chức đoàn thể: {candidate.mass_org_recommendation}")
        documents.add_paragraph(document, f"Ưu điểm, khuyết điểm chính: {TO_FILL}")
        documents.add_paragraph(document, _vote_line(candidate.cell_votes_for, candidate.cell_voters))
        documents.add_paragraph(
            document,
            f"Chi bộ đề nghị {candidate.committee.name} xem xét, quyết định kết nạp "
            f"{_sex(candidate.sex).lower()} {candidate.full_name} vào Đảng Cộng sản Việt Nam.",
        )
        documents.add_footer(
            document,
            recipients="\n".join([candidate.committee.name, "Lưu chi bộ"]),
            authority="T/M CHI BỘ",
            position=documents.DEFAULT_POSITION,
            signer_name="",
        )
        return documents.docx_bytes(document)


def cell_official_resolution_docx(*, case: ProbationCase) -> bytes:
    """Mẫu 13-KNĐ, nghị quyết đề nghị công nhận đảng viên chính thức: the cell's vote at the end of probation."""
    member = case.member
    with translation.override("vi"):
        document = documents.official_document()
        _form_code(document, "13-KNĐ")
        _cell_header(
            document,
            cell=case.unit,
            day=case.cell_voted_on,
            title="Nghị quyết",
            lines=["đề nghị công nhận đảng viên chính thức"],
        )
        documents.add_paragraph(
            document,
            f"Ngày {case.cell_voted_on:%d/%m/%Y}, {case.unit.name} họp xét đề nghị công nhận đảng viên chính thức "
            f"cho đồng chí {member.full_name}, sinh ngày {member.date_of_birth:%d/%m/%Y}, kết nạp vào Đảng ngày "
            f"{member.joined_on:%d/%m/%Y}.",
        )
        if case.application_on:
            documents.add_paragraph(
                document, f"Bản tự kiểm điểm của đảng viên dự bị ngày {case.application_on:%d/%m/%Y}."
            )
        if case.introducers_opinion:
            documents.add_paragraph(
                document, f"Nhận xét của đảng viên được phân công giúp đỡ: {case.introducers_opinion}"
            )
        if case.mass_org_opinion:
            documents.add_paragraph(document, f"Ý kiến của tổ chức đoàn thể: {case.mass_org_opinion}")
        documents.add_paragraph(document, _vote_line(case.cell_votes_for, case.cell_voters))
        documents.add_paragraph(
            document,
            f"Chi bộ đề nghị {case.committee.name} xem xét, quyết định công nhận đồng chí {member.full_name} là "
            "đảng viên chính thức.",
        )
        documents.add_footer(
            document,
            recipients="\n".join([case.committee.name, "Lưu chi bộ"]),
            authority="T/M CHI BỘ",
            position=documents.DEFAULT_POSITION,
            signer_name="",
        )
        return documents.docx_bytes(document)


def official_decision_docx(*, case: ProbationCase) -> bytes:
    """Quyết định công nhận đảng viên chính thức: the committee's decision ending the probation."""
    member = case.member
    return _committee_decision(
        committee=case.committee,
        number_symbol=case.decision_number,
        day=case.decided_on,
        subject="công nhận đảng viên chính thức",
        grounds=f"Căn cứ Điều lệ Đảng Cộng sản Việt Nam; xét đề nghị của {case.unit.name} (nghị quyết ngày "
        f"{case.cell_voted_on:%d/%m/%Y}, {case.cell_votes_for}/{case.cell_voters} đảng viên tán thành),",
        articles=[
            f"Điều 1. Công nhận đồng chí {member.full_name}, sinh ngày {member.date_of_birth:%d/%m/%Y}, kết nạp vào "
            f"Đảng ngày {member.joined_on:%d/%m/%Y}, là đảng viên chính thức kể từ ngày "
            f"{(member.official_on or case.decided_on):%d/%m/%Y}."
        ],
        cell_name=case.unit.name,
    )
