"""The timing check: silent on real calls' harmless overlaps, loud on a real talk-over."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import deescalate_lint as dl


@pytest.fixture(scope="module")
def calls(corpora_dir: Path) -> list[dict[str, object]]:
    path = corpora_dir / "harper_valley_bank" / "dialogues.en.jsonl"
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def overlaps(call: dict[str, object]) -> list[tuple[int, float]]:
    """Agent turns that start while the caller is still speaking, with the overlap.

    The rule, stated here independently of the linter: an agent turn overlaps
    when it starts after a caller segment has started and before that segment
    has ended (by any amount, however small), judged on the times alone, not
    on the order of the turns in the file.
    """
    turns = call["turns"]
    assert isinstance(turns, list)
    found = []
    for i, turn in enumerate(turns):
        if turn["speaker"] != "agent":
            continue
        running = [
            t["end"] - turn["start"]
            for t in turns
            if t["speaker"] == "customer" and t["start"] < turn["start"] < t["end"]
        ]
        if running:
            found.append((i, max(running)))
    return found


def test_real_calls_overlap_but_are_never_flagged(calls: list[dict[str, object]]) -> None:
    linter = dl.Linter(select=["interruption"])
    threshold = linter.options["interruption"]["overlap-threshold"]
    assert len(calls) == 17
    found = {call["id"]: overlaps(call) for call in calls}
    # The real calls do overlap (the check is not vacuous), and some overlaps
    # reach the rule's own threshold, so silence is not just the threshold's doing...
    assert any(found.values())
    assert any(seconds >= threshold for spans in found.values() for _, seconds in spans)
    for call in calls:
        # ...and none of them, nor anything else in these calls, is flagged.
        assert linter.lint(call) == [], (call["id"], found[call["id"]])


def test_real_overlaps_are_silent_without_the_time_thresholds(
    calls: list[dict[str, object]],
) -> None:
    """With every time threshold at zero, what keeps the real overlaps silent is
    what they are (listening noises and closings), not where the thresholds sit."""
    linter = dl.Linter(
        select=["interruption"],
        options={
            "interruption": {
                "overlap-threshold": 0.0,
                "long-overlap": 0.0,
                "min-words-spoken-over": 0.0,
            }
        },
    )
    for call in calls:
        assert linter.lint(call) == [], call["id"]


def test_a_caller_segment_that_spans_the_agents_answer_is_not_a_talk_over() -> None:
    """One recognised caller segment can hold a question, the pause in which the
    agent answered, and the caller's reply: a long measured overlap, no cut-in."""
    call = {
        "language": "en",
        "turns": [
            {
                "speaker": "customer",
                "start": 10.0,
                "end": 22.0,
                "text": "hi yes can you tell me what my balance is please okay it's four "
                "four five one",
            },
            {
                "speaker": "agent",
                "start": 14.5,
                "end": 17.0,
                "text": "sure what's your account number",
            },
        ],
    }
    assert dl.lint(call, select=["interruption"]) == []


def test_talking_over_a_customer_mid_explanation_is_flagged(calls: list[dict[str, object]]) -> None:
    call = json.loads(json.dumps(calls[0]))
    turns = call["turns"]
    # The customer explains at length; the agent starts three seconds in.
    turns.append(
        {
            "speaker": "customer",
            "start": 100.0,
            "end": 108.0,
            "text": "so the card was declined twice at the store and then the app said my "
            "account was locked and nobody told me why",
        }
    )
    turns.append(
        {"speaker": "agent", "start": 103.0, "end": 105.0, "text": "what is your account number"}
    )
    findings = dl.Linter(select=["interruption"]).lint(call)
    assert [(f.turn, f.evidence) for f in findings] == [
        (len(turns) - 1, "what is your account number")
    ]
    assert "spoken over" in findings[0].message


def test_backchannels_inside_a_long_turn_are_not_cut_ins() -> None:
    call = {
        "language": "en",
        "turns": [
            {
                "speaker": "customer",
                "start": 0.0,
                "end": 9.0,
                "text": "I moved house in March and since then every bill has gone "
                "to the old address",
            },
            {"speaker": "agent", "start": 3.0, "end": 3.4, "text": "mhm"},
            {"speaker": "agent", "start": 6.0, "end": 6.5, "text": "okay, right"},
        ],
    }
    assert dl.lint(call, select=["interruption"]) == []
