"""Configuration files, through the real CLI: discovery, every key, and every kind of mistake.

Each test writes a small project in ``tmp_path`` and runs ``python -m
deescalate_lint.cli`` there, so discovery walks up from real files.
"""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass
from pathlib import Path

import cli_run
import pytest

from deescalate_lint import ConfigError, Linter

REPO = Path(__file__).resolve().parent.parent

#: Two apologies (DL103 with the default max-per-turn = 1), a policy shield
#: (DL102) and an unrealistic promise (DL104).
BAD = """Dear {{ customer_name }},

We are so sorry for the delay. We sincerely apologise for any inconvenience.
Unfortunately it's against our policy to refund shipping costs.

I can assure you your parcel will arrive tomorrow.
"""


@dataclass(frozen=True)
class Run:
    code: int
    out: str
    err: str

    def findings(self) -> list[dict[str, object]]:
        return [r for r in json.loads(self.out) if r["kind"] == "finding"]

    def codes(self) -> list[str]:
        return sorted(str(f["code"]) for f in self.findings())


def run_cli(args: list[str], cwd: Path) -> Run:
    done = cli_run.run_cli(args, cwd)
    return Run(done.returncode, done.stdout, done.stderr)


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_pyproject_table_is_found_from_the_linted_file(tmp_path: Path) -> None:
    write(tmp_path / "pyproject.toml", '[tool.deescalate-lint]\nselect = ["over-apologising"]\n')
    write(tmp_path / "templates" / "deep" / "bad.txt", BAD)
    # Run from elsewhere: the configuration is found from the file, not the cwd.
    run = run_cli([str(tmp_path / "templates"), "--format", "json"], cwd=REPO)
    assert run.code == 1, run.err
    assert run.codes() == ["DL103"]


def test_pyproject_without_our_table_is_skipped_while_walking_up(tmp_path: Path) -> None:
    write(tmp_path / ".deescalate-lint.toml", 'ignore = ["DL104"]\n')
    write(tmp_path / "sub" / "pyproject.toml", "[tool.black]\nline-length = 88\n")
    write(tmp_path / "sub" / "bad.txt", BAD)
    run = run_cli(["sub/bad.txt", "--format", "json"], cwd=tmp_path)
    assert run.codes() == ["DL102", "DL103"]


def test_closest_config_wins_per_file_and_dotfile_beats_pyproject(tmp_path: Path) -> None:
    write(tmp_path / "pyproject.toml", '[tool.deescalate-lint]\nselect = ["DL102"]\n')
    write(tmp_path / "a" / "bad.txt", BAD)
    write(tmp_path / "b" / "bad.txt", BAD)
    write(tmp_path / "b" / "pyproject.toml", '[tool.deescalate-lint]\nselect = ["DL102"]\n')
    write(tmp_path / "b" / ".deescalate-lint.toml", 'select = ["DL104"]\n')
    run = run_cli(["a", "b", "--format", "json"], cwd=tmp_path)
    by_file = {(f["path"], f["code"]) for f in run.findings()}
    assert by_file == {("a/bad.txt", "DL102"), ("b/bad.txt", "DL104")}


def test_config_flag_overrides_discovery_and_isolated_ignores_all(tmp_path: Path) -> None:
    write(tmp_path / "pyproject.toml", '[tool.deescalate-lint]\nselect = ["DL102"]\n')
    write(tmp_path / "elsewhere.toml", 'select = ["DL104"]\n')
    write(tmp_path / "bad.txt", BAD)
    assert run_cli(["bad.txt", "--format", "json"], cwd=tmp_path).codes() == ["DL102"]
    forced = run_cli(["bad.txt", "--format", "json", "--config", "elsewhere.toml"], cwd=tmp_path)
    assert forced.codes() == ["DL104"]
    isolated = run_cli(["bad.txt", "--format", "json", "--isolated"], cwd=tmp_path)
    assert isolated.codes() == ["DL102", "DL103", "DL104"]


def test_command_line_select_replaces_and_ignore_adds(tmp_path: Path) -> None:
    write(
        tmp_path / ".deescalate-lint.toml",
        'select = ["DL102", "DL103"]\nextend-select = ["DL104"]\n',
    )
    write(tmp_path / "bad.txt", BAD)
    assert run_cli(["bad.txt", "--format", "json"], cwd=tmp_path).codes() == [
        "DL102",
        "DL103",
        "DL104",
    ]
    # --select replaces the file's select; the file's extend-select still adds.
    run = run_cli(["bad.txt", "--format", "json", "--select", "DL102"], cwd=tmp_path)
    assert run.codes() == ["DL102", "DL104"]
    run = run_cli(["bad.txt", "--format", "json", "--ignore", "over-apologising"], cwd=tmp_path)
    assert run.codes() == ["DL102", "DL104"]


