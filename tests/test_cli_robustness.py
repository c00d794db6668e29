"""The CLI never ends in a traceback without --debug, and sniffs JSONL on stdin."""

from __future__ import annotations

import json

import pytest
from cli_run import run_cli

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
    result = run_cli(["-", "--format", "json"], stdin="\n".join(lines) + "\n")
    assert result.returncode == 1, result.stderr
    assert [r["evidence"] for r in json.loads(result.stdout)] == ["Calm down", "Rules are rules"]
