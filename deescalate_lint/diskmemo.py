"""A content-keyed memo kept on disk between processes.

A cold start would otherwise spend most of its time parsing the rule packs'
TOML and translating about 900 patterns into RE2 prefilters (issue #14: 0.6 of
0.8 s for one clean template). Both are pure functions of text, so their
results are stored under that text (or its hash) and reused by the next
process, as ruff keeps its cache.

* Values are stored with ``marshal``: plain data only (str, bytes, numbers,
  tuples, lists, dicts), so loading a memo never runs code, and each ``get``
  returns a fresh copy that callers may change.
* One file per namespace, named by the Python version (marshal's format is
  version-bound) and a fingerprint of the code that computes the values, so a
  changed prefilter translator never reads an old answer.
* A missing, unreadable, corrupt or unwritable cache only costs the time it
  would have saved: the memo then computes, and the result is the same.
  Values that C code builds objects from without checking them (compiled
  regex code, automata) are stored with a CRC-32 (``checked``): a damaged
  byte there would crash the process instead of raising.
* ``DEESCALATE_LINT_CACHE_DIR`` moves the folder (default: the user's cache
  folder, ``$XDG_CACHE_HOME/deescalate-lint`` or ``~/.cache/deescalate-lint``);
  ``DEESCALATE_LINT_NO_CACHE=1`` turns it off. Nothing is written beside the
  inputs.
"""

from __future__ import annotations

import atexit
import marshal
import os
import sys
import zlib
from collections.abc import Callable, Hashable
from pathlib import Path
from typing import Any, TypeVar

try:
    # The same function as ``hashlib.blake2b`` (hashlib takes it from here, never
    # from OpenSSL), without loading OpenSSL: 1% of a clean template's cold start.
    from _blake2 import blake2b
except ImportError:  # pragma: no cover - a Python built without it
    from hashlib import blake2b

T = TypeVar("T")

#: Raised by marshal for data it cannot store (dates, custom objects).
_UNSTORABLE = (ValueError, TypeError)
#: What ``_stored_value`` gives for a key with no (readable) value.
_MISSING: Any = object()
#: A memo file above this many entries, or this many bytes, most of them
#: unused by this process, is rewritten with only the used ones (rule packs
#: that changed leave old keys). The size too: the parsed TOML of a few
#: hundred edited pack versions had reached 31 MB in fewer than 4,096
#: entries, and every cold start read it all (about 40 ms).
_PRUNE_ABOVE = 4096
_PRUNE_ABOVE_BYTES = 8 << 20


def cache_dir() -> Path | None:
    """The memo folder, or None when caching is turned off."""
    if os.environ.get("DEESCALATE_LINT_NO_CACHE", "") not in ("", "0"):
        return None
    explicit = os.environ.get("DEESCALATE_LINT_CACHE_DIR")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "deescalate-lint"


def fingerprint(*sources: Path) -> str:
    """A short hash of the files whose code computes a memo's values."""
    digest = blake2b(digest_size=8)
    for source in sources:
        try:
            digest.update(source.read_bytes())
        except OSError:
            digest.update(b"\x00missing")
    return digest.hexdigest()


#: Bytes of the check a checked memo stores before each value.
_DIGEST = 4


def _digest(data: bytes | memoryview) -> bytes:
    """A CRC-32 of ``data``: it finds damaged bytes, which is all it is for (the
    memo is the user's own files, not a defence against an attacker, which
    marshal is not either), at a tenth of blake2b's cost: the automata are
    megabytes, and a 16-byte blake2b of them was 6% of a clean template's start."""
    return zlib.crc32(data).to_bytes(4, "big")


def content_key(data: bytes) -> bytes:
    """The key of a value computed from ``data`` alone."""
    return blake2b(data, digest_size=16).digest()


