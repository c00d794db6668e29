"""The on-disk memo behind a fast cold start: same answers, never an error of its own."""

from __future__ import annotations

import json
import marshal
import os
import subprocess
import sys
from pathlib import Path

import pytest

from deescalate_lint.diskmemo import DiskMemo, cache_dir
from deescalate_lint.errors import RulePackError
from deescalate_lint.resources import read_toml

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture()
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    where = tmp_path / "cache"
    monkeypatch.setenv("DEESCALATE_LINT_CACHE_DIR", str(where))
    monkeypatch.delenv("DEESCALATE_LINT_NO_CACHE", raising=False)
    return where


def _counting(value: object) -> tuple[list[int], object]:
    calls: list[int] = []

    def compute() -> object:
        calls.append(1)
        return value

    return calls, compute


def test_a_flushed_value_is_read_by_the_next_process_without_computing(folder: Path) -> None:
    first = DiskMemo("unit", "v1")
    calls, compute = _counting({"a": [1, 2], "b": ("x", None)})
    assert first.get(("key", True), compute) == {"a": [1, 2], "b": ("x", None)}
    first.flush()
    assert calls == [1]
    second = DiskMemo("unit", "v1")  # a new process: nothing in memory
    calls2, compute2 = _counting("never")
    assert second.get(("key", True), compute2) == {"a": [1, 2], "b": ("x", None)}
    assert calls2 == []


def test_a_stored_none_is_read_back_and_the_memo_is_not_rewritten(folder: Path) -> None:
    """None is a value (a pattern with no prefilter): the next process reads it
    without computing, and has nothing new to write at exit."""
    first = DiskMemo("unit", "v1")
    assert first.get("no prefilter", lambda: None) is None
    first.flush()
    second = DiskMemo("unit", "v1")
    calls, compute = _counting("never")
    assert second.get("no prefilter", compute) is None
    assert calls == []
    assert not second._dirty


def test_a_changed_code_fingerprint_never_reads_old_values(folder: Path) -> None:
    old = DiskMemo("unit", "v1")
    old.get("k", lambda: "old answer")
    old.flush()
    new = DiskMemo("unit", "v2")
    assert new.get("k", lambda: "new answer") == "new answer"
    new.flush()
    assert sorted(p.name for p in folder.iterdir()) == [new.name]  # the old file is gone


def test_each_get_returns_a_fresh_copy(folder: Path) -> None:
    memo = DiskMemo("unit", "v1")
    value = memo.get("k", lambda: {"list": [1]})
    value["list"].append(2)  # type: ignore[index]
    assert memo.get("k", lambda: {"list": []}) == {"list": [1]}


def test_a_corrupt_file_is_rebuilt_silently(folder: Path) -> None:
    memo = DiskMemo("unit", "v1")
    folder.mkdir(parents=True)
    (folder / memo.name).write_bytes(b"\x00garbage, not marshal")
    assert DiskMemo("unit", "v1").get("k", lambda: 42) == 42


