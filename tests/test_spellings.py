"""Contractions read without their apostrophe (spellings.py, ``optional_apostrophe``)."""

from __future__ import annotations

import pytest

from deescalate_lint import Linter
from deescalate_lint.errors import RulePackError
from deescalate_lint.spellings import (
    optional_apostrophes,
    spoken_forms,
    with_optional_apostrophes,
    with_spoken_forms,
)

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


FORMS = spoken_forms(
    "de.toml", {"ist": ["is", "isch"], "nicht": ["net", "ned"], "das": ["des"], "weiß": ["woaß"]}
)


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        (
            "das ist nicht mein Problem",
            "(?:das|des) (?:ist|is|isch) (?:nicht|net|ned) mein Problem",
        ),
        (r"\bist\b", r"\b(?:ist|is|isch)\b"),  # an escape's letter is not part of the word
        (r"(?:\w+ ){0,2}?nicht\b", r"(?:\w+ ){0,2}?(?:nicht|net|ned)\b"),  # after a quantified gap
        (r"ist\s+nicht", r"(?:ist|is|isch)\s+(?:nicht|net|ned)"),
        (r"(?<!nicht )Schuld", r"(?<!(?:nicht|net|ned) )Schuld"),  # a lookbehind reads them too
        ("Das", "(?:Das|Des)"),  # the author's case is kept, for the forms too
        ("(?-i:Das)", "(?-i:(?:Das|Des))"),  # so a case-sensitive group keeps meaning it
        ("(?-i:NICHT)", "(?-i:NICHT)"),  # capitals are about capitals (shouting)
        ("nichts?", "nichts?"),  # not a listed word, and quantified
        ("(?:ge)?nicht", "(?:ge)?nicht"),  # after an optional prefix: part of a longer word
        (r"\w+ist", r"\w+ist"),
        ("[ist]", "[ist]"),  # a character class
        ("ist\\w*", "ist\\w*"),
        (r"\Bist\b", r"\Bist\b"),  # "\B" is not "\b" (widened, it would read "Preis")
        (r"ist\S+", r"ist\S+"),
        ("(?P<ist>a)(?P=ist)", "(?P<ist>a)(?P=ist)"),  # a group's name
        ("(?(ist)a|b)", "(?(ist)a|b)"),
        ("weiß", "(?:weiß|woaß)"),  # "ß" as written ...
        ("Weiss", "(?:Weiss|Woaß)"),  # ... and as "ss"
    ],
)
def test_listed_words_also_read_their_spoken_forms(source: str, expected: str) -> None:
    assert with_spoken_forms(source, FORMS) == expected


@pytest.mark.parametrize("bad", [["nicht"], {"nicht": "net"}, {"nicht": []}, {"nicht": ["n(e)t"]}])
def test_a_bad_spoken_forms_table_is_named(bad: object) -> None:
    with pytest.raises(RulePackError, match="spoken_forms"):
        spoken_forms("de.toml", bad)


def test_a_german_pattern_reads_dialect_without_listing_it() -> None:
    # The promise pattern spells "Sie können sich darauf verlassen"; Low German
    # "dat" and the clipped "Se" come from de.toml's spoken forms.
    turns = [
        {"speaker": "customer", "text": "Wann kommt der Techniker?"},
        {"speaker": "agent", "text": "Dieses Mal klappt dat, da können Se sich drauf verlassen."},
    ]
    assert "unrealistic-promise" in [f.rule for f in Linter().lint({"turns": turns}, "de")]
