"""A readable input (a file or standard input) and how its bytes become text."""

from __future__ import annotations

import codecs
import os
import stat
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from ..errors import InputError

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


@dataclass
class Source:
    """Where transcripts come from. Files are opened read-only, and only when read."""

    label: str
    path: Path | None = None
    _data: bytes | None = field(default=None, repr=False)

    @classmethod
    def file(cls, path: Path) -> Source:
        return cls(label=str(path), path=path)

    @classmethod
    def stdin(cls, stream: BinaryIO) -> Source:
        return cls(label="<stdin>", _data=stream.read())

    @classmethod
    def from_text(cls, text: str, label: str = "<string>") -> Source:
        return cls(label=label, _data=text.encode("utf-8"))

    @property
    def suffix(self) -> str:
        return self.path.suffix.lower() if self.path is not None else ""

    def read_bytes(self) -> bytes:
        if self._data is not None:
            return self._data
        with self._open() as handle:
            try:
                return handle.read()
            except OSError as exc:
                raise InputError(self.label, f"cannot read file: {exc.strerror}") from None

    def _open(self) -> BinaryIO:
        """Open the file read-only, refusing anything but a regular file.

        Why not ``Path.open``: opening a FIFO blocks until something writes to
        it (a directory walk would hang on one), and ``/dev/zero`` never ends.
        ``O_NONBLOCK`` makes the open return at once; ``fstat`` on the opened
        descriptor then decides, with no window for the path to change between.
        """
        assert self.path is not None
        flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
        try:
            descriptor = os.open(self.path, flags)
        except OSError as exc:
            raise InputError(self.label, f"cannot read file: {exc.strerror}") from None
        mode = os.fstat(descriptor).st_mode
        if not stat.S_ISREG(mode):
            os.close(descriptor)
            raise InputError(self.label, f"not a regular file ({_file_kind(mode)}); not read")
        return os.fdopen(descriptor, "rb")

    def is_blank(self) -> bool:
        """True for an empty file, or one holding only white space (and maybe a BOM)."""
        try:
            if self._data is not None:
                data = self._data[:_BLANK_PROBE]
            else:
                with self._open() as handle:
                    data = handle.read(_BLANK_PROBE + 1)
        except (InputError, OSError):
            return False  # the reader will say what is wrong
        if len(data) > _BLANK_PROBE:
            return False
        encoding, skip = _bom_encoding(data)
        try:
            return not data[skip:].decode(encoding or "utf-8").strip()
        except UnicodeDecodeError:
            return False

    def read_text(self) -> str:
        return decode(self.read_bytes(), self.label)

    def head(self, size: int = 4096) -> str:
        """The start of the content, for sniffing its format."""
        try:
            if self._data is not None:
                data = self._data[:size]
            else:
                with self._open() as handle:
                    data = handle.read(size)
        except (InputError, OSError):
            return ""
        encoding, skip = _bom_encoding(data)
        return data[skip:].decode(encoding or "utf-8", errors="ignore")

    def iter_lines(self) -> Iterator[tuple[int, str | InputError]]:
        """Decoded lines, numbered from 1; streamed from disk so memory stays flat.

        A line that is not valid text comes back as an ``InputError`` naming it,
        and the lines after it are still read.
        """
        if self._data is not None:
            stream: Iterator[bytes] = iter(self._data.splitlines(keepends=True))
            yield from self._decode_lines(stream)
            return
        with self._open() as handle:
            first = handle.read(4)
            encoding, _ = _bom_encoding(first)
            handle.seek(0)
            if encoding and encoding.startswith(("utf-16", "utf-32")):
                # Wide encodings cannot be split on b"\n"; decode the whole file.
                text = decode(handle.read(), self.label)
                yield from enumerate(text.splitlines(), start=1)
                return
            yield from self._decode_lines(handle)

    def _decode_lines(
        self, stream: Iterator[bytes] | BinaryIO
    ) -> Iterator[tuple[int, str | InputError]]:
        for number, raw in enumerate(stream, start=1):
            if number == 1 and raw.startswith(codecs.BOM_UTF8):
                raw = raw[len(codecs.BOM_UTF8) :]
            if b"\x00" in raw:
                yield number, InputError(self.label, "NUL byte: not a text line", f"line {number}")
                continue
            try:
                yield number, raw.decode("utf-8").rstrip("\r\n")
            except UnicodeDecodeError as exc:
                place = f"line {number}:{exc.start + 1}"
                yield number, InputError(self.label, "not valid UTF-8 text", place)


#: Files longer than this are never blank (so the check reads at most this much).
_BLANK_PROBE = 65536


def _file_kind(mode: int) -> str:
    kinds = (
        (stat.S_ISDIR, "a directory"),
        (stat.S_ISFIFO, "a named pipe"),
        (stat.S_ISSOCK, "a socket"),
        (stat.S_ISCHR, "a character device"),
        (stat.S_ISBLK, "a block device"),
    )
    return next((name for test, name in kinds if test(mode)), "a special file")


def _bom_encoding(data: bytes) -> tuple[str | None, int]:
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return encoding, len(bom)
    return None, 0


def decode(data: bytes, label: str) -> str:
    """Bytes to text: a BOM names the encoding, otherwise strict UTF-8."""
    encoding, skip = _bom_encoding(data)
    if encoding is None and b"\x00" in data:
        offset = data.index(b"\x00")
        raise InputError(label, "binary data (NUL byte): not a transcript", _place(data, offset))
    try:
        return data[skip:].decode(encoding or "utf-8")
    except UnicodeDecodeError as exc:
        where = (
            _place(data[skip:], exc.start) if encoding in (None, "utf-8") else f"byte {exc.start}"
        )
        raise InputError(label, f"not valid {encoding or 'UTF-8'} text", where) from None


def _place(data: bytes, offset: int) -> str:
    line = data.count(b"\n", 0, offset) + 1
    column = offset - (data.rfind(b"\n", 0, offset) + 1) + 1
    return f"line {line}:{column}"