def test_an_unwritable_folder_costs_only_time(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("DEESCALATE_LINT_CACHE_DIR", str(blocker / "cache"))
    memo = DiskMemo("unit", "v1")
    assert memo.get("k", lambda: "computed") == "computed"
    memo.flush()  # no exception
    assert not (blocker / "cache").exists()


def test_values_marshal_cannot_store_are_computed_every_time(folder: Path) -> None:
    import datetime

    memo = DiskMemo("unit", "v1")
    day = datetime.date(2026, 12, 4)
    assert memo.get("k", lambda: day) == day
    memo.flush()
    assert not folder.exists()  # nothing storable was added


def test_switched_off_it_writes_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DEESCALATE_LINT_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("DEESCALATE_LINT_NO_CACHE", "1")
    assert cache_dir() is None
    memo = DiskMemo("unit", "v1")
    assert memo.get("k", lambda: 1) == 1
    memo.flush()
    assert not (tmp_path / "cache").exists()


def test_read_toml_gives_the_parser_s_answer_and_names_a_non_utf8_file(
    folder: Path, tmp_path: Path
) -> None:
    good = tmp_path / "good.toml"
    good.write_text('[group]\npatterns = ["a b", "c"]\nweight = 2\n', encoding="utf-8")
    expected = {"group": {"patterns": ["a b", "c"], "weight": 2}}
    assert read_toml(good) == expected
    assert read_toml(good) == expected  # from the memo
    bad = tmp_path / "bad.toml"
    bad.write_bytes(b'name = "\xff"\n')
    with pytest.raises(RulePackError, match="not UTF-8") as caught:
        read_toml(bad)
    assert str(bad) in str(caught.value)


def test_a_settled_toml_file_is_known_by_its_stat_and_an_edit_is_read_again(
    folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A file older than the settling time is not read again while its stat is
    unchanged; an edit changes the stat (here the size) and is read."""
    from deescalate_lint import resources

    monkeypatch.setattr(resources, "_SETTLED_NS", -(10**18))  # every file counts as settled
    pack = tmp_path / "pack.toml"
    pack.write_text("weight = 1\n", encoding="utf-8")
    assert read_toml(pack) == {"weight": 1}
    reads: list[Path] = []
    original = Path.read_bytes

    def counted(self: Path) -> bytes:
        reads.append(self)
        return original(self)

    monkeypatch.setattr(Path, "read_bytes", counted)
    assert read_toml(pack) == {"weight": 1}
    assert reads == []
    pack.write_text("weight = 22\n", encoding="utf-8")
    assert read_toml(pack) == {"weight": 22}
    assert reads == [pack]


def test_a_freshly_written_toml_file_is_read_again_even_with_its_stat_unchanged(
    folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An edit within one tick of the file system's clock that keeps the size
    keeps every stat field: a file changed in the last two seconds is never
    known by its stat, so such an edit is still seen."""
    pack = tmp_path / "pack.toml"
    pack.write_text("weight = 1\n", encoding="utf-8")
    before = os.stat(pack)
    assert read_toml(pack) == {"weight": 1}
    pack.write_text("weight = 2\n", encoding="utf-8")
    os.utime(pack, ns=(before.st_atime_ns, before.st_mtime_ns))  # the same size and time
    assert read_toml(pack) == {"weight": 2}


def test_cold_runs_with_and_without_a_memo_give_the_same_output(tmp_path: Path) -> None:
    """Three processes: no cache, an empty cache (which it fills), a full cache.

    Over an English template and a Chinese example (folded to simplified
    characters): each memo (parsed TOML, compiled pattern lists, literal
    indexes, prefilters) holds the answer of one language's packs, and a
    stale or mixed-up one would show as other findings here. Two languages,
    not five: a process without a memo spends seconds per language.
    """
    template = tmp_path / "reply.txt"
    template.write_text(
        "Unfortunately that's our policy. I guarantee it will arrive tomorrow.\n", encoding="utf-8"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("DEESCALATE_LINT_")}
    outputs = []
    for run, extra in enumerate(
        (
            {"DEESCALATE_LINT_NO_CACHE": "1"},
            {"DEESCALATE_LINT_CACHE_DIR": str(tmp_path / "c")},
            {"DEESCALATE_LINT_CACHE_DIR": str(tmp_path / "c")},
            {"DEESCALATE_LINT_CACHE_DIR": str(tmp_path / "c")},
        )
    ):
        if run == 3:
            # Automata lost, literal plans kept: the needles (kept apart from
            # the plans, read only to build an automaton) build them again.
            for automata in (tmp_path / "c").glob("automata-*"):
                automata.unlink()
        done = subprocess.run(
            [
                sys.executable,
                "-c",
                "import sys; from deescalate_lint.cli import main; sys.exit(main())",
                str(template),
                str(REPO / "examples" / "zh_tuikuan_call.txt"),
                "--format",
                "json",
                "--isolated",
            ],
            capture_output=True,
            text=True,
            env={**env, **extra},
            cwd=REPO,
            check=False,
        )
        assert done.returncode == 1, done.stderr
        outputs.append(json.loads(done.stdout))
    assert outputs[0] == outputs[1] == outputs[2] == outputs[3]
    assert outputs[0], "the template should have findings"
    written = {path.name.split("-")[0] for path in (tmp_path / "c").iterdir()}
    assert {
        "toml",
        "tomlstat",
        "folds",
        "groups",
        "scanners",
        "automata",
        "requirements",
        "prefilter",
        "regexes",
    } <= written
    languages = {finding.get("language") for finding in outputs[0]} - {None}
    assert languages == {"en", "zh"}, languages


def test_values_go_back_to_the_folder_they_were_read_from(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A memo written at exit (atexit) must not land in a folder chosen later."""
    monkeypatch.setenv("DEESCALATE_LINT_CACHE_DIR", str(tmp_path / "first"))
    memo = DiskMemo("unit", "v1")
    memo.get("k", lambda: 1)
    monkeypatch.setenv("DEESCALATE_LINT_CACHE_DIR", str(tmp_path / "second"))
    memo.flush()
    assert (tmp_path / "first" / memo.name).is_file()
    assert not (tmp_path / "second").exists()


def test_a_large_file_keeps_only_what_this_process_used(
    folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import deescalate_lint.diskmemo as diskmemo

    monkeypatch.setattr(diskmemo, "_PRUNE_ABOVE_BYTES", 1000)
    old = DiskMemo("unit", "v1")
    for index in range(5):  # old versions of a pack: 5 entries of 400 bytes
        old.get(f"old{index}", lambda: "x" * 400)
    old.flush()
    new = DiskMemo("unit", "v1")
    new.get("new", lambda: "y" * 400)
    new.flush()
    kept = DiskMemo("unit", "v1")
    assert kept.get("new", lambda: "recomputed") == "y" * 400
    assert kept.get("old0", lambda: "recomputed") == "recomputed"


def test_a_checked_memo_computes_again_when_a_stored_value_is_damaged(folder: Path) -> None:
    """For values C code builds objects from (compiled regex code, automata):
    a damaged byte is found by the value's digest instead of being used."""
    first = DiskMemo("unit", "v1", checked=True)
    first.get("key", lambda: b"compiled code" * 10)
    first.flush()
    path = folder / first.name
    stored = marshal.loads(path.read_bytes())
    damaged = bytearray(stored["key"])
    damaged[-3] ^= 0x01
    stored["key"] = bytes(damaged)
    path.write_bytes(marshal.dumps(stored))
    second = DiskMemo("unit", "v1", checked=True)
    calls, compute = _counting(b"compiled code" * 10)
    assert second.get("key", compute) == b"compiled code" * 10
    assert calls == [1]


def test_a_stored_automaton_this_build_cannot_read_is_built_again(folder: Path) -> None:
    """Parts that pass the memo's check but that ahocorasick refuses (another
    build's layout) cost a rebuild, never an error."""
    from deescalate_lint import scan

    scan._automata.cache_clear()
    try:
        scan._automata().put((b"key", True), (([b"not an automaton"], 1, 2), ()))
        automaton, numbers = scan._automaton(b"key", True, lambda: {"sorry": (3,)})
        assert [value for _end, value in automaton.iter("so sorry")] == [0]
        assert numbers == ((3,),)
    finally:
        scan._automata.cache_clear()
