"""Compiled patterns from the disk memo: the same matches as ``regex.compile``, no parse."""

from __future__ import annotations

import marshal
import os
import subprocess
import sys
from pathlib import Path

import pytest
import regex

from deescalate_lint import diskmemo, regexes

REPO = Path(__file__).resolve().parents[1]

PATTERNS = [
    (
        r"(?<![\p{L}\p{N}])(?:not\s+(?:my|our)\s+fault|calm\s+down)(?![\p{L}\p{N}])",
        regex.IGNORECASE,
    ),
    (r"(?P<_p0>我们(?:保证|一定)\p{Han}{0,4}(?:到|好))|(?P<_p1>죄송합니다[.!]*\s*){2,}", 0),
    (r"(?:'|\u2019)?t?schuldigung(?![,.]?\s+(?:wie|was))", regex.IGNORECASE | regex.UNICODE),
    (r"(?r)(?:\S+\s+){3}", 0),
]
TEXT = (
    "It's NOT MY FAULT, calm down. 我们保证明天到好 죄송합니다. 죄송합니다! "
    "’tschuldigung, aber nein. one two three four"
)


def _found(pattern: regex.Pattern[str]) -> list[tuple[int, int, dict[str, str | None]]]:
    return [(m.start(), m.end(), m.groupdict()) for m in pattern.finditer(TEXT)]


@pytest.fixture()
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    where = tmp_path / "cache"
    monkeypatch.setenv("DEESCALATE_LINT_CACHE_DIR", str(where))
    monkeypatch.delenv("DEESCALATE_LINT_NO_CACHE", raising=False)
    regexes._memo.cache_clear()
    regexes._COMPILED.clear()
    return where


@pytest.mark.parametrize(("source", "flags"), PATTERNS)
def test_a_compiled_pattern_matches_as_regex_compile_does(
    folder: Path, source: str, flags: int
) -> None:
    expected = _found(regex.compile(source, flags))
    assert expected, "each pattern matches somewhere in TEXT"
    assert _found(regexes.compile_pattern(source, flags)) == expected


def test_the_next_process_rebuilds_every_pattern_without_parsing(folder: Path) -> None:
    for source, flags in PATTERNS:
        regexes.compile_pattern(source, flags)
    regexes._memo().flush()
    script = f"""
import regex
from deescalate_lint import regexes
def refuse(*args, **kwargs):
    raise AssertionError("parsed again")
regex.compile = refuse
patterns = {[(source, int(flags)) for source, flags in PATTERNS]!r}
text = {TEXT!r}
for source, flags in patterns:
    found = regexes.compile_pattern(source, flags)
    print([(m.start(), m.end(), m.groupdict()) for m in found.finditer(text)])
"""
    env = {**os.environ, "DEESCALATE_LINT_CACHE_DIR": str(folder), "PYTHONPATH": str(REPO)}
    run = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, check=False
    )
    assert run.returncode == 0, run.stderr
    expected = [str(_found(regex.compile(source, flags))) for source, flags in PATTERNS]
    assert run.stdout.splitlines() == expected


def test_a_stored_value_that_does_not_fit_is_compiled_again(folder: Path) -> None:
    """A damaged or foreign memo entry costs a parse, never a wrong pattern."""
    source, flags = PATTERNS[0]
    foreign = regex.compile(r"other", flags)._pickled_data
    for stored in ("not a tuple", (), foreign):
        assert regexes._rebuilt(stored, source) is None
    regexes._memo().put(regexes._key(source, flags), foreign)
    compiled = regexes.compile_pattern(source, flags)
    assert compiled.pattern == source
    assert _found(compiled) == _found(regex.compile(source, flags))


def test_a_pattern_that_does_not_compile_raises_and_is_not_stored(folder: Path) -> None:
    with pytest.raises(regex.error):
        regexes.compile_pattern(r"(?:unclosed", 0)
    assert regexes._memo().peek(regexes._key(r"(?:unclosed", 0)) is None


def test_a_damaged_stored_value_is_compiled_again_not_run(folder: Path) -> None:
    """The C constructor trusts the code bytes it is given (one byte changed
    crashed the process): each value's digest is checked before use. Run in a
    fresh process, so a crash would fail the test instead of ending the run."""
    source, flags = PATTERNS[0]
    regexes.compile_pattern(source, flags)
    regexes._memo().flush()
    path = folder / regexes._memo().name
    stored = marshal.loads(path.read_bytes())
    key = regexes._key(source, flags)
    # The first code word zeroed (it crashed the constructor), the digest left
    # as it was: what a damaged disk block would look like.
    data = regex.compile(source, flags)._pickled_data
    damaged = marshal.dumps((*data[:2], b"\x00" + data[2][1:], *data[3:]))
    digest = stored[key][: diskmemo._DIGEST] if regexes._memo().checked else b""
    stored[key] = digest + damaged
    path.write_bytes(marshal.dumps(stored))
    script = f"""
from deescalate_lint import regexes
found = regexes.compile_pattern({source!r}, {int(flags)})
print([(m.start(), m.end()) for m in found.finditer({TEXT!r})])
"""
    env = {**os.environ, "DEESCALATE_LINT_CACHE_DIR": str(folder), "PYTHONPATH": str(REPO)}
    run = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, check=False
    )
    assert run.returncode == 0, run.stderr
    expected = [(m.start(), m.end()) for m in regex.compile(source, flags).finditer(TEXT)]
    assert run.stdout.strip() == str(expected)


def test_the_default_version_is_part_of_the_key(
    folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """What a pattern without a version flag means depends on
    ``regex.DEFAULT_VERSION`` (a set difference in version 1, a literal "--" in 0)."""
    source = r"[[a-z]--[aeiou]]x"
    version0 = regexes.compile_pattern(source)
    assert version0.search("bx") is None
    monkeypatch.setattr(regex, "DEFAULT_VERSION", regex.VERSION1)
    version1 = regexes.compile_pattern(source)
    assert version1.search("bx") is not None
    assert version1.flags == regex.compile(source).flags
