"""Scoring a quiz: pure, so that it is tested on its own (tests/test_quiz.py).

A question counts as right when the member chose exactly its right answers: all of them and nothing else, so a
multiple-choice question is never half right. The score is the share of questions right, in whole per cent rounded
down (a pass mark of 80 % is never reached with 79.5 %)."""

import dataclasses


@dataclasses.dataclass(frozen=True)
class QuestionKey:
    question_id: int
    right: frozenset[int]


@dataclasses.dataclass(frozen=True)
class Score:
    correct: int
    total: int
    right_questions: frozenset[int]

    @property
    def percent(self) -> int:
        return 100 * self.correct // self.total if self.total else 0

    def passes(self, pass_mark: int) -> bool:
        return self.total > 0 and self.percent >= pass_mark


def score(keys: list[QuestionKey], answers: dict[int, frozenset[int]]) -> Score:
    right = frozenset(key.question_id for key in keys if key.right and answers.get(key.question_id) == key.right)
    return Score(correct=len(right), total=len(keys), right_questions=right)
