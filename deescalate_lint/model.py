"""The data model: transcripts in, findings and notices out.

Everything here is a frozen dataclass so that a transcript read once can be
handed to many rules (and many processes) without anyone changing it under
another's feet, and so that findings compare and sort by value.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import Enum
from typing import Any, TypedDict

from .errors import InputError


class Role(str, Enum):
    """Who spoke a turn. Only the agent's behaviour is ever judged."""

    AGENT = "agent"
    CUSTOMER = "customer"


class Severity(str, Enum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def rank(self) -> int:
        return {"info": 0, "warning": 1, "error": 2}[self.value]


@dataclass(frozen=True)
class Turn:
    """One speaker's contribution: a chat message, a speech segment, a template."""

    speaker: str
    role: Role
    text: str
    start: float | None = None
    end: float | None = None
    #: Rules the transcript author asked to skip for this turn (``lint.ignore``).
    ignore: frozenset[str] = frozenset()
    #: 1-based line and column of the file where the turn's text starts, when the
    #: reader knows (plain-text transcripts; CSV rows and JSONL records: the line).
    line: int | None = field(default=None, compare=False)
    column: int | None = field(default=None, compare=False)


class Metadata(TypedDict):
    """Who handled a conversation and where (``METADATA_FIELDS``), each optional."""

    agent: str | None
    team: str | None
    queue: str | None
    date: str | None


def metadata(values: Mapping[str, str | None]) -> Metadata:
    """``values``' metadata keys as ``Metadata`` (a missing key is None)."""
    return Metadata(
        agent=values.get("agent"),
        team=values.get("team"),
        queue=values.get("queue"),
        date=values.get("date"),
    )


@dataclass(frozen=True)
class Transcript:
    """A conversation (or a single response template) as read from one source."""

    turns: tuple[Turn, ...]
    id: str | None = None
    language: str | None = None
    channel: str | None = None
    #: Where it came from, for messages: a file path, ``<stdin>`` or ``<string>``.
    path: str = "<string>"
    #: 1-based line of the source file where the transcript starts (JSONL), if known.
    line: int | None = None
    #: Rules the transcript author asked to skip for the whole transcript.
    ignore: frozenset[str] = frozenset()
    #: True when the text came from a response template rather than a conversation.
    template: bool = False
    #: Problems the reader worked around (bad timestamps...), reported as notices.
    warnings: tuple[str, ...] = ()
    #: Who handled it and where, when the source says (QA grouping; never judged).
    agent: str | None = None
    team: str | None = None
    queue: str | None = None
    #: The conversation's date as written by the source (ISO ``YYYY-MM-DD`` where known).
    date: str | None = None

    def missing_timing(self) -> str | None:
        """What the turns lack for a timing check, in words; None when every turn has
        both times. ``[mm:ss]`` stamps in a text transcript give start times only."""
        if self.has_timing or not self.turns:
            return None
        starts = all(t.start is not None for t in self.turns)
        ends = all(t.end is not None for t in self.turns)
        if starts and not any(t.end is not None for t in self.turns):
            return "the turns have start times but no end times"
        if starts or ends:
            return "some turns have no end time" if starts else "some turns have no start time"
        if any(t.start is not None or t.end is not None for t in self.turns):
            return "some turns have no start or end time"
        return "the turns have no start and end times"

    @property
    def metadata(self) -> Metadata:
        """``agent``, ``team``, ``queue`` and ``date``."""
        return Metadata(agent=self.agent, team=self.team, queue=self.queue, date=self.date)

    @property
    def has_timing(self) -> bool:
        """True when every turn carries both a start and an end time."""
        return bool(self.turns) and all(
            t.start is not None and t.end is not None for t in self.turns
        )


@dataclass(frozen=True)
class Citation:
    """A passage of the guidance that justifies a rule."""

    document: str
    title: str
    section: str
    lines: tuple[int, int]
    key_phrase: str
    #: One line in English: what the passage says and why it supports the rule.
    gloss: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "document": self.document,
            "title": self.title,
            "section": self.section,
            "lines": list(self.lines),
            "key_phrase": self.key_phrase,
            "gloss": self.gloss,
        }


@dataclass(frozen=True)
class Finding:
    """Something the agent said or did that escalates; ``evidence == text[start:end]``."""

    code: str
    rule: str
    severity: Severity
    path: str
    transcript: str | None
    turn: int
    speaker: str
    start: int
    end: int
    evidence: str
    message: str
    suggestion: str
    citations: tuple[Citation, ...]
    language: str | None = None
    #: The transcript's metadata (``Transcript.metadata``), for grouping findings.
    agent: str | None = None
    team: str | None = None
    queue: str | None = None
    date: str | None = None
    kind: str = field(default="finding", init=False)

    def sort_key(self) -> tuple[Any, ...]:
        return (self.path, self.transcript or "", self.turn, self.start, self.end, self.code)

    def to_dict(self) -> dict[str, Any]:
        """The JSON output's finding object, fields in ``FINDING_FIELDS`` order."""
        values = {name: getattr(self, name) for name in FINDING_FIELDS}
        values["severity"] = self.severity.value
        values["citations"] = [c.to_dict() for c in self.citations]
        return values


#: The fields of a finding in the JSON output, in order (docs/output-formats.md).
FINDING_FIELDS = (
    "kind",
    "code",
    "rule",
    "severity",
    "path",
    "transcript",
    "turn",
    "speaker",
    "start",
    "end",
    "evidence",
    "message",
    "suggestion",
    "citations",
    "language",
    "agent",
    "team",
    "queue",
    "date",
)

#: A transcript's optional metadata, as named in the canonical JSON and the findings.
METADATA_FIELDS = ("agent", "team", "queue", "date")


@dataclass(frozen=True)
class Notice:
    """A check that could not run, said out loud instead of passing silently."""

    code: str
    rule: str
    path: str
    transcript: str | None
    message: str
    kind: str = field(default="notice", init=False)

    def sort_key(self) -> tuple[Any, ...]:
        return (self.path, self.transcript or "", -1, -1, -1, self.code)

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "code": self.code,
            "rule": self.rule,
            "path": self.path,
            "transcript": self.transcript,
            "message": self.message,
        }


Result = Finding | Notice


@dataclass(frozen=True)
class Linted:
    """One unit of output, in input order: a transcript with its results, a
    notice about a whole source (an empty file), or a read error.

    Why one item rather than a flat stream of results: a reporter that needs
    the transcript (a template's line and column, JUnit's passing test cases)
    gets it with its results, and an error keeps its place among them.
    """

    #: The source's label: the path as given, ``<stdin>``, ``<string>``...
    source: str
    #: The transcript read, or None for a source-level notice or a read error.
    transcript: Transcript | None = None
    #: Findings and notices in the order the engine reports them.
    results: tuple[Result, ...] = ()
    error: InputError | None = None

    def outputs(self) -> tuple[Result | InputError, ...]:
        """The flat form (``Linter.lint_paths``): the error alone, or the results."""
        return (self.error,) if self.error is not None else self.results
