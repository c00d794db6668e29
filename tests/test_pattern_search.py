"""A group searched pattern by pattern finds what its whole alternation finds.

``PatternGroup.finditer`` runs the few patterns whose literals occur in a text
one by one and merges their matches; these tests pin that merge to the
alternation's own rules (leftmost first, earlier pattern at a tie, no overlap)
on hand-made groups that stress each rule. The shipped groups are compared on
every rule example and on random texts in tests/test_parallel.py.
"""

from __future__ import annotations

import time

import pytest
import regex
from hypothesis import given, settings
from hypothesis import strategies as st

from deescalate_lint.errors import RulePackError
from deescalate_lint.patterns import PatternGroup, PatternSpec, expand_spaces


def _group(*sources: str, word_boundaries: bool = True) -> PatternGroup:
    specs = [PatternSpec(f"p{i}", source) for i, source in enumerate(sources)]
    return PatternGroup.build("<test>", specs, word_boundaries=word_boundaries, ignore_case=True)


def _merged(group: PatternGroup, text: str) -> list[tuple[int, int, str]]:
    return [(h.start, h.end, h.pattern.id) for h in group.finditer(text)]


def _alternation(group: PatternGroup, text: str) -> list[tuple[int, int, str]]:
    assert group.compiled is not None
    return [
        (m.start(), m.end(), group.specs[int(str(m.lastgroup)[2:])].id)
        for m in group.compiled.finditer(text)
        if m.end() != m.start()
    ]


def test_the_earlier_pattern_wins_a_tie() -> None:
    group = _group("sorry", "sorry about that")
    assert _merged(group, "Sorry about that.") == [(0, 5, "p0")]
    group = _group("sorry about that", "sorry")
    assert _merged(group, "Sorry about that.") == [(0, 16, "p0")]


def test_a_match_hides_the_matches_it_overlaps() -> None:
    group = _group("not my fault", r"my fault\w*", "fault")
    text = "It's not my fault, my faults are elsewhere, fault."
    assert _merged(group, text) == _alternation(group, text)
    assert [m[2] for m in _merged(group, text)] == ["p0", "p1", "p2"]


def test_patterns_resume_after_the_winner() -> None:
    # p1 matches inside p0's match and again after it: only the later one counts.
    group = _group("a b c", "b", "c d")
    text = "a b c d b"
    assert _merged(group, text) == _alternation(group, text) == [(0, 5, "p0"), (8, 9, "p1")]


def test_an_empty_match_hands_over_to_the_alternation() -> None:
    group = _group(r"x*", "yes")
    text = "yes x yes"
    assert _merged(group, text) == _alternation(group, text)


def test_many_short_searches_again_keep_the_merge() -> None:
    """Overlapping patterns (a family split into one pattern per entry) search
    again after nearly every winner; while those searches read little, the
    merge goes on (the alternation was up to 70 times slower), with its hits."""
    group = _group("sorry", "sorry about", "about that", "that", "so")
    text = "sorry about that, so sorry. " * 200
    indices = group.candidates(text)
    assert group._merge_singles(indices, text, time.monotonic() + 60) is not None
    assert _merged(group, text) == _alternation(group, text)


def test_a_loser_that_rereads_the_rest_hands_over_to_the_alternation() -> None:
    """ "sorry.*" loses to "sorry" at every apology and reads the rest of the
    text each time: past the budget, the alternation takes over, same hits."""
    group = _group("sorry", r"sorry.*")
    text = "sorry, " * 500
    indices = group.candidates(text)
    assert group._merge_singles(indices, text, time.monotonic() + 60) is None
    assert _merged(group, text) == _alternation(group, text)


_WORDS = ["sorry", "so", "sorry about", "about that", "that", "not", "my", "fault", "x"]


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.sampled_from([*_WORDS, r"so\w*", r"(?:my|our) fault", r"that\s+\w+"]),
        min_size=1,
        max_size=6,
    ),
    st.lists(st.sampled_from([*_WORDS, " ", ", ", "-", "\n"]), max_size=20),
    st.booleans(),
)
def test_merge_equals_the_alternation(sources: list[str], parts: list[str], edges: bool) -> None:
    group = _group(*sources, word_boundaries=edges)
    text = "".join(parts)
    assert _merged(group, text) == _alternation(group, text)


# Found in review: syntax that means something else alone than inside the
# alternation, or that the literal finder misread.


def test_a_posix_class_inside_a_set_is_not_read_as_a_literal() -> None:
    group = _group(r"x[a[:digit:]]")
    assert _merged(group, "x7") == _alternation(group, "x7") == [(0, 2, "p0")]


def test_syntax_tied_to_the_whole_alternation_is_never_searched_alone() -> None:
    cases = [
        ((r"\G\s*b", "a"), "a b"),  # \G: where the search started
        ((r"(?V1)zz", "ss"), "\u00df"),  # a global flag changes every pattern
    ]
    for sources, text in cases:
        group = _group(*sources)
        assert _merged(group, text) == _alternation(group, text), sources


def test_a_numbered_back_reference_is_refused_at_load() -> None:
    # In the alternation every pattern is a group, so \1 would name another one.
    with pytest.raises(RulePackError, match="numbered back-reference"):
        _group("q", r"(Frist|Regel) ist \1")
    assert _group(r"(?P<w>Frist|Regel) ist (?P=w)").alone == (True,)


def test_a_back_reference_to_a_group_of_its_own_is_searched_alone() -> None:
    group = _group(r"(?P<t>\p{Han}{2})就是(?P=t)", r"(?P<u>a)b(?P=u)", r"(?i)c")
    assert group.alone == (True, True, False)
    for text in ("规则就是规则", "aba 规矩就是规则", "C aba"):
        assert _merged(group, text) == _alternation(group, text), text


