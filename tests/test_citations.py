"""Every citation points at a passage that is really there, under the heading it names.

The checks are ``deescalate_lint.citations.citation_problems`` (its docstring
says how heading lines are recognised); here every shipped citation is held
to them against ``../shared/guidance``, and ``test_wrong_citations_are_caught``
proves each check on a deliberately wrong citation.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

import pytest

from deescalate_lint.citations import citation_problems, heading_lines
from deescalate_lint.model import Citation
from deescalate_lint.resources import read_toml, shipped_rules_dir
from deescalate_lint.rulepack import load_rules

CITATIONS = [(rule.slug, c) for rule in load_rules() for c in rule.citations]


def read_lines(guidance_dir: Path, document: str) -> list[str]:
    return (guidance_dir / f"{document}.txt").read_text(encoding="utf-8").splitlines()


@pytest.mark.parametrize(
    ("slug", "citation"), CITATIONS, ids=lambda x: x if isinstance(x, str) else ""
)
def test_citation_resolves(guidance_dir: Path, slug: str, citation: object) -> None:
    assert isinstance(citation, Citation)
    path = guidance_dir / f"{citation.document}.txt"
    assert path.is_file(), f"{slug}: no guidance document {citation.document}"
    problems = citation_problems(citation, read_lines(guidance_dir, citation.document))
    assert not problems, f"{slug}: {citation.document} lines {citation.lines}: {problems}"


def test_heading_lines_are_the_articles_headings(guidance_dir: Path) -> None:
    german = heading_lines(read_lines(guidance_dir, "004_5edd5e7f3c5012c5"))
    assert [german[n] for n in (5, 9, 13, 17, 21)] == ["1", "2", "3.", "4", "5"]
    finnish = heading_lines(read_lines(guidance_dir, "003_1ad06c1c074282d4"))
    assert finnish[15] == "de-eskalaatiotekniikat Asiakaspalvelussa"
    assert finnish[87] == "käytä EQ-konsepteja kokonaisasiakasvuorovaikutukseen"
    assert 21 not in finnish  # a list's lead-in ("... ovat:")
    assert 17 not in finnish  # a one-sentence paragraph that stands alone
    chinese = heading_lines(read_lines(guidance_dir, "001_f0bd0f1fe8cb8512"))
    assert chinese[32] == "让他们发泄" and 36 not in chinese  # "我犯了一次错误，只犯过一次。"
    korean = heading_lines(read_lines(guidance_dir, "002_f1c90daab90744e9"))
    assert korean[27] == "공감." and 29 not in korean


#: A correct citation, and ways to get it wrong: (what is changed, the problem expected).
GOOD = Citation(
    document="000_c07f92b760b51e7a",
    title="Miten käsitellä suullisesti loukkaavia asiakkaita",
    section="Tarjoa ratkaisu",
    lines=(29, 29),
    key_phrase="ellet ole varma",
    gloss="Offer only a solution you are sure you can deliver.",
)
WRONG: dict[str, tuple[dict[str, Any], list[str]]] = {
    "section is part of a heading": ({"section": "Tarjoa"}, ["is not a heading line"]),
    "section is paragraph text": (
        {"section": "Kun olet vahvistanut asiakkaan"},
        ["is not a heading line"],
    ),
    "section is a later heading": (
        {"section": "Tarjoa ratkaisu", "lines": (17, 17), "key_phrase": "älä keskeytä"},
        ["not the heading nearest above line 17"],
    ),
    "another heading in between": (
        {"section": "Kuuntele valitusta"},
        ["not the heading nearest above line 29 (that is 'Tarjoa ratkaisu')"],
    ),
    "lines include the heading": (
        {"lines": (27, 29)},
        ["heading line 27 ('Tarjoa ratkaisu') is inside"],
    ),
    "lines run into the next section": (
        {"section": "Korjaa ongelma uudelleen", "lines": (25, 29)},
        ["heading line 27 ('Tarjoa ratkaisu') is inside"],
    ),
    "German section 5 for step 3": (
        {
            "document": "004_5edd5e7f3c5012c5",
            "section": "5",
            "lines": (15, 15),
            "key_phrase": "Mitfühlen und entschuldigen",
        },
        ["not the heading nearest above line 15 (that is '3.')"],
    ),
    "German section 3 for 3.": (
        {
            "document": "004_5edd5e7f3c5012c5",
            "section": "3",
            "lines": (15, 15),
            "key_phrase": "Mitfühlen und entschuldigen",
        },
        ["section '3' is not a heading line"],
    ),
    "und over lines 1-27": (
        {
            "document": "004_5edd5e7f3c5012c5",
            "section": "Umgang mit schwierigen Kunden in der Dienstleistungsbranche",
            "lines": (1, 27),
            "key_phrase": "und",
        },
        ["heading line 1 (", "fewer than 4"],
    ),
    "key phrase und": (
        {
            "document": "004_5edd5e7f3c5012c5",
            "section": "5",
            "lines": (23, 23),
            "key_phrase": "und",
        },
        ["key phrase 'und' has fewer than 4 letters"],
    ),
    "key phrase one Han character": (
        {
            "document": "001_f0bd0f1fe8cb8512",
            "section": "远离电子邮件",
            "lines": (16, 16),
            "key_phrase": "邮",
        },
        ["key phrase '邮' has fewer than 2 letters"],
    ),
    "key phrase from another section": (
        {"key_phrase": "älä keskeytä"},
        ["key phrase 'älä keskeytä' is not in lines 29-29"],
    ),
    "key phrase too long": (
        {"key_phrase": "Älä tarjoa ratkaisua, ellet ole varma, että voit toimittaa sen."},
        ["key phrase is longer than 60 characters"],
    ),
    "lines past the end": ({"lines": (29, 30)}, ["lines 29-30 are outside the document"]),
    "no gloss": ({"gloss": " "}, ["no gloss"]),
    "gloss too long": ({"gloss": "Offer only what you can deliver. " * 5}, ["not one line"]),
    "gloss on two lines": ({"gloss": "Offer only\nwhat you can deliver."}, ["not one line"]),
    "gloss quotes the article": ({"gloss": "Älä tarjoa ratkaisua."}, ["not plain English"]),
}


def test_the_correct_citation_passes(guidance_dir: Path) -> None:
    assert citation_problems(GOOD, read_lines(guidance_dir, GOOD.document)) == []


@pytest.mark.parametrize("case", sorted(WRONG))
def test_wrong_citations_are_caught(guidance_dir: Path, case: str) -> None:
    changes, expected = WRONG[case]
    citation = dataclasses.replace(GOOD, **changes)
    problems = citation_problems(citation, read_lines(guidance_dir, citation.document))
    assert len(problems) == len(expected), problems
    for problem, says in zip(problems, expected, strict=True):
        assert says in problem, problems


def test_source_titles_match_the_documents(guidance_dir: Path) -> None:
    sources = read_toml(shipped_rules_dir() / "sources.toml")
    for document, data in sources.items():
        text = (guidance_dir / f"{document}.txt").read_text(encoding="utf-8")
        assert data["title"] in text


def test_every_rule_cites_at_least_one_passage() -> None:
    for rule in load_rules():
        assert rule.citations, rule.slug
