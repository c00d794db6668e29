"""One registry of reporters: an output format name -> how results are written.

A reporter is ``write(results, out, context=None)``. ``results`` is a stream
(findings and notices, in the order the engine produced them); ``context``
carries what a stream of results cannot: where a finding sits in its file
(line and column, known for response templates), the rules of the run (SARIF
metadata), whether to colour, and, for reporters registered ``grouped=True``
(JUnit), the results grouped per transcript, including clean ones.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol, TextIO

from ..errors import InputError
from ..model import Finding, Result


@dataclass(frozen=True)
class Position:
    """1-based line and column (in characters) of a finding in its file."""

    line: int
    column: int
    end_line: int
    end_column: int


@dataclass(frozen=True)
class TranscriptInfo:
    """One transcript that was linted, for reporters that list clean ones too."""

    path: str
    id: str | None
    line: int | None
    template: bool


@dataclass
class ReportContext:
    """What the CLI knows besides the results themselves."""

    rules: Sequence[Any] = ()
    color: bool = False
    tool_version: str = ""
    #: Filled as results stream past, keyed by :func:`result_key`.
    positions: dict[tuple[Any, ...], Position] = field(default_factory=dict)
    #: Filled for ``grouped`` reporters only: every transcript with its results.
    groups: list[tuple[TranscriptInfo, list[Result]]] = field(default_factory=list)
    #: Input errors (also written to stderr), for formats that record them.
    errors: list[InputError] = field(default_factory=list)

    def position(self, result: Result) -> Position | None:
        if not isinstance(result, Finding):
            return None
        return self.positions.get(result_key(result))


def result_key(finding: Finding) -> tuple[Any, ...]:
    return (finding.path, finding.transcript, finding.turn, finding.start, finding.end)


def position_in(text: str, start: int, end: int) -> Position:
    """Line and column of ``text[start:end]``, for a template read whole."""
    line = text.count("\n", 0, start) + 1
    column = start - (text.rfind("\n", 0, start) + 1) + 1
    end_line = text.count("\n", 0, end) + 1
    end_column = end - (text.rfind("\n", 0, end) + 1) + 1
    return Position(line, column, end_line, end_column)


class Reporter(Protocol):
    def __call__(
        self, results: Iterable[Result], out: TextIO, context: ReportContext | None = None
    ) -> None: ...


_REGISTRY: dict[str, Reporter] = {}
_GROUPED: set[str] = set()


def register(name: str, *, grouped: bool = False) -> Callable[[Reporter], Reporter]:
    def decorate(func: Reporter) -> Reporter:
        _REGISTRY[name] = func
        if grouped:
            _GROUPED.add(name)
        return func

    return decorate


def reporter(name: str) -> Reporter:
    _load_builtin()
    return _REGISTRY[name]


def is_grouped(name: str) -> bool:
    """True when the format needs ``context.groups`` (every transcript, clean or not)."""
    _load_builtin()
    return name in _GROUPED


def formats() -> list[str]:
    _load_builtin()
    return sorted(_REGISTRY)


def format_error(error: InputError) -> str:
    return f"error: {error}"


def _load_builtin() -> None:
    if _REGISTRY:
        return
    from . import github, json_format, junit, sarif, text  # noqa: F401
