"""Cross-turn sequence: an agent act judged by the customer's mood before it.

An agent ``trigger`` (moving to email, a cold transfer, a joke...) is a
finding when the customer is upset at that point, as the escalation
detector judges it (upset lasts until the customer calms down; see
escalation.py), unless:

* an earlier customer turn asked for it (``unless_customer_asked``: "can you
  email me the details?", "put me through to billing");
* the same agent turn also does what makes it right (``unless_same_turn``: a
  warm hand-over, a hold with a reason and permission);
* an earlier agent turn did (``unless_agent_before``: a calm warning about
  abusive language before ending the call).

An excuse pattern may carry a ``kind``: it then excuses only triggers of that
kind (a customer who asked for a manager has asked to be transferred, not to
be hung up on). An excuse without a kind excuses every trigger.

A trigger marked ``fallback = true`` is the finding's evidence only in a turn
with no other act (a goodbye after "I'll end the call now").

A template has no customer turns, so the rule cannot judge it, unless the
template says in its own words that its reader is upset (``template_upset``:
"we understand how frustrating this is"); otherwise it says so in a notice
when the phrase is there. In a language the detector does not cover
the mood cannot be judged either, and a notice says so.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Any

from ..context import Conversation, TurnView
from ..escalation import EscalationDetector, Mood, asks_something
from ..model import Finding, Notice, Role
from ..patterns import Hit
from . import GroupSpec, OptionSpec, register
from .common import group, kept, notice

if TYPE_CHECKING:
    from ..rulepack import Rule
    from ..screen import Screen


def quiet(
    screen: Screen, led: bool, threshold: int, bare: bool = False, complaint_words: int = 0
) -> list[Finding | Notice] | None:
    """Without a trigger, nothing to judge. With one, a finding needs an upset
    customer (or, with ``bare``, a reply that is only the act; with
    ``complaint_words``, a customer turn that long), and a notice a template or
    a language the detector does not cover: when none of them can be, nothing
    either."""
    if not led:
        return []
    if bare or screen.transcript.template or screen.may_be_upset(threshold):
        return None
    detector = EscalationDetector.default()
    if complaint_words and any(
        detector.words(text) >= complaint_words for text in screen.texts(Role.CUSTOMER)
    ):
        return None
    if any(not detector.reads_language(lang) for lang in screen.languages(Role.AGENT)):
        return None
    return []


@register(
    "sequence",
    groups=[
        GroupSpec("trigger", "agent", True, "the agent's act"),
        GroupSpec(
            "unless_customer_asked",
            "customer",
            False,
            "an earlier customer request for it",
            leads=False,
        ),
        GroupSpec(
            "unless_same_turn",
            "agent",
            False,
            "what makes the act right in its own turn",
            leads=False,
        ),
        GroupSpec(
            "unless_agent_before",
            "agent",
            False,
            "what makes it right said in an earlier turn",
            leads=False,
        ),
        GroupSpec(
            "cut_off",
            "customer",
            False,
            "marks of a customer turn broken off (a dash): an act of a `cut-in-kinds` "
            "kind opening the agent's next turn, with more said after it, stops them "
            "talking rather than doing the act",
            leads=False,
            at_end=True,
        ),
        GroupSpec(
            "taken_over",
            "agent",
            False,
            "the first words of whoever takes over, in the agent turn right after a "
            'hand-over (a greeting and a name: "Hi, Jordan here"): the act of a '
            "`taken-over-kinds` kind before it left nobody waiting",
            leads=False,
        ),
        GroupSpec(
            "template_upset",
            "agent",
            False,
            "in a template: its own words saying the reader is upset",
            leads=False,
        ),
    ],
    doc="Flags an agent `trigger` while the customer is upset (the escalation detector, "
    "with persistence), unless the customer asked for it (`unless_customer_asked`), the "
    "same turn makes it right (`unless_same_turn`) or an earlier agent turn did "
    "(`unless_agent_before`).",
    options=[
        OptionSpec(
            "upset-threshold",
            int,
            "the escalation detector's score at which the customer counts as upset "
            "for this rule (0: the detector's own threshold); lower for an act that "
            "is wrong with a customer who is only a little upset",
            default=0,
        ),
        OptionSpec(
            "evidence",
            str,
            "which act a turn with several is quoted by: `first`, `last` (where "
            "the act that leaves the customer comes after the clause that says whose "
            "job it is: \"that's billing, I'll transfer you\"), or `span`: from the first "
            "through the acts that follow it closely (a laugh and the joke it goes "
            'with: "Haha I know! Look on the bright side, leftovers for tomorrow 😂")',
            choices=("first", "last", "span"),
            default="first",
        ),
        OptionSpec(
            "cut-in-kinds",
            list,
            "kinds of act that, opening the agent's turn right after a customer turn "
            "that broke off (`cut_off`) and followed by more in the same turn, are a "
            'cut-in ("hold on, hold on, what\'s your number?"), not the act',
            default=[],
        ),
        OptionSpec(
            "complaint-words",
            int,
            "a customer turn of at least this many words that asks nothing (no question "
            "mark) and does not calm down counts as upset for this rule in the first "
            "agent turn that answers it (0: off): someone who has just told "
            "at length what went wrong is in no mood for a joke, even in words the "
            "detector does not read",
            default=0,
        ),
        OptionSpec(
            "bare-kinds",
            list,
            "kinds of act that, when the agent's turn is that act and nothing more "
            '("Hold on.", "Moment.", "稍等。"), are flagged whatever the detector says of '
            "the customer's mood: a reply that is only the act is itself the brush-off",
            default=[],
        ),
        OptionSpec(
            "taken-over-kinds",
            list,
            "kinds of act that are not flagged when the transcript's next turn is "
            "an agent's opening as someone taking over (`taken_over`: \"Connecting you "
            'now." then "Hi, I\'m Leah, I\'ve read the chat"): nobody was left waiting',
            default=[],
        ),
    ],
    quiet=lambda rule, screen, options, led: quiet(
        screen,
        led,
        _threshold(options),
        bool(options.get("bare-kinds")),
        int(options.get("complaint-words", 0)),
    ),
)
def check(
    rule: Rule, convo: Conversation, options: Mapping[str, Any]
) -> Iterator[Finding | Notice]:
    detector = EscalationDetector.default()
    threshold = _threshold(options)
    # Walk the turns once, keeping which kinds of act earlier turns excused
    # (None: every kind): a long call must not rescan its history.
    asked: set[str | None] = set()
    agent_before: set[str | None] = set()
    uncovered = False
    cut_in_kinds = set(options.get("cut-in-kinds") or ())
    taken_over: set[str | None] = set(options.get("taken-over-kinds") or ())
    broke_off = False
    complaint = int(options.get("complaint-words", 0))
    last_customer: TurnView | None = None
    for view in convo.views:
        if view.is_customer:
            last_customer = view
            if None not in asked:
                asked |= _kinds(convo.hits(group(rule, view, "unless_customer_asked"), view))
            found = group(rule, view, "cut_off") if cut_in_kinds else None
            broke_off = found is not None and convo.tail_hit(found, view) is not None
            continue
        if not view.is_agent:
            broke_off = False
            continue
        after_cut_off, broke_off = broke_off, False
        # The customer turn this agent turn is the first to answer, if any: a long
        # complaint asks for a serious first reply, not for every later turn.
        answering, last_customer = last_customer, None
        # Hits first, their scope last: most triggers are excused, or come in a
        # turn that makes them right, and then no negation needs judging.
        excused = asked | agent_before
        raw = _unexcused(convo.hits(group(rule, view, "trigger"), view), excused)
        if None not in agent_before:
            agent_before |= _kinds(convo.hits(group(rule, view, "unless_agent_before"), view))
        if not raw:
            continue
        here = _kinds(convo.hits(group(rule, view, "unless_same_turn"), view))
        if here:
            # A hold asked for with a reason excuses that hold, not a cold
            # transfer beside it: an excuse with a kind excuses that kind only.
            excused = excused | here
            raw = _unexcused(raw, excused)
            if not raw:
                continue
        hits = _unexcused(kept(rule, convo, view, "trigger"), excused)
        if taken_over and hits and _taken_over(rule, convo, view.index):
            hits = _unexcused(hits, taken_over)
        if after_cut_off and hits:
            hits = _without_cut_in(view.text, hits, cut_in_kinds)
        if not hits:
            continue
        mood = convo.mood_before(view.index, threshold)
        if mood is None and convo.transcript.template:
            # A template has no customer turns, but it can say whom it is for:
            # "we understand how frustrating this is" is written to an upset reader.
            said = convo.hits(group(rule, view, "template_upset"), view)
            if said:
                shown = view.turn.text[said[0].start : said[0].end]
                mood = Mood(True, None, f'the template itself says so: "{shown}"')
        if mood is None:
            if convo.transcript.template:
                yield notice(
                    rule,
                    convo,
                    f"turn {view.index + 1}: "
                    f'"{view.turn.text[hits[0].start : hits[0].end]}" is right or wrong '
                    "depending on the customer's mood, which a template cannot show",
                )
            continue
        if not detector.covers(convo, view) and not uncovered:
            uncovered = True
            yield notice(
                rule,
                convo,
                f"the customer's mood cannot be judged in language {view.language!r} "
                "(the escalation detector has no concepts for it); not checked",
            )
        if not mood.upset and complaint and answering is not None:
            mood = _complained(detector, convo, answering, complaint) or mood
        bare = None
        if not mood.upset and _alone(convo, view.index):
            bare = _bare(view.turn.text, hits, options.get("bare-kinds"))
        if mood.upset or bare is not None:
            # An act marked ``fallback`` (a goodbye closing the turn) is quoted
            # only when the turn has no other: "I'm going to end the call now,
            # have a good day" is quoted by the ending it announces.
            quotable = [h for h in hits if not h.pattern.attrs.get("fallback")] or hits
            hit = quotable[-1] if options.get("evidence") == "last" else quotable[0]
            end = _span_end(quotable) if options.get("evidence") == "span" else hit.end
            detail = f"The customer is upset ({mood.reason})."
            if bare is not None:
                hit, end = bare, bare.end
                detail = "The whole reply is this act, with nothing said around it."
            kind = hit.pattern.attrs.get("kind")
            if bare is not None and f"{kind}-bare" in rule.messages:
                kind = f"{kind}-bare"  # its own message: the customer may be calm
            yield convo.finding(rule, view, hit.start, end, kind=kind, detail=detail)


def _complained(
    detector: EscalationDetector, convo: Conversation, view: TurnView, words: int
) -> Mood | None:
    """Upset for ``complaint-words``: the customer turn ``view`` tells what went
    wrong in ``words`` words or more, asks nothing and does not calm down
    ("thanks, that's sorted"); None otherwise."""
    if asks_something(view.text):
        return None  # a turn that asks something is an inquiry, told at length or not
    if not detector.covers(convo, view):
        return None  # the mood cannot be judged in its language (the rule says so once)
    if detector.words(view.text) < words or detector.calms_down(convo, view):
        return None
    return Mood(
        True,
        view.index,
        f"turn {view.index + 1} tells at length what went wrong and does not calm down",
    )


#: With ``evidence = "span"``, an act starting at most this many characters after
#: the end of the one before it is quoted with it ("Haha I know, I know! Look on
#: the bright side ... 😂"); further apart, they are separate remarks.
_SPAN_GAP = 60


def _span_end(hits: list[Hit]) -> int:
    """Where the evidence of ``evidence = "span"`` ends: the end of the last of
    the acts that follow the first, each within ``_SPAN_GAP`` characters of the
    one before."""
    ordered = sorted(hits, key=lambda h: (h.start, h.end))
    end = ordered[0].end
    for hit in ordered[1:]:
        if hit.start > end + _SPAN_GAP:
            break
        end = max(end, hit.end)
    return end


#: A cut-in opening starts within this many characters of the turn's start
#: ("Sir, sir, hold on", "Uncle, uncle. Wait."), and its acts follow each other
#: with at most this many characters between them ("Moment, Moment").
_OPENING_REACH = 16
_CHAIN_GAP = 3
#: Word characters the turn must go on with after the opening for it to be a
#: cut-in ("hold on, what's your number?"); a turn that is only "Hold on." parks.
_MORE_SAID = 5


def _without_cut_in(text: str, hits: list[Hit], kinds: set[str]) -> list[Hit]:
    """``hits`` without the acts of ``kinds`` that open the turn and are followed
    by more said: after a customer turn that broke off, "Ma'am, hold on, the
    system is offline" and "哎您等会儿等会儿，您先说订单号" stop the customer
    talking (an interruption), they do not park them on hold."""
    chain: list[Hit] = []
    for hit in sorted(hits, key=lambda h: (h.start, h.end)):
        if hit.pattern.attrs.get("kind") not in kinds:
            continue
        if not chain:
            if hit.start > _OPENING_REACH:
                break
        elif hit.start > chain[-1].end + _CHAIN_GAP:
            break
        chain.append(hit)
    if not chain:
        return hits
    end = max(h.end for h in chain)
    if sum(ch.isalnum() for ch in text[end:]) < _MORE_SAID:
        return hits
    dropped = {id(h) for h in chain}
    return [h for h in hits if id(h) not in dropped]


#: Letters and digits a reply may have besides the act and still be only the act
#: ("Okay sir. Hold on.", "Moment, bitte."): more is a reply that says something.
#: A Chinese character counts as a word's worth (``_HAN_WEIGHT``): "好的，稍等" is
#: only the hold, "你等一哈，我看一下" gives a reason; a Hangul syllable half that
#: ("잠시만 기다려 주세요. 택배사가 늦어요." gives a reason).
_BARE_REST = 8
_HAN_WEIGHT = 3
_HANGUL_WEIGHT = 2


def _bare(text: str, hits: list[Hit], kinds: Any) -> Hit | None:
    """The act of one of ``kinds`` that is the whole reply ("Hetki.", "Bleiben Se
    dran.", "잠시만 기다려 주세요"), with at most ``_BARE_REST`` letters or digits
    around it; None when there is none, or the reply says more."""
    wanted = set(kinds or ())
    for hit in hits:
        if hit.pattern.attrs.get("kind") not in wanted:
            continue
        rest = text[: hit.start] + text[hit.end :]
        if sum(_weight(ch) for ch in rest) <= _BARE_REST:
            return hit
    return None


def _alone(convo: Conversation, index: int) -> bool:
    """Whether the agent turn at ``index`` starts the agent's reply to a customer
    turn. In a chat split into messages ("let me check that." / "one moment
    please") a message after the agent's own is not the whole reply. One
    before the agent's next is (a hold, then the agent back after it): writers
    label that hold, so a chat's "Hold on." / "I'm checking the tracking" is
    flagged too (measured: requiring the next turn to be the customer's lost a
    label on rounds 19 and 20 each)."""
    return index > 0 and convo.views[index - 1].is_customer


def _taken_over(rule: Rule, convo: Conversation, index: int) -> bool:
    """Whether the turn after the agent turn at ``index`` is an agent's that opens
    as someone taking over (``taken_over``): a bot's "Connecting you to an agent."
    answered by the colleague's "Hi, Jordan here, I've read your chat"."""
    following = index + 1
    if following >= len(convo.views) or not convo.views[following].is_agent:
        return False
    view = convo.views[following]
    return bool(convo.hits(group(rule, view, "taken_over"), view))


def _weight(ch: str) -> int:
    """How much one character of a reply says: 0 for punctuation and spaces,
    ``_HAN_WEIGHT`` for a Chinese character, ``_HANGUL_WEIGHT`` for a Hangul
    syllable, 1 for any other letter or digit."""
    if not ch.isalnum():
        return 0
    if "\u3400" <= ch <= "\u9fff":
        return _HAN_WEIGHT
    return _HANGUL_WEIGHT if "\uac00" <= ch <= "\ud7a3" else 1


def _threshold(options: Mapping[str, Any]) -> int:
    """The rule's ``upset-threshold`` (0: the detector's own)."""
    return int(options.get("upset-threshold", 0))


def _kinds(hits: list[Hit]) -> set[str | None]:
    """The kinds of act these excuse hits excuse (None: every kind)."""
    return {hit.pattern.attrs.get("kind") for hit in hits}


def _unexcused(hits: list[Hit], excused: set[str | None]) -> list[Hit]:
    """The trigger hits no excuse covers (``excused``: the kinds excused, None: all)."""
    if None in excused:
        return []
    return [hit for hit in hits if hit.pattern.attrs.get("kind") not in excused]
