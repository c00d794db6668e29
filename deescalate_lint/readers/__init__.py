"""One registry of transcript readers: a format name -> how to spot it and read it.

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
``canonical.transcript_from_any``), ``jsonl``, ``text``, ``vtt``, ``srt``,
``csv``, and the forced-only names ``transcribe``, ``contact-lens``, ``chat``.
"""

from __future__ import annotations

import inspect
import os
import sys
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import ConfigError, InputError
from ..model import Transcript
from ..roles import RoleTable
from .source import Source

ReadItem = Transcript | InputError
#: ``read(source, roles)`` or ``read(source, roles, options)``.
ReadFunction = Callable[..., Iterator[ReadItem]]
ReaderOptions = Mapping[str, Mapping[str, Any]]
_NO_OPTIONS: Mapping[str, Any] = {}


@dataclass(frozen=True)
class ReaderSpec:
    name: str
    extensions: tuple[str, ...]
    read_function: ReadFunction
    #: Given the first bytes (decoded), True when this reader fits the content.
    sniff: Callable[[str], bool] | None = None
    #: Validates this reader's options (raises ``ConfigError``); None: takes none.
    check_options: Callable[[Mapping[str, Any]], object] | None = None
    takes_options: bool = False

    def read(
        self, source: Source, roles: RoleTable, options: Mapping[str, Any] | None = None
    ) -> Iterator[ReadItem]:
        if self.takes_options:
            return self.read_function(source, roles, options or _NO_OPTIONS)
        return self.read_function(source, roles)


_REGISTRY: dict[str, ReaderSpec] = {}


def register(
    name: str,
    extensions: Iterable[str],
    sniff: Callable[[str], bool] | None = None,
    check_options: Callable[[Mapping[str, Any]], object] | None = None,
) -> Callable[[ReadFunction], ReadFunction]:
    """Decorator: add a reader to the registry under ``name``."""

    def decorate(func: ReadFunction) -> ReadFunction:
        positional = [
            p
            for p in inspect.signature(func).parameters.values()
            if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD, p.VAR_POSITIONAL)
        ]
        takes = len(positional) >= 3 or any(p.kind is p.VAR_POSITIONAL for p in positional)
        _REGISTRY[name] = ReaderSpec(name, tuple(extensions), func, sniff, check_options, takes)
        return func

    return decorate


def check_reader_options(reader_options: ReaderOptions | None) -> dict[str, dict[str, Any]]:
    """Refuse options for unknown readers, readers without options, or bad values."""
    _load_builtin_readers()
    checked: dict[str, dict[str, Any]] = {}
    for name, options in (reader_options or {}).items():
        spec = _REGISTRY.get(name)
        if spec is None:
            raise ConfigError(
                f"reader options given for unknown input format {name!r} "
                f"(known: {', '.join(sorted(_REGISTRY))})"
            )
        if not isinstance(options, Mapping):
            raise ConfigError(f"reader options for {name!r} must be a table of key = value")
        if spec.check_options is None:
            if options:
                raise ConfigError(f"the {name!r} reader takes no options")
        else:
            spec.check_options(options)
        checked[name] = dict(options)
    return checked


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
    # No extension we know (stdin, ``notes.log``): sniff. Every sniff is strict
    # enough not to claim another reader's content; plain text is the fallback.
    head = source.head()
    for spec in _REGISTRY.values():
        if spec.sniff is not None and spec.sniff(head):
            return spec
    return _REGISTRY["text"]


def read_source(
    source: Source,
    roles: RoleTable,
    input_format: str | None = None,
    reader_options: ReaderOptions | None = None,
) -> Iterator[ReadItem]:
    """Every transcript in one source; unreadable parts come back as ``InputError``."""
    try:
        spec = choose_reader(source, input_format)
        yield from spec.read(source, roles, (reader_options or {}).get(spec.name))
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


_BUILTINS_LOADED: list[bool] = []


def _load_builtin_readers() -> None:
    """Import the modules that register the built-in readers (once).

    A flag, not "is the registry empty": importing one reader module directly
    (the engine imports ``canonical``) must not hide the others.
    """
    if _BUILTINS_LOADED:
        return
    _BUILTINS_LOADED.append(True)
    from . import aws, canonical, captions, chat, tabular, text  # noqa: F401


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
