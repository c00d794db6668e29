"""Ordered parallel linting: many inputs, or one big JSONL file, on every core.

Why processes: the work is pure-Python CPU (regex passes, scope judgement),
so threads would share one interpreter lock. Why chunks: a QA team's night
batch is often one large JSONL file, which would otherwise keep one core busy
and the rest idle; a JSONL file is cut into blocks of whole lines, each block
linted by a worker with the line numbers it has in the file.

Output is identical to ``Linter(**config).lint_paths(paths)``, in the same
order: units (files, or blocks of one file) are handed out in input order and
their results are yielded in that order, with at most a few units in flight,
so memory stays flat however large the input.

The CLI wires this as ``--jobs N``; ``default_jobs`` picks all cores for
large inputs and one process (no pool at all) for small ones.
"""

from __future__ import annotations

import codecs
import io
import os
import pickle
import re
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

from .engine import Linter, _source_notice
from .errors import InputError
from .model import Result, Transcript
from .readers import Source, iter_sources, read_source

#: A JSONL file is cut into blocks of about this many bytes (whole lines).
CHUNK_BYTES = 4 * 1024 * 1024
#: Inputs smaller than this in total are linted in-process by ``default_jobs``:
#: starting workers costs more than it saves.
LARGE_INPUT_BYTES = 8 * 1024 * 1024
#: Units in flight per worker: enough to keep every core busy, few enough
#: that memory does not grow with the input.
IN_FLIGHT_PER_JOB = 3

_JSONL_SUFFIXES = (".jsonl", ".ndjson")
_PLACE_LINE = re.compile(r"^line (\d+)")

Item = Result | InputError
#: What a worker sends back: ("t", transcript, results) when the caller wants
#: transcripts (``on_transcript``), ("r", result), or ("e", path, message, place)
#: for a read error.
Event = tuple[Any, ...]


def default_jobs(paths: Iterable[str], cores: int | None = None) -> int:
    """All cores when the named inputs add up to a large input, else 1."""
    available = cores or os.cpu_count() or 1
    if available <= 1:
        return 1
    total = 0
    for raw in paths:
        if raw == "-":
            continue
        path = Path(raw)
        try:
            if path.is_file():
                total += path.stat().st_size
            elif path.is_dir():
                for root, _dirs, files in os.walk(path):
                    for name in files:
                        total += (Path(root) / name).stat().st_size
                        if total >= LARGE_INPUT_BYTES:
                            return available
        except OSError:
            continue
        if total >= LARGE_INPUT_BYTES:
            return available
    return 1


def lint_paths_parallel(
    paths: Iterable[str],
    jobs: int | None = None,
    *,
    chunk_bytes: int = CHUNK_BYTES,
    on_transcript: Callable[[Transcript, list[Result]], None] | None = None,
    **linter_config: Any,
) -> Iterator[Item]:
    """Every result and read error for ``paths``, as ``Linter(**linter_config).lint_paths``.

    ``jobs``: worker processes (None: ``default_jobs``; 1: in this process).
    ``on_transcript`` is called in this process, in input order, with each
    transcript and its results before they are yielded (the CLI's reporter hook).
    """
    paths = list(paths)
    linter = Linter(**linter_config)  # configuration errors surface here, not in a worker
    plan: list[PlanItem] = [
        source if isinstance(source, InputError) else (source, linter)
        for source in iter_sources(paths)
    ]
    if jobs is None:
        jobs = default_jobs(paths)
    if jobs <= 1:
        linter.on_transcript = on_transcript
        for entry in plan:
            yield from [entry] if isinstance(entry, InputError) else linter.lint_source(entry[0])
        return
    yield from lint_plan_parallel(plan, jobs, chunk_bytes=chunk_bytes, on_transcript=on_transcript)


#: One input as the CLI plans it: a read error, or a source and the linter
#: configured for it (configurations may differ per file).
PlanItem = InputError | tuple[Source, Linter]


