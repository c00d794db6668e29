"""Every ``regex`` match is a prefilter candidate (prefilter.py), case folding included.

The scan (scan.py) trusts the generated prefilters to say yes whenever the
real pattern matches. Proved here three ways:

* the facts about Unicode and the two engines the translation relies on,
  checked over every code point (folding, word characters);
* a differential test: generated text around every shipped pattern's own
  words, with case changes, ß and ẞ, dotted and dotless i, the long s, the
  Kelvin sign, full-width forms and curly apostrophes; wherever a pattern
  matches, its prefilter must (each look: anywhere, at the end of a text,
  repeated);
* hand-made cases of each piece of syntax.

The same differential test checks the offset the scan reports with each
candidate (``_Re2Engine.match_starts``): no match of the pattern starts before it.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from functools import cache

import pytest
import regex
from hypothesis import given, settings
from hypothesis import strategies as st
from pattern_texts import GROUPS, pieces, shipped_groups, texts

from deescalate_lint.literals import fold
from deescalate_lint.patterns import PatternGroup, PatternSpec
from deescalate_lint.prefilter import (
    PAD,
    SPECIAL_RANGES,
    folds_to_ascii_or_many,
    prefilter,
    special_characters,
)
from deescalate_lint.scan import Entry, _Re2Engine

pytestmark = pytest.mark.usefixtures("no_match_time_limit")  # which texts match, not how fast


re2 = pytest.importorskip("re2")

ALL = "".join(chr(c) for c in range(sys.maxunicode + 1) if not 0xD800 <= c < 0xE000)


# -- the facts the translation relies on --------------------------------------


def test_special_characters_are_all_in_their_ranges() -> None:
    """Outside SPECIAL_RANGES no character folds to ASCII or to several characters."""
    inside = set(special_characters())
    found = {c for c in ALL if not c.isascii() and folds_to_ascii_or_many(c)}
    assert found == inside
    assert all(any(low <= ord(c) < high for low, high in SPECIAL_RANGES) for c in found)


def test_no_non_word_character_folds_to_an_ascii_word_character() -> None:
    """So ``[^0-9a-z_]`` before a match holds for whatever the character before folds to."""
    bad = [c for c in regex.findall(r"\W", ALL) if regex.search(r"[0-9a-z_]", fold(c))]
    assert bad == []


def _pattern_characters() -> set[str]:
    chars: set[str] = set()
    for _where, group in shipped_groups():
        for body in group.bodies:
            chars.update(body)
    return chars


def test_characters_ignorecase_matches_fold_alike() -> None:
    """Whenever ``regex.IGNORECASE`` matches a pattern's character with another
    character, the two fold alike (checked against every cased character)."""
    cased = "".join(regex.findall(r"[\p{Cased}\p{Lm}\p{Lo}\u0130\u0131]", ALL[:0x30000]))
    bad = []
    for char in sorted(_pattern_characters()):
        if char.isascii() and not char.isalpha():
            continue
        compiled = regex.compile(regex.escape(char), regex.IGNORECASE)
        for other in compiled.findall(cased):
            if fold(other) != fold(char):
                bad.append((char, other))
    assert bad == []


# -- the differential test ------------------------------------------------------


@cache
def _re2(source: str) -> object:
    options = re2.Options()
    options.max_mem = 64 << 20
    return re2.compile(source, options)


def _matches(entry: Entry, text: str) -> bool:
    found = entry.prefilter()
    if found is None:
        return True  # unknown: always a candidate
    scanned = fold(text) if found.folded else text
    return bool(_re2(found.source).search(PAD + scanned + PAD + "\x00"))


@cache
def _engine(entry_key: tuple[object, ...]) -> _Re2Engine:
    return _Re2Engine(re2, [Entry(*entry_key)])  # type: ignore[arg-type]


def _start_bound(entry: Entry, text: str) -> int:
    """The offset the scan reports for ``entry`` in ``text`` (0: none)."""
    _found, starts = _engine(entry.key()).match_starts(text)
    return starts.get(0, 0)


def _real(source: str, edges: bool = True) -> regex.Pattern[str]:
    """``source`` as the linter matches it: ignoring case, and inside word
    edges where the language asks for them (patterns.py's ``_EDGE``)."""
    wrapped = rf"(?!(?<=\w)\w)(?:{source})(?!(?<=\w)\w)" if edges else source
    return regex.compile(wrapped, regex.IGNORECASE)


def _checked(where: str, group: PatternGroup, text: str) -> Iterator[str]:
    """Problems: patterns whose matches the prefilter misses, in each look."""
    tail = text.rstrip()
    conventions = (group.ignore_case, group.word_boundaries)
    hits = 0
    for index, body in enumerate(group.bodies):
        single = group._single(index)
        first = single.search(text)
        if first is None:
            continue
        if not _matches(Entry((body,), *conventions), text):
            yield f"{where}[{index}] {body!r} matches {text!r}; its prefilter does not"
        bound = _start_bound(Entry((body,), *conventions), text)
        if bound > first.start():
            yield f"{where}[{index}] {body!r} matches {text!r} at {first.start()}, not {bound}"
        # Empty matches are never hits (``PatternGroup.finditer`` drops them): a
        # concept that is only a look-ahead ("not_sympathy") ends every text.
        at_end = any(
            m.end() == len(tail) > m.start() for m in single.finditer(tail, overlapped=True)
        )
        if at_end and not _matches(Entry((body,), *conventions, at_end=True), text):
            yield f"{where}[{index}] ends {tail!r}; its end prefilter does not match"
    hits = sum(1 for h in group.finditer(text) if h.end > h.start)
    for repeat in (2, 3):
        if hits >= repeat and not _matches(Entry(group.bodies, *conventions, repeat=repeat), text):
            yield f"{where}: {hits} hits in {text!r}; its repeat-{repeat} prefilter does not match"


@settings(max_examples=400, deadline=None)
@given(st.data())
def test_every_match_is_a_prefilter_candidate(data: st.DataObject) -> None:
    where = data.draw(st.sampled_from(GROUPS))
    group = dict(shipped_groups())[where]
    text = data.draw(texts(where))
    assert list(_checked(where, group, text)) == []


@pytest.mark.parametrize("where", GROUPS)
def test_every_example_match_is_a_candidate(where: str) -> None:
    """Each group on its own pieces joined: unchanged, in capitals, and with ß
    and dotted capital I in one text (the hypothesis test above mixes every
    case change at random)."""
    group = dict(shipped_groups())[where]
    text = " ".join(pieces(where))
    for variant in (text, text.upper(), text.replace("ss", "ß").replace("i", "İ")):
        assert list(_checked(where, group, variant)) == []


# -- the syntax, case by case ------------------------------------------------------


def _candidate(source: str, text: str, word_boundaries: bool = True) -> bool:
    return _matches(Entry((source,), True, word_boundaries), text)


@pytest.mark.parametrize(
    ("source", "text"),
    [
        (r"(?<!not\s)sorry(?!\?)", "Sorry!"),  # look-arounds dropped
        (r"\bguarantee\b", "GUARANTEE"),
        (r"(?>ab|a)c", "ac"),  # atomic group: plain
        (r"a++b", "aab"),  # possessive: plain
        (r"stra(?:ss|ß)e", "STRASSE"),
        (r"straße", "STRAẞE"),
        (r"istanbul", "İSTANBUL"),
        (r"kelvin", "\u212aELVIN"),
        (r"\w+n't", "DOESN'T"),
        (r"[a-z]{2,400}x", "abx"),  # large counts lose their bounds
        (r"\p{Han}{2}", "中文"),
        (r"[^.!?\n]{0,4}ok", "ß ok"),  # ß folds to two characters
        (r"(?-i:NOW)", "NOW"),
        (r"don't", "don't"),
        (r"\x20\u00e9t\xe9", " ÉTÉ"),
        (r"\N{LATIN SMALL LETTER A}b", "AB"),
    ],
)
def test_syntax_matches_stay_candidates(source: str, text: str) -> None:
    compiled = regex.compile(source, regex.IGNORECASE)
    assert compiled.search(text), "the example should match"
    assert _candidate(source, text)


@pytest.mark.parametrize(
    ("source", "text"),
    [
        ("no", "know now snow"),  # word edges kept
        ("sorry", "sorrow"),
        ("(?-i:NOW)", "now"),  # a case-sensitive pattern reads the text as is
        ("guarantee", "warranty"),
    ],
)
def test_prefilters_still_rule_out(source: str, text: str) -> None:
    assert not _candidate(source, text)


@pytest.mark.parametrize(
    "source",
    [r"(a)\1", r"(?i)x", r"x{e<=1}", r"[[a-z]--[aeiou]]", r"(?(1)a|b)", r"\L<words>", r"\X"],
)
def test_unknown_syntax_is_always_a_candidate(source: str) -> None:
    assert prefilter(source, True, True) is None
    assert _candidate(source, "nothing like it")


@pytest.mark.parametrize(
    ("source", "text"),
    [
        (r"(?:and|the)(?=\s*$)", "I was going to say and  \n"),
        (r"(?:and|the)(?=\s*$)", "and"),
        (r"(?<=\w)[-\u2013]\s*$", "so I\u2013 \u3000"),  # white space outside ASCII
        (r"ha(?=\s*[.!…]|\s*$)", "oh ha."),
        (r"ha(?=\s*[.!…]|\s*$)", "oh ha"),
        (r"x\Z", "a x"),
        (r"(?:no|yes(?=\s*$))", "yes and no"),  # another branch matches
        (r"never\s+\w+(?=(?:\s+\w+){0,3}\s*!)", "I never asked for this!"),
        (r"foo(?=\s+bar)", "foo barn"),  # no edge asked for after the look-ahead's text
    ],
)
def test_a_tail_stays_a_candidate(source: str, text: str) -> None:
    assert _real(source).search(text), "the example should match"
    assert _candidate(source, text)
    assert _matches(Entry((source,), True, True), text + "\n  ")


@pytest.mark.parametrize(
    ("source", "text"),
    [
        (r"(?:and|the)(?=\s*$)", "and the rest"),  # the look-ahead is kept, consumed
        (r"(?<=\w)[-\u2013]\s*$", "a - b"),
        (r"ha(?=\s*[.!…]|\s*$)", "ha ha, very funny"),
        (r"x\Z", "x y"),
    ],
)
def test_a_tail_rules_out(source: str, text: str) -> None:
    assert not _candidate(source, text)


def test_a_tail_is_kept_only_where_whether_it_matches_is_asked() -> None:
    body = r"(?:and|the)(?=\s*$)"
    # A repeat needs each match's own span, an end entry adds its own end.
    assert prefilter(body, True, False) == prefilter(body, True, False, tail=False)
    assert "x{0}" not in str(prefilter(body, True, False))
    assert _matches(Entry((body,), True, True, at_end=True), "and the")
    assert not _matches(Entry((body,), True, True, at_end=True), "and then")


@pytest.mark.parametrize(
    ("source", "text"),
    [
        (r"(?<=\bassure\s+you\s+)\w+\s+will", "I ASSURE YOU it will"),
        (r"(?<=^\s*|[.!?]\s*)(?:call|ring)\s+them", "No. Call them."),
        (r"(?:(?<=^\s*)|(?<=[,.]\s*))(?:call|ring)", "ok, ring"),  # a group at the head
        (r"(?<=stra(?:ss|ß)e\s)nr", "STRASSE Nr"),  # folding
        (r"(?<=\w)-", "so-so"),
        (r"(?:(?<=-)b)+c", "-bc"),  # repeated: dropped, as before
        (r"(?<!x)(?<=y\s)z|q", "y z"),
    ],
)
def test_a_head_stays_a_candidate(source: str, text: str) -> None:
    for edges in (True, False):
        entry = Entry((source,), True, edges)
        first = _real(source, edges).search(text)
        assert first is not None, "the example should match"
        assert _matches(entry, text)
        assert 0 <= _start_bound(entry, text) <= first.start()


@pytest.mark.parametrize(
    ("source", "text"),
    [
        (r"(?<=\bassure\s+you\s+)\w+\s+will", "it will rain"),  # the look-behind is kept
        (r"(?<=[.!?]\s)(?:call|ring)\s+them", "so call them"),
    ],
)
def test_a_head_rules_out(source: str, text: str) -> None:
    assert not _candidate(source, text, word_boundaries=False)
    assert not _candidate(rf"(?:{source}|-x)", text)  # no word edge to lose


def test_a_head_is_kept_only_where_whether_it_matches_is_asked() -> None:
    body = r"(?<=\bassure\s+you\s+)\w+\s+will"
    # A repeat needs each match's own span.
    assert prefilter(body, True, False) == prefilter(body, True, False, tail=False)
    assert "assure" not in str(prefilter(body, True, False))
    assert "assure" in str(prefilter(body, True, False, tail=True))


def test_a_head_keeps_a_word_edge_it_would_lose() -> None:
    body = r"(?:(?<=^\s*)|(?<=[,.]\s*))(?:call|ring)"
    assert _candidate(body, "ok, call")
    assert not _candidate(body, "I recall")


@settings(max_examples=300, deadline=None)
@given(
    st.sampled_from(
        [
            r"(?<=a\s?b)c+",
            r"(?<=\ba|b\s)c\w*",
            r"(?:(?<=a)|(?<=\s))bc?",
            r"(?<=[ab]{1,3}\s)(?:c|a\s)+",
            r"(?<=^\s*|\.\s*)a\s*b",
        ]
    ),
    st.text(alphabet="abcAB .ß", max_size=20),
    st.booleans(),
)
def test_a_head_never_misses_or_overshoots(source: str, text: str, edges: bool) -> None:
    entry = Entry((source,), True, edges)
    found = [m for m in _real(source, edges).finditer(text) if m.end() > m.start()]
    if found:
        assert _matches(entry, text)
        assert 0 <= _start_bound(entry, text) <= found[0].start()


def test_a_repeat_needs_disjoint_matches() -> None:
    group = PatternGroup.build("<test>", [PatternSpec("p", "sorry")], True, True)
    entry = Entry(group.bodies, True, True, repeat=2)
    assert _matches(entry, "Sorry, so sorry.")
    assert not _matches(entry, "Sorry about that.")


def test_an_end_entry_needs_the_match_at_the_end() -> None:
    entry = Entry(("--",), True, True, at_end=True)
    assert _matches(entry, "I was going to say --  \n")
    assert not _matches(entry, "-- and then")


# -- where a match may start -------------------------------------------------------


@pytest.mark.parametrize(
    ("source", "text", "edges"),
    [
        ("guarantee", "We GUARANTEE it", True),
        ("guarantee", "Straße, Maße und ﬁx: guarantee", True),  # folding grows the text
        ("保证", "我们百分之百保证明天到", False),  # bytes are not characters
        ("保证", "我们\ud800保证", False),  # a lone surrogate: no offset, never a wrong one
        (r"(?<=^\s*|[.!?]\s*)(?:call|ring)\s+them", "No. Call them. Ring them!", True),
        ("(?-i:NOW)", "ÄÖÜ do it NOW", True),
    ],
)
def test_the_scan_offset_is_never_past_the_first_match(source: str, text: str, edges: bool) -> None:
    entry = Entry((source,), True, edges)
    first = _real(source, edges).search(text)
    assert first is not None, "the example should match"
    assert 0 <= _start_bound(entry, text) <= first.start()


def test_the_scan_offset_skips_the_text_before_a_late_match() -> None:
    text = "Thanks for waiting, one moment while I look. " * 3 + "I guarantee it."
    bound = _start_bound(Entry(("guarantee",), True, True), text)
    assert text.index("guarantee") - 1 <= bound <= text.index("guarantee")
