"""The reader registry: a format name -> how to spot it (extension, sniff) and read it.

Why a module of its own, below every reader: each reader module registers
itself with ``@register`` when it is imported, and ``readers/__init__.py``
imports them all at its top, so the registry is full whenever ``readers`` is
importable and no function has to remember to load it first.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
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
    return sorted(_REGISTRY)


def known_extensions() -> set[str]:
    return {ext for spec in _REGISTRY.values() for ext in spec.extensions}


def choose_reader(source: Source, input_format: str | None = None) -> ReaderSpec:
    """By forced format, then by file extension, then by sniffing the content."""
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
