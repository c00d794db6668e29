"""A run reads only the languages of its inputs (issue #14, cold start).

The shipped rule packs, concept lists and scope cues of a language are read
and compiled on first use; a user's folder is still read whole when the
linter is built, so its mistakes stop the run before the first input.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

import deescalate_lint as dl
from deescalate_lint.errors import RulePackError
from deescalate_lint.languages import shipped_languages
from deescalate_lint.resources import shipped_rules_dir
from deescalate_lint.rulepack import load_rule, rule_directories

#: In a fresh process: lint an English template, then say which languages'
#: packs, concept lists and scope cues were read.
_PROBE = textwrap.dedent(
    """
    import json, sys
    import deescalate_lint as dl
    from deescalate_lint.languages import shipped_languages

    linter = dl.Linter()
    linter.lint(sys.argv[1], language=sys.argv[2])
    packs = sorted({code for rule in linter.rules for code in rule.packs._read})
    profiles = shipped_languages().profiles.values()
    concepts = sorted(p.code for p in profiles if p.concepts._lists is not None)
    cues = sorted(p.code for p in profiles if len(p.cues))
    print(json.dumps({"packs": packs, "concepts": concepts, "cues": cues}))
    """
)


def _read_in_fresh_process(text: str, language: str) -> dict[str, list[str]]:
    done = subprocess.run(
        [sys.executable, "-c", _PROBE, text, language],
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(done.stdout)  # type: ignore[no-any-return]


def test_an_english_template_reads_only_english() -> None:
    text = (
        "Hi Sam, I'm sorry about the delay. We guarantee it will arrive tomorrow. "
        "Please email us if anything changes."
    )
    read = _read_in_fresh_process(text, "en")
    assert read == {"packs": ["en"], "concepts": ["en"], "cues": ["en"]}


def test_a_korean_reply_reads_only_korean() -> None:
    text = "불편을 드려 정말 죄송합니다. 내일 꼭 도착하도록 약속드립니다."
    read = _read_in_fresh_process(text, "ko")
    assert read == {"packs": ["ko"], "concepts": ["ko"], "cues": ["ko"]}


@pytest.mark.parametrize("directory", rule_directories([shipped_rules_dir()]), ids=lambda d: d.name)
def test_each_lazily_read_pack_is_the_pack_read_at_once(directory: Path) -> None:
    languages = shipped_languages()
    lazy = load_rule(directory, languages, lazy=True)
    eager = load_rule(directory, languages)
    assert lazy.languages == eager.languages
    assert len(lazy.packs) == len(eager.packs) and set(lazy.packs) == set(eager.packs)
    for code in eager.packs:
        assert code in lazy.packs
        assert lazy.packs[code] == eager.packs[code]
    assert "xx" not in lazy.packs
    with pytest.raises(KeyError):
        lazy.packs["xx"]


def test_a_linter_with_lazy_packs_survives_pickling() -> None:
    """``--jobs`` sends the linter to its workers as a pickle."""
    import pickle

    linter = dl.Linter()
    text = "Agent: We guarantee the courier will be there by noon, no doubt about it."
    before = linter.lint(text, language="en")
    copy = pickle.loads(pickle.dumps(linter))
    assert copy.lint(text, language="en") == before
    assert copy.lint("Agent: Ich garantiere Ihnen, das Paket kommt morgen.", language="de")


def _user_language(root: Path, negation: str) -> None:
    (root / "languages").mkdir(parents=True)
    (root / "languages" / "xq.toml").write_text(
        textwrap.dedent(
            f"""
            name = "Testish"
            script = "Latin"

            [scope]
            negation_before = [{json.dumps(negation)}]

            [detection]
            stopwords = ["zo", "ka", "lem"]

            [tokeniser]
            spacy = "xx"
            """
        ),
        encoding="utf-8",
    )


def test_a_user_languages_broken_cue_stops_the_linter_at_once(tmp_path: Path) -> None:
    root = tmp_path / "packs"
    _user_language(root, "nix(")
    with pytest.raises(RulePackError) as raised:
        dl.Linter(rule_dirs=[root])
    assert "xq.toml" in str(raised.value) and "negation_before" in str(raised.value)


def test_a_user_language_with_good_cues_loads(tmp_path: Path) -> None:
    root = tmp_path / "packs"
    _user_language(root, "nix")
    assert "xq" in dl.Linter(rule_dirs=[root]).languages


def test_a_user_concept_defined_twice_stops_the_linter_at_once(tmp_path: Path) -> None:
    root = tmp_path / "packs"
    (root / "concepts").mkdir(parents=True)
    name = next(iter(shipped_languages().profile("en").concepts))
    (root / "concepts" / "en.toml").write_text(
        f'[concepts]\n{name} = ["bananas"]\n', encoding="utf-8"
    )
    with pytest.raises(RulePackError) as raised:
        dl.Linter(rule_dirs=[root])
    assert f"concept {name!r} is already defined in" in str(raised.value)
    assert str(root / "concepts" / "en.toml") in str(raised.value)
