"""JSON transcripts (``.json``) and their streaming form, JSONL.

The canonical shape: ``{"id"?, "language"?, "channel"?, "turns": [{"speaker",
"text", "start"?, "end"?, "lint"?}], "lint"?}``; a ``.json`` file may also hold
a list of them.

Other tools also write ``.json``: Amazon Transcribe Call Analytics and Contact
Lens (``aws.py``) and chat-completion message lists (``chat.py``). The format is
chosen *inside* this reader, per object, by the keys it has
(``transcript_from_any``), rather than by a sniff consulted before the
extension. Why: the shapes are told apart by keys, not by the first bytes, and
only a parse shows the keys; one dispatch parses once, works the same for a
file, stdin and each line of a JSONL file (fine-tuning sets are JSONL of
``{"messages": [...]}``), and lets one list mix shapes. The names
``transcribe``, ``contact-lens`` and ``chat`` force one shape (``--input-format``).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping
from typing import Any

import regex

from ..errors import InputError
from ..model import Role, Transcript, Turn
from ..roles import SKIP, RoleTable
from . import ReadItem, register
from .common import kind as _kind
from .common import time_field
from .source import Source

#: Deeper JSON than this is refused before the parser can exhaust the stack.
MAX_JSON_DEPTH = 64

#: An object opening with a key, or a list opening with an object, a list or
#: its end: JSON. ``[00:12] Agent: ...`` (a timestamped text transcript) is not.
_JSON_START = regex.compile(r'\A\s*(?:\{\s*["}]|\[\s*[{\[\]])')


def _looks_like_json(head: str) -> bool:
    return _JSON_START.match(head) is not None and not _looks_like_jsonl(head)


def _looks_like_jsonl(head: str) -> bool:
    """Two or more lines, each a whole JSON object: JSONL on stdin or without extension."""
    lines = [line for line in head.splitlines() if line.strip()]
    if len(lines) < 2 or not lines[1].lstrip().startswith("{"):
        return False
    try:
        return isinstance(json.loads(lines[0]), dict)
    except ValueError:
        return False


@register("json", extensions=(".json",), sniff=_looks_like_json)
def read_json(source: Source, roles: RoleTable) -> Iterator[ReadItem]:
    data = parse_json(source.read_text(), source.label)
    yield from transcripts_from_document(data, source.label, roles)


def transcripts_from_document(
    data: Any, label: str, roles: RoleTable, shape: str | None = None
) -> Iterator[ReadItem]:
    """A parsed ``.json`` document: one transcript, a list of them, or one message list."""
    from .chat import is_message_list, transcript_from_messages

    if isinstance(data, list) and (shape == "chat" or (shape is None and is_message_list(data))):
        yield transcript_from_messages(data, label)
        return
    if isinstance(data, list):
        for index, item in enumerate(data):
            try:
                yield transcript_from_any(item, label, roles, place=f"[{index}]", shape=shape)
            except InputError as exc:
                yield exc
    else:
        yield transcript_from_any(data, label, roles, shape=shape)


def transcript_from_any(
    data: Any,
    label: str,
    roles: RoleTable,
    place: str | None = None,
    line: int | None = None,
    shape: str | None = None,
) -> Transcript:
    """One JSON object of any supported shape; ``shape`` forces one.

    ``turns`` -> canonical; ``messages`` -> chat completion; ``Transcript`` ->
    Amazon Transcribe Call Analytics (roles on each segment) or Contact Lens
    (``Participants`` joined by ``ParticipantId``).
    """
    from .aws import transcript_from_aws
    from .chat import transcript_from_chat_object

    if not isinstance(data, Mapping):
        raise InputError(label, f"expected a transcript object, got {_kind(data)}", place)
    if shape is None:
        if "turns" in data:
            shape = "json"
        elif "messages" in data:
            shape = "chat"
        elif "Transcript" in data:
            shape = "aws"
        else:
            raise InputError(
                label,
                "not a transcript: expected a 'turns' list (canonical), a 'messages' list "
                "(chat completion) or a 'Transcript' list (Amazon Transcribe / Contact Lens)",
                place,
            )
    if shape == "chat":
        return transcript_from_chat_object(data, label, place=place, line=line)
    if shape in ("aws", "transcribe", "contact-lens"):
        return transcript_from_aws(
            data, label, place=place, line=line, flavour=None if shape == "aws" else shape
        )
    return transcript_from_obj(data, label, roles, place=place, line=line)


@register("jsonl", extensions=(".jsonl", ".ndjson"), sniff=_looks_like_jsonl)
def read_jsonl(source: Source, roles: RoleTable) -> Iterator[ReadItem]:
    """One transcript per line (any JSON shape), streamed: memory stays flat."""
    for number, line in source.iter_lines():
        if isinstance(line, InputError):
            yield line
            continue
        if not line.strip():
            continue
        try:
            data = parse_json(line, source.label, line_offset=number - 1)
            if isinstance(data, list):
                from .chat import transcript_from_messages

                # A bare message list per line: the only list a JSONL line can hold.
                yield transcript_from_messages(
                    data, source.label, place=f"line {number}", line=number
                )
            else:
                place = f"line {number}"
                yield transcript_from_any(data, source.label, roles, place=place, line=number)
        except InputError as exc:
            yield exc


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
    for key in ("id", "language", "channel"):
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
