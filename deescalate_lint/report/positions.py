"""Where a finding sits in its file, for the formats that point editors there.

Known for a response template read whole (one turn that is the file's text):
evidence offsets are offsets into that text, so line and column follow; and
for a plain-text transcript, whose reader records the line and column where
each turn's text starts. Other conversations are located by turn, and
``line_of`` gives the line of the turn or record where the reader knows it
(CSV rows, JSONL records) for formats that want a line at least.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from ..model import Finding, Linted, Result, Transcript, Turn


@dataclass(frozen=True)
class Position:
    """1-based line and column (in characters) of a finding in its file."""

    line: int
    column: int
    end_line: int
    end_column: int


def position_in(text: str, start: int, end: int) -> Position:
    """Line and column of ``text[start:end]``, for a template read whole."""
    line = text.count("\n", 0, start) + 1
    column = start - (text.rfind("\n", 0, start) + 1) + 1
    end_line = text.count("\n", 0, end) + 1
    end_column = end - (text.rfind("\n", 0, end) + 1) + 1
    return Position(line, column, end_line, end_column)


def located(items: Iterable[Linted]) -> Iterator[tuple[Result, Position | None]]:
    """Every result of the run, in order, with its position when it is known."""
    for item in items:
        for result, position, _line in located_item(item):
            yield result, position


def located_item(item: Linted) -> Iterator[tuple[Result, Position | None, int | None]]:
    """The item's results with their exact position and their line, where known."""
    text = _file_text(item.transcript)
    for result in item.results:
        position = None
        if isinstance(result, Finding):
            if text is not None and result.turn == 0:
                position = position_in(text, result.start, result.end)
            else:
                position = _turn_position(item.transcript, result)
        line = position.line if position is not None else line_of(item.transcript, result)
        yield result, position, line


def _turn(transcript: Transcript | None, finding: Finding) -> Turn | None:
    if transcript is None or not 0 <= finding.turn < len(transcript.turns):
        return None
    return transcript.turns[finding.turn]


def _turn_position(transcript: Transcript | None, finding: Finding) -> Position | None:
    """Line and column in the file, for a turn whose reader recorded where its text starts."""
    turn = _turn(transcript, finding)
    if turn is None or turn.line is None or turn.column is None:
        return None
    inner = position_in(turn.text, finding.start, finding.end)

    def shift(line: int, column: int) -> tuple[int, int]:
        assert turn is not None and turn.line is not None and turn.column is not None
        return turn.line + line - 1, (turn.column + column - 1) if line == 1 else column

    line, column = shift(inner.line, inner.column)
    end_line, end_column = shift(inner.end_line, inner.end_column)
    return Position(line, column, end_line, end_column)


def line_of(transcript: Transcript | None, result: Result) -> int | None:
    """The file line of a finding's turn, else of its transcript (a JSONL record)."""
    if transcript is None:
        return None
    turn = _turn(transcript, result) if isinstance(result, Finding) else None
    if turn is not None and turn.line is not None:
        return turn.line
    return transcript.line


def _file_text(transcript: Transcript | None) -> str | None:
    """The file's whole text when the transcript is a template read whole, else None."""
    if transcript is None or not transcript.template or len(transcript.turns) != 1:
        return None
    return transcript.turns[0].text
