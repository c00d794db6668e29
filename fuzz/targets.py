"""The fuzz targets: what one fuzzer input means for each reader and for the engine.

Kept free of atheris so the same functions replay crash files in regression
tests (``tests/test_bad_input.py``) without the fuzzer installed.
"""

from __future__ import annotations

import io
import math
from collections.abc import Callable
from typing import Any

from deescalate_lint import Linter
from deescalate_lint.errors import InputError
from deescalate_lint.model import Finding, Notice, Role, Transcript, Turn
from deescalate_lint.readers import Source, read_source, reader_names
from deescalate_lint.roles import default_role_table

#: Speaker labels the engine target draws from: agents, customers, skipped and unknown.
SPEAKERS = ("agent", "customer", "Agent", "rep", "caller", "Kunde", "고객", "system", "???")
LANGUAGES = (None, "en", "de", "fi", "zh", "ko", "fr", "xx", "en-US", "")
_LINTER: Linter | None = None


def linter() -> Linter:
    """One linter for every input: building it (rules, patterns) is the slow part."""
    global _LINTER
    if _LINTER is None:
        _LINTER = Linter()
    return _LINTER


def check_transcript(item: Transcript) -> None:
    """Invariants a reader promises for every transcript it yields."""
    assert isinstance(item, Transcript), type(item)
    for turn in item.turns:
        assert isinstance(turn, Turn)
        assert isinstance(turn.role, Role)
        assert isinstance(turn.text, str)
        for value in (turn.start, turn.end):
            assert value is None or (
                isinstance(value, float) and math.isfinite(value) and value >= 0
            )


def check_results(transcript: Transcript, results: list[Finding | Notice]) -> None:
    """Invariants of the engine's output: evidence is the turn's own text slice."""
    for result in results:
        if isinstance(result, Finding):
            turn = transcript.turns[result.turn]
            assert turn.role is Role.AGENT, result
            assert 0 <= result.start < result.end <= len(turn.text), result
            assert result.evidence == turn.text[result.start : result.end], result
        else:
            assert isinstance(result, Notice), result


def read_bytes(reader: str, data: bytes) -> list[Transcript]:
    """Read ``data`` with one reader; every transcript is checked and linted."""
    source = Source.stdin(io.BytesIO(data))
    transcripts = []
    for item in read_source(source, default_role_table(), reader):
        if isinstance(item, InputError):
            assert str(item).startswith("<stdin>"), item
            continue
        check_transcript(item)
        transcripts.append(item)
    return transcripts


def reader_target(reader: str) -> Callable[[bytes], None]:
    def one_input(data: bytes) -> None:
        for transcript in read_bytes(reader, data):
            check_results(transcript, linter().results(transcript))

    return one_input


class Draw:
    """Turn fuzzer bytes into choices: a minimal, atheris-free data provider."""

    def __init__(self, data: bytes) -> None:
        self.data = data
        self.pos = 0

    def byte(self) -> int:
        if self.pos >= len(self.data):
            return 0
        self.pos += 1
        return self.data[self.pos - 1]

    def pick(self, options: tuple[Any, ...]) -> Any:
        return options[self.byte() % len(options)]

    def text(self) -> str:
        size = self.byte()
        raw = self.data[self.pos : self.pos + size]
        self.pos += size
        return raw.decode("utf-8", errors="replace") if self.byte() % 2 else raw.decode("latin-1")

    def time(self) -> float | None:
        kind = self.byte() % 6
        if kind == 0:
            return None
        if kind == 1:
            return self.pick((math.nan, math.inf, -1.0, 0.0))
        return float(self.byte() * 256 + self.byte()) / 10


def transcript_from_bytes(data: bytes) -> dict[str, Any]:
    """A canonical transcript object drawn from ``data`` (any speakers, times, text)."""
    draw = Draw(data)
    turns = []
    for _ in range(draw.byte() % 12):
        turns.append(
            {
                "speaker": draw.pick(SPEAKERS),
                "text": draw.text(),
                "start": draw.time(),
                "end": draw.time(),
            }
        )
    obj: dict[str, Any] = {"turns": turns}
    language = draw.pick(LANGUAGES)
    if language is not None:
        obj["language"] = language
    return obj


def engine_target(data: bytes) -> None:
    obj = transcript_from_bytes(data)
    try:
        from deescalate_lint.readers.canonical import transcript_from_obj

        transcript = transcript_from_obj(obj, "<fuzz>", linter().roles)
    except InputError:
        return
    check_transcript(transcript)
    check_results(transcript, linter().results(transcript))


def targets() -> dict[str, Callable[[bytes], None]]:
    """Every target by name: one per registered reader, plus ``engine``."""
    found: dict[str, Callable[[bytes], None]] = {
        name: reader_target(name) for name in reader_names()
    }
    found["engine"] = engine_target
    return found
