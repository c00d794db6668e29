"""Where the shipped rule packs live, and how their TOML files are read.

The packs sit at the repository's top (``rules/``) so that rule authors never
open the engine; the wheel carries the same folder as ``deescalate_lint/_rules``.
"""

from __future__ import annotations

import sys
from functools import lru_cache
from pathlib import Path
from typing import Any

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised only on 3.10
    import tomli as tomllib

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


def read_toml(path: Path) -> dict[str, Any]:
    """Parse a TOML data file; TOML has no tags, so loading data never runs code."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise RulePackError(str(path), f"cannot read: {exc.strerror}") from None
    try:
        parsed: dict[str, Any] = _PARSED.get(
            content_key(data), lambda: tomllib.loads(data.decode("utf-8"))
        )
    except tomllib.TOMLDecodeError as exc:
        raise RulePackError(str(path), f"invalid TOML: {exc}") from None
    except UnicodeDecodeError as exc:
        raise RulePackError(str(path), f"invalid TOML: not UTF-8 (byte {exc.start})") from None
    return parsed
