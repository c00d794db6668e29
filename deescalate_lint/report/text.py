"""Human-readable output: a line per finding, the quoted evidence, the citation.

``text`` (the default) shows each finding with its evidence, suggestion and
first citation; ``concise`` one line per finding. A response template's
findings are located as ``path:line:column`` (editors jump there); a
conversation's as ``path:turn N (speaker)``. Colour (ANSI) is used only when
the CLI asks for it: on a terminal, unless ``NO_COLOR`` is set.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TextIO

from ..model import Finding, Linted, Notice, Result, Severity
from .positions import Position, located
from .registry import ReportContext, register

_RESET = "\x1b[0m"
_BOLD = "\x1b[1m"
_DIM = "\x1b[2m"
_CYAN = "\x1b[36m"
_SEVERITY_COLOUR = {
    Severity.ERROR: "\x1b[1;31m",
    Severity.WARNING: "\x1b[1;33m",
    Severity.INFO: "\x1b[1;34m",
}


class _Paint:
    def __init__(self, on: bool) -> None:
        self.on = on

    def __call__(self, text: str, style: str) -> str:
        return f"{style}{text}{_RESET}" if self.on and text else text


def location(result: Result) -> str:
    where = result.path
    if result.transcript and not result.path.endswith(".json"):
        where = f"{where}#{result.transcript}"
    return where


def _where(finding: Finding, position: Position | None) -> str:
    if position is not None:
        return f"{location(finding)}:{position.line}:{position.column}:"
    if finding.turn < 0:  # about the transcript as a whole (a transcript-level lint.ignore)
        return f"{location(finding)}:"
    return f"{location(finding)}:turn {finding.turn} ({finding.speaker})"


@register("text")
def write_text(items: Iterable[Linted], out: TextIO, context: ReportContext | None = None) -> None:
    paint = _Paint(context.color if context else False)
    for result, position in located(items):
        if isinstance(result, Notice):
            out.write(
                f"{paint(location(result), _BOLD)}: {paint('notice', _DIM)} {result.code} "
                f"{result.rule}: {result.message}\n"
            )
            continue
        write_finding(result, out, position, paint)


def write_finding(
    finding: Finding,
    out: TextIO,
    position: Position | None = None,
    paint: _Paint | None = None,
) -> None:
    paint = paint or _Paint(False)
    code = paint(finding.code, _SEVERITY_COLOUR[finding.severity])
    out.write(
        f"{paint(_where(finding, position), _BOLD)} {code} {finding.rule}: {finding.message}\n"
    )
    if finding.evidence:
        quoted = paint(f'"{finding.evidence}"', _CYAN)
        out.write(f"    | {quoted}  [{finding.start}:{finding.end}]\n")
    out.write(f"    = try: {finding.suggestion}\n")
    if not finding.citations:
        return
    citation = finding.citations[0]
    first, last = citation.lines
    more = len(finding.citations) - 1
    out.write(
        paint(
            f"    = cites {citation.document} ({citation.title}), "
            f"\u00a7 {citation.section}, lines {first}-{last}: \u201c{citation.key_phrase}\u201d"
            + (f" (+{more} more: lint-transcript rule {finding.rule})" if more else ""),
            _DIM,
        )
        + "\n"
    )


@register("concise")
def write_concise(
    items: Iterable[Linted], out: TextIO, context: ReportContext | None = None
) -> None:
    paint = _Paint(context.color if context else False)
    for result, position in located(items):
        if not isinstance(result, Finding):
            continue
        where = (
            f"{location(result)}:{position.line}:{position.column}:"
            if position
            else f"{location(result)}:turn {result.turn}:{result.start}:"
        )
        code = paint(result.code, _SEVERITY_COLOUR[result.severity])
        evidence = f" \u201c{result.evidence}\u201d" if result.evidence else ""
        out.write(f"{where} {code} [{result.rule}] {result.message}{evidence}\n")
