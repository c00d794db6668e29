"""GitHub Actions workflow commands: each finding becomes an annotation on the file.

``::warning file=...,line=...,col=...,title=DL103 over-apologising::message``;
severity error/warning/info maps to ``error``/``warning``/``notice``. Line and
column are given where known (response templates, plain-text transcripts); a
conversation's finding in another format carries the line of its turn or
record where the reader knows it (CSV rows, JSONL records), else annotates
the file as a whole; the message names the transcript and the turn (from 1). Values are
escaped as the runner expects (``%``, CR, LF; plus ``:`` and ``,`` in properties).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TextIO

from ..model import Finding, Linted, Notice, Result, Severity
from .positions import Position, located_item
from .registry import ReportContext, register

LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def annotation(
    result: Result,
    position: Position | None = None,
    line: int | None = None,
    conversation: bool | None = None,
) -> str:
    """One workflow command; ``conversation`` (default: no position) names the turn."""
    if isinstance(result, Notice):
        props = {"file": result.path, "title": f"{result.code} {result.rule}"}
        named = f"[transcript {result.transcript}] " if result.transcript else ""
        return _command("notice", props, named + result.message)
    props = {"file": result.path}
    if position is not None:
        props.update(
            line=str(position.line),
            col=str(position.column),
            endLine=str(position.end_line),
            endColumn=str(position.end_column),
        )
    elif line is not None:
        props["line"] = str(line)
    props["title"] = f"{result.code} {result.rule}"
    name_turn = position is None if conversation is None else conversation
    return _command(LEVEL[result.severity], props, _message(result, name_turn))


def _message(finding: Finding, name_turn: bool) -> str:
    where = ""
    if name_turn:
        parts = [f"transcript {finding.transcript}"] if finding.transcript else []
        if finding.turn >= 0:  # -1: about the transcript as a whole
            parts.append(f"turn {finding.turn + 1}, {finding.speaker}")
        where = f"[{', '.join(parts)}] " if parts else ""
    evidence = f" \u201c{finding.evidence}\u201d" if finding.evidence else ""
    return f"{where}{finding.message}{evidence}\nTry: {finding.suggestion}"


def _command(level: str, props: dict[str, str], message: str) -> str:
    joined = ",".join(f"{key}={escape_property(value)}" for key, value in props.items())
    return f"::{level} {joined}::{escape_data(message)}"


@register("github")
def write_github(
    items: Iterable[Linted], out: TextIO, context: ReportContext | None = None
) -> None:
    for item in items:
        conversation = item.transcript is not None and not item.transcript.template
        for result, position, line in located_item(item):
            out.write(annotation(result, position, line, conversation) + "\n")
