"""One registry of transcript readers: a format name -> how to spot it and read it.

A reader yields ``Transcript`` objects and, for a record it cannot read,
an ``InputError`` in its place, so that one broken line of a JSONL file does
not stop the good lines around it from being linted.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from ..errors import InputError
from ..model import Transcript
from ..roles import RoleTable
from .source import Source

ReadItem = Transcript | InputError
ReadFunction = Callable[[Source, RoleTable], Iterator[ReadItem]]


@dataclass(frozen=True)
class ReaderSpec:
    name: str
    extensions: tuple[str, ...]
    read: ReadFunction
    #: Given the first bytes (decoded), True when this reader fits the content.
    sniff: Callable[[str], bool] | None = None


_REGISTRY: dict[str, ReaderSpec] = {}


def register(
    name: str, extensions: Iterable[str], sniff: Callable[[str], bool] | None = None
) -> Callable[[ReadFunction], ReadFunction]:
    """Decorator: add a reader to the registry under ``name``."""

    def decorate(func: ReadFunction) -> ReadFunction:
        _REGISTRY[name] = ReaderSpec(name, tuple(extensions), func, sniff)
        return func

    return decorate


def reader_names() -> list[str]:
    _load_builtin_readers()
    return sorted(_REGISTRY)


def known_extensions() -> set[str]:
    _load_builtin_readers()
    return {ext for spec in _REGISTRY.values() for ext in spec.extensions}


def choose_reader(source: Source, input_format: str | None = None) -> ReaderSpec:
    """By forced format, then by file extension, then by sniffing the content."""
    _load_builtin_readers()
    if input_format:
        try:
            return _REGISTRY[input_format]
        except KeyError:
            raise InputError(source.label, f"unknown input format {input_format!r}") from None
    suffix = source.suffix
    for spec in _REGISTRY.values():
        if suffix and suffix in spec.extensions:
            return spec
    head = source.head()
    for spec in _REGISTRY.values():
        if spec.sniff is not None and spec.sniff(head):
            return spec
    return _REGISTRY["text"]


def read_source(
    source: Source, roles: RoleTable, input_format: str | None = None
) -> Iterator[ReadItem]:
    """Every transcript in one source; unreadable parts come back as ``InputError``."""
    try:
        spec = choose_reader(source, input_format)
        yield from spec.read(source, roles)
    except InputError as exc:
        yield exc


def iter_sources(paths: Iterable[str]) -> Iterator[Source | InputError]:
    """Files named, files found by walking directories (sorted), and ``-`` for stdin."""
    extensions = known_extensions()
    for raw in paths:
        if raw == "-":
            yield Source.stdin(sys.stdin.buffer)
            continue
        path = Path(raw)
        if path.is_dir():
            yield from _walk(path, extensions)
        elif path.is_file():
            yield Source.file(path)
        elif path.is_symlink():
            yield InputError(raw, "broken symbolic link")
        else:
            yield InputError(raw, "no such file or directory")


def _walk(root: Path, extensions: set[str]) -> Iterator[Source | InputError]:
    errors: list[OSError] = []
    found: list[Path] = []
    for dirpath, dirnames, filenames in os.walk(root, onerror=errors.append):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in filenames:
            candidate = Path(dirpath) / name
            if candidate.suffix.lower() in extensions and not name.startswith("."):
                found.append(candidate)
    for error in errors:
        yield InputError(str(error.filename or root), f"cannot read directory: {error.strerror}")
    for candidate in sorted(found):
        if candidate.is_symlink() and not candidate.exists():
            yield InputError(str(candidate), "broken symbolic link")
        else:
            yield Source.file(candidate)


def _load_builtin_readers() -> None:
    """Import the modules that register the built-in readers (once)."""
    if _REGISTRY:
        return
    from . import canonical, text  # noqa: F401


__all__ = [
    "ReadItem",
    "ReaderSpec",
    "Source",
    "choose_reader",
    "iter_sources",
    "known_extensions",
    "read_source",
    "reader_names",
    "register",
]
