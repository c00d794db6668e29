"""A sequence trigger marked ``fallback = true`` (docs/rule-packs.md): quoted only
in a turn with no other act, whichever way the pattern is written."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from user_packs import make_pack

import deescalate_lint as dl

UPSET = "This is RIDICULOUS!! Nobody helps me!!"


def _pack(root: Path, goodbye: str, evidence: str) -> Path:
    language_file = textwrap.dedent(
        f"""\
        [patterns]
        trigger = [
            {{ kind = "transfer", match = "call billing" }},
            {{ kind = "end", match = "end (?:the|this) call" }},
            {goodbye},
        ]

        [examples]
        should_flag = ['''
        customer: {UPSET}
        agent: I'll [[end the call]] now, have a good day.
        ''']
        should_not_flag = ["Thanks for calling."]
        """
    )
    make_pack(
        root,
        "goodbye",
        "DL991",
        [],
        extra_files={"en.toml": language_file},
        logic="sequence",
        options=f'evidence = "{evidence}"',
    )
    return root


#: The same goodbye as a ``match`` pattern and as a co-occurrence (``near``) table.
GOODBYES = [
    '{ kind = "end", match = "have a good day", fallback = true }',
    '{ kind = "end", near = ["have a", "day"], within = 2, fallback = true }',
]


@pytest.mark.parametrize("goodbye", GOODBYES)
@pytest.mark.parametrize(
    ("evidence", "agent", "quoted"),
    [
        ("first", "I'll end the call now, have a good day.", "end the call"),
        ("last", "I'll end the call now, have a good day.", "end the call"),
        # Every act a fallback: the goodbye is the evidence.
        ("first", "Okay, have a good day.", "have a good day"),
        ("last", "Okay, have a good day.", "have a good day"),
        # Several other acts: ``evidence`` chooses among them, never the goodbye.
        ("first", "Call billing, I'll end the call now, have a good day.", "Call billing"),
        ("last", "Call billing, I'll end the call now, have a good day.", "end the call"),
    ],
)
def test_a_fallback_act_is_quoted_only_when_the_turn_has_no_other(
    tmp_path: Path, goodbye: str, evidence: str, agent: str, quoted: str
) -> None:
    """Found by a cold review: a ``near`` table with ``fallback = true`` was a load
    error ("unknown key(s) fallback"), though the docs say any trigger may carry it."""
    linter = dl.Linter(rule_dirs=[_pack(tmp_path, goodbye, evidence)], select=["goodbye"])
    turns = [{"speaker": "customer", "text": UPSET}, {"speaker": "agent", "text": agent}]
    findings = linter.lint({"id": "fallback", "language": "en", "turns": turns})
    assert [f.evidence for f in findings] == [quoted]


@pytest.mark.parametrize("key", ["fallback", "weight", "renews", "kind", "note"])
def test_a_co_occurrence_table_takes_the_documented_pattern_attributes(key: str) -> None:
    """docs/rule-packs.md names these for any pattern; a ``near`` table is one."""
    from deescalate_lint.concepts import near_source
    from deescalate_lint.languages import load_languages

    lang = load_languages().profile("en")
    table = {"near": ["goodbye", "now"], "within": 3, key: True}
    assert near_source("x.toml", "trigger[0]", table, lang)


def test_a_co_occurrence_table_still_rejects_an_unknown_key() -> None:
    from deescalate_lint.concepts import near_source
    from deescalate_lint.errors import RulePackError
    from deescalate_lint.languages import load_languages

    lang = load_languages().profile("en")
    with pytest.raises(RulePackError, match="unknown key"):
        near_source("x.toml", "trigger[0]", {"near": ["a", "b"], "fallbak": True}, lang)
