"""The CLI never ends in a traceback without --debug, and sniffs JSONL on stdin."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from deescalate_lint import cli


def test_an_internal_error_is_one_line_and_exit_2(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def broken(*_: object) -> int:
        raise RuntimeError("boom")

    monkeypatch.setattr(cli, "run", broken)
    assert cli.main(["examples"]) == 2
    err = capsys.readouterr().err
    assert err.strip() == "error: internal error: RuntimeError: boom (rerun with --debug)"
    with pytest.raises(RuntimeError):
        cli.main(["examples", "--debug"])


def test_jsonl_on_stdin_is_recognised() -> None:
    lines = [
        json.dumps({"language": "en", "turns": [{"speaker": "agent", "text": text}]})
        for text in ("Calm down.", "Rules are rules.")
    ]
    result = subprocess.run(
        [sys.executable, "-m", "deescalate_lint.cli", "-", "--format", "json"],
        input="\n".join(lines) + "\n",
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 1, result.stderr
    assert [r["evidence"] for r in json.loads(result.stdout)] == ["Calm down", "Rules are rules"]
