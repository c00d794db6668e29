"""Readers: a file, stdin or an object in memory -> ``Transcript`` values.

A reader yields ``Transcript`` objects and, for a record it cannot read,
an ``InputError`` in its place, so that one broken line of a JSONL file does
not stop the good lines around it from being linted.

Readers are called ``read(source, roles)`` or, when they take options (the CSV
reader's column names), ``read(source, roles, options)``: ``register`` looks at
the function's signature once, so two-argument readers keep working. Options
come from ``Linter(reader_options={"csv": {...}})`` and are checked when the
linter is built (``check_options``), not when the first file is read.

Built-in formats: ``json`` (canonical, Amazon Transcribe Call Analytics,
Contact Lens and chat-completion JSON, told apart by content; see
``json_shapes.transcript_from_any``), ``jsonl``, ``text``, ``vtt``, ``srt``,
``csv``, and the forced-only names ``transcribe``, ``contact-lens``, ``chat``.
Each registers itself when its module is imported (``registry.register``);
the import below is the list of built-in reader modules (every sniff is
strict enough not to claim another reader's content, so their order does not
matter).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path

from ..errors import InputError
from . import captions, json_shapes, tabular, text  # noqa: F401 - each registers its readers
from .registry import (
    ReaderOptions,
    ReaderSpec,
    ReadItem,
    check_reader_options,
    choose_reader,
    known_extensions,
    read_source,
    reader_names,
    register,
)
from .source import Source


def iter_sources(paths: Iterable[str]) -> Iterator[Source | InputError]:
    """Files named, files found by walking directories (sorted), and ``-`` for stdin."""
    extensions = known_extensions()
    for raw in paths:
        if raw == "-":
            yield Source.stdin(sys.stdin.buffer)
            continue
        path = Path(raw)
        try:
            is_dir, exists = path.is_dir(), path.exists()
        except OSError as exc:
            yield InputError(raw, f"cannot read: {exc.strerror}")
            continue
        if is_dir:
            yield from _walk(path, extensions)
        elif exists:
            # Not only regular files: a named pipe or a device is refused when
            # opened (``Source``), with a message that says what it is.
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


__all__ = [
    "ReadItem",
    "ReaderOptions",
    "ReaderSpec",
    "Source",
    "check_reader_options",
    "choose_reader",
    "iter_sources",
    "known_extensions",
    "read_source",
    "reader_names",
    "register",
]
