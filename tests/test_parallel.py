"""Speed must never change the answer.

* ``parallel.lint_paths_parallel`` (the CLI's ``--jobs N``) yields exactly the
  items the serial ``Linter.run`` yields, in the same order, also when one
  JSONL file is cut into many blocks and has broken lines in it.
* The literal prefilter of pattern groups (``literals.py``) finds the same
  hits as a plain search of the whole alternation.
"""

from __future__ import annotations

import codecs
import json
from pathlib import Path
from typing import Any

import pytest
import regex
from hypothesis import given, settings
from hypothesis import strategies as st

from deescalate_lint import InputError, Linter
from deescalate_lint.engine import failed
from deescalate_lint.languages import profile, supported_languages
from deescalate_lint.literals import fold, requirement
from deescalate_lint.model import Linted
from deescalate_lint.parallel import default_jobs, lint_paths_parallel, lint_plan_parallel
from deescalate_lint.patterns import PatternGroup
from deescalate_lint.readers import iter_sources
from deescalate_lint.rulepack import load_rules

CALM = "I'd like to change the delivery address on my order, please."
UPSET = "This is the third time I'm calling. It's ridiculous!! I want a manager."
AGENT_LINES = [
    "Thanks for waiting, I've found the order and changed the address.",
    "Look, that's not my fault, the courier lost it.",
    "I guarantee it will be with you tomorrow morning.",
    "Please send us an email and someone will get back to you.",
    "I'm so sorry, I'm really sorry, I apologise for all of this.",
    "Is there anything else I can help you with today?",
]


def _record(number: int) -> dict[str, Any]:
    turns = []
    for step in range(1 + number % 3):
        turns.append({"speaker": "customer", "text": UPSET if (number + step) % 4 == 0 else CALM})
        turns.append(
            {"speaker": "agent", "text": AGENT_LINES[(number * 7 + step) % len(AGENT_LINES)]}
        )
    record: dict[str, Any] = {"id": f"t{number:04d}", "turns": turns}
    if number % 5 == 0:
        record["language"] = "en"
    return record


def _write_corpus(path: Path, count: int, broken: bool = True) -> None:
    lines = [json.dumps(_record(n)).encode("utf-8") for n in range(count)]
    if broken:
        lines[3] = b'{"id": "bad json", "turns": ['
        lines[10] = b""  # a blank line is skipped, and still counted
        lines[17] = b'{"id": "nul\x00", "turns": []}'
        lines[25] = b'{"id": "latin-1 \xe9", "turns": []}'
        lines[31] = b'{"turns": "not a list"}'
    path.write_bytes(codecs.BOM_UTF8 + b"\n".join(lines) + b"\n")


def _as_data(items: list[Linted]) -> list[Any]:
    """Items as plain data: the source, the transcript's id and line, results, the error."""
    return [
        (
            item.source,
            (item.transcript.id, item.transcript.line) if item.transcript else None,
            [result.to_dict() for result in item.results],
            (item.error.path, item.error.detail, item.error.place) if item.error else None,
        )
        for item in items
    ]


def _flat(items: list[Linted]) -> list[Any]:
    return [
        ("error", str(x)) if isinstance(x, InputError) else x.to_dict()
        for item in items
        for x in item.outputs()
    ]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    root = tmp_path_factory.mktemp("parallel")
    _write_corpus(root / "big.jsonl", 120)
    (root / "dir").mkdir()
    _write_corpus(root / "dir" / "a.jsonl", 9, broken=False)
    (root / "dir" / "template.txt").write_text(
        "Hi {{ name }}, as I already told you, the refund takes ten days.\n", encoding="utf-8"
    )
    (root / "empty.jsonl").write_bytes(b"")
    (root / "blank-lines.jsonl").write_bytes(b"\n" * 3000)
    return [
        str(root / "big.jsonl"),
        str(root / "missing.jsonl"),
        str(root / "dir"),
        str(root / "empty.jsonl"),
        str(root / "blank-lines.jsonl"),
    ]


