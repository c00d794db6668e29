"""Agent metadata (agent, team, queue, date) from every source that has it, onto the
findings, and grouped: --statistics --by agent|team, findings_to_records, lint_dataframe.
And the citations' English gloss where people read them (text output, `rule`)."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from cli_run import run_cli

import deescalate_lint as dl
from deescalate_lint.readers.canonical import transcript_to_dict

REPO = Path(__file__).resolve().parent.parent
ENV = {**os.environ, "PYTHONPATH": str(REPO)}

RUDE = "Calm down, please."
FINE = "Let me check that for you."


def _call(call_id: str, agent: str | None, team: str | None, reply: str) -> dict[str, object]:
    call: dict[str, object] = {
        "id": call_id,
        "language": "en",
        "turns": [
            {"speaker": "customer", "text": "This is the third time I call!"},
            {"speaker": "agent", "text": reply},
            {"speaker": "customer", "text": "Fine."},
            {"speaker": "agent", "text": "Anything else?"},
        ],
    }
    if agent:
        call |= {"agent": agent, "team": team, "queue": f"{team} queue", "date": "2026-11-20"}
    return call


CALLS = [
    _call("c1", "Dana", "Returns", RUDE),
    _call("c2", "Dana", "Returns", FINE),
    _call("c3", "Lee", "Billing", RUDE),
    _call("c4", None, None, RUDE),
]


def test_canonical_json_round_trips_the_metadata() -> None:
    transcript = dl.readers.coerce(CALLS[0], dl.Linter().roles)
    assert transcript.metadata == {
        "agent": "Dana",
        "team": "Returns",
        "queue": "Returns queue",
        "date": "2026-11-20",
    }
    assert {k: transcript_to_dict(transcript)[k] for k in ("agent", "team")} == {
        "agent": "Dana",
        "team": "Returns",
    }


def test_findings_carry_the_metadata() -> None:
    (finding,) = dl.lint(CALLS[0])
    assert (finding.agent, finding.team, finding.queue, finding.date) == (
        "Dana",
        "Returns",
        "Returns queue",
        "2026-11-20",
    )
    record = dl.findings_to_records(dl.lint_many(CALLS))[0]
    assert record["agent"] == "Dana" and record["team"] == "Returns"


def test_csv_columns_by_alias_and_by_configuration(tmp_path: Path) -> None:
    rows = [
        "call_id,role,text,agent_name,squad,day",
        "A,customer,This is the third time I call!,Dana,Returns,2026-11-20",
        f"A,agent,{RUDE},Dana,Returns,2026-11-20",
    ]
    path = tmp_path / "calls.csv"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    linter = dl.Linter(language="en", reader_options={"csv": {"team": "squad", "date": "day"}})
    (finding,) = [r for r in linter.lint_paths([str(path)]) if isinstance(r, dl.Finding)]
    assert (finding.agent, finding.team, finding.date) == ("Dana", "Returns", "2026-11-20")


def test_contact_lens_with_its_contact_record() -> None:
    output = {
        "Participants": [
            {"ParticipantId": "A1", "ParticipantRole": "AGENT"},
            {"ParticipantId": "C1", "ParticipantRole": "CUSTOMER"},
        ],
        "Transcript": [
            {"ParticipantId": "C1", "Content": "Third time I call!", "BeginOffsetMillis": 0},
            {"ParticipantId": "A1", "Content": RUDE, "BeginOffsetMillis": 3000},
        ],
        "CustomerMetadata": {"ContactId": "ct-1"},
        # Joined from Amazon Connect's contact record by the export pipeline.
        "Agent": {"Username": "dana.w", "HierarchyGroups": {"Level1": {"GroupName": "Returns"}}},
        "Queue": {"Name": "Returns queue"},
        "InitiationTimestamp": "2026-11-20T09:15:00Z",
    }
    transcript = dl.readers.coerce(output, dl.Linter().roles)
    assert transcript.metadata == {
        "agent": "dana.w",
        "team": "Returns",
        "queue": "Returns queue",
        "date": "2026-11-20",
    }


def test_statistics_by_agent_and_team(tmp_path: Path) -> None:
    (tmp_path / "calls.jsonl").write_text(
        "".join(json.dumps(c) + "\n" for c in CALLS), encoding="utf-8"
    )
    args = ["calls.jsonl", "--statistics", "--isolated"]
    as_json = json.loads(
        run_cli([*args, "--by", "agent", "--format", "json"], tmp_path, env=ENV).stdout
    )
    by_agent = {row["agent"]: row for row in as_json}
    assert by_agent["Dana"] == {
        "agent": "Dana",
        "conversations": 2,
        "agent_turns": 4,
        "findings": 1,
        "per_1000_agent_turns": 250.0,
        "by_rule": {"DL102": 1},
    }
    assert by_agent["Lee"]["per_1000_agent_turns"] == 500.0
    assert by_agent["(unknown)"]["conversations"] == 1
    # The highest rate first (ties: more findings, then the name).
    assert [row["agent"] for row in as_json] == ["(unknown)", "Lee", "Dana"]
    text = run_cli([*args, "--by", "team"], tmp_path, env=ENV).stdout.splitlines()
    assert text[0].split()[:2] == ["TEAM", "CONVERSATIONS"]
    returns = next(line for line in text if line.startswith("Returns"))
    assert returns.split()[1:5] == ["2", "4", "1", "250.0"]


def test_lint_dataframe_takes_metadata_columns() -> None:
    pd = pytest.importorskip("pandas")
    frame = pd.DataFrame(
        [
            {"call": "A", "who": "customer", "said": "Third time I call!", "rep": "Dana"},
            {"call": "A", "who": "agent", "said": RUDE, "rep": "Dana"},
        ]
    )
    found = dl.lint_dataframe(
        frame, conversation="call", speaker="who", text="said", agent="rep", language="en"
    )
    assert list(found["agent"]) == ["Dana"]
    assert {"agent", "team", "queue", "date"} <= set(found.columns)


# -- readable citations -------------------------------------------------------------


def test_text_output_shows_the_gloss_beside_the_key_phrase(tmp_path: Path) -> None:
    (tmp_path / "reply.txt").write_text(f"{RUDE}\n", encoding="utf-8")
    out = run_cli(["reply.txt", "--language", "en", "--isolated"], tmp_path, env=ENV).stdout
    (finding,) = dl.lint(RUDE, language="en")
    first = finding.citations[0]
    assert f"\u201c{first.key_phrase}\u201d (in English: {first.gloss})" in out


def test_rule_explains_in_one_language_with_glosses() -> None:
    whole = run_cli(["rule", "DL104"], REPO, env=ENV).stdout
    english = run_cli(["rule", "DL104", "--language", "en"], REPO, env=ENV)
    by_name = run_cli(["rule", "DL104", "--language", "English"], REPO, env=ENV)
    assert english.returncode == 0 and english.stdout == by_name.stdout
    assert "### English (`en`)" in english.stdout
    assert "### German (`de`)" in whole and "### German (`de`)" not in english.stdout
    assert len(english.stdout.splitlines()) < len(whole.splitlines()) / 3
    rule = next(r for r in dl.Linter().rules if r.code == "DL104")
    for citation in rule.citations:
        assert f"\u201c{citation.key_phrase}\u201d (in English: {citation.gloss})" in whole
    as_json = json.loads(
        run_cli(["rule", "DL104", "--language", "en", "--format", "json"], REPO, env=ENV).stdout
    )
    assert list(as_json["examples"]) == ["en"]
