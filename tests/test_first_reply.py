"""missing-empathy's first-reply logic beyond its pack examples: the options
that judge a customer still upset and not yet acknowledged, and their message."""

from __future__ import annotations

import pytest

import deescalate_lint as dl

PUSHBACK = {
    "id": "pushback",
    "language": "en",
    "turns": [
        {"speaker": "customer", "text": "This is ridiculous, third time I've called about this!!"},
        {"speaker": "agent", "text": "Can I take your account number?"},
        {"speaker": "customer", "text": "But the van came on Tuesday!"},
        {"speaker": "agent", "text": "The next slot is Monday morning."},
    ],
}


def _turns(options: dict[str, object] | None = None) -> list[int]:
    linter = dl.Linter(
        select=["missing-empathy"], options={"missing-empathy": options} if options else None
    )
    return [f.turn for f in linter.lint(PUSHBACK)]


def test_a_push_back_after_no_acknowledgement_is_judged_and_says_why() -> None:
    findings = dl.Linter(select=["missing-empathy"]).lint(PUSHBACK)
    assert [f.turn for f in findings] == [1, 3]
    assert "pushed back in turn 3" in findings[1].message
    assert "not acknowledged since" in findings[1].message


@pytest.mark.parametrize(
    "options",
    [{"unheard-words": 0, "unheard-marks": []}, {"unheard-marks": []}],
    ids=["off", "words-only"],
)
def test_the_options_switch_it_off(options: dict[str, object]) -> None:
    # Six words: below `unheard-words`, so without the mark it is not judged.
    assert _turns(options) == [1]


def test_a_long_turn_is_judged_without_a_mark() -> None:
    assert _turns({"unheard-marks": [], "unheard-words": 5}) == [1, 3]


def test_an_acknowledgement_in_between_ends_it() -> None:
    turns = [dict(t) for t in PUSHBACK["turns"]]  # type: ignore[union-attr]
    turns[1]["text"] = "I can hear how frustrating this has been. Can I take your account number?"
    assert dl.Linter(select=["missing-empathy"]).lint({**PUSHBACK, "turns": turns}) == []


def _opening(text: str, options: dict[str, object] | None = None) -> list[int]:
    linter = dl.Linter(
        select=["missing-empathy"], options={"missing-empathy": options} if options else None
    )
    turns = [
        {"speaker": "customer", "text": text},
        {"speaker": "agent", "text": "Can I take your booking reference?"},
    ]
    return [f.turn for f in linter.lint({"id": "opening", "language": "en", "turns": turns})]


def test_a_weak_sign_exclaimed_is_judged_from_the_first_turn() -> None:
    assert _opening("Still nothing!") == [1]
    assert _opening("Still nothing.") == []
    assert _opening("Still nothing!", {"exclaimed-marks": []}) == []
    # A detector signal with a "!" closing a sentence is upset for the detector
    # itself (its `one_mark`, twentieth session), whatever the rule's option.
    assert _opening("It still doesn't work!", {"exclaimed-marks": []}) == [1]
    assert _opening("It still doesn't work.") == []


def test_an_exclaimed_turn_that_calms_down_is_not_judged() -> None:
    assert _opening("Still nothing! Thanks, that's sorted now!") == []


def test_a_turn_upset_on_its_own_after_an_acknowledgement_is_not_judged() -> None:
    # Session 20: the pack sets `judged-after-heard = false`.
    turns = [dict(t) for t in PUSHBACK["turns"]]  # type: ignore[union-attr]
    turns[1]["text"] = "I know you're fed up. Can I take your account number?"
    turns[2]["text"] = "It's 4471 and hurry up you useless clown"
    heard = {**PUSHBACK, "turns": turns}
    assert dl.Linter(select=["missing-empathy"]).lint(heard) == []
    linter = dl.Linter(
        select=["missing-empathy"], options={"missing-empathy": {"judged-after-heard": True}}
    )
    assert [f.turn for f in linter.lint(heard)] == [3]
