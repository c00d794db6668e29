"""Every ``regex`` match is a candidate of the literal engine (scan.py, literals.py).

The literal engine keeps an entry when each of its requirements has a needle
in the text with each run of white space squeezed to one space; the needles
may span words ("not my fault") and joins ("do you", "fu" in ``f+u+c+k``).
Proved as for the RE2 prefilters (test_prefilter.py): generated text around
every shipped pattern's own words, with case changes, ß, dotted and dotless
i, full-width forms and odd white space; wherever a pattern matches, its
entry must be a candidate. This runs with or without google-re2.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pattern_texts import GROUPS, pieces, shipped_groups, texts

from deescalate_lint.literals import case_sensitive_inside, requirement, squeezed
from deescalate_lint.patterns import PatternGroup
from deescalate_lint.scan import Entry, _LiteralEngine

pytestmark = pytest.mark.usefixtures("no_match_time_limit")  # which texts match, not how fast


@cache
def _engine(key: tuple[object, ...], entry: Entry) -> _LiteralEngine:
    return _LiteralEngine([entry])


def _candidate(entry: Entry, text: str) -> bool:
    return bool(_engine(entry.key(), entry).match(text))


def _checked(where: str, group: PatternGroup, text: str) -> Iterator[str]:
    conventions = (group.ignore_case, group.word_boundaries)
    for index, body in enumerate(group.bodies):
        if group._single(index).search(text) is None:
            continue
        if not _candidate(Entry((body,), *conventions), text):
            yield f"{where}[{index}] {body!r} matches {text!r}; its needles are not there"
    hits = sum(1 for h in group.finditer(text) if h.end > h.start)
    if hits >= 2 and not _candidate(Entry(group.bodies, *conventions, repeat=2), text):
        yield f"{where}: {hits} hits in {text!r}; its repeat entry is not a candidate"


@settings(max_examples=400, deadline=None)
@given(st.data())
def test_every_match_is_a_literal_candidate(data: st.DataObject) -> None:
    where = data.draw(st.sampled_from(GROUPS))
    group = dict(shipped_groups())[where]
    text = data.draw(texts(where))
    assert list(_checked(where, group, text)) == []


@pytest.mark.parametrize("where", GROUPS)
def test_every_example_match_is_a_literal_candidate(where: str) -> None:
    group = dict(shipped_groups())[where]
    text = " ".join(pieces(where))
    # Odd white space and dotted capital I in one text (the hypothesis test
    # above mixes every change at random).
    for variant in (text, text.upper(), text.replace(" ", " \n\u00a0 ").replace("i", "İ")):
        assert list(_checked(where, group, variant)) == []


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [
        (r"not\s+(?:my|our)\s+fault", {"not my fault", "not our fault"}),
        (r"a\s*\s+b", {"a b"}),  # two runs of white space in a row are one
        (r"x\s{0,3}y", {"xy", "x y"}),
        (r"(?:do|does|did)\s+I", {"do i", "does i", "did i"}),
        (r"let\s+me\s+confirm[:,]", {"let me confirm:", "let me confirm,"}),
        (
            r"(?:sorry,?\s+){2}",
            {"sorry sorry ", "sorry, sorry ", "sorry sorry, ", "sorry, sorry, "},
        ),
        (r"f+u+c+k", {"fu"}),  # one of "fu", "uc", "ck": all required
        (r"a?(?:ha){2,}h*", {"haha"}),
        # Literal white space inside a run of literals is squeezed too.
        (r"not\ \ my\t\tfault", {"not my fault"}),
        (r"(?:well|so)\ \ \ sorry", {"well sorry", "so sorry"}),
    ],
)
def test_squeezed_requirements(pattern: str, expected: set[str]) -> None:
    found = requirement(pattern, ignore_case=True, squeeze=True)
    assert found is not None
    if pattern.startswith("f+"):
        assert found <= {"fu", "uc", "ck"}
    else:
        assert found == frozenset(expected)


@pytest.mark.parametrize(
    ("pattern", "text", "candidate"),
    [
        (r"not\s+(?:my|our)\s+fault", "It's NOT\u00a0\n my FAULT", True),
        (r"not\s+(?:my|our)\s+fault", "not mine, it's your fault", False),
        (r"(?:do|does|did)\s+you", "Did  you", True),
        (r"(?:do|does|did)\s+you", "you did", False),
        (r"(?-i:NOW)", "do it NOW", True),
        (r"(?-i:NOW)", "do it now", False),  # looked for as written
    ],
)
def test_literal_candidates(pattern: str, text: str, candidate: bool) -> None:
    assert _candidate(Entry((pattern,), True, True), text) is candidate


def test_squeezing_makes_each_run_of_white_space_one_space() -> None:
    assert squeezed(" a \t\n b\u3000\u00a0c\x1c") == " a b c "


@pytest.mark.parametrize("text", ["", " ", "\n\t ", "a", " a", "a ", "  a  b  ", "\x1fa\x85"])
def test_squeezing_is_the_regular_expression_it_replaces(text: str) -> None:
    """``squeezed`` splits and joins; it gives what ``re.sub(r"\\s+", " ")`` gives,
    with every character the standard library counts as white space."""
    spaces = "".join(chr(c) for c in range(0x110000) if chr(c).isspace())
    assert [c for c in spaces if not re.fullmatch(r"\s", c)] == []
    for space in (*spaces, spaces):
        spaced = text.replace(" ", space)
        assert squeezed(spaced) == re.sub(r"\s+", " ", spaced)


def test_a_case_sensitive_group_is_known_only_as_a_whole() -> None:
    assert case_sensitive_inside(r"(?-i:NOW|RIGHT\s+NOW)") == r"NOW|RIGHT\s+NOW"
    assert case_sensitive_inside(r"(?-i:a)|(?-i:b)") is None
    assert case_sensitive_inside(r"(?-i:a)b") is None
    assert case_sensitive_inside(r"(?i:a)") is None
