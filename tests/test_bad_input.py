"""Hostile and broken input, through the CLI and through the API (issue #7).

For every case: a one-line error naming the file and the place (or a notice
when linting can go on), exit code 2 when something could not be read, no
traceback, every other input still linted, and nothing written next to or
into the inputs (directory listing and file hashes compared before/after).

Unreadable entries: the tests run as root, so ``chmod 000`` stops nothing.
A named pipe (FIFO) called ``*.json`` is used instead: opening one for reading
blocks until a writer comes, which is exactly the hang a batch run must
avoid; a directory named like a transcript is the other odd entry.
"""

from __future__ import annotations

import codecs
import hashlib
import json
import os
import stat
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import cli_run
import pytest

import deescalate_lint as dl
from deescalate_lint.engine import NOTICE_INPUT, NOTICE_RULE_ERROR
from deescalate_lint.errors import InputError
from deescalate_lint.model import Finding, Notice

GOOD = {
    "id": "good",
    "language": "en",
    "turns": [
        {"speaker": "customer", "text": "Where is my parcel?"},
        {"speaker": "agent", "text": "Calm down, that's not my fault."},
    ],
}
GOOD_EVIDENCE = "Calm down"


def _agent(text: str, **extra: object) -> dict[str, object]:
    return {"language": "en", "turns": [{"speaker": "agent", "text": text}], **extra}


# -- helpers -------------------------------------------------------------------


def snapshot(root: Path) -> dict[str, str]:
    """Every entry under ``root``: its kind, and a hash for regular files.

    ``lstat`` only: a FIFO is never opened (that would block) and symlinks are
    not followed.
    """
    seen: dict[str, str] = {}
    for dirpath, dirnames, filenames in os.walk(root):
        for name in [*dirnames, *filenames]:
            path = Path(dirpath) / name
            mode = path.lstat().st_mode
            key = str(path.relative_to(root))
            if stat.S_ISREG(mode):
                seen[key] = "file " + hashlib.sha256(path.read_bytes()).hexdigest()
            elif stat.S_ISLNK(mode):
                seen[key] = "link " + os.readlink(path)
            else:
                seen[key] = f"mode {stat.S_IFMT(mode)}"
    return seen


@dataclass
class Run:
    code: int
    out: str
    err: str


def run_cli(args: list[str], cwd: Path, stdin: bytes = b"", timeout: float = 300) -> Run:
    """The real command, in a child process, from the inputs' own folder."""
    done = cli_run.run_cli(args, cwd, stdin=stdin, timeout=timeout)
    return Run(done.returncode, done.stdout, done.stderr)


def api_items(paths: list[Path]) -> list[object]:
    return list(dl.Linter().lint_paths([str(p) for p in paths]))


def write_good(folder: Path) -> Path:
    path = folder / "good.json"
    path.write_text(json.dumps(GOOD), encoding="utf-8")
    return path


@dataclass(frozen=True)
class Case:
    """One bad input: how to make it, and how the run must end."""

    name: str
    make: Callable[[Path], Path]
    #: (substring naming the place) per expected error line; empty: no error.
    errors: tuple[str, ...] = ()
    #: Substring of an expected notice about this input; None: none required.
    notice: str | None = None
    #: Evidence that must still be found in this input itself.
    finds: str | None = None


def _write(name: str, data: bytes | str) -> Callable[[Path], Path]:
    def make(folder: Path) -> Path:
        path = folder / name
        path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
        return path

    return make


def _fifo(folder: Path) -> Path:
    path = folder / "pipe.json"
    os.mkfifo(path)
    return path


def _broken_link(folder: Path) -> Path:
    path = folder / "gone.json"
    path.symlink_to(folder / "nowhere.json")
    return path


def _folder_with_bad_entries(folder: Path) -> Path:
    inner = folder / "batch"
    inner.mkdir()
    (inner / "ok.json").write_text(json.dumps(_agent("Calm down, please.")), encoding="utf-8")
    os.mkfifo(inner / "pipe.json")
    (inner / "folder.json").mkdir()  # a directory named like a transcript: walked, not read
    (inner / "dead.txt").symlink_to(inner / "missing.txt")
    (inner / "loop.json").symlink_to(inner / "loop.json")
    return inner


def _json(name: str, obj: object) -> Callable[[Path], Path]:
    return _write(name, json.dumps(obj))


_JSONL_MIXED = "\n".join(
    [
        json.dumps(_agent("Calm down, sir.", id="a")),
        '{"turns": [ broken',
        json.dumps(_agent("Thanks for waiting, I have checked the order.", id="b")),
        "[1, 2, 3]",
        json.dumps(_agent("Calm down, it is only a delay.", id="c")),
        b"\xff\xfe not utf-8".decode("latin-1"),
        json.dumps(_agent("Calm down, we are on it.", id="d")),
    ]
)

