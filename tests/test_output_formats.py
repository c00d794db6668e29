"""Every output format through the real CLI; SARIF validated against the official schema.

The SARIF 2.1.0 schema (OASIS errata01) is vendored in tests/data/ (see
tests/data/SOURCES.md for where it came from); there is no network in tests.
"""

from __future__ import annotations

import json
import os
import pty
import re
import select
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import cli_run
import pytest

from deescalate_lint.model import Finding, Notice

REPO = Path(__file__).resolve().parent.parent
SCHEMA = Path(__file__).resolve().parent / "data" / "sarif-schema-2.1.0.json"

TEMPLATE = """Dear {{ customer_name }},

We are so sorry for the delay. We sincerely apologise for any inconvenience.
Unfortunately it's against our policy to refund shipping costs.
"""
CLEAN = (
    "Hi {{ name }},\n\nThe refund was approved today and should reach you "
    "within five working days.\n"
)
CALL = {
    "id": "call-7",
    "language": "en",
    "turns": [
        {
            "speaker": "customer",
            "text": "This is the third time I'm calling!!",
            "start": 0.0,
            "end": 3.0,
        },
        {"speaker": "agent", "text": "Calm down, that's not our fault.", "start": 3.5, "end": 6.0},
    ],
}


@pytest.fixture()
def project(tmp_path: Path) -> Path:
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "delay.md").write_text(TEMPLATE, encoding="utf-8")
    (tmp_path / "templates" / "clean.txt").write_text(CLEAN, encoding="utf-8")
    (tmp_path / "call.json").write_text(json.dumps(CALL), encoding="utf-8")
    (tmp_path / "klingon.json").write_text(
        json.dumps({"language": "tlh", "turns": [{"speaker": "agent", "text": "nuqneH"}]}),
        encoding="utf-8",
    )
    return tmp_path


