"""JSON output: one flat list of finding and notice objects (see docs/output-formats.md).

``jsonl`` writes the same objects one per line as they are found, so a large
run can be piped and read while it is still going.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import TextIO

from ..model import Result
from . import ReportContext, register


@register("json")
def write_json(
    results: Iterable[Result], out: TextIO, context: ReportContext | None = None
) -> None:
    out.write("[")
    first = True
    for result in results:
        out.write("\n  " if first else ",\n  ")
        out.write(json.dumps(result.to_dict(), ensure_ascii=False))
        first = False
    out.write("\n]\n" if not first else "]\n")


@register("jsonl")
def write_jsonl(
    results: Iterable[Result], out: TextIO, context: ReportContext | None = None
) -> None:
    for result in results:
        out.write(json.dumps(result.to_dict(), ensure_ascii=False))
        out.write("\n")
        out.flush()
