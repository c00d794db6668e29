"""Plain-text transcripts (``Agent: ...`` lines) and unlabelled response templates.

A line that starts with a known speaker label (optionally after a ``[mm:ss]`` or
``[hh:mm:ss]`` timestamp) opens a turn; an unlabelled line continues the turn
before it. A file with no labelled line at all is a response template: one
agent turn holding the whole text, so offsets point straight into the file.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import lru_cache

import regex

from ..model import Role, Transcript, Turn
from ..roles import SKIP, RoleTable
from .registry import ReadItem, register
from .source import Source

_TIMESTAMP = r"\[(?P<ts>(?:\d{1,2}:)?\d{1,2}:\d{2}(?:[.,]\d+)?)\]"


@lru_cache(maxsize=8)
def _line_pattern(labels: tuple[str, ...]) -> regex.Pattern[str]:
    alternation = "|".join(regex.escape(label) for label in labels)
    return regex.compile(
        rf"^[ \t]*(?:{_TIMESTAMP}[ \t]*)?(?P<label>{alternation})"
        r"[ \t]*(?:\([^)\n]{0,40}\))?[ \t]*[:：][ \t]?",
        regex.IGNORECASE,
    )


def parse_timestamp(value: str) -> float:
    parts = value.replace(",", ".").split(":")
    seconds = 0.0
    for part in parts:
        seconds = seconds * 60 + float(part)
    return seconds


@register("text", extensions=(".txt", ".text", ".md", ".markdown", ".tmpl"))
def read_text(source: Source, roles: RoleTable) -> Iterator[ReadItem]:
    yield parse_text(source.read_text(), source.label, roles)


def parse_text(content: str, label: str, roles: RoleTable) -> Transcript:
    pattern = _line_pattern(tuple(roles.known_labels()))
    turns: list[tuple[str, Role | str, float | None, list[str]]] = []
    for line in content.splitlines():
        match = pattern.match(line)
        if match:
            speaker = match.group("label")
            role = roles.resolve(speaker)
            assert role is not None
            ts = match.group("ts")
            start = parse_timestamp(ts) if ts else None
            turns.append((speaker, role, start, [line[match.end() :]]))
        elif turns:
            turns[-1][3].append(line)
        # Lines before the first speaker label are a header and are not judged.
    if not turns:
        return Transcript(
            turns=(Turn(speaker="agent", role=Role.AGENT, text=content),),
            path=label,
            template=True,
        )
    built = tuple(
        Turn(speaker=speaker, role=role, text="\n".join(lines).rstrip(), start=start)
        for speaker, role, start, lines in turns
        if role != SKIP and isinstance(role, Role)
    )
    return Transcript(turns=built, path=label)
