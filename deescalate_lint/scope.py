"""Judge whether a trigger is negated or hedged, within a window of its sentence.

NegEx-style: a cue governs a trigger when it stands within ``window`` tokens
before (or, for cues like Korean ``수 없다`` or Chinese ``不了``, after) the
trigger, in the same sentence, with no terminator (``but``, ``aber``,
``mutta``, ``但是``, ``하지만``) between them. "I can't guarantee it" is negated;
"I can't check now, but I guarantee it" is not. The whole turn is never vetoed
by one keyword.
"""

from __future__ import annotations

import weakref
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import regex

from .languages import LanguageProfile
from .nlp import Tokens
from .regexes import compile_pattern

#: The cue groups that give a verdict (the others only narrow the windows).
VERDICT_GROUPS = ("negation_before", "negation_after", "hedge_before", "hedge_after")
#: Characters a token never spans (spaCy splits at white space; these are the
#: ones it certainly splits at, so chunks cut here are never smaller than its).
_SPLIT = frozenset(" \t\n\r\f\v")
#: Beyond this many characters around a trigger, ``may_be_governed`` gives up
#: (says True) rather than scan a huge unbroken run of text for each trigger.
_NEAR_LIMIT = 4_000


@dataclass(frozen=True)
class Scope:
    negated: str | None = None
    hedged: str | None = None


def judge(text: str, tokens: Tokens, start: int, end: int, lang: LanguageProfile) -> Scope:
    s0, s1 = tokens.sentence_of(start, end)
    before_tokens = tokens.before(start, s0, lang.window)
    w0 = before_tokens[0][0] if before_tokens else start
    after_tokens = tokens.after(end, s1, lang.window)
    # Read after-windows from the trigger's end, so endings glued to the
    # trigger's own word (Korean, Finnish) are inside the window.
    w1 = after_tokens[-1][1] if after_tokens else min(s1, _word_end(text, end, s1))
    after = text[end : max(w1, _word_end(text, end, s1))]
    return _judged(lang, text[w0:end], start - w0, after)


@lru_cache(maxsize=4096)
def _judged(lang: LanguageProfile, head: str, at: int, after: str) -> Scope:
    """The verdict on the windows: ``head`` is the before-window and the
    trigger (which starts at ``at``), ``after`` the after-window. Only these
    strings decide it, so a template that repeats a sentence is judged once."""
    before = head[:at]
    terminator = lang.group("terminators")
    cut = None
    # Terminators are matched with the trigger still in view, so a pattern can
    # look ahead past its own end (Finnish: a comma does not end the scope when
    # the trigger's clause begins with "ettei"); only those starting before the
    # trigger count.
    for hit in terminator.finditer(head):
        if hit.start < len(before):
            cut = min(hit.end, len(before))
    if cut is not None:
        before = before[cut:]
    first = terminator.search(after)
    if first is not None:
        after = after[: first.start]

    # NegEx pseudo-negations ("don't worry", "no problem") negate nothing.
    before = _blank(lang, "pseudo_negation", before)
    after = _blank(lang, "pseudo_negation", after)
    negated = _first(lang, "negation_before", before) or _first(lang, "negation_after", after)
    hedged = _first(lang, "hedge_before", before) or _first(lang, "hedge_after", after)
    return Scope(negated=negated, hedged=hedged)


def within(text: str, gaps: Sequence[tuple[int, int]], lang: LanguageProfile) -> Scope:
    """Cues inside a match, between its parts: "you don't need to fill in the form"."""
    inside = " ".join(_blank(lang, "pseudo_negation", text[a:b]) for a, b in gaps)
    negated = _first(lang, "negation_before", inside) or _first(lang, "negation_after", inside)
    hedged = _first(lang, "hedge_before", inside) or _first(lang, "hedge_after", inside)
    return Scope(negated=negated, hedged=hedged)


def may_be_governed(text: str, start: int, end: int, lang: LanguageProfile) -> bool:
    """False when no negation or hedge cue can be in scope of ``text[start:end]``.

    Why: ``judge`` needs tokens and sentences (spaCy, about 0.3 ms for a
    tweet of new words, and 1 s to import), while most triggers have no cue
    word anywhere near them. Sound, so ``judge`` would find nothing when this
    says False: a window holds at most ``lang.window`` tokens on each side,
    tokens never span white space, so both windows lie within that many
    white-space-separated chunks beyond the trigger's own; a cue match in a
    window contains one of its pattern's needles (literals.py); and blanking
    pseudo-negations only writes spaces, which no needle here contains.
    """
    if not needles_prefilter(lang):
        return True
    low = _chunk_edge(text, start, -1, lang.window + 1)
    high = _chunk_edge(text, end, 1, lang.window + 1)
    if low is None or high is None:
        return True
    return _cue_near(lang, text[low:high])


@lru_cache(maxsize=4096)
def _cue_near(lang: LanguageProfile, near: str) -> bool:
    return any(lang.group(name).candidates(near) for name in VERDICT_GROUPS)


def _chunk_edge(text: str, position: int, step: int, chunks: int) -> int | None:
    """Where ``chunks`` white-space-separated chunks from ``position`` end, going
    back (``step`` -1) or on (+1); the first may be the rest of the trigger's
    own. None when that is more than ``_NEAR_LIMIT`` characters away."""
    end = 0 if step < 0 else len(text)
    limit = max(end, position - _NEAR_LIMIT) if step < 0 else min(end, position + _NEAR_LIMIT)
    if step < 0:
        i = _chunks(chunks, True).match(text, limit, position).start()  # type: ignore[union-attr]
    else:
        i = _chunks(chunks, False).match(text, position, limit).end()  # type: ignore[union-attr]
    return None if i == limit != end else i


@lru_cache(maxsize=32)
def _chunks(count: int, back: bool) -> regex.Pattern[str]:
    """``count`` chunks (white space, then the rest, each maybe empty) in a row:
    matched backwards (``(?r)``) when ``back``. One call in C for what was a
    loop over characters in Python."""
    space = "".join(_SPLIT).encode("unicode_escape").decode()
    chunk = f"[^{space}]*[{space}]*" if back else f"[{space}]*[^{space}]*"
    return compile_pattern(("(?r)" if back else "") + f"(?:{chunk}){{{count}}}")


def needles_prefilter(lang: LanguageProfile) -> bool:
    """Whether the verdict groups of a language can be ruled out by needles alone."""
    known = _PREFILTER.get(lang)
    if known is None:
        known = _PREFILTER[lang] = _needles_only(lang)
    return known


#: Per language profile: the answer above (a cache that forgets dropped profiles).
_PREFILTER: weakref.WeakKeyDictionary[LanguageProfile, bool] = weakref.WeakKeyDictionary()


def _needles_only(lang: LanguageProfile) -> bool:
    for name in VERDICT_GROUPS:
        for needles in lang.group(name).needles:
            if needles is not None and any(c.isspace() for n in needles for c in n):
                return False
    return True


def _first(lang: LanguageProfile, group: str, window: str) -> str | None:
    hit = lang.group(group).search(window)
    return window[hit.start : hit.end] if hit else None


def _blank(lang: LanguageProfile, group: str, window: str) -> str:
    for hit in lang.group(group).finditer(window):
        window = window[: hit.start] + " " * (hit.end - hit.start) + window[hit.end :]
    return window


def _word_end(text: str, position: int, limit: int) -> int:
    while position < limit and not text[position].isspace():
        position += 1
    return position
