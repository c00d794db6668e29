"""The Spark entry points give the serial API's findings, row for row.

Runs a local Spark session (``local[2]``, so two Python workers really
split the data); skipped when PySpark or Java is missing
(``pip install deescalate-lint[spark]``).
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from typing import Any

import pytest

pyspark = pytest.importorskip("pyspark")
pytest.importorskip("pandas")
pytest.importorskip("pyarrow")
if shutil.which("java") is None:  # pragma: no cover - depends on the machine
    pytest.skip("no Java runtime for Spark", allow_module_level=True)

from pyspark.sql import SparkSession  # noqa: E402

from deescalate_lint import Linter  # noqa: E402
from deescalate_lint.spark import FINDING_COLUMNS, lint_transcripts, lint_turns  # noqa: E402

TURNS_TYPE = "array<struct<speaker:string,text:string,start:double,end:double>>"

CUSTOMER = [
    "Hi, I'd like to change the delivery address on my order, please.",
    "This is the third time I'm calling about this. It's ridiculous!! I want a manager.",
    "I've been waiting two weeks and nobody tells me anything, I am FED UP.",
]
AGENT = [
    "Thanks for waiting, I've changed the address for you.",
    "Look, that's not my fault, the courier lost it.",
    "I guarantee it will be with you tomorrow morning.",
    "Please send us an email and someone will get back to you.",
    "I'm so sorry, I'm really sorry, I apologise for all of this.",
    "I can't guarantee a date, but I'll call you back by 3 pm.",
    "Das ist nicht meine Schuld, der Paketdienst hat das verloren.",
]


def _transcripts() -> list[dict[str, Any]]:
    out = []
    for number in range(60):
        timed = number % 4 == 0
        turns = []
        clock = 0.0
        for step in range(1 + number % 4):
            for speaker, pool in (("customer", CUSTOMER), ("agent", AGENT)):
                text = pool[(number * 3 + step * 5 + len(speaker)) % len(pool)]
                turn: dict[str, Any] = {
                    "speaker": speaker,
                    "text": text,
                    "start": None,
                    "end": None,
                }
                if timed:
                    # The agent sometimes starts a second before the customer ends.
                    start = clock - (1.0 if speaker == "agent" and number % 8 == 0 else 0.0)
                    turn["start"], turn["end"] = start, start + len(text) / 14
                    clock = turn["end"] + 0.4
                turns.append(turn)
        record: dict[str, Any] = {"id": f"call-{number:03d}", "turns": turns}
        record["language"] = "en" if number % 3 == 0 else None
        out.append(record)
    return out


@pytest.fixture(scope="module")
def spark() -> Iterator[Any]:
    session = (
        SparkSession.builder.master("local[2]")
        .appName("deescalate-lint-test")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "4")
        .config("spark.sql.execution.arrow.pyspark.enabled", "true")
        .getOrCreate()
    )
    yield session
    session.stop()


def _canonical(record: dict[str, Any]) -> dict[str, Any]:
    data = {"id": record["id"], "turns": record["turns"]}
    if record["language"]:
        data["language"] = record["language"]
    return data


def _expected(records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    linter = Linter()
    rows = [f.to_dict() for r in records for f in linter.lint(_canonical(r))]
    return sorted(rows, key=_key)


def _key(row: dict[str, Any]) -> tuple[Any, ...]:
    return (row["transcript"], row["turn"], row["start"], row["end"], row["code"])


def _collected(frame: Any) -> list[dict[str, Any]]:
    assert tuple(frame.columns) == FINDING_COLUMNS
    return sorted((row.asDict(recursive=True) for row in frame.collect()), key=_key)


def test_one_row_per_transcript_gives_the_serial_findings(spark: Any) -> None:
    records = _transcripts()
    frame = spark.createDataFrame(
        [(r["id"], r["language"], r["turns"]) for r in records],
        schema=f"id string, language string, turns {TURNS_TYPE}",
    ).repartition(3)
    got = _collected(lint_transcripts(frame, language_col="language"))
    want = _expected(records)
    assert len(want) > 20
    assert {row["rule"] for row in want} >= {"defensive-phrasing", "unrealistic-promise"}
    assert got == want


def test_one_row_per_turn_grouped_by_conversation_gives_the_serial_findings(spark: Any) -> None:
    records = _transcripts()
    rows = [
        (r["id"], position, t["speaker"], t["text"], t["start"], t["end"], r["language"])
        for r in records
        for position, t in enumerate(r["turns"])
    ]
    rows.reverse()  # the order column, not the row order, must decide
    frame = spark.createDataFrame(
        rows,
        schema="call string, n int, speaker string, text string, "
        "start double, end double, lang string",
    )
    result = lint_turns(
        frame,
        conversation_col="call",
        order_col="n",
        start_col="start",
        end_col="end",
        language_col="lang",
    )
    assert _collected(result) == _expected(records)


def test_configuration_is_applied_in_the_executors(spark: Any) -> None:
    records = _transcripts()
    frame = spark.createDataFrame(
        [(r["id"], r["turns"]) for r in records], schema=f"id string, turns {TURNS_TYPE}"
    )
    got = _collected(lint_transcripts(frame, select=["DL102"], language="en"))
    linter = Linter(select=["DL102"], language="en")
    want = sorted(
        (f.to_dict() for r in records for f in linter.lint({"id": r["id"], "turns": r["turns"]})),
        key=_key,
    )
    assert want and {row["code"] for row in got} == {"DL102"}
    assert got == want
