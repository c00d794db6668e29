"""The reader registry: names, extensions, sniffing, forcing, and reader options."""

from __future__ import annotations

import shutil
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import pytest

from deescalate_lint import InputError, Linter, Transcript, Turn
from deescalate_lint.model import Role
from deescalate_lint.readers import (
    Source,
    choose_reader,
    iter_sources,
    known_extensions,
    read_source,
    reader_names,
    register,
)
from deescalate_lint.readers.registry import _REGISTRY
from deescalate_lint.roles import RoleTable, default_role_table

FIXTURES = Path(__file__).parent / "fixtures" / "readers"


def test_every_format_has_a_name_and_the_new_extensions_are_known() -> None:
    assert {
        "vtt",
        "srt",
        "csv",
        "transcribe",
        "contact-lens",
        "chat",
        "json",
        "jsonl",
        "text",
    } <= set(reader_names())
    assert {".vtt", ".srt", ".csv", ".tsv", ".json"} <= known_extensions()


@pytest.mark.parametrize(
    ("fixture", "expected"),
    [
        ("overlap_call.vtt", "vtt"),
        ("chat_like.srt", "srt"),
        ("calls.csv", "csv"),
        ("split_conversation.csv", "csv"),
        ("transcribe_call.json", "json"),
        ("contact_lens_call.json", "json"),
        ("chat_messages.json", "json"),
    ],
)
def test_stdin_content_is_sniffed(fixture: str, expected: str) -> None:
    data = (FIXTURES / fixture).read_text(encoding="utf-8")
    assert choose_reader(Source.from_text(data, label="<stdin>")).name == expected


@pytest.mark.parametrize(
    "text",
    [
        "Agent: Thanks for waiting, the id, name and text are below.",
        "id,name\n1,Sam\n",  # a CSV, but not of turns
        "Hello {{ name }}, we are sorry for the wait.",
    ],
)
def test_ambiguous_content_stays_plain_text(text: str) -> None:
    assert choose_reader(Source.from_text(text, label="<stdin>")).name == "text"


@pytest.mark.parametrize(
    ("fixture", "input_format", "turns"),
    [
        ("overlap_call.vtt", "vtt", 4),
        ("chat_like.srt", "srt", 3),
        ("transcribe_call.json", "transcribe", 3),
        ("contact_lens_call.json", "contact-lens", 3),
        ("chat_messages.json", "chat", 2),
        ("calls.csv", "csv", 3),
    ],
)
def test_forced_format_reads_a_file_with_any_name(
    tmp_path: Path, fixture: str, input_format: str, turns: int
) -> None:
    """``--input-format`` (``Linter(input_format=...)``) wins over the extension."""
    renamed = tmp_path / "export.dat"
    shutil.copy(FIXTURES / fixture, renamed)
    items = list(Linter(input_format=input_format, language="en").lint_paths([str(renamed)]))
    assert not [i for i in items if isinstance(i, InputError)], items
    transcripts = list(
        read_source(Source.file(renamed), default_role_table(), input_format=input_format)
    )
    first = transcripts[0]
    assert isinstance(first, Transcript) and len(first.turns) == turns


def test_directory_walk_finds_the_new_formats(tmp_path: Path) -> None:
    for name in ("overlap_call.vtt", "chat_like.srt", "calls.csv", "notes.bin"):
        source = FIXTURES / name
        target = tmp_path / name
        if source.exists():
            shutil.copy(source, target)
        else:
            target.write_bytes(b"\x00\x01")
    found = [s.label for s in iter_sources([str(tmp_path)]) if isinstance(s, Source)]
    assert [Path(f).name for f in found] == ["calls.csv", "chat_like.srt", "overlap_call.vtt"]


@pytest.fixture
def plugin_readers() -> Iterator[list[Mapping[str, Any] | None]]:
    """Two throw-away plug-ins: an old-style two-argument one and one taking options."""
    seen: list[Mapping[str, Any] | None] = []

    @register("test-two-args", extensions=(".twoargs",))
    def read_two(source: Source, roles: RoleTable) -> Iterator[Transcript | InputError]:
        yield Transcript(turns=(Turn("agent", Role.AGENT, source.read_text()),), path=source.label)

    def check(options: Mapping[str, Any]) -> None:
        if set(options) - {"shout"}:
            from deescalate_lint import ConfigError

            raise ConfigError("only 'shout'")

    @register("test-options", extensions=(".opts",), check_options=check)
    def read_opts(
        source: Source, roles: RoleTable, options: Mapping[str, Any]
    ) -> Iterator[Transcript | InputError]:
        seen.append(options)
        text = source.read_text()
        text = text.upper() if options.get("shout") else text
        yield Transcript(turns=(Turn("agent", Role.AGENT, text),), path=source.label)

    try:
        yield seen
    finally:
        _REGISTRY.pop("test-two-args", None)
        _REGISTRY.pop("test-options", None)


def test_plugins_with_and_without_options(
    tmp_path: Path, plugin_readers: list[Mapping[str, Any] | None]
) -> None:
    two = tmp_path / "a.twoargs"
    two.write_text("Calm down.", encoding="utf-8")
    opts = tmp_path / "b.opts"
    opts.write_text("calm down.", encoding="utf-8")
    (transcript,) = read_source(Source.file(two), default_role_table())
    assert isinstance(transcript, Transcript) and transcript.turns[0].text == "Calm down."

    linter = Linter(language="en", reader_options={"test-options": {"shout": "yes"}})
    results = list(linter.lint_paths([str(opts)]))
    assert plugin_readers == [{"shout": "yes"}]
    assert any(getattr(r, "evidence", None) == "CALM DOWN" for r in results), results
    # Without options the reader gets an empty mapping, never None.
    list(read_source(Source.file(opts), default_role_table()))
    assert plugin_readers[-1] == {}
