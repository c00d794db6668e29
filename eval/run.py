"""Measure deescalate-lint against the blind, hand-labelled conversations in eval/.

Why a script and not a test: the numbers are a measurement to read and argue
about (is the linter wrong, or the label?), not a pass/fail gate; a threshold
would tempt people to tune the rule packs to these few conversations.

A finding matches a label when both name the same conversation, turn (0-based
index into ``turns``) and rule, and the finding's evidence span overlaps an
occurrence of the label's evidence in that turn's text. Each label and each
finding is matched at most once. Findings in the same turn and rule that do
not overlap the labelled words are still false positives, but are listed as
"near misses" so that a wrong span is not mistaken for a wrong judgement.
The last column, "recall (any)", counts a label as found when any finding of
its turn and rule overlaps it, matched to another label or not: one finding
whose evidence spans two labelled sentences (the rules merge neighbouring
sentences into one finding) shows both to a reader, where the one-to-one
recall counts one. It is reported beside the one-to-one figures, never in
their place.

Usage: ``python eval/run.py [--set DIR] [--detect] [--report PATH] [--json PATH]
[--details] [LANG ...]``.
The terminal gets the tables only; the lists of false positives and negatives,
which quote the conversations, go to the report (and with ``--details`` to the
terminal too), so a held-out set's texts are never read in passing.
A set is a folder of ``<lang>.jsonl`` files or ``<lang>/*.jsonl`` folders
(``eval/sets/README.md`` says which sets are development data and which are blind).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import deescalate_lint as dl
from deescalate_lint.languages import supported_languages
from deescalate_lint.rulepack import load_rules

HERE = Path(__file__).resolve().parent
SETS = HERE / "sets"
DEFAULT_SET = SETS / "dev-2026-11"
LANGUAGES = supported_languages()
#: Every rule a label may name: the shipped ones, in code order.
RULES = tuple(rule.slug for rule in load_rules())


@dataclass(frozen=True)
class Label:
    """One place a QA lead would flag the agent, as written in the JSONL."""

    language: str
    conversation: str
    turn: int
    rule: str
    evidence: str
    spans: tuple[tuple[int, int], ...]
    text: str


@dataclass(frozen=True)
class Hit:
    """One linter finding, reduced to what matching and reporting need."""

    language: str
    conversation: str
    turn: int
    rule: str
    evidence: str
    start: int
    end: int
    text: str
    message: str


@dataclass
class Outcome:
    """Matched pairs and what is left over on each side, for one language."""

    language: str
    labels: list[Label]
    hits: list[Hit]
    matched: list[tuple[Label, Hit]]
    false_negatives: list[Label]
    false_positives: list[Hit]
    notices: list[str]
    #: Labels some finding of the same turn and rule overlaps (matched or not).
    covered: list[Label] = field(default_factory=list)
    conversations: int = 0
    #: Conversations with no label, and how many of them got no finding at all.
    clean: int = 0
    clean_silent: int = 0


def occurrences(text: str, needle: str) -> tuple[tuple[int, int], ...]:
    """Every span of ``needle`` in ``text`` (labels quote words, not offsets)."""
    spans = []
    start = text.find(needle)
    while needle and start != -1:
        spans.append((start, start + len(needle)))
        start = text.find(needle, start + 1)
    return tuple(spans)


def files(root: Path, language: str) -> list[Path]:
    """The JSONL files of one language in a set: ``<lang>.jsonl`` or ``<lang>/*.jsonl``."""
    single = root / f"{language}.jsonl"
    return [single] if single.is_file() else sorted((root / language).glob("*.jsonl"))


def load(root: Path, language: str) -> Iterator[tuple[dict[str, Any], list[Label]]]:
    """The conversations of one language with their checked labels."""
    for path in files(root, language):
        yield from _load_file(path, language)


def _load_file(path: Path, language: str) -> Iterator[tuple[dict[str, Any], list[Label]]]:
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        record = json.loads(line)
        cid = record["id"]
        labels = []
        for item in record.get("labels", []):
            turn = record["turns"][item["turn"]]
            if turn["speaker"] != "agent":
                raise SystemExit(f"{path}:{number}: label on a customer turn: {item}")
            spans = occurrences(turn["text"], item["evidence"])
            if not spans:
                raise SystemExit(f"{path}:{number}: evidence not in turn text: {item}")
            labels.append(
                Label(
                    language, cid, item["turn"], item["rule"], item["evidence"], spans, turn["text"]
                )
            )
        yield record, labels


def lint(
    linter: dl.Linter, language: str, record: dict[str, Any], detect: bool
) -> tuple[list[Hit], list[str]]:
    """Findings and notices for one conversation; ``labels`` is not shown to the linter."""
    shown = {
        key: value for key, value in record.items() if key in ("id", "language", "channel", "turns")
    }
    if detect:
        shown.pop("language", None)
    results = linter.results(shown)
    hits = []
    notices = []
    for result in results:
        if isinstance(result, dl.Finding):
            text = record["turns"][result.turn]["text"]
            hits.append(
                Hit(
                    language,
                    record["id"],
                    result.turn,
                    result.rule,
                    result.evidence,
                    result.start,
                    result.end,
                    text,
                    result.message,
                )
            )
        elif "timing check not run" not in result.message:
            # Chat transcripts have no times by design; every other notice is news.
            notices.append(f"{record['id']}: [{result.code} {result.rule}] {result.message}")
    return hits, notices


def overlaps(label: Label, hit: Hit) -> bool:
    return any(start < hit.end and hit.start < end for start, end in label.spans)


def same_place(label: Label, hit: Hit) -> bool:
    """Same conversation, turn and rule (a near miss when the spans do not overlap)."""
    return (hit.conversation, hit.turn, hit.rule) == (label.conversation, label.turn, label.rule)


def finds(hit: Hit, label: Label) -> bool:
    """The finding is the labelled behaviour: same place, overlapping words."""
    return same_place(label, hit) and overlaps(label, hit)


def match(language: str, labels: list[Label], hits: list[Hit], notices: list[str]) -> Outcome:
    """One-to-one matching, same conversation, turn and rule, overlapping spans."""
    free = list(hits)
    matched = []
    missed = []
    for label in labels:
        partner = next((h for h in free if finds(h, label)), None)
        if partner is None:
            missed.append(label)
        else:
            free.remove(partner)
            matched.append((label, partner))
    covered = [label for label in labels if any(finds(h, label) for h in hits)]
    return Outcome(language, labels, hits, matched, missed, free, notices, covered)


def ratio(part: int, whole: int) -> str:
    return f"{part / whole:.2f}" if whole else "-"


def counts(outcomes: Iterable[Outcome]) -> dict[tuple[str, str], list[int]]:
    """(language or ALL, rule or "all rules") -> [labels, findings, true positives,
    labels some finding overlaps (recall (any))]."""
    rows: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    for outcome in outcomes:
        for key_language in (outcome.language, "ALL"):
            for rule in (*rules_seen(outcomes), "all rules"):

                def wanted(r: str, rule: str = rule) -> bool:
                    return rule == "all rules" or r == rule

                row = rows[(key_language, rule)]
                row[0] += sum(1 for x in outcome.labels if wanted(x.rule))
                row[1] += sum(1 for x in outcome.hits if wanted(x.rule))
                row[2] += sum(1 for x, _ in outcome.matched if wanted(x.rule))
                row[3] += sum(1 for x in outcome.covered if wanted(x.rule))
    return rows


def rules_seen(outcomes: Iterable[Outcome]) -> list[str]:
    """Shipped rules in code order, then any rule a label names that is not shipped."""
    named = {x.rule for o in outcomes for x in o.labels} | {
        h.rule for o in outcomes for h in o.hits
    }
    return [*RULES, *sorted(named - set(RULES))]


def table(outcomes: list[Outcome]) -> list[str]:
    """Markdown table: per language and rule, then per language, per rule and overall."""
    rows = counts(outcomes)
    lines = [
        "| language | rule | labels | findings | TP | FP | FN | precision | recall "
        "| recall (any) |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    order = [*dict.fromkeys(language for language, _ in rows if language != "ALL"), "ALL"]
    for language in order:
        for rule in (*rules_seen(outcomes), "all rules"):
            labels, findings, tp, covered = rows[(language, rule)]
            if not labels and not findings and rule != "all rules":
                continue
            bold = "**" if rule == "all rules" else ""
            lines.append(
                f"| {bold}{language}{bold} | {bold}{rule}{bold} | {labels} | {findings} | {tp} | "
                f"{findings - tp} | {labels - tp} | {ratio(tp, findings)} | {ratio(tp, labels)} | "
                f"{ratio(covered, labels)} |"
            )
    lines += [
        "",
        "| language | clean conversations | silent | share silent |",
        "|---|---:|---:|---:|",
    ]
    for outcome in outcomes:
        lines.append(
            f"| {outcome.language} | {outcome.clean} | {outcome.clean_silent} | "
            f"{ratio(outcome.clean_silent, outcome.clean)} |"
        )
    clean = sum(o.clean for o in outcomes)
    silent = sum(o.clean_silent for o in outcomes)
    lines.append(f"| **ALL** | {clean} | {silent} | {ratio(silent, clean)} |")
    return lines


def summary(outcomes: list[Outcome]) -> dict[str, Any]:
    """The numbers of the table, for comparing runs by script."""
    rows = counts(outcomes)
    return {
        "rows": [
            {
                "language": lang,
                "rule": rule,
                "labels": n,
                "findings": f,
                "tp": tp,
                "covered": covered,
            }
            for (lang, rule), (n, f, tp, covered) in sorted(rows.items())
        ],
        "clean": {o.language: [o.clean, o.clean_silent] for o in outcomes},
    }


def short(text: str, limit: int = 160) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def details(outcome: Outcome) -> list[str]:
    """Every false positive and false negative of one language, with the turn's text."""
    lines = [
        f"### {outcome.language}",
        "",
        f"{outcome.conversations} conversations, {len(outcome.labels)} labels, "
        f"{len(outcome.hits)} findings, {len(outcome.matched)} matched.",
        "",
    ]
    near = {
        id(h) for h in outcome.false_positives for x in outcome.false_negatives if same_place(x, h)
    }
    lines.append(f"False positives ({len(outcome.false_positives)}):")
    lines.append("")
    for h in sorted(outcome.false_positives, key=lambda h: (h.conversation, h.turn, h.start)):
        tag = " (near miss: same turn and rule as an unmatched label)" if id(h) in near else ""
        lines.append(
            f"- FP `{h.conversation}` turn {h.turn} `{h.rule}`{tag}: evidence «{h.evidence}»"
        )
        lines.append(f"  - turn: «{short(h.text)}»")
        lines.append(f"  - linter: {short(h.message, 240)}")
    lines.append("")
    lines.append(f"False negatives ({len(outcome.false_negatives)}):")
    lines.append("")
    for x in sorted(outcome.false_negatives, key=lambda x: (x.conversation, x.turn)):
        lines.append(f"- FN `{x.conversation}` turn {x.turn} `{x.rule}`: label «{x.evidence}»")
        lines.append(f"  - turn: «{short(x.text)}»")
    if outcome.notices:
        lines.append("")
        lines.append(f"Notices ({len(outcome.notices)}):")
        lines.append("")
        lines.extend(f"- {n}" for n in outcome.notices)
    lines.append("")
    return lines


def evaluate(
    root: Path, languages: Iterable[str], detect: bool, rules: Iterable[str] = ()
) -> tuple[list[str], list[Outcome]]:
    """The rules scored (``rules``, or else those the set labels), and per language
    its matched outcome."""
    loaded = {language: list(load(root, language)) for language in languages}
    # Only the rules the set labels are scored: a set written before a rule
    # existed says nothing about that rule, and its findings there are not errors.
    scored = sorted(
        set(rules)
        or (
            {x.rule for conversations in loaded.values() for _, xs in conversations for x in xs}
            & set(RULES)
        )
    )
    linter = dl.Linter(select=scored)
    outcomes = []
    for language, conversations in loaded.items():
        if not conversations:
            continue
        labels: list[Label] = []
        hits: list[Hit] = []
        notices: list[str] = []
        clean = silent = 0
        for record, record_labels in conversations:
            labels.extend(record_labels)
            found, said = lint(linter, language, record, detect)
            hits.extend(found)
            notices.extend(said)
            if not record_labels:
                clean += 1
                silent += not found
        outcome = match(language, labels, hits, notices)
        outcome.conversations = len(conversations)
        outcome.clean, outcome.clean_silent = clean, silent
        outcomes.append(outcome)
    return scored, outcomes


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "languages", nargs="*", default=list(LANGUAGES), help=f"subset of {' '.join(LANGUAGES)}"
    )
    parser.add_argument(
        "--set", type=Path, default=DEFAULT_SET, help="the conversations (default: %(default)s)"
    )
    parser.add_argument(
        "--detect",
        action="store_true",
        help="hide each conversation's 'language' field so the linter must detect it",
    )
    parser.add_argument(
        "--report", type=Path, default=None, help="where to write the Markdown report"
    )
    parser.add_argument("--json", type=Path, default=None, help="also write the numbers as JSON")
    parser.add_argument(
        "--details",
        action="store_true",
        help="also print the false positives and negatives (always in the report)",
    )
    args = parser.parse_args(argv)
    unknown = [x for x in args.languages if x not in LANGUAGES]
    if unknown:
        parser.error(f"unknown language(s): {', '.join(unknown)}")
    scored, outcomes = evaluate(args.set, args.languages, args.detect)
    mode = "language detected by the linter" if args.detect else "language given in each record"
    out = [
        "# deescalate-lint: evaluation",
        "",
        f"deescalate-lint {dl.__version__}; {mode}; conversations in {args.set}.",
        "Matching: same conversation, turn and rule, overlapping evidence spans; one-to-one "
        "(the last column, recall (any), counts a label found by any overlapping finding).",
        f"Rules scored (those the set labels): {', '.join(scored)}.",
        "",
        *table(outcomes),
        "",
        "## False positives and false negatives",
        "",
    ]
    summary_lines = len(out) - 3  # up to the tables; the lists go to the report only
    for outcome in outcomes:
        out.extend(details(outcome))
    text = "\n".join(out)
    report = args.report or args.set / "report.md"
    report.write_text(text + "\n", encoding="utf-8")
    # Only the numbers on the terminal: the false positives and negatives quote
    # the set's conversations, and a held-out set's must not be read in passing
    # (two tuners saw a held-out round's lines in a console log that way).
    print("\n".join(out[:summary_lines]) if not args.details else text)
    print(f"(the lists of false positives and negatives are in {report})", file=sys.stderr)
    if args.json:
        args.json.write_text(json.dumps(summary(outcomes), indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
