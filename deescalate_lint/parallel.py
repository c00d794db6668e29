"""Ordered parallel linting: many inputs, or one big JSONL file, on every core.

Why processes: the work is pure-Python CPU (regex passes, scope judgement),
so threads would share one interpreter lock. Why chunks: a QA team's night
batch is often one large JSONL file, which would otherwise keep one core busy
and the rest idle; a JSONL file is cut into blocks of whole lines, each block
linted by a worker with the line numbers it has in the file.

Output is identical to ``Linter(**config).run(paths)``, item for item, in the
same order: units (files, or blocks of one file) are handed out in input order
and their items (``model.Linted``: a transcript with its results, a notice
about a source, or a read error) are yielded in that order, with at most a
few units in flight, so memory stays flat however large the input. Workers
call only the engine's public API (``Linter.run_source``,
``Linter.run_records``, ``engine.source_notice``).

The CLI wires this as ``--jobs N``; ``default_jobs`` picks all cores for
large inputs and one process (no pool at all) for small ones.
"""

from __future__ import annotations

import codecs
import io
import os
import re
from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

from .engine import NO_TRANSCRIPTS, Linter, failed, source_notice
from .errors import InputError
from .model import Linted
from .readers import Source, iter_sources

if TYPE_CHECKING:  # concurrent.futures (and the logging it imports): only with --jobs
    from concurrent.futures import Future

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
    **linter_config: Any,
) -> Iterator[Linted]:
    """Every item for ``paths``, as ``Linter(**linter_config).run(paths)`` yields them.

    ``jobs``: worker processes (None: ``default_jobs``; 1: in this process).
    """
    paths = list(paths)
    linter = Linter(**linter_config)  # configuration errors surface here, not in a worker
    plan: list[PlanItem] = [
        source if isinstance(source, InputError) else (source, linter)
        for source in iter_sources(paths)
    ]
    if jobs is None:
        jobs = default_jobs(paths)
    yield from lint_plan_parallel(plan, jobs, chunk_bytes=chunk_bytes)


#: One input as the CLI plans it: a read error, or a source and the linter
#: configured for it (configurations may differ per file).
PlanItem = InputError | tuple[Source, Linter]


def lint_plan_parallel(
    plan: Iterable[PlanItem], jobs: int, *, chunk_bytes: int = CHUNK_BYTES
) -> Iterator[Linted]:
    """The items of each planned source, in plan order, as ``linter.run_source(source)``.

    A read error in the plan is yielded in its place. With ``jobs`` 1 (or less)
    everything runs in this process, without a pool. Each distinct linter is
    sent to the workers once per unit as a pickle (about 200 kB, against 4 MB
    blocks), so per-file configurations work unchanged.
    """
    if jobs <= 1:
        for entry in plan:
            if isinstance(entry, InputError):
                yield failed(entry)
            else:
                yield from entry[1].run_source(entry[0])
        return
    blobs: dict[int, bytes] = {}
    from concurrent.futures import ProcessPoolExecutor  # only with --jobs: a cold start skips it

    with ProcessPoolExecutor(max_workers=jobs) as pool:
        pending: deque[tuple[Future[Any], _Unit]] = deque()
        limit = jobs * IN_FLIGHT_PER_JOB
        file_state: dict[str, bool] = {}
        for unit in _units(plan, chunk_bytes, blobs):
            if isinstance(unit, _Ready):
                pending.append((_done(unit.items), unit))
            else:
                pending.append((pool.submit(_run_unit, unit), unit))
            while len(pending) > limit or (pending and pending[0][0].done()):
                yield from _emit(*pending.popleft(), file_state)
        while pending:
            yield from _emit(*pending.popleft(), file_state)


# -- units of work ------------------------------------------------------------


@dataclass(frozen=True)
class _Ready:
    """Items known without linting (read errors, stdin linted in-process)."""

    items: tuple[Linted, ...]


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
    """The linter pickled once per run, however many units it is sent with."""
    import pickle  # only with --jobs

    key = id(linter)
    if key not in blobs:
        blobs[key] = pickle.dumps(linter)
    return key, blobs[key]


def _units(plan: Iterable[PlanItem], chunk_bytes: int, blobs: dict[int, bytes]) -> Iterator[_Unit]:
    for entry in plan:
        if isinstance(entry, InputError):
            yield _Ready((failed(entry),))
            continue
        source, linter = entry
        if source.path is None:
            # Standard input is already in memory: lint it here, in order.
            yield _Ready(tuple(linter.run_source(source)))
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


def _done(items: tuple[Linted, ...]) -> Future[Any]:
    from concurrent.futures import Future

    future: Future[Any] = Future()
    future.set_result((list(items), True))
    return future


def _emit(future: Future[Any], unit: _Unit, file_state: dict[str, bool]) -> Iterator[Linted]:
    items, read_any = future.result()
    yield from items
    if isinstance(unit, _Chunk):
        # A file cut into blocks has read nothing only when no block has.
        seen = file_state.get(unit.path, False) or read_any
        file_state[unit.path] = seen
        if unit.last and not seen:
            yield source_notice(unit.label, NO_TRANSCRIPTS)


# -- in the worker ------------------------------------------------------------

#: Linters received, by the sender's key (one per configuration), unpickled once.
_LINTERS: dict[int, Linter] = {}


def _worker_linter(key: int, blob: bytes) -> Linter:
    linter = _LINTERS.get(key)
    if linter is None:
        import pickle

        linter = _LINTERS[key] = pickle.loads(blob)
    return linter


def _run_unit(unit: _File | _Chunk) -> tuple[list[Linted], bool]:
    """The unit's items, and whether it held any record (for the file's notice)."""
    linter = _worker_linter(unit.linter_key, unit.linter_blob)
    if isinstance(unit, _File):
        return list(linter.run_source(Source.file(Path(unit.path)))), True
    source = _ChunkSource(unit.label, Path(unit.path), unit.data, unit.first_line)
    items = list(linter.run_records(source))
    return items, bool(items)


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