def test_a_unicode_property_outside_a_set_keeps_the_literals_around_it() -> None:
    """``\\p{Han}`` reads as one unknown character, not as unknown syntax; inside
    a set it stays unknown (always searched)."""
    group = _group(r"保证\p{Han}{0,4}满意", word_boundaries=False)
    assert group.requirements == ((("满意",), ("保证",)),)
    assert _merged(group, "我保证您一定满意") == _alternation(group, "我保证您一定满意")
    assert _merged(group, "我保证您一定满意") == [(1, 8, "p0")]
    assert _group(r"[\p{Han}a]b").requirements == (None,)
    assert _group(r"x\\p{Han}").requirements == (None,)  # an escaped backslash, then braces


def test_an_atomic_group_has_requirements() -> None:
    group = _group(r"(?>ab)c")
    assert group.requirements == ((("abc",),),)  # "ab" then "c": one run
    assert _merged(group, "abc") == [(0, 3, "p0")]


def test_a_user_pattern_that_breaks_the_alternation_fails_at_load() -> None:
    with pytest.raises(RulePackError, match="<test>"):
        _group(r"(\w)\1")  # alone it compiles; wrapped, \1 points at an open group


def test_a_long_losing_pattern_hands_over_to_the_alternation() -> None:
    """ "sorry.*" beside "sorry" would be searched again after every "sorry"."""
    group = _group("sorry", r"sorry.*")
    text = "sorry " * 2000
    assert group._merge_singles((0, 1), text, time.monotonic() + 60) is None
    assert _merged(group, text) == _alternation(group, text)


# --- expand_spaces: a pattern's literal spaces become white space --------------


def _expand_spaces_by_character(source: str) -> str:
    """The rule, stated one character at a time (the oracle for the tokeniser)."""
    out: list[str] = []
    in_class = escaped = False
    for position, char in enumerate(source):
        if escaped:
            out.append(char)
            escaped = False
        elif char == "\\":
            out.append(char)
            escaped = True
        elif char == "[" and not in_class:
            in_class = True
            out.append(char)
        elif char == "]" and in_class:
            in_class = False
            out.append(char)
        elif char == " " and not in_class:
            if source[position + 1 : position + 2] in ("?", "*", "+", "{"):
                out.append(r"\s")
            elif not (out and out[-1] == r"\s+"):
                out.append(r"\s+")
        else:
            out.append(char)
    return "".join(out)


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("not my fault", r"not\s+my\s+fault"),
        ("a   b", r"a\s+b"),
        ("a ?b", r"a\s?b"),
        ("a  ?b", r"a\s+\s?b"),
        ("[a b] c", r"[a b]\s+c"),
        (r"a\ b c", r"a\ b\s+c"),
        ("a\\", "a\\"),
    ],
)
def test_expand_spaces_examples(source: str, expected: str) -> None:
    assert expand_spaces(source) == expected


@given(st.text(alphabet=" \\[]?*+{ab", max_size=16))
def test_expand_spaces_matches_the_character_rule(source: str) -> None:
    assert expand_spaces(source) == _expand_spaces_by_character(source)


# --- ending_at_end: what a turn ends in ---------------------------------------


def _ending(group: PatternGroup, text: str) -> tuple[int, int, str] | None:
    hit = group.ending_at_end(text)
    return None if hit is None else (hit.start, hit.end, hit.pattern.id)


def test_a_short_alternative_does_not_hide_the_one_that_ends_the_text() -> None:
    """finditer's hits do not overlap: "-" takes the first dash of "zahl--" and
    "--" is never tried there; the question "does the turn end in a cut-off
    mark?" must still be yes (round 3, de-r3-028)."""
    group = _group(r"(?<=\w)-", "--", word_boundaries=False)
    text = "und i zahl--"
    assert [h.end for h in group.finditer(text)] == [len(text) - 1]
    assert _ending(group, text) == (len(text) - 2, len(text), "p1")


def test_the_leftmost_match_ending_at_the_end_wins() -> None:
    group = _group("ich", "und ich", "und ich (?:muss|kann)")
    assert _ending(group, "Ich war da und ich") == (11, 18, "p1")
    assert _ending(group, "Ich war da und ich muss") == (11, 23, "p2")
    assert _ending(group, "und ich war da") is None


@given(
    st.lists(st.sampled_from(["-", "--", "a-", "—", r"\.\.\."]), min_size=1, max_size=4),
    st.text(alphabet="ab -—.", max_size=12),
)
def test_ending_at_end_is_any_single_pattern_ending_there(patterns: list[str], text: str) -> None:
    group = _group(*patterns, word_boundaries=False)
    expected = [
        m.start()
        for source in patterns
        for m in [regex.search(rf"(?:{source})\Z", text)]
        if m is not None and m.end() > m.start()
    ]
    found = group.ending_at_end(text)
    assert (found.start if found else None) == (min(expected) if expected else None)


def test_a_pattern_that_must_end_the_text_is_searched_near_the_end_with_the_same_hits() -> None:
    group = _group(
        r"(?:and|but|the|before (?:I|we))(?=\s*$)",
        r"(?<=\w)[-\u2013\u2014]\s*$",
        r"and then",
        word_boundaries=True,
    )
    assert [group.tail_reach(i) for i in range(3)] == [8, 1, None]
    for text in (
        "and the bill and then before I",
        "I paid and the  \n",
        "before we",
        "so and then the\n\n  ",
        "it was cut-",
        "the and but",
        "",
    ):
        assert _merged(group, text) == _alternation(group, text), text
