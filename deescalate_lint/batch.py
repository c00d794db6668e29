"""The QA-script API: lint thousands of conversations from a script or a notebook.

``lint_many`` streams: it takes any iterable (a generator over a database
cursor, a JSONL file...) and yields results as it goes, holding one
conversation at a time, so memory stays flat however long the input.
``findings_to_records`` turns results into flat dicts for ``csv.DictWriter``
or a spreadsheet; ``lint_dataframe`` (optional ``pandas`` extra) reads a
one-row-per-turn DataFrame and returns the findings as a DataFrame with the
same columns as the JSON output.

Example::

    import deescalate_lint as dl
    results = dl.lint_many(dl.load_transcripts("calls.jsonl"), language="en")
    rows = dl.findings_to_records(results)
"""

from __future__ import annotations

import importlib
import os
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any, Literal

from .engine import Linter
from .errors import InputError
from .model import FINDING_FIELDS, METADATA_FIELDS, Finding, Result, Transcript
from .readers import Source, TranscriptLike, coerce
from .readers.tabular import ConversationBuilder

#: One item for ``lint_many``: a transcript, a JSON-shaped dict (canonical,
#: chat ``{"messages": ...}``, Transcribe / Contact Lens), a chat message list,
#: a plain-text transcript or template, or a path to a file of any format.
BatchItem = Transcript | Mapping[str, Any] | Sequence[Mapping[str, Any]] | str | os.PathLike[str]
OnError = Literal["raise", "skip", "yield"]


def lint_many(
    items: Iterable[BatchItem | InputError],
    linter: Linter | None = None,
    *,
    on_error: OnError = "raise",
    **config: Any,
) -> Iterator[Result | InputError]:
    """Findings and notices for every item, streamed in input order.

    ``config`` builds a ``Linter`` when none is given (``language``, ``select``,
    ``ignore``, ``options``, ``roles``, ``reader_options``...); build one
    yourself to share it between calls. An item without an id is named by its
    position (``"0"``, ``"1"``...) so every result can be traced to its input.
    A path is read with the format readers (every transcript in the file).
    ``on_error``: ``"raise"`` the first unreadable item's ``InputError``,
    ``"skip"`` it, or ``"yield"`` it in the stream beside the results (an
    ``InputError`` given as an item, as ``read_source`` yields, is treated alike).
    """
    if linter is None:
        linter = Linter(**config)
    elif config:
        raise TypeError("pass either a Linter or configuration keywords, not both")
    if on_error not in ("raise", "skip", "yield"):
        raise ValueError(f"on_error must be 'raise', 'skip' or 'yield', got {on_error!r}")
    for position, item in enumerate(items):
        if isinstance(item, InputError):
            outputs: Iterable[Result | InputError] = [item]
        elif isinstance(item, (os.PathLike, Path)):
            outputs = linter.lint_source(Source.file(Path(item)))
        else:
            try:
                transcript = _coerce(item, linter, position)
            except InputError as exc:
                outputs = [exc]
            else:
                outputs = linter.results(transcript)
        for output in outputs:
            if isinstance(output, InputError):
                if on_error == "raise":
                    raise output
                if on_error == "skip":
                    continue
            yield output


def _coerce(item: TranscriptLike, linter: Linter, position: int) -> Transcript:
    """``readers.coerce`` with the item's position as its label and, failing an id, its id."""
    label = f"<item {position}>"
    try:
        transcript = coerce(item, linter.roles, label)
    except TypeError as exc:
        raise InputError(label, str(exc)) from None
    if transcript.id is None:
        transcript = replace(transcript, id=str(position))
    return transcript


def findings_to_records(
    results: Iterable[Result | InputError], *, include_notices: bool = False
) -> list[dict[str, Any]]:
    """Flat dicts, one per finding (and notice, if asked), ready for a CSV row.

    The JSON fields, with ``citations`` flattened: ``citation_count``, the
    first (primary) citation as ``citation_document``, ``citation_title``,
    ``citation_section``, ``citation_lines`` (``"15-17"``) and
    ``citation_key_phrase``, and every citation in one readable
    ``citations`` string (``document §section L15-17``, joined by `` | ``).
    Read errors in the stream are left out.
    """
    records: list[dict[str, Any]] = []
    for result in results:
        if isinstance(result, Finding):
            records.append(_finding_record(result))
        elif include_notices and not isinstance(result, InputError):
            records.append(result.to_dict())
    return records


