"""Suppressions through the real CLI: template comments, JSON ``lint`` objects, and DL900."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from cli_run import run_cli

from deescalate_lint import Linter
from deescalate_lint.textprep import prepare

REPO = Path(__file__).resolve().parent.parent

APOLOGIES = "We are so sorry for the delay. We sincerely apologise for any inconvenience."
POLICY = "Unfortunately it's against our policy to refund shipping costs."
PROMISE = "I can assure you your parcel will arrive tomorrow."


def lint_file(
    tmp_path: Path, name: str, text: str, *extra: str
) -> tuple[int, list[dict[str, object]], str]:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    done = run_cli([name, "--format", "json", "--isolated", *extra], tmp_path)
    assert "Traceback" not in done.stderr, done.stderr
    results = json.loads(done.stdout) if done.stdout.strip() else []
    return done.returncode, [r for r in results if r["kind"] == "finding"], done.stderr


def codes(findings: list[dict[str, object]]) -> list[str]:
    return sorted(str(f["code"]) for f in findings)


def test_unsuppressed_baseline(tmp_path: Path) -> None:
    code, findings, _ = lint_file(tmp_path, "t.md", f"{APOLOGIES}\n{POLICY}\n{PROMISE}\n")
    assert code == 1
    assert codes(findings) == ["DL102", "DL103", "DL104"]


def test_disable_next_line_html_with_reason(tmp_path: Path) -> None:
    text = (
        "<!-- deescalate-lint: disable-next-line=over-apologising -- legal asked for both -->\n"
        f"{APOLOGIES}\n{POLICY}\n{PROMISE}\n"
    )
    _, findings, _ = lint_file(tmp_path, "t.md", text)
    assert codes(findings) == ["DL102", "DL104"]


def test_disable_next_line_only_covers_the_next_line(tmp_path: Path) -> None:
    text = f"<!-- deescalate-lint: disable-next-line=DL104 -->\n{POLICY}\n{PROMISE}\n"
    _, findings, _ = lint_file(tmp_path, "t.md", text)
    # DL104 is on the second line after the comment: still reported, and the
    # comment (which suppressed nothing) is reported as unused.
    assert codes(findings) == ["DL102", "DL104", "DL900"]
    unused = next(f for f in findings if f["code"] == "DL900")
    assert unused["severity"] == "info"
    assert unused["evidence"] == "<!-- deescalate-lint: disable-next-line=DL104 -->"


def test_block_disable_enable(tmp_path: Path) -> None:
    text = (
        f"<!-- deescalate-lint: disable=DL102,DL104 -- reviewed 2024-05 -->\n{POLICY}\n"
        f"{PROMISE}\n<!-- deescalate-lint: enable=DL102,DL104 -->\n{PROMISE}\n"
    )
    _, findings, _ = lint_file(tmp_path, "t.md", text)
    assert codes(findings) == ["DL104"]
    assert findings[0]["start"] == text.rindex(PROMISE) + PROMISE.index("your parcel")


def test_block_without_enable_runs_to_the_end(tmp_path: Path) -> None:
    text = f"{POLICY}\n<!-- deescalate-lint: disable=defensive-phrasing -->\n{POLICY}\n{POLICY}\n"
    _, findings, _ = lint_file(tmp_path, "t.md", text)
    assert [f["start"] for f in findings] == [POLICY.index("it's")]


def test_disable_file_jinja_comment(tmp_path: Path) -> None:
    comment = "{# deescalate-lint: disable-file=DL1 -- legacy macro, rewrite pending #}"
    text = f"{comment}\n{APOLOGIES}\n{POLICY}\n"
    code, findings, _ = lint_file(tmp_path, "t.j2", text, "--input-format", "text")
    assert (code, findings) == (0, [])


def test_plain_text_directive_line_and_disable_line(tmp_path: Path) -> None:
    text = (
        f"# deescalate-lint: disable=unrealistic-promise\n{PROMISE}\n"
        f"{POLICY} <!-- deescalate-lint: disable-line=DL102 -->\n"
    )
    code, findings, _ = lint_file(tmp_path, "t.txt", text)
    assert (code, findings) == (0, [])


def test_comment_text_is_not_linted_as_agent_speech(tmp_path: Path) -> None:
    # The comments mention apologies, a promise and a brush-off; only the
    # template's single apology is real (one is allowed). The one finding is
    # the disable-file comment itself, which suppressed nothing (DL900).
    text = (
        "<!-- note: we apologise twice and I guarantee it will arrive tomorrow -->\n"
        "# deescalate-lint: disable-file=DL105 -- calm down, that's not our fault\n"
        "{# I'm so so sorry, a thousand apologies #}\n"
        "I'm sorry about the delay; I've started the refund now.\n"
    )
    _, findings, _ = lint_file(tmp_path, "t.md", text)
    assert codes(findings) == ["DL900"]
    assert str(findings[0]["evidence"]).startswith("# deescalate-lint: disable-file=DL105")


def test_masking_keeps_offsets_and_line_breaks() -> None:
    text = "<!-- a\nb -->\nSorry"
    prepared = prepare(text)
    assert len(prepared.analysis) == len(text)
    assert prepared.analysis.count("\n") == text.count("\n")
    assert prepared.analysis.endswith("\nSorry")


def test_unknown_rule_malformed_and_unmatched_enable_are_reported(tmp_path: Path) -> None:
    text = (
        "<!-- deescalate-lint: disable=no-such-rule -->\n"
        "<!-- deescalate-lint: disabel=DL102 -->\n"
        "<!-- deescalate-lint: enable=DL104 -->\n"
        "Thanks for waiting; the refund is on its way.\n"
    )
    code, findings, _ = lint_file(tmp_path, "t.md", text)
    assert code == 1
    messages = [str(f["message"]) for f in findings]
    assert codes(findings) == ["DL900"] * 3
    assert any("unknown rule 'no-such-rule'" in m for m in messages)
    assert any(m.startswith("Malformed suppression 'disabel=DL102'") for m in messages)
    assert any("enable has no matching disable" in m for m in messages)


def test_dl900_can_be_ignored_and_fail_on_skips_info(tmp_path: Path) -> None:
    text = "<!-- deescalate-lint: disable-next-line=DL104 -->\nThanks for waiting.\n"
    code, findings, _ = lint_file(tmp_path, "t.md", text)
    assert (code, codes(findings)) == (1, ["DL900"])
    code, findings, _ = lint_file(tmp_path, "t.md", text, "--ignore", "DL900")
    assert (code, findings) == (0, [])
    code, findings, _ = lint_file(tmp_path, "t.md", text, "--fail-on", "warning")
    assert (code, codes(findings)) == (0, ["DL900"])


def test_suppression_of_a_rule_that_did_not_run_is_not_judged(tmp_path: Path) -> None:
    text = f"<!-- deescalate-lint: disable-next-line=DL104 -->\nThanks for waiting.\n{POLICY}\n"
    _, findings, _ = lint_file(tmp_path, "t.md", text, "--select", "DL102,DL900")
    assert codes(findings) == ["DL102"]


def _call(
    lint_turn: dict[str, object] | None, lint_transcript: dict[str, object] | None
) -> dict[str, object]:
    agent: dict[str, object] = {"speaker": "agent", "text": f"Calm down. {PROMISE}"}
    if lint_turn is not None:
        agent["lint"] = lint_turn
    call: dict[str, object] = {
        "id": "c1",
        "language": "en",
        "turns": [{"speaker": "customer", "text": "Where is my parcel?"}, agent],
    }
    if lint_transcript is not None:
        call["lint"] = lint_transcript
    return call


@pytest.mark.parametrize(
    ("turn", "transcript", "expected"),
    [
        (None, None, ["DL102", "DL104"]),
        ({"ignore": ["DL104"]}, None, ["DL102"]),
        (None, {"ignore": ["defensive-phrasing"]}, ["DL104"]),
        ({"ignore": ["DL102"]}, {"ignore": ["DL104"]}, []),
        ({"ignore": ["DL105"]}, None, ["DL102", "DL104", "DL900"]),
        (None, {"ignore": ["not-a-rule"]}, ["DL102", "DL104", "DL900"]),
    ],
    ids=["none", "turn", "transcript", "both", "turn-unused", "transcript-unknown"],
)
def test_json_lint_objects(
    tmp_path: Path,
    turn: dict[str, object] | None,
    transcript: dict[str, object] | None,
    expected: list[str],
) -> None:
    _, findings, _ = lint_file(tmp_path, "call.json", json.dumps(_call(turn, transcript)))
    assert codes(findings) == expected
    for finding in findings:
        if finding["code"] == "DL900":
            assert finding["severity"] == "info"
            assert finding["citations"] == []


def test_transcript_level_ignore_also_drops_that_rules_notices() -> None:
    linter = Linter()
    call = {
        "language": "en",
        "lint": {"ignore": ["interruption"]},
        "turns": [
            {"speaker": "customer", "text": "Hi"},
            {"speaker": "agent", "text": "Hello, how can I help?"},
        ],
    }
    results = linter.results(call)
    assert not [r for r in results if r.rule == "interruption"]
    # Without the ignore, the timing notice is there: the ignore is what removed it.
    call.pop("lint")
    assert [r.code for r in linter.results(call) if r.rule == "interruption"] == ["DL101"]
