"""The demo's study, half done: the ward assigned the study of the Party Congress's resolution with a quiz. In the demo
cell some members have studied and passed, some failed once, some are still reading; the secretary marked a few who
studied at the cell's last meeting. The demo member has not started, so a visitor can study and answer. A topic of
the month without a quiz is assigned too."""

import datetime
import random

from django.utils import timezone

from accounts.models import User
from library.models import Document
from meetings.models import Meeting
from members.choices import CURRENT_STATUSES
from members.models import Member
from orgunits.models import Unit

from .choices import TEXT_STEP, MaterialKind
from .services import assignment_create, marks_record, question_add, quiz_submit, study_open, study_step_done

RESOLUTION_TEXT = (
    "Đại hội đại biểu toàn quốc lần thứ XIV của Đảng xác định mục tiêu phát triển đất nước đến năm 2030 và tầm nhìn "
    "đến năm 2045.\n\n"
    "Những điểm mới cần quán triệt: phát triển nhanh và bền vững dựa trên khoa học, công nghệ, đổi mới sáng tạo và "
    "chuyển đổi số; xây dựng, chỉnh đốn Đảng và hệ thống chính trị trong sạch, vững mạnh; phát huy sức mạnh khối đại "
    "đoàn kết toàn dân tộc.\n\n"
    "Mỗi đảng viên xây dựng kế hoạch làm theo nghị quyết gắn với nhiệm vụ của chi bộ và nơi cư trú."
)
# (question, [(answer, right)], more than one, explanation)
QUESTIONS = (
    (
        "Đại hội XIV xác định tầm nhìn phát triển đất nước đến năm nào?",
        [("2030", False), ("2045", True), ("2050", False)],
        False,
        "Mục tiêu đến năm 2030, tầm nhìn đến năm 2045.",
    ),
    (
        "Những động lực phát triển nào được Nghị quyết nhấn mạnh?",
        [
            ("Khoa học, công nghệ", True),
            ("Đổi mới sáng tạo", True),
            ("Chuyển đổi số", True),
            ("Khai thác tài nguyên", False),
        ],
        True,
        "Khoa học, công nghệ, đổi mới sáng tạo và chuyển đổi số là động lực chính.",
    ),
    (
        "Chi bộ sinh hoạt thường kỳ bao lâu một lần?",
        [("Mỗi tháng một lần", True), ("Mỗi quý một lần", False), ("Sáu tháng một lần", False)],
        False,
        "Theo Điều lệ Đảng, chi bộ sinh hoạt thường kỳ mỗi tháng một lần.",
    ),
    (
        "Sau khi học tập nghị quyết, mỗi đảng viên cần làm gì?",
        [("Xây dựng kế hoạch làm theo nghị quyết", True), ("Chỉ cần ký biên bản", False)],
        False,
        "",
    ),
    (
        "Đảng viên đang hưởng lương hưu đóng đảng phí bao nhiêu?",
        [("1% lương hưu", False), ("0,5% lương hưu", True), ("Không phải đóng", False)],
        False,
        "Quy định 01-QĐ/TW: 0,5% lương hưu.",
    ),
)


def quiz_answers(assignment, *, wrong: int = 0) -> dict[int, list[int]]:
    """Answers to every question of the quiz: right, except the first `wrong` questions (the demo's members, and
    the tests)."""
    answers = {}
    for number, question in enumerate(assignment.questions.prefetch_related("choices").order_by("position")):
        right = [choice.pk for choice in question.choices.all() if choice.is_correct]
        others = [choice.pk for choice in question.choices.all() if not choice.is_correct]
        answers[question.pk] = others[:1] if number < wrong else right
    return answers


def demo_study(
    *, rng: random.Random, commune: Unit, cell: Unit, officer: User, secretary: User, keep_for: User, today
) -> None:
    last_meeting = (
        Meeting.objects.filter(unit=cell, cancelled_at__isnull=True, starts_at__lt=timezone.now())
        .order_by("-starts_at")
        .first()
    )
    first_day = (
        timezone.localtime(last_meeting.starts_at).date() if last_meeting else today - datetime.timedelta(days=7)
    )
    documents = list(
        Document.objects.filter(unit__path__in=Unit.ancestor_paths(commune.path), withdrawn_at__isnull=True).order_by(
            "-issued_on", "-pk"
        )[:1]
    )
    assignment = assignment_create(
        actor=officer,
        unit=commune,
        data={
            "kind": MaterialKind.RESOLUTION,
            "title": "Học tập, quán triệt Nghị quyết Đại hội XIV của Đảng",
            "text": RESOLUTION_TEXT,
            "starts_on": first_day,
            "ends_on": today + datetime.timedelta(days=25),
            "pass_mark": 80,
            "max_attempts": 3,
        },
        documents=documents,
        notify_members=True,
    )
    for text, choices, is_multiple, explanation in QUESTIONS:
        question_add(
            actor=officer,
            assignment=assignment,
            text=text,
            choices=choices,
            is_multiple=is_multiple,
            explanation=explanation,
        )
    assignment_create(
        actor=officer,
        unit=commune,
        data={
            "kind": MaterialKind.TOPIC,
            "title": "Chuyên đề tháng 12: Phòng, chống tác động tiêu cực của mạng xã hội",
            "text": "Nhận diện thông tin xấu, độc trên mạng xã hội; không chia sẻ tin chưa được kiểm chứng; báo cáo "
            "chi bộ khi phát hiện thông tin sai trái.",
            "starts_on": today - datetime.timedelta(days=3),
            "ends_on": today + datetime.timedelta(days=27),
            "pass_mark": 80,
            "max_attempts": 3,
        },
        documents=[],
    )
    members = list(
        Member.objects.filter(unit=cell, status__in=CURRENT_STATUSES)
        .exclude(pk=keep_for.member_id)
        .select_related("user", "unit")
        .order_by("sort_name", "pk")
    )
    with_accounts = [member for member in members if getattr(getattr(member, "user", None), "activated_at", None)]
    steps = [TEXT_STEP, *[f"doc-{document.pk}" for document in documents]]
    # About half the cell: passed, failed once, still reading, in turn.
    for number, member in enumerate(with_accounts[: len(members) // 2]):
        user = member.user
        study_open(actor=user, assignment=assignment)
        turn = number % 4
        for step in steps[: 1 if turn == 3 else len(steps)]:
            study_step_done(actor=user, assignment=assignment, step=step)
        if turn in (0, 1):
            quiz_submit(actor=user, assignment=assignment, answers=quiz_answers(assignment, wrong=rng.choice((0, 1))))
        elif turn == 2:
            quiz_submit(actor=user, assignment=assignment, answers=quiz_answers(assignment, wrong=3))
    # Members who have not activated their account, who studied at the cell's last meeting.
    without_accounts = [member for member in members if member not in with_accounts][:4]
    if without_accounts:
        marks_record(
            actor=secretary,
            assignment=assignment,
            member_ids=[member.pk for member in without_accounts],
            meeting=last_meeting,
        )
