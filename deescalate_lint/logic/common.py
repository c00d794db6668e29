"""Small pieces the logic types share: which hits survive their scope, and notices."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from ..concepts import near_gaps
from ..context import Conversation, TurnView
from ..escalation import EscalationDetector
from ..model import Notice
from ..patterns import Hit, PatternGroup
from ..regexes import compile_pattern
from . import OptionSpec

if TYPE_CHECKING:
    from ..rulepack import Rule
    from ..screen import Screen


def surviving(
    convo: Conversation, view: TurnView, hits: Iterable[Hit], vetoes: frozenset[str]
) -> list[Hit]:
    """Hits not cancelled by a negation or hedge cue in scope (as the rule asks).

    A pattern can opt out of a veto with ``vetoes = []`` in its table, for
    triggers whose negation is part of the phrase ("this won't happen again").
    """
    return [hit for hit in hits if not _vetoed(convo, view, hit, vetoes)]


def _vetoed(
    convo: Conversation, view: TurnView, hit: Hit, vetoes: frozenset[str], inside: bool = True
) -> bool:
    """Whether a negation or hedge cue that the hit's pattern heeds governs it;
    ``inside``: a cue between the parts of a co-occurrence match counts too."""
    wanted = frozenset(hit.pattern.attrs.get("vetoes", vetoes))
    if not wanted:
        return False
    parts = hit.pattern.attrs.get("near_parts") if inside else None
    gaps = near_gaps(parts, view.text, hit.start, hit.end) if parts else ()
    scope = convo.scope(view, hit.start, hit.end, gaps)
    return bool(("negation" in wanted and scope.negated) or ("hedge" in wanted and scope.hedged))


def kept(rule: Rule, convo: Conversation, view: TurnView, name: str) -> list[Hit]:
    """The hits of ``rule``'s group ``name`` in ``view`` that survive the rule's vetoes.

    A vetoed match must not hide a shorter one inside it that is not vetoed:
    in "they'll sail through customs, no bother at all, I guarantee it" the
    long match holds the "no" that negates it, "I guarantee it" alone does not.
    """
    found = group(rule, view, name)
    hits = convo.hits(found, view)
    out = surviving(convo, view, hits, rule.vetoes)
    if len(out) == len(hits) or found is None:
        return out
    kept_ids = {id(h) for h in out}
    for vetoed in (h for h in hits if id(h) not in kept_ids):
        if _vetoed(convo, view, vetoed, rule.vetoes, inside=False):
            continue  # a cue before or after it governs every match within too
        at = vetoed.start + 1
        for _ in range(_MAX_RETRIES):
            inner = next(convo.hits_from(found, view, at), None)
            if inner is None or inner.start >= vetoed.end:
                break
            if any(h.start < inner.end and inner.start < h.end for h in out):
                break
            if not _vetoed(convo, view, inner, rule.vetoes):
                out.append(inner)
                break
            at = inner.start + 1
    out.sort(key=lambda h: (h.start, h.end))
    return out


#: How many shorter matches inside a vetoed one are tried before giving up.
_MAX_RETRIES = 4


def notice(
    rule: Rule, convo: Conversation | Screen, message: str, code: str | None = None
) -> Notice:
    return Notice(
        code=code or rule.code,
        rule=rule.slug,
        path=convo.transcript.path,
        transcript=convo.transcript.id,
        message=message,
    )


def group(rule: Rule, view: TurnView, name: str) -> PatternGroup | None:
    """The named pattern group of ``rule`` in the language of ``view`` (or None)."""
    pack = rule.packs.get(view.language or "")
    return pack.group(name) if pack else None


#: A period after a short capitalised word (Mr., Ms., Dr., Mag.) is an
#: abbreviation, not a sentence end: "Ms. Moreno," is not a sentence.
_OPENING = compile_pattern(r"\s*((?:[^.;!?。！？\n]|(?<=\b\p{Lu}\p{Ll}{0,2})\.(?=[ \t]))+)")
#: Social-media handles the reply opens with (not words of the reply).
_HANDLES = compile_pattern(r"\s*(?:@[\w.\-]+[:,]?\s+)+")
#: A first line that only greets: short, ending in a comma or colon.
_SALUTATION = compile_pattern(r"[^\n]{1,60}?[,:，：、]\s*")
#: Greetings in a row that ``opening`` steps over.
_GREETINGS_SKIPPED = 3
#: What may follow a greeting before the reply's words start.
_AFTER_GREETING = compile_pattern(r"[\s,:;.!?，：、；。！？~～]*")
#: A subject line is a heading: this long at most, and no sentence ends in it
#: with more words after (a date's "3.5." may close it).
_SUBJECT_MAX = 150
_SENTENCE_GOES_ON = compile_pattern(r"[.!?。！？]\s+\S")
#: Evidence quoting an agent's opening is cut to about this many characters.
_OPENING_MAX = 60


def opening(view: TurnView) -> tuple[int, int]:
    """The agent's opening words through the end of its first real sentence
    (that sentence cut to about 60 characters): the evidence for what a turn
    did or failed to do as a whole.

    A salutation on a line of its own ("Hi Bob,", "Sehr geehrte Frau Roth,")
    and a greeting (the language's ``greeting`` concept: "王先生您好！",
    "고객님께", "Dear Ms Hart, thank you...") are not the reply's words, so the
    quote runs on past them to the first sentence a reader judges; it starts
    at the greeting all the same, as a reader (and a QA lead's label) names a
    reply by its first words, unless the greeting has a line of its own (a
    quote stays on one line). Leading @handles are left out, and so is the
    subject line an email reply may open with (the language's ``subject_line``
    concept: "Subject:", "Betreff:", "제목:"), a heading and not the reply's
    words; a sentence that only introduces the agent or their team (the
    ``self_introduction`` concept: "This is Anna from billing.", "○○몰
    고객센터입니다.") is stepped over as a greeting is."""
    first = _past_subject(view)  # "제목: RE: 환불 요청" on a line of its own
    handles = _HANDLES.match(view.text, first)  # "@mia.travels That's not..." on social media
    match = _OPENING.match(view.text, handles.end() if handles else first)
    begin = match.start(1) if match else None
    for _ in range(_GREETINGS_SKIPPED):  # "尊敬的客户：您好！", "Hello! Hi Bob,"
        if not match:
            break
        after = _after_greeting(view, *match.span(1))
        if after is None and not _SALUTATION.fullmatch(match.group(1)):
            break
        if after is None or after >= match.end(1):
            # The whole sentence greets: the reply starts after its end mark.
            after = _past_marks(view.text, match.end())
        following = _OPENING.match(view.text, after)
        if following is None:
            break
        match = following
    if not match:
        stripped = view.text.strip()
        start = view.text.find(stripped[:1]) if stripped else 0
        return start, start + min(len(stripped), _OPENING_MAX)
    start, end = match.span(1)
    if end - start > _OPENING_MAX:
        space = view.text.rfind(" ", start, start + _OPENING_MAX)
        end = space if space > start else start + _OPENING_MAX
    while end > start and (view.text[end - 1].isspace() or view.text[end - 1] in ",:"):
        end -= 1
    if begin is None or end == start or "\n" in view.text[begin:start]:
        return start, end  # a salutation on a line of its own stays out of the quote
    return begin, end


def _past_subject(view: TurnView) -> int:
    """Where the subject line a reply opens with ends; 0 when it opens with none
    (or with a line that goes on into the reply's words, or the subject is all
    there is to quote)."""
    lang = view.profile
    if lang is None or "subject_line" not in lang.concepts:
        return 0
    text = view.text
    first = len(text) - len(text.lstrip())
    line_end = text.find("\n", first)
    if (
        line_end < 0
        or line_end - first > _SUBJECT_MAX
        or _SENTENCE_GOES_ON.search(text, first, line_end)  # "Subject: Refund. We cannot..."
        or _OPENING.match(text, line_end) is None  # nothing after it to quote
    ):
        return 0
    return line_end if _concept_at(view, "subject_line", first, line_end) else 0


def _after_greeting(view: TurnView, start: int, end: int) -> int | None:
    """Where the reply's words start when ``text[start:end]`` (its first
    sentence) opens with a greeting that stands alone or ends in a comma or
    colon ("Hi Bob,", "王先生您好：", "안녕하세요 고객님,"); else None.
    ``end`` itself when the greeting is the whole sentence."""
    intro = _concept_at(view, "self_introduction", start, end)  # "○○몰 고객센터입니다."
    if intro is not None and _past_marks(view.text, intro.end, end) >= end:
        return end
    hit = _concept_at(view, "greeting", start, end)
    if hit is None:
        return None
    rest = _past_marks(view.text, hit.end, end)
    if rest >= end:
        return end
    return rest if any(c in view.text[hit.end : rest] for c in ",:，：、") else None


def _concept_at(view: TurnView, concept: str, start: int, end: int) -> Hit | None:
    """The first hit of the language's ``concept`` in ``text[start:end]`` when it
    starts at ``start`` (the opening's greeting, introduction or subject);
    None when it starts later, or the language has no such concept."""
    lang = view.profile
    if lang is None or concept not in lang.concepts:
        return None
    hit = next(iter(lang.concept(concept).finditer(view.text[:end], start)), None)
    return hit if hit is not None and hit.start == start else None


def _past_marks(text: str, position: int, end: int | None = None) -> int:
    """Where the white space and punctuation from ``position`` on end."""
    found = _AFTER_GREETING.match(text, position, len(text) if end is None else end)
    return found.end() if found else position


#: A bot's line handing over to a person ("[Bot] Connecting you to a person"): see ``relayed``.
RELAY_MARKS = OptionSpec(
    "relay-marks",
    list,
    'an agent turn opening with one of these (a bot\'s line: "[Bot]") is not judged '
    "when the next turn is an agent's that holds an `expected` phrase",
    default=[],
)


def relay_marks(options: Mapping[str, Any]) -> tuple[str, ...]:
    """The rule's ``relay-marks``, case folded."""
    return tuple(str(mark).casefold() for mark in options.get("relay-marks", ()))


def relayed(rule: Rule, convo: Conversation, view: TurnView, marks: tuple[str, ...]) -> bool:
    """Whether an agent turn is a bot's line (it opens with one of ``marks``:
    "[Bot] Connecting you to a person") handing over to the next turn, an agent's
    that holds an ``expected`` phrase: that turn answers the customer, not the bot."""
    if not marks or not view.text.lstrip().casefold().startswith(marks):
        return False
    after = view.index + 1
    if after >= len(convo.views):
        return False
    following = convo.views[after]
    return following.is_agent and bool(kept(rule, convo, following, "expected"))


def signals_option(name: str, doc: str) -> OptionSpec:
    """A list option naming some of the escalation detector's signals, checked
    against the detector's own (read from its pack when a value is checked)."""
    return OptionSpec(name, list, doc, choices_from=_signal_kinds, default=[])


def _signal_kinds() -> tuple[str, ...]:
    return tuple(EscalationDetector.default().weights)
