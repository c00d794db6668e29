"""The canonical JSON transcript (``.json``) and its streaming form, JSONL.

Shape: ``{"id"?, "language"?, "channel"?, "turns": [{"speaker", "text", "start"?,
"end"?, "lint"?}], "lint"?}``; a ``.json`` file may also hold a list of them.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterator, Mapping
from typing import Any

from ..errors import InputError
from ..model import Role, Transcript, Turn
from ..roles import SKIP, RoleTable
from . import ReadItem, register
from .source import Source

#: Deeper JSON than this is refused before the parser can exhaust the stack.
MAX_JSON_DEPTH = 64


def _looks_like_json(head: str) -> bool:
    return head.lstrip().startswith(("{", "["))


@register("json", extensions=(".json",), sniff=_looks_like_json)
def read_json(source: Source, roles: RoleTable) -> Iterator[ReadItem]:
    text = source.read_text()
    data = parse_json(text, source.label)
    if isinstance(data, list):
        for index, item in enumerate(data):
            try:
                yield transcript_from_obj(item, source.label, roles, place=f"[{index}]")
            except InputError as exc:
                yield exc
    else:
        yield transcript_from_obj(data, source.label, roles)


@register("jsonl", extensions=(".jsonl", ".ndjson"))
def read_jsonl(source: Source, roles: RoleTable) -> Iterator[ReadItem]:
    """One transcript per line, streamed: memory does not grow with the file."""
    for number, line in source.iter_lines():
        if isinstance(line, InputError):
            yield line
            continue
        if not line.strip():
            continue
        try:
            data = parse_json(line, source.label, line_offset=number - 1)
            yield transcript_from_obj(data, source.label, roles, place=f"line {number}", line=number)
        except InputError as exc:
            yield exc


def parse_json(text: str, label: str, line_offset: int = 0) -> Any:
    _check_depth(text, label, line_offset)
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        place = f"line {exc.lineno + line_offset}:{exc.colno}"
        raise InputError(label, f"invalid JSON: {exc.msg}", place) from None
    except RecursionError:
        raise InputError(label, "JSON nested too deeply", f"line {line_offset + 1}") from None


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
                    label, f"JSON nested deeper than {MAX_JSON_DEPTH} levels", f"line {line_offset + 1}"
                )
        elif char in "]}":
            depth -= 1


def transcript_from_obj(
    data: Any,
    label: str,
    roles: RoleTable,
    place: str | None = None,
    line: int | None = None,
) -> Transcript:
    """Validate one canonical transcript object; errors name the offending key."""

    def where(key: str) -> str:
        return f"{place} {key}" if place else key

    if not isinstance(data, Mapping):
        raise InputError(label, f"expected a transcript object, got {_kind(data)}", place)
    turns_data = data.get("turns")
    if not isinstance(turns_data, list):
        raise InputError(label, "a transcript needs a 'turns' list", where("turns"))
    transcript_id = _optional_str(data, "id", label, where)
    if transcript_id is None and isinstance(data.get("id"), int):
        transcript_id = str(data["id"])
    warnings: list[str] = []
    turns: list[Turn] = []
    for index, item in enumerate(turns_data):
        turn = _turn_from_obj(item, label, roles, where(f"turns[{index}]"), warnings)
        if turn is not None:
            turns.append(turn)
    return Transcript(
        turns=tuple(turns),
        id=transcript_id,
        language=_optional_str(data, "language", label, where),
        channel=_optional_str(data, "channel", label, where),
        path=label,
        line=line,
        ignore=_ignore_list(data, label, where("lint")),
        warnings=tuple(warnings),
    )


def _turn_from_obj(
    item: Any, label: str, roles: RoleTable, place: str, warnings: list[str]
) -> Turn | None:
    if not isinstance(item, Mapping):
        raise InputError(label, f"expected a turn object, got {_kind(item)}", place)
    speaker = item.get("speaker")
    if not isinstance(speaker, str) or not speaker.strip():
        raise InputError(label, "a turn needs a 'speaker' string", f"{place}.speaker")
    role = roles.resolve(speaker)
    if role is None:
        raise InputError(
            label,
            f"unknown speaker {speaker!r}: map it to agent or customer in the role table",
            f"{place}.speaker",
        )
    text = item.get("text", "")
    if text is None:
        text = ""
    if not isinstance(text, str):
        raise InputError(label, f"'text' must be a string, got {_kind(text)}", f"{place}.text")
    if role == SKIP:
        return None
    start = _time(item, "start", label, place, warnings)
    end = _time(item, "end", label, place, warnings)
    if start is not None and end is not None and end < start:
        warnings.append(f"{place}: end time is before start time; timing ignored for this turn")
        start = end = None
    assert isinstance(role, Role)
    return Turn(
        speaker=speaker,
        role=role,
        text=text,
        start=start,
        end=end,
        ignore=_ignore_list(item, label, f"{place}.lint"),
    )


def _time(item: Mapping[str, Any], key: str, label: str, place: str, warnings: list[str]) -> float | None:
    value = item.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise InputError(label, f"'{key}' must be a number of seconds or null", f"{place}.{key}")
    number = float(value)
    if math.isnan(number) or math.isinf(number) or number < 0:
        warnings.append(f"{place}.{key}: time {value!r} is not a usable number of seconds; ignored")
        return None
    return number


def _ignore_list(data: Mapping[str, Any], label: str, place: str) -> frozenset[str]:
    lint = data.get("lint")
    if lint is None:
        return frozenset()
    if not isinstance(lint, Mapping):
        raise InputError(label, "'lint' must be an object like {\"ignore\": [...]}", place)
    ignore = lint.get("ignore", [])
    if not isinstance(ignore, list) or not all(isinstance(x, str) for x in ignore):
        raise InputError(label, "'lint.ignore' must be a list of rule codes or names", place)
    return frozenset(ignore)


def _optional_str(
    data: Mapping[str, Any], key: str, label: str, where: Any
) -> str | None:
    value = data.get(key)
    if value is None or isinstance(value, str):
        return value
    if key == "id" and isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    raise InputError(label, f"'{key}' must be a string", where(key))


def _kind(value: Any) -> str:
    if value is None:
        return "null"
    return {dict: "an object", list: "a list", str: "a string", bool: "a boolean"}.get(
        type(value), "a number" if isinstance(value, (int, float)) else type(value).__name__
    )
