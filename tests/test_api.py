"""The Python API that QA scripts use."""

from __future__ import annotations

import json

import deescalate_lint as dl
from deescalate_lint.model import Finding, Notice

ANGRY = {
    "id": "t1",
    "language": "en",
    "turns": [
        {"speaker": "customer", "text": "This is RIDICULOUS, third time I call!!"},
        {"speaker": "agent", "text": "I'm sorry. I apologise. Please send us an email."},
    ],
}
# Apologies without a word for the customer's situation (DL106), a second
# apology in the turn (DL103), a next step with no recap of the problem (DL110,
# info) and a written channel for an upset caller (DL105).


def test_lint_returns_findings_with_the_documented_shape() -> None:
    findings = dl.lint(ANGRY)
    assert [f.code for f in findings] == ["DL106", "DL103", "DL110", "DL105"]
    record = findings[0].to_dict()
    assert set(record) == {
        "kind",
        "code",
        "rule",
        "severity",
        "path",
        "transcript",
        "turn",
        "speaker",
        "start",
        "end",
        "evidence",
        "message",
        "suggestion",
        "citations",
        "language",
        "agent",
        "team",
        "queue",
        "date",
    }
    assert record["kind"] == "finding" and record["transcript"] == "t1" and record["turn"] == 1
    assert record["citations"] and set(record["citations"][0]) == {
        "document",
        "title",
        "section",
        "lines",
        "key_phrase",
        "gloss",
    }
    json.dumps(record)  # serialisable as is


def test_a_linter_is_reusable_and_deterministic() -> None:
    linter = dl.Linter()
    first = [f.to_dict() for f in linter.lint(ANGRY)]
    second = [f.to_dict() for f in linter.lint(ANGRY)]
    assert first == second and first


def test_select_and_ignore_by_code_prefix_and_slug() -> None:
    assert [f.rule for f in dl.lint(ANGRY, select=["DL105"])] == ["email-when-call-needed"]
    assert [f.rule for f in dl.lint(ANGRY, ignore=["over-apologising", "DL106", "no-recap"])] == [
        "email-when-call-needed"
    ]
    assert dl.lint(ANGRY, select=["DL1"]) == dl.lint(ANGRY)


def test_unknown_rule_and_bad_option_are_config_errors() -> None:
    import pytest

    with pytest.raises(dl.ConfigError):
        dl.Linter(select=["no-such-rule"])
    with pytest.raises(dl.ConfigError):
        dl.Linter(options={"over-apologising": {"max-per-turne": 1}})
    with pytest.raises(dl.ConfigError):
        dl.Linter(options={"over-apologising": {"max-per-turn": "two"}})
    # The detector's signal names are data (detector.toml), checked all the same.
    with pytest.raises(dl.ConfigError, match="frustation"):
        dl.Linter(options={"missing-empathy": {"still-upset-signals": ["frustation"]}})
    dl.Linter(options={"missing-empathy": {"still-upset-signals": ["frustration"]}})


def test_options_change_thresholds() -> None:
    relaxed = dl.lint(ANGRY, options={"over-apologising": {"max-per-turn": 2}})
    assert "over-apologising" not in {f.rule for f in relaxed}


def test_per_transcript_and_per_turn_ignores() -> None:
    data = dict(ANGRY, lint={"ignore": ["DL103"]})
    assert [f.code for f in dl.lint(data)] == ["DL106", "DL110", "DL105"]
    turns = [
        ANGRY["turns"][0],
        dict(ANGRY["turns"][1], lint={"ignore": ["email-when-call-needed", "DL110"]}),
    ]
    assert [f.code for f in dl.lint(dict(ANGRY, turns=turns))] == ["DL106", "DL103"]


def test_unsupported_language_is_a_notice_not_a_silent_pass() -> None:
    linter = dl.Linter()
    results = linter.results(
        {"language": "sv", "turns": [{"speaker": "agent", "text": "Lugna dig."}]}
    )
    assert [type(r) for r in results] == [Notice]
    assert results[0].code == "DL001" and "not supported" in results[0].message


def test_missing_timestamps_are_a_notice_for_the_timing_check() -> None:
    results = dl.Linter(language="en").results(ANGRY)
    notices = [r for r in results if isinstance(r, Notice)]
    assert [(n.rule, n.code) for n in notices] == [("interruption", "DL101")]
    assert all(isinstance(r, Finding) for r in results if r not in notices)


def test_customer_turns_are_never_judged() -> None:
    data = {
        "turns": [
            {"speaker": "customer", "text": "Calm down? I guarantee I'm calm. Rules are rules."}
        ]
    }
    assert dl.lint(data, language="en") == []
