"""Counts over a run's items: conversations, agent turns, findings per rule,
per agent and per team, and the rate per 1,000 agent turns.

Why a module of its own: ``--statistics``, the text format's closing line and
the HTML report's summary all count the same things from the same
``model.Linted`` items, and must agree.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from .model import Finding, Linted, Notice, Role

#: What ``--statistics --by`` groups by.
GROUPINGS = ("rule", "agent", "team")
#: The group a transcript without that metadata is counted under.
UNKNOWN = "(unknown)"


def per_thousand(count: int, turns: int) -> float:
    """``count`` per 1,000 agent turns (0 when there are no agent turns)."""
    return round(count * 1000 / turns, 1) if turns else 0.0


@dataclass
class Group:
    """The conversations of one agent or team, and what was found in them."""

    conversations: int = 0
    agent_turns: int = 0
    findings: int = 0
    by_rule: Counter[str] = field(default_factory=Counter)

    @property
    def rate(self) -> float:
        return per_thousand(self.findings, self.agent_turns)

    def record(self, key: str, name: str) -> dict[str, Any]:
        return {
            key: name,
            "conversations": self.conversations,
            "agent_turns": self.agent_turns,
            "findings": self.findings,
            "per_1000_agent_turns": self.rate,
            "by_rule": dict(sorted(self.by_rule.items())),
        }


@dataclass
class Tally:
    """Everything counted over a run; ``add`` each item as it passes."""

    sources: set[str] = field(default_factory=set)
    conversations: int = 0
    with_findings: int = 0
    agent_turns: int = 0
    findings: int = 0
    #: Notices: checks that could not run (with ``--quiet`` they are not counted).
    notices: int = 0
    errors: int = 0
    #: (code, rule, severity) -> count.
    rules: Counter[tuple[str, str, str]] = field(default_factory=Counter)
    agents: dict[str, Group] = field(default_factory=dict)
    teams: dict[str, Group] = field(default_factory=dict)

    def add(self, item: Linted) -> None:
        self.sources.add(item.source)
        if item.error is not None:
            self.errors += 1
        findings = [r for r in item.results if isinstance(r, Finding)]
        self.notices += sum(1 for r in item.results if isinstance(r, Notice))
        self.findings += len(findings)
        for finding in findings:
            self.rules[(finding.code, finding.rule, finding.severity.value)] += 1
        transcript = item.transcript
        if transcript is None:
            return
        self.conversations += 1
        self.with_findings += bool(findings)
        turns = sum(1 for t in transcript.turns if t.role is Role.AGENT)
        self.agent_turns += turns
        for groups, name in ((self.agents, transcript.agent), (self.teams, transcript.team)):
            group = groups.setdefault(name or UNKNOWN, Group())
            group.conversations += 1
            group.agent_turns += turns
            group.findings += len(findings)
            group.by_rule.update(f.code for f in findings)

    def add_all(self, items: Iterable[Linted]) -> Tally:
        for item in items:
            self.add(item)
        return self

    def groups(self, by: str) -> list[tuple[str, Group]]:
        """Agents or teams, most findings per 1,000 agent turns first (ties by name)."""
        table = self.agents if by == "agent" else self.teams
        return sorted(table.items(), key=lambda kv: (-kv[1].rate, -kv[1].findings, kv[0]))

    def has(self, by: str) -> bool:
        """True when some transcript carries this metadata."""
        table = self.agents if by == "agent" else self.teams
        return any(name != UNKNOWN for name in table)

    def rule_rows(self) -> list[tuple[tuple[str, str, str], int]]:
        """Findings per rule, most frequent first (ties by code)."""
        return sorted(self.rules.items(), key=lambda item: (-item[1], item[0][0]))

    def summary_line(self) -> str:
        """``12 findings in 4 of 9 conversations (3 files); 2 checks not run``."""
        files = len(self.sources)
        text = (
            f"{_plural(self.findings, 'finding')} in {self.with_findings:,} of "
            f"{_plural(self.conversations, 'conversation')} ({_plural(files, 'file')})"
        )
        if self.notices:
            text += f"; {_plural(self.notices, 'check')} not run"
        if self.errors:
            text += f"; {_plural(self.errors, 'input')} not read"
        return text


def _plural(count: int, noun: str) -> str:
    return f"{count:,} {noun}{'' if count == 1 else 's'}"
