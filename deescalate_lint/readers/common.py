"""Helpers the segment-based readers share: timed pieces of speech -> turns.

Captions (WebVTT, SRT) and speech-analytics output (Amazon Transcribe,
Contact Lens) cut one speaker's turn into many short segments. The rules
count per turn ("apologised three times in one turn") and look at the turn
before ("did the agent cut in on the customer?"), so consecutive segments of
one speaker are joined back into one turn: start of the first, end of the last.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from ..errors import InputError
from ..model import Role, Turn


@dataclass(frozen=True)
class Segment:
    """One timed piece of one speaker's speech, before joining."""

    speaker: str
    role: Role
    text: str
    start: float | None
    end: float | None


def merge_segments(
    segments: Sequence[Segment], warnings: list[str] | None = None
) -> tuple[Turn, ...]:
    """Order segments by start time (when all have one) and join a speaker's runs.

    A run of one speaker becomes one turn with the texts joined by a space
    (caption line breaks are layout, not sentence ends). A segment whose end is
    before its start, or with a time that is not a usable number of seconds
    (a caption hour of 400 digits overflows to infinity), keeps its text but
    loses its times, and says so.
    """
    cleaned: list[Segment] = []
    for index, seg in enumerate(segments):
        problem = None
        if any(t is not None and seconds(t) is None for t in (seg.start, seg.end)):
            problem = "a time is negative, not a number or out of range"
        elif seg.start is not None and seg.end is not None and seg.end < seg.start:
            problem = "end time is before start time"
        if problem is not None:
            if warnings is not None:
                warnings.append(f"segment {index + 1}: {problem}; timing ignored for it")
            seg = Segment(seg.speaker, seg.role, seg.text, None, None)
        cleaned.append(seg)
    if cleaned and all(s.start is not None for s in cleaned):
        # Stable: segments starting together keep their order in the file.
        cleaned.sort(key=lambda s: s.start if s.start is not None else 0.0)
    turns: list[Turn] = []
    run: list[Segment] = []
    for seg in cleaned:
        if run and (seg.speaker != run[0].speaker or seg.role is not run[0].role):
            turns.append(_join(run))
            run = []
        run.append(seg)
    if run:
        turns.append(_join(run))
    return tuple(turns)


def _join(run: Sequence[Segment]) -> Turn:
    text = " ".join(s.text.strip() for s in run if s.text.strip())
    starts = [s.start for s in run]
    ends = [s.end for s in run]
    timed = all(x is not None for x in (*starts, *ends))
    return Turn(
        speaker=run[0].speaker,
        role=run[0].role,
        text=text,
        start=min(s for s in starts if s is not None) if timed else None,
        end=max(e for e in ends if e is not None) if timed else None,
    )


def kind(value: Any) -> str:
    """How a JSON value is named in error messages."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, dict):
        return "an object"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, str):
        return "a string"
    return type(value).__name__


def time_field(
    item: Mapping[str, Any],
    key: str,
    label: str,
    place: str,
    warnings: list[str],
    unit: str = "seconds",
    per_second: float = 1.0,
) -> float | None:
    """A JSON time field in ``unit`` as seconds; None when absent or unusable.

    A value that is not a number is an error naming the field; a negative,
    NaN, infinite or overflowing one is dropped with a warning (linting goes
    on without that time).
    """
    value = item.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise InputError(label, f"'{key}' must be a number of {unit} or null", f"{place}.{key}")
    try:
        number = float(value) / per_second
    except OverflowError:  # an integer too big for a float: as unusable as infinity
        number = math.inf
    usable = seconds(number)
    if usable is None:
        shown = value if isinstance(value, float) or abs(value) < 10**15 else "(a huge number)"
        warnings.append(f"{place}.{key}: time {shown!r} is not a usable number of {unit}; ignored")
    return usable


def seconds(value: float) -> float | None:
    """A usable non-negative finite number of seconds, or None."""
    if math.isnan(value) or math.isinf(value) or value < 0:
        return None
    return value
