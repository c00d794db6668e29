"""``lint-transcript check-pack DIR``: a pack's examples and citations, as LanguageTool checks."""

from __future__ import annotations

import textwrap
from pathlib import Path

from cli_run import run_cli

from deescalate_lint import rulepack

PLAYBOOK = """\
Acme service playbook

Sisällys

Hold and transfer

Never put a caller on hold without asking first and saying how long it will take. \
A caller parked in silence assumes they have been forgotten, \
and an upset caller takes it as being brushed off.

Promises

Only promise what you can deliver yourself. \
Couriers, engineers and other departments set their own dates, \
so give honest ranges for what they do and firm times only for what you do.
"""


def _pack(root: Path, flag_example: str, citation: str) -> Path:
    rule = root / "ask-before-hold"
    rule.mkdir(parents=True)
    (rule / "rule.toml").write_text(
        textwrap.dedent(
            f"""
            code = "ACME1"
            slug = "ask-before-hold"
            logic = "phrase"
            message = "Puts the caller on hold without asking."
            suggestion = "Ask first and say how long."

            [[citations]]
            {citation}
            """
        ),
        encoding="utf-8",
    )
    (rule / "en.toml").write_text(
        textwrap.dedent(
            f"""
            [patterns]
            trigger = ["(?:please )?hold the line"]

            [examples]
            should_flag = ["{flag_example}"]
            should_not_flag = ["May I put you on hold for two minutes?"]
            """
        ),
        encoding="utf-8",
    )
    (root / "sources").mkdir()
    (root / "sources" / "acme-playbook.txt").write_text(PLAYBOOK, encoding="utf-8")
    (root / "sources.toml").write_text(
        '[acme-playbook]\ntitle = "Acme service playbook"\n', encoding="utf-8"
    )
    return root


GOOD_CITATION = """\
document = "acme-playbook"
section = "Hold and transfer"
lines = [7, 7]
key_phrase = "without asking first"
gloss = "Ask before a hold and say how long it will take."
"""


def test_a_pack_citing_its_own_playbook_passes(tmp_path: Path) -> None:
    root = _pack(tmp_path / "pack", "[[Hold the line]].", GOOD_CITATION)
    run = run_cli(["check-pack", str(root)], cwd=tmp_path)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "1 rule(s), 2 example(s), 1 citation(s): no problem(s)" in run.stdout
    # The same pack lints, and the finding cites the playbook.
    (tmp_path / "call.txt").write_text("Agent: Hold the line.\n", encoding="utf-8")
    lint = run_cli(
        ["call.txt", "--rules", str(root), "--select", "ACME1", "--format", "json"], cwd=tmp_path
    )
    assert lint.returncode == 1 and '"document": "acme-playbook"' in lint.stdout


def test_a_broken_example_is_named_and_exits_1(tmp_path: Path) -> None:
    root = _pack(tmp_path / "pack", "Please [[wait a moment]].", GOOD_CITATION)
    run = run_cli(["check-pack", str(root)], cwd=tmp_path)
    assert run.returncode == 1, run.stdout + run.stderr
    assert "en.toml: should_flag[0]: expected ['wait a moment'], got []" in run.stdout
    assert "1 problem(s)" in run.stdout


def test_a_wrong_playbook_citation_is_a_load_error(tmp_path: Path) -> None:
    wrong = GOOD_CITATION.replace('key_phrase = "without asking first"', 'key_phrase = "deliver"')
    root = _pack(tmp_path / "pack", "[[Hold the line]].", wrong)
    run = run_cli(["check-pack", str(root)], cwd=tmp_path)
    assert run.returncode == 2, run.stdout + run.stderr
    assert "citation of acme-playbook lines [7, 7]" in run.stderr
    assert "key phrase 'deliver' is not in lines 7-7" in run.stderr


def test_a_shipped_pack_passes_against_the_guidance(guidance_dir: Path) -> None:
    """One shipped folder end to end, as its author would check it. Every shipped
    example and citation is checked by ``test_rule_examples.py`` and
    ``test_citations.py`` with the same functions; running all of them again
    through the CLI (``check-pack rules``) took 95 s of CI."""
    repo = Path(__file__).resolve().parent.parent
    run = run_cli(["check-pack", "rules/joking", "--guidance", str(guidance_dir)], cwd=repo)
    assert run.returncode == 0, run.stdout[-2000:] + run.stderr
    summary = run.stdout.strip().splitlines()[-1]
    assert summary.startswith("1 rule(s), ") and summary.endswith(": no problem(s)"), summary
    examples = int(summary.split(", ")[1].split()[0])
    joking = rulepack.load_rule(repo / "rules" / "joking")
    packs = joking.packs.values()
    assert examples == sum(len(p.should_flag) + len(p.should_not_flag) for p in packs)
