"""Scoring on its own: exactly the right answers, nothing half right, the score rounded down."""

from hypothesis import given
from hypothesis import strategies as st

from study.quiz import QuestionKey, score

KEYS = [QuestionKey(1, frozenset({10})), QuestionKey(2, frozenset({20, 21})), QuestionKey(3, frozenset({30}))]


def test_every_right_answer_scores_100():
    result = score(KEYS, {1: frozenset({10}), 2: frozenset({20, 21}), 3: frozenset({30})})

    assert (result.correct, result.total, result.percent) == (3, 3, 100)
    assert result.passes(100)


def test_a_multiple_choice_question_with_one_right_answer_missing_or_one_wrong_added_is_not_right():
    missing = score(KEYS, {1: frozenset({10}), 2: frozenset({20}), 3: frozenset({30})})
    added = score(KEYS, {1: frozenset({10}), 2: frozenset({20, 21, 22}), 3: frozenset({30})})

    assert missing.right_questions == added.right_questions == frozenset({1, 3})
    assert missing.percent == 66  # two of three, rounded down: 66.7 does not reach a pass mark of 67


def test_the_pass_mark_is_reached_only_at_or_above_it():
    two_of_three = score(KEYS, {1: frozenset({10}), 3: frozenset({30})})

    assert two_of_three.passes(66)
    assert not two_of_three.passes(67)


def test_a_quiz_without_questions_passes_nobody():
    assert not score([], {}).passes(1)


@given(
    rights=st.lists(st.frozensets(st.integers(1, 6), min_size=1, max_size=3), min_size=1, max_size=20),
    answers=st.lists(st.frozensets(st.integers(1, 6), max_size=4), min_size=20, max_size=20),
    pass_mark=st.integers(1, 100),
)
def test_the_score_counts_the_questions_answered_exactly(rights, answers, pass_mark):
    keys = [QuestionKey(number, right) for number, right in enumerate(rights)]
    given_answers = {number: answers[number] for number in range(len(rights))}

    result = score(keys, given_answers)

    expected = sum(1 for number, right in enumerate(rights) if answers[number] == right)
    assert result.correct == expected
    assert 0 <= result.percent <= 100
    assert result.percent * len(rights) <= 100 * expected < (result.percent + 1) * len(rights)
    assert result.passes(pass_mark) == (result.percent >= pass_mark)
