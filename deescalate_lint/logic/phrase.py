"""Phrase with scope: a trigger in an agent turn, unless negated or hedged nearby.

Hits close together in one sentence ("I guarantee it will be there tomorrow")
are one act, so they become one finding whose evidence spans them; hits of
different kinds ("Calm down, that's not my fault": dismissing, then
deflecting) are different acts and stay separate findings, each with its
kind's message.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from ..context import Conversation, TurnView
from ..escalation import MEASURED, EscalationDetector, Signal
from ..model import Finding, Notice, Role
from ..regexes import compile_pattern
from . import GroupSpec, OptionSpec, register
from .common import group, kept, signals_option

if TYPE_CHECKING:
    from ..rulepack import Rule
    from ..screen import Screen

#: Hits at most this many characters apart, with no sentence end between, merge.
MERGE_GAP = 40
_SENTENCE_END = compile_pattern(r"[.!?;\n。！？；]")


@register(
    "phrase",
    groups=[
        GroupSpec("trigger", "agent", True, "the phrases that are the behaviour"),
        GroupSpec(
            "answer",
            "agent",
            False,
            "phrases that are the behaviour only as the reply to a customer turn "
            'holding an `answered` phrase or one of `answer-signals` ("go ahead" '
            'after "I\'ll report you")',
        ),
        GroupSpec(
            "answered",
            "customer",
            False,
            "what a customer says that an `answer` phrase replies to (a threat: "
            "a complaint, a review, a lawyer, leaving)",
            leads=False,
        ),
        GroupSpec(
            "bare",
            "agent",
            False,
            "phrases that are the behaviour only in a turn holding no `offer` phrase "
            "and no other hit: "
            'a rule, fee or decision given as the whole answer ("Fees are set by the '
            'company."), not one explained while the agent acts',
        ),
        GroupSpec(
            "offer",
            "agent",
            False,
            "what the agent does or offers in the turn (an action, an option), which "
            "makes a `bare` phrase in it an explanation",
            leads=False,
        ),
    ],
    options=[
        OptionSpec(
            "measured-signals",
            list,
            "escalation signals measured rather than listed (`shouting`) that also count",
            choices=MEASURED,
            default=[],
        ),
        OptionSpec(
            "shouting-in-clauses",
            bool,
            "with `shouting` measured, a clause in capitals counts on its own, the "
            "turn as a whole not shouted (\"Ma'am, CALM DOWN, I'm doing what I can\")",
            default=False,
        ),
        OptionSpec(
            "merge-across-sentences",
            bool,
            "hits close together merge into one finding even with a sentence end "
            "between them (a run of put-downs in a row is one act)",
            default=False,
        ),
        OptionSpec(
            "evidence-next-sentence",
            bool,
            "a finding's evidence runs on to the end of the sentence after the one "
            "it ends in (an outburst goes on past its first put-down: \"Don't talk "
            'to me like that. Learn some manners first.")',
            default=False,
        ),
        OptionSpec(
            "bare-when-upset",
            bool,
            "`bare` phrases count only while the customer is upset (the escalation "
            "detector, with persistence; a template, which has no customer turns, "
            "is not held back): a rule given as the whole answer to a complaint",
            default=False,
        ),
        signals_option(
            "answer-signals",
            "the escalation detector's signals, one of which (or an `answered` phrase) "
            "the customer's last turn before an agent turn must hold for the turn's "
            "`answer` phrases to count",
        ),
    ],
    doc="Flags each `trigger` in an agent turn, unless a negation or hedge cue "
    "governs it (the rule's `vetoes`); hits close together in one sentence are one "
    "finding (`merge-across-sentences`: in consecutive sentences too). "
    "`measured-signals` adds the escalation detector's measured signals "
    "(mostly capitals) on the agent's own turns; `answer` phrases count only "
    "in reply to a customer turn holding an `answered` phrase or one of "
    "`answer-signals`; `bare` phrases count only in a turn holding no `offer` "
    "phrase and no other hit (a rule given as the whole answer).",
    quiet=lambda rule, screen, options, led: None if led else quiet(screen, options),
)
def check(
    rule: Rule, convo: Conversation, options: Mapping[str, Any]
) -> Iterator[Finding | Notice]:
    measured = options["measured-signals"]
    detector = EscalationDetector.default() if measured else None
    for view in convo.agent_views():
        hits = kept(rule, convo, view, "trigger")
        answers = kept(rule, convo, view, "answer")
        if answers and answered(rule, convo, view, options["answer-signals"]):
            hits = sorted([*hits, *answers], key=lambda h: (h.start, h.end))
        bare = False
        if not hits:
            # A rule given as the whole answer: only in a turn that does nothing
            # else the rule flags and offers nothing; one stance, so one finding.
            bares = kept(rule, convo, view, "bare")
            offered = bares and convo.hits(group(rule, view, "offer"), view)
            if (
                bares
                and not offered
                and (not options["bare-when-upset"] or upset_before(convo, view))
            ):
                hits, bare = bares, detector is None
        spans = [(h.start, h.end, h.pattern.attrs.get("kind")) for h in hits]
        if detector is not None:
            spans += [
                (s.start, s.end, s.kind) for s in measured_signals(detector, view.text, options)
            ]
            spans.sort(key=lambda span: span[:2])
        runs = (
            [[(sentence_start(view, spans[0][0]), spans[-1][1], spans[0][2])]]
            if bare
            else merge_close(spans, view.text, across=options["merge-across-sentences"])
        )
        for number, run in enumerate(runs):
            kinds = list(dict.fromkeys(span[2] for span in run))
            # One act in one stretch of words, but every behaviour in it named:
            # "Calm down, that's not my fault" dismisses feelings and deflects.
            also = [
                rule.message_for(k)
                for k in kinds[1:]
                if rule.message_for(k) != rule.message_for(kinds[0])
            ]
            detail = " ".join(f"Also: {m}" for m in also) or None
            end = max(span[1] for span in run)
            if bare:
                # The rule is its whole sentence ("Fees are set by the company").
                end = next_sentence_end(view, end, len(view.text), this=True)
                while end > run[0][1] and view.text[end - 1] in ".;,":
                    end -= 1
            if options["evidence-next-sentence"]:
                limit = runs[number + 1][0][0] if number + 1 < len(runs) else len(view.text)
                end = next_sentence_end(view, end, limit)
            yield convo.finding(rule, view, run[0][0], end, kind=kinds[0], detail=detail)


def answered(rule: Rule, convo: Conversation, view: TurnView, signals: Sequence[str]) -> bool:
    """Whether the customer's last turn before ``view`` holds an ``answered``
    phrase (not negated) or one of the detector's ``signals``."""
    before = [v for v in convo.customer_views() if v.index < view.index]
    if not before:
        return False
    if kept(rule, convo, before[-1], "answered"):
        return True
    if not signals:
        return False
    found = EscalationDetector.default().assess(convo, before[-1]).signals
    return any(signal.kind in signals for signal in found)


