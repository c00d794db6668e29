"""Lint a Spark DataFrame of transcripts on a cluster (``pip install deescalate-lint[spark]``).

Why Spark: a contact centre that lints every call produces millions of
transcripts a day, usually already in a data lake. The same linter runs in
each executor's Python worker (built once per worker, rule packs compiled
once), fed Arrow batches by ``mapInPandas`` / ``applyInPandas``; findings come
back as a DataFrame whose columns are the JSON output's finding fields.

Two input shapes:

* ``lint_transcripts``: one row per transcript, with an id column and an
  array-of-structs column of turns (``speaker``, ``text``, optional
  ``start``/``end`` seconds), as Spark reads the canonical JSONL
  (``spark.read.json("calls.jsonl")``);
* ``lint_turns``: one row per turn, grouped by a conversation id column and
  ordered within a conversation by an order column (Spark keeps no row
  order across a shuffle, so the order column is required).

Notices ("timing check not run"...) are not returned: this is the findings
table. Run ``lint-transcript`` on a sample to see them.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator, Mapping
from functools import lru_cache
from typing import Any

from .engine import Linter

#: The finding fields of the JSON output, in its order (the result's columns).
FINDING_DDL = (
    "kind string, code string, rule string, severity string, path string, "
    "transcript string, turn int, speaker string, start int, end int, evidence string, "
    "message string, suggestion string, "
    "citations array<struct<document:string,title:string,section:string,"
    "lines:array<int>,key_phrase:string,gloss:string>>, "
    "language string, agent string, team string, queue string, date string"
)
FINDING_COLUMNS = (
    "kind", "code", "rule", "severity", "path", "transcript", "turn", "speaker", "start",
    "end", "evidence", "message", "suggestion", "citations", "language",
    "agent", "team", "queue", "date",
)  # fmt: skip


def lint_transcripts(
    df: Any,
    *,
    id_col: str = "id",
    turns_col: str = "turns",
    language_col: str | None = None,
    **linter_config: Any,
) -> Any:
    """Findings for a DataFrame with one row per transcript (``mapInPandas``).

    ``turns_col`` holds an array of structs with ``speaker`` and ``text`` (and
    optionally ``start``, ``end``); ``language_col``, if given, holds a
    language code per transcript (else the language is detected, or set for
    all with ``language="en"`` in ``linter_config``).
    """
    config = dict(linter_config)
    Linter(**config)  # a configuration error is raised here, not in an executor
    columns = [id_col, turns_col, *([language_col] if language_col else [])]

    def lint_batches(batches: Iterator[Any]) -> Iterator[Any]:
        linter = _linter(_freeze(config))
        for batch in batches:
            rows: list[dict[str, Any]] = []
            for record in batch.to_dict("records"):
                transcript = {
                    "id": _id(record[id_col]),
                    "turns": [_turn(t) for t in _items(record[turns_col])],
                }
                language = record.get(language_col) if language_col else None
                if isinstance(language, str) and language:  # nulls arrive as None or NaN
                    transcript["language"] = language
                rows.extend(_rows(linter, transcript))
            yield _frame(rows)

    return df.select(*columns).mapInPandas(lint_batches, schema=FINDING_DDL)


def lint_turns(
    df: Any,
    *,
    conversation_col: str,
    order_col: str,
    speaker_col: str = "speaker",
    text_col: str = "text",
    start_col: str | None = None,
    end_col: str | None = None,
    language_col: str | None = None,
    **linter_config: Any,
) -> Any:
    """Findings for a DataFrame with one row per turn (``groupBy().applyInPandas``).

    Turns are grouped by ``conversation_col`` and put in ``order_col`` order
    (a turn number or a start time); ``start_col``/``end_col`` are seconds.
    ``turn`` in the findings is the position within the conversation.
    """
    config = dict(linter_config)
    Linter(**config)
    optional = [c for c in (start_col, end_col, language_col) if c]
    columns = [conversation_col, order_col, speaker_col, text_col, *optional]

    def lint_group(group: Any) -> Any:
        linter = _linter(_freeze(config))
        group = group.sort_values(order_col, kind="stable")
        turns = []
        for record in group.to_dict("records"):
            turn: dict[str, Any] = {"speaker": record[speaker_col], "text": record[text_col]}
            for key, column in (("start", start_col), ("end", end_col)):
                if column:
                    turn[key] = _number(record[column])
            turns.append(turn)
        transcript: dict[str, Any] = {"id": _id(group[conversation_col].iloc[0]), "turns": turns}
        if language_col:
            languages = [x for x in group[language_col].tolist() if isinstance(x, str) and x]
            if languages:
                transcript["language"] = languages[0]
        return _frame(list(_rows(linter, transcript)))

    return (
        df.select(*columns).groupBy(conversation_col).applyInPandas(lint_group, schema=FINDING_DDL)
    )


# -- in the executors ---------------------------------------------------------


def _freeze(config: Mapping[str, Any]) -> tuple[tuple[str, Any], ...]:
    return tuple(sorted((k, _hashable(v)) for k, v in config.items()))


def _hashable(value: Any) -> Any:
    if isinstance(value, Mapping):
        return tuple(sorted((k, _hashable(v)) for k, v in value.items()))
    if isinstance(value, (list, tuple, set, frozenset)):
        return tuple(_hashable(v) for v in value)
    return value


@lru_cache(maxsize=4)
def _linter(frozen: tuple[tuple[str, Any], ...]) -> Linter:
    """One linter per configuration per Python worker: rule packs compile once."""
    config: dict[str, Any] = {}
    for key, value in frozen:
        if key in ("options", "severity", "roles", "reader_options") and isinstance(value, tuple):
            config[key] = _to_dict(value)
        else:
            config[key] = list(value) if isinstance(value, tuple) else value
    return Linter(**config)


def _to_dict(pairs: tuple[Any, ...]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in pairs:
        is_pairs = isinstance(value, tuple) and all(
            isinstance(p, tuple) and len(p) == 2 and isinstance(p[0], str) for p in value
        )
        out[key] = _to_dict(value) if is_pairs and value else value
    return out


def _rows(linter: Linter, transcript: dict[str, Any]) -> Iterator[dict[str, Any]]:
    for finding in linter.lint(transcript):
        yield finding.to_dict()


def _frame(rows: list[dict[str, Any]]) -> Any:
    pandas = importlib.import_module("pandas")
    return pandas.DataFrame(rows, columns=list(FINDING_COLUMNS))


def _items(value: Any) -> list[Any]:
    """Arrays arrive as numpy arrays or lists of dicts/Rows; None is no turns."""
    if value is None:
        return []
    return list(value)


def _turn(value: Any) -> dict[str, Any]:
    data = value.asDict() if hasattr(value, "asDict") else dict(value)
    turn: dict[str, Any] = {"speaker": data.get("speaker"), "text": data.get("text")}
    for key in ("start", "end"):
        if key in data:
            turn[key] = _number(data[key])
    return turn


def _number(value: Any) -> float | None:
    """Spark nulls arrive as None or NaN; both mean "no time"."""
    if value is None:
        return None
    number = float(value)
    return None if number != number else number


def _id(value: Any) -> str | None:
    if value is None:
        return None
    return str(value)
