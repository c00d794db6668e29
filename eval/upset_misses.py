"""List the labels the linter misses because it does not read the customer as upset.

Why: five rules (missing-empathy, email-when-call-needed, no-recap, escape,
joking) judge the agent only when the escalation detector says the customer is
upset. When they miss a label, the cause is either the rule (it does not know
the agent's wording) or the detector (it never read the customer as upset).
The two need different work, and counting them told the twenty-fifth session
that the detector was the main cause; this script lists the second kind, with
the customer turns before each missed label, their score and signals, so the
wordings that carry upset can be read off (the `failure` signal of the
twenty-sixth session came from these lists).

Usage: ``python eval/upset_misses.py LANG SET [SET ...] [--rules r1,r2] [--all]``,
each SET a folder of eval/sets (``round17``) or a path. Run it on development
rounds only: it prints their texts. ``--all`` lists also the misses where the
customer was read as upset (the rule's own misses). Counts per rule go to
stderr.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import run  # eval/run.py: the same loading, linting and matching as the scores

import deescalate_lint as dl
from deescalate_lint.context import Conversation
from deescalate_lint.escalation import EscalationDetector
from deescalate_lint.readers import coerce

UPSET_RULES = ("missing-empathy", "email-when-call-needed", "no-recap", "escape", "joking")


def conversation(linter: dl.Linter, record: dict[str, Any], language: str) -> Conversation:
    """The record as the detector sees it (read as the linter reads it), every
    turn in ``language``."""
    transcript = coerce(record, linter.roles, record["id"])
    codes = [language] * len(transcript.turns)
    return Conversation.build(transcript, language, codes, linter.languages)


def misses(
    language: str, sets: list[Path], rules: tuple[str, ...], show_upset: bool
) -> tuple[list[str], Counter[tuple[str, bool]]]:
    """The report's lines and, per (rule, upset), how many labels were missed."""
    linter = dl.Linter(select=list(rules))
    detector = EscalationDetector.default()
    lines: list[str] = []
    counts: Counter[tuple[str, bool]] = Counter()
    for root in sets:
        for record, labels in run.load(root, language):
            labels = [label for label in labels if label.rule in rules]
            if not labels:
                continue
            hits, notices = run.lint(linter, language, record, True)
            missed = run.match(language, labels, hits, notices).false_negatives
            if not missed:
                continue
            convo = conversation(linter, record, language)
            for label in missed:
                mood = convo.mood_before(label.turn)
                upset = bool(mood and mood.upset)
                counts[(label.rule, upset)] += 1
                if upset and not show_upset:
                    continue
                state = "upset" if upset else "NOT upset"
                lines.append(
                    f"== {record['id']} turn {label.turn} {label.rule} [{state}]: "
                    f"{run.short(label.evidence, 80)}"
                )
                before = max(
                    (i for i in range(label.turn) if record["turns"][i]["speaker"] == "agent"),
                    default=-1,
                )
                for view in convo.views[before + 1 : label.turn]:
                    if view.is_customer:
                        judged = detector.assess(convo, view)
                        lines.append(
                            f"   customer turn {view.index}, score {judged.score}, "
                            f"{judged.describe()}: {run.short(view.text, 400)}"
                        )
    return lines, counts


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("language", choices=run.LANGUAGES)
    parser.add_argument("sets", nargs="+", help="round names under eval/sets, or paths")
    parser.add_argument("--rules", default=",".join(UPSET_RULES))
    parser.add_argument("--all", action="store_true", help="also the misses with upset read")
    args = parser.parse_args(argv)
    sets = [Path(s) if Path(s).is_dir() else run.SETS / s for s in args.sets]
    lines, counts = misses(args.language, sets, tuple(args.rules.split(",")), args.all)
    print("\n".join(lines))
    for (rule, upset), n in sorted(counts.items()):
        print(f"{rule:24s} {'upset' if upset else 'NOT upset':10s} {n}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
