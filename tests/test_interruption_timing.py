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


def overlaps(call: dict[str, object], threshold: float = 0.5) -> int:
    turns = call["turns"]
    assert isinstance(turns, list)
    count = 0
    for i, turn in enumerate(turns):
        if turn["speaker"] != "agent":
            continue
        before = [t for t in turns[:i] if t["speaker"] == "customer"]
        if before and before[-1]["end"] - turn["start"] >= threshold:
            count += 1
    return count


def test_real_calls_overlap_but_are_never_flagged(calls: list[dict[str, object]]) -> None:
    linter = dl.Linter(select=["interruption"])
    assert len(calls) == 17
    assert sum(overlaps(c) for c in calls) == 13  # the harmless overlaps exist...
    for call in calls:
        assert linter.lint(call) == [], call["id"]  # ...and none is flagged


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
