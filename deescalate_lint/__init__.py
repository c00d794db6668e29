"""deescalate-lint: find what an agent said that escalates an upset customer.

Quick use::

    import deescalate_lint as dl
    for finding in dl.lint("Agent: Calm down, that's not my fault."):
        print(finding.code, finding.evidence, finding.citations[0].document)

    linter = dl.Linter(select=["defensive-phrasing"], language="en")
    for transcript in dl.load_transcripts("calls.jsonl"):
        findings = linter.lint(transcript)

    # QA scripts: stream many, flatten for a CSV or a DataFrame.
    rows = dl.findings_to_records(dl.lint_many(dl.load_transcripts("calls.vtt")))
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from os import PathLike
from typing import Any

from .batch import findings_to_records, lint_dataframe, lint_many
from .engine import Linter
from .errors import ConfigError, DeescalateError, InputError, RulePackError
from .model import Citation, Finding, Notice, Result, Role, Severity, Transcript, Turn
from .readers import Source, TranscriptLike, check_reader_options, read_source
from .roles import default_role_table

__version__ = "0.1.0"


def lint(transcript_or_text: TranscriptLike, **config: Any) -> list[Finding]:
    """Findings for one transcript, canonical dict, or plain text / template.

    Keyword arguments configure a one-off ``Linter`` (``language``, ``select``,
    ``ignore``, ``options``...). Build a ``Linter`` yourself to lint many.
    """
    language = config.pop("language", None)
    return Linter(**config).lint(transcript_or_text, language=language)


def load_transcripts(
    path: str | PathLike[str],
    *,
    input_format: str | None = None,
    strict: bool = True,
    roles: Mapping[str, str] | None = None,
    reader_options: Mapping[str, Mapping[str, Any]] | None = None,
) -> Iterator[Transcript]:
    """Transcripts from a file of any supported format (streamed for JSONL and CSV).

    ``roles`` maps extra speaker labels (``{"Dana Whitfield": "agent"}``);
    ``reader_options`` are per reader name (``{"csv": {"speaker": "who"}}``).

    With ``strict`` (default) the first unreadable record raises ``InputError``;
    otherwise unreadable records are skipped (use ``Linter.lint_paths`` to see them).
    """
    from pathlib import Path

    source = Source.file(Path(path)) if str(path) != "-" else Source.stdin(_stdin())
    try:
        table = default_role_table().with_overrides(roles or {})
    except ValueError as exc:
        raise ConfigError(str(exc)) from None
    checked = check_reader_options(reader_options)
    for item in read_source(source, table, input_format, checked):
        if isinstance(item, InputError):
            if strict:
                raise item
            continue
        yield item


def _stdin() -> Any:
    import sys

    return sys.stdin.buffer


__all__ = [
    "Citation",
    "ConfigError",
    "DeescalateError",
    "Finding",
    "InputError",
    "Linter",
    "Notice",
    "Result",
    "Role",
    "RulePackError",
    "Severity",
    "Transcript",
    "Turn",
    "findings_to_records",
    "lint",
    "lint_dataframe",
    "lint_many",
    "load_transcripts",
]
