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
    packs = sorted({code for rule in linter.rules for code in rule.packs.built})
    profiles = shipped_languages().profiles.values()
    concepts = sorted(p.code for p in profiles if p.concepts._lists is not None)
    cues = sorted(p.code for p in profiles if p.cues.built)
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


#: In a fresh process (where no other test has read German yet): pickle a linter
#: that has read English only, and lint German with the copy.
_PICKLED = textwrap.dedent(
    """
    import json, pickle
    import deescalate_lint as dl

    linter = dl.Linter()
    text = "Agent: We guarantee the courier will be there by noon, no doubt about it."
    before = linter.lint(text, language="en")
    copy = pickle.loads(pickle.dumps(linter))
    unread = all("de" not in rule.packs.built for rule in copy.rules)
    same = copy.lint(text, language="en") == before
    german = copy.lint("Agent: Ich garantiere Ihnen, das Paket kommt morgen.", language="de")
    read = any("de" in rule.packs.built for rule in copy.rules)
    print(json.dumps([unread, same, [f.rule for f in german], read]))
    """
)


def test_a_linter_with_lazy_packs_survives_pickling() -> None:
    """``--jobs`` sends the linter to its workers as a pickle: the copy reads a
    language the original had not read yet."""
    done = subprocess.run(
        [sys.executable, "-c", _PICKLED], capture_output=True, text=True, check=True
    )
    unread, same, german, read = json.loads(done.stdout)
    assert unread and same and read
    assert german


def test_cue_groups_are_every_cue_whether_compiled_or_not() -> None:
    """The tests that check every shipped pattern iterate ``profile.cues``: the lazy
    mapping must give them every group, as the dict it replaced did."""
    from deescalate_lint.languages import _CUE_GROUPS, load_profile

    path = shipped_rules_dir() / "languages" / "fi.toml"
    cues = load_profile(path, {}).cues
    assert not cues.built and len(cues) == len(_CUE_GROUPS) and "terminators" in cues
    assert list(cues) == list(_CUE_GROUPS) and not cues.built  # names compile nothing
    assert [name for name, _ in cues.items()] == list(_CUE_GROUPS)
    assert set(cues.built) == set(_CUE_GROUPS)
    assert cues.get("negation_before") is cues["negation_before"]
    assert cues.get("nothing") is None and "nothing" not in cues


def test_a_user_packs_first_broken_file_is_the_error(tmp_path: Path) -> None:
    """A user's language files are checked in name order, as before they were read
    lazily: a broken de.toml is reported before an unknown xx.toml."""
    shipped = shipped_rules_dir() / "no-recap"
    folder = tmp_path / "no-recap-copy"
    folder.mkdir()
    rule = (shipped / "rule.toml").read_text(encoding="utf-8")
    (folder / "rule.toml").write_text(
        rule.replace('slug = "no-recap"', 'slug = "no-recap-copy"').replace(
            'code = "DL110"', 'code = "DL990"'
        ),
        encoding="utf-8",
    )
    (folder / "de.toml").write_text('surprise = "key"\n', encoding="utf-8")
    (folder / "xx.toml").write_text((shipped / "en.toml").read_text(encoding="utf-8"))
    with pytest.raises(RulePackError) as raised:
        load_rule(folder, shipped_languages())
    assert "de.toml" in str(raised.value) and "unknown key" in str(raised.value)


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
