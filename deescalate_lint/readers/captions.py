"""Caption files of recorded calls and meetings: WebVTT (``.vtt``) and SRT (``.srt``).

Who speaks comes from a WebVTT voice tag (``<v Agent>...</v>``, as Microsoft
Teams writes) or a ``Name: text`` prefix (as Zoom writes, in WebVTT and SRT).
A cue without either continues the speaker before it (captions split a
long turn over many cues and label only changes of speaker); a cue with no
speaker before any labelled one is an error naming it. Names go through the
role table, so ``Dana Whitfield`` must be mapped to agent or customer
(``Linter(roles={...})`` or the configuration's roles table); unknown names are
an error for the file rather than a guess.

Cue times become turn times, and a speaker's consecutive cues are one turn,
so a cue that starts before the other speaker's cue has ended is an overlap
the interruption rule can time. A cue that cannot be read (no timing line) is
reported as an error naming it, and the rest of the file is still linted.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import regex

from ..errors import InputError
from ..model import Role, Transcript
from ..regexes import compile_pattern
from ..roles import SKIP, RoleTable
from .common import Segment, merge_segments
from .registry import ReadItem, register
from .source import Source
from .text import parse_timestamp

_TIME = r"(?:\d+:)?\d{1,2}:\d{2}(?:[.,]\d{1,3})?"
_TIMING = compile_pattern(rf"^\s*(?P<start>{_TIME})\s*-->\s*(?P<end>{_TIME})(?:\s|$)")
_VOICE = compile_pattern(r"<v(?:\.[\w.\-]+)*(?:\s+(?P<name>[^>]*))?>")
_TAG = compile_pattern(r"</?[A-Za-z][^>\n]*>|<\d[\d:.]*>|</>")
#: ``Name:`` at the start of a cue line: a short name without sentence punctuation.
_NAME_PREFIX = compile_pattern(
    r"^\s*(?:-\s*)?(?P<name>[^\s:：.!?<>\-\[\]][^:：.!?<>\n]{0,39}?)\s*[:：]\s+"
)
_VTT_HEADER = compile_pattern(r"\A\ufeff?WEBVTT(?:[ \t]|\r?\n|\Z)")
_SRT_START = compile_pattern(rf"\A\ufeff?\s*\d+[ \t]*\r?\n[ \t]*{_TIME}[ \t]*-->[ \t]*{_TIME}")


def _looks_like_vtt(head: str) -> bool:
    return _VTT_HEADER.match(head) is not None


def _looks_like_srt(head: str) -> bool:
    return _SRT_START.match(head) is not None


@dataclass
class _Block:
    line: int
    lines: list[str]


@register("vtt", extensions=(".vtt",), sniff=_looks_like_vtt)
def read_vtt(source: Source, roles: RoleTable) -> Iterator[ReadItem]:
    yield from _read_captions(source, roles, webvtt=True)


@register("srt", extensions=(".srt",), sniff=_looks_like_srt)
def read_srt(source: Source, roles: RoleTable) -> Iterator[ReadItem]:
    yield from _read_captions(source, roles, webvtt=False)


def _blocks(source: Source) -> Iterator[_Block | InputError]:
    """Blank-line separated blocks, streamed, with the line each starts on."""
    current: _Block | None = None
    for number, line in source.iter_lines():
        if isinstance(line, InputError):
            yield line
            continue
        if not line.strip():
            if current is not None:
                yield current
                current = None
            continue
        if current is None:
            current = _Block(number, [])
        current.lines.append(line)
    if current is not None:
        yield current


def _read_captions(source: Source, roles: RoleTable, webvtt: bool) -> Iterator[ReadItem]:
    label = source.label
    segments: list[Segment] = []
    unknown: dict[str, str] = {}
    warnings: list[str] = []
    speaker: tuple[str, Role | str | None] | None = None
    cue_number = 0
    first = True
    for block in _blocks(source):
        if isinstance(block, InputError):
            yield block
            continue
        if first and webvtt:
            first = False
            if not block.lines[0].lstrip("\ufeff").startswith("WEBVTT"):
                raise InputError(
                    label, "not a WebVTT file: the first line must be WEBVTT", "line 1"
                )
            continue  # the header block (and any header metadata lines)
        first = False
        head = block.lines[0].strip()
        if webvtt and regex.match(r"(?:NOTE|STYLE|REGION)(?:\s|$)", head):
            continue
        cue_number += 1
        place = f"cue {cue_number} (line {block.line})"
        timing_at = next((i for i, text in enumerate(block.lines[:2]) if "-->" in text), None)
        timing = _TIMING.match(block.lines[timing_at]) if timing_at is not None else None
        if timing is None or timing_at is None:
            yield InputError(
                label, "cue without a readable timing line ('00:01.000 --> 00:04.000')", place
            )
            warnings.append(f"{place} could not be read and was left out")
            continue
        start = parse_timestamp(timing.group("start"))
        end = parse_timestamp(timing.group("end"))
        for name, text in _payload_groups(block.lines[timing_at + 1 :], roles, webvtt):
            if name is not None:
                role = roles.resolve(name)
                if role is None:
                    unknown.setdefault(name, place)
                speaker = (name, role)
            elif speaker is None:
                if text.strip():
                    raise InputError(
                        label,
                        "cue has no speaker: start it with a voice tag (<v Agent>) or 'Name:'",
                        place,
                    )
                continue
            who, role = speaker
            if role == SKIP or not isinstance(role, Role):
                continue
            segments.append(Segment(who, role, text, start, end))
    if unknown:
        names = ", ".join(f"{name!r} ({place})" for name, place in unknown.items())
        first_place = next(iter(unknown.values()))
        raise InputError(
            label,
            f"unknown speaker(s) {names}: map each to agent, customer or skip in the role table "
            "(the configuration's roles table or Linter(roles={...}))",
            first_place,
        )
    if cue_number == 0 and not segments:
        raise InputError(label, "no cues found")
    yield Transcript(turns=merge_segments(segments, warnings), path=label, warnings=tuple(warnings))


def _payload_groups(
    lines: list[str], roles: RoleTable, webvtt: bool
) -> list[tuple[str | None, str]]:
    """(speaker name or None, plain text) pieces of one cue's text."""
    payload = "\n".join(lines)
    groups: list[tuple[str | None, str]] = []
    voices = list(_VOICE.finditer(payload)) if webvtt else []
    if voices:
        if payload[: voices[0].start()].strip():
            groups.append((None, payload[: voices[0].start()]))
        for index, voice in enumerate(voices):
            stop = voices[index + 1].start() if index + 1 < len(voices) else len(payload)
            name = (voice.group("name") or "").strip() or None
            groups.append((name, payload[voice.end() : stop]))
    else:
        for position, line in enumerate(lines):
            prefix = _NAME_PREFIX.match(_strip_tags(line))
            named = prefix is not None and (
                roles.resolve(prefix.group("name")) is not None
                or (position == 0 and _looks_like_name(prefix.group("name")))
            )
            if prefix is not None and named:
                groups.append((prefix.group("name").strip(), _strip_tags(line)[prefix.end() :]))
            elif groups:
                name, text = groups[-1]
                groups[-1] = (name, f"{text}\n{line}")
            else:
                groups.append((None, line))
    return [(name, " ".join(_strip_tags(text).split())) for name, text in groups]


def _looks_like_name(text: str) -> bool:
    """``Dana Whitfield``, ``SAM``, ``김민수``: up to four words, each capitalised or uncased.

    So that ``Order number: 4411`` at the start of a cue stays text, while a
    name the role table does not know is reported rather than read as speech.
    """
    words = text.split()
    return 0 < len(words) <= 4 and all(not w[0].islower() and not w[0].isdigit() for w in words)


def _strip_tags(text: str) -> str:
    # Imported here: only caption files need it, and every run imports this module.
    from html import unescape

    return unescape(_TAG.sub("", text))
