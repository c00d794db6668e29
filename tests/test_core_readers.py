"""The three core input forms: canonical JSON, JSONL, and plain text / templates."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import deescalate_lint as dl
from deescalate_lint.errors import InputError
from deescalate_lint.model import Role
from deescalate_lint.readers import coerce


def write(tmp_path: Path, name: str, content: str) -> Path:
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    return path


def test_canonical_json_maps_speaker_labels_through_the_role_table(tmp_path: Path) -> None:
    data = {
        "id": "c1",
        "language": "en",
        "turns": [
            {"speaker": "Caller", "text": "hi", "start": 0, "end": 1.5},
            {"speaker": "rep", "text": "hello", "start": 1.6, "end": 2},
            {"speaker": "system", "text": "call recorded"},
        ],
    }
    [transcript] = dl.load_transcripts(write(tmp_path, "a.json", json.dumps(data)))
    assert [t.role for t in transcript.turns] == [Role.CUSTOMER, Role.AGENT]
    assert transcript.id == "c1" and transcript.language == "en"
    assert transcript.has_timing


def test_unknown_speaker_is_an_error_naming_the_turn(tmp_path: Path) -> None:
    path = write(tmp_path, "a.json", json.dumps({"turns": [{"speaker": "Bob", "text": "x"}]}))
    with pytest.raises(InputError) as info:
        list(dl.load_transcripts(path))
    assert "turns[0].speaker" in str(info.value) and "Bob" in str(info.value)


def test_role_table_can_be_overridden() -> None:
    linter = dl.Linter(roles={"Bob": "agent"}, language="en")
    findings = linter.lint({"turns": [{"speaker": "Bob", "text": "Calm down, please."}]})
    assert [f.rule for f in findings] == ["defensive-phrasing"]
    assert findings[0].speaker == "Bob"


def test_jsonl_is_streamed_and_bad_lines_do_not_stop_the_good_ones(tmp_path: Path) -> None:
    good = json.dumps({"id": "g", "turns": [{"speaker": "agent", "text": "Calm down."}]})
    path = write(tmp_path, "a.jsonl", f"{good}\n{{broken\n\n{good}\n")
    results = list(dl.Linter(language="en").lint_paths([str(path)]))
    errors = [r for r in results if isinstance(r, InputError)]
    findings = [r for r in results if isinstance(r, dl.Finding)]
    assert len(findings) == 2
    assert len(errors) == 1 and "line 2" in str(errors[0])


def test_plain_text_labels_timestamps_and_continuation_lines(tmp_path: Path) -> None:
    content = (
        "Call 42 notes\n"
        "[00:01] Customer: My parcel is late\n"
        "and nobody called me.\n"
        "[01:02:03] Agent: I'm sorry to hear that.\n"
    )
    [transcript] = dl.load_transcripts(write(tmp_path, "call.txt", content))
    assert [t.role for t in transcript.turns] == [Role.CUSTOMER, Role.AGENT]
    assert transcript.turns[0].text == "My parcel is late\nand nobody called me."
    assert transcript.turns[0].start == 1.0 and transcript.turns[1].start == 3723.0
    assert not transcript.template


def test_localised_labels_are_recognised() -> None:
    linter = dl.Linter()
    for content in (
        "Kunde: Hallo\nMitarbeiter: Guten Tag",
        "客户：你好\n客服：您好",
        "고객: 안녕하세요\n상담원: 네",
    ):
        transcript = coerce(content, linter.roles)
        assert [t.role for t in transcript.turns] == [Role.CUSTOMER, Role.AGENT], content


def test_an_unlabelled_file_is_one_agent_turn_and_placeholders_never_match(tmp_path: Path) -> None:
    content = "Hi {{ calm_down }},\n\nAs I already told you, %ORDER_ID% ships {sorry}.\n"
    path = write(tmp_path, "reply.md", content)
    [transcript] = dl.load_transcripts(path)
    assert transcript.template and transcript.turns[0].text == content
    findings = dl.Linter(language="en").lint(transcript)
    assert [f.evidence for f in findings] == ["As I already told you"]
    f = findings[0]
    assert content[f.start : f.end] == f.evidence


def test_placeholders_do_not_break_offsets_after_them() -> None:
    text = "Dear {{ticket.requester.first_name}}, {name}: rules are rules."
    [finding] = dl.lint(text, language="en")
    assert text[finding.start : finding.end] == "rules are rules"


def test_stdin_is_read_with_a_dash(monkeypatch: pytest.MonkeyPatch) -> None:
    import io
    import sys

    fake = io.TextIOWrapper(io.BytesIO(b"Agent: Like I said, it's in the post."), encoding="utf-8")
    monkeypatch.setattr(sys, "stdin", fake)
    results = list(dl.Linter(language="en").lint_paths(["-"]))
    assert [r.evidence for r in results if isinstance(r, dl.Finding)] == ["Like I said"]
    assert all(r.path == "<stdin>" for r in results if isinstance(r, dl.Finding))
