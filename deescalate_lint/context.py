"""One conversation as the rules see it: prepared turns, languages, cached matches.

Rules never re-read or re-tokenise a turn: the analysis text, the token view
(built only the first time a rule asks for scope), and each pattern group's
hits are computed once per turn and shared by every rule.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeVar, cast

from .escalation import EscalationDetector, Mood
from .languages import LanguageProfile, Languages, shipped_languages
from .model import Finding, Transcript, Turn
from .nlp import Piece, Tokens, piece_around, tokenise
from .patterns import NO_STARTS, Hit, PatternGroup
from .scope import Scope, judge, may_be_governed, within
from .screen import Spoken
from .textprep import PreparedText, prepare

if TYPE_CHECKING:
    from .rulepack import Rule
    from .screen import Screen, ScreenedTurn

T = TypeVar("T")


@dataclass
class TurnView(Spoken):
    index: int
    turn: Turn
    language: str | None
    prepared: PreparedText
    profile: LanguageProfile | None = None
    _tokens: Tokens | None = field(default=None, repr=False)
    #: The turn as the screen scanned it (its candidates), when it was.
    screened: ScreenedTurn | None = field(default=None, repr=False)
    #: The last piece tokenised around a trigger (see ``tokens_near``).
    _piece: Piece | None = field(default=None, repr=False)

    @property
    def text(self) -> str:
        return self.prepared.analysis

    def tokens(self) -> Tokens:
        """The whole turn's tokens and sentences (tokenised once)."""
        if self._tokens is None:
            self._tokens = tokenise(self.prepared.analysis, self.profile)
        return self._tokens

    def tokens_near(self, start: int, end: int) -> Tokens:
        """Tokens that judge ``text[start:end]`` as the whole turn's would: a piece
        around it (``nlp.piece_around``; the last one is reused while it serves,
        so a long turn is tokenised about once), or the whole turn when the
        piece would be the whole turn anyway (short turns) or cannot be shown exact."""
        lang = self.profile
        if self._tokens is None and lang is not None:
            breaks = lang.sentence_break_pattern is not None
            piece = self._piece
            if piece is not None and piece.exact(start, end, lang.window, breaks):
                return piece.tokens
            piece = piece_around(self.text, start, end, lang, lang.window)
            if piece is not None:
                self._piece = piece
                return piece.tokens
        return self.tokens()


