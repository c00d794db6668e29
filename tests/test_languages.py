"""Languages are declared units: complete for every rule, and addable from data alone."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest
from cli_run import run_cli

import deescalate_lint as dl
from deescalate_lint.escalation import EscalationDetector, detector_dir
from deescalate_lint.languages import profile, supported_languages
from deescalate_lint.rulepack import load_rules

#: A code reserved for local use by ISO 639-2 (qaa-qtz): never a shipped language.
MADE_UP = "qaa"
#: Another reserved code, used where a language must be unknown to the linter.
UNSUPPORTED = "qtz"


def test_the_reserved_codes_are_not_shipped() -> None:
    assert MADE_UP not in supported_languages()
    assert UNSUPPORTED not in supported_languages()


@pytest.mark.parametrize("rule", load_rules(), ids=lambda r: r.slug)
def test_every_rule_covers_or_skips_every_language(rule: dl.Rule) -> None:  # type: ignore[name-defined]
    """Deleting a rule's language file must fail here, not pass silently."""
    for code in supported_languages():
        assert code in rule.packs or code in rule.skip_languages, (
            f"{rule.slug} has no {code}.toml and does not list {code!r} in skip_languages"
        )


@pytest.mark.parametrize("code", supported_languages())
def test_the_escalation_detector_covers_or_skips_every_language(code: str) -> None:
    detector = EscalationDetector.default()
    if code in detector.skip_languages:
        return
    assert (detector_dir() / f"{code}.toml").is_file(), f"no detector examples for {code}"
    assert detector.missing_concepts(profile(code)) == [], code


@pytest.mark.parametrize("code", supported_languages())
def test_every_language_file_declares_its_parts(code: str) -> None:
    lang = profile(code)
    assert lang.name and lang.name != code
    assert lang.quotes, f"{code}: no quotation marks"
    assert lang.roles, f"{code}: no speaker labels"
    assert lang.spacy


def test_finnish_typographic_quotes_are_someone_elses_words() -> None:
    """Finnish quotes with ” on both sides; those words are not the agent's own."""
    plain = 'Sanoitte "se ei ole minun vikani", ja ymmärrän miksi.'
    curly = "Sanoitte ”se ei ole minun vikani”, ja ymmärrän miksi."
    linter = dl.Linter(select=["defensive-phrasing"], language="fi")
    assert linter.lint(f"Agent: {plain}") == []
    assert linter.lint(f"Agent: {curly}") == []
    assert linter.lint("Agent: Se ei ole minun vikani.")  # the same words, unquoted


def _made_up_language(root: Path) -> None:
    """A complete language and a rule for it, written as data only."""
    (root / "languages").mkdir(parents=True)
    (root / "languages" / f"{MADE_UP}.toml").write_text(
        textwrap.dedent(
            """
            name = "Testish"
            script = "Latin"
            word_boundaries = true
            ignore_case = true

            [scope]
            window = 4
            negation_before = ["nix"]
            hedge_before = ["mabe"]
            terminators = ["buto", ","]

            [detection]
            stopwords = ["zo", "ka", "lem", "vu", "ta", "mi"]

            [tokeniser]
            spacy = "xx"

            [quotes]
            pairs = [["\u27ea", "\u27eb"]]

            [roles]
            agent = ["helpo"]
            customer = ["kliento"]
            """
        ),
        encoding="utf-8",
    )
    (root / "concepts").mkdir()
    (root / "concepts" / f"{MADE_UP}.toml").write_text(
        '[concepts]\nhurry = ["kvik kvik", "nun tuj"]\nyou = ["vu", "vi"]\n', encoding="utf-8"
    )
    rule = root / "hurry-up"
    rule.mkdir()
    (rule / "rule.toml").write_text(
        textwrap.dedent(
            """
            code = "X901"
            slug = "hurry-up"
            logic = "phrase"
            message = "Rushes the customer."
            suggestion = "Give them time."
            vetoes = ["negation", "hedge"]

            [[citations]]
            document = "003_1ad06c1c074282d4"
            section = "anna asiakkaasi puhua"
            lines = [39, 41]
            key_phrase = "Anna heidän suorittaa ensin"
            gloss = "Let upset customers finish what they have to say before you answer."
            """
        ),
        encoding="utf-8",
    )
    (rule / f"{MADE_UP}.toml").write_text(
        textwrap.dedent(
            """
            [patterns]
            trigger = [{ near = ["{{you}}", "{{hurry}}"], within = 3 }]

            [examples]
            should_flag = ["Zo ka [[vu lem kvik kvik]] ta."]
            should_not_flag = [
                "Zo ka vu nix kvik kvik ta.",
                "Zo ka mi sagis ⟪vu kvik kvik⟫ ta.",
                "Vu zo ka lem ta mi ka lem kvik kvik.",
            ]
            """
        ),
        encoding="utf-8",
    )


