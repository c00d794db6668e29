"""Contractions read without their apostrophe (spellings.py, ``optional_apostrophe``)."""

from __future__ import annotations

import pytest

from deescalate_lint import Linter
from deescalate_lint.errors import RulePackError
from deescalate_lint.spellings import optional_apostrophes, with_optional_apostrophes

WORDS = ("don't", "I'm", "can't", "it's")


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("don't", "don'?t"),
        (r"\bdon't", r"\bdon'?t"),  # an escape's letter is not part of the word
        ("(?:I'm|I am) angry", "(?:I'?m|I am) angry"),
        ("(?:i'm) angry", "(?:i'?m) angry"),  # the author's case is kept
        ("don'?t", "don'?t"),  # already optional
        (r"\w+n't", r"\w+n't"),  # not a listed word
        ("bit's", "bit's"),  # inside a longer word
        ("it'sy", "it'sy"),
        ("its", "its"),
        ("[^']can't", "[^']can'?t"),
    ],
)
def test_listed_contractions_become_optional(source: str, expected: str) -> None:
    assert with_optional_apostrophes(source, WORDS) == expected


def test_no_list_changes_nothing() -> None:
    assert with_optional_apostrophes("don't", ()) == "don't"


@pytest.mark.parametrize("bad", ["dont", ["dont"], [1]])
def test_a_bad_list_is_named(bad: object) -> None:
    with pytest.raises(RulePackError, match="optional_apostrophe"):
        optional_apostrophes("en.toml", bad)


def _rules(text: str) -> list[str]:
    turns = [
        {"speaker": "customer", "text": "Where is my parcel?"},
        {"speaker": "agent", "text": text},
    ]
    return [f.rule for f in Linter().lint({"turns": turns}, "en")]


def test_negation_without_apostrophe_still_negates() -> None:
    assert "unrealistic-promise" in _rules("I guarantee it will arrive tomorrow.")
    assert "unrealistic-promise" not in _rules("i cant guarantee it will arrive tomorrow")
