"""``lint-transcript rules`` and ``lint-transcript rule NAME``: the rules, explained.

``rule`` prints the same Markdown page as ``docs/rules/<slug>.md`` (what it
flags and why, what to do instead, options, every example per language, the
full citations), so the terminal and the docs cannot drift apart.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from .codes import UNUSED
from .docs import render_engine_rule, render_rule
from .errors import DeescalateError
from .rulepack import Rule, load_rules


def _parser(command: str) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog=f"lint-transcript {command}")
    if command == "rule":
        parser.add_argument(
            "name", metavar="NAME_OR_CODE", help="a rule name (slug) or code, e.g. DL103"
        )
    parser.add_argument(
        "--rules", metavar="DIR", action="append", default=[], help="extra rule pack folder"
    )
    parser.add_argument("--format", choices=("text", "json"), default="text")
    return parser


def main(argv: Sequence[str]) -> int:
    command = argv[0]
    args = _parser(command).parse_args(list(argv[1:]))
    try:
        rules = load_rules(Path(d) for d in args.rules)
    except DeescalateError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if command == "rules":
        print(list_rules(rules, as_json=args.format == "json"), end="")
        return 0
    wanted = args.name
    if wanted.upper() == UNUSED.code or wanted == UNUSED.slug:
        print(
            json.dumps(_engine_record(), indent=2)
            if args.format == "json"
            else render_engine_rule(UNUSED)
        )
        return 0
    for rule in rules:
        if wanted == rule.slug or wanted.upper() == rule.code:
            print(
                json.dumps(_record(rule), ensure_ascii=False, indent=2)
                if args.format == "json"
                else describe(rule)
            )
            return 0
    print(f"error: unknown rule {wanted!r} (see `lint-transcript rules`)", file=sys.stderr)
    return 2


def describe(rule: Rule) -> str:
    """Everything about one rule, as the Markdown page of the docs."""
    return render_rule(rule)


def list_rules(rules: Sequence[Rule], *, as_json: bool = False) -> str:
    """Code, slug, default severity, languages and summary of every rule (and DL900)."""
    if as_json:
        records = [_record(rule, brief=True) for rule in rules] + [_engine_record()]
        return json.dumps(records, ensure_ascii=False, indent=2) + "\n"
    rows = [
        (r.code, r.slug, r.severity.value, ",".join(r.languages) or "-", r.summary) for r in rules
    ]
    e = UNUSED
    rows.append((e.code, e.slug, e.severity, "all", e.summary))
    header = ("CODE", "RULE", "SEVERITY", "LANGUAGES", "SUMMARY")
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(4)]
    lines = []
    for row in [header, *rows]:
        lines.append(
            "  ".join(cell.ljust(widths[i]) for i, cell in enumerate(row[:4])) + "  " + row[4]
        )
    return "\n".join(lines) + "\n"


def _record(rule: Rule, brief: bool = False) -> dict[str, object]:
    record: dict[str, object] = {
        "code": rule.code,
        "rule": rule.slug,
        "name": rule.name,
        "severity": rule.severity.value,
        "languages": list(rule.languages),
        "summary": rule.summary,
    }
    if not brief:
        record |= {
            "logic": rule.logic,
            "why": " ".join(rule.why.split()),
            "message": rule.message,
            "suggestion": rule.suggestion,
            "options": dict(rule.options),
            "examples": {
                code: {
                    "should_flag": list(p.should_flag),
                    "should_not_flag": list(p.should_not_flag),
                }
                for code, p in sorted(rule.packs.items())
            },
            "citations": [c.to_dict() for c in rule.citations],
        }
    return record


def _engine_record() -> dict[str, object]:
    e = UNUSED
    return {
        "code": e.code,
        "rule": e.slug,
        "name": e.name,
        "severity": e.severity,
        "languages": [],
        "summary": e.summary,
    }
