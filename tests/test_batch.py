"""The QA-script API: lint_many, findings_to_records, lint_dataframe."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from cli_run import run_cli

import deescalate_lint as dl
from deescalate_lint import Finding, InputError, Linter, Notice, Transcript, Turn
from deescalate_lint.model import Role

FIXTURES = Path(__file__).parent / "fixtures" / "readers"
REPO = Path(__file__).resolve().parent.parent
RUDE = "Calm down, that is not my fault."


@pytest.fixture(scope="module")
def linter() -> Linter:
    return Linter(language="en")


def test_lint_many_takes_every_kind_of_item(linter: Linter) -> None:
    items: list[Any] = [
        Transcript(turns=(Turn("agent", Role.AGENT, RUDE),), id="given-id"),
        {"turns": [{"speaker": "customer", "text": "Hi."}, {"speaker": "agent", "text": RUDE}]},
        {"messages": [{"role": "user", "content": "Hi."}, {"role": "assistant", "content": RUDE}]},
        [{"role": "user", "content": "Hi."}, {"role": "assistant", "content": RUDE}],
        f"Customer: Hi.\nAgent: {RUDE}",
        FIXTURES / "transcribe_call.json",
        "Agent: Thank you for waiting, I have found your order.",
    ]
    findings = [r for r in dl.lint_many(items, linter) if isinstance(r, Finding)]
    by_item = {(f.transcript, f.path) for f in findings if f.code == "DL102"}
    assert by_item == {
        ("given-id", "<string>"),
        ("1", "<item 1>"),
        ("2", "<item 2>"),
        ("3", "<item 3>"),
        ("4", "<item 4>"),
        ("northwind-call-0042", str(FIXTURES / "transcribe_call.json")),
    }
    assert not [f for f in findings if f.transcript == "6"]


def test_lint_many_streams(linter: Linter) -> None:
    pulled: list[int] = []

    def endless() -> Iterator[str]:
        n = 0
        while True:
            pulled.append(n)
            yield f"Agent: {RUDE} ({n})"
            n += 1

    stream = dl.lint_many(endless(), linter)
    first = next(r for r in stream if isinstance(r, Finding))
    assert first.transcript == "0"
    assert pulled == [0]  # one item read to produce the first result


def test_lint_many_errors(linter: Linter) -> None:
    items: list[Any] = [{"turns": "nope"}, f"Agent: {RUDE}"]
    with pytest.raises(InputError, match="turns"):
        list(dl.lint_many(items, linter))
    skipped = list(dl.lint_many(items, linter, on_error="skip"))
    assert skipped and all(not isinstance(r, InputError) for r in skipped)
    yielded = list(dl.lint_many(items, linter, on_error="yield"))
    assert isinstance(yielded[0], InputError) and yielded[0].path == "<item 0>"
    assert any(isinstance(r, Finding) and r.transcript == "1" for r in yielded)
    with pytest.raises(TypeError):
        list(dl.lint_many([], linter, language="en"))


def test_lint_many_with_configuration_keywords() -> None:
    results = list(
        dl.lint_many([f"Agent: {RUDE} I guarantee it."], language="en", select=["DL104"])
    )
    assert {r.code for r in results if isinstance(r, Finding)} == {"DL104"}


def test_findings_to_records_are_flat(linter: Linter) -> None:
    results = list(dl.lint_many([f"Customer: Hi.\nAgent: {RUDE}"], linter))
    records = dl.findings_to_records(results)
    assert len(records) == len([r for r in results if isinstance(r, Finding)]) >= 1
    record = records[0]
    finding = next(r for r in results if isinstance(r, Finding))
    assert all(isinstance(v, (str, int, float, type(None))) for v in record.values()), record
    assert record["code"] == finding.code and record["evidence"] == finding.evidence
    first = finding.citations[0]
    assert record["citation_count"] == len(finding.citations)
    assert record["citation_document"] == first.document
    assert record["citation_lines"] == f"{first.lines[0]}-{first.lines[1]}"
    assert record["citations"].count(" | ") == len(finding.citations) - 1
    # Straight into csv.DictWriter.
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(record))
    writer.writeheader()
    writer.writerows(records)
    assert out.getvalue().count("\n") == len(records) + 1

    notices = dl.findings_to_records(
        [*results, Notice("DL001", "language", "x", None, "no")], include_notices=True
    )
    assert notices[-1]["kind"] == "notice"


def cli_json(path: Path) -> list[dict[str, Any]]:
    completed = run_cli(["--language", "en", "--format", "json", str(path)], REPO)
    assert completed.returncode in (0, 1), completed.stderr
    return [r for r in json.loads(completed.stdout) if r["kind"] == "finding"]


def test_lint_dataframe_matches_the_json_output() -> None:
    pd = pytest.importorskip("pandas")
    frame = pd.read_csv(FIXTURES / "calls.csv")
    # Shuffle the conversations' rows together: grouping must not need them contiguous.
    frame = frame.iloc[[0, 3, 1, 4, 2, 5]].reset_index(drop=True)
    frame["start"] = [0.0, 0.0, 2.5, 2.0, 6.5, 5.0]
    frame["end"] = [2.0, 1.5, 6.0, 4.5, 8.0, 7.0]
    found = dl.lint_dataframe(
        frame,
        conversation="conversation_id",
        speaker="speaker",
        text="text",
        start="start",
        end="end",
        language="en",
    )
    expected = cli_json(FIXTURES / "calls.csv")
    assert list(found.columns) == list(expected[0])  # the JSON output's fields, in order
    assert len(found) == len(expected) >= 1
    rows = found.drop(columns=["path"]).to_dict("records")
    assert rows == [{k: v for k, v in e.items() if k != "path"} for e in expected]


def test_lint_dataframe_errors_and_language_column() -> None:
    pd = pytest.importorskip("pandas")
    frame = pd.DataFrame(
        {
            "call": ["a", "a", "b", "b"],
            "who": ["customer", "agent", "wizard", "agent"],
            "said": ["Hi.", RUDE, "Boo.", RUDE],
            "lang": ["en", "en", "en", "en"],
        }
    )
    with pytest.raises(InputError) as caught:
        dl.lint_dataframe(frame, conversation="call", speaker="who", text="said", language="lang")
    assert caught.value.place == "row 2"
    found = dl.lint_dataframe(
        frame, conversation="call", speaker="who", text="said", language="lang", on_error="skip"
    )
    assert set(found["transcript"]) == {"a"} and set(found["language"]) == {"en"}
    with pytest.raises(KeyError, match="speakr"):
        dl.lint_dataframe(frame, conversation="call", speaker="speakr", text="said")
    empty = dl.lint_dataframe(frame.iloc[:1], conversation="call", speaker="who", text="said")
    assert empty.empty and list(empty.columns) == list(dl.batch.FINDING_FIELDS)
