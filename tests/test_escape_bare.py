"""escape's bare hold (option ``bare-kinds``): a reply that is only a hold is
flagged whatever the customer's mood, and only when it is the whole reply."""

from __future__ import annotations

import pytest

import deescalate_lint as dl

CALM = {
    "en": "I ordered a lamp last week and it has not arrived.",
    "ko": "주문한 램프가 아직 안 왔어요.",
    "zh": "我订的台灯还没到。",
}


def _flagged(language: str, *agent: str) -> list[tuple[int, str]]:
    turns = [{"speaker": "customer", "text": CALM[language]}]
    turns += [{"speaker": "agent", "text": text} for text in agent]
    transcript = {"id": "bare", "language": language, "turns": turns}
    findings = dl.Linter(select=["escape"]).lint(transcript)
    return [(f.turn, f.evidence) for f in findings]


@pytest.mark.parametrize(
    ("language", "agent", "expected"),
    [
        ("en", ("Hold on.",), [(1, "Hold on")]),
        ("ko", ("잠시만 기다려 주세요.",), [(1, "잠시만 기다려 주세요")]),
        ("zh", ("稍等。",), [(1, "稍等")]),
        # Found by a cold review: a Korean hold with a reason (a Hangul syllable
        # weighs more than a letter).
        ("ko", ("잠시만 기다려 주세요. 시스템 오류예요.",), []),
        ("zh", ("稍等，快递延误",), []),
    ],
)
def test_only_a_whole_reply_that_is_a_hold_is_flagged_with_a_calm_customer(
    language: str, agent: tuple[str, ...], expected: list[tuple[int, str]]
) -> None:
    assert _flagged(language, *agent) == expected


def test_its_message_does_not_call_a_calm_customer_upset() -> None:
    turns = [{"speaker": "customer", "text": CALM["en"]}, {"speaker": "agent", "text": "Hold on."}]
    (finding,) = dl.Linter(select=["escape"]).lint({"id": "bare", "language": "en", "turns": turns})
    assert "upset" not in finding.message
    assert "nothing else said" in finding.message
