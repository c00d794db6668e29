"""Parsing one JSON document (a file, or one line of JSONL) safely.

Why a module of its own: every JSON reader (canonical, Transcribe / Contact
Lens, chat) parses the same way, and the shapes sit above it, so none has to
import another to parse.
"""

from __future__ import annotations

import json
import re
from typing import Any

from ..errors import InputError

#: Deeper JSON than this is refused before the parser can exhaust the stack.
MAX_JSON_DEPTH = 64


def parse_json(text: str, label: str, line_offset: int = 0) -> Any:
    _check_depth(text, label, line_offset)
    try:
        data = json.loads(text)
        # A "\ud800" escape decodes to a lone surrogate, which no output can
        # encode: replace each with U+FFFD (one character for one, so offsets hold).
        return _without_surrogates(data) if _SURROGATE_ESCAPE.search(text) else data
    except json.JSONDecodeError as exc:
        place = f"line {exc.lineno + line_offset}:{exc.colno}"
        raise InputError(label, f"invalid JSON: {exc.msg}", place) from None
    except RecursionError:
        raise InputError(label, "JSON nested too deeply", f"line {line_offset + 1}") from None
    except ValueError:
        # Not a JSONDecodeError: Python refuses integers of over 4300 digits.
        place = f"line {line_offset + 1}"
        raise InputError(label, "invalid JSON: a number is too long", place) from None


_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")
_SURROGATE = re.compile("[\ud800-\udfff]")


def _without_surrogates(value: Any) -> Any:
    """``value`` with every lone surrogate in its strings (and keys) replaced by U+FFFD."""
    if isinstance(value, str):
        return _SURROGATE.sub("\ufffd", value)
    if isinstance(value, list):
        return [_without_surrogates(item) for item in value]
    if isinstance(value, dict):
        return {_without_surrogates(k): _without_surrogates(v) for k, v in value.items()}
    return value


def _check_depth(text: str, label: str, line_offset: int) -> None:
    """Refuse absurdly nested JSON cheaply (counting brackets outside strings)."""
    if text.count("[") + text.count("{") <= MAX_JSON_DEPTH:
        return
    depth = 0
    in_string = escaped = False
    for char in text:
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "[{":
            depth += 1
            if depth > MAX_JSON_DEPTH:
                raise InputError(
                    label,
                    f"JSON nested deeper than {MAX_JSON_DEPTH} levels",
                    f"line {line_offset + 1}",
                )
        elif char in "]}":
            depth -= 1
