"""The reporter registry: an output format name -> how a run's items are written.

A reporter is ``write(items, out, context=None)``. ``items`` is the run's
stream of ``model.Linted`` in input order (a transcript with its results, a
notice about a whole source, or a read error), so everything a format needs
(a template's line and column, JUnit's passing test cases, the unreadable
inputs) travels with the results; ``context`` carries only the run's
settings: its rules (SARIF metadata), colour, the tool's version.

Why a module of its own, below every reporter: each reporter module
registers itself with ``@register`` when imported. The shipped ones are
imported when their format is first asked for (``_SHIPPED``): a run writes
one format, and importing them all (the HTML page's template, JUnit's
``xml.etree``) was a few percent of a clean template's cold start.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol, TextIO

from ..errors import InputError
from ..model import Linted


@dataclass(frozen=True)
class ReportContext:
    """The run's settings that a format may show: not data about the results."""

    rules: Sequence[Any] = ()
    color: bool = False
    tool_version: str = ""
    #: ``--quiet``: findings only (the items carry no notices then; summaries are left out).
    quiet: bool = False


class Reporter(Protocol):
    def __call__(
        self, items: Iterable[Linted], out: TextIO, context: ReportContext | None = None
    ) -> None: ...


_REGISTRY: dict[str, Reporter] = {}


def register(name: str) -> Callable[[Reporter], Reporter]:
    """Decorator: add a reporter to the registry under ``name``."""

    def decorate(func: Reporter) -> Reporter:
        _REGISTRY[name] = func
        return func

    return decorate


#: The shipped formats, by the module (in this package) that registers each.
_SHIPPED = {
    "concise": "text",
    "github": "github",
    "html": "html",
    "json": "json_format",
    "jsonl": "json_format",
    "junit": "junit",
    "sarif": "sarif",
    "text": "text",
}


def reporter(name: str) -> Reporter:
    """The reporter of format ``name`` (KeyError: no such format)."""
    if name not in _REGISTRY and name in _SHIPPED:
        importlib.import_module(f"{__package__}.{_SHIPPED[name]}")
    return _REGISTRY[name]


def formats() -> list[str]:
    return sorted({*_REGISTRY, *_SHIPPED})


def format_error(error: InputError) -> str:
    return f"error: {error}"
