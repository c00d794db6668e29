"""Small pieces the logic types share: which hits survive their scope, and notices."""

from __future__ import annotations

from collections.abc import Iterable

from ..context import Conversation, TurnView
from ..model import Notice
from ..patterns import Hit, PatternGroup
from ..rulepack import Rule


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
            scope = convo.scope(view, hit.start, hit.end)
            if ("negation" in wanted and scope.negated) or ("hedge" in wanted and scope.hedged):
                continue
        kept.append(hit)
    return kept


def notice(rule: Rule, convo: Conversation, message: str, code: str | None = None) -> Notice:
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
