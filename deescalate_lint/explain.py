"""``lint-transcript rules`` and ``lint-transcript rule NAME``: the rules, explained."""

from __future__ import annotations

import sys
from collections.abc import Sequence

from .rulepack import Rule, load_rules


def main(argv: Sequence[str]) -> int:
    rules = load_rules()
    if argv[0] == "rules":
        for rule in rules:
            print(
                f"{rule.code}  {rule.slug:<24} {rule.severity.value:<8} "
                f"{','.join(rule.languages):<16} {rule.summary}"
            )
        return 0
    if len(argv) != 2:
        print("usage: lint-transcript rule NAME_OR_CODE", file=sys.stderr)
        return 2
    wanted = argv[1]
    for rule in rules:
        if wanted in (rule.slug, rule.code):
            print(describe(rule))
            return 0
    print(f"error: unknown rule {wanted!r} (see `lint-transcript rules`)", file=sys.stderr)
    return 2


def describe(rule: Rule) -> str:
    lines = [f"{rule.code} {rule.slug}: {rule.name}", "", rule.summary, ""]
    if rule.why:
        lines += ["Why it matters:", rule.why, ""]
    lines += [f"Severity: {rule.severity.value}", f"Languages: {', '.join(rule.languages)}", ""]
    if rule.options:
        lines.append("Options:")
        lines += [f"  {key} = {value!r}" for key, value in rule.options.items()]
        lines.append("")
    lines.append(f"Instead: {rule.suggestion}")
    lines.append("")
    for code in rule.languages:
        pack = rule.packs[code]
        lines.append(f"Examples ({code}):")
        lines += [f"  flag:     {ex.strip()}" for ex in pack.should_flag[:3]]
        lines += [f"  ok:       {ex.strip()}" for ex in pack.should_not_flag[:3]]
    lines.append("")
    lines.append("Guidance:")
    for c in rule.citations:
        lines.append(
            f"  {c.document} ({c.title}), \u00a7 {c.section}, lines {c.lines[0]}-{c.lines[1]}: "
            f"\u201c{c.key_phrase}\u201d"
        )
    return "\n".join(lines)
