"""Timing and cut-in traces: did the agent cut the customer off?

Signals, each from the rule's language pack or the timestamps:

* timing: the agent starts ``overlap`` seconds or more before the preceding
  customer turn ends. Overlap alone is not enough: speech-recognition segment
  ends carry trailing silence, and agents rightly start a backchannel ("mhm"),
  a closing ("thank you for calling") or an answer as a question ends. On
  the 17 real Harper Valley calls (times corrected 2026-12-03) the four
  overlaps, 0.40-0.87 s, are two "mhm" and two closings. So the
  timing signal also needs the customer to have been cut short: the
  overlapped stretch, at the customer's own speaking rate, must cover at least
  ``min-words-spoken-over`` words, and either the overlap is long
  (``long-overlap``, the customer kept talking) or the customer resumes within
  ``resume-window`` seconds of the agent's turn (they had not finished).
  A measured overlap is not proof of talking over when the customer's
  segment spans the agent's turn: speech recognisers cut a channel where its
  speaker pauses, so one caller segment can hold a question, the pause in
  which the agent answered, and the caller's reply. So the timing signal is
  dropped when the customer's words just before the agent came in (placed by
  the customer's own speaking rate, ``question-reach`` words back) hold a
  question or request from the pack's ``question`` group: the agent was
  answering. A talk-over in mid-explanation has no question there.
* cut-off: the customer turn before ends in a dash or an overlap annotation
  with no sentence-final punctuation (``--`` alone is weak: some transcribers
  end every unfinished thought with it). A trailing "..." is trailing off.
* protest: the next customer turn says "let me finish", "you're not listening".
* cut-in: the agent turn opens with "let me stop you there", "hold on, hold on".

Strong signals flag alone; a weak one needs another. Backchannels and
closings are never interruptions.
"""

from __future__ import annotations

import bisect
import itertools
from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Any

from ..context import Conversation, TurnView
from ..model import Finding, Notice, Role, Transcript
from ..regexes import compile_pattern
from . import GroupSpec, OptionSpec, register
from .common import group, notice, opening

if TYPE_CHECKING:
    from ..rulepack import Rule
    from ..screen import Screen

_LETTER = compile_pattern(r"\p{L}")
_SPACED_WORDS = compile_pattern(r"[\p{L}\p{N}'\-]+")
_UNSPACED = compile_pattern(r"[\p{Han}\p{Hiragana}\p{Katakana}]")
#: Average characters per word in writing without spaces (Chinese words are
#: mostly one or two characters), so speaking rates compare across languages.
_CHARS_PER_WORD = 1.6
#: A cut-in phrase must start within this many characters of the turn's start.
_CUT_IN_REACH = 12