def run_cli(
    args: list[str], cwd: Path, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    return cli_run.run_cli([*args, "--isolated"], cwd, env=env)


def test_json_and_jsonl_keep_the_model_shape(project: Path) -> None:
    as_json = json.loads(run_cli([".", "--format", "json"], project).stdout)
    lines = run_cli([".", "--format", "jsonl"], project).stdout.splitlines()
    assert [json.loads(line) for line in lines] == as_json
    finding_keys = set(Finding.__dataclass_fields__)
    notice_keys = set(Notice.__dataclass_fields__)
    for record in as_json:
        assert set(record) == (finding_keys if record["kind"] == "finding" else notice_keys)
    findings = [r for r in as_json if r["kind"] == "finding"]
    assert {(r["path"], r["code"]) for r in findings} == {
        ("call.json", "DL102"),
        ("call.json", "DL106"),  # no word for the third call
        ("templates/delay.md", "DL102"),
        ("templates/delay.md", "DL103"),
    }
    assert any(r["kind"] == "notice" and r["code"] == "DL001" for r in as_json)


def test_text_and_concise_locate_templates_by_line(project: Path) -> None:
    text = run_cli([".", "--color", "never"], project)
    assert text.returncode == 1
    assert "templates/delay.md:3:32: DL103 over-apologising:" in text.stdout
    assert '    | "We sincerely apologise"' in text.stdout
    assert "call.json#call-7:turn 2 (agent) DL102 defensive-phrasing:" in text.stdout
    assert "notice DL001" in text.stdout
    concise = run_cli([".", "--format", "concise"], project).stdout.splitlines()
    assert "templates/delay.md:4:15: DL102 [defensive-phrasing]" in "\n".join(concise)
    # One line per finding ("Calm down, that's not our fault" is two behaviours: two
    # findings), then one per notice.
    assert len([line for line in concise if ": notice " not in line]) == 4
    assert any("klingon.json: notice DL001" in line for line in concise)
    assert "\x1b[" not in text.stdout + "\n".join(concise)


def _run_on_tty(args: list[str], cwd: Path, env: dict[str, str]) -> str:
    """Run the CLI with stdout on a pseudo-terminal; return what it printed."""
    master, slave = pty.openpty()
    process = subprocess.Popen(
        [sys.executable, "-m", "deescalate_lint.cli", *args, "--isolated"],
        cwd=cwd,
        stdout=slave,
        stderr=subprocess.DEVNULL,
        env=env,
    )
    os.close(slave)
    chunks = []
    while True:
        ready, _, _ = select.select([master], [], [], 60)
        if not ready:
            break
        try:
            data = os.read(master, 4096)
        except OSError:  # the child closed the terminal
            break
        if not data:
            break
        chunks.append(data)
    process.wait(timeout=60)
    os.close(master)
    return b"".join(chunks).decode("utf-8", errors="replace")


def test_colour_on_a_terminal_unless_no_color(project: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "NO_COLOR"}
    coloured = _run_on_tty(["templates/delay.md"], project, env)
    assert "\x1b[" in coloured and "DL103" in coloured
    plain = _run_on_tty(["templates/delay.md"], project, {**env, "NO_COLOR": "1"})
    assert "DL103" in plain and "\x1b[" not in plain
    forced = run_cli(["templates/delay.md", "--color", "always"], project, {**env, "NO_COLOR": "1"})
    assert "\x1b[" in forced.stdout  # an explicit flag wins over the environment


def test_sarif_validates_against_the_official_schema(project: Path) -> None:
    jsonschema = pytest.importorskip("jsonschema")
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    run = run_cli([".", "--format", "sarif"], project)
    assert run.returncode == 1
    log = json.loads(run.stdout)
    jsonschema.Draft4Validator.check_schema(schema)
    errors = sorted(jsonschema.Draft4Validator(schema).iter_errors(log), key=str)
    assert not errors, errors[:3]
    sarif_run = log["runs"][0]
    rules = sarif_run["tool"]["driver"]["rules"]
    ids = [r["id"] for r in rules]
    assert {"DL101", "DL102", "DL103", "DL104", "DL105", "DL900"} <= set(ids)
    over = rules[ids.index("DL103")]
    assert over["name"] == "over-apologising"
    assert "Instead:" in over["help"]["text"] and over["properties"]["citations"]
    results = sarif_run["results"]
    assert sorted(r["ruleId"] for r in results) == ["DL102", "DL102", "DL103", "DL106"]
    for result in results:
        assert ids[result["ruleIndex"]] == result["ruleId"]
        assert result["properties"]["citations"]
    template_hit = next(r for r in results if r["ruleId"] == "DL103")
    region = template_hit["locations"][0]["physicalLocation"]["region"]
    assert (region["startLine"], region["startColumn"]) == (3, 32)
    assert region["snippet"]["text"] == "We sincerely apologise"
    notes = sarif_run["invocations"][0]["toolExecutionNotifications"]
    assert any(n["descriptor"]["id"] == "DL001" for n in notes)


def test_sarif_of_the_shipped_examples_is_valid() -> None:
    jsonschema = pytest.importorskip("jsonschema")
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    run = run_cli(["examples", "--format", "sarif"], REPO)
    log = json.loads(run.stdout)
    assert not list(jsonschema.Draft4Validator(schema).iter_errors(log))
    assert run.returncode == 1 and log["runs"][0]["results"]


def test_sarif_records_unreadable_inputs(project: Path) -> None:
    (project / "broken.json").write_text("{not json", encoding="utf-8")
    run = run_cli(["broken.json", "--format", "sarif"], project)
    assert run.returncode == 2
    invocation = json.loads(run.stdout)["runs"][0]["invocations"][0]
    assert invocation["executionSuccessful"] is False
    assert any(n["level"] == "error" for n in invocation["toolExecutionNotifications"])


ANNOTATION = re.compile(r"^::(error|warning|notice) (?P<props>[^:]*)::(?P<message>.*)$")


def test_github_annotations(project: Path) -> None:
    run = run_cli([".", "--format", "github"], project)
    lines = run.stdout.splitlines()
    assert lines and all(ANNOTATION.match(line) for line in lines), lines
    template = [line for line in lines if "file=templates/delay.md" in line]
    assert any(
        line.startswith("::warning file=templates/delay.md,line=3,col=32,endLine=3,endColumn=54,")
        and "title=DL103 over-apologising::" in line
        for line in template
    )
    call = next(line for line in lines if "file=call.json" in line)
    assert ",line=" in call and "[transcript call-7, turn 2, agent]" in call
    assert "%0ATry: " in call  # newlines escaped, one annotation per line
    assert any(
        line.startswith("::notice file=klingon.json,title=DL001 language::") for line in lines
    )


def test_github_escapes_properties(project: Path) -> None:
    (project / "a,b:c.txt").write_text(TEMPLATE, encoding="utf-8")
    lines = run_cli(["a,b:c.txt", "--format", "github"], project).stdout.splitlines()
    assert lines and all(line.startswith("::warning file=a%2Cb%3Ac.txt,") for line in lines)


def test_junit_one_testcase_per_transcript(project: Path) -> None:
    run = run_cli([".", "--format", "junit"], project)
    assert run.returncode == 1
    root = ET.fromstring(run.stdout)
    assert root.tag == "testsuites"
    suite = root.find("testsuite")
    assert suite is not None
    cases = {case.get("name"): case for case in suite.iter("testcase")}
    assert set(cases) == {
        "call.json#call-7",
        "klingon.json",
        "templates/clean.txt",
        "templates/delay.md",
    }
    assert cases["templates/clean.txt"].find("failure") is None
    assert cases["templates/clean.txt"].find("skipped") is None
    failure = cases["templates/delay.md"].find("failure")
    assert failure is not None and failure.get("message") == "2 finding(s): DL102, DL103"
    assert "We sincerely apologise" in (failure.text or "")
    assert cases["klingon.json"].find("skipped") is not None
    assert (suite.get("tests"), suite.get("failures"), suite.get("skipped")) == ("4", "2", "1")


def test_every_format_is_registered_and_works_on_empty_input(tmp_path: Path) -> None:
    (tmp_path / "clean.txt").write_text(CLEAN, encoding="utf-8")
    for fmt in ("text", "concise", "json", "jsonl", "sarif", "github", "junit"):
        run = run_cli(["clean.txt", "--format", fmt], tmp_path)
        assert run.returncode == 0, (fmt, run.stderr)
        if fmt in ("json", "sarif"):
            json.loads(run.stdout)
        if fmt == "junit":
            assert ET.fromstring(run.stdout).get("failures") == "0"


def test_each_shipped_format_is_registered_by_the_module_named_for_it() -> None:
    """Formats are imported on first use (``report/registry._SHIPPED``): the map
    must name the module that registers each, and every shipped module's formats."""
    import importlib
    import pkgutil

    from deescalate_lint import report
    from deescalate_lint.report import registry

    for module in pkgutil.iter_modules(report.__path__):
        importlib.import_module(f"deescalate_lint.report.{module.name}")
    shipped = {
        name: write.__module__.rsplit(".", 1)[-1]
        for name, write in registry._REGISTRY.items()
        if write.__module__.startswith("deescalate_lint.report.")
    }
    assert shipped == registry._SHIPPED
    assert report.formats() == sorted(registry._SHIPPED)
