"""First reply: after each upset customer turn, does the agent's next reply do X?

Used by missing-empathy: the first agent reply after a customer turn that is
upset on its own (the escalation detector's ``assess``) must hold an
``expected`` phrase (an acknowledgement of the customer's feelings or
situation); an apology is not in that list, so an apology alone does not
count. Why the turn's own judgement and not the detector's persistence: a
customer who is still upset but now only reads out an account number is not
asking to be heard again; every turn where they say how they feel is, so
while they are still upset a milder word (``still-upset-score`` of the
pack's ``still-upset-signals``) is enough (round 4, chosen on it after its
blind measurement, so a development figure: recall 0.50 -> 0.55, precision
0.94 -> 0.92). And while nobody has acknowledged them since they became upset,
a customer who pushes back ("!") or explains again at length without a
listed word is judged too (``unheard-words``, ``unheard-marks``): writers
flag every bare reply to such a turn, and pattern lists never caught the
ways people say it (development rounds 10-13: recall 0.62 -> 0.72, precision
0.91 -> 0.89; held-out round 14: 0.58 -> 0.69 at 0.92). Once the agent has
acknowledged them, later procedural replies are not asked to do it again,
so a well-handled conversation stays silent. A turn below the threshold that
says how the customer feels with an exclamation mark ("...and my flight is
tomorrow!") is judged too (``exclaimed-marks``; fifteenth session, development rounds
10-13 + 15: 52 more findings, 47 labelled; no clean conversation). Neither
milder path judges a customer whom an agent turn has acknowledged since they
became upset: "And what now?" or "Seriously, when?" after "I can hear how
stressful this is" asks for the next step, not to be heard again; a turn upset
on its own still is (nineteenth session, development rounds 10-13, 15, 16, all
languages: 52 findings fewer, 12 of them labelled; 21 more clean conversations
silent; held-out round 14: 10 fewer, 2 labelled, 5 more clean silent). With
``judged-after-heard`` false (twentieth session) not even a turn upset on its
own is, until the customer calms down and becomes upset again: writers leave
the reply to "ya wee prick" after "I know you're fed up" unflagged
(development rounds 10-17: 65 findings fewer, 28 of them labelled, 24 more
clean conversations silent; held-out round 18: 19 fewer, 3 labelled).

Two kinds of turn are not judged (nineteenth session, Chinese and Korean
development rounds 10-13, 15, 16: 14 findings fewer, none labelled, 11 more
clean conversations silent; held-out round 14: 3 fewer, none labelled): a
customer still upset who says so mildly and calms down in the same turn
("Really? Oh thank goodness."), and a customer who answers "yes, that's it"
(the pack's ``confirms``) to a reply that acknowledged them or told their
problem back, unless they say a feeling anew (``confirm-signals``).

A customer heard since they became upset (after being calm) who then insults
or swears (``heard-through-signals``) is not judged either, until they calm
down, unless a reply since was flagged or the turn protests at the agent's own
conduct (the pack's ``protests``: "Don't talk to me like I'm an idiot" after
"It's not that complicated" is fresh upset; session 22).

Agent turns made only of ``skip_turn`` phrases (listening noises, "one
moment") are not the reply: the next agent turn is. Nor is a bot's handover
line (``relay-marks``: "[Bot] Connecting you to a person") when the next turn
is an agent's that acknowledges the customer (session 22). Customer turns in a row
are answered by one reply, judged once. A negated acknowledgement ("I don't
understand why you're upset") does not count.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Any, NamedTuple

from ..context import Conversation, TurnView
from ..escalation import Escalation, EscalationDetector
from ..model import Finding, Notice, Role
from ..regexes import compile_pattern
from . import GroupSpec, OptionSpec, register
from .common import RELAY_MARKS, group, kept, opening, relay_marks, relayed, signals_option

if TYPE_CHECKING:
    from ..rulepack import Rule
    from ..screen import Screen

_LETTER = compile_pattern(r"\p{L}")
_HANDLE = compile_pattern(r"@\S+")
_DIGIT = compile_pattern(r"\p{N}")
#: A turn with this many digits is reading out a number (an account, an
#: address), not explaining again how things stand.
_NUMBER_DIGITS = 3
#: The concept of a number read out as words, digit by digit ("nine four eight").
_SPOKEN_DIGIT = "spoken_digit"


@register(
    "first-reply",
    groups=[
        GroupSpec("expected", "agent", True, "what the first reply must hold", leads=False),
        GroupSpec(
            "skip_turn", "agent", False, "turns made only of these are not the reply", leads=False
        ),
        GroupSpec(
            "confirms",
            "customer",
            False,
            'a customer turn opening with one of these ("yes, that\'s it") right after '
            "a reply that acknowledged them is not judged, unless it holds a "
            "`confirm-signals` signal",
            leads=False,
        ),
        GroupSpec(
            "protests",
            "customer",
            False,
            "a customer turn holding one of these (a protest at the agent's own conduct: "
            "\"Don't talk to me like I'm an idiot\") is judged even when it holds a "
            "`heard-through-signals` signal",
            leads=False,
        ),
    ],
    doc="For each customer turn that is upset on its own (the escalation detector), "
    "flags the agent's first reply after it when the reply holds no `expected` phrase "
    "(negation respected). Turns made only of `skip_turn` phrases are not the reply.",
    options=[
        OptionSpec(
            "still-upset-score",
            int,
            "a customer turn scoring this much in `still-upset-signals` while the "
            "customer is still upset from an earlier turn is judged too; 0: only "
            "turns upset on their own (a turn at the detector's threshold is "
            "upset on its own anyway)",
            default=0,
        ),
        OptionSpec(
            "unheard-words",
            int,
            "while the customer is still upset and no agent turn has acknowledged "
            "them since they became upset, a customer turn of this many words or "
            "more (not calming down, not a number read out) is judged too; 0: off",
            default=0,
        ),
        OptionSpec(
            "unheard-marks",
            list,
            "...as is such a turn holding any of these marks (an exclamation mark)",
            default=[],
        ),
        OptionSpec(
            "exclaimed-marks",
            list,
            "a customer turn below the detector's threshold that holds one of "
            "`still-upset-signals` and one of these marks (an exclamation mark) is "
            "judged too, upset before or not",
            default=[],
        ),
        OptionSpec(
            "judged-after-heard",
            bool,
            "a customer turn upset on its own is judged even when an agent turn has "
            "acknowledged them since they became upset; false: once acknowledged, no "
            "turn is judged until they calm down and become upset again",
            default=True,
        ),
        RELAY_MARKS,
        signals_option(
            "heard-through-signals",
            "a customer turn holding one of these signals (insults, swearing) is not "
            "judged when an agent turn has acknowledged them since they became upset "
            "after being calm, however often they were upset again since",
        ),
        signals_option(
            "confirm-signals",
            "the detector's signals that still get a `confirms` turn judged (a feeling "
            'said anew: "yes, and now I\'m scared")',
        ),
        signals_option(
            "still-upset-signals",
            "the detector's signals that count toward `still-upset-score`",
        ),
    ],
    quiet=lambda rule, screen, options, led: None if led else quiet(screen),
    detector_leads=True,
)
def check(
    rule: Rule, convo: Conversation, options: Mapping[str, Any]
) -> Iterator[Finding | Notice]:
    detector = EscalationDetector.default()
    still = int(options.get("still-upset-score", 0))
    kinds = frozenset(options.get("still-upset-signals", ()))
    unheard = _Unheard(
        int(options.get("unheard-words", 0)), tuple(options.get("unheard-marks", ()))
    )
    marks = tuple(options.get("exclaimed-marks", ()))
    anew = frozenset(options.get("confirm-signals", ()))
    rejudged = bool(options.get("judged-after-heard", True))
    relays = relay_marks(options)
    through = frozenset(options.get("heard-through-signals", ()))
    waiting: _Waiting | None = None
    heard = -1  # the last agent turn that acknowledged the customer
    flagged = -1  # the last agent turn this rule flagged
    for view in convo.views:
        if view.is_customer:
            if _confirms_heard(rule, detector, convo, view, anew):
                continue
            if waiting is None or not waiting.escalated:
                if (
                    through
                    and heard > flagged
                    and _heard_through(detector, convo, view, heard, through)
                    and not convo.hits(group(rule, view, "protests"), view)
                ):
                    # Heard once, then abuse: not a new reason to be heard; unless a
                    # reply since was flagged, or the turn protests at the agent's own
                    # conduct (the abuse answers a reply: "Don't talk to me like I'm
                    # an idiot" after "It's not that complicated").
                    continue
                state = _upset_turn(detector, convo, view, still, kinds, marks)
                if (
                    state is not None
                    and (not state.escalated or not rejudged)
                    and _heard_since(convo, view, heard)
                ):
                    # Already acknowledged since they became upset: a milder turn ("And
                    # what now?" after "I can hear how stressful this is") asks for the
                    # next step; unless `judged-after-heard`, so does any turn until they
                    # calm down ("I know you're fed up" then "ya wee prick").
                    state = None
                if state is not None:
                    detail = f"The customer was upset in turn {view.index + 1}: {state.describe()}."
                    waiting = _Waiting(state.escalated, detail)
                elif waiting is None and unheard.on:
                    why = unheard.pushes_back(detector, convo, view, heard)
                    if why is not None:
                        waiting = _Waiting(False, why)
            continue
        if not view.is_agent:
            continue
        if waiting is None:
            if unheard.on and _still_upset(convo, view) and kept(rule, convo, view, "expected"):
                heard = view.index
            continue
        if _only_skippable(rule, convo, view) or relayed(rule, convo, view, relays):
            continue
        detail = waiting.detail
        waiting = None
        if kept(rule, convo, view, "expected"):
            heard = view.index
            continue
        start, end = opening(view)
        if start == end:
            continue
        flagged = view.index
        yield convo.finding(rule, view, start, end, detail=detail)


class _Waiting(NamedTuple):
    """A customer turn waiting for the agent's reply."""

    #: Upset on its own: a later customer turn before the reply does not replace it.
    escalated: bool
    #: Why it is judged, for the finding's message.
    detail: str


