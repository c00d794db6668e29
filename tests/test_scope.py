"""Negation and hedge scope is a window inside the sentence, not a whole-turn veto."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import deescalate_lint as dl
from deescalate_lint.languages import profile
from deescalate_lint.nlp import PIECE, Tokens, tokenise, tokens_around
from deescalate_lint.scope import Scope, _chunk_edge, _word_end, judge, may_be_governed


def promises(text: str) -> list[str]:
    return [f.evidence for f in dl.lint(text, language="en", select=["unrealistic-promise"])]


@pytest.mark.parametrize(
    "text",
    [
        "I can't guarantee it.",
        "I cannot promise that.",
        "There's no way I can guarantee it.",
        "It should arrive tomorrow.",
        "Hopefully it will be there tomorrow.",
    ],
)
def test_negated_or_hedged_trigger_is_not_flagged(text: str) -> None:
    assert promises(text) == []


def test_negation_in_another_sentence_does_not_veto() -> None:
    assert promises("I can't check the depot now. I guarantee it arrives today.") == ["I guarantee"]


def test_a_terminator_ends_the_negation_scope() -> None:
    assert promises("I can't change the date, but I guarantee it.") == ["I guarantee"]


def test_negation_far_outside_the_window_does_not_veto() -> None:
    text = "I don't know what the other team told you on the phone last week I guarantee it."
    assert promises(text) == ["I guarantee"]


def test_pseudo_negation_does_not_veto() -> None:
    assert promises("Don't worry, I promise this gets fixed.") == ["I promise"]


def test_quoted_words_are_not_the_agents_own() -> None:
    assert promises('You wrote "I guarantee it" in your letter, and I understand why.') == []


@pytest.mark.parametrize(
    "text",
    [
        "Sie schrieben ‚das ist nicht meine Schuld‘, und das verstehe ich.",
        "Sie schrieben ›das ist nicht meine Schuld‹, und das verstehe ich.",
        "Sie schrieben „das ist nicht meine Schuld“, und das verstehe ich.",
        "Sie schrieben »das ist nicht meine Schuld«, und das verstehe ich.",
    ],
)
def test_german_quotation_marks_are_quotes(text: str) -> None:
    assert dl.lint(text, language="de") == []


def test_korean_single_quotes_mark_someone_elses_words() -> None:
    convo = {
        "language": "ko",
        "turns": [
            {"speaker": "customer", "text": "이게 뭐예요?! 진짜 황당하네요."},
            {
                "speaker": "agent",
                "text": "안내 문자에 '홈페이지에서 접수해 주세요'라고 돼 있었죠. "
                "제가 바로 처리해 드릴게요.",
            },
        ],
    }
    # The quoted web-form instruction is the text message's, not the agent's:
    # no DL105. (The reply's missing acknowledgement and recap are other rules.)
    assert [f for f in dl.lint(convo) if f.rule == "email-when-call-needed"] == []
    unquoted = dict(convo["turns"][1], text="홈페이지에서 접수해 주세요.")
    flagged = dl.lint(dict(convo, turns=[convo["turns"][0], unquoted]))
    assert "email-when-call-needed" in {f.rule for f in flagged}


def test_a_korean_sentence_ending_ends_the_scope_without_punctuation() -> None:
    assert [
        f.evidence for f in dl.lint("아마 그건 아닐 거예요 내일 도착합니다", language="ko")
    ] == ["내일 도착합니다"]


# -- the cheap "no cue nearby" test must never change a verdict ------------------

_CUE_WORDS = {
    "en": ["not", "no", "n't", "never", "can't", "maybe", "hopefully", "should", "try to", "but"],
    "de": ["nicht", "kein", "nie", "hoffentlich", "vielleicht", "ich hoffe", "aber", "sollte"],
    "fi": ["en", "ei", "emme", "toivottavasti", "ehkä", "mutta", "pitäisi", "voi olla"],
    "zh": ["不", "没", "别", "可能", "应该", "估计", "但是", "不能", "不了", "希望"],
    "ko": ["안", "못", "수 없", "아마", "것 같", "하지만", "지 않", "혹시"],
}
_TRIGGERS = {
    "en": ["I guarantee", "I promise", "not my fault", "calm down", "sorry"],
    "de": ["ich garantiere", "nicht meine Schuld", "beruhigen Sie sich", "Entschuldigung"],
    "fi": ["lupaan", "ei ole meidän vika", "rauhoitu", "anteeksi"],
    "zh": ["我保证", "不是我们的错", "冷静一下", "对不起"],
    "ko": ["약속드립니다", "저희 잘못이 아닙니다", "진정하세요", "죄송합니다"],
}


@settings(max_examples=300, deadline=None)
@given(
    st.sampled_from(sorted(_CUE_WORDS)),
    st.data(),
)
def test_no_cue_nearby_means_no_verdict(code: str, data: st.DataObject) -> None:
    """``may_be_governed`` False implies ``judge`` finds no negation and no hedge."""
    filler = ["the", "x", "order", "parcel", "today", "we", "1234", "über", "中", "네"] * 3
    words = st.sampled_from([*_CUE_WORDS[code], *_TRIGGERS[code], *filler])
    glue = st.sampled_from([" ", "  ", ", ", ". ", "\n", "\t", "", "! ", " - "])
    parts = data.draw(st.lists(st.tuples(words, glue), max_size=25))
    text = "".join(w + g for w, g in parts)
    trigger = data.draw(st.sampled_from(_TRIGGERS[code]))
    cut = data.draw(st.integers(0, len(text)))
    text = f"{text[:cut]}{trigger}{text[cut:]}"
    start, end = cut, cut + len(trigger)
    lang = profile(code)
    if not may_be_governed(text, start, end, lang):
        assert judge(text, tokenise(text, lang), start, end, lang) == Scope()


def test_chunk_edges_count_white_space_separated_chunks() -> None:
    text = "aa bb  cc dd ee"
    assert _chunk_edge(text, 7, -1, 1) == 3  # back over "bb"
    assert _chunk_edge(text, 8, -1, 1) == 7  # the rest of the trigger's own chunk
    assert _chunk_edge(text, 7, -1, 9) == 0
    assert _chunk_edge(text, 8, 1, 2) == 12
    assert _chunk_edge(text, 8, 1, 9) == len(text)
    # An unbroken run longer than the limit: give up rather than cut a chunk.
    assert _chunk_edge("x" * 5000, 4990, -1, 2) is None
    assert _chunk_edge("x" * 5000, 10, 1, 2) is None


def test_a_trigger_with_a_cue_nearby_is_still_judged() -> None:
    lang = profile("en")
    text = "I can't guarantee it."
    start = text.index("guarantee")
    assert may_be_governed(text, start, start + 9, lang)
    assert not may_be_governed("Good news: I guarantee it.", 11, 22, lang)


_PIECE_ATOMS = [
    *(w for words in _CUE_WORDS.values() for w in words),
    *(w for words in _TRIGGERS.values() for w in words),
    *[":", " ", "-", ")", "(", "...", "\n", "\n\n", "!!", "?", "e.g.", "U.S.", "Mr.", '"'],
    *["'", "\t", "word", "Word", ":-)", " :) ", "。", "죄송합니다요 ", "—", "..", "!", "b."],
    *["c?", "  ", "\u2026", "can't", "5.5", "http://x.y/z", "over", "the", "parcel"],
]


def _scope_windows(text: str, tokens: Tokens, start: int, end: int, window: int) -> object:
    """What ``judge`` reads of the tokens: the text windows before and after."""
    s0, s1 = tokens.sentence_of(start, end)
    before = tokens.before(start, s0, window)
    w0 = before[0][0] if before else start
    after = tokens.after(end, s1, window)
    w1 = after[-1][1] if after else min(s1, _word_end(text, end, s1))
    return text[w0:start], text[end : max(w1, _word_end(text, end, s1))]


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(sorted(_CUE_WORDS)), st.data())
def test_a_piece_around_a_trigger_reads_as_the_whole_turn(code: str, data: st.DataObject) -> None:
    """``tokens_around`` gives judge the windows the whole turn's tokens give."""
    parts = data.draw(st.lists(st.sampled_from(_PIECE_ATOMS), min_size=1, max_size=300))
    text = "".join(parts) * data.draw(st.sampled_from([1, 1, 4]))
    start = data.draw(st.integers(0, len(text) - 1))
    end = min(len(text), start + data.draw(st.integers(1, 12)))
    lang = profile(code)
    piece = tokens_around(text, start, end, lang, lang.window)
    if piece is not None:
        whole = tokenise(text, lang)
        assert _scope_windows(text, piece, start, end, lang.window) == _scope_windows(
            text, whole, start, end, lang.window
        )


def test_a_long_turn_is_tokenised_around_each_trigger_only() -> None:
    text = "We are sorry for the delay. It should arrive by Friday. " * 20_000
    lang = profile("en")
    start = text.index("sorry", len(text) // 2)
    piece = tokens_around(text, start, start + 5, lang, lang.window)
    assert piece is not None
    assert piece.tokens[-1][1] - piece.tokens[0][0] < PIECE + 1_000
