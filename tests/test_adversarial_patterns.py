"""Shipped patterns have no super-linear blow-up on adversarial text.

Every shipped pattern group (rule packs, language scope cues, the escalation
detector) is timed on an adversarial text of size n and of size 4n, built
from the group's own words (so partial matches start everywhere and the
engine backtracks as much as it can) plus generic traps: long words, long
runs of spaces, apostrophes, quotes, CJK and Hangul runs. Linear work grows
about 4x; quadratic work 16x. The test compares the two sizes' times, never
an absolute time, so a slow or busy machine does not fail it.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator

import pytest
import regex

import deescalate_lint as dl
from deescalate_lint import patterns
from deescalate_lint.languages import profile, supported_languages
from deescalate_lint.patterns import PatternGroup
from deescalate_lint.rulepack import load_rules
from deescalate_lint.textprep import prepare

SMALL = 4_000
GROWTH = 4
#: Linear work grows GROWTH-fold, quadratic GROWTH**2-fold; the line is between.
MAX_RATIO = 8.0
#: Times under this are mostly timer and scheduler noise; the ratio uses it as a floor.
NOISE = 0.002

_WORDS = regex.compile(r"[^\W\d_]{2,}")
_GENERIC = (
    "a" * 300 + " ",
    " \t " * 40 + "x ",
    "'" * 50 + " don't '",
    '"' * 30 + " “quoted” «x» ",
    "不" * 60 + "没有" * 10,
    "죄송합니다" * 20 + " ",
    "!?" * 40 + "... -- ",
    "sorry sorry sorry I I I can can ",
)


def shipped_groups() -> Iterator[tuple[str, PatternGroup]]:
    for rule in load_rules():
        for language, pack in sorted(rule.packs.items()):
            for name, group in sorted(pack.groups.items()):
                yield f"{rule.slug}/{language}/{name}", group
    for language in supported_languages():
        for name, group in sorted(profile(language).cues.items()):
            yield f"languages/{language}/{name}", group
        for name, group in profile(language).concept_groups().items():
            yield f"concepts/{language}/{name}", group


def adversarial_text(group: PatternGroup, size: int) -> str:
    """The group's own words, repeated without ever completing much, plus traps."""
    words = [w for spec in group.specs for w in _WORDS.findall(spec.source)[:3]]
    block = " ".join(words[:200]) + " " + "".join(_GENERIC)
    return (block * (size // len(block) + 1))[:size]


def timed(work: Callable[[], object], repeat: int = 3) -> float:
    best = float("inf")
    for _ in range(repeat):
        started = time.perf_counter()
        work()
        best = min(best, time.perf_counter() - started)
    return best


def growth(
    run: Callable[[int], Callable[[], object]], base: int = SMALL
) -> tuple[float, float, float]:
    small = timed(run(base))
    large = timed(run(base * GROWTH))
    return max(large, NOISE) / max(small, NOISE), small, large


GROUPS = list(shipped_groups())


@pytest.fixture(autouse=True)
def _no_time_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    """Measure the patterns themselves: the time limit would hide a blow-up."""
    monkeypatch.setattr(patterns, "MATCH_TIMEOUT", 600.0)


def test_every_shipped_group_is_measured() -> None:
    assert len(GROUPS) >= 20
    assert all(group.compiled is not None or not group.specs for _, group in GROUPS)


def assert_linear(run: Callable[[int], Callable[[], object]], where: str, **kw: int) -> None:
    """Growth at most MAX_RATIO for GROWTH times the text (linear is GROWTH, quadratic
    GROWTH squared). Up to two retries: a busy machine can stall one measurement,
    while a real blow-up fails every time."""
    for _ in range(3):
        ratio, small, large = growth(run, **kw)
        if ratio <= MAX_RATIO:
            return
    raise AssertionError(f"{where}: {small:.4f}s -> {large:.4f}s for {GROWTH}x the text")


@pytest.mark.parametrize(("where", "group"), GROUPS, ids=[w for w, _ in GROUPS])
def test_shipped_group_grows_linearly(where: str, group: PatternGroup) -> None:
    if group.compiled is None:
        pytest.skip("empty group")

    def run(size: int) -> Callable[[], object]:
        text = adversarial_text(group, size)
        return lambda: list(group.finditer(text))

    assert_linear(run, where)


TRAPS = {
    "placeholders": "{{ " * 50 + "{% " * 50 + "${" * 20 + "%NAME" * 20 + "<<x" * 20,
    "quotes": '"a ' * 200 + "“b " * 100 + "„c " * 100 + "«d " * 100,
    "apologies": "I'm sorry, I apologise, sorry again. " * 10,
    "promises": "I guarantee I promise I swear 100% " * 10,
    "unbroken": "x" * 2000,
}


@pytest.mark.parametrize("trap", sorted(TRAPS))
def test_text_preparation_grows_linearly(trap: str) -> None:
    def run(size: int) -> Callable[[], object]:
        text = (TRAPS[trap] * (size // len(TRAPS[trap]) + 1))[:size]
        return lambda: prepare(text)

    # Larger sizes here: quote scans are bounded at 400 characters, and below a
    # few times that the bound, not the growth, shapes the times.
    assert_linear(run, f"prepare on {trap}", base=4 * SMALL)


@pytest.mark.parametrize("trap", ["apologies", "promises", "quotes"])
def test_whole_pipeline_on_one_long_turn_grows_linearly(trap: str) -> None:
    """Many hits in one turn: scope judging and hit filtering must not go quadratic."""
    linter = dl.Linter()

    def run(size: int) -> Callable[[], object]:
        text = (TRAPS[trap] * (size // len(TRAPS[trap]) + 1))[:size]
        transcript = {"language": "en", "turns": [{"speaker": "agent", "text": text}]}
        return lambda: linter.results(transcript)

    linter.results({"language": "en", "turns": [{"speaker": "agent", "text": "warm up, sorry"}]})
    assert_linear(run, f"pipeline on {trap}")