def _upset_turn(
    detector: EscalationDetector,
    convo: Conversation,
    view: TurnView,
    still: int,
    kinds: frozenset[str],
    marks: tuple[str, ...] = (),
) -> Escalation | None:
    """The turn's judgement when it asks to be heard: upset on its own, (the
    customer still upset from earlier) saying again how they feel, or saying
    how they feel with an exclamation mark ("Now my whole order is gone!")."""
    # A customer still upset from before needs less to be heard again.
    primed = still > 0 and _still_upset(convo, view)
    wanted = min(still, detector.threshold) if primed else detector.threshold
    # One of ``kinds`` said with an exclamation mark is enough.
    loud = any(mark in view.text for mark in marks)
    if loud:
        wanted = min(1, wanted)
    # A turn that cannot reach that score is not judged hit by hit.
    if detector.most(convo, view) < wanted:
        return None
    state = detector.assess(convo, view)
    if state.escalated:
        return state
    if primed and _said(detector, state, kinds) >= still and not detector.calms_down(convo, view):
        # Not a turn that calms down either ("Really? Oh thank goodness.").
        return state
    # The mark must be the customer's own, not part of a signal made of it
    # ("！灯亮了！" is relief said loudly, not a feeling); nor is a turn that
    # calms down ("Are you serious? That's brilliant, thank you!").
    if loud and _said(detector, state, kinds, marks) >= 1 and not detector.calms_down(convo, view):
        return state
    return None


