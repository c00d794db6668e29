"""Where a finding sits in its file, for the formats that point editors there.

Known for a response template read whole (one turn that is the file's text):
evidence offsets are offsets into that text, so line and column follow. A
conversation's findings are located by turn instead.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from ..model import Finding, Linted, Result, Transcript


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
        text = _file_text(item.transcript)
        for result in item.results:
            position = None
            if text is not None and isinstance(result, Finding) and result.turn == 0:
                position = position_in(text, result.start, result.end)
            yield result, position


def _file_text(transcript: Transcript | None) -> str | None:
    """The file's whole text when the transcript is a template read whole, else None."""
    if transcript is None or not transcript.template or len(transcript.turns) != 1:
        return None
    return transcript.turns[0].text