def _finding_record(finding: Finding) -> dict[str, Any]:
    record = finding.to_dict()
    citations = finding.citations
    first = citations[0] if citations else None
    record["citations"] = " | ".join(
        f"{c.document} §{c.section} L{c.lines[0]}-{c.lines[1]}" for c in citations
    )
    record["citation_count"] = len(citations)
    record["citation_document"] = first.document if first else None
    record["citation_title"] = first.title if first else None
    record["citation_section"] = first.section if first else None
    record["citation_lines"] = f"{first.lines[0]}-{first.lines[1]}" if first else None
    record["citation_key_phrase"] = first.key_phrase if first else None
    return record


def lint_dataframe(
    df: Any,
    conversation: str,
    speaker: str,
    text: str,
    start: str | None = None,
    end: str | None = None,
    language: str | None = None,
    *,
    agent: str | None = None,
    team: str | None = None,
    queue: str | None = None,
    date: str | None = None,
    linter: Linter | None = None,
    on_error: OnError = "raise",
    **config: Any,
) -> Any:
    """Findings for a one-row-per-turn DataFrame, as a DataFrame (needs pandas).

    Rows are grouped by the ``conversation`` column (in order of first
    appearance; rows keep their order within a conversation, so sort by time
    first if needed). ``speaker`` values go through the role table,
    ``start``/``end`` are seconds (or clock strings). ``language`` names a
    column of language codes or, if no column has that name, is the language
    of every conversation (``"en"``). ``agent``, ``team``, ``queue`` and
    ``date`` name optional metadata columns (a conversation takes the first
    non-empty value of each); the findings carry them in the same-named columns.
    The result has the JSON output's finding fields as columns
    (``FINDING_FIELDS``; ``citations`` holds the list of citation dicts), and
    ``transcript`` is the conversation id. Notices are dropped; call
    ``lint_many`` to see them. An unreadable row raises ``InputError`` naming
    its index (``on_error="skip"`` leaves its conversation out instead).
    """
    pd = _pandas()
    if linter is None:
        linter = Linter(**config)
    elif config:
        raise TypeError("pass either a Linter or configuration keywords, not both")
    meta_columns = {
        key: column
        for key, column in zip(METADATA_FIELDS, (agent, team, queue, date), strict=True)
        if column is not None
    }
    named = (conversation, speaker, text, start, end, *meta_columns.values())
    wanted = [c for c in named if c is not None]
    missing = [c for c in wanted if c not in df.columns]
    if missing:
        raise KeyError(f"DataFrame has no column(s) {missing!r}; columns: {list(df.columns)!r}")

    language_column = language if language is not None and language in df.columns else None
    fixed_language = language if language_column is None else None
    columns = list(
        dict.fromkeys(
            c
            for c in (speaker, text, start, end, language_column, *meta_columns.values())
            if c is not None
        )
    )

    def transcripts() -> Iterator[Transcript | InputError]:
        for key, group in df.groupby(conversation, sort=False, dropna=False):
            if pd.isna(key):
                first = group.index[0]
                yield InputError("<dataframe>", "rows without a conversation id", f"row {first!r}")
                continue
            builder = ConversationBuilder(str(key), "<dataframe>", linter.roles)
            builder.language = fixed_language
            for index, *values in group[columns].itertuples(index=True, name=None):
                cell = {
                    c: (None if _is_na(pd, v) else v) for c, v in zip(columns, values, strict=True)
                }
                error = builder.add(
                    f"row {index!r}",
                    cell[speaker],
                    cell[text],
                    cell.get(start) if start is not None else None,
                    cell.get(end) if end is not None else None,
                    cell.get(language_column) if language_column is not None else None,
                    {key: cell[column] for key, column in meta_columns.items()},
                )
                if error is not None:
                    yield error
            built = builder.build()
            if built is not None:
                yield built

    records = [
        result.to_dict()
        for result in lint_many(transcripts(), linter, on_error=on_error)
        if isinstance(result, Finding)
    ]
    return pd.DataFrame.from_records(records, columns=list(FINDING_FIELDS))


def _is_na(pd: Any, value: Any) -> bool:
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):  # lists and arrays are not missing values
        return False


def _pandas() -> Any:
    try:
        return importlib.import_module("pandas")
    except ImportError:
        raise ImportError(
            "lint_dataframe needs pandas: pip install 'deescalate-lint[pandas]'"
        ) from None
