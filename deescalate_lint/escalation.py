"""The customer-escalation detector: how upset is the customer in a turn?

Its own module because several rules need the same judgement (moving an
upset customer to email today; more rules later). Signals and their weights
are data (``rules/detectors/escalation/``); negated mentions ("I don't want
to cancel") do not count.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import regex

from .context import Conversation, TurnView
from .errors import RulePackError
from .languages import profile
from .patterns import PatternGroup
from .resources import read_toml, shipped_rules_dir

_CASED_WORD = regex.compile(r"\b[\p{L}']+\b")


@dataclass(frozen=True)
class Signal:
    kind: str
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Escalation:
    score: int
    signals: tuple[Signal, ...]
    threshold: int

    @property
    def escalated(self) -> bool:
        return self.score >= self.threshold

    def describe(self) -> str:
        shown = ", ".join(f'"{s.text}" ({s.kind})' for s in self.signals[:3])
        return shown or "none"


def detector_dir() -> Path:
    return shipped_rules_dir() / "detectors" / "escalation"


@dataclass(frozen=True)
class EscalationDetector:
    threshold: int
    weights: dict[str, int]
    shouting: dict[str, Any]
    exclaiming: regex.Pattern[str]
    acronyms: frozenset[str]

    @staticmethod
    @lru_cache(maxsize=1)
    def default() -> EscalationDetector:
        data = read_toml(detector_dir() / "detector.toml")
        shouting = dict(data.get("shouting", {}))
        return EscalationDetector(
            threshold=int(data.get("threshold", 2)),
            weights={k: int(v) for k, v in data.get("weights", {}).items()},
            shouting=shouting,
            exclaiming=regex.compile(data.get("exclaiming", {}).get("pattern", "!{2,}")),
            acronyms=frozenset(a.casefold() for a in shouting.get("acronyms", [])),
        )

    def assess(self, convo: Conversation, view: TurnView) -> Escalation:
        signals: list[Signal] = []
        text = view.text
        groups = language_groups(view.language) if view.language else {}
        # Judging scope costs tokens; once a turn has enough signals to be
        # escalated and to explain why, the rest would change nothing.
        enough = self.threshold + max(self.weights.values(), default=2)
        score = 0
        for kind, group in groups.items():
            for hit in convo.hits(group, view):
                if score >= enough:
                    break
                if convo.scope(view, hit.start, hit.end).negated:
                    continue
                signals.append(
                    Signal(kind, hit.start, hit.end, view.turn.text[hit.start : hit.end])
                )
                score += self.weights.get(kind, 1)
        shout = self._shouting(text)
        if shout is not None:
            signals.append(
                Signal("shouting", shout[0], shout[1], view.turn.text[shout[0] : shout[1]])
            )
        exclaim = self.exclaiming.search(text)
        if exclaim:
            signals.append(Signal("exclaiming", exclaim.start(), exclaim.end(), exclaim.group()))
        signals.sort(key=lambda s: (-self.weights.get(s.kind, 1), s.start))
        score = sum(self.weights.get(s.kind, 1) for s in signals)
        return Escalation(score, tuple(signals), self.threshold)

    def _shouting(self, text: str) -> tuple[int, int] | None:
        min_letters = int(self.shouting.get("min_letters", 3))
        words = [m for m in _CASED_WORD.finditer(text) if any(c.isalpha() for c in m.group())]
        if not words:
            return None
        loud = [
            m
            for m in words
            if len(m.group()) >= min_letters
            and m.group().replace("ß", "").isupper()  # ß has no common capital: SCHEIßE
            and m.group().casefold() not in self.acronyms
        ]
        if len(loud) >= int(self.shouting.get("min_words", 2)) and len(loud) >= float(
            self.shouting.get("min_share", 0.3)
        ) * len(words):
            return loud[0].start(), loud[-1].end()
        return None


@lru_cache(maxsize=16)
def language_groups(language: str) -> dict[str, PatternGroup]:
    path = detector_dir() / f"{language}.toml"
    if not path.is_file():
        return {}
    data = read_toml(path)
    patterns = data.get("patterns", {})
    if not isinstance(patterns, dict):
        raise RulePackError(str(path), "[patterns] must be a table")
    lang = profile(language)
    return {
        name: lang.compile(f"{path} patterns.{name}", name, items)
        for name, items in patterns.items()
    }


def detector_examples(language: str) -> dict[str, list[str]]:
    path = detector_dir() / f"{language}.toml"
    if not path.is_file():
        return {}
    examples = read_toml(path).get("examples", {})
    return {k: list(v) for k, v in examples.items()}
