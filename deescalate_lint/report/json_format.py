"""JSON output: one flat list of finding and notice objects (see docs/json-schema.md)."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import TextIO

from ..model import Result
from . import register


@register("json")
def write_json(results: Iterable[Result], out: TextIO) -> None:
    out.write("[")
    first = True
    for result in results:
        out.write("\n  " if first else ",\n  ")
        out.write(json.dumps(result.to_dict(), ensure_ascii=False))
        first = False
    out.write("\n]\n" if not first else "]\n")


@register("jsonl")
def write_jsonl(results: Iterable[Result], out: TextIO) -> None:
    for result in results:
        out.write(json.dumps(result.to_dict(), ensure_ascii=False))
        out.write("\n")
