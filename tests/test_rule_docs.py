"""docs/rules/ is generated from the rule packs; a stale page fails here.

Regenerate with ``python -m deescalate_lint.docs`` after editing a rule pack.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from deescalate_lint.docs import default_out_dir, pages, stale_pages
from deescalate_lint.rulepack import load_rules

REPO = Path(__file__).resolve().parent.parent
DOCS = REPO / "docs" / "rules"
RULES = load_rules()


def test_the_default_output_is_the_checkouts_docs_rules() -> None:
    assert default_out_dir() == DOCS


def test_generated_pages_are_up_to_date() -> None:
    stale = stale_pages(DOCS, pages())
    assert not stale, f"stale rule docs {stale}: run `python -m deescalate_lint.docs`"


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.slug)
def test_every_rule_page_says_everything(rule: object) -> None:
    from deescalate_lint.rulepack import Rule

    assert isinstance(rule, Rule)
    page = (DOCS / f"{rule.slug}.md").read_text(encoding="utf-8")
    assert page.startswith(f"# {rule.slug} ({rule.code})")
    assert rule.suggestion in page
    assert " ".join(rule.why.split()) in page
    for key in rule.options:
        assert f"`{key}`" in page
    for citation in rule.citations:
        assert citation.key_phrase in page and citation.section in page
        assert citation.gloss in page
    for language, pack in rule.packs.items():
        assert f"(`{language}`)" in page
        for example in (*pack.should_flag, *pack.should_not_flag):
            for line in example.strip().splitlines():
                assert line.strip() in page


def test_index_lists_every_rule() -> None:
    index = (DOCS / "README.md").read_text(encoding="utf-8")
    for rule in RULES:
        assert f"[{rule.slug}]({rule.slug}.md)" in index
    assert "[unused-suppression](unused-suppression.md)" in index


def test_check_mode_detects_and_write_mode_fixes_a_stale_page(tmp_path: Path) -> None:
    command = [sys.executable, "-m", "deescalate_lint.docs", "--out", str(tmp_path)]
    assert subprocess.run(command, capture_output=True, timeout=120).returncode == 0
    assert subprocess.run([*command, "--check"], capture_output=True, timeout=120).returncode == 0
    page = tmp_path / f"{RULES[0].slug}.md"
    page.write_text(page.read_text(encoding="utf-8") + "hand edit\n", encoding="utf-8")
    (tmp_path / "retired-rule.md").write_text("# gone\n", encoding="utf-8")
    check = subprocess.run([*command, "--check"], capture_output=True, text=True, timeout=120)
    assert check.returncode == 1
    assert page.name in check.stdout and "retired-rule.md" in check.stdout
    assert subprocess.run(command, capture_output=True, timeout=120).returncode == 0
    assert not stale_pages(tmp_path, pages())
    assert not (tmp_path / "retired-rule.md").exists()