def test_parallel_output_is_identical_and_in_the_same_order(corpus: list[str]) -> None:
    serial = list(Linter().run(corpus))
    parallel = list(lint_paths_parallel(corpus, jobs=2, chunk_bytes=700))
    assert any(r.code.startswith("DL1") for item in serial for r in item.results)
    assert any(item.error for item in serial), "the broken lines must be reported"
    assert len([item for item in serial if item.transcript is not None]) > 100
    assert _as_data(parallel) == _as_data(serial)
    assert _flat(serial) == [
        ("error", str(x)) if isinstance(x, InputError) else x.to_dict()
        for x in Linter().lint_paths(corpus)
    ]


def test_blocks_keep_the_line_numbers_of_the_file(corpus: list[str]) -> None:
    errors = [
        str(item.error)
        for item in lint_paths_parallel(corpus[:1], jobs=2, chunk_bytes=500)
        if item.error
    ]
    places = [e.split(":")[1] for e in errors]
    assert places[:2] == ["line 4", "line 18"]
    assert any("line 26" in e for e in errors)


def test_language_option_and_selection_reach_the_workers(corpus: list[str]) -> None:
    config = {"select": ["defensive-phrasing"], "language": "en"}
    serial = _flat(list(Linter(**config).run(corpus[:1])))
    parallel = _flat(list(lint_paths_parallel(corpus[:1], jobs=2, chunk_bytes=900, **config)))
    assert parallel == serial
    assert {x["rule"] for x in parallel if isinstance(x, dict) and x["kind"] == "finding"} == {
        "defensive-phrasing"
    }


def test_a_plan_with_a_linter_per_file_keeps_each_configuration(corpus: list[str]) -> None:
    # The CLI resolves a configuration per file: each source comes with its own linter.
    strict = Linter(select=["DL102"])
    loose = Linter(ignore=["DL102"], language="en")
    plan = [
        item if isinstance(item, InputError) else (item, strict if index % 2 else loose)
        for index, item in enumerate(iter_sources(corpus))
    ]
    serial: list[Linted] = []
    for entry in plan:
        if isinstance(entry, InputError):
            serial.append(failed(entry))
        else:
            serial.extend(entry[1].run_source(entry[0]))
    parallel = list(lint_plan_parallel(plan, 2, chunk_bytes=800))
    assert _as_data(parallel) == _as_data(serial)


def test_default_jobs_uses_every_core_only_for_large_inputs(tmp_path: Path) -> None:
    small = tmp_path / "small.jsonl"
    _write_corpus(small, 5, broken=False)
    assert default_jobs([str(small)], cores=2) == 1
    large = tmp_path / "large.jsonl"
    with large.open("wb") as handle:
        handle.truncate(9 * 1024 * 1024)
    assert default_jobs([str(large)], cores=2) == 2
    assert default_jobs([str(tmp_path)], cores=2) == 2
    assert default_jobs([str(large)], cores=1) == 1


def test_jobs_one_runs_in_process_with_the_same_answer(corpus: list[str]) -> None:
    assert _as_data(list(lint_paths_parallel(corpus, jobs=1))) == _as_data(
        list(Linter().run(corpus))
    )


# -- the literal prefilter is exact ---------------------------------------------


def _groups_by_language() -> dict[str, list[PatternGroup]]:
    """Every shipped group with a compiled alternation, under its pack's language."""
    by_language: dict[str, list[PatternGroup]] = {}
    for rule in load_rules():
        for language, pack in rule.packs.items():
            by_language.setdefault(language, []).extend(pack.groups.values())
    for code in supported_languages():
        by_language.setdefault(code, []).extend(profile(code).cues.values())
        by_language[code].extend(profile(code).concept_groups().values())
    return {
        language: [g for g in groups if g.compiled is not None]
        for language, groups in sorted(by_language.items())
    }


GROUPS_BY_LANGUAGE = _groups_by_language()
GROUPS = [g for groups in GROUPS_BY_LANGUAGE.values() for g in groups]


def _plain_hits(group: PatternGroup, text: str) -> list[tuple[int, int, int]]:
    """The hits of the full alternation, without the prefilter."""
    assert group.compiled is not None
    return [
        (m.start(), m.end(), int((m.lastgroup or "_p0")[2:]))
        for m in group.compiled.finditer(text)
        if m.end() != m.start()
    ]


