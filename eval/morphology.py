"""Would lemmas lift recall? Measure before adopting a morphology library (issue #11).

For every false negative of the development sets in one language, it asks
whether matching on lemmas (simplemma) instead of the words as written would
have found what the surface missed:

* the rule's leading groups on the labelled turn (the trigger itself);
* for the five rules gated on an upset customer, the escalation detector's
  signals on the customer turn before it (the usual cause of those misses).

Both counts are upper bounds (the rest of each rule must still agree). It
also reports the library's cost: the time to load its tables and its
throughput on the same turns.

    pip install simplemma   # not a dependency of the linter
    python eval/morphology.py de   # or fi, en

It reads the false negatives from the Markdown reports of ``eval/run.py``
(``--report``), one per development round, given as further arguments.
"""

from __future__ import annotations

import argparse
import collections
import json
import re
import time
from pathlib import Path

import regex

from deescalate_lint import Linter
from deescalate_lint.escalation import EscalationDetector
from deescalate_lint.languages import shipped_languages

SETS = Path(__file__).resolve().parent / "sets"
GATED = {"missing-empathy", "escape", "joking", "no-recap", "email-when-call-needed"}
_TOKENS = regex.compile(r"\w+|\W+")
_FN = re.compile(r"^- FN `([^`]+)` turn (\d+) `([^`]+)`", re.M)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("language")
    parser.add_argument("reports", nargs="+", type=Path, help="eval/run.py --report files")
    args = parser.parse_args()
    import simplemma

    lang = args.language

    def lemmas(text: str) -> str:
        return "".join(
            simplemma.lemmatize(t, lang) if t[0].isalnum() else t for t in _TOKENS.findall(text)
        )

    began = time.perf_counter()
    lemmas("warm")
    load = time.perf_counter() - began
    conversations = {}
    for path in SETS.glob(f"*/{lang}/*.jsonl"):
        for line in path.open(encoding="utf-8"):
            record = json.loads(line)
            conversations[record["id"]] = record
    misses = [
        (m.group(1), int(m.group(2)), m.group(3))
        for report in args.reports
        for m in _FN.finditer(report.read_text(encoding="utf-8"))
    ]
    rules = {rule.slug: rule for rule in Linter().rules}
    profile = shipped_languages().profiles[lang]
    signals = [profile.concept(k) for k in EscalationDetector.default().listed_signals]
    trigger: collections.Counter[str] = collections.Counter()
    upset: collections.Counter[str] = collections.Counter()
    for conversation, turn, slug in misses:
        turns = conversations[conversation]["turns"]
        pack = rules[slug].packs.get(lang)
        if pack is None:
            continue
        groups = [
            g
            for spec in rules[slug].logic_type.groups
            if spec.leads and (g := pack.group(spec.name)) is not None and g.specs
        ]
        text = turns[turn]["text"]
        surface = any(next(iter(g.finditer(text)), None) for g in groups)
        lemma = any(next(iter(g.finditer(lemmas(text))), None) for g in groups)
        trigger["misses"] += 1
        trigger["trigger missed on the surface"] += not surface
        trigger["... found on lemmas"] += (not surface) and lemma
        before = [t["text"] for t in turns[:turn] if t["speaker"] == "customer"]
        if slug in GATED and before:
            upset["gated misses"] += 1
            on_surface = any(next(iter(g.finditer(before[-1])), None) for g in signals)
            on_lemmas = any(next(iter(g.finditer(lemmas(before[-1]))), None) for g in signals)
            upset["no upset signal on the surface"] += not on_surface
            upset["... one on lemmas"] += (not on_surface) and on_lemmas
    texts = [t["text"] for c in conversations.values() for t in c["turns"]]
    size = sum(len(t.encode("utf-8")) for t in texts) / 1e6
    began = time.perf_counter()
    for text in texts:
        lemmas(text)
    seconds = time.perf_counter() - began
    print(f"{lang}: simplemma tables load in {load:.2f} s; lemmatises {size / seconds:.2f} MB/s")
    print(f"  triggers: {dict(trigger)}")
    print(f"  upset customer: {dict(upset)}")


if __name__ == "__main__":
    main()
