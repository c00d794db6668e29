"""Negation and hedge scope is a window inside the sentence, not a whole-turn veto."""

from __future__ import annotations

import pytest

import deescalate_lint as dl


def promises(text: str) -> list[str]:
    return [f.evidence for f in dl.lint(text, language="en", select=["unrealistic-promise"])]


@pytest.mark.parametrize(
    "text",
    [
        "I can't guarantee it.",
        "I cannot promise that.",
        "There's no way I can guarantee it.",
        "It should arrive tomorrow.",
        "Hopefully it will be there tomorrow.",
    ],
)
def test_negated_or_hedged_trigger_is_not_flagged(text: str) -> None:
    assert promises(text) == []


def test_negation_in_another_sentence_does_not_veto() -> None:
    assert promises("I can't check the depot now. I guarantee it arrives today.") == ["I guarantee"]


def test_a_terminator_ends_the_negation_scope() -> None:
    assert promises("I can't change the date, but I guarantee it.") == ["I guarantee"]


def test_negation_far_outside_the_window_does_not_veto() -> None:
    text = "I don't know what the other team told you on the phone last week I guarantee it."
    assert promises(text) == ["I guarantee"]


def test_pseudo_negation_does_not_veto() -> None:
    assert promises("Don't worry, I promise this gets fixed.") == ["I promise"]


def test_quoted_words_are_not_the_agents_own() -> None:
    assert promises('You wrote "I guarantee it" in your letter, and I understand why.') == []


@pytest.mark.parametrize(
    "text",
    [
        "Sie schrieben ‚das ist nicht meine Schuld‘, und das verstehe ich.",
        "Sie schrieben ›das ist nicht meine Schuld‹, und das verstehe ich.",
        "Sie schrieben „das ist nicht meine Schuld“, und das verstehe ich.",
        "Sie schrieben »das ist nicht meine Schuld«, und das verstehe ich.",
    ],
)
def test_german_quotation_marks_are_quotes(text: str) -> None:
    assert dl.lint(text, language="de") == []


def test_korean_single_quotes_mark_someone_elses_words() -> None:
    convo = {
        "language": "ko",
        "turns": [
            {"speaker": "customer", "text": "이게 뭐예요?! 진짜 황당하네요."},
            {
                "speaker": "agent",
                "text": "안내 문자에 '홈페이지에서 접수해 주세요'라고 돼 있었죠. "
                "제가 바로 처리해 드릴게요.",
            },
        ],
    }
    assert dl.lint(convo) == []


def test_a_korean_sentence_ending_ends_the_scope_without_punctuation() -> None:
    assert [
        f.evidence for f in dl.lint("아마 그건 아닐 거예요 내일 도착합니다", language="ko")
    ] == ["내일 도착합니다"]
