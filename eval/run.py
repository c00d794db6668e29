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

Usage: ``python eval/run.py [--detect] [--report PATH] [LANG ...]``.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import deescalate_lint as dl

HERE = Path(__file__).resolve().parent
CONVERSATIONS = HERE / "conversations"
LANGUAGES = ("de", "fi", "zh", "ko", "en")
RULES = (
    "interruption",
    "defensive-phrasing",
    "over-apologising",
    "unrealistic-promise",
    "email-when-call-needed",
)


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
    conversations: int = 0


def occurrences(text: str, needle: str) -> tuple[tuple[int, int], ...]:
    """Every span of ``needle`` in ``text`` (labels quote words, not offsets)."""
    spans = []
    start = text.find(needle)
    while needle and start != -1:
        spans.append((start, start + len(needle)))
        start = text.find(needle, start + 1)
    return tuple(spans)


def load(language: str) -> Iterator[tuple[dict[str, Any], list[Label]]]:
    """The conversations of one language file with their checked labels."""
    path = CONVERSATIONS / f"{language}.jsonl"
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
            if item["rule"] not in RULES:
                raise SystemExit(f"{path}:{number}: unknown rule {item['rule']!r}")
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
    shown = {key: value for key, value in record.items() if key != "labels"}
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


def match(language: str, labels: list[Label], hits: list[Hit], notices: list[str]) -> Outcome:
    """One-to-one matching, same conversation, turn and rule, overlapping spans."""
    free = list(hits)
    matched = []
    missed = []
    for label in labels:
        partner = next(
            (
                h
                for h in free
                if (h.conversation, h.turn, h.rule) == (label.conversation, label.turn, label.rule)
                and overlaps(label, h)
            ),
            None,
        )
        if partner is None:
            missed.append(label)
        else:
            free.remove(partner)
            matched.append((label, partner))
    return Outcome(language, labels, hits, matched, missed, free, notices)


def ratio(part: int, whole: int) -> str:
    return f"{part / whole:.2f}" if whole else "-"


def table(outcomes: Iterable[Outcome]) -> list[str]:
    """Markdown table: per language and rule, then per language, per rule and overall."""
    rows: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0, 0])
    for outcome in outcomes:
        for key_language in (outcome.language, "ALL"):
            for rule in (*RULES, "all rules"):

                def wanted(r: str, rule: str = rule) -> bool:
                    return rule == "all rules" or r == rule

                row = rows[(key_language, rule)]
                row[0] += sum(1 for x in outcome.labels if wanted(x.rule))
                row[1] += sum(1 for x in outcome.hits if wanted(x.rule))
                row[2] += sum(1 for x, _ in outcome.matched if wanted(x.rule))
    lines = [
        "| language | rule | labels | findings | TP | FP | FN | precision | recall |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    order = [*dict.fromkeys(language for language, _ in rows if language != "ALL"), "ALL"]
    for language in order:
        for rule in (*RULES, "all rules"):
            labels, findings, tp = rows[(language, rule)]
            bold = "**" if rule == "all rules" else ""
            lines.append(
                f"| {bold}{language}{bold} | {bold}{rule}{bold} | {labels} | {findings} | {tp} | "
                f"{findings - tp} | {labels - tp} | {ratio(tp, findings)} | {ratio(tp, labels)} |"
            )
    return lines


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
        id(h)
        for h in outcome.false_positives
        for x in outcome.false_negatives
        if (h.conversation, h.turn, h.rule) == (x.conversation, x.turn, x.rule)
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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "languages", nargs="*", default=list(LANGUAGES), help="subset of de fi zh ko en"
    )
    parser.add_argument(
        "--detect",
        action="store_true",
        help="hide each conversation's 'language' field so the linter must detect it",
    )
    parser.add_argument(
        "--report", type=Path, default=HERE / "report.md", help="where to write the Markdown report"
    )
    args = parser.parse_args(argv)
    unknown = [x for x in args.languages if x not in LANGUAGES]
    if unknown:
        parser.error(f"unknown language(s): {', '.join(unknown)}")
    linter = dl.Linter()
    outcomes = []
    for language in args.languages:
        labels: list[Label] = []
        hits: list[Hit] = []
        notices: list[str] = []
        conversations = list(load(language))
        for record, record_labels in conversations:
            labels.extend(record_labels)
            found, said = lint(linter, language, record, args.detect)
            hits.extend(found)
            notices.extend(said)
        outcome = match(language, labels, hits, notices)
        outcome.conversations = len(conversations)
        outcomes.append(outcome)
    mode = "language detected by the linter" if args.detect else "language given in each record"
    out = [
        "# deescalate-lint: blind multilingual evaluation",
        "",
        f"deescalate-lint {dl.__version__}; {mode}; conversations in eval/conversations/.",
        "Matching: same conversation, turn and rule, overlapping evidence spans; one-to-one.",
        "",
        *table(outcomes),
        "",
        "## False positives and false negatives",
        "",
    ]
    for outcome in outcomes:
        out.extend(details(outcome))
    text = "\n".join(out)
    print(text)
    args.report.write_text(text + "\n", encoding="utf-8")
    print(f"(written to {args.report})", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
