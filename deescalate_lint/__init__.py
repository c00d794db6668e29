"""deescalate-lint: find what an agent said that escalates an upset customer.

Quick use::

    import deescalate_lint as dl
    for finding in dl.lint("Agent: Calm down, that's not my fault."):
        print(finding.code, finding.evidence, finding.citations[0].document)

    linter = dl.Linter(select=["defensive-phrasing"], language="en")
    for transcript in dl.load_transcripts("calls.jsonl"):
        findings = linter.lint(transcript)
"""

from __future__ import annotations

from collections.abc import Iterator
from os import PathLike
from typing import Any

from .engine import Linter, TranscriptLike
from .errors import ConfigError, DeescalateError, InputError, RulePackError
from .model import Citation, Finding, Notice, Result, Role, Severity, Transcript, Turn
from .readers import Source, read_source
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
    path: str | PathLike[str], *, input_format: str | None = None, strict: bool = True
) -> Iterator[Transcript]:
    """Transcripts from a file (streamed for JSONL).

    With ``strict`` (default) the first unreadable record raises ``InputError``;
    otherwise unreadable records are skipped (use ``Linter.lint_paths`` to see them).
    """
    from pathlib import Path

    source = Source.file(Path(path)) if str(path) != "-" else Source.stdin(_stdin())
    for item in read_source(source, default_role_table(), input_format):
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
    "lint",
    "load_transcripts",
]
