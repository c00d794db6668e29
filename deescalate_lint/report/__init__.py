"""One registry of reporters: an output format name -> how results are written."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TextIO

from ..errors import InputError
from ..model import Result

Reporter = Callable[[Iterable[Result], TextIO], None]

_REGISTRY: dict[str, Reporter] = {}


def register(name: str) -> Callable[[Reporter], Reporter]:
    def decorate(func: Reporter) -> Reporter:
        _REGISTRY[name] = func
        return func

    return decorate


def reporter(name: str) -> Reporter:
    _load_builtin()
    return _REGISTRY[name]


def formats() -> list[str]:
    _load_builtin()
    return sorted(_REGISTRY)


def format_error(error: InputError) -> str:
    return f"error: {error}"


def _load_builtin() -> None:
    if _REGISTRY:
        return
    from . import json_format, text  # noqa: F401
