"""The command line end to end: exit codes, --statistics, --fail-on, --exit-zero, rules/rule."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from cli_run import run_cli

from deescalate_lint.rulepack import load_rules

REPO = Path(__file__).resolve().parent.parent

BAD = (
    "We are so sorry for the delay. We sincerely apologise for any inconvenience.\n"
    "Unfortunately it's against our policy to refund shipping costs.\n"
    "Unfortunately it's against our policy to refund the fee.\n"
)
CLEAN = "The refund was approved today and should reach you within five working days.\n"


@pytest.fixture()
def files(tmp_path: Path) -> Path:
    (tmp_path / "bad.txt").write_text(BAD, encoding="utf-8")
    (tmp_path / "clean.txt").write_text(CLEAN, encoding="utf-8")
    return tmp_path


@pytest.mark.parametrize(
    ("args", "code"),
    [
        (["clean.txt"], 0),
        (["bad.txt"], 1),
        (["bad.txt", "--exit-zero"], 0),
        (["bad.txt", "--fail-on", "warning"], 1),
        (["bad.txt", "--fail-on", "error"], 0),
        (["missing.txt", "clean.txt"], 2),
        (["missing.txt", "bad.txt", "--exit-zero"], 2),  # --exit-zero never hides an error
        (["bad.txt", "--select", "nonsense"], 2),
        (["bad.txt", "--format", "xml"], 2),
    ],
    ids=[
        "clean",
        "findings",
        "exit-zero",
        "fail-on-warning",
        "fail-on-error",
        "missing",
        "exit-zero-error",
        "bad-select",
        "bad-format",
    ],
)
def test_exit_codes(files: Path, args: list[str], code: int) -> None:
    run = run_cli([*args, "--isolated"], files)
    assert run.returncode == code, run.stdout + run.stderr
    assert "Traceback" not in run.stderr


def test_missing_file_does_not_stop_the_others(files: Path) -> None:
    run = run_cli(["missing.txt", "bad.txt", "--format", "concise", "--isolated"], files)
    assert run.returncode == 2
    assert "error: missing.txt: no such file or directory" in run.stderr
    assert "DL103" in run.stdout


def test_statistics_text_and_json(files: Path) -> None:
    run = run_cli(["bad.txt", "--statistics", "--isolated"], files)
    assert run.returncode == 1
    rows = [line.split() for line in run.stdout.splitlines()]
    assert rows == [
        ["2", "DL102", "defensive-phrasing", "warning"],
        ["1", "DL103", "over-apologising", "warning"],
    ]
    as_json = json.loads(
        run_cli(["bad.txt", "--statistics", "--format", "json", "--isolated"], files).stdout
    )
    assert as_json == [
        {"code": "DL102", "rule": "defensive-phrasing", "severity": "warning", "count": 2},
        {"code": "DL103", "rule": "over-apologising", "severity": "warning", "count": 1},
    ]


def test_quiet_drops_notices(files: Path) -> None:
    (files / "klingon.json").write_text(
        json.dumps({"language": "tlh", "turns": [{"speaker": "agent", "text": "nuqneH"}]}),
        encoding="utf-8",
    )
    loud = run_cli(["klingon.json", "--isolated"], files)
    quiet = run_cli(["klingon.json", "--quiet", "--isolated"], files)
    assert "notice DL001" in loud.stdout and quiet.stdout == ""
    assert loud.returncode == quiet.returncode == 0
    assert run_cli(["klingon.json", "--fail-on-unsupported", "--isolated"], files).returncode == 1


def test_stdin(files: Path) -> None:
    done = run_cli(["-", "--format", "concise", "--isolated"], files, stdin=BAD)
    assert done.returncode == 1
    assert done.stdout.startswith("<stdin>:1:")


def test_rules_lists_every_rule_and_dl900(tmp_path: Path) -> None:
    run = run_cli(["rules"], tmp_path)
    assert run.returncode == 0
    lines = run.stdout.splitlines()
    assert lines[0].split() == ["CODE", "RULE", "SEVERITY", "LANGUAGES", "SUMMARY"]
    for rule in load_rules():
        row = next(line for line in lines if line.startswith(rule.code))
        assert rule.slug in row and rule.severity.value in row and ",".join(rule.languages) in row
    assert any(line.startswith("DL900") and "unused-suppression" in line for line in lines)
    records = json.loads(run_cli(["rules", "--format", "json"], tmp_path).stdout)
    assert [r["code"] for r in records] == [r.code for r in load_rules()] + ["DL900"]


def test_rule_explains_by_name_or_code(tmp_path: Path) -> None:
    by_code = run_cli(["rule", "dl103"], tmp_path)
    by_name = run_cli(["rule", "over-apologising"], tmp_path)
    assert by_code.returncode == 0 and by_code.stdout == by_name.stdout
    rule = next(r for r in load_rules() if r.code == "DL103")
    text = by_code.stdout
    for heading in (
        "## What it flags",
        "## Why it matters",
        "## What to do instead",
        "## Options",
        "## Examples",
    ):
        assert heading in text
    assert "max-per-turn" in text
    for citation in rule.citations:
        assert citation.key_phrase in text and citation.document in text
    for language, pack in rule.packs.items():
        assert f"(`{language}`)" in text
        assert pack.should_flag[0].strip().splitlines()[0].strip() in text
    record = json.loads(run_cli(["rule", "DL103", "--format", "json"], tmp_path).stdout)
    assert record["options"] == dict(rule.options)
    assert set(record["examples"]) == set(rule.packs)
    assert run_cli(["rule", "DL900"], tmp_path).stdout.startswith("# unused-suppression (DL900)")


def test_rule_unknown_is_an_error(tmp_path: Path) -> None:
    run = run_cli(["rule", "shouting"], tmp_path)
    assert run.returncode == 2
    assert "unknown rule 'shouting'" in run.stderr


def test_the_quick_exit_still_flushes_every_line_and_writes_the_start_up_memo(
    tmp_path: Path,
) -> None:
    """The command ends with ``os._exit`` (``cli.entry``): the exit handlers and
    the streams' flush must have run first, or the memo and output would be lost."""
    import os

    env = {k: v for k, v in os.environ.items() if not k.startswith("DEESCALATE_LINT_")}
    env["DEESCALATE_LINT_CACHE_DIR"] = str(tmp_path / "memo")
    template = tmp_path / "reply.txt"
    template.write_text("I guarantee it will arrive tomorrow.\n" * 2000, encoding="utf-8")
    done = run_cli([str(template), "--format", "jsonl", "--isolated"], env=env)
    assert done.returncode == 1, done.stderr
    lines = done.stdout.splitlines()
    assert done.stdout.endswith("\n") and len(lines) > 1
    assert all(json.loads(line) for line in lines)
    written = {path.name.split("-")[0] for path in (tmp_path / "memo").iterdir()}
    assert written >= {"toml", "automata"}
    assert run_cli(["--version"], env=env).returncode == 0
    usage = run_cli(["--no-such-option", str(template)], env=env)
    assert usage.returncode == 2 and "usage" in usage.stderr


