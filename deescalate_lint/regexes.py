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

The memo file is named by the ``regex`` release and its compiler's source,
whose opcode numbers the code bytes are in. A stored value that the
constructor refuses, or a ``regex`` without ``_pickled_data``, falls back to
``regex.compile``: the memo only ever saves time.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

import regex

from .diskmemo import DiskMemo, content_key, fingerprint

#: Compiled patterns of this process, by source and flags.
_COMPILED: dict[tuple[str, int], regex.Pattern[str]] = {}
_MAX_COMPILED = 8192


def compile_pattern(source: str, flags: int = 0) -> regex.Pattern[str]:
    """``regex.compile(source, flags)``, from the disk memo when it has it.

    Raises ``regex.error`` as ``regex.compile`` does (nothing is stored then)."""
    key = (source, flags)
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
    return content_key(f"{int(flags)}\x00{source}".encode("utf-8", "surrogatepass"))


def _rebuilt(data: Any, source: str) -> regex.Pattern[str] | None:
    """The pattern put back together from its stored constructor arguments, or
    None when they do not fit this ``regex`` (or are not this pattern's)."""
    if not isinstance(data, tuple) or not data or data[0] != source:
        return None
    try:
        pattern: regex.Pattern[str] = regex._regex.compile(*data)  # type: ignore[attr-defined]
    except (TypeError, ValueError, OverflowError, AttributeError, regex.error):
        return None
    return pattern


@lru_cache(maxsize=1)
def _memo() -> DiskMemo:
    """The memo, named by the ``regex`` release and its compiler's source."""
    core = Path(regex.__file__).with_name("_regex_core.py")
    return DiskMemo("regexes", f"{fingerprint(core)}-{regex.__version__}")
