"""The canonical JSON transcript object, read and written.

The canonical shape: ``{"id"?, "language"?, "channel"?, "agent"?, "team"?,
"queue"?, "date"?, "turns": [{"speaker", "text", "start"?, "end"?, "lint"?}],
"lint"?}``; a ``.json`` file may also hold
a list of them, and a JSONL file one per line (``json_shapes.py`` reads both
and tells this shape from the others).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import MISSING, fields, replace
from typing import Any, TypeVar

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


def plain_transcript(
    data: dict[str, Any], label: str, roles: RoleTable, line: int | None
) -> Transcript | None:
    """A canonical object read quickly, when it is the plain kind (known speakers,
    string texts, usable times or none, no ``lint`` objects, a string id);
    None for anything else, which ``transcript_from_obj`` then reads, with its
    errors and warnings. Same Transcript either way (tests/test_core_readers.py).

    Why: reading and validating turn by turn was a fifth of the linting time
    on the real corpora once the rules got cheap (issue #14).
    """
    turns_data = data.get("turns")
    if type(turns_data) is not list or data.get("lint") is not None:
        return None
    transcript_id, language, channel = data.get("id"), data.get("language"), data.get("channel")
    agent, team, queue, date = (data.get(key) for key in METADATA_FIELDS)
    for value in (transcript_id, language, channel, agent, team, queue, date):
        if value is not None and type(value) is not str:
            return None
    known = _known_roles(roles)
    turns: list[Turn] = []
    for item in turns_data:
        if type(item) is not dict or item.get("lint") is not None:
            return None
        speaker = item.get("speaker")
        role = known.get(speaker) if type(speaker) is str else None
        if role is None:
            if type(speaker) is not str:
                return None
            role = known[speaker] = roles.resolve(speaker) if speaker.strip() else None
            if role is None:
                return None
        text = item.get("text", "")
        if text is None:
            text = ""
        elif type(text) is not str:
            return None
        if role == SKIP:
            continue
        start, end = _plain_time(item.get("start")), _plain_time(item.get("end"))
        if start is _UNUSABLE or end is _UNUSABLE:
            return None
        if start is not None and end is not None and end < start:
            return None
        # A JSONL record's turns carry its line (as ``transcript_from_obj`` gives them).
        turns.append(
            _new(
                Turn,
                _TURN,
                {"speaker": speaker, "role": role, "text": text, "start": start, "end": end},
                line,
            )
        )
    return _new(
        Transcript,
        _TRANSCRIPT,
        {
            "turns": tuple(turns),
            "id": transcript_id,
            "language": language,
            "channel": channel,
            "path": label,
            "agent": agent,
            "team": team,
            "queue": queue,
            "date": date,
        },
        line,
    )


def _defaults(cls: type) -> dict[str, Any]:
    """A frozen dataclass's field defaults (it has no ``__post_init__``)."""
    assert not hasattr(cls, "__post_init__"), cls
    out = {}
    for item in fields(cls):
        if item.default is not MISSING:
            out[item.name] = item.default
        elif item.default_factory is not MISSING:
            out[item.name] = item.default_factory()  # immutable defaults only (frozensets)
    return out


_TURN = _defaults(Turn)
_TRANSCRIPT = _defaults(Transcript)
_T = TypeVar("_T")


def _new(cls: type[_T], defaults: dict[str, Any], values: dict[str, Any], line: int | None) -> _T:
    """``cls(**values, line=line)``, made without the frozen dataclass's ``__init__``
    (one ``object.__setattr__`` per field: most of the cost of reading a turn).
    Same object: the fields' defaults, then the values given."""
    made = object.__new__(cls)
    made.__dict__.update(defaults, **values, line=line)
    return made


_INFINITY = float("inf")
_UNUSABLE = -1.0


def _plain_time(value: object) -> float | None:
    """A time ``time_field`` takes without a word (None when absent), or
    ``_UNUSABLE`` for any other (a wrong type, negative, not finite, too big)."""
    if value is None:
        return None
    if type(value) not in (int, float):
        return _UNUSABLE
    try:
        number = float(value)  # type: ignore[arg-type]
    except OverflowError:
        return _UNUSABLE
    return number if 0 <= number < _INFINITY else _UNUSABLE


#: Per role table (by id, kept alive here): speaker label -> role, as resolved.
_KNOWN: dict[int, tuple[RoleTable, dict[str, Role | str | None]]] = {}


def _known_roles(roles: RoleTable) -> dict[str, Role | str | None]:
    found = _KNOWN.get(id(roles))
    if found is None or found[0] is not roles:
        if len(_KNOWN) > 32:
            _KNOWN.clear()
        found = _KNOWN[id(roles)] = (roles, {})
    return found[1]


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
