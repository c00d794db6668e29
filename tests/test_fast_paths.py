"""The fast paths give the answers of the plain definitions.

``turn_languages`` skips turns that cannot switch language, ``stopword_scores``
and ``script_counts`` take shortcuts on ASCII text, ``fold`` lower-cases ASCII,
``prepare`` skips ``str.translate`` when nothing needs it: each is compared
here with the straightforward version on random mixes of the five languages.
"""

from __future__ import annotations

import sys
from collections import Counter

import regex
from hypothesis import given, settings
from hypothesis import strategies as st

from deescalate_lint import detection
from deescalate_lint.languages import profile, shipped_languages
from deescalate_lint.literals import _TURKIC_I, fold
from deescalate_lint.textprep import _NORMALISE, prepare

_PIECES = [
    "the order is late and I am not happy",
    "das ist nicht meine Schuld und ich weiß es",
    "se ei ole meidän vika ja tiedän sen",
    "这不是我们的问题",
    "저희 잘못이 아닙니다",
    "ok",
    "Hei Hei!",
    "İstanbul ıslak",
    "STRASSE ß",
    "\u2019",
    "カタカナ",
    "123 !!",
    "on in an ja",
    "don`t \u2018so\u2019 \u00a0x\u202f\u2007\uff07\u02bc",
]
_texts = st.lists(st.one_of(st.sampled_from(_PIECES), st.text(max_size=12)), max_size=6).map(
    " ".join
)


def _plain_turn_languages(texts: list[str], conversation: str) -> list[str]:
    return [
        conversation
        if len(t[: detection.SAMPLE_CHARS]) < detection.MIN_TURN_CHARS
        else detection.turn_language(t, conversation)
        for t in texts
    ]


@settings(max_examples=300, deadline=None)
@given(st.lists(_texts, max_size=6), st.sampled_from(["en", "de", "fi", "zh", "ko"]))
def test_turn_languages_equals_turn_by_turn(texts: list[str], conversation: str) -> None:
    assert detection.turn_languages(texts, conversation) == _plain_turn_languages(
        texts, conversation
    )


@settings(max_examples=100, deadline=None)
@given(st.lists(_texts, min_size=1, max_size=4), st.sampled_from(["en", "de", "fi", "zh", "ko"]))
def test_turn_languages_of_a_long_conversation(texts: list[str], conversation: str) -> None:
    """Past ``SAMPLE_CHARS`` in all, the turns are read one by one: same answers."""
    texts = texts * (detection.SAMPLE_CHARS // max(1, sum(map(len, texts))) + 2)
    assert detection.turn_languages(texts, conversation) == _plain_turn_languages(
        texts, conversation
    )


@settings(max_examples=300, deadline=None)
@given(_texts)
def test_stopword_scores_equal_a_plain_count(text: str) -> None:
    words = [w.casefold() for w in detection._WORD.findall(text)]
    plain = Counter(
        {
            code: sum(1 for w in words if w in profile(code).stopwords)
            for code in detection._latin_languages(shipped_languages())
        }
    )
    got = detection.stopword_scores(text)
    assert got == plain
    assert got.most_common() == plain.most_common()  # ties keep the same order


@settings(max_examples=300, deadline=None)
@given(_texts)
def test_script_counts_equal_the_script_classes(text: str) -> None:
    scripts = ("Hangul", "Han", "Hiragana Katakana")
    classes = {"Latin": r"\p{Latin}", "letter": r"\p{L}", "Hangul": r"\p{Hangul}"}
    classes |= {"Han": r"\p{Han}", "Hiragana Katakana": r"[\p{Hiragana}\p{Katakana}]"}
    plain = {name: len(regex.findall(pattern, text)) for name, pattern in classes.items()}
    assert detection.script_counts(text, scripts) == plain


@settings(max_examples=300, deadline=None)
@given(_texts)
def test_fold_equals_turkic_i_then_casefold(text: str) -> None:
    assert fold(text) == text.translate(_TURKIC_I).casefold()


@settings(max_examples=300, deadline=None)
@given(_texts)
def test_preparation_normalises_like_translate(text: str) -> None:
    assert prepare(text).analysis == prepare(text.translate(_NORMALISE)).analysis
    assert len(prepare(text).analysis) == len(text)


def test_folding_a_text_moves_no_word_edge_outside_the_listed_characters() -> None:
    """``_stopword_scores`` folds a whole text at once unless it holds one of
    ``_FOLDS_ACROSS_WORDS``: every character whose fold has a letter (or
    apostrophe) where it has none, or the other way round, is among them."""
    word = regex.compile(r"[\p{L}']")
    moved = []
    for code in range(sys.maxunicode + 1):
        char = chr(code)
        if 0xD800 <= code < 0xE000 or char.casefold() == char:
            continue
        inside = bool(word.fullmatch(char))
        if any(bool(word.fullmatch(c)) != inside for c in char.casefold()):
            moved.append(char)
    assert moved
    assert all(detection._FOLDS_ACROSS_WORDS.fullmatch(c) for c in moved)


@settings(max_examples=300, deadline=None)
@given(_texts)
def test_ascii_letters_only_texts_count_words_as_the_plain_count(text: str) -> None:
    """Emoji and curly quotes beside ASCII words: the byte path counts the same."""
    text = text + " 🙂 \u201cthe\u201d and"
    words = [w.casefold() for w in detection._WORD.findall(text)]
    plain = Counter(
        {
            code: sum(1 for w in words if w in profile(code).stopwords)
            for code in detection._latin_languages(shipped_languages())
        }
    )
    assert detection.stopword_scores(text) == plain


def _label_lines() -> st.SearchStrategy[str]:
    """Lines that open turns or nearly do: a label in mixed case (every
    language's, or a cased variant), maybe after blanks and a timestamp (real or
    broken), a note in brackets, a colon or not, then text."""
    from deescalate_lint.roles import default_role_table

    labels = default_role_table().known_labels()
    label = st.sampled_from(labels).flatmap(
        lambda text: st.lists(st.booleans(), min_size=len(text), max_size=len(text)).map(
            lambda ups: "".join(c.upper() if up else c for c, up in zip(text, ups, strict=True))
        )
    )
    lead = st.sampled_from(["", " ", "\t ", "[00:12] ", "[1:02:03.5]", "[x] ", "[", "ſ"])
    note = st.sampled_from(["", " (Maria)", "(2) ", " (" + "x" * 45 + ")"])
    colon = st.sampled_from([":", "：", " :", "", " -"])
    head = st.one_of(label, st.text(max_size=6), label.map(lambda s: s[:-1]))
    return st.tuples(lead, head, note, colon, st.text(max_size=8)).map("".join)


@settings(max_examples=400, deadline=None)
@given(_label_lines())
def test_label_line_prefilter_never_misses_a_label(line: str) -> None:
    """The text reader compiles its label alternation only for a line the cheap
    case-folded test passes: every line the alternation matches must pass it."""
    from deescalate_lint.readers.text import _label_starts, _line_pattern, _may_open_turn
    from deescalate_lint.roles import default_role_table

    labels = tuple(default_role_table().known_labels())
    starts, longest = _label_starts(labels)
    if _line_pattern(labels).match(line):
        assert _may_open_turn(line, starts, longest), line
