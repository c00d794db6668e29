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
from .languages import language_code, language_name, load_languages
from .rulepack import Rule, language_roots, load_rules


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
    if command == "rule":
        parser.add_argument(
            "--language",
            metavar="CODE",
            help="only this language's examples: a code (en) or a name (English)",
        )
    return parser


def main(argv: Sequence[str]) -> int:
    command = argv[0]
    args = _parser(command).parse_args(list(argv[1:]))
    extra = [Path(d) for d in args.rules]
    try:
        rules = load_rules(extra)
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
            only = None
            if args.language:
                only = language_code(args.language, load_languages(language_roots(extra)))
                if only is None or only not in rule.packs:
                    known = ", ".join(f"{c} ({language_name(c)})" for c in rule.languages)
                    print(
                        f"error: --language {args.language!r}: {rule.slug} has examples in {known}",
                        file=sys.stderr,
                    )
                    return 2
            print(
                json.dumps(_record(rule, only=only), ensure_ascii=False, indent=2)
                if args.format == "json"
                else describe(rule, only)
            )
            return 0
    print(f"error: unknown rule {wanted!r} (see `lint-transcript rules`)", file=sys.stderr)
    return 2


def describe(rule: Rule, only: str | None = None) -> str:
    """Everything about one rule, as the Markdown page of the docs (``only``: the
    examples of that language alone)."""
    return render_rule(rule, only)


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


def _record(rule: Rule, brief: bool = False, only: str | None = None) -> dict[str, object]:
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
                if only is None or code == only
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