def _hits(group: PatternGroup, text: str) -> list[tuple[int, int, int]]:
    return [(h.start, h.end, group.specs.index(h.pattern)) for h in group.finditer(text)]


def test_every_shipped_group_has_a_prefilter_for_most_patterns() -> None:
    known = sum(1 for g in GROUPS for n in g.needles if n is not None)
    total = sum(len(g.specs) for g in GROUPS)
    assert total and known / total > 0.8


def _examples_by_language() -> dict[str, list[str]]:
    texts: dict[str, list[str]] = {}
    for rule in load_rules():
        for language, pack in rule.packs.items():
            texts.setdefault(language, []).extend((*pack.should_flag, *pack.should_not_flag))
    return texts


@pytest.mark.parametrize("language", sorted(GROUPS_BY_LANGUAGE))
def test_prefilter_finds_the_same_hits_on_every_rule_example(language: str) -> None:
    """Each group against every example of its own language, and against a
    sample of every other language's examples (a prefilter must be exact on
    any text; every group against every example had grown to millions of
    pairs, minutes of CI). One test per language, so the workers share them.

    Each group takes every third example of its language, the groups taking
    turns between the three thirds, so every example still meets a third of
    the groups and every group a third of the examples (all pairs were
    3 minutes of CI, halves 2.5 minutes of worker time by session 20;
    test_screen compares both engines on every example, and test_prefilter
    checks every example match is a candidate)."""
    texts = _examples_by_language()
    assert set(texts) <= set(GROUPS_BY_LANGUAGE)
    own = texts.get(language, [])
    assert own, language
    others = [x for other, xs in texts.items() if other != language for x in xs[::40]]
    for turn, group in enumerate(GROUPS_BY_LANGUAGE[language]):
        for text in (*own[turn % 3 :: 3], *others):
            assert _hits(group, text) == _plain_hits(group, text), (group.where, text)


_FRAGMENTS = sorted({n for g in GROUPS for needles in g.needles if needles for n in needles})


@settings(max_examples=150, deadline=None)
@given(
    st.lists(
        st.one_of(
            st.sampled_from(_FRAGMENTS or ["x"]),
            st.sampled_from([" ", ", ", ". ", "'", "n't ", "I ", "you ", "\n"]),
            st.text(max_size=4),
        ),
        max_size=12,
    ),
    st.booleans(),
)
def test_prefilter_is_exact_on_random_texts(parts: list[str], shout: bool) -> None:
    text = "".join(parts)
    text = text.upper() if shout else text
    for group in GROUPS:
        assert _hits(group, text) == _plain_hits(group, text), (group.where, text)


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [
        (r"not\s+(?:my|our)\s+fault", {"fault"}),
        (r"(?:that|it|this)\s+is\s+wrong", {"wrong"}),
        (r"ah+", {"ah"}),
        (r"\w+n't", {"n't"}),
        (r"(?:sorry|apolog\w*)", {"sorry", "apolog"}),
        (r"\p{Han}+不", {"不"}),  # a property outside a set: one unknown character
        (r"[\p{Han}a]不", None),  # inside a set: unknown, always searched
        (r"[[:alpha:]]x", None),  # a POSIX class the stdlib would misread
        (r"(?i)abc", None),  # inline flags: unknown
        (r"abc{e<=1}", None),  # fuzzy matching: unknown
    ],
)
def test_required_literals(pattern: str, expected: set[str] | None) -> None:
    got = requirement(pattern, ignore_case=True)
    assert got == (None if expected is None else frozenset(expected))


def test_case_folding_agrees_with_regex_ignorecase() -> None:
    # Every character regex matches case-insensitively must fold alike.
    for char in "IıİiKkKSsſßẞΣσςÅåǅǆ":
        pattern = regex.compile(regex.escape(char), regex.IGNORECASE)
        for other in "IıİiKkKSsſßẞΣσςÅåǅǆ":
            if pattern.fullmatch(other):
                assert fold(other) == fold(char), (char, other)
