"""A quiz's questions from a file the committee already keeps (XLSX, or CSV in UTF-8): one question per row.

Columns: the question, answers A to F (two at least), the right answer's letters ("B", or "A, C" when more than one
is right), and optionally the explanation and "more than one" (có/không; by default a question with two right
letters is one). Every row is checked before anything is written, each wrong row named with all its problems."""

import dataclasses
import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from common.tabular import MAX_FILE_BYTES, read_table, row_problems, sample_workbook
from common.text import fold_for_search

from .choices import ANSWER_LETTERS, MAX_QUESTIONS
from .services import question_problems

HEADINGS = {
    "text": ("question", "cau hoi", "noi dung cau hoi"),
    "answer_a": ("a", "answer a", "phuong an a", "dap an a"),
    "answer_b": ("b", "answer b", "phuong an b", "dap an b"),
    "right": ("right", "right answer", "dap an", "dap an dung"),
}
OPTIONAL = {
    **{
        f"answer_{letter.lower()}": (
            letter.lower(),
            f"answer {letter.lower()}",
            f"phuong an {letter.lower()}",
            f"dap an {letter.lower()}",
        )
        for letter in ANSWER_LETTERS[2:]
    },
    "explanation": ("explanation", "giai thich"),
    "multiple": ("more than one", "nhieu lua chon", "nhieu dap an"),
}
YES = {"co", "x", "yes", "1", "true", "nhieu"}
NO = {"khong", "no", "0", "false", "mot"}


@dataclasses.dataclass
class QuestionRow:
    number: int
    text: str
    choices: list[tuple[str, bool]]
    is_multiple: bool
    explanation: str


def read_questions(name: str, content: bytes) -> list[QuestionRow]:
    """The file's questions, every row checked; ValidationError naming each wrong row with all its problems."""
    if len(content) > MAX_FILE_BYTES:
        raise ValidationError(_("The file is larger than 1 MB."))
    table = read_table(name, content, HEADINGS, OPTIONAL)
    if len(table) > MAX_QUESTIONS:
        raise ValidationError(_("A quiz has at most %(count)s questions.") % {"count": MAX_QUESTIONS})
    rows, problems = [], []
    for number, values in table:
        found = []
        answers = [(letter, values.get(f"answer_{letter.lower()}", "").strip()) for letter in ANSWER_LETTERS]
        right_letters = set(re.findall(r"[A-Za-z]", values["right"].upper()))
        given = {letter for letter, text in answers if text}
        if not right_letters:
            found.append(_("The right answer is missing (its letter, as B, or A, C)."))
        elif wrong := sorted(right_letters - given):
            found.append(_("The right answer “%(letters)s” has no answer text.") % {"letters": ", ".join(wrong)})
        multiple_text = fold_for_search(values.get("multiple", ""))
        if not multiple_text:  # not said: two right letters make it a question with more than one answer
            is_multiple = len(right_letters) > 1
        elif multiple_text in YES:
            is_multiple = True
        elif multiple_text in NO:
            is_multiple = False
        else:
            is_multiple = False
            found.append(_("“More than one” is “có” or “không”, not “%(text)s”.") % {"text": values["multiple"]})
        choices = [(text, letter in right_letters) for letter, text in answers if text]
        found += question_problems(
            values["text"], choices, is_multiple, explanation=values["explanation"], right_named=not found
        )
        if found:
            problems.append(row_problems(number, found))
        else:
            rows.append(QuestionRow(number, values["text"].strip(), choices, is_multiple, values["explanation"]))
    if problems:
        raise ValidationError(problems)
    if not rows:
        raise ValidationError(_("The file has no questions."))
    return rows


def sample() -> bytes:
    """An example file in the layout the import reads."""
    return sample_workbook(
        [_("Question"), "A", "B", "C", "D", _("Right answer"), _("Explanation"), _("More than one")],
        [
            [
                "Đảng viên sinh hoạt chi bộ định kỳ bao lâu một lần?",
                "Mỗi tháng một lần",
                "Mỗi quý một lần",
                "Mỗi năm hai lần",
                "",
                "A",
                "Điều lệ Đảng: chi bộ sinh hoạt định kỳ mỗi tháng một lần.",
                "không",
            ],
            [
                "Những việc nào đảng viên phải làm khi chuyển nơi cư trú?",
                "Báo cáo chi bộ",
                "Làm thủ tục chuyển sinh hoạt đảng",
                "Không cần làm gì",
                "",
                "A, B",
                "",
                "có",
            ],
        ],
    )
