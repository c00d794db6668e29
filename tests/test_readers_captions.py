"""WebVTT and SRT captions: speakers, cue times, joined cues, overlaps, errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from cli_run import run_cli

from deescalate_lint import InputError, Linter, Role, Transcript
from deescalate_lint.readers import Source, read_source
from deescalate_lint.roles import default_role_table

FIXTURES = Path(__file__).parent / "fixtures" / "readers"
REPO = Path(__file__).resolve().parent.parent


def read_all(path: Path, roles: dict[str, str] | None = None) -> list[Transcript | InputError]:
    table = default_role_table().with_overrides(roles or {})
    return list(read_source(Source.file(path), table))


def only_transcript(items: list[Transcript | InputError]) -> Transcript:
    assert len(items) == 1, items
    assert isinstance(items[0], Transcript), items[0]
    return items[0]


def test_vtt_voice_tags_become_timed_turns_and_a_speakers_cues_are_joined() -> None:
    transcript = only_transcript(read_all(FIXTURES / "overlap_call.vtt"))
    roles = [t.role for t in transcript.turns]
    assert roles == [Role.AGENT, Role.CUSTOMER, Role.AGENT, Role.CUSTOMER]
    customer = transcript.turns[1]
    # Cues 2 and 3 are one customer turn: start of the first, end of the last.
    assert (customer.start, customer.end) == (3.2, 13.5)
    assert customer.text.startswith("My fridge stopped cooling")
    assert customer.text.endswith("the visit is cancelled")
    assert "nobody came and I had to" in customer.text  # joined with one space
    assert "NOTE" not in " ".join(t.text for t in transcript.turns)
    assert transcript.has_timing
    assert transcript.turns[2].start == 9.0


def test_overlapping_cue_gives_interruption_finding_through_the_cli() -> None:
    """The agent's cue starts 4.5 s before the customer's cue ends: DL101.

    The same call with the agent waiting for the customer to finish is clean,
    so the finding comes from the cue times, not from the words.
    """
    completed = run_cli(
        [
            "--language",
            "en",
            "--format",
            "json",
            str(FIXTURES / "overlap_call.vtt"),
            str(FIXTURES / "waiting_call.vtt"),
        ],
        REPO,
    )
    assert completed.returncode == 1, completed.stderr
    results = json.loads(completed.stdout)
    findings = [r for r in results if r["kind"] == "finding"]
    interruptions = [f for f in findings if f["code"] == "DL101"]
    # Both calls answer a customer who called twice with a bare question, which
    # is missing empathy (DL106); only the overlapping one is an interruption.
    assert {f["code"] for f in findings} == {"DL101", "DL106"}
    assert len(interruptions) == 1, findings
    found = interruptions[0]
    assert found["path"].endswith("overlap_call.vtt")
    assert found["turn"] == 2
    assert found["evidence"] == "Okay what is the order number"
    assert "4.5 s before the customer finished" in found["message"]
    waiting = [f["code"] for f in findings if f["path"].endswith("waiting_call.vtt")]
    assert waiting == ["DL106"]


def test_zoom_style_names_need_the_role_table_and_unknown_names_are_an_error() -> None:
    items = read_all(FIXTURES / "zoom_names.vtt")
    assert len(items) == 1 and isinstance(items[0], InputError)
    error = items[0]
    assert error.place == "cue 1 (line 3)"
    assert "'Dana Whitfield'" in error.detail and "'Lee Okafor'" in error.detail

    transcript = only_transcript(
        read_all(FIXTURES / "zoom_names.vtt", {"Dana Whitfield": "agent", "Lee Okafor": "customer"})
    )
    assert [t.speaker for t in transcript.turns] == [
        "Dana Whitfield",
        "Lee Okafor",
        "Dana Whitfield",
    ]
    # The unlabelled cue 3 continues Lee's turn; the entity is decoded.
    assert transcript.turns[1].text == (
        "I was charged twice for the same & only order. That is the third time this year."
    )
    assert (transcript.turns[1].start, transcript.turns[1].end) == (4.0, 11.0)
    linter = Linter(language="en", roles={"Dana Whitfield": "agent", "Lee Okafor": "customer"})
    findings = linter.lint(transcript)
    assert any(f.code == "DL102" and f.turn == 2 for f in findings), findings


def test_srt_with_name_prefixes_and_formatting_tags() -> None:
    transcript = only_transcript(read_all(FIXTURES / "chat_like.srt"))
    assert [(t.role, t.start, t.end) for t in transcript.turns] == [
        (Role.AGENT, 0.5, 2.0),
        (Role.CUSTOMER, 2.5, 6.0),
        (Role.AGENT, 6.5, 9.0),
    ]
    assert transcript.turns[1].text == "You charged me twice for my plan."


def test_unreadable_cue_is_an_error_naming_it_and_the_rest_is_still_read(tmp_path: Path) -> None:
    path = tmp_path / "broken.vtt"
    path.write_text(
        "WEBVTT\n\n"
        "00:00.000 --> 00:02.000\n<v Agent>Hello, how can I help?\n\n"
        "cue-two\n00:02.500 -> 00:05.000\n<v Customer>My order is late.\n\n"
        "00:05.500 --> 00:07.000\n<v Agent>Calm down, that is not my fault.\n",
        encoding="utf-8",
    )
    items = read_all(path)
    errors = [i for i in items if isinstance(i, InputError)]
    transcripts = [i for i in items if isinstance(i, Transcript)]
    assert len(errors) == 1 and errors[0].place == "cue 2 (line 6)"
    assert str(errors[0]).startswith(f"{path}:cue 2 (line 6): ")
    assert len(transcripts) == 1
    assert [t.role for t in transcripts[0].turns] == [Role.AGENT]  # the two agent cues join
    assert any("cue 2" in w for w in transcripts[0].warnings)


def test_forced_vtt_reader_refuses_a_file_without_the_header(tmp_path: Path) -> None:
    path = tmp_path / "captions.txt"
    path.write_text("00:00.000 --> 00:02.000\nAgent: Hello.\n", encoding="utf-8")
    items = list(read_source(Source.file(path), default_role_table(), input_format="vtt"))
    assert len(items) == 1 and isinstance(items[0], InputError)
    assert items[0].place == "line 1" and "WEBVTT" in items[0].detail


def test_cue_without_any_speaker_yet_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "anon.srt"
    path.write_text(
        "1\n00:00:01,000 --> 00:00:02,000\njust some words\n\n"
        "2\n00:00:02,000 --> 00:00:03,000\nAgent: Hello.\n",
        encoding="utf-8",
    )
    (error,) = read_all(path)
    assert isinstance(error, InputError) and error.place == "cue 1 (line 1)"
    assert "no speaker" in error.detail


def test_bom_crlf_several_voices_in_one_cue_and_colons_in_speech(tmp_path: Path) -> None:
    path = tmp_path / "teams.vtt"
    text = (
        "WEBVTT\r\n\r\n"
        "00:00:01.000 --> 00:00:04.000\r\n<v.loud Customer>Where is it?</v>\r\n"
        "<v Agent>Let me look.</v>\r\n\r\n"
        "00:00:04.500 --> 00:00:06.000\r\nOrder number: 4411 shows as shipped.\r\n"
    )
    path.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    transcript = only_transcript(read_all(path))
    assert [(t.role, t.text) for t in transcript.turns] == [
        (Role.CUSTOMER, "Where is it?"),
        # "Order number:" is speech (not a name), continuing the agent.
        (Role.AGENT, "Let me look. Order number: 4411 shows as shipped."),
    ]
    assert transcript.turns[1].end == 6.0


@pytest.mark.parametrize("name", ["overlap_call.vtt", "chat_like.srt"])
def test_captions_are_sniffed_from_stdin_content(name: str) -> None:
    from deescalate_lint.readers import choose_reader

    data = (FIXTURES / name).read_text(encoding="utf-8")
    spec = choose_reader(Source.from_text(data, label="<stdin>"))
    assert spec.name == name.rsplit(".", 1)[1]
    transcript = only_transcript(list(read_source(Source.from_text(data), default_role_table())))
    assert transcript.has_timing


def test_an_overflowing_cue_time_loses_its_timing_with_a_warning(tmp_path: Path) -> None:
    """Found by ``python -m fuzz vtt``: a 400-digit hour parsed to an infinite time."""
    hours = "9" * 400
    path = tmp_path / "huge.vtt"
    path.write_text(
        f"WEBVTT\n\n{hours}:00:00.000 --> {hours}:00:01.000\n<v Agent>Calm down\n\n"
        "00:00:02.000 --> 00:00:03.000\n<v Customer>What?\n",
        encoding="utf-8",
    )
    transcript = only_transcript(read_all(path))
    agent, customer = transcript.turns
    assert (agent.start, agent.end) == (None, None)
    assert (customer.start, customer.end) == (2.0, 3.0)
    assert transcript.warnings == (
        "segment 1: a time is negative, not a number or out of range; timing ignored for it",
    )
    assert [f.evidence for f in Linter().lint(transcript)] == ["Calm down"]