CASES = [
    Case(
        "invalid-json",
        _write("bad.json", '{\n  "turns": [\n    {"speaker": "agent" "text": "hi"}\n  ]\n}\n'),
        errors=("bad.json:line 3:25: invalid JSON",),
    ),
    Case(
        "wrong-shape-list",
        _json("numbers.json", [1, 2]),
        errors=("numbers.json:[0]", "numbers.json:[1]"),
    ),
    Case("wrong-shape-string", _json("string.json", "hello"), errors=("string.json: expected",)),
    Case(
        "wrong-shape-turns", _json("turns.json", {"turns": {"a": 1}}), errors=("turns.json:turns",)
    ),
    Case(
        "jsonl-broken-lines",
        _write("mixed.jsonl", _JSONL_MIXED.encode("latin-1")),
        errors=("mixed.jsonl:line 2:", "mixed.jsonl:line 4", "mixed.jsonl:line 6:"),
        finds="Calm down",
    ),
    Case("empty-json", _write("empty.json", b""), notice="the file is empty"),
    Case("empty-jsonl", _write("empty.jsonl", b""), notice="the file is empty"),
    Case("empty-text", _write("empty.txt", b""), notice="the file is empty"),
    Case("blank-text", _write("blank.txt", " \n\t\n"), notice="the file is empty"),
    Case("jsonl-blank-lines", _write("blank.jsonl", "\n\n\n"), notice="the file is empty"),
    Case("no-turns", _json("noturns.json", {"turns": []}), notice="has no turns"),
    Case(
        "whitespace-turns",
        _json(
            "ws.json",
            {"turns": [{"speaker": "agent", "text": " \n "}, {"speaker": "customer", "text": ""}]},
        ),
        notice="no agent turn with text",
    ),
    Case(
        "null-text",
        _json("nulltext.json", {"turns": [{"speaker": "agent", "text": None}]}),
        notice="no agent turn with text",
    ),
    Case(
        "customer-only",
        _json("cust.json", {"turns": [{"speaker": "customer", "text": "Hi"}]}),
        notice="no agent",
    ),
    Case(
        "missing-speaker",
        _json("nospeaker.json", {"turns": [{"text": "Calm down."}]}),
        errors=("nospeaker.json:turns[0].speaker",),
    ),
    Case(
        "unknown-speaker",
        _json("martian.json", {"turns": [{"speaker": "martian", "text": "Calm down."}]}),
        errors=("martian.json:turns[0].speaker: unknown speaker",),
    ),
    Case(
        "non-utf8-text",
        _write("latin1.txt", b"Agent: caf\xe9, calm down\n"),
        errors=("latin1.txt:line 1:11",),
    ),
    Case(
        "non-utf8-json",
        _write("latin1.json", b'{"turns": [{"speaker": "agent", "text": "\xe9"}]}'),
        errors=("latin1.json:line 1:",),
    ),
    Case(
        "utf16-bom-json",
        _write(
            "wide.json", codecs.BOM_UTF16_LE + json.dumps(_agent("Calm down.")).encode("utf-16-le")
        ),
        finds="Calm down",
    ),
    Case(
        "utf16-bom-text",
        _write("wide.txt", "Agent: Calm down, please.\n".encode("utf-16")),
        finds="Calm down",
    ),
    Case(
        "utf16-bom-jsonl",
        _write("wide.jsonl", (json.dumps(_agent("Calm down.")) + "\n").encode("utf-16")),
        finds="Calm down",
    ),
    Case(
        "binary",
        _write("image.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256))),
        errors=("image.txt:line 3:1: binary data",),
    ),
    Case(
        "binary-no-nul",
        _write("noise.txt", bytes(range(128, 256)) * 4),
        errors=("noise.txt:line 1:1",),
    ),
    Case(
        "nul-byte-text", _write("nul.txt", b"Agent: calm\x00 down\n"), errors=("nul.txt:line 1:12",)
    ),
    Case(
        "nul-byte-jsonl",
        _write("nul.jsonl", json.dumps(_agent("Calm down.")) + '\n{"turns": []}\x00\n'),
        errors=("nul.jsonl:line 2",),
        finds="Calm down",
    ),
    Case(
        "deep-json",
        _write("deep.json", "[" * 200_000 + "]" * 200_000),
        errors=("deep.json:line 1: JSON nested",),
    ),
    Case(
        "deep-jsonl",
        _write(
            "deep.jsonl",
            json.dumps(_agent("Calm down.")) + "\n" + '{"a":' * 5000 + "1" + "}" * 5000 + "\n",
        ),
        errors=("deep.jsonl:line 2",),
        finds="Calm down",
    ),
    Case(
        "bad-timestamps",
        _write(
            "times.json",
            '{"language": "en", "turns": ['
            '{"speaker": "customer", "text": "Hello?", "start": -3, "end": 1},'
            '{"speaker": "agent", "text": "Calm down.", "start": 9, "end": 2},'
            '{"speaker": "customer", "text": "What?", "start": NaN, "end": Infinity}]}',
        ),
        notice="turns[0].start",
        finds="Calm down",
    ),
    Case(
        "unsupported-language",
        _write("ru.txt", "Agent: Успокойтесь, это не моя вина, я ничего не могу сделать.\n"),
        notice="not supported",
    ),
    Case(
        "declared-unsupported",
        _json("sv.json", _agent("Lugna dig nu.", language="sv")),
        notice="'sv' is not supported",
    ),
    Case("named-pipe", _fifo, errors=("pipe.json: not a regular file (a named pipe)",)),
    Case(
        "folder-with-bad-entries",
        _folder_with_bad_entries,
        errors=(
            "dead.txt: broken symbolic link",
            "loop.json: broken symbolic link",
            "pipe.json: not a regular file (a named pipe)",
        ),
        finds="Calm down",
    ),
    Case("broken-symlink", _broken_link, errors=("gone.json: broken symbolic link",)),
    Case(
        "missing-path", lambda folder: folder / "absent.json", errors=("absent.json: no such file",)
    ),
]


def _records(run: Run) -> list[dict[str, object]]:
    return [json.loads(line) for line in run.out.splitlines() if line.strip()]


def _check_cli(case: Case, run: Run, bad: Path) -> None:
    assert "Traceback" not in run.err, run.err
    error_lines = [line for line in run.err.splitlines() if line]
    for line in error_lines:
        assert line.startswith("error: "), line  # one line per error, nothing else
    for place in case.errors:
        assert sum(place in line for line in error_lines) == 1, (place, error_lines)
    assert len(error_lines) == len(case.errors), error_lines
    assert run.code == (2 if case.errors else 1), (run.code, run.err)
    records = _records(run)
    findings = [r for r in records if r["kind"] == "finding"]
    good = [r for r in findings if str(r["path"]).endswith("good.json")]
    assert any(str(r["evidence"]).startswith(GOOD_EVIDENCE) for r in good)  # still linted
    if case.notice:
        notices = [str(r["message"]) for r in records if r["kind"] == "notice"]
        assert any(case.notice in m for m in notices), notices
    if case.finds:
        mine = [r for r in findings if not str(r["path"]).endswith("good.json")]
        assert any(case.finds in str(r["evidence"]) for r in mine), findings


def _check_api(case: Case, items: list[object], bad: Path) -> None:
    errors = [i for i in items if isinstance(i, InputError)]
    for place in case.errors:
        assert sum(place in str(e) for e in errors) == 1, (place, [str(e) for e in errors])
    assert len(errors) == len(case.errors), [str(e) for e in errors]
    assert all("\n" not in str(e) for e in errors)
    findings = [i for i in items if isinstance(i, Finding)]
    assert any(
        f.path.endswith("good.json") and f.evidence.startswith(GOOD_EVIDENCE) for f in findings
    )
    if case.notice:
        notices = [i for i in items if isinstance(i, Notice)]
        assert any(case.notice in n.message for n in notices), [n.message for n in notices]
    if case.finds:
        assert any(case.finds in f.evidence and not f.path.endswith("good.json") for f in findings)


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_bad_input_through_the_cli(case: Case, tmp_path: Path) -> None:
    bad = case.make(tmp_path)
    good = write_good(tmp_path)
    before = snapshot(tmp_path)
    run = run_cli([bad.name, good.name, "--format", "jsonl"], cwd=tmp_path)
    _check_cli(case, run, bad)
    assert snapshot(tmp_path) == before


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_bad_input_through_the_api(case: Case, tmp_path: Path) -> None:
    bad = case.make(tmp_path)
    good = write_good(tmp_path)
    before = snapshot(tmp_path)
    _check_api(case, api_items([bad, good]), bad)
    if case.errors and not bad.is_dir():
        # load_transcripts is strict: the first unreadable record raises, naming file and place.
        with pytest.raises(InputError) as raised:
            list(dl.load_transcripts(bad))
        assert str(raised.value).startswith(f"{bad}:") and "\n" not in str(raised.value)
        # ...and lenient on request: the readable records still come through.
        lenient = list(dl.load_transcripts(bad, strict=False))
        assert all(isinstance(t, dl.Transcript) for t in lenient)
    assert snapshot(tmp_path) == before


def test_bad_stdin_is_named_and_good_files_still_linted(tmp_path: Path) -> None:
    good = write_good(tmp_path)
    run = run_cli(
        ["-", good.name, "--input-format", "json", "--format", "jsonl"],
        cwd=tmp_path,
        stdin=b'{"turns": [}',
    )
    assert run.code == 2 and "Traceback" not in run.err
    assert run.err.strip().splitlines() == [
        "error: <stdin>:line 1:12: invalid JSON: Expecting value"
    ]
    assert any(str(r.get("evidence", "")).startswith(GOOD_EVIDENCE) for r in _records(run))


def test_debug_does_not_turn_input_errors_into_tracebacks(tmp_path: Path) -> None:
    bad = _write("bad.json", "{")(tmp_path)
    run = run_cli([bad.name, "--debug"], cwd=tmp_path)
    assert run.code == 2 and "Traceback" not in run.err
    assert run.err.startswith("error: bad.json:line 1:2: invalid JSON")


# -- permission denied ---------------------------------------------------------------
#
# Root reads through ``chmod 000``, so the refusal is simulated where the
# linter opens files: ``os.open`` raises EACCES for files named ``locked*``.

_DENY = (
    "import errno, os, sys\n"
    "real = os.open\n"
    "def deny(path, *args, **kwargs):\n"
    "    if os.path.basename(str(path)).startswith('locked'):\n"
    "        raise PermissionError(errno.EACCES, 'Permission denied', str(path))\n"
    "    return real(path, *args, **kwargs)\n"
    "os.open = deny\n"
)


def _locked_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "calls"
    folder.mkdir()
    (folder / "locked.json").write_text(json.dumps(_agent("Calm down.")), encoding="utf-8")
    (folder / "locked-too.txt").write_text("Agent: Calm down.\n", encoding="utf-8")
    write_good(folder)
    return folder


def test_unreadable_files_are_named_and_the_rest_still_linted_cli(tmp_path: Path) -> None:
    _locked_folder(tmp_path)
    before = snapshot(tmp_path)
    script = _DENY + "from deescalate_lint.cli import main\nsys.exit(main())\n"
    done = subprocess.run(
        [sys.executable, "-c", script, "calls", "--format", "jsonl"],
        cwd=tmp_path,
        capture_output=True,
        timeout=300,
    )
    err = done.stderr.decode("utf-8").splitlines()
    assert done.returncode == 2 and not any("Traceback" in line for line in err), err
    assert sorted(err) == [
        f"error: {Path('calls') / 'locked-too.txt'}: cannot read file: Permission denied",
        f"error: {Path('calls') / 'locked.json'}: cannot read file: Permission denied",
    ]
    records = [json.loads(line) for line in done.stdout.decode("utf-8").splitlines()]
    assert any(str(r.get("evidence", "")).startswith(GOOD_EVIDENCE) for r in records)
    assert snapshot(tmp_path) == before


def test_unreadable_files_are_named_and_the_rest_still_linted_api(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = _locked_folder(tmp_path)
    namespace: dict[str, object] = {}
    exec(_DENY.replace("os.open = deny\n", ""), namespace)
    monkeypatch.setattr(os, "open", namespace["deny"])
    items = api_items([folder])
    errors = sorted(str(i) for i in items if isinstance(i, InputError))
    assert errors == [
        f"{folder / 'locked-too.txt'}: cannot read file: Permission denied",
        f"{folder / 'locked.json'}: cannot read file: Permission denied",
    ]
    assert any(isinstance(i, Finding) and i.path.endswith("good.json") for i in items)


# -- size ------------------------------------------------------------------------

BIG_TURN_CHARS = 20 * 1024 * 1024


def test_a_20_mb_single_turn_is_linted_whole(tmp_path: Path) -> None:
    """The trigger at the very end is found: no time-out, no tokeniser limit."""
    filler = "Thank you for waiting, I am checking the order now. "
    text = filler * (BIG_TURN_CHARS // len(filler)) + "Calm down, it will arrive."
    path = tmp_path / "big.json"
    path.write_text(json.dumps(_agent(text)), encoding="utf-8")
    before = snapshot(tmp_path)

    run = run_cli([path.name, "--format", "jsonl"], cwd=tmp_path)
    assert run.code == 1 and "Traceback" not in run.err and not run.err
    records = [json.loads(line) for line in run.out.splitlines()]
    # The offset as well: the finding is the trigger at the very end. (Linting
    # the same 20 MB again through the API proved nothing more and cost CI 40 s.)
    assert [(r["evidence"], r["start"]) for r in records if r["kind"] == "finding"] == [
        ("Calm down", len(text) - len("Calm down, it will arrive."))
    ]
    assert not [r for r in records if r["kind"] == "notice" and r["code"] == NOTICE_RULE_ERROR]
    assert snapshot(tmp_path) == before


MILLION = 1_000_000


def _million_turns(path: Path, turns: int = MILLION) -> None:
    """A call of ``turns`` turns, written as it streams (no giant object in memory)."""
    lines = ("ok, thanks", "Sure, let me check that for you.", "mhm", "Calm down, please.")
    with path.open("w", encoding="utf-8") as out:
        out.write('{"id": "long", "language": "en", "turns": [')
        for index in range(turns):
            speaker = "customer" if index % 2 else "agent"
            text = lines[3] if index % 100_000 == 0 else lines[index % 3]
            out.write(("," if index else "") + json.dumps({"speaker": speaker, "text": text}))
        out.write("]}")


@pytest.fixture(scope="module")
def million_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("million") / "million.json"
    _million_turns(path)
    return path


def test_a_million_turn_transcript_through_the_cli(million_file: Path) -> None:
    """Every rule over a million turns: measured at about 90 s and 2.1 GB on a busy 2-core box."""
    before = snapshot(million_file.parent)
    started = time.perf_counter()
    run = run_cli([million_file.name, "--format", "jsonl"], cwd=million_file.parent, timeout=900)
    elapsed = time.perf_counter() - started
    assert run.code == 1 and not run.err, run.err
    records = _records(run)
    calm = [r["turn"] for r in records if r["kind"] == "finding" and r["code"] == "DL102"]
    assert calm == list(range(0, MILLION, 100_000))
    assert not [r for r in records if r["kind"] == "notice" and r["code"] == NOTICE_RULE_ERROR]
    assert snapshot(million_file.parent) == before
    print(f"1,000,000 turns through the CLI, all rules: {elapsed:.1f} s")


def test_a_long_transcript_through_the_api(tmp_path: Path) -> None:
    """The API streams the same way; the CLI test above holds the million (a
    second million-turn run here cost CI half a minute and proved no more)."""
    path = tmp_path / "long.json"
    _million_turns(path, MILLION // 10)
    started = time.perf_counter()
    items = list(dl.Linter(select=["DL102"]).lint_paths([str(path)]))
    elapsed = time.perf_counter() - started
    findings = [r for r in items if isinstance(r, Finding)]
    assert [f.turn for f in findings] == [0]
    assert {(f.start, f.evidence) for f in findings} == {(0, "Calm down")}
    assert not [r for r in items if isinstance(r, (Notice, InputError))]
    print(f"100,000 turns through the API, DL102: {elapsed:.1f} s")


def test_input_notice_codes_are_the_engine_ones(tmp_path: Path) -> None:
    empty = _write("empty.txt", b"")(tmp_path)
    items = api_items([empty])
    assert [(type(i).__name__, getattr(i, "code", None)) for i in items] == [
        ("Notice", NOTICE_INPUT)
    ]


# -- fuzz regressions --------------------------------------------------------------

REGRESSIONS = Path(__file__).resolve().parent.parent / "fuzz" / "regressions"


def _fuzz_targets() -> dict[str, Callable[[bytes], None]]:
    sys.path.insert(0, str(REGRESSIONS.parent.parent))
    try:
        from fuzz.targets import targets
    finally:
        sys.path.pop(0)
    return targets()


@pytest.mark.parametrize(
    "sample", sorted(p for p in REGRESSIONS.iterdir() if p.suffix != ".md"), ids=lambda p: p.name
)
def test_fuzz_regressions_replay_through_every_target(sample: Path) -> None:
    """Inputs that once crashed a reader (or were built to) stay harmless for every target.

    Each file is fed to every fuzz target, which asserts the reader and engine
    invariants; and through the CLI, which must end in a clean exit code.
    """
    data = sample.read_bytes()
    for name, target in _fuzz_targets().items():
        try:
            target(data)
        except Exception as exc:  # pragma: no cover - the failure message is the point
            pytest.fail(f"{sample.name} crashes fuzz target {name}: {exc!r}")
    run = run_cli([str(sample), "--format", "jsonl"], cwd=sample.parent)
    assert run.code in (0, 1, 2) and "Traceback" not in run.err, run.err
    assert all(line.startswith("error: ") for line in run.err.splitlines())