@register(
    "timing",
    groups=[
        GroupSpec("cut_in", "agent", True, "openings that stop the customer mid-sentence"),
        GroupSpec("protest", "customer", True, "a customer protesting at being cut off"),
        GroupSpec("cut_off", "customer", True, "marks of speech cut off (strong)", at_end=True),
        # A weak mark flags only beside another signal, and every other signal
        # leads (or is a timing signal, which is always checked).
        GroupSpec("weak_cut_off", "customer", False, "marks of speech cut off (weak)", leads=False),
        GroupSpec(
            "trail_off", "customer", False, "marks of trailing off (not cut off)", leads=False
        ),
        GroupSpec("backchannel", "agent", True, "listening noises, never cut-ins", leads=False),
        GroupSpec("closing", "agent", True, "call closings, which may overlap", leads=False),
        GroupSpec("yielding", "agent", False, "handing the floor back", leads=False),
        GroupSpec(
            "question",
            "customer",
            False,
            "a question or request the agent answers",
            leads=False,
        ),
    ],
    options=[
        OptionSpec("overlap-threshold", float, "seconds of overlap before timing counts"),
        OptionSpec("long-overlap", float, "an overlap this long: the customer kept talking"),
        OptionSpec("resume-window", float, "the customer resuming this soon: not finished"),
        OptionSpec("min-words-spoken-over", float, "words talked over, at the customer's rate"),
        OptionSpec("question-reach", float, "words before the cut-in a question may start in"),
    ],
    doc="Flags an agent turn that cut the customer off: timed overlap with signs the "
    "customer had not finished, cut-off marks, a protest after, or a cut-in opening; "
    "backchannels, closings and answers to a question are never interruptions.",
    quiet=lambda rule, screen, options, led: None if led else quiet(rule, screen),
)
def check(
    rule: Rule, convo: Conversation, options: Mapping[str, Any]
) -> Iterator[Finding | Notice]:
    if _untimed(convo.transcript):
        yield _untimed_notice(rule, convo)
    views = convo.views
    # Neighbours found in one pass each, so a long call costs linear time.
    before, after = _customer_neighbours(views)
    resumes = _Resumes(views) if convo.transcript.has_timing else None
    for position, view in enumerate(views):
        if not view.is_agent or position == 0:
            continue
        previous = views[position - 1]
        customer = before[position]
        if customer is None:
            continue
        signals: list[tuple[str, str]] = []  # (strength, description)
        cut_in = _cut_in(rule, convo, view)
        if cut_in is not None and previous.is_customer:
            signals.append(("strong", "cut-in"))
        if previous.is_customer:
            mark = _cut_off_mark(rule, convo, previous)
            if mark:
                signals.append(mark)
        protest = _protest_after(rule, convo, after[position])
        if protest is not None:
            signals.append(("strong", f'protest: the customer replied "{protest}"'))
        if resumes is not None:
            timing = _timing_signal(rule, convo, options, views, position, customer, resumes)
            if timing:
                signals.append(("strong", timing))
        strong = [d for s, d in signals if s == "strong"]
        if not strong and len(signals) < 2:
            continue
        # Checked last, as it vetoes whatever the signals say: most agent turns
        # have no signal, and this check is the costliest (short needles such
        # as "mm" or "ok" occur in most texts).
        if _is_backchannel_or_closing(rule, convo, view):
            continue
        descriptions = [d for _, d in signals if d != "cut-in"]
        if cut_in is not None:
            start, end = cut_in
            kind = "cut-in"
        else:
            start, end = opening(view)
            kind = None
        if start == end:
            continue
        detail = ("Signs: " + "; ".join(descriptions) + ".") if descriptions else None
        yield convo.finding(rule, view, start, end, kind=kind, detail=detail)


def quiet(rule: Rule, screen: Screen) -> list[Finding | Notice] | None:
    """Without a cut-in, a cut-off mark or a protest, only timestamps could flag."""
    if screen.timed:
        return None
    both = Role.CUSTOMER in screen.roles and Role.AGENT in screen.roles
    return [_untimed_notice(rule, screen)] if both else []


def _untimed(transcript: Transcript) -> bool:
    """Both speakers spoke, and the turns have no times: the timing check cannot run."""
    roles = {turn.role for turn in transcript.turns}
    return Role.CUSTOMER in roles and Role.AGENT in roles and not transcript.has_timing


def _untimed_notice(rule: Rule, convo: Conversation | Screen) -> Notice:
    return notice(
        rule,
        convo,
        f"timing check not run: {convo.transcript.missing_timing()}; "
        "only textual signs of cutting in were checked",
    )


def _customer_neighbours(
    views: list[TurnView],
) -> tuple[list[TurnView | None], list[TurnView | None]]:
    """For each position, the nearest customer turn before it and after it."""
    before: list[TurnView | None] = []
    last: TurnView | None = None
    for view in views:
        before.append(last)
        if view.is_customer:
            last = view
    after: list[TurnView | None] = [None] * len(views)
    last = None
    for position in range(len(views) - 1, -1, -1):
        after[position] = last
        if views[position].is_customer:
            last = views[position]
    return before, after


class _Resumes:
    """Does a customer turn after a position start within a time range?

    Customer start times usually rise through a call; then a binary search
    answers at once. Otherwise (unordered times) the later turns are scanned.
    """

    def __init__(self, views: list[TurnView]) -> None:
        self.views = views
        timed = [v for v in views if v.is_customer and v.turn.start is not None]
        self.indices = [v.index for v in timed]
        self.starts = [float(v.turn.start or 0.0) for v in timed]
        self.ordered = all(a <= b for a, b in zip(self.starts, self.starts[1:], strict=False))

    def any_between(self, position: int, low: float, high: float) -> bool:
        """A customer turn after ``position`` with ``low < start <= high``."""
        if self.ordered:
            first = bisect.bisect_right(self.indices, position)
            at = bisect.bisect_right(self.starts, low, lo=first)
            return at < len(self.starts) and self.starts[at] <= high
        return any(
            v.is_customer and v.turn.start is not None and low < v.turn.start <= high
            for v in itertools.islice(self.views, position + 1, None)
        )


