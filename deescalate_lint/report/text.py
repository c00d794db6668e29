"""Human-readable output: a line per finding, the quoted evidence, the citation.

``text`` (the default) shows each finding with its evidence, suggestion and
first citation (its key phrase with the English gloss beside it), and closes
with a summary line; ``concise`` one line per finding. Both list notices. A
response template's findings are located as ``path:line:column`` (editors
jump there); a plain-text transcript's as ``path:line:column: turn N
(speaker)``; other conversations' as ``path#id:turn N (speaker)``. Turns are
counted from 1 here (the JSON ``turn`` index is 0-based). Colour (ANSI) is used only when
the CLI asks for it: on a terminal, unless ``NO_COLOR`` is set.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TextIO

from ..model import Citation, Finding, Linted, Notice, Result, Severity, Transcript
from ..stats import Tally
from .positions import Position, located_item
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


def location(result: Result, transcript: Transcript | None = None) -> str:
    """The file, and which transcript in it: ``#id``, else ``:LINE`` of a JSONL record."""
    where = result.path
    if result.transcript:
        where = f"{where}#{result.transcript}"
    elif transcript is not None and transcript.line is not None and not transcript.template:
        where = f"{where}:{transcript.line}"
    return where


def turn_label(finding: Finding) -> str:
    """``turn 7 (agent)``: turns counted from 1 for people (the JSON ``turn`` is 0-based)."""
    return f"turn {finding.turn + 1} ({finding.speaker})"


def _where(finding: Finding, position: Position | None, transcript: Transcript | None) -> str:
    where = location(finding, transcript)
    if finding.turn < 0:  # about the transcript as a whole (a transcript-level lint.ignore)
        return f"{where}:"
    if position is not None:
        if transcript is not None and transcript.template:
            return f"{finding.path}:{position.line}:{position.column}:"
        return f"{finding.path}:{position.line}:{position.column}: {turn_label(finding)}"
    return f"{where}:{turn_label(finding)}"


def notice_line(notice: Notice, transcript: Transcript | None, paint: _Paint) -> str:
    return (
        f"{paint(location(notice, transcript), _BOLD)}: {paint('notice', _DIM)} {notice.code} "
        f"{notice.rule}: {notice.message}\n"
    )


@register("text")
def write_text(items: Iterable[Linted], out: TextIO, context: ReportContext | None = None) -> None:
    paint = _Paint(context.color if context else False)
    tally = Tally()
    for item in items:
        tally.add(item)
        for result, position, _line in located_item(item):
            if isinstance(result, Notice):
                out.write(notice_line(result, item.transcript, paint))
            else:
                write_finding(result, out, position, paint, item.transcript)
    if not (context and context.quiet):
        out.write(paint(tally.summary_line(), _BOLD) + "\n")


def write_finding(
    finding: Finding,
    out: TextIO,
    position: Position | None = None,
    paint: _Paint | None = None,
    transcript: Transcript | None = None,
) -> None:
    paint = paint or _Paint(False)
    code = paint(finding.code, _SEVERITY_COLOUR[finding.severity])
    out.write(
        f"{paint(_where(finding, position, transcript), _BOLD)} {code} {finding.rule}: "
        f"{finding.message}\n"
    )
    if finding.evidence:
        quoted = paint(f'"{finding.evidence}"', _CYAN)
        out.write(f"    | {quoted}  [{finding.start}:{finding.end}]\n")
    out.write(f"    = try: {finding.suggestion}\n")
    if not finding.citations:
        return
    citation = finding.citations[0]
    more = len(finding.citations) - 1
    out.write(
        paint(
            f"    = cites {citation_text(citation)}"
            + (f" (+{more} more: lint-transcript rule {finding.rule})" if more else ""),
            _DIM,
        )
        + "\n"
    )


def citation_text(citation: Citation) -> str:
    """Where the passage is, its key phrase as written, and the English gloss beside it."""
    first, last = citation.lines
    return (
        f"{citation.document} ({citation.title}), \u00a7 {citation.section}, "
        f"lines {first}-{last}: \u201c{citation.key_phrase}\u201d "
        f"(in English: {citation.gloss})"
    )


@register("concise")
def write_concise(
    items: Iterable[Linted], out: TextIO, context: ReportContext | None = None
) -> None:
    paint = _Paint(context.color if context else False)
    for item in items:
        for result, position, _line in located_item(item):
            if isinstance(result, Notice):
                out.write(notice_line(result, item.transcript, paint))
                continue
            if position is not None and item.transcript is not None and item.transcript.template:
                where = f"{result.path}:{position.line}:{position.column}:"
            elif position is not None:
                where = f"{result.path}:{position.line}:{position.column}: {turn_label(result)}:"
            else:
                where = f"{location(result, item.transcript)}:{turn_label(result)}:{result.start}:"
            code = paint(result.code, _SEVERITY_COLOUR[result.severity])
            evidence = f" \u201c{result.evidence}\u201d" if result.evidence else ""
            out.write(f"{where} {code} [{result.rule}] {result.message}{evidence}\n")
