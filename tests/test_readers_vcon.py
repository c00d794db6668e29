"""The vCon reader, on files written from the examples of draft-ietf-vcon-vcon-core
(tests/fixtures/vcon/): parties mapped to roles through the role table, text and
transcribed recordings as turns, times kept, and what cannot be read said out loud."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from cli_run import run_cli

import deescalate_lint as dl
from deescalate_lint.errors import InputError
from deescalate_lint.model import Finding, Notice, Role

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "vcon"
REPO = Path(__file__).resolve().parent.parent
ROLES = {"Alice": "agent", "Bob": "customer"}


def _read(name: str, **config: object) -> dl.Transcript:
    linter = dl.Linter(**config)  # type: ignore[arg-type]
    (item,) = list(linter.run([str(FIXTURES / name)]))
    assert item.error is None, item.error
    assert item.transcript is not None
    return item.transcript


def test_an_email_thread_of_text_dialogs() -> None:
    """Draft example A.4: three plain-text emails, in order, timed from the first."""
    transcript = _read("email_thread_text.vcon", roles=ROLES)
    assert transcript.id == "0195544a-d292-8cda-b9a2-279e0d16bc46"
    assert [(t.speaker, t.role) for t in transcript.turns] == [
        ("Alice", Role.AGENT),
        ("Bob", Role.CUSTOMER),
        ("Alice", Role.AGENT),
    ]
    assert transcript.turns[0].text.startswith("Hi Bob:\nI just wanted to follow up")
    # 23:24:59, 23:34:32 and 23:38:12: seconds from the first dialog.
    assert [t.start for t in transcript.turns] == [0.0, 573.0, 793.0]
    assert transcript.agent == "Alice" and transcript.date == "2022-09-23"
    assert transcript.channel == "chat"


def test_parties_without_a_known_role_are_an_error_naming_them() -> None:
    linter = dl.Linter()
    (item,) = list(linter.run([str(FIXTURES / "email_thread_text.vcon")]))
    assert isinstance(item.error, InputError)
    assert "party 0 (Alice) is neither agent nor customer" in str(item.error)
    assert item.error.place == "parties[0]"


def test_a_multipart_email_body_gives_its_plain_text_part() -> None:
    """Draft example A.3's multipart MIME body; roles from the parties' own 'role'."""
    transcript = _read("email_multipart.vcon")
    agent = transcript.turns[1]
    assert agent.role is Role.AGENT and agent.speaker == "Alice"
    assert "As I already told you" in agent.text and "<html>" not in agent.text
    findings = dl.Linter(language="en").lint(transcript)
    # One DL102 finding names both behaviours of its stretch; the reply's first
    # sentence (after the salutation line) has no word for the customer (DL106).
    assert {(f.code, f.evidence) for f in findings} == {
        ("DL102", "As I already told you, it's against our policy"),
        ("DL106", "As I already told you, it's against our policy to refund"),
    }
    assert all(f.agent == "Alice" for f in findings)


def test_a_recording_is_read_through_its_transcript_analysis() -> None:
    """Draft example A.6 (Deepgram words) with diarization that worked."""
    transcript = _read("call_transcript.vcon")
    assert [t.speaker for t in transcript.turns] == ["Bob", "Alice", "Bob"]
    assert [t.role for t in transcript.turns] == [Role.AGENT, Role.CUSTOMER, Role.AGENT]
    assert transcript.has_timing
    assert transcript.turns[0].start == pytest.approx(1.2)
    assert transcript.turns[2].text.startswith("Calm down, please.")
    assert transcript.channel == "phone" and transcript.agent == "Bob"
    codes = [f.code for f in dl.Linter(language="en").lint(transcript)]
    # Told to calm down (DL102) with no word for the third call (DL106), a
    # guarantee of tomorrow (DL104), and that promised outcome offered before
    # the problem was restated (DL110).
    assert codes == ["DL102", "DL106", "DL104", "DL110"]


def test_failed_diarization_is_said_not_guessed() -> None:
    """Draft example A.6 as published: every word is speaker 0 of a two-party call."""
    transcript = _read("call_failed_diarization.vcon", roles=ROLES)
    assert transcript.turns == ()
    results = dl.Linter(language="en").results(transcript)
    messages = [r.message for r in results if isinstance(r, Notice)]
    assert any("failed diarization" in m for m in messages)


def test_a_recording_without_transcript_is_a_notice() -> None:
    """Draft example A.1: an inline recording; audio is never decoded."""
    transcript = _read("call_inline_recording.vcon", roles=ROLES)
    assert transcript.turns == ()
    assert any("no transcript analysis" in w for w in transcript.warnings)


def test_a_signed_vcon_is_read_from_its_payload() -> None:
    signed = _read("email_thread_signed.vcon", roles=ROLES)
    unsigned = _read("email_thread_text.vcon", roles=ROLES)
    assert signed.turns == unsigned.turns and signed.id == unsigned.id


def test_an_encrypted_vcon_is_refused() -> None:
    (item,) = list(dl.Linter().run([str(FIXTURES / "encrypted.vcon")]))
    assert item.error is not None and "encrypted vCon" in str(item.error)


def test_segments_with_party_indices_keep_their_times() -> None:
    """A transcript analysis as a list of segments naming parties, times from the dialog."""
    vcon = {
        "vcon": "0.0.2",
        "uuid": "seg-1",
        "parties": [{"name": "Dana", "role": "agent"}, {"name": "Lee", "role": "customer"}],
        "dialog": [
            {
                "type": "recording",
                "start": "2026-11-20T10:00:00Z",
                "duration": 30,
                "parties": [0, 1],
            },
            {
                "type": "recording",
                "start": "2026-11-20T10:01:00Z",
                "duration": 30,
                "parties": [0, 1],
            },
        ],
        "analysis": [
            {
                "type": "transcript",
                "dialog": 1,
                "encoding": "json",
                "body": json.dumps(
                    [
                        {
                            "party": 1,
                            "text": "I have been waiting for an hour and",
                            "start": 0,
                            "end": 6,
                        },
                        {"party": 0, "text": "Let me stop you there.", "start": 4.0, "end": 6.5},
                    ]
                ),
            }
        ],
    }
    transcript = dl.readers.coerce(vcon, dl.Linter().roles)
    assert [(t.speaker, t.start, t.end) for t in transcript.turns] == [
        ("Lee", 60.0, 66.0),
        ("Dana", 64.0, 66.5),
    ]
    warnings = " ".join(transcript.warnings)
    assert "dialog[0]: a recording with no transcript analysis" in warnings
    findings = dl.Linter(language="en").lint(transcript)
    # Cut off mid-sentence (DL101), and the cut-in has no word for the hour's
    # wait (DL106).
    assert [f.code for f in findings] == ["DL101", "DL106"]


def test_vcon_files_are_found_by_a_directory_walk_and_in_json(tmp_path: Path) -> None:
    (tmp_path / "calls").mkdir()
    for name in ("email_multipart.vcon", "call_transcript.vcon"):
        (tmp_path / "calls" / name).write_bytes((FIXTURES / name).read_bytes())
    data = json.loads((FIXTURES / "email_multipart.vcon").read_text(encoding="utf-8"))
    (tmp_path / "calls" / "as.json").write_text(json.dumps(data), encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    run = run_cli(["calls", "--format", "json", "--isolated"], tmp_path, env=env)
    assert run.returncode == 1, run.stderr
    findings = [r for r in json.loads(run.stdout) if r["kind"] == "finding"]
    assert {r["path"] for r in findings} == {
        "calls/as.json",
        "calls/call_transcript.vcon",
        "calls/email_multipart.vcon",
    }
    assert {r["agent"] for r in findings} == {"Alice", "Bob"}


def test_results_are_findings_and_notices() -> None:
    results = dl.Linter(language="en").results(_read("call_transcript.vcon"))
    assert all(isinstance(r, (Finding, Notice)) for r in results)
