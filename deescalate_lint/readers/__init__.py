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
Contact Lens, chat-completion JSON and vCon, told apart by content; see
``json_shapes.transcript_from_any``), ``jsonl``, ``text``, ``template``
(``.html``, ``.j2``, ``.hbs``, ``.liquid``... read whole), ``vtt``, ``srt``,
``csv``, ``vcon`` (``.vcon``, signed too), and the forced-only names
``transcribe``, ``contact-lens``, ``chat``. Each registers itself when its
module is imported (``registry.register``); the import below is the list of
built-in reader modules (``vcon`` comes with ``json_shapes``; every sniff is
strict enough not to claim another reader's content, so their order does not
matter).

``coerce`` is the one way an object a caller hands in (a ``Transcript``, a
JSON-shaped dict, a chat message list, plain text) becomes a ``Transcript``.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

from ..errors import InputError
from ..model import Transcript
from ..roles import RoleTable
from . import captions, json_shapes, tabular, text  # noqa: F401 - each registers its readers
from .chat import is_message_list, transcript_from_messages
from .json_shapes import transcript_from_any
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
from .text import parse_text

#: What ``coerce`` accepts: a transcript, a JSON-shaped dict of any supported
#: shape, a chat message list, or plain text (a transcript or a template).
TranscriptLike = Transcript | Mapping[str, Any] | Sequence[Mapping[str, Any]] | str


def coerce(obj: TranscriptLike, roles: RoleTable, label: str | None = None) -> Transcript:
    """``obj`` as a ``Transcript``; ``label`` names it in results and errors.

    Why one function: the Python API, ``lint_many`` and Spark all take objects
    rather than files, and must read them exactly as the file readers do.
    The default label is ``<string>`` for text and ``<object>`` for the rest.
    Raises ``InputError`` for an unreadable object, ``TypeError`` for a type
    that is not a transcript at all.
    """
    if isinstance(obj, Transcript):
        return obj
    if isinstance(obj, str):
        return parse_text(obj, label or "<string>", roles)
    if isinstance(obj, Mapping):
        return transcript_from_any(obj, label or "<object>", roles)
    if isinstance(obj, Sequence) and is_message_list(obj):
        return transcript_from_messages(obj, label or "<object>")
    raise TypeError(f"cannot lint a {type(obj).__name__}")


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
    "TranscriptLike",
    "check_reader_options",
    "choose_reader",
    "coerce",
    "iter_sources",
    "known_extensions",
    "read_source",
    "reader_names",
    "register",
]
