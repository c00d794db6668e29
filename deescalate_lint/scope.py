"""Judge whether a trigger is negated or hedged, within a window of its sentence.

NegEx-style: a cue governs a trigger when it stands within ``window`` tokens
before (or, for cues like Korean ``수 없다`` or Chinese ``不了``, after) the
trigger, in the same sentence, with no terminator (``but``, ``aber``,
``mutta``, ``但是``, ``하지만``) between them. "I can't guarantee it" is negated;
"I can't check now, but I guarantee it" is not. The whole turn is never vetoed
by one keyword.
"""

from __future__ import annotations

from dataclasses import dataclass

from .languages import LanguageProfile
from .nlp import Tokens


@dataclass(frozen=True)
class Scope:
    negated: str | None = None
    hedged: str | None = None


def judge(text: str, tokens: Tokens, start: int, end: int, lang: LanguageProfile) -> Scope:
    s0, s1 = tokens.sentence_of(start, end)
    before_tokens = tokens.before(start, s0, lang.window)
    w0 = before_tokens[0][0] if before_tokens else start
    before = text[w0:start]
    after_tokens = tokens.after(end, s1, lang.window)
    # Read after-windows from the trigger's end, so endings glued to the
    # trigger's own word (Korean, Finnish) are inside the window.
    w1 = after_tokens[-1][1] if after_tokens else min(s1, _word_end(text, end, s1))
    after = text[end : max(w1, _word_end(text, end, s1))]

    terminator = lang.group("terminators")
    cut = None
    # Terminators are matched with the trigger still in view, so a pattern can
    # look ahead past its own end (Finnish: a comma does not end the scope when
    # the trigger's clause begins with "ettei"); only those starting before the
    # trigger count.
    for hit in terminator.finditer(text[w0:end]):
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
