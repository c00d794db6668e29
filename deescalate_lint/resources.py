"""Where the shipped rule packs live, and how their TOML files are read.

The packs sit at the repository's top (``rules/``) so that rule authors never
open the engine; the wheel carries the same folder as ``deescalate_lint/_rules``.
"""

from __future__ import annotations

import os
import sys
import time
from functools import lru_cache
from pathlib import Path
from types import ModuleType
from typing import Any

from .diskmemo import DiskMemo, content_key
from .errors import RulePackError

_PACKAGE_DIR = Path(__file__).resolve().parent


@lru_cache(maxsize=1)
def shipped_rules_dir() -> Path:
    """The installed ``_rules`` folder, or the checkout's ``rules/`` in development."""
    for candidate in (_PACKAGE_DIR / "_rules", _PACKAGE_DIR.parent / "rules"):
        if (candidate / "sources.toml").is_file():
            return candidate
    raise RulePackError(str(_PACKAGE_DIR), "the shipped rule packs are missing")


#: Parsed TOML by the file's bytes: parsing the shipped packs in pure Python
#: was a third of a cold start (the parser's version is the Python version,
#: which names the memo file).
_PARSED = DiskMemo("toml", "1")
#: The content key of a file by its identity and times (device, inode, size,
#: modified and changed in nanoseconds), as ruff's cache and git's index do:
#: reading and hashing the packs' 170 files was a tenth of a cold start.
_KEYS_BY_STAT = DiskMemo("tomlstat", "1")
#: A file changed this recently is not known by its times: the file system's
#: clock is coarser than a nanosecond, so an edit in the same tick that keeps
#: the size would keep every field of the stat key (git's "racy" entries).
_SETTLED_NS = 2_000_000_000


def _tomllib() -> ModuleType:
    """The TOML parser, imported on first use: with the memo warm a run parses
    nothing, and importing the parser (and ``datetime``) was 2% of a clean
    template's cold start."""
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - exercised only on 3.10
        import tomli as tomllib
    return tomllib


def read_toml(path: Path) -> dict[str, Any]:
    """Parse a TOML data file; TOML has no tags, so loading data never runs code."""
    try:
        status = os.stat(path)
    except OSError as exc:
        raise RulePackError(str(path), f"cannot read: {exc.strerror}") from None
    stat_key = (
        status.st_dev,
        status.st_ino,
        status.st_size,
        status.st_mtime_ns,
        status.st_ctime_ns,
    )
    key = _KEYS_BY_STAT.peek(stat_key)
    if key is not None:
        known: dict[str, Any] | None = _PARSED.peek(key)
        if known is not None:
            return known
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise RulePackError(str(path), f"cannot read: {exc.strerror}") from None
    key = content_key(data)
    if time.time_ns() - max(status.st_mtime_ns, status.st_ctime_ns) > _SETTLED_NS:
        _KEYS_BY_STAT.put(stat_key, key)
    try:
        parsed: dict[str, Any] = _PARSED.get(key, lambda: _tomllib().loads(data.decode("utf-8")))
    except UnicodeDecodeError as exc:
        raise RulePackError(str(path), f"invalid TOML: not UTF-8 (byte {exc.start})") from None
    except ValueError as exc:
        if not isinstance(exc, _tomllib().TOMLDecodeError):
            raise
        raise RulePackError(str(path), f"invalid TOML: {exc}") from None
    return parsed