class _Unheard(NamedTuple):
    """A customer still upset, whom no agent turn has acknowledged since they
    became upset, who pushes back again without a listed signal ("Then why is
    the light still red?! Four days I've been paying for nothing.")."""

    words: int
    marks: tuple[str, ...]

    @property
    def on(self) -> bool:
        return self.words > 0 or bool(self.marks)

    def pushes_back(
        self, detector: EscalationDetector, convo: Conversation, view: TurnView, heard: int
    ) -> str | None:
        """Why the turn is judged (the finding's message), or None. Not when it
        calms down; then an exclamation mark, or ``words`` words or more that
        are not a number read out."""
        mood = convo.mood_before(view.index)
        if mood is None or not mood.upset or mood.since is None or heard > mood.since:
            return None
        text = view.text
        if detector.calms_down(convo, view):
            return None
        if any(mark in text for mark in self.marks):
            how = "pushed back"
        elif (
            self.words
            and detector.words(text) >= self.words
            and _digits(convo, view) < _NUMBER_DIGITS
        ):
            how = "explained again"
        else:
            return None
        return (
            f"The customer {how} in turn {view.index + 1}, still upset "
            f"({mood.reason}) and not acknowledged since."
        )
        return None


def _heard_through(
    detector: EscalationDetector,
    convo: Conversation,
    view: TurnView,
    heard: int,
    kinds: frozenset[str],
) -> bool:
    """Whether a customer turn holds one of ``kinds`` (insults, swearing) while
    an agent turn has acknowledged them since they became upset after being
    calm: "you useless prat" after "I can see why you're fed up" and a calm
    warning keeps them upset, it is not a new reason to be heard."""
    mood = convo.mood_before(view.index)
    if mood is None or not mood.upset or mood.began is None or heard <= mood.began:
        return False
    return any(s.kind in kinds for s in detector.assess(convo, view).signals)


