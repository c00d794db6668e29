"""The canonical JSON transcript object, read and written.

The canonical shape: ``{"id"?, "language"?, "channel"?, "agent"?, "team"?,
"queue"?, "date"?, "turns": [{"speaker", "text", "start"?, "end"?, "lint"?}],
"lint"?}``; a ``.json`` file may also hold
a list of them, and a JSONL file one per line (``json_shapes.py`` reads both
and tells this shape from the others).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import Any

from ..errors import InputError
from ..model import METADATA_FIELDS, Role, Transcript, Turn, metadata
from ..roles import SKIP, RoleTable
from .common import kind as _kind
from .common import time_field


def transcript_from_obj(
    data: Any,
    label: str,
    roles: RoleTable,
    place: str | None = None,
    line: int | None = None,
    turn_lines: Sequence[int] | None = None,
) -> Transcript:
    """Validate one canonical transcript object; errors name the offending key.
    ``turn_lines``: the file line of each turn object, when the reader knows them."""

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
    if turn_lines is not None and len(turn_lines) != len(turns_data):
        turn_lines = None
    for index, item in enumerate(turns_data):
        turn = _turn_from_obj(item, label, roles, where(f"turns[{index}]"), warnings)
        if turn is not None:
            if turn_lines is not None:
                turn = replace(turn, line=turn_lines[index])
            elif line is not None:
                turn = replace(turn, line=line)  # a JSONL record: its line
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
        **metadata({key: _optional_str(data, key, label, where) for key in METADATA_FIELDS}),
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
    start = time_field(item, "start", label, place, warnings)
    end = time_field(item, "end", label, place, warnings)
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


def _optional_str(data: Mapping[str, Any], key: str, label: str, where: Any) -> str | None:
    value = data.get(key)
    if value is None or isinstance(value, str):
        return value
    if key == "id" and isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    raise InputError(label, f"'{key}' must be a string", where(key))


def transcript_to_dict(transcript: Transcript) -> dict[str, Any]:
    """The canonical JSON object for ``transcript``: what ``transcript_from_obj`` reads back.

    Why: converters (captions, CSV, chat logs -> canonical JSON) and the
    round-trip property tests need one writer that is the reader's inverse.
    Optional keys are left out when empty, so the output stays minimal and
    stable; where the text came from (path, line) and the reader's warnings
    are not part of the transcript's content and are not written.
    """
    out: dict[str, Any] = {}
    for key in ("id", "language", "channel", *METADATA_FIELDS):
        value = getattr(transcript, key)
        if value is not None:
            out[key] = value
    if transcript.ignore:
        out["lint"] = {"ignore": sorted(transcript.ignore)}
    turns = []
    for turn in transcript.turns:
        item: dict[str, Any] = {"speaker": turn.speaker, "text": turn.text}
        if turn.start is not None:
            item["start"] = turn.start
        if turn.end is not None:
            item["end"] = turn.end
        if turn.ignore:
            item["lint"] = {"ignore": sorted(turn.ignore)}
        turns.append(item)
    out["turns"] = turns
    return out
