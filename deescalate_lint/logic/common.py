"""Small pieces the logic types share: which hits survive their scope, and notices."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

import regex

from ..concepts import near_gaps
from ..context import Conversation, TurnView
from ..model import Notice
from ..patterns import Hit, PatternGroup

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
    kept = []
    for hit in hits:
        wanted = frozenset(hit.pattern.attrs.get("vetoes", vetoes))
        if wanted:
            parts = hit.pattern.attrs.get("near_parts")
            gaps = near_gaps(parts, view.text, hit.start, hit.end) if parts else ()
            scope = convo.scope(view, hit.start, hit.end, gaps)
            if ("negation" in wanted and scope.negated) or ("hedge" in wanted and scope.hedged):
                continue
        kept.append(hit)
    return kept


def kept(rule: Rule, convo: Conversation, view: TurnView, name: str) -> list[Hit]:
    """The hits of ``rule``'s group ``name`` in ``view`` that survive the rule's vetoes."""
    return surviving(convo, view, convo.hits(group(rule, view, name), view), rule.vetoes)


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
_OPENING = regex.compile(r"\s*((?:[^.;!?。！？\n]|(?<=\b\p{Lu}\p{Ll}{0,2})\.(?=[ \t]))+)")
#: Social-media handles the reply opens with (not words of the reply).
_HANDLES = regex.compile(r"\s*(?:@[\w.\-]+[:,]?\s+)+")
#: A first line that only greets: short, ending in a comma or colon.
_SALUTATION = regex.compile(r"[^\n]{1,60}?[,:，：、]\s*")
#: Evidence quoting an agent's opening is cut to about this many characters.
_OPENING_MAX = 60


def opening(view: TurnView) -> tuple[int, int]:
    """The agent's first words (up to the first sentence end, about 60
    characters): the evidence for what a turn did or failed to do as a whole.

    Leading @handles and a salutation on a line of its own ("Hi Bob,",
    "Sehr geehrte Frau Roth,") are skipped: the reply's first sentence is what
    a reader judges."""
    handles = _HANDLES.match(view.text)  # "@mia.travels That's not..." on social media
    match = _OPENING.match(view.text, handles.end() if handles else 0)
    if match and _SALUTATION.fullmatch(match.group(1)):
        match = _OPENING.match(view.text, match.end()) or match
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
    return start, end
