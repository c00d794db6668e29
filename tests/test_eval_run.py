"""eval/run.py's matching: one-to-one for precision and recall, and "recall (any)".

Why: a rule may merge two neighbouring labelled sentences into one finding; the
one-to-one recall counts one of them, the "recall (any)" column both. The two
must stay distinct so that a report can never show the looser number as the
one-to-one one.
"""

from __future__ import annotations

import sys
from pathlib import Path

EVAL = Path(__file__).resolve().parent.parent / "eval"
sys.path.insert(0, str(EVAL))
import run  # noqa: E402  (eval/ is scripts, not a package)

TEXT = "As I said already. It's in your plan details. Anything else?"


def _label(evidence: str, rule: str = "defensive-phrasing") -> run.Label:
    return run.Label("en", "c1", 1, rule, evidence, run.occurrences(TEXT, evidence), TEXT)


def _hit(start: int, end: int, rule: str = "defensive-phrasing") -> run.Hit:
    return run.Hit("en", "c1", 1, rule, TEXT[start:end], start, end, TEXT, "")


def test_one_finding_over_two_labels_is_one_match_and_covers_both() -> None:
    labels = [_label("As I said already"), _label("It's in your plan details")]
    merged = _hit(0, TEXT.index(" Anything"))
    outcome = run.match("en", labels, [merged], [])
    assert len(outcome.matched) == 1
    assert len(outcome.false_negatives) == 1
    assert outcome.covered == labels
    rows = run.counts([outcome])
    assert rows[("en", "defensive-phrasing")][:3] == [2, 1, 1]
    assert rows[("ALL", "all rules")][3] == 2


def test_a_finding_of_another_rule_or_elsewhere_covers_nothing() -> None:
    labels = [_label("As I said already")]
    other_rule = _hit(0, 17, rule="hostile-tone")
    elsewhere = _hit(TEXT.index("Anything"), len(TEXT))
    outcome = run.match("en", labels, [other_rule, elsewhere], [])
    assert outcome.covered == []
    assert run.counts([outcome])[("en", "defensive-phrasing")][3] == 0
