"""Measure the rule packs on sentence banks: many far-apart wordings of one concept each.

Why: a round of conversations holds each wording of, say, hostile condescension once or
twice, so tuning on rounds adds the wordings those writers used and little else (the
twenty-second session gained 893 true positives on its development rounds and 22 on fresh
text). A bank asks native writers who never saw the packs for dozens of wordings per
concept and language, true and false, so a score on it is a score on the concept.

Each item is wrapped in the same short conversation (``banks/contexts.toml``): the fixed
lines around it are known to behave (an upset customer, a plain reply, a restatement-free
resolution), so a miss is the packs not knowing that item's wording. The wrapped items
form one eval set per concept (``<out>/<concept>/<lang>.jsonl``), scored by ``run.py``'s
matching, each for the one rule its concept tests.

Usage: ``python eval/bank.py [--bank DIR] [--out DIR] [--report PATH] [--json PATH]
[concept ...]``; the default bank is ``eval/banks/2026-12-07``.
The terminal gets one line per concept (true positives / labels, findings, per language);
the report lists every miss and false positive with its text.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import tempfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from run import LANGUAGES, Outcome, counts, details, evaluate

from deescalate_lint.resources import read_toml

HERE = Path(__file__).resolve().parent
BANKS = HERE / "banks"
DEFAULT_BANK = BANKS / "2026-12-07"
CONTEXTS = BANKS / "contexts.toml"
SHAPES = ("customer", "reply", "unless", "before-resolution", "after-joke")
#: An item of the after-joke shape that is flagged false opens with the customer's joke:
#: "[customer: ...] the agent's reply" (any bracket pair, any speaker name, either colon).
_JOKE_FIRST = re.compile(r"\s*[\[【(（]\s*[^:：\]】)）]*[:：]\s*(.*?)[\]】)）]\s*(.*)$", re.S)


@dataclass(frozen=True)
class Concept:
    """What a concept's items are labelled with, and how each is wrapped."""

    name: str
    rule: str
    shape: str


def load_contexts(path: Path = CONTEXTS) -> tuple[dict[str, Concept], dict[str, dict[str, str]]]:
    """The concepts, and per language the fixed lines items are wrapped in."""
    data = dict(read_toml(path))
    concepts = {}
    for name, spec in data.pop("concepts").items():
        if spec["shape"] not in SHAPES:
            raise SystemExit(f"{path}: concept {name!r}: unknown shape {spec['shape']!r}")
        concepts[name] = Concept(name, spec["rule"], spec["shape"])
    return concepts, data


def wrap(
    item: Mapping[str, Any], concept: Concept, lines: Mapping[str, str]
) -> tuple[list[tuple[str, str]], tuple[int, str] | None]:
    """The turns (speaker, text) around one item, and the labelled turn and words, if any."""
    text = str(item["text"]).strip()
    flag = bool(item["flag"])
    upset = ("customer", lines["upset"])
    shape = concept.shape
    if shape == "customer":
        turns = [("customer", text), ("agent", lines["plain"])]
        return turns, (1, lines["plain"]) if flag else None
    if shape == "unless":
        return [upset, ("agent", text)], None if flag else (1, text)
    if shape == "before-resolution":
        if flag:
            return [
                upset,
                ("agent", text),
                ("customer", lines["yes"]),
                ("agent", lines["resolution"]),
            ], None
        return [upset, ("agent", text)], (1, text)
    if shape == "after-joke" and not flag:
        joke = _JOKE_FIRST.match(text)
        before = [upset, ("agent", lines["acknowledgement"])]
        if joke is None:
            return [*before, ("agent", text)], None
        return [*before, ("customer", joke.group(1)), ("agent", joke.group(2))], None
    return [upset, ("agent", text)], (1, text) if flag else None


def build(bank: Path, out: Path, wanted: Iterable[str] = ()) -> list[str]:
    """Write one eval set per concept under ``out``; the concepts written, in order."""
    concepts, contexts = load_contexts()
    chosen = set(wanted) or set(concepts)
    written: dict[str, dict[str, list[str]]] = {}
    for path in sorted(bank.glob("*.jsonl")):
        language = path.stem
        if language not in contexts:
            raise SystemExit(f"{path}: no context lines for language {language!r} in {CONTEXTS}")
        for number, text in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if not text.strip():
                continue
            item = json.loads(text)
            concept = concepts.get(item["concept"])
            if concept is None:
                raise SystemExit(f"{path}:{number}: unknown concept {item['concept']!r}")
            if concept.name not in chosen:
                continue
            turns, label = wrap(item, concept, contexts[language])
            rows = written.setdefault(concept.name, {}).setdefault(language, [])
            record = {
                "id": f"{language}-bank-{concept.name}-{len(rows) + 1:03d}",
                "language": language,
                "channel": "phone",
                "turns": [{"speaker": s, "text": t} for s, t in turns],
                "labels": []
                if label is None
                else [{"turn": label[0], "rule": concept.rule, "evidence": label[1]}],
            }
            rows.append(json.dumps(record, ensure_ascii=False))
    for name, by_language in written.items():
        folder = out / name
        folder.mkdir(parents=True, exist_ok=True)
        for language, rows in by_language.items():
            (folder / f"{language}.jsonl").write_text("\n".join(rows) + "\n", encoding="utf-8")
    return [name for name in concepts if name in written]


def line(name: str, rule: str, outcomes: list[Outcome]) -> str:
    """One concept's numbers: per language, true positives / labels and findings."""
    rows = counts(outcomes)
    cells = []
    for language in [o.language for o in outcomes] + ["ALL"]:
        labels, findings, tp, _ = rows[(language, rule)]
        cells.append(f"{language} {tp}/{labels} f{findings}")
    return f"{name:10s} {rule:24s} " + " | ".join(cells)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--bank", type=Path, default=DEFAULT_BANK, help="the bank (default: %(default)s)"
    )
    parser.add_argument("concepts", nargs="*", help="a subset of the concepts (default: all)")
    parser.add_argument("--out", type=Path, default=None, help="keep the wrapped sets here")
    parser.add_argument("--report", type=Path, default=None, help="misses and false positives")
    parser.add_argument("--json", type=Path, default=None, help="the numbers, per concept")
    args = parser.parse_args(argv)
    concepts, _ = load_contexts()
    unknown = sorted(set(args.concepts) - set(concepts))
    if unknown:
        parser.error(f"unknown concept(s): {', '.join(unknown)}; known: {', '.join(concepts)}")
    if not any(args.bank.glob("*.jsonl")):
        parser.error(f"{args.bank}: no <language>.jsonl bank files")
    with tempfile.TemporaryDirectory() as scratch:
        out = args.out or Path(scratch)
        names = build(args.bank, out, args.concepts)
        report = [f"# deescalate-lint on the sentence bank {args.bank}", ""]
        numbers = {}
        for name in names:
            rule = concepts[name].rule
            # The concept's rule is scored even where no item is labelled for it.
            _, outcomes = evaluate(out / name, LANGUAGES, detect=True, rules=[rule])
            print(line(name, rule, outcomes))
            numbers[name] = {
                lang: row[:3] for (lang, r), row in counts(outcomes).items() if r == rule
            }
            report += [f"## {name} ({rule})", ""]
            for outcome in outcomes:
                report.extend(details(outcome))
    if args.report:
        args.report.write_text("\n".join(report) + "\n", encoding="utf-8")
    else:
        print("(--report PATH lists the misses and false positives)", file=sys.stderr)
    if args.json:
        args.json.write_text(json.dumps(numbers, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
