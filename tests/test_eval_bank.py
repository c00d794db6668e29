"""The sentence banks' fixed context lines still behave as eval/bank.py assumes.

Why: a bank item is scored inside the same fixed lines (eval/banks/contexts.toml); if a pack
change made the upset line read as calm, or the acknowledgement read as none, every item of a
concept would score wrong and the bank would measure the context instead of the wordings.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

import deescalate_lint as dl

EVAL = Path(__file__).resolve().parent.parent / "eval"
sys.path.insert(0, str(EVAL))
import bank  # noqa: E402  (eval/ is scripts, not a package)

CONCEPTS, CONTEXTS = bank.load_contexts()
LINTER = dl.Linter()


def _findings(turns: list[tuple[str, str]]) -> set[tuple[int, str]]:
    """(turn, rule) of every finding, the language left to detection as the bank's run does."""
    record = {
        "id": "bank",
        "channel": "phone",
        "turns": [{"speaker": s, "text": t} for s, t in turns],
    }
    return {(f.turn, f.rule) for f in LINTER.lint(record)}


@pytest.mark.parametrize("language", sorted(CONTEXTS))
def test_context_lines_behave_as_named(language: str) -> None:
    lines = CONTEXTS[language]
    upset = ("customer", lines["upset"])
    assert (1, "missing-empathy") in _findings([upset, ("agent", lines["plain"])])
    assert (1, "missing-empathy") not in _findings([upset, ("agent", lines["acknowledgement"])])
    assert (1, "no-recap") in _findings([upset, ("agent", lines["resolution"])])


@pytest.mark.parametrize("language", sorted(CONTEXTS))
def test_every_bank_item_wraps(language: str) -> None:
    """Each item names a known concept, is wrapped as its shape says, and a label quotes a turn."""
    for path in sorted(bank.BANKS.glob(f"*/{language}.jsonl")):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip():
                continue  # as bank.build reads it
            item = json.loads(line)
            concept = CONCEPTS[item["concept"]]
            assert isinstance(item["flag"], bool), f"{path}:{number}"
            speaker = "customer" if concept.shape == "customer" else "agent"
            assert item["speaker"] == speaker, f"{path}:{number}"
            turns, label = bank.wrap(item, concept, CONTEXTS[language])
            if label is not None:
                turn, words = label
                assert turns[turn][0] == "agent" and words in turns[turn][1], f"{path}:{number}"


def test_a_joke_first_item_becomes_the_customers_turn() -> None:
    item = {"concept": "joking", "flag": False, "text": "[customer: at least it's warm] Ha, true!"}
    turns, label = bank.wrap(item, CONCEPTS["joking"], CONTEXTS["en"])
    assert label is None
    assert turns[-2:] == [("customer", "at least it's warm"), ("agent", "Ha, true!")]
