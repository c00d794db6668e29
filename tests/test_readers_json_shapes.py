"""JSON of other tools, told apart by content: Transcribe, Contact Lens, chat messages."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from deescalate_lint import InputError, Linter, Role, Transcript
from deescalate_lint.readers import Source, choose_reader, read_source
from deescalate_lint.roles import default_role_table

FIXTURES = Path(__file__).parent / "fixtures" / "readers"


def read(source: Source, input_format: str | None = None) -> list[Transcript | InputError]:
    return list(read_source(source, default_role_table(), input_format))


def read_obj(data: Any, input_format: str | None = None) -> list[Transcript | InputError]:
    return read(Source.from_text(json.dumps(data), label="doc.json"), input_format)


@pytest.fixture(scope="module")
def linter() -> Linter:
    return Linter(language="en")


def test_transcribe_call_analytics_output(linter: Linter) -> None:
    (transcript,) = read(Source.file(FIXTURES / "transcribe_call.json"))
    assert isinstance(transcript, Transcript)
    assert transcript.id == "northwind-call-0042"
    assert transcript.language == "en-US" and transcript.channel == "voice"
    assert [(t.role, t.start, t.end) for t in transcript.turns] == [
        (Role.AGENT, 0.0, 2.6),
        # Two consecutive customer segments are one turn.
        (Role.CUSTOMER, 3.0, 7.9),
        (Role.AGENT, 8.3, 10.1),
    ]
    assert transcript.turns[1].text == (
        "You took the payment twice this month. This is the second time it has happened!"
    )
    findings = linter.lint(transcript)
    # Dismissing, then deflecting, in one stretch: one finding that names both.
    (finding,) = [f for f in findings if f.code == "DL102"]
    assert (finding.turn, finding.evidence) == (2, "Calm down, that is not my fault")
    assert "Also:" in finding.message


def test_contact_lens_output_joins_participants(linter: Linter) -> None:
    (transcript,) = read(Source.file(FIXTURES / "contact_lens_call.json"))
    assert isinstance(transcript, Transcript)
    assert transcript.id == "contact-7f3a"
    assert [t.role for t in transcript.turns] == [Role.AGENT, Role.CUSTOMER, Role.AGENT]
    assert transcript.has_timing and transcript.turns[2].start == 7.4
    assert any(f.code == "DL104" and f.turn == 2 for f in linter.lint(transcript))


def test_aws_errors_name_the_segment() -> None:
    doc = json.loads((FIXTURES / "contact_lens_call.json").read_text(encoding="utf-8"))
    doc["Transcript"][1]["ParticipantId"] = "SUPERVISOR-9"
    (error,) = read_obj(doc)
    assert isinstance(error, InputError)
    assert error.place == "Transcript[1].ParticipantId" and "SUPERVISOR-9" in error.detail

    # Forcing the Transcribe reader on Contact Lens output: no per-segment role.
    (forced,) = read(Source.file(FIXTURES / "contact_lens_call.json"), "transcribe")
    assert isinstance(forced, InputError) and forced.place == "Transcript[0].ParticipantRole"

    transcribe = json.loads((FIXTURES / "transcribe_call.json").read_text(encoding="utf-8"))
    transcribe["Transcript"][3]["Content"] = 42
    (error,) = read_obj(transcribe)
    assert isinstance(error, InputError) and error.place == "Transcript[3].Content"
    transcribe["Transcript"][3]["Content"] = "ok"
    transcribe["Transcript"][3]["BeginOffsetMillis"] = "soon"
    (error,) = read_obj(transcribe)
    assert isinstance(error, InputError) and error.place == "Transcript[3].BeginOffsetMillis"


def test_segments_of_other_roles_are_skipped_and_named() -> None:
    doc = json.loads((FIXTURES / "transcribe_call.json").read_text(encoding="utf-8"))
    doc["Transcript"].insert(
        1, {"ParticipantRole": "SYSTEM", "Content": "Calm down, recording on."}
    )
    doc["Transcript"].insert(2, {"ParticipantRole": "SUPERVISOR", "Content": "Calm down."})
    (transcript,) = read_obj(doc)
    assert isinstance(transcript, Transcript)
    assert len(transcript.turns) == 3
    assert all("Calm down" not in t.text for t in transcript.turns[:2])
    assert len(transcript.warnings) == 1 and "SUPERVISOR" in transcript.warnings[0]


def test_chat_completion_list_skips_system_and_tools(linter: Linter) -> None:
    (transcript,) = read(Source.file(FIXTURES / "chat_messages.json"))
    assert isinstance(transcript, Transcript)
    # system, the tool-call message with no text and the tool result are skipped.
    assert [(t.role, t.speaker) for t in transcript.turns] == [
        (Role.CUSTOMER, "user"),
        (Role.AGENT, "assistant"),
    ]
    assert (
        transcript.turns[1].text == "Please calm down.\nThat is not our fault, the update did it."
    )
    findings = linter.lint(transcript)
    # The two defensive sentences in a row are one finding (merge-across-sentences).
    assert {(f.code, f.evidence) for f in findings} == {
        ("DL102", "calm down.\nThat is not our fault"),
        ("DL106", "Please calm down"),  # no word for the customer's situation
    }
    assert all(f.turn == 1 for f in findings)  # the system prompt's "Calm down" is not judged


def test_chat_jsonl_mixes_objects_and_bare_lists(linter: Linter) -> None:
    items = read(Source.file(FIXTURES / "chat_sessions.jsonl"))
    errors = [i for i in items if isinstance(i, InputError)]
    transcripts = [i for i in items if isinstance(i, Transcript)]
    assert [e.place for e in errors] == ["line 3 messages[0].role"]
    assert [t.id for t in transcripts] == ["chat-1", "chat-2", None]
    assert [t.line for t in transcripts] == [1, 2, 4]
    assert transcripts[0].language == "en"
    flagged = {t.line: {f.code for f in linter.lint(t)} for t in transcripts}
    assert flagged == {1: {"DL102"}, 2: set(), 4: {"DL104"}}


def test_chat_content_errors_name_the_part() -> None:
    (error,) = read_obj(
        [{"role": "user", "content": "hi"}, {"role": "assistant", "content": [{"type": "text"}]}]
    )
    assert isinstance(error, InputError) and error.place == "[1].content[0].text"
    (error,) = read_obj({"messages": [{"role": "assistant", "content": 3}]})
    assert isinstance(error, InputError) and error.place == "messages[0].content"


def test_list_of_mixed_shapes_and_unknown_objects() -> None:
    transcribe = json.loads((FIXTURES / "transcribe_call.json").read_text(encoding="utf-8"))
    items = read_obj(
        [
            {"turns": [{"speaker": "agent", "text": "Hello."}]},
            {"messages": [{"role": "assistant", "content": "Hi."}]},
            transcribe,
            {"conversation": []},
        ]
    )
    assert [type(i).__name__ for i in items] == ["Transcript"] * 3 + ["InputError"]
    error = items[3]
    assert isinstance(error, InputError) and error.place == "[3]"
    assert "'turns'" in error.detail and "'messages'" in error.detail


@pytest.mark.parametrize(
    ("head", "expected"),
    [
        ('{"turns": []}', "json"),
        ('  [\n  {"role": "user", "content": "x"}]', "json"),
        ("[]", "json"),
        ("[00:01] Agent: Hello there.\n[00:03] Customer: Hi.", "text"),
        ("{{ customer.first_name }}, calm down.", "text"),
    ],
)
def test_json_sniff_does_not_claim_timestamped_text(head: str, expected: str) -> None:
    assert choose_reader(Source.from_text(head, label="<stdin>")).name == expected


def test_forced_chat_reader_on_a_canonical_file_is_an_error() -> None:
    source = Source.from_text(json.dumps({"turns": []}), label="x.json")
    (error,) = read(source, "chat")
    assert isinstance(error, InputError) and error.place == "messages"