def lint_plan_parallel(
    plan: Iterable[PlanItem],
    jobs: int,
    *,
    chunk_bytes: int = CHUNK_BYTES,
    on_transcript: Callable[[Transcript, list[Result]], None] | None = None,
) -> Iterator[Item]:
    """Results for each planned source, in plan order, as ``linter.lint_source(source)``.

    A read error in the plan is yielded in its place. Each distinct linter is
    sent to the workers once per unit as a pickle (about 200 kB, against 4 MB
    blocks), so per-file configurations work unchanged. ``on_transcript`` is
    called here, in order; the linters' own hooks are not used in workers.
    """
    want = on_transcript is not None
    blobs: dict[int, bytes] = {}
    with ProcessPoolExecutor(max_workers=max(jobs, 1)) as pool:
        pending: deque[tuple[Future[Any], _Unit]] = deque()
        limit = max(jobs, 1) * IN_FLIGHT_PER_JOB
        file_state: dict[str, bool] = {}
        for unit in _units(plan, chunk_bytes, want, blobs):
            if isinstance(unit, _Ready):
                pending.append((_done(unit.items), unit))
            else:
                pending.append((pool.submit(_run_unit, unit, want), unit))
            while len(pending) > limit or (pending and pending[0][0].done()):
                yield from _emit(*pending.popleft(), file_state, on_transcript)
        while pending:
            yield from _emit(*pending.popleft(), file_state, on_transcript)


# -- units of work ------------------------------------------------------------


@dataclass(frozen=True)
class _Ready:
    """Items known without linting (read errors, stdin linted in-process)."""

    items: tuple[Event, ...]


@dataclass(frozen=True)
class _File:
    path: str
    linter_key: int
    linter_blob: bytes


@dataclass(frozen=True)
class _Chunk:
    """Whole lines of a JSONL file: ``data`` starts at line ``first_line``."""

    label: str
    path: str
    data: bytes
    first_line: int
    last: bool
    linter_key: int
    linter_blob: bytes


_Unit = _Ready | _File | _Chunk


def _blob(linter: Linter, blobs: dict[int, bytes]) -> tuple[int, bytes]:
    """The linter pickled once (without its hook, a closure of the caller's)."""
    key = id(linter)
    if key not in blobs:
        hook, linter.on_transcript = linter.on_transcript, None
        try:
            blobs[key] = pickle.dumps(linter)
        finally:
            linter.on_transcript = hook
    return key, blobs[key]


def _units(
    plan: Iterable[PlanItem], chunk_bytes: int, want: bool, blobs: dict[int, bytes]
) -> Iterator[_Unit]:
    for entry in plan:
        if isinstance(entry, InputError):
            yield _Ready((_event(entry),))
            continue
        source, linter = entry
        if source.path is None:
            # Standard input is already in memory: lint it here, in order.
            yield _Ready(tuple(_collect(linter, source, want)))
        elif _chunkable(source, chunk_bytes, linter.input_format):
            key, blob = _blob(linter, blobs)
            for label, path, data, first_line, last in _chunks(source, chunk_bytes):
                yield _Chunk(label, path, data, first_line, last, key, blob)
        else:
            key, blob = _blob(linter, blobs)
            yield _File(str(source.path), key, blob)


def _chunkable(source: Source, chunk_bytes: int, input_format: str | None) -> bool:
    assert source.path is not None
    if input_format not in (None, "jsonl") or source.suffix not in _JSONL_SUFFIXES:
        return False
    try:
        if source.path.stat().st_size <= chunk_bytes:
            return False
        with source.path.open("rb") as handle:
            head = handle.read(4)
    except OSError:
        return False  # the reader will report it, in a whole-file unit
    # UTF-16/32 files are decoded whole by the reader; lines cannot be cut as bytes.
    wide = head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE))
    return not wide and not source.is_blank()


def _chunks(source: Source, chunk_bytes: int) -> Iterator[tuple[str, str, bytes, int, bool]]:
    """(label, path, block, first line, last?) for blocks of whole lines."""
    assert source.path is not None
    first_line = 1
    with source.path.open("rb") as handle:
        block = handle.read(chunk_bytes)
        while block:
            if not block.endswith(b"\n"):
                block += handle.readline()
            following = handle.read(chunk_bytes)
            yield source.label, str(source.path), block, first_line, not following
            first_line += block.count(b"\n")
            block = following