@pytest.mark.parametrize("closed", [1, 2], ids=["stdout", "stderr"])
def test_a_closed_standard_stream_keeps_the_exit_status(tmp_path: Path, closed: int) -> None:
    """Started with stdout or stderr closed, the command ends as ``sys.exit(main())``
    did before the quick exit (a cold review's find): 0 for --version; for a
    clean file 0 with stderr closed, 2 (an internal error, reported) with stdout closed."""
    import os
    import subprocess
    import sys

    clean = tmp_path / "clean.txt"
    clean.write_text("agent: Thanks for waiting, your refund is on its way.\n", encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith("DEESCALATE_LINT_")}
    env["DEESCALATE_LINT_CACHE_DIR"] = str(tmp_path / "memo")
    on_clean = 0 if closed == 2 else 2
    for args, expected in ((["--version"], 0), (["--isolated", str(clean)], on_clean)):
        done = subprocess.run(
            [sys.executable, "-m", "deescalate_lint.cli", *args],
            preexec_fn=lambda: os.close(closed),
            stdout=subprocess.PIPE if closed == 2 else None,
            stderr=subprocess.PIPE if closed == 1 else None,
            env=env,
            text=True,
            timeout=300,
            check=False,
        )
        assert done.returncode == expected, (args, done.stderr)
        assert "Traceback" not in (done.stderr or "")
