"""A pattern group's time budget blames the pattern, not the machine.

Every search has a wall-clock budget (``patterns.match_budget``) so that a
super-linear user pattern cannot hang a batch; past it the rule is switched
off for the run. A pause of the whole process (another job on the cores, a
long garbage collection) spends wall time that no search used, so each way
of searching gets a second, fresh budget before the pattern is blamed, and a
finding does not depend on the machine's load.
"""

from __future__ import annotations

from collections.abc import Callable
from types import SimpleNamespace
from typing import Any

import pytest

from deescalate_lint import patterns
from deescalate_lint.patterns import PatternGroup, PatternSpec, PatternTimeout, within_budget


def group(*sources: str) -> PatternGroup:
    specs = [PatternSpec(f"p{n}", source) for n, source in enumerate(sources)]
    return PatternGroup.build("user pack budget.toml", specs, True, True)


@pytest.fixture
def attempts(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """How each search attempt of ``within_budget`` ended, with the clock seen by
    ``patterns`` (only) jumping 1,000 s once, right after the first reading: the
    first attempt finds its time spent, the second must succeed."""
    readings = 0
    real = patterns.time.monotonic

    def clock() -> float:
        nonlocal readings
        readings += 1
        return real() + (1_000.0 if readings > 1 else 0.0)

    monkeypatch.setattr(patterns, "time", SimpleNamespace(monotonic=clock))
    ended: list[str] = []
    inner = patterns.within_budget

    def spy(where: str, length: int, search: Callable[[float], Any]) -> Any:
        def recorded(budget: float) -> Any:
            try:
                found = search(budget)
            except TimeoutError:
                ended.append("timeout")
                raise
            ended.append("ok")
            return found

        return inner(where, length, recorded)

    monkeypatch.setattr(patterns, "within_budget", spy)
    return ended


def test_a_search_that_times_out_once_is_tried_again_with_a_fresh_budget() -> None:
    budgets: list[float] = []

    def search(budget: float) -> str:
        budgets.append(budget)
        if len(budgets) == 1:
            raise TimeoutError
        return "found"

    assert within_budget("pack.toml", 200, search) == "found"
    assert budgets == [patterns.match_budget(200)] * 2


def test_a_search_that_times_out_twice_blames_the_pattern_group() -> None:
    def search(budget: float) -> str:
        raise TimeoutError

    with pytest.raises(PatternTimeout, match=r"pack\.toml"):
        within_budget("pack.toml", 200, search)


@pytest.mark.parametrize("sources", [("refund",), ("refund", "ref[a-z]+nd")])
def test_finditer_survives_one_pause_of_the_process(
    attempts: list[str], sources: tuple[str, ...]
) -> None:
    hits = list(group(*sources).finditer("I can refund it today"))
    assert attempts == ["timeout", "ok"]
    assert [(h.start, h.end) for h in hits] == [(6, 12)]


def test_a_match_at_the_end_survives_one_pause_of_the_process(attempts: list[str]) -> None:
    hit = group("today", "it today").ending_at_end("I can refund it today")
    assert attempts == ["timeout", "ok"]
    assert hit is not None and (hit.start, hit.end) == (13, 21)
