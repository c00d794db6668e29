"""``--jobs``: the same output, in the same order, from one process or several."""

from __future__ import annotations

import json
from pathlib import Path

from cli_run import run_cli

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


def test_two_jobs_give_the_same_output_as_one(tmp_path: Path) -> None:
    lines = []
    for i in range(60):
        lines.append(
            json.dumps(
                {
                    "id": f"c{i}",
                    "language": "en",
                    "turns": [
                        {"speaker": "customer", "text": f"This is RIDICULOUS, call number {i}!!"},
                        {
                            "speaker": "agent",
                            "text": "I'm sorry. I apologise. Please send us an email.",
                        },
                    ],
                }
            )
        )
    (tmp_path / "calls.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    inputs = [str(EXAMPLES), str(tmp_path / "calls.jsonl")]
    one = run_cli([*inputs, "--format", "json", "--jobs", "1"])
    two = run_cli([*inputs, "--format", "json", "--jobs", "2"])
    assert one.returncode == two.returncode == 1
    assert one.stdout == two.stdout
    assert len(json.loads(one.stdout)) > 120


def test_jobs_must_be_positive() -> None:
    result = run_cli([str(EXAMPLES), "--jobs", "0"])
    assert result.returncode == 2 and "--jobs" in result.stderr