@dataclass
class Conversation:
    transcript: Transcript
    language: str | None
    views: list[TurnView]
    languages: Languages = field(default_factory=shipped_languages)
    _hits: dict[tuple[int, int], list[Hit]] = field(default_factory=dict, repr=False)
    #: Per threshold (0: the detector's), the mood as of each turn.
    _moods: dict[int, list[Mood | None]] = field(default_factory=dict, repr=False)
    #: Per (judgement, turn index): the judge and its verdict (``judged``).
    _judged: dict[tuple[str, int], tuple[object, Any]] = field(default_factory=dict, repr=False)

    @classmethod
    def build(
        cls,
        transcript: Transcript,
        language: str | None,
        turn_languages: Sequence[str | None],
        languages: Languages | None = None,
    ) -> Conversation:
        languages = languages or shipped_languages()
        views = []
        for i, turn in enumerate(transcript.turns):
            code = turn_languages[i]
            lang = languages.profiles.get(code) if code else None
            prepared = (
                prepare(
                    turn.text,
                    lang.quote_pattern,
                    lang.quote_marks,
                    lang.fold_map,
                )
                if lang
                else prepare(turn.text)
            )
            views.append(TurnView(i, turn, code, prepared, lang))
        return cls(transcript, language, views, languages)

    @classmethod
    def from_screen(cls, screen: Screen, languages: Languages) -> Conversation:
        """The conversation of a screened transcript: its analysis texts and
        candidates are the screen's (quotes are located only if a hit asks)."""
        views = []
        for turn in screen.turns:
            lang = turn.profile
            prepared = PreparedText(
                turn.turn.text,
                turn.analysis,
                turn.placeholders,
                lang.quote_pattern if lang else None,
                lang.quote_marks if lang else frozenset(),
            )
            views.append(TurnView(turn.index, turn.turn, turn.language, prepared, lang, None, turn))
        return cls(screen.transcript, screen.language, views, languages)

    def customer_views(self) -> list[TurnView]:
        return [v for v in self.views if v.is_customer]

    def mood_before(self, index: int, threshold: int = 0) -> Mood | None:
        """The customer's mood as of turn ``index`` (after their last turn before
        it), or None when the customer has not spoken yet. Computed once for the
        whole conversation and shared by every rule that asks. ``threshold``:
        the score to be upset at (0: the detector's; ``EscalationDetector.moods``)."""
        found = self._moods.get(threshold)
        if found is None:
            customers = self.customer_views()
            moods = EscalationDetector.default().moods(self, customers, threshold)
            # Per turn index: the mood after the last customer turn at or before it.
            by_index: list[Mood | None] = []
            current: Mood | None = None
            position = 0
            for view in self.views:
                if position < len(customers) and customers[position].index == view.index:
                    current = moods[position]
                    position += 1
                by_index.append(current)
            found = self._moods[threshold] = by_index
        return found[index - 1] if index > 0 else None

    def judged(
        self,
        judge: object,
        what: str,
        view: TurnView,
        compute: Callable[[Conversation, TurnView], T],
    ) -> T:
        """``compute(self, view)``, once per conversation, turn, judgement and judge:
        several rules and the mood ask the detector about the same turns."""
        key = (what, view.index)
        found = self._judged.get(key)
        if found is None or found[0] is not judge:
            value = compute(self, view)
            self._judged[key] = (judge, value)
            return value
        return cast(T, found[1])

    def agent_views(self) -> Iterator[TurnView]:
        return (v for v in self.views if v.is_agent)

    def hits(self, group: PatternGroup | None, view: TurnView) -> list[Hit]:
        """Non-overlapping hits of a pattern group, outside quotes and placeholders."""
        if group is None or not view.text:
            return []
        key = (id(group), view.index)
        cached = self._hits.get(key)
        if cached is None:
            cached = list(self.hits_from(group, view, 0))
            if cached:
                # Empty results are not kept: most groups miss most turns, and
                # a key per miss grows memory with a million-turn transcript.
                self._hits[key] = cached
        return cached

    def hits_from(self, group: PatternGroup, view: TurnView, pos: int) -> Iterator[Hit]:
        """``hits`` from offset ``pos`` of the turn on, as they are found (not
        cached: a caller that wants the next one only does not search further)."""
        screened = view.screened
        indices = screened.candidates(group) if screened is not None else None
        if indices is not None and not indices:
            return  # the scan found none of its patterns in the turn
        starts = screened.starts(group) if screened is not None else NO_STARTS
        last_end = -1
        at: int | None = pos
        while at is not None:
            start, at = at, None
            for hit in group.finditer(view.text, start, indices, starts):
                if hit.start < last_end:
                    continue
                if view.prepared.in_quote(hit.start, hit.end) or (
                    view.prepared.in_placeholder(hit.start, hit.end)
                ):
                    # A match the agent did not say must not hide a shorter
                    # one inside it that they did ("... bis {{uhrzeit}} Uhr
                    # mit Sicherheit wiederhergestellt"): search again just after.
                    at = hit.start + 1
                    break
                yield hit
                last_end = hit.end

    def tail_hit(self, group: PatternGroup, view: TurnView) -> Hit | None:
        """The group's match that ends where the turn's text ends, trailing white
        space aside (quotes and placeholders not skipped). The turn's candidates
        serve: a pattern that matches in the trimmed text may match in the whole turn."""
        indices = view.screened.candidates(group) if view.screened is not None else None
        return group.ending_at_end(view.text.rstrip(), indices)

    def scope(
        self,
        view: TurnView,
        start: int,
        end: int,
        gaps: Sequence[tuple[int, int]] = (),
    ) -> Scope:
        """Whether a negation or hedge governs ``text[start:end]``; ``gaps`` are
        stretches inside it (between the parts of a co-occurrence match) where
        a cue counts too."""
        lang = view.profile
        if lang is None or not may_be_governed(view.text, start, end, lang):
            return Scope()
        # Scope never reaches past the trigger's sentence and a few tokens of it:
        # only that much is tokenised (a 5 MB template with a trigger in every
        # line is judged in linear time, not re-tokenised around each trigger).
        found = judge(view.text, view.tokens_near(start, end), start, end, lang)
        if gaps and not (found.negated and found.hedged):
            inside = within(view.text, gaps, lang)
            found = Scope(found.negated or inside.negated, found.hedged or inside.hedged)
        return found

    @staticmethod
    def profile_of(view: TurnView) -> LanguageProfile | None:
        return view.profile

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
