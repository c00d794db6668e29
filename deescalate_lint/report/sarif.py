"""SARIF 2.1.0: the format code-scanning dashboards (GitHub, Azure DevOps) import.

One run; ``tool.driver.rules`` describes every rule of the run from its rule
pack (summary, why, what to do instead, the citations of the guidance, the
languages it checks), plus the engine's DL900. Each finding is a ``result``
whose location is the file (with a region for response templates, where line
and column are known); the turn, speaker, evidence offsets and citations are
``properties``. Notices (checks that could not run) and unreadable inputs are
``toolExecutionNotifications`` of the invocation. Columns count Unicode code
points (``columnKind``), as the rest of the tool does.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from pathlib import PurePath
from typing import Any, TextIO
from urllib.parse import quote

from ..codes import UNUSED
from ..errors import InputError
from ..model import Citation, Finding, Linted, Notice, Severity
from .positions import Position, located
from .registry import ReportContext, register

SCHEMA_URI = (
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
)
LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}
INFORMATION_URI = "https://pypi.org/project/deescalate-lint/"


def _uri(path: str) -> str:
    if path.startswith("<"):
        return quote(path.strip("<>"))
    return quote(PurePath(path).as_posix())


def _citation(c: Citation) -> dict[str, Any]:
    return c.to_dict()


def _citation_text(c: Citation) -> str:
    first, last = c.lines
    where = f"{c.document} ({c.title}), \u00a7 {c.section}, lines {first}-{last}"
    return f"{where}: \u201c{c.key_phrase}\u201d"


def rule_descriptor(rule: Any) -> dict[str, Any]:
    """A ``reportingDescriptor`` from a rule pack's metadata."""
    cites = "\n".join(f"- {_citation_text(c)}" for c in rule.citations)
    why = " ".join(rule.why.split())
    help_text = f"{rule.summary}\n\nWhy: {why}\n\nInstead: {rule.suggestion}\n\nGuidance:\n{cites}"
    help_markdown = (
        f"{rule.summary}\n\n**Why.** {why}\n\n**Instead.** {rule.suggestion}\n\n"
        f"**Guidance.**\n\n{cites}\n\nSee `lint-transcript rule {rule.slug}`."
    )
    return {
        "id": rule.code,
        "name": rule.slug,
        "shortDescription": {"text": rule.summary or rule.name},
        "fullDescription": {"text": " ".join(rule.why.split()) or rule.summary},
        "help": {"text": help_text, "markdown": help_markdown},
        "defaultConfiguration": {"level": LEVEL[rule.severity]},
        "properties": {
            "tags": ["customer-service", "de-escalation", rule.logic],
            "languages": list(rule.languages),
            "options": dict(rule.options),
            "citations": [_citation(c) for c in rule.citations],
        },
    }


def unused_descriptor() -> dict[str, Any]:
    text = (
        "A suppression comment or lint.ignore entry that suppressed nothing, "
        "named no known rule, or is malformed."
    )
    return {
        "id": UNUSED.code,
        "name": UNUSED.slug,
        "shortDescription": {"text": "Unused or malformed suppression."},
        "fullDescription": {"text": text},
        "help": {"text": f"{text} {UNUSED.suggestion}"},
        "defaultConfiguration": {"level": LEVEL[Severity(UNUSED.severity)]},
    }


def _result(finding: Finding, index: dict[str, int], position: Position | None) -> dict[str, Any]:
    physical: dict[str, Any] = {"artifactLocation": {"uri": _uri(finding.path)}}
    if position is not None:
        physical["region"] = {
            "startLine": position.line,
            "startColumn": position.column,
            "endLine": position.end_line,
            "endColumn": position.end_column,
            "snippet": {"text": finding.evidence},
        }
    evidence = f" \u201c{finding.evidence}\u201d" if finding.evidence else ""
    whole = f"{finding.transcript or finding.path}"
    logical = (
        {
            "name": f"turn {finding.turn + 1}",
            "fullyQualifiedName": f"{whole}/turn {finding.turn + 1}",
            "kind": "turn",
        }
        if finding.turn >= 0
        else {"name": "transcript", "fullyQualifiedName": whole, "kind": "transcript"}
    )
    result: dict[str, Any] = {
        "ruleId": finding.code,
        "level": LEVEL[finding.severity],
        "message": {"text": f"{finding.message}{evidence} Try: {finding.suggestion}"},
        "locations": [
            {
                "physicalLocation": physical,
                "logicalLocations": [logical],
            }
        ],
        "properties": {
            "rule": finding.rule,
            "transcript": finding.transcript,
            "turn": finding.turn,
            "speaker": finding.speaker,
            "start": finding.start,
            "end": finding.end,
            "evidence": finding.evidence,
            "suggestion": finding.suggestion,
            "language": finding.language,
            "citations": [_citation(c) for c in finding.citations],
        },
    }
    if finding.code in index:
        result["ruleIndex"] = index[finding.code]
    return result


def _notification(notice: Notice) -> dict[str, Any]:
    return {
        "descriptor": {"id": notice.code},
        "level": "note",
        "message": {
            "text": (f"transcript {notice.transcript}: " if notice.transcript else "")
            + f"{notice.rule}: {notice.message}"
        },
        "locations": [{"physicalLocation": {"artifactLocation": {"uri": _uri(notice.path)}}}],
        "properties": {"rule": notice.rule, "transcript": notice.transcript},
    }


def build_log(items: Iterable[Linted], context: ReportContext) -> dict[str, Any]:
    descriptors = [rule_descriptor(rule) for rule in context.rules] + [unused_descriptor()]
    index = {d["id"]: i for i, d in enumerate(descriptors)}
    sarif_results = []
    notifications = []
    errors: list[InputError] = []
    for result, position in located(_noting_errors(items, errors)):
        if isinstance(result, Finding):
            sarif_results.append(_result(result, index, position))
        else:
            notifications.append(_notification(result))
    for error in errors:
        notifications.append(
            {
                "level": "error",
                "message": {"text": str(error)},
                "locations": [
                    {"physicalLocation": {"artifactLocation": {"uri": _uri(error.path)}}}
                ],
            }
        )
    driver: dict[str, Any] = {
        "name": "deescalate-lint",
        "informationUri": INFORMATION_URI,
        "rules": descriptors,
    }
    if context.tool_version:
        driver["version"] = context.tool_version
        driver["semanticVersion"] = context.tool_version
    return {
        "$schema": SCHEMA_URI,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {"driver": driver},
                "columnKind": "unicodeCodePoints",
                "invocations": [
                    {
                        "executionSuccessful": not errors,
                        "toolExecutionNotifications": notifications,
                    }
                ],
                "results": sarif_results,
            }
        ],
    }


def _noting_errors(items: Iterable[Linted], errors: list[InputError]) -> Iterator[Linted]:
    """``items`` passed through, their read errors kept aside (they are notifications)."""
    for item in items:
        if item.error is not None:
            errors.append(item.error)
        yield item


@register("sarif")
def write_sarif(items: Iterable[Linted], out: TextIO, context: ReportContext | None = None) -> None:
    log = build_log(items, context or ReportContext())
    out.write(json.dumps(log, ensure_ascii=False, indent=2))
    out.write("\n")