def _digits(convo: Conversation, view: TurnView) -> int:
    """How many digits a turn reads out: written ("4471"), or spoken in a run
    that the language's ``spoken_digit`` concept matches ("nine four eight one
    two", "sechs-vier-acht", "kaks kolme nolla"), a run counting as a number."""
    count = len(_DIGIT.findall(view.text))
    lang = convo.profile_of(view)
    if lang is not None and _SPOKEN_DIGIT in lang.concepts:
        count += _NUMBER_DIGITS * len(convo.hits(lang.concept(_SPOKEN_DIGIT), view))
    return count


def _heard_since(convo: Conversation, view: TurnView, heard: int) -> bool:
    """Whether an agent turn (``heard``) has acknowledged the customer since
    they became upset."""
    mood = convo.mood_before(view.index)
    return mood is not None and mood.upset and mood.since is not None and heard > mood.since


def _confirms_heard(
    rule: Rule,
    detector: EscalationDetector,
    convo: Conversation,
    view: TurnView,
    anew: frozenset[str],
) -> bool:
    """Whether a customer turn answers "yes, that's it" (it opens with a
    ``confirms`` phrase, a leading @handle aside) to an agent reply that
    acknowledged them or told their problem back ("...对吗？" "对，都好几次了。"):
    the customer confirms they were heard, and the reply after it is not asked to
    do it again, unless the turn says a feeling anew (a signal of ``anew``)."""
    hits = convo.hits(group(rule, view, "confirms"), view)
    if not hits or _LETTER.search(_HANDLE.sub("", view.text[: hits[0].start])):
        return False
    reply = next(
        (
            v
            for v in reversed(convo.views)
            if v.index < view.index and v.is_agent and not _only_skippable(rule, convo, v)
        ),
        None,
    )
    if reply is None or not kept(rule, convo, reply, "expected"):
        return False
    if not anew:
        return True
    return _said(detector, detector.assess(convo, view), anew) == 0


def _still_upset(convo: Conversation, view: TurnView) -> bool:
    mood = convo.mood_before(view.index)
    return mood is not None and mood.upset


def _said(
    detector: EscalationDetector,
    state: Escalation,
    kinds: frozenset[str],
    unmarked: tuple[str, ...] = (),
) -> int:
    """The score of a turn's signals of ``kinds`` (chosen in the rule's pack:
    what a customer says about how they feel, not how it is typed), leaving
    out signs of the situation whose pattern says ``renews = false``, and
    signals whose text holds one of ``unmarked``."""
    return sum(
        detector.weight_of(s)
        for s in state.signals
        if s.kind in kinds and s.renews and not any(mark in s.text for mark in unmarked)
    )


def quiet(screen: Screen) -> list[Finding | Notice] | None:
    """Without a candidate of the detector's listed signals, a customer turn is
    upset on its measured signals alone (capitals, "!!"): when none is, nothing to flag."""
    detector = EscalationDetector.default()
    for text in screen.texts(Role.CUSTOMER):
        if detector.measured_score(text) >= detector.threshold:
            return None
    return []


def _only_skippable(rule: Rule, convo: Conversation, view: TurnView) -> bool:
    """True when every letter of the turn is inside a ``skip_turn`` phrase."""
    hits = convo.hits(group(rule, view, "skip_turn"), view)
    if not hits:
        return not _LETTER.search(view.text)
    text, last, rest = view.text, 0, []
    for hit in hits:
        rest.append(text[last : hit.start])
        last = hit.end
    rest.append(text[last:])
    return not _LETTER.search("".join(rest))
