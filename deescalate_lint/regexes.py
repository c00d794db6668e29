"""Compiled ``regex`` patterns kept on disk between processes.

``regex.compile`` parses a pattern in pure Python: the rule packs' big
alternations took 7.5 s to compile on a first lint of the bundled examples
(679 patterns; the matching itself took well under a second), and every new
process compiled them again. What the parser produces is plain data: the
arguments of the C constructor ``_regex.compile`` (the pattern, flags, the
compiled code as bytes, group tables, required string). It is exactly what
``regex`` itself pickles a pattern as (``Pattern._pickled_data``). Kept with
marshal in the disk memo, it is put back together in C (0.1 s for the same
679), and nothing but that constructor runs on load.

The memo file is named by the ``regex`` release, its compiler's source
(whose opcode numbers the code bytes are in) and its C extension build. The
constructor trusts the code bytes it is given, so each stored value carries a
digest that is checked before use (a damaged byte would otherwise crash the
process, run after run). A value that fails the check or that the
constructor refuses, or a ``regex`` without ``_pickled_data``, falls back to
``regex.compile``: the memo only ever saves time.
"""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path
from typing import Any

import regex

from .diskmemo import DiskMemo, content_key, fingerprint

#: Compiled patterns of this process, by source and flags.
#: (``regex.DEFAULT_VERSION`` too: it changes what a pattern without a
#: version flag means.)
_COMPILED: dict[tuple[str, int, int], regex.Pattern[str]] = {}
_MAX_COMPILED = 8192


def compile_pattern(source: str, flags: int = 0) -> regex.Pattern[str]:
    """``regex.compile(source, flags)``, from the disk memo when it has it.

    Raises ``regex.error`` as ``regex.compile`` does (nothing is stored then)."""
    key = (source, int(flags), regex.DEFAULT_VERSION)
    found = _COMPILED.get(key)
    if found is None:
        if len(_COMPILED) >= _MAX_COMPILED:
            _COMPILED.clear()
        found = _COMPILED[key] = _from_memo(source, flags)
    return found


def _from_memo(source: str, flags: int) -> regex.Pattern[str]:
    memo = _memo()
    key = _key(source, flags)
    stored = memo.peek(key)
    if stored is not None:
        rebuilt = _rebuilt(stored, source)
        if rebuilt is not None:
            return rebuilt
    compiled = regex.compile(source, flags)
    data = getattr(compiled, "_pickled_data", None)
    if isinstance(data, tuple):
        memo.put(key, data)
    return compiled


def _key(source: str, flags: int) -> bytes:
    version = int(regex.DEFAULT_VERSION)
    return content_key(f"{int(flags)}\x00{version}\x00{source}".encode("utf-8", "surrogatepass"))


def _rebuilt(data: Any, source: str) -> regex.Pattern[str] | None:
    """The pattern put back together from its stored constructor arguments, or
    None when they do not fit this ``regex`` (or are not this pattern's)."""
    if not isinstance(data, tuple) or not data or data[0] != source:
        return None
    try:
        pattern: regex.Pattern[str] = regex._regex.compile(*data)  # type: ignore[attr-defined]
    except Exception:  # e.g. RuntimeError("invalid RE code"): compiled again instead
        return None
    return pattern


@lru_cache(maxsize=1)
def _memo() -> DiskMemo:
    """The memo, named by the ``regex`` release, its compiler's source and its C
    extension (the code format's magic number and the built file's size and
    time), and checked value by value (``DiskMemo.checked``): the C constructor
    trusts the code it is given, and a damaged byte would crash the process."""
    core = Path(regex.__file__).with_name("_regex_core.py")
    c_module: Any = regex._regex
    try:
        built = os.stat(c_module.__file__)
        build = f"{built.st_size}.{built.st_mtime_ns}"
    except (AttributeError, OSError):
        build = "unknown"
    magic = f"{getattr(c_module, 'MAGIC', 0)}.{getattr(c_module, 'CODE_SIZE', 0)}"
    code = fingerprint(core) + "-" + content_key(f"{magic}-{build}".encode()).hex()[:12]
    return DiskMemo("regexes", f"{code}-{regex.__version__}", checked=True)