class DiskMemo:
    """Values by key, read from one file on first use and written back at exit."""

    def __init__(self, namespace: str, code: str, checked: bool = False) -> None:
        version = f"py{sys.version_info[0]}{sys.version_info[1]}"
        self.name = f"{namespace}-{version}-{code}.marshal"
        #: Each value stored with a digest of its bytes, checked before use:
        #: for values that C code builds objects from without checking them
        #: (compiled regex code, automata), where a damaged byte on disk
        #: would crash the process rather than raise.
        self.checked = checked
        self._family = f"{namespace}-{version}-"
        self._stored: dict[Hashable, bytes] | None = None
        #: The folder the memo was read from, and is written back to.
        self._folder: Path | None = None
        self._used: set[Hashable] = set()
        self._dirty = False
        self._registered = False

    def get(self, key: Hashable, compute: Callable[[], T]) -> T:
        """The value stored under ``key``, computed (and stored) if there is none.

        A stored None is a value like any other (a pattern with no prefilter):
        computing it again would also rewrite the memo file at every exit.
        """
        found = self._stored_value(key)
        if found is not _MISSING:
            return found  # type: ignore[no-any-return]
        value = compute()
        self.put(key, value)
        return value

    def peek(self, key: Hashable) -> Any:
        """The value stored under ``key``, or None (nothing is computed)."""
        found = self._stored_value(key)
        return None if found is _MISSING else found

    def _stored_value(self, key: Hashable) -> Any:
        """The value stored under ``key``, or ``_MISSING`` (none, or unreadable)."""
        found = self._load().get(key)
        if found is None:
            return _MISSING
        stored: bytes | memoryview = found
        if self.checked:
            # A view, not a slice: the automata are megabytes, and each copy of
            # them touched fresh pages (a clean template's start copied them four times).
            stored = memoryview(found)[_DIGEST:]
            if len(found) < _DIGEST or _digest(stored) != found[:_DIGEST]:
                return _MISSING
        try:
            value = marshal.loads(stored)
        except (EOFError, ValueError, TypeError):
            return _MISSING
        self._used.add(key)
        return value

    def put(self, key: Hashable, value: Any) -> None:
        """Store ``value`` under ``key`` (plain data; anything else is not kept)."""
        stored = self._load()
        try:
            data = marshal.dumps(value)
        except _UNSTORABLE:
            return
        stored[key] = _digest(data) + data if self.checked else data
        self._used.add(key)
        self._dirty = True
        if not self._registered:
            self._registered = True
            atexit.register(self.flush)

    def flush(self) -> None:
        """Write new values back (atomically: parallel processes may race)."""
        folder = self._folder
        if not self._dirty or folder is None or self._stored is None:
            return
        stored = self._stored
        if len(stored) > 2 * len(self._used) and (
            len(stored) > _PRUNE_ABOVE or sum(map(len, stored.values())) > _PRUNE_ABOVE_BYTES
        ):
            stored = {k: v for k, v in stored.items() if k in self._used}
        import tempfile  # only when something new is written

        try:
            folder.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(dir=folder, prefix=".memo-")
            try:
                with os.fdopen(handle, "wb") as out:
                    marshal.dump(stored, out)
                os.replace(temporary, folder / self.name)
            except BaseException:
                Path(temporary).unlink(missing_ok=True)
                raise
            # Files this namespace wrote for older code are never read again.
            for old in folder.glob(f"{self._family}*.marshal"):
                if old.name != self.name:
                    old.unlink(missing_ok=True)
        except OSError:
            return  # a read-only or full disk: the next process computes again
        self._dirty = False

    def _load(self) -> dict[Hashable, bytes]:
        if self._stored is None:
            self._folder = cache_dir()
            self._stored = _read(self._folder, self.name)
        return self._stored


def _read(folder: Path | None, name: str) -> dict[Hashable, bytes]:
    if folder is None:
        return {}
    try:
        data: Any = marshal.loads((folder / name).read_bytes())
    except (OSError, EOFError, ValueError, TypeError):
        return {}
    if not isinstance(data, dict) or not all(isinstance(v, bytes) for v in data.values()):
        return {}
    return data