def test_a_made_up_language_from_data_files_alone(tmp_path: Path) -> None:
    """No Python change: a language file, its concepts and a rule pack in a folder."""
    root = tmp_path / "packs"
    _made_up_language(root)
    linter = dl.Linter(rule_dirs=[root], select=["hurry-up"])
    assert MADE_UP in linter.languages
    rule = next(r for r in linter.rules if r.slug == "hurry-up")
    assert rule.languages == (MADE_UP,)
    # Detected from its function words, speakers from its own labels, quotes,
    # negation and the near pattern from its files.
    transcript = {
        "turns": [
            {"speaker": "kliento", "text": "Zo ka mi lem ta, zo ka vu?"},
            {"speaker": "helpo", "text": "Zo ka vu lem kvik kvik ta."},
            {"speaker": "helpo", "text": "Zo ka vu nix kvik kvik ta."},
            {"speaker": "helpo", "text": "Zo ka mi sagis ⟪vu kvik kvik⟫ ta."},
        ]
    }
    findings = linter.lint(transcript)
    assert [(f.turn, f.evidence, f.language) for f in findings] == [
        (1, "vu lem kvik kvik", MADE_UP)
    ]
    # End to end through the CLI as well.
    path = tmp_path / "call.json"
    path.write_text(json.dumps(transcript), encoding="utf-8")
    result = run_cli(
        [str(path), "--rules", str(root), "--select", "hurry-up", "--format", "json"], cwd=tmp_path
    )
    assert result.returncode == 1, result.stderr
    (finding,) = [r for r in json.loads(result.stdout) if r["kind"] == "finding"]
    assert finding["evidence"] == "vu lem kvik kvik"


def test_a_rule_pack_naming_an_unknown_concept_is_a_load_error(tmp_path: Path) -> None:
    root = tmp_path / "packs"
    _made_up_language(root)
    pack = root / "hurry-up" / f"{MADE_UP}.toml"
    pack.write_text(pack.read_text(encoding="utf-8").replace("{{hurry}}", "{{hury}}"))
    with pytest.raises(dl.RulePackError, match=r"unknown concept \{\{hury\}\}"):
        dl.Linter(rule_dirs=[root])


def test_an_unsupported_language_is_a_notice() -> None:
    results = dl.Linter().results("Agent: Calm down.", language=UNSUPPORTED)
    assert [r.code for r in results] == ["DL001"]
    assert UNSUPPORTED in results[0].message


def test_a_concept_entry_keeps_its_attributes_when_a_rule_uses_the_concept_whole() -> None:
    """``{ match = ..., vetoes = [] }`` in a concept list: a jibe whose negation
    is the point ("shouting won't make it faster") is not vetoed by it in any
    rule that uses the concept as ``{{name}}`` (the ko tuner's report)."""
    from types import SimpleNamespace

    from deescalate_lint.concepts import expand_specs
    from deescalate_lint.patterns import PatternSpec

    lang = SimpleNamespace(
        code="xx",
        concepts={"retort": ["plain", {"match": "won't make it faster", "vetoes": []}]},
    )
    rule_entry = PatternSpec("trigger[0]", "{{retort}}", {"kind": "retort"})
    specs = expand_specs("<test>", [rule_entry], lang)  # type: ignore[arg-type]
    assert [(s.source, s.attrs) for s in specs] == [
        ("plain", {"kind": "retort"}),
        ("won't make it faster", {"kind": "retort", "vetoes": []}),
    ]


def test_a_family_of_families_splits_down_to_its_entries_with_the_same_hits() -> None:
    """``transfer = ["{{transfer_act}}", "{{transfer_claim}}"]`` used whole: one
    pattern per entry of each inner list, in order (each with its own literals
    and prefilter), and the same hits as the one alternation they replace."""
    from types import SimpleNamespace

    from deescalate_lint.concepts import expand, expand_specs
    from deescalate_lint.patterns import PatternGroup, PatternSpec

    lang = SimpleNamespace(
        code="xx",
        concepts={
            "transfer": ["{{act}}", "{{claim}}", "not my (?:job|department)"],
            "act": ["I'll transfer you", {"match": "call (?:them|billing)", "weight": 2}],
            "claim": ["that's (?:a )?billing(?: issue)?", "that's a {{team}} matter"],
            "team": ["billing", "claims"],
        },
    )
    rule_entry = PatternSpec("trigger[0]", "{{transfer}}", {"kind": "transfer"})
    specs = expand_specs("<test>", [rule_entry], lang)  # type: ignore[arg-type]
    assert [(s.source, s.attrs) for s in specs] == [
        ("I'll transfer you", {"kind": "transfer"}),
        ("call (?:them|billing)", {"kind": "transfer", "weight": 2}),
        ("that's (?:a )?billing(?: issue)?", {"kind": "transfer"}),
        ("that's a (?:billing|claims) matter", {"kind": "transfer"}),
        ("not my (?:job|department)", {"kind": "transfer"}),
    ]
    whole = PatternSpec("w", expand("<test>", "{{transfer}}", lang), {})  # type: ignore[arg-type]
    split = PatternGroup.build("<split>", specs, True, True)
    one = PatternGroup.build("<one>", [whole], True, True)
    for text in (
        "That's a billing issue, call billing. I'll transfer you, not my job!",
        "that's a claims matter... that's billing",
        "Call them? NOT MY DEPARTMENT. I'll transfer you to billing.",
    ):
        assert [(h.start, h.end) for h in split.finditer(text)] == [
            (h.start, h.end) for h in one.finditer(text)
        ]
