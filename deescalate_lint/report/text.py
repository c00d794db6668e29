"""Human-readable output: a line per finding, the quoted evidence, the citation."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TextIO

from ..model import Finding, Notice, Result
from . import register


def location(result: Result) -> str:
    where = result.path
    if result.transcript and not result.path.endswith(".json"):
        where = f"{where}#{result.transcript}"
    return where


@register("text")
def write_text(results: Iterable[Result], out: TextIO) -> None:
    for result in results:
        if isinstance(result, Notice):
            out.write(f"{location(result)}: notice {result.code} {result.rule}: {result.message}\n")
            continue
        write_finding(result, out)


def write_finding(finding: Finding, out: TextIO) -> None:
    out.write(
        f"{location(finding)}:turn {finding.turn} ({finding.speaker}) "
        f"{finding.code} {finding.rule}: {finding.message}\n"
    )
    out.write(f'    | "{finding.evidence}"  [{finding.start}:{finding.end}]\n')
    out.write(f"    = try: {finding.suggestion}\n")
    citation = finding.citations[0]
    first, last = citation.lines
    more = len(finding.citations) - 1
    out.write(
        f"    = cites {citation.document} ({citation.title}), "
        f"\u00a7 {citation.section}, lines {first}-{last}: \u201c{citation.key_phrase}\u201d"
        + (f" (+{more} more: lint-transcript rule {finding.rule})" if more else "")
        + "\n"
    )


@register("concise")
def write_concise(results: Iterable[Result], out: TextIO) -> None:
    for result in results:
        if isinstance(result, Finding):
            out.write(
                f"{location(result)}:turn {result.turn}:{result.start}: {result.code} "
                f"[{result.rule}] {result.message} \u201c{result.evidence}\u201d\n"
            )
