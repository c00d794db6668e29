"""Every citation resolves: the document exists, the lines exist, the key phrase is there."""

from __future__ import annotations

from pathlib import Path

import pytest

from deescalate_lint.resources import read_toml, shipped_rules_dir
from deescalate_lint.rulepack import load_rules

CITATIONS = [(rule.slug, c) for rule in load_rules() for c in rule.citations]


@pytest.mark.parametrize(
    ("slug", "citation"), CITATIONS, ids=lambda x: x if isinstance(x, str) else ""
)
def test_citation_resolves(guidance_dir: Path, slug: str, citation: object) -> None:
    from deescalate_lint.model import Citation

    assert isinstance(citation, Citation)
    path = guidance_dir / f"{citation.document}.txt"
    assert path.is_file(), f"{slug}: no guidance document {citation.document}"
    lines = path.read_text(encoding="utf-8").splitlines()
    first, last = citation.lines
    assert 1 <= first <= last <= len(lines), f"{slug}: lines {first}-{last} outside the document"
    passage = "\n".join(lines[first - 1 : last])
    assert citation.key_phrase in passage, f"{slug}: key phrase not in lines {first}-{last}"
    assert citation.section in "\n".join(lines[:last]), f"{slug}: section heading not found"
    # A key phrase is a short quote, never a copied sentence.
    assert len(citation.key_phrase) <= 60


def test_source_titles_match_the_documents(guidance_dir: Path) -> None:
    sources = read_toml(shipped_rules_dir() / "sources.toml")
    for document, data in sources.items():
        text = (guidance_dir / f"{document}.txt").read_text(encoding="utf-8")
        assert data["title"] in text


def test_every_rule_cites_at_least_one_passage() -> None:
    for rule in load_rules():
        assert rule.citations, rule.slug