def _is_backchannel_or_closing(rule: Rule, convo: Conversation, view: TurnView) -> bool:
    text = view.text
    hits = convo.hits(group(rule, view, "backchannel"), view)
    if hits:
        rest = "".join(text[a:b] for a, b in _gaps(len(text), [(h.start, h.end) for h in hits]))
        if not _LETTER.search(rest):
            return True
    for name in ("closing", "yielding"):
        found = convo.hits(group(rule, view, name), view)
        if found and found[0].start <= _CUT_IN_REACH:
            return True
    return False


def _gaps(length: int, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out, last = [], 0
    for a, b in spans:
        out.append((last, a))
        last = b
    out.append((last, length))
    return out


def _cut_in(rule: Rule, convo: Conversation, view: TurnView) -> tuple[int, int] | None:
    for hit in convo.hits(group(rule, view, "cut_in"), view):
        if hit.start <= _CUT_IN_REACH:
            return hit.start, hit.end
    return None


def _cut_off_mark(rule: Rule, convo: Conversation, customer: TurnView) -> tuple[str, str] | None:
    tail = customer.text.rstrip()
    if not tail:
        return None
    for name, strength in (("trail_off", None), ("cut_off", "strong"), ("weak_cut_off", "weak")):
        found = group(rule, customer, name)
        if found is None:
            continue
        hit = convo.tail_hit(found, customer)
        if hit is not None:
            if strength is None:
                return None
            shown = customer.turn.text[hit.start : hit.end]
            return strength, f'the customer\'s turn {customer.index + 1} breaks off ("{shown}")'
    return None


def _protest_after(rule: Rule, convo: Conversation, later: TurnView | None) -> str | None:
    """The protest in the next customer turn (``later``), if it makes one."""
    if later is None:
        return None
    hits = convo.hits(group(rule, later, "protest"), later)
    return later.turn.text[hits[0].start : hits[0].end] if hits else None


def _timing_signal(
    rule: Rule,
    convo: Conversation,
    options: Mapping[str, Any],
    views: list[TurnView],
    position: int,
    customer: TurnView,
    resumes: _Resumes,
) -> str | None:
    agent = views[position].turn
    said = customer.turn
    if agent.start is None or said.end is None or said.start is None or agent.end is None:
        return None
    overlap = said.end - agent.start
    if overlap < float(options["overlap-threshold"]):
        return None
    duration = max(said.end - said.start, 1e-6)
    words = count_words(said.text)
    spoken_over = min(words, overlap * words / duration)
    if spoken_over < float(options["min-words-spoken-over"]):
        return None
    long_overlap = overlap >= float(options["long-overlap"])
    resumed = resumes.any_between(position, said.start, agent.end + float(options["resume-window"]))
    if not (long_overlap or resumed):
        return None
    came_in_at = (agent.start - said.start) * words / duration
    if _answers_question(rule, convo, customer, came_in_at, float(options["question-reach"])):
        return None
    how = "kept talking" if long_overlap else "tried to go on"
    return (
        f"started {overlap:.1f} s before the customer finished (about {spoken_over:.0f} "
        f"words spoken over) and the customer {how}"
    )


def _answers_question(
    rule: Rule, convo: Conversation, customer: TurnView, came_in_at: float, reach: float
) -> bool:
    """Whether a question or request begins in the ``reach`` words of the
    customer's turn before word ``came_in_at`` (where the agent started, at the
    customer's speaking rate), or one word after it (rates are estimates)."""
    hits = convo.hits(group(rule, customer, "question"), customer)
    if not hits:
        return False
    low = came_in_at - reach
    high = came_in_at + 1.0
    # Words before each hit, counted piece by piece (hits are in text order),
    # so a long turn with many hits is still read once.
    before, last = 0.0, 0
    for hit in hits:
        before += count_words(customer.text[last : hit.start])
        last = hit.start
        if before > high:
            return False
        if before >= low:
            return True
    return False


def count_words(text: str) -> float:
    """Words in ``text``; in Chinese (no spaces) characters / ``_CHARS_PER_WORD``."""
    unspaced = len(_UNSPACED.findall(text))
    spaced = (
        len(_SPACED_WORDS.findall(_UNSPACED.sub(" ", text)))
        if unspaced
        else len(_SPACED_WORDS.findall(text))
    )
    return spaced + unspaced / _CHARS_PER_WORD
