"""eval/upset_misses.py lists a missed label under the customer turn the detector read as calm."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

EVAL = Path(__file__).resolve().parent.parent / "eval"
sys.path.insert(0, str(EVAL))
import upset_misses  # noqa: E402  (eval/ is scripts, not a package)

CALM = "My parcel hasn't arrived yet."
ANGRY = "This is ridiculous, third time I've called and my parcel still hasn't arrived!!"


def _record(cid: str, customer: str) -> dict[str, object]:
    reply = "Order number please."
    return {
        "id": cid,
        "language": "en",
        "channel": "chat",
        "turns": [{"speaker": "customer", "text": customer}, {"speaker": "agent", "text": reply}],
        "labels": [{"turn": 1, "rule": "missing-empathy", "evidence": reply}],
    }


@pytest.fixture
def labelled(tmp_path: Path) -> Path:
    (tmp_path / "en").mkdir()
    lines = [json.dumps(_record("en-t-001", CALM)), json.dumps(_record("en-t-002", ANGRY))]
    (tmp_path / "en" / "part-1.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return tmp_path


def test_a_miss_with_the_customer_read_calm_is_listed_with_its_signals(labelled: Path) -> None:
    lines, counts = upset_misses.misses("en", [labelled], upset_misses.UPSET_RULES, False)
    # The angry customer is read as upset and the reply is flagged: no miss to list.
    assert counts == {("missing-empathy", False): 1}
    assert lines[0].startswith("== en-t-001 turn 1 missing-empathy [NOT upset]")
    assert "score 1" in lines[1] and "(failure)" in lines[1] and CALM in lines[1]


def test_the_command_prints_the_list_and_the_counts(
    labelled: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert upset_misses.main(["en", str(labelled)]) == 0
    out, err = capsys.readouterr()
    assert "en-t-001" in out and "en-t-002" not in out
    assert "NOT upset" in err
