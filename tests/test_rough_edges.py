"""The rough edges a new user hit (issue #13), one test each, run as that user ran them:
the real command in a child process, on files written for the test."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from cli_run import run_cli

import deescalate_lint as dl

REPO = Path(__file__).resolve().parent.parent
README = (REPO / "README.md").read_text(encoding="utf-8")

BAD_TEMPLATE = (
    "<p>Hi {{ name }},</p>\n"
    "<p>We are so sorry for the delay. We sincerely apologise for any inconvenience.</p>\n"
)
CALL = "Customer: Where is my parcel? This is the third time I call!\nAgent: Calm down, please.\n"


def _env() -> dict[str, str]:
    return {**os.environ, "NO_COLOR": "1", "PYTHONPATH": str(REPO)}


# -- the pre-commit snippet ---------------------------------------------------


def _yaml_blocks(text: str) -> list[str]:
    return re.findall(r"```yaml\n(.*?)```", text, flags=re.S)


def _precommit_blocks() -> list[dict[str, object]]:
    blocks = [yaml.safe_load(b) for b in _yaml_blocks(README) if "repos:" in b]
    assert blocks, "the README shows no .pre-commit-config.yaml"
    return blocks


def test_readme_precommit_snippets_have_no_placeholder_that_fails() -> None:
    """No ``OWNER``, no tag that does not exist; the remote form says what to put where."""
    blocks = _precommit_blocks()
    repos = [repo for block in blocks for repo in block["repos"]]  # type: ignore[attr-defined]
    assert {"local"} <= {r["repo"] for r in repos}, "the README must show `repo: local`"
    assert "OWNER" not in README and "v0.1.0" not in README
    tags = subprocess.run(
        ["git", "tag", "--list"], cwd=REPO, capture_output=True, text=True, check=False
    ).stdout.split()
    for repo in repos:
        if repo["repo"] == "local":
            continue
        # A remote form must not name a version that does not exist: it must tell
        # the reader to put their own clone's URL and commit (or an existing tag).
        rev = str(repo.get("rev", ""))
        assert rev in tags or rev.startswith("<"), rev
    assert "git rev-parse HEAD" in README


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_readme_local_precommit_snippet_works_as_written(tmp_path: Path) -> None:
    """The ``repo: local`` snippet copied from the README, run by the real pre-commit."""
    pytest.importorskip("pre_commit")
    local = next(b for b in _yaml_blocks(README) if "repo: local" in b)
    project = tmp_path / "project"
    (project / "templates").mkdir(parents=True)
    (project / "templates" / "bad.html").write_text(BAD_TEMPLATE, encoding="utf-8")
    (project / "templates" / "good.txt").write_text("Thanks, it is on its way.\n")
    (project / ".pre-commit-config.yaml").write_text(local, encoding="utf-8")
    # `lint-transcript` on PATH runs this checkout (as `pip install -e .` would).
    shim = tmp_path / "bin"
    shim.mkdir()
    script = shim / "lint-transcript"
    script.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m deescalate_lint.cli "$@"\n')
    script.chmod(0o755)
    env = {
        **_env(),
        "PATH": f"{shim}{os.pathsep}{os.environ['PATH']}",
        "PRE_COMMIT_HOME": str(tmp_path / "cache"),
        "GIT_CONFIG_GLOBAL": os.devnull,
        "GIT_CONFIG_NOSYSTEM": "1",
    }
    subprocess.run(["git", "init", "-q"], cwd=project, env=env, check=True)
    subprocess.run(["git", "add", "-A"], cwd=project, env=env, check=True)

    def pre_commit(*files: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "pre_commit", "run", "--color", "never", "--files", *files],
            cwd=project,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
        )

    bad = pre_commit("templates/bad.html")
    assert bad.returncode == 1, bad.stdout + bad.stderr
    assert "templates/bad.html:2:" in bad.stdout and "DL103" in bad.stdout
    good = pre_commit("templates/good.txt")
    assert good.returncode == 0, good.stdout + good.stderr


# -- template folders -----------------------------------------------------------


def test_a_folder_of_html_and_jinja_templates_is_linted(tmp_path: Path) -> None:
    folder = tmp_path / "templates"
    folder.mkdir()
    for name in ("reply.html", "reply.j2", "reply.hbs", "reply.liquid"):
        (folder / name).write_text(BAD_TEMPLATE, encoding="utf-8")
    run = run_cli(["templates/", "--format", "concise", "--isolated"], tmp_path, env=_env())
    assert run.returncode == 1, run.stdout + run.stderr
    for name in ("reply.html", "reply.j2", "reply.hbs", "reply.liquid"):
        assert f"templates/{name}:2:" in run.stdout, run.stdout


def test_a_path_with_nothing_to_lint_is_named_in_a_warning(tmp_path: Path) -> None:
    (tmp_path / "stuff").mkdir()
    (tmp_path / "stuff" / "notes.docx").write_bytes(b"PK\x03\x04")
    run = run_cli(["stuff", "--isolated"], tmp_path, env=_env())
    assert run.returncode == 0
    assert "warning: stuff: nothing to lint here" in run.stderr


def test_the_html_report_is_not_linted_as_a_template(tmp_path: Path) -> None:
    (tmp_path / "call.txt").write_text(CALL, encoding="utf-8")
    report = run_cli(["call.txt", "--format", "html", "--isolated"], tmp_path, env=_env())
    assert report.returncode == 1 and "DL102" in report.stdout
    (tmp_path / "report.html").write_text(report.stdout, encoding="utf-8")
    again = run_cli(["report.html", "--format", "concise", "--isolated"], tmp_path, env=_env())
    assert again.returncode == 0, again.stdout
    assert "DL102" not in again.stdout


# -- --rules ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "args",
    [
        ["call.txt", "--rules", "/nonexistent"],
        ["rules", "--rules", "/nonexistent"],
        ["rule", "DL101", "--rules", "/nonexistent"],
    ],
    ids=["lint", "rules", "rule"],
)
def test_a_missing_rules_folder_is_an_error(tmp_path: Path, args: list[str]) -> None:
    (tmp_path / "call.txt").write_text(CALL, encoding="utf-8")
    run = run_cli([*args, "--isolated"] if args[0] == "call.txt" else args, tmp_path, env=_env())
    assert run.returncode == 2, run.stdout + run.stderr
    assert "/nonexistent" in run.stderr and "does not exist" in run.stderr
    assert run.stdout == ""


# -- --language, and notices in every format ---------------------------------------


def test_language_names_are_accepted(tmp_path: Path) -> None:
    (tmp_path / "call.txt").write_text(CALL, encoding="utf-8")
    run = run_cli(
        ["call.txt", "--language", "english", "--format", "concise", "--isolated"],
        tmp_path,
        env=_env(),
    )
    assert run.returncode == 1, run.stdout + run.stderr
    assert "DL102" in run.stdout


def test_an_unknown_language_is_a_clear_error(tmp_path: Path) -> None:
    (tmp_path / "call.txt").write_text(CALL, encoding="utf-8")
    run = run_cli(
        ["call.txt", "--language", "klingon", "--format", "concise", "--isolated"],
        tmp_path,
        env=_env(),
    )
    assert run.returncode == 2
    assert "--language 'klingon'" in run.stderr and "en (English)" in run.stderr


@pytest.mark.parametrize("fmt", ["text", "concise", "json", "jsonl", "github", "sarif", "junit"])
def test_notices_show_in_every_format_unless_quiet(tmp_path: Path, fmt: str) -> None:
    (tmp_path / "call.txt").write_text(CALL, encoding="utf-8")
    loud = run_cli(["call.txt", "--format", fmt, "--isolated"], tmp_path, env=_env())
    assert "timing check not run" in loud.stdout, loud.stdout
    quiet = run_cli(["call.txt", "--format", fmt, "--quiet", "--isolated"], tmp_path, env=_env())
    assert "timing check not run" not in quiet.stdout


# -- turns, lines, speakers -------------------------------------------------------


def test_people_see_turns_from_1_with_the_speaker_and_txt_lines(tmp_path: Path) -> None:
    (tmp_path / "call.txt").write_text("Header line\n" + CALL, encoding="utf-8")
    text = run_cli(["call.txt", "--isolated"], tmp_path, env=_env()).stdout
    # Line 3 of the file, column 8 ("Agent: " is 7 characters), the second turn.
    assert "call.txt:3:8: turn 2 (Agent) DL102 defensive-phrasing:" in text, text
    concise = run_cli(["call.txt", "--format", "concise", "--isolated"], tmp_path, env=_env())
    assert "call.txt:3:8: turn 2 (Agent): DL102 [defensive-phrasing]" in concise.stdout
    as_json = json.loads(
        run_cli(["call.txt", "--format", "json", "--isolated"], tmp_path, env=_env()).stdout
    )
    finding = next(r for r in as_json if r["kind"] == "finding")
    assert finding["turn"] == 1  # JSON keeps the 0-based index (documented)


def test_text_stamps_say_that_end_times_are_missing(tmp_path: Path) -> None:
    stamped = "[00:01] Customer: Where is my parcel?!\n[00:04] Agent: Calm down, please.\n"
    (tmp_path / "call.txt").write_text(stamped, encoding="utf-8")
    run = run_cli(["call.txt", "--isolated"], tmp_path, env=_env())
    assert "the turns have start times but no end times" in run.stdout, run.stdout
    assert "have no start and end times" not in run.stdout


def test_notices_name_their_transcript_in_a_file_of_several(tmp_path: Path) -> None:
    calls = [
        {
            "id": name,
            "language": "en",
            "turns": [
                {"speaker": "customer", "text": "Where is my parcel?"},
                {"speaker": "agent", "text": "It is on its way."},
            ],
        }
        for name in ("call-a", "call-b")
    ]
    (tmp_path / "calls.json").write_text(json.dumps(calls), encoding="utf-8")
    for fmt, marks in (
        ("text", ("calls.json#call-a: notice", "calls.json#call-b: notice")),
        ("concise", ("calls.json#call-a: notice", "calls.json#call-b: notice")),
        ("github", ("[transcript call-a]", "[transcript call-b]")),
    ):
        out = run_cli(["calls.json", "--format", fmt, "--isolated"], tmp_path, env=_env()).stdout
        for mark in marks:
            assert mark in out, (fmt, out)


def test_text_output_closes_with_a_summary_line(tmp_path: Path) -> None:
    (tmp_path / "call.txt").write_text(CALL, encoding="utf-8")
    (tmp_path / "clean.txt").write_text("Thanks, it is on its way.\n", encoding="utf-8")
    run = run_cli(["call.txt", "clean.txt", "--isolated"], tmp_path, env=_env())
    assert run.stdout.splitlines()[-1] == (
        "1 finding in 1 of 2 conversations (2 files); 1 check not run"
    )


def test_github_annotations_for_transcripts_carry_a_line(tmp_path: Path) -> None:
    (tmp_path / "call.txt").write_text(CALL, encoding="utf-8")
    call = {
        "id": "c1",
        "language": "en",
        "turns": [
            {"speaker": "customer", "text": "Third time I call!"},
            {"speaker": "agent", "text": "Calm down, please."},
        ],
    }
    (tmp_path / "call.json").write_text(json.dumps(call, indent=2), encoding="utf-8")
    (tmp_path / "calls.jsonl").write_text(
        json.dumps({**call, "id": "c0"}) + "\n" + json.dumps(call) + "\n", encoding="utf-8"
    )
    out = run_cli(
        ["call.txt", "call.json", "calls.jsonl", "--format", "github", "--isolated"],
        tmp_path,
        env=_env(),
    ).stdout
    warnings = [line for line in out.splitlines() if line.startswith("::warning")]
    assert any(w.startswith("::warning file=call.txt,line=2,col=8,") for w in warnings), out
    # The second turn's "speaker" key is on line 10 of the indented JSON.
    assert any(w.startswith("::warning file=call.json,line=10,") for w in warnings), out
    assert any(w.startswith("::warning file=calls.jsonl,line=2,") for w in warnings), out


# -- DL102's messages ---------------------------------------------------------------


def test_two_behaviours_in_one_sentence_are_both_named() -> None:
    """One stretch of words, one finding; its message names every behaviour in it."""
    (finding,) = dl.lint("Agent: Calm down, that's not my fault.", language="en")
    assert finding.evidence == "Calm down, that's not my fault"
    assert finding.message.startswith("Brushes off the customer's feelings")
    assert "Also: Deflects the blame" in finding.message


def test_not_our_fault_is_deflection_not_blame() -> None:
    (finding,) = dl.lint("Agent: That's not our fault.", language="en")
    assert finding.message.startswith("Deflects the blame")
