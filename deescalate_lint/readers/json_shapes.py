"""Every JSON reader: ``.json`` and JSONL, told apart from each other by extension
and sniff, and the shape of each object told by its keys.

The shapes: canonical (``canonical.py``), Amazon Transcribe Call Analytics
and Contact Lens (``aws.py``) and chat-completion message lists
(``chat.py``). The shape is chosen *inside* the reader, per object, by the
keys it has (``transcript_from_any``), rather than by a sniff consulted
before the extension. Why: the shapes are told apart by keys, not by the
first bytes, and only a parse shows the keys; one dispatch parses once, works
the same for a file, stdin and each line of a JSONL file (fine-tuning sets
are JSONL of ``{"messages": [...]}``), and lets one list mix shapes. The names
``transcribe``, ``contact-lens`` and ``chat`` force one shape
(``--input-format``).

Why this module sits above the shape modules: they are parsed alike
(``jsondoc``) and none of them needs another, so every import is at the top
and there is no cycle between them.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from ..errors import InputError
from ..model import Transcript
from ..regexes import compile_pattern
from ..roles import RoleTable
from .aws import transcript_from_aws
from .canonical import plain_transcript, transcript_from_obj
from .chat import is_message_list, transcript_from_chat_object, transcript_from_messages
from .common import kind
from .jsondoc import parse_json
from .registry import ReadItem, register
from .source import Source
from .vcon import is_vcon, transcript_from_vcon

#: An object opening with a key, or a list opening with an object, a list or
#: its end: JSON. ``[00:12] Agent: ...`` (a timestamped text transcript) is not.
_JSON_START = compile_pattern(r'\A\s*(?:\{\s*["}]|\[\s*[{\[\]])')


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
    yield from _read_document(source, roles, None)


def transcripts_from_document(
    data: Any,
    label: str,
    roles: RoleTable,
    shape: str | None = None,
    turn_lines: Sequence[int] | None = None,
) -> Iterator[ReadItem]:
    """A parsed ``.json`` document: one transcript, a list of them, or one message list.
    ``turn_lines``: the file line of every canonical turn object, in document order."""
    if isinstance(data, list) and (shape == "chat" or (shape is None and is_message_list(data))):
        yield transcript_from_messages(data, label)
        return
    if isinstance(data, list):
        offset = 0
        for index, item in enumerate(data):
            count = _turn_count(item)
            lines = turn_lines[offset : offset + count] if turn_lines else None
            offset += count
            try:
                yield transcript_from_any(
                    item, label, roles, place=f"[{index}]", shape=shape, turn_lines=lines
                )
            except InputError as exc:
                yield exc
    else:
        yield transcript_from_any(data, label, roles, shape=shape, turn_lines=turn_lines)


def _turn_count(item: Any) -> int:
    turns = item.get("turns") if isinstance(item, Mapping) else None
    return len(turns) if isinstance(turns, list) else 0


def transcript_from_any(
    data: Any,
    label: str,
    roles: RoleTable,
    place: str | None = None,
    line: int | None = None,
    shape: str | None = None,
    turn_lines: Sequence[int] | None = None,
) -> Transcript:
    """One JSON object of any supported shape; ``shape`` forces one.

    ``turns`` -> canonical; ``messages`` -> chat completion; ``Transcript`` ->
    Amazon Transcribe Call Analytics (roles on each segment) or Contact Lens
    (``Participants`` joined by ``ParticipantId``).
    """
    if not isinstance(data, Mapping):
        raise InputError(label, f"expected a transcript object, got {kind(data)}", place)
    if shape is None:
        if "turns" in data:
            shape = "json"
        elif "messages" in data:
            shape = "chat"
        elif "Transcript" in data:
            shape = "aws"
        elif is_vcon(data):
            shape = "vcon"
        else:
            raise InputError(
                label,
                "not a transcript: expected a 'turns' list (canonical), a 'messages' list "
                "(chat completion), a 'Transcript' list (Amazon Transcribe / Contact Lens) "
                "or a vCon ('vcon', 'parties', 'dialog')",
                place,
            )
    if shape == "chat":
        return transcript_from_chat_object(data, label, place=place, line=line)
    if shape == "vcon":
        return transcript_from_vcon(data, label, roles, place=place, line=line)
    if shape in ("aws", "transcribe", "contact-lens"):
        return transcript_from_aws(
            data, label, place=place, line=line, flavour=None if shape == "aws" else shape
        )
    return transcript_from_obj(data, label, roles, place=place, line=line, turn_lines=turn_lines)


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
            if type(data) is dict and "turns" in data:
                # The canonical shape's plain kind, read quickly (else in full below).
                found = plain_transcript(data, source.label, roles, number)
                if found is not None:
                    yield found
                    continue
            if isinstance(data, list):
                # A bare message list per line: the only list a JSONL line can hold.
                yield transcript_from_messages(
                    data, source.label, place=f"line {number}", line=number
                )
            else:
                place = f"line {number}"
                yield transcript_from_any(data, source.label, roles, place=place, line=number)
        except InputError as exc:
            yield exc


@register("transcribe", extensions=())
def read_transcribe(source: Source, roles: RoleTable) -> Iterator[ReadItem]:
    """Forced with ``--input-format transcribe``; ``.json`` files get here by content."""
    yield from _read_document(source, roles, "transcribe")


@register("contact-lens", extensions=())
def read_contact_lens(source: Source, roles: RoleTable) -> Iterator[ReadItem]:
    """Forced with ``--input-format contact-lens``; ``.json`` files get here by content."""
    yield from _read_document(source, roles, "contact-lens")


@register("chat", extensions=())
def read_chat(source: Source, roles: RoleTable) -> Iterator[ReadItem]:
    """Forced with ``--input-format chat``; ``.json`` files get here by content."""
    yield from _read_document(source, roles, "chat")


def _read_document(source: Source, roles: RoleTable, shape: str | None) -> Iterator[ReadItem]:
    text = source.read_text()
    data = parse_json(text, source.label)
    lines = _speaker_lines(text, data)
    yield from transcripts_from_document(data, source.label, roles, shape=shape, turn_lines=lines)


#: A ``"speaker"`` key (not inside a string: a quote there would be escaped).
_SPEAKER_KEY = compile_pattern(r'(?<!\\)"speaker"\s*:')


def _speaker_lines(text: str, data: Any) -> list[int] | None:
    """The file line of each canonical turn's ``"speaker"`` key, in document order,
    when there is exactly one per turn object (else None: lines are not guessed).

    Why: JSON parsers keep no positions, and annotations (GitHub, SARIF) want a
    line; the canonical reader numbers its turns in document order
    and gives each turn the line at its ordinal.
    """
    turns = sum(_turn_count(d) for d in (data if isinstance(data, list) else [data]))
    if not turns:
        return None
    lines: list[int] = []
    line, at = 1, 0
    for match in _SPEAKER_KEY.finditer(text):
        if len(lines) == turns:
            return None  # more keys than turns: something else is named "speaker"
        line += text.count("\n", at, match.start())
        at = match.start()
        lines.append(line)
    return lines if len(lines) == turns else None