def test_per_rule_options_and_severity_overrides(tmp_path: Path) -> None:
    write(
        tmp_path / "pyproject.toml",
        "[tool.deescalate-lint.rules.over-apologising]\nmax-per-turn = 2\n\n"
        '[tool.deescalate-lint.severity]\nDL104 = "error"\n"defensive-phrasing" = "info"\n',
    )
    write(tmp_path / "bad.txt", BAD)
    run = run_cli(["bad.txt", "--format", "json"], cwd=tmp_path)
    severities = {f["code"]: f["severity"] for f in run.findings()}
    assert severities == {"DL102": "info", "DL104": "error"}  # two apologies are now allowed
    assert run_cli(["bad.txt", "--fail-on", "error"], cwd=tmp_path).code == 1
    run = run_cli(["bad.txt", "--fail-on", "error", "--ignore", "DL104"], cwd=tmp_path)
    assert run.code == 0, run.out


def test_per_file_ignores_globs_are_relative_to_the_config(tmp_path: Path) -> None:
    write(
        tmp_path / ".deescalate-lint.toml",
        '[per-file-ignores]\n"legacy/**" = ["DL102", "DL103"]\n"*.md" = ["unrealistic-promise"]\n',
    )
    write(tmp_path / "legacy" / "old" / "bad.txt", BAD)
    write(tmp_path / "new" / "bad.md", BAD)
    write(tmp_path / "new" / "bad.txt", BAD)
    run = run_cli([".", "--format", "json"], cwd=tmp_path)
    got = sorted((str(f["path"]), str(f["code"])) for f in run.findings())
    assert got == [
        ("legacy/old/bad.txt", "DL104"),
        ("new/bad.md", "DL102"),
        ("new/bad.md", "DL103"),
        ("new/bad.txt", "DL102"),
        ("new/bad.txt", "DL103"),
        ("new/bad.txt", "DL104"),
    ]


def test_language_and_roles_tables(tmp_path: Path) -> None:
    write(
        tmp_path / "pyproject.toml",
        '[tool.deescalate-lint]\nlanguage = "en"\n\n'
        '[tool.deescalate-lint.roles]\n"Sam (Brightline)" = "agent"\nPat = "customer"\n',
    )
    write(
        tmp_path / "call.txt",
        "Pat: This is the third time I'm calling about this!!\n"
        "Sam (Brightline): Calm down, that's not our fault.\n",
    )
    run = run_cli(["call.txt", "--format", "json"], cwd=tmp_path)
    findings = run.findings()
    assert findings, run.out + run.err
    assert {f["speaker"] for f in findings} == {"Sam (Brightline)"}
    assert {f["language"] for f in findings} == {"en"}
    assert all(f["turn"] == 1 for f in findings)


def test_rule_dirs_add_a_user_rule_pack(tmp_path: Path) -> None:
    pack = tmp_path / "house-rules" / "no-guarantees"
    shutil.copytree(REPO / "rules" / "unrealistic-promise", pack)
    for extra in pack.glob("*.toml"):
        if extra.name not in ("rule.toml", "en.toml"):
            extra.unlink()
    rule = (pack / "rule.toml").read_text(encoding="utf-8")
    rule = rule.replace('code = "DL104"', 'code = "HX001"').replace(
        'slug = "unrealistic-promise"', 'slug = "no-guarantees"'
    )
    (pack / "rule.toml").write_text(rule, encoding="utf-8")
    write(tmp_path / ".deescalate-lint.toml", 'rule-dirs = ["house-rules"]\nselect = ["HX"]\n')
    write(tmp_path / "bad.txt", BAD)
    run = run_cli(["bad.txt", "--format", "json"], cwd=tmp_path)
    assert run.codes() == ["HX001"], run.err
    assert run.findings()[0]["rule"] == "no-guarantees"


def test_csv_reader_table_maps_to_reader_options(tmp_path: Path) -> None:
    write(
        tmp_path / "calls.csv",
        "call,who,said\n"
        "c1,customer,I have been waiting for an hour!!\n"
        "c1,agent,Calm down please.\n",
    )
    write(
        tmp_path / "pyproject.toml",
        "[tool.deescalate-lint.readers.csv]\n"
        'conversation = "call"\nspeaker = "who"\ntext = "said"\n',
    )
    run = run_cli(["calls.csv", "--format", "json"], cwd=tmp_path)
    assert run.code == 1, run.err
    # The agent's one reply tells the customer to calm down (DL102) and has no
    # word for their hour of waiting (DL106).
    found = sorted((f["code"], f["evidence"], f["transcript"]) for f in run.findings())
    assert found == [("DL102", "Calm down", "c1"), ("DL106", "Calm down please", "c1")]