def _done(items: tuple[Event, ...]) -> Future[Any]:
    future: Future[Any] = Future()
    future.set_result((list(items), True))
    return future


def _emit(
    future: Future[Any],
    unit: _Unit,
    file_state: dict[str, bool],
    on_transcript: Callable[[Transcript, list[Result]], None] | None,
) -> Iterator[Item]:
    events, read_any = future.result()
    for event in events:
        if event[0] == "t":
            _, transcript, results = event
            if on_transcript is not None:
                on_transcript(transcript, results)
            yield from results
        elif event[0] == "e":
            yield InputError(*event[1:])
        else:
            yield event[1]
    if isinstance(unit, _Chunk):
        seen = file_state.get(unit.path, False) or read_any
        file_state[unit.path] = seen
        if unit.last and not seen:
            yield _source_notice(
                Source.file(Path(unit.path)),
                "no transcripts found in the file; nothing was checked",
            )


# -- in the worker ------------------------------------------------------------

#: Linters received, by the sender's key (one per configuration), unpickled once.
_LINTERS: dict[int, Linter] = {}


def _worker_linter(key: int, blob: bytes) -> Linter:
    linter = _LINTERS.get(key)
    if linter is None:
        linter = _LINTERS[key] = pickle.loads(blob)
    return linter


def _run_unit(unit: _File | _Chunk, want_transcripts: bool) -> tuple[list[Event], bool]:
    linter = _worker_linter(unit.linter_key, unit.linter_blob)
    events: list[Event] = []
    if isinstance(unit, _File):
        return _collect(linter, Source.file(Path(unit.path)), want_transcripts), True
    source = _ChunkSource(unit.label, Path(unit.path), unit.data, unit.first_line)
    read_any = False
    for read in read_source(source, linter.roles, linter.input_format, linter.reader_options):
        read_any = True
        if isinstance(read, InputError):
            events.append(_event(read))
            continue
        results = linter._lint_transcript(read, None)
        if want_transcripts:
            events.append(("t", read, results))
        else:
            events.extend(_event(result) for result in results)
    return events, read_any


def _event(item: Item) -> Event:
    """Why not send an ``InputError`` as is: exceptions pickle by their message
    alone, and ``InputError`` needs its path, message and place back."""
    if isinstance(item, InputError):
        return ("e", item.path, item.detail, item.place)
    return ("r", item)


def _collect(linter: Linter, source: Source, want_transcripts: bool) -> list[Event]:
    """Events for one whole source, linted as ``Linter.lint_source`` does."""
    events: list[Event] = []
    owed = [0]  # results already sent with their transcript, still to be yielded

    def keep(transcript: Transcript, results: list[Result]) -> None:
        events.append(("t", transcript, list(results)))
        owed[0] = len(results)

    hook, linter.on_transcript = linter.on_transcript, keep if want_transcripts else None
    try:
        for item in linter.lint_source(source):
            if owed[0]:
                owed[0] -= 1
            else:
                events.append(_event(item))
    finally:
        linter.on_transcript = hook
    return events


class _ChunkSource(Source):
    """A block of whole lines of a file, numbered as they are in the file.

    Lines are split on ``\\n`` only, as when the reader streams the file.
    Blocks after the first start with one blank line (which the JSONL reader
    skips) so that a byte-order mark is stripped only at the file's start.
    """

    def __init__(self, label: str, path: Path, data: bytes, first_line: int) -> None:
        super().__init__(label=label, path=path)
        self._block = data if first_line == 1 else b"\n" + data
        self._offset = 0 if first_line == 1 else first_line - 2

    def iter_lines(self) -> Iterator[tuple[int, str | InputError]]:
        stream: BinaryIO = io.BytesIO(self._block)
        for number, item in self._decode_lines(stream):
            real = number + self._offset
            if isinstance(item, InputError) and item.place and self._offset:
                place = _PLACE_LINE.sub(f"line {real}", item.place)
                item = InputError(item.path, item.detail, place)
            yield real, item
