"""JSON output: one flat list of finding and notice objects (see docs/output-formats.md).

``jsonl`` writes the same objects one per line as they are found, so a large
run can be piped and read while it is still going.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from typing import TextIO

from ..model import Linted, Result
from .registry import ReportContext, register


def _results(items: Iterable[Linted]) -> Iterator[Result]:
    for item in items:
        yield from item.results


@register("json")
def write_json(items: Iterable[Linted], out: TextIO, context: ReportContext | None = None) -> None:
    out.write("[")
    first = True
    for result in _results(items):
        out.write("\n  " if first else ",\n  ")
        out.write(json.dumps(result.to_dict(), ensure_ascii=False))
        first = False
    out.write("\n]\n" if not first else "]\n")


@register("jsonl")
def write_jsonl(items: Iterable[Linted], out: TextIO, context: ReportContext | None = None) -> None:
    for result in _results(items):
        out.write(json.dumps(result.to_dict(), ensure_ascii=False))
        out.write("\n")
        out.flush()
