"""Absent before: the first act of one kind, with no act of another before it.

Used by no-recap: in a conversation where the customer is upset, the first
agent turn (at or after the customer first became upset) that holds a
``trigger`` (a concrete resolution or next step) is a finding when neither
it nor any earlier agent turn holds an ``expected`` phrase (restating the
problem, checking understanding). Only that first turn is judged: a recap
after the solution was offered does not undo the order. A bot's handover line
(``relay-marks``: "[Bot] Connecting you to a person") is not judged when the
next turn is an agent's that recaps (session 22).

An ``echo`` hit (an acknowledgement of how the customer feels) counts as the
expected act only in a turn that repeats some of the customer's own words from
their earlier turns (``echo-words``) before its first trigger: "No heating since
Sunday with a baby, that is awful" names their trouble, a stock "I understand
how you feel" does not.

With ``span-all-triggers`` the finding quotes the judged turn from its first
``trigger`` to the end of its last: a turn that offers two next steps ("I'll send
an engineer today. Please also DM us the photos") is one proposal, and either
step may be the one a reader points at.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Any

from ..context import Conversation, TurnView
from ..model import Finding, Notice
from ..patterns import Hit
from ..regexes import compile_pattern
from . import GroupSpec, OptionSpec, register
from .common import RELAY_MARKS, kept, relay_marks, relayed

if TYPE_CHECKING:
    from ..rulepack import Rule


@register(
    "absent-before",
    groups=[
        GroupSpec("trigger", "agent", True, "the act that must come second"),
        GroupSpec("expected", "agent", True, "the act that must come first", leads=False),
        GroupSpec(
            "echo",
            "agent",
            False,
            "counts as `expected` in a turn that repeats the customer's own words",
            leads=False,
        ),
    ],
    doc="With an upset customer (the escalation detector, with persistence), flags the "
    "first agent `trigger` when no agent turn up to and including it holds an "
    "`expected` phrase; only that first `trigger` is judged. An `echo` phrase (an "
    "acknowledgement) counts as `expected` in a turn that repeats `echo-words` of the "
    "customer's own words before its first `trigger`.",
    options=[
        OptionSpec(
            "echo-words",
            int,
            "how many of the customer's words (from their turns so far) a turn with an "
            "`echo` phrase must repeat for it to count as `expected`",
            default=1,
        ),
        OptionSpec(
            "span-all-triggers",
            bool,
            "the finding's evidence runs from the turn's first `trigger` to the end of its "
            "last, so a turn that proposes several next steps quotes them all",
            default=False,
        ),
        RELAY_MARKS,
    ],
    # Without a trigger nothing to judge, and without an upset customer no finding.
    quiet=lambda rule, screen, options, led: None if led and screen.may_be_upset() else [],
)
def check(
    rule: Rule, convo: Conversation, options: Mapping[str, Any]
) -> Iterator[Finding | Notice]:
    seen_expected = False
    upset_seen = False
    needed = int(options.get("echo-words", 1))
    relays = relay_marks(options)
    for view in convo.views:
        if not view.is_agent or relayed(rule, convo, view, relays):
            continue
        if not seen_expected and kept(rule, convo, view, "expected"):
            seen_expected = True
        if not seen_expected and _echoes(rule, convo, view, needed):
            seen_expected = True
        if not upset_seen:
            mood = convo.mood_before(view.index)
            upset_seen = mood is not None and mood.upset
        if not upset_seen:
            continue
        hits = kept(rule, convo, view, "trigger")
        if not hits:
            continue
        if not seen_expected:
            mood = convo.mood_before(view.index)
            why = f"The customer is upset ({mood.reason})." if mood and mood.upset else ""
            hit = hits[0]
            kind = hit.pattern.attrs.get("kind")
            end = _span_end(hits) if options.get("span-all-triggers") else hit.end
            yield convo.finding(rule, view, hit.start, end, kind=kind, detail=why or None)
        return


#: How far (characters from the end of the quote so far) a further ``trigger`` may
#: start and still be quoted with the first: the next step in the next sentence, not
#: a link and a paragraph later.
_SPAN_REACH = 60


def _span_end(hits: list[Hit]) -> int:
    """Where the quote of a turn's next steps ends: the first ``trigger``, extended
    over each later one that starts within ``_SPAN_REACH`` characters of it."""
    end = hits[0].end
    for hit in sorted(hits[1:], key=lambda h: h.start):
        if hit.start - end > _SPAN_REACH:
            break
        end = max(end, hit.end)
    return end


def _echoes(rule: Rule, convo: Conversation, view: TurnView, needed: int) -> bool:
    """Whether ``view`` holds an ``echo`` phrase, and repeats ``needed`` of the
    words of the customer's turns before it, before its first ``trigger`` (the
    fix's own words, "a refund for the charge", do not make a stock
    acknowledgement a recap). The customer's words are gathered only for a turn
    with an echo phrase: most turns have none."""
    echoes = kept(rule, convo, view, "echo")
    if not echoes:
        return False
    triggers = kept(rule, convo, view, "trigger")
    cut = triggers[0].start if triggers else len(view.text)
    if echoes[0].start >= cut:
        return False
    heard: set[str] = set()
    for earlier in convo.views:
        if earlier.index < view.index and earlier.is_customer:
            heard |= content_words(earlier.text)
    return bool(heard) and len(heard & content_words(view.text[:cut])) >= needed


#: Runs of Han characters, of Hangul syllables, of other letters, and numbers.
#: (From the pattern memo: the standard ``re`` compiled these wide classes at
#: every start, 1% of a clean template's.)
_HAN = compile_pattern(r"[\u4e00-\u9fff]+")
_HANGUL = compile_pattern(r"[\uac00-\ud7a3]+")
#: ``regex``'s ``\w`` is not the standard ``re``'s: it also holds combining marks
#: (a decomposed "café" would become a five-letter word) and not ``No``
#: (superscripts, fractions). So the letters are spelled out as ``re`` reads them:
#: ``str.isalnum`` less the decimal digits.
_LETTERS = compile_pattern(r"(?V1)[[\p{L}\p{Nl}\p{No}]--[\u4e00-\u9fff\uac00-\ud7a3]]{5,}")
_NUMBER = compile_pattern(r"\d+")


def content_words(text: str) -> set[str]:
    """Rough content words of ``text`` for telling whether one turn repeats
    another's: Han character pairs, the first two syllables of a Hangul word, the
    first six letters of a word of five letters or more (a stem, give or take an
    ending), and numbers. Short words (articles, pronouns) are left out."""
    lowered = text.lower()
    words = {m.group()[:6] for m in _LETTERS.finditer(lowered)}
    words |= {m.group()[:2] for m in _HANGUL.finditer(lowered) if len(m.group()) >= 2}
    for run in _HAN.finditer(lowered):
        han = run.group()
        words |= {han[i : i + 2] for i in range(len(han) - 1)}
    words |= set(_NUMBER.findall(lowered))
    return words
