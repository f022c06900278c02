import datetime

from common.tests import clock
from study.demo import quiz_answers

FIRST_DAY = clock.NOW.date() - datetime.timedelta(days=1)
LAST_DAY = clock.NOW.date() + datetime.timedelta(days=29)

# (question, [(answer, right)], more than one)
QUESTIONS = (
    ("Chi bộ sinh hoạt định kỳ bao lâu một lần?", [("Mỗi tháng", True), ("Mỗi quý", False), ("Mỗi năm", False)], False),
    (
        "Những việc nào đảng viên phải làm khi chuyển nơi cư trú?",
        [("Báo cáo chi bộ", True), ("Làm thủ tục chuyển sinh hoạt", True), ("Không cần làm gì", False)],
        True,
    ),
    ("Đảng phí của người hưởng lương hưu là bao nhiêu?", [("1%", False), ("0,5%", True)], False),
    ("Nghị quyết Đại hội XIV được thông qua năm nào?", [("2026", True), ("2021", False)], False),
)


def assign(tree, *, unit=None, actor=None, documents=(), questions=QUESTIONS, **data):
    """An assignment of commune A (by default) open today, with the four questions above."""
    from study.services import assignment_create, question_add

    data.setdefault("kind", "resolution")
    data.setdefault("title", "Học tập Nghị quyết Đại hội XIV")
    data.setdefault("text", "Những điểm mới của Nghị quyết Đại hội đại biểu toàn quốc lần thứ XIV.")
    data.setdefault("starts_on", FIRST_DAY)
    data.setdefault("ends_on", LAST_DAY)
    data.setdefault("pass_mark", 75)
    data.setdefault("max_attempts", 2)
    actor = actor or tree.users["officer_a"]
    assignment = assignment_create(actor=actor, unit=unit or tree.commune_a, data=data, documents=list(documents))
    for text, choices, is_multiple in questions:
        question_add(actor=actor, assignment=assignment, text=text, choices=choices, is_multiple=is_multiple)
    return assignment


# Answers to every question: right, except the first `wrong` ones.
right_answers = quiz_answers
