"""Plain-text transcripts (``Agent: ...`` lines), unlabelled response templates,
and template files (``.html``, ``.j2``, ``.hbs``, ``.liquid``...) read whole.

A line that starts with a known speaker label (optionally after a ``[mm:ss]`` or
``[hh:mm:ss]`` timestamp) opens a turn; an unlabelled line continues the turn
before it. A file with no labelled line at all is a response template: one
agent turn holding the whole text, so offsets point straight into the file.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache

import regex

from ..model import Role, Transcript, Turn
from ..regexes import compile_pattern
from ..roles import SKIP, RoleTable
from .registry import ReadItem, register
from .source import Source

_TIMESTAMP = r"\[(?P<ts>(?:\d{1,2}:)?\d{1,2}:\d{2}(?:[.,]\d+)?)\]"


@lru_cache(maxsize=8)
def _line_pattern(labels: tuple[str, ...]) -> regex.Pattern[str]:
    alternation = "|".join(regex.escape(label) for label in labels)
    return compile_pattern(
        rf"^[ \t]*(?:{_TIMESTAMP}[ \t]*)?(?P<label>{alternation})"
        r"[ \t]*(?:\([^)\n]{0,40}\))?[ \t]*[:：][ \t]?",
        regex.IGNORECASE,
    )


#: What may come before a label: blanks and a bracketed timestamp (stdlib
#: ``re``: it compiles in microseconds).
_LEAD = re.compile(r"[ \t]*(?:\[[^\]\n]*\][ \t]*)?")


@lru_cache(maxsize=8)
def _label_starts(labels: tuple[str, ...]) -> tuple[tuple[str, ...], int]:
    """The labels case folded, and the longest one's length."""
    return tuple(label.casefold() for label in labels), max(map(len, labels), default=0)


def _may_open_turn(line: str, starts: tuple[str, ...], longest: int) -> bool:
    """Whether ``line`` may start with a known label (after blanks, or blanks and a
    bracketed timestamp), compared case folded: true wherever ``_line_pattern``
    matches. Why: compiling that alternation of every language's labels is a
    tenth of a cold start (25 ms), and a reply template has no label line.
    """
    blanks = len(line) - len(line.lstrip(" \t"))
    if line[blanks : blanks + longest].casefold().startswith(starts):
        return True
    lead = _LEAD.match(line)
    end = lead.end() if lead else 0
    return end != blanks and line[end : end + longest].casefold().startswith(starts)


def parse_timestamp(value: str) -> float:
    parts = value.replace(",", ".").split(":")
    seconds = 0.0
    for part in parts:
        seconds = seconds * 60 + float(part)
    return seconds


@register("text", extensions=(".txt", ".text", ".md", ".markdown", ".tmpl"))
def read_text(source: Source, roles: RoleTable) -> Iterator[ReadItem]:
    yield parse_text(source.read_text(), source.label, roles)


#: Reply-template files (HTML, Jinja, Handlebars, Liquid, Mustache...): the
#: extensions the pre-commit hook passes, found by a directory walk too.
TEMPLATE_EXTENSIONS = (
    ".html",
    ".htm",
    ".j2",
    ".jinja",
    ".jinja2",
    ".hbs",
    ".handlebars",
    ".mustache",
    ".liquid",
    ".tpl",
)
#: What marks a file this tool wrote (the HTML report): never linted as a template.
GENERATOR_MARK = '<meta name="generator" content="deescalate-lint'


@register("template", extensions=TEMPLATE_EXTENSIONS)
def read_template(source: Source, roles: RoleTable) -> Iterator[ReadItem]:
    """The whole file as one response template (one agent turn), speaker labels or not.

    Why not the text reader: a macro may quote a dialogue ("Customer: ..."),
    and it is still one reply. A report this tool wrote is skipped (its quotes
    of agents' words would be findings again): the engine then says the file
    held nothing to check.
    """
    content = source.read_text()
    if GENERATOR_MARK in content[:2048]:
        return
    yield template(content, source.label)


def template(content: str, label: str) -> Transcript:
    """``content`` as a response template: one agent turn holding the whole text."""
    return Transcript(
        turns=(Turn(speaker="agent", role=Role.AGENT, text=content),),
        path=label,
        template=True,
    )


def parse_text(content: str, label: str, roles: RoleTable) -> Transcript:
    labels = tuple(roles.known_labels())
    starts, longest = _label_starts(labels)
    pattern = None
    turns: list[tuple[str, Role | str, float | None, list[str], int, int]] = []
    for number, line in enumerate(content.splitlines(), start=1):
        match = None
        if starts and _may_open_turn(line, starts, longest):
            pattern = pattern or _line_pattern(labels)
            match = pattern.match(line)
        if match:
            speaker = match.group("label")
            role = roles.resolve(speaker)
            assert role is not None
            ts = match.group("ts")
            start = parse_timestamp(ts) if ts else None
            turns.append((speaker, role, start, [line[match.end() :]], number, match.end() + 1))
        elif turns:
            turns[-1][3].append(line)
        # Lines before the first speaker label are a header and are not judged.
    if not turns:
        return template(content, label)
    built = tuple(
        Turn(
            speaker=speaker,
            role=role,
            text="\n".join(lines).rstrip(),
            start=start,
            line=number,
            column=column,
        )
        for speaker, role, start, lines, number, column in turns
        if role != SKIP and isinstance(role, Role)
    )
    return Transcript(turns=built, path=label)
