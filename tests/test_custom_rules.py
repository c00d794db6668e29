"""User rule packs (``--rules DIR``, ``Linter(rule_dirs=...)``) are data that cannot take over.

Loading a pack never runs code, whatever files sit beside its TOML; a bad
pack is one clean error naming the file; and a pattern that backtracks
catastrophically becomes a rule-error notice naming the rule (and switches
that rule off for the rest of the run) instead of a hang.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
from cli_run import run_cli
from user_packs import make_pack

import deescalate_lint as dl
from deescalate_lint.engine import NOTICE_RULE_ERROR
from deescalate_lint.errors import RulePackError
from deescalate_lint.model import Finding, Notice
from deescalate_lint.patterns import match_budget

#: Nested quantifiers with no literal to anchor on: exponential on "ab ab ... !".
#: The back-reference keeps the prefilter from deciding it (RE2 has none), so
#: ``regex`` itself runs and the time limit is what stops it; a pattern RE2 can
#: decide exactly, such as ``(\w+\s?)+$``, is never handed to ``regex`` here.
CATASTROPHIC = r"(?P<w>\w+\s?)+(?P=w)$"


def test_a_user_pack_adds_a_rule(tmp_path: Path) -> None:
    make_pack(tmp_path, "no-bananas", "CUST1", ["bananas"])
    found = dl.Linter(rule_dirs=[tmp_path], select=["CUST1"]).lint(
        "Agent: We only have bananas today.", language="en"
    )
    assert [(f.code, f.evidence) for f in found] == [("CUST1", "bananas")]


def test_loading_a_pack_never_runs_code(tmp_path: Path) -> None:
    marker = tmp_path / "executed"
    payload = f"open({str(marker)!r}, 'w').write('pwned')\n"
    yaml_payload = f"!!python/object/apply:os.system ['touch {marker}']\n"
    packs = tmp_path / "packs"
    make_pack(
        packs,
        "sneaky",
        "CUST2",
        ["bananas"],
        extra_files={
            "__init__.py": payload,
            "rule.py": payload,
            "conftest.py": payload,
            "setup.py": payload,
            "rule.yaml": yaml_payload,
            "en.yml": yaml_payload,
        },
    )
    (packs / "__init__.py").write_text(payload, encoding="utf-8")
    (packs / "plugin.py").write_text(payload, encoding="utf-8")

    linter = dl.Linter(rule_dirs=[packs])
    found = linter.lint("Agent: bananas, again.", language="en")
    run = run_cli(
        ["-", "--rules", str(packs), "--language", "en"], tmp_path, stdin="Agent: bananas, again."
    )
    assert not marker.exists()
    assert [f.code for f in found] == ["CUST2"]
    assert run.returncode == 1 and "CUST2" in run.stdout and not run.stderr
    assert "sneaky" in {rule.slug for rule in linter.rules}


def test_a_yaml_tag_inside_the_toml_is_only_text(tmp_path: Path) -> None:
    marker = tmp_path / "executed"
    folder = make_pack(tmp_path / "packs", "tagged", "CUST3", ["bananas"])
    rule = folder / "rule.toml"
    rule.write_text(
        rule.read_text(encoding="utf-8").replace(
            'message = "Custom check."',
            f"message = \"!!python/object/apply:os.system ['touch {marker}']\"",
        ),
        encoding="utf-8",
    )
    found = dl.Linter(rule_dirs=[tmp_path / "packs"], select=["CUST3"]).lint(
        "Agent: bananas", language="en"
    )
    assert not marker.exists()
    assert found and found[0].message.startswith("!!python/object/apply")


@pytest.mark.parametrize(
    ("broken", "says"),
    [
        ("rule.toml", "invalid TOML"),
        ("pattern", "does not compile"),
        ("language", "no language profile"),
        ("code", "already defined"),
        ("no gloss", "a citation needs exactly: document, gloss, key_phrase, lines, section"),
        ("empty gloss", "gloss must be one non-empty line"),
    ],
)
def test_a_broken_pack_is_one_clean_error(tmp_path: Path, broken: str, says: str) -> None:
    packs = tmp_path / "packs"
    folder = make_pack(
        packs,
        "broken",
        "DL102" if broken == "code" else "CUST4",
        ["bananas(" if broken == "pattern" else "x"],
    )
    if broken == "rule.toml":
        (folder / "rule.toml").write_text("code = [unclosed", encoding="utf-8")
    if broken == "language":
        (folder / "en.toml").rename(folder / "klingon.toml")
    if broken.endswith("gloss"):
        rule = folder / "rule.toml"
        text = rule.read_text(encoding="utf-8")
        gloss = next(line for line in text.splitlines() if line.startswith("gloss = "))
        rule.write_text(
            text.replace(gloss, 'gloss = "  "' if broken == "empty gloss" else ""),
            encoding="utf-8",
        )
    with pytest.raises(RulePackError) as raised:
        dl.Linter(rule_dirs=[packs])  # found when the linter is built, not mid-batch
    assert says in str(raised.value) and str(folder) in str(raised.value)

    good = tmp_path / "good.txt"
    good.write_text("Agent: Calm down.", encoding="utf-8")
    run = run_cli([str(good), "--rules", str(packs)])
    err = run.stderr
    assert run.returncode == 2 and "Traceback" not in err
    assert len(err.strip().splitlines()) == 1 and err.startswith("error: ") and says in err


def _catastrophic_text(size: int) -> str:
    unit = "ab "
    return unit * (size // len(unit)) + "!"


def test_a_catastrophic_pattern_on_1_mb_times_out_names_the_rule_and_is_switched_off(
    tmp_path: Path,
) -> None:
    make_pack(tmp_path, "slow-rule", "CUST5", [CATASTROPHIC])
    linter = dl.Linter(rule_dirs=[tmp_path])
    text = _catastrophic_text(1024 * 1024) + " Calm down."
    transcript = {"id": "big", "language": "en", "turns": [{"speaker": "agent", "text": text}]}

    started = time.perf_counter()
    results = linter.results(transcript)
    first = time.perf_counter() - started

    errors = [r for r in results if isinstance(r, Notice) and r.code == NOTICE_RULE_ERROR]
    assert [r.rule for r in errors] == ["slow-rule"]
    assert "slow-rule" in errors[0].message and "timed out" in errors[0].message
    assert "disabled for the rest of this run" in errors[0].message
    # The shipped rules still ran on the same text.
    assert [f.evidence for f in results if isinstance(f, Finding)] == ["Calm down"]
    # It gave up at its budget (plus the shipped rules' work), not after minutes.
    assert first < 20 * match_budget(len(text))

    # The next transcript does not pay the time limit again: the rule is off, and says so.
    later = linter.results(
        {"id": "next", "language": "en", "turns": [{"speaker": "agent", "text": text}]}
    )
    notes = [r for r in later if isinstance(r, Notice) and r.code == NOTICE_RULE_ERROR]
    assert [r.rule for r in notes] == ["slow-rule"] and "disabled earlier in this run" in notes[
        0
    ].message
    assert "slow-rule" in linter.disabled


def test_a_catastrophic_pattern_through_the_cli(tmp_path: Path) -> None:
    packs = tmp_path / "packs"
    make_pack(packs, "slow-rule", "CUST6", [CATASTROPHIC])
    inputs = tmp_path / "in"
    inputs.mkdir()
    for name in ("a", "b"):
        record = {
            "id": name,
            "language": "en",
            "turns": [{"speaker": "agent", "text": _catastrophic_text(100_000)}],
        }
        (inputs / f"{name}.json").write_text(json.dumps(record), encoding="utf-8")
    run = run_cli([str(inputs), "--rules", str(packs), "--format", "jsonl"], timeout=300)
    assert run.returncode == 0 and not run.stderr, run.stderr
    notices = [json.loads(line) for line in run.stdout.splitlines()]
    errors = [n for n in notices if n["code"] == NOTICE_RULE_ERROR]
    assert [(n["transcript"], n["rule"]) for n in errors] == [
        ("a", "slow-rule"),
        ("b", "slow-rule"),
    ]
    assert "timed out" in errors[0]["message"] and "disabled earlier" in errors[1]["message"]