def quiet(screen: Screen, options: Mapping[str, Any]) -> list[Finding | Notice] | None:
    """Without a trigger, only the measured signals could flag an agent turn."""
    measured = options["measured-signals"]
    if measured:
        detector = EscalationDetector.default()
        if any(measured_signals(detector, text, options) for text in screen.texts(Role.AGENT)):
            return None
    return []


def measured_signals(
    detector: EscalationDetector, text: str, options: Mapping[str, Any]
) -> list[Signal]:
    """The `measured-signals` in an agent's ``text``; with `shouting-in-clauses`,
    a clause shouted on its own when the whole turn is not."""
    measured = options["measured-signals"]
    found = detector.measured(text, measured)
    shouted = any(s.kind == "shouting" for s in found)
    if options["shouting-in-clauses"] and "shouting" in measured and not shouted:
        found += detector.shouted_clauses(text)
    return found


Span = tuple[int, int, Any]


def upset_before(convo: Conversation, view: TurnView) -> bool:
    """Whether the customer is upset before ``view`` (the detector, with
    persistence); a template, with no customer turns, counts as upset."""
    mood = convo.mood_before(view.index, 0)
    return mood is None or mood.upset


def sentence_start(view: TurnView, start: int) -> int:
    """The start of the sentence ``start`` falls in (``start`` if none), leading
    spaces left out."""
    s0, _ = view.tokens().sentence_of(start, start + 1)
    while s0 < start and view.text[s0].isspace():
        s0 += 1
    return s0


def next_sentence_end(view: TurnView, end: int, limit: int, this: bool = False) -> int:
    """The end of the sentence after the one ``end`` falls in (trailing spaces
    left out), at most ``limit`` (where the turn's next finding starts); ``end``
    itself when that sentence is the turn's last. ``this``: the end of the
    sentence ``end`` falls in instead."""
    sentences = view.tokens().sentences
    at = next((i for i, (s0, s1) in enumerate(sentences) if s0 <= max(end - 1, 0) < s1), None)
    if at is None or (not this and at + 1 >= len(sentences)):
        return end
    stop = min(sentences[at if this else at + 1][1], limit)
    while stop > end and view.text[stop - 1].isspace():
        stop -= 1
    return max(end, stop)


def merge_close(
    spans: list[Span], text: str, limit: int = MERGE_GAP, across: bool = False
) -> list[list[Span]]:
    """Group (start, end, kind) spans into runs of close neighbours in one
    sentence (``limit`` characters at most between them); ``across``: a
    sentence end between them does not part them ("Are you even listening?
    I said it twice." is one retort, not two)."""
    runs: list[list[Span]] = []
    for span in spans:
        if runs:
            last_end = max(s[1] for s in runs[-1])
            gap = text[last_end : span[0]]
            near = len(gap) <= limit and (across or not _SENTENCE_END.search(gap))
            if span[0] < last_end or near:
                runs[-1].append(span)
                continue
        runs.append([span])
    return runs