BAD_CONFIGS = [
    pytest.param(
        "pyproject.toml",
        "[tool.deescalate-lint]\nselct = []\n",
        "tool.deescalate-lint.selct",
        id="unknown-key",
    ),
    pytest.param(
        ".deescalate-lint.toml",
        'select = ["DL999"]\n',
        "select: unknown rule 'DL999'",
        id="unknown-rule",
    ),
    pytest.param(
        ".deescalate-lint.toml", 'ignore = "DL102"\n', "ignore: must be a list", id="not-a-list"
    ),
    pytest.param(
        ".deescalate-lint.toml",
        '[per-file-ignores]\n"a/*" = ["no-such-rule"]\n',
        "per-file-ignores.\"a/*\": unknown rule 'no-such-rule'",
        id="per-file-unknown-rule",
    ),
    pytest.param(
        "pyproject.toml",
        '[tool.deescalate-lint.rules.over-apologising]\nmax-per-turn = "two"\n',
        "tool.deescalate-lint.rules.over-apologising.max-per-turn: must be a whole number",
        id="option-type",
    ),
    pytest.param(
        ".deescalate-lint.toml",
        "[rules.over-apologising]\nmax-per-turn = -1\n",
        "rules.over-apologising.max-per-turn: must be at least 0",
        id="option-negative",
    ),
    pytest.param(
        ".deescalate-lint.toml",
        "[rules.over-apologising]\nmax_per_turn = 1\n",
        "rules.over-apologising.max_per_turn: unknown option",
        id="option-unknown",
    ),
    pytest.param(
        ".deescalate-lint.toml",
        "[rules.shouting]\nx = 1\n",
        "rules.shouting: unknown rule",
        id="options-unknown-rule",
    ),
    pytest.param(
        ".deescalate-lint.toml",
        '[severity]\nDL102 = "fatal"\n',
        "severity.DL102: must be one of",
        id="severity",
    ),
    pytest.param(
        ".deescalate-lint.toml", 'language = "klingon"\n', "language: must be one of", id="language"
    ),
    pytest.param(
        ".deescalate-lint.toml",
        '[roles]\nSam = "boss"\n',
        "roles.Sam: must be agent, customer or skip",
        id="role",
    ),
    pytest.param(
        ".deescalate-lint.toml",
        'rule-dirs = ["nowhere"]\n',
        "rule-dirs: no such folder",
        id="rule-dirs",
    ),
    pytest.param(
        ".deescalate-lint.toml", "[readers.csv]\ncolumn = 'x'\n", "readers.csv:", id="reader-option"
    ),
    pytest.param(
        ".deescalate-lint.toml",
        "[readers.pdf]\n",
        "readers.pdf: unknown input format",
        id="reader-name",
    ),
    pytest.param(".deescalate-lint.toml", "select = [\n", "invalid TOML", id="invalid-toml"),
]


@pytest.mark.parametrize(("name", "content", "expected"), BAD_CONFIGS)
def test_mistakes_are_errors_naming_the_file_and_key(
    tmp_path: Path, name: str, content: str, expected: str
) -> None:
    config = write(tmp_path / name, content)
    write(tmp_path / "bad.txt", BAD)
    run = run_cli(["bad.txt"], cwd=tmp_path)
    assert run.code == 2, run.out
    assert run.out == ""  # nothing linted, nothing half-written
    assert "Traceback" not in run.err
    assert str(config) in run.err, run.err
    assert expected in run.err, run.err


def test_missing_config_flag_file_is_an_error(tmp_path: Path) -> None:
    write(tmp_path / "bad.txt", BAD)
    run = run_cli(["bad.txt", "--config", "nope.toml"], cwd=tmp_path)
    assert run.code == 2
    assert "nope.toml: configuration file not found" in run.err


def test_the_documented_example_configuration_is_valid(tmp_path: Path) -> None:
    import re

    doc = (REPO / "docs" / "configuration.md").read_text(encoding="utf-8")
    example = re.search(r"```toml\n(# pyproject.toml\n.*?)```", doc, re.DOTALL)
    assert example is not None
    write(tmp_path / "pyproject.toml", example.group(1))
    write(tmp_path / "bad.txt", BAD)
    run = run_cli(["bad.txt", "--format", "json"], cwd=tmp_path)
    assert run.code == 1, run.err
    severities = {f["code"]: f["severity"] for f in run.findings()}
    assert severities["DL102"] == "error" and severities["DL103"] == "info"


@pytest.mark.parametrize(
    ("value", "accepted"),
    [(1, True), (0, True), (1.5, False), (-1, False), ("2", False), (True, False)],
)
def test_the_api_and_the_config_file_accept_the_same_option_values(
    tmp_path: Path, value: object, accepted: bool
) -> None:
    """One validation path: what the API refuses, the configuration file refuses."""
    try:
        Linter(options={"over-apologising": {"max-per-turn": value}})
        api = True
    except ConfigError:
        api = False
    write(
        tmp_path / ".deescalate-lint.toml",
        f"[rules.over-apologising]\nmax-per-turn = {_toml(value)}\n",
    )
    write(tmp_path / "ok.txt", "Agent: Thanks for calling.")
    run = run_cli(["ok.txt"], cwd=tmp_path)
    config = run.code != 2
    assert api is config is accepted, (value, run.err)


def _toml(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return f'"{value}"'
    return str(value)
