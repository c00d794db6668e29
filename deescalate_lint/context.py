"""One conversation as the rules see it: prepared turns, languages, cached matches.

Rules never re-read or re-tokenise a turn: the analysis text, the token view
(built only the first time a rule asks for scope), and each pattern group's
hits are computed once per turn and shared by every rule.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

from .languages import LanguageProfile, profile
from .model import Finding, Role, Transcript, Turn
from .nlp import Tokens, tokenise
from .patterns import Hit, PatternGroup
from .rulepack import Rule
from .scope import Scope, judge, may_be_governed
from .textprep import PreparedText, prepare

#: Turns longer than this many characters are tokenised piecewise (see ``scope``).
LONG_TURN = 100_000
#: Characters of context kept on each side of a trigger in a long turn.
SCOPE_CONTEXT = 2_000


@dataclass
class TurnView:
    index: int
    turn: Turn
    language: str | None
    prepared: PreparedText
    _tokens: Tokens | None = field(default=None, repr=False)

    @property
    def text(self) -> str:
        return self.prepared.analysis

    @property
    def is_agent(self) -> bool:
        return self.turn.role is Role.AGENT

    @property
    def is_customer(self) -> bool:
        return self.turn.role is Role.CUSTOMER

    def tokens(self) -> Tokens:
        if self._tokens is None:
            self._tokens = tokenise(self.prepared.analysis, self.language or "xx")
        return self._tokens


@dataclass
class Conversation:
    transcript: Transcript
    language: str | None
    views: list[TurnView]
    _hits: dict[tuple[int, int], list[Hit]] = field(default_factory=dict, repr=False)

    @classmethod
    def build(
        cls, transcript: Transcript, language: str | None, turn_languages: Sequence[str | None]
    ) -> Conversation:
        views = [
            TurnView(i, turn, turn_languages[i], prepare(turn.text))
            for i, turn in enumerate(transcript.turns)
        ]
        return cls(transcript, language, views)

    def agent_views(self) -> Iterator[TurnView]:
        return (v for v in self.views if v.is_agent)

    def hits(self, group: PatternGroup | None, view: TurnView) -> list[Hit]:
        """Non-overlapping hits of a pattern group, outside quotes and placeholders."""
        if group is None or not view.text:
            return []
        key = (id(group), view.index)
        cached = self._hits.get(key)
        if cached is None:
            cached = []
            last_end = -1
            for hit in group.finditer(view.text):
                if hit.start < last_end:
                    continue
                if view.prepared.in_quote(hit.start, hit.end):
                    continue
                if view.prepared.in_placeholder(hit.start, hit.end):
                    continue
                cached.append(hit)
                last_end = hit.end
            if cached:
                # Empty results are not kept: most groups miss most turns, and
                # a key per miss grows memory with a million-turn transcript.
                self._hits[key] = cached
        return cached

    def scope(self, view: TurnView, start: int, end: int) -> Scope:
        lang = self.profile_of(view)
        if lang is None or not may_be_governed(view.text, start, end, lang):
            return Scope()
        if len(view.text) <= LONG_TURN:
            return judge(view.text, view.tokens(), start, end, lang)
        # A very long turn is tokenised around the trigger only: spaCy refuses
        # texts over a million characters, and scope never reaches further than
        # a few tokens of the trigger's own sentence.
        w0 = max(0, start - SCOPE_CONTEXT)
        w1 = min(len(view.text), end + SCOPE_CONTEXT)
        piece = view.text[w0:w1]
        return judge(piece, tokenise(piece, view.language or "xx"), start - w0, end - w0, lang)

    @staticmethod
    def profile_of(view: TurnView) -> LanguageProfile | None:
        return profile(view.language) if view.language else None

    def finding(
        self,
        rule: Rule,
        view: TurnView,
        start: int,
        end: int,
        kind: str | None = None,
        detail: str | None = None,
    ) -> Finding:
        message = rule.message_for(kind)
        if detail:
            message = f"{message} {detail}"
        return Finding(
            code=rule.code,
            rule=rule.slug,
            severity=rule.severity,
            path=self.transcript.path,
            transcript=self.transcript.id,
            turn=view.index,
            speaker=view.turn.speaker,
            start=start,
            end=end,
            evidence=view.turn.text[start:end],
            message=message,
            suggestion=rule.suggestion_for(kind),
            citations=rule.citations,
            language=view.language,
        )
