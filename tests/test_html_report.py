"""``--format html``: the file alone (self-contained, escaped, counted right), then the
page in a real headless Chromium: filters that filter, pages that turn, a screenshot.

The browser tests skip, saying why, only where no Chromium exists
(``apt-get install chromium``; ``.ci/run`` installs it). Set
``DEESCALATE_LINT_UPDATE_SCREENSHOT=1`` to write the README's screenshot
(``docs/html-report.png``) from the screenshot test.
"""

from __future__ import annotations

import json
import os
import re
import struct
import subprocess
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from browser import Page, browser_version, dump_dom, find_browser, screenshot
from cli_run import run_cli

REPO = Path(__file__).resolve().parent.parent
BROWSER = find_browser()
needs_browser = pytest.mark.skipif(
    BROWSER is None,
    reason="no Chromium or Chrome on this machine (apt-get install chromium; .ci/run installs it)",
)

ESCAPE_ATTEMPT = "</script><script>window.pwned = 1; document.title = 'pwned'</script>"


def _call(
    call_id: str, agent: str, team: str, language: str, lines: list[tuple[str, str]]
) -> dict[str, Any]:
    return {
        "id": call_id,
        "language": language,
        "agent": agent,
        "team": team,
        "queue": f"{team} queue",
        "date": "2026-11-20",
        "turns": [{"speaker": who, "text": text} for who, text in lines],
    }


CALLS = [
    _call(
        "dana-1",
        "Dana Whitfield",
        "Returns",
        "en",
        [
            ("agent", "Hi, thanks for calling Northwind, Dana speaking."),
            ("customer", "This is the third time I call about my refund!"),
            ("agent", "Calm down, please. I guarantee it will be there tomorrow."),
            ("customer", "You said that last week."),
            ("agent", "Anything else I can help with?"),
        ],
    ),
    _call(
        "dana-2",
        "Dana Whitfield",
        "Returns",
        "en",
        [
            ("customer", "Where is my parcel?"),
            ("agent", f"It is against our policy to refund shipping. {ESCAPE_ATTEMPT}"),
        ],
    ),
    _call(
        "lee-1",
        "Lee Okafor",
        "Billing",
        "en",
        [
            ("customer", "You charged me twice!"),
            ("agent", "We are so sorry. We sincerely apologise for any inconvenience."),
        ],
    ),
    _call(
        "jonas-1",
        "Jonas Becker",
        "Billing",
        "de",
        [
            ("customer", "Das ist jetzt das dritte Mal, dass ich anrufe!"),
            (
                "agent",
                "Beruhigen Sie sich bitte. Das Ersatzteil ist morgen da, das garantiere ich.",
            ),
        ],
    ),
    _call(
        "lee-2",
        "Lee Okafor",
        "Billing",
        "en",
        [
            ("customer", "Can you change my address?"),
            ("agent", "Yes, done. Anything else?"),
        ],
    ),
]


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The calls as JSONL, their HTML report, and the JSON findings to compare with."""
    root = tmp_path_factory.mktemp("html")
    (root / "calls.jsonl").write_text(
        "".join(json.dumps(c, ensure_ascii=False) + "\n" for c in CALLS), encoding="utf-8"
    )
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    page = run_cli(["calls.jsonl", "--format", "html", "--isolated"], root, env=env)
    assert page.returncode == 1, page.stderr
    (root / "report.html").write_text(page.stdout, encoding="utf-8")
    results = json.loads(
        run_cli(["calls.jsonl", "--format", "json", "--isolated"], root, env=env).stdout
    )
    findings = [r for r in results if r["kind"] == "finding"]
    agents = {c["id"]: c["agent"] for c in CALLS}
    for finding in findings:
        assert finding["agent"] == agents[finding["transcript"]]
    return {
        "path": root / "report.html",
        "html": page.stdout,
        "findings": findings,
        "notices": [r for r in results if r["kind"] == "notice"],
    }


# -- the file alone ---------------------------------------------------------------


def test_the_report_needs_no_network(report: dict[str, Any]) -> None:
    page = report["html"]
    assert page.startswith("<!DOCTYPE html>")
    assert not re.search(r"""(?:src|href)\s*=\s*["']?(?:https?:)?//""", page)
    assert "<link" not in page and "@import" not in page and "url(" not in page
    assert not re.search(r"<script[^>]+src=", page)
    assert '<meta name="generator" content="deescalate-lint' in page[:2048]


def test_agent_text_cannot_close_the_data_script(report: dict[str, Any]) -> None:
    page = report["html"]
    # One closing tag per script element (the data and the code), whatever the text says.
    assert page.count("</script>") == 2
    assert ESCAPE_ATTEMPT not in page


def test_the_summary_counts_the_run(report: dict[str, Any]) -> None:
    page = report["html"]
    findings = report["findings"]
    assert f'data-stat="findings">{len(findings)}<' in page
    assert 'data-stat="conversations">5<' in page
    agent_turns = sum(1 for c in CALLS for t in c["turns"] if t["speaker"] == "agent")
    assert f'data-stat="agent turns">{agent_turns}<' in page
    assert 'id="by-agent"' in page and 'id="by-team"' in page
    for agent in ("Dana Whitfield", "Lee Okafor", "Jonas Becker"):
        assert f"<td>{agent}</td>" in page
    # Findings per rule per 1,000 agent turns, in the table by rule.
    per_rule = Counter(f["code"] for f in findings)
    for code, count in per_rule.items():
        rate = f"{count * 1000 / agent_turns:,.1f}"
        assert re.search(
            rf'<tr data-rule="{code}">.*?<td class="num">{count}</td>'
            rf'<td class="num">{re.escape(rate)}</td>',
            page,
        ), code
    assert "<svg" in page and "Findings by agent" in page


def test_notices_are_listed(report: dict[str, Any]) -> None:
    page = report["html"]
    assert report["notices"], "the calls have no timing: there must be notices"
    assert 'id="notices"' in page
    assert "timing check not run" in page
    assert 'class="notice" data-code="DL101"' in page


# -- in a real browser ---------------------------------------------------------------


@needs_browser
def test_findings_shown_in_their_conversation(report: dict[str, Any]) -> None:
    assert BROWSER is not None
    dom = dump_dom(BROWSER, report["path"].as_uri())
    findings = report["findings"]
    assert dom.count('<article class="finding') == len(findings)
    # The evidence is highlighted, with the message, the suggestion and a glossed citation.
    marks = re.findall(r"<mark>(.*?)</mark>", dom.replace("&amp;", "&"))
    for finding in findings:
        # Overlapping evidence (two rules on the same words) shares one mark.
        assert any(finding["evidence"] in mark for mark in marks), finding["evidence"]
        assert finding["suggestion"].split('"')[0] in dom
    first = findings[0]["citations"][0]
    assert first["gloss"] in dom and first["key_phrase"] in dom
    # The neighbouring turns: the customer before the flagged agent turn, and after it.
    assert "This is the third time I call about my refund!" in dom
    assert "You said that last week." in dom
    assert 'data-findings="' + str(len(findings)) + '"' in dom


@needs_browser
def test_filters_filter_in_the_browser(report: dict[str, Any]) -> None:
    assert BROWSER is not None
    findings = report["findings"]
    cases = {
        "rule": Counter(f["code"] for f in findings),
        "severity": Counter(f["severity"] for f in findings),
        "language": Counter(f["language"] for f in findings),
        "agent": Counter(f["agent"] for f in findings),
    }
    with Page(BROWSER) as page:
        page.open(report["path"].as_uri())
        assert page.evaluate("window.pwned") is None
        assert page.evaluate("document.title") == "deescalate-lint report"
        assert ESCAPE_ATTEMPT in page.evaluate("document.body.innerText")
        for name, counts in cases.items():
            options = page.evaluate(
                f"Array.from(document.querySelectorAll('#filter-{name} option'))"
                ".map(o => o.value).filter(v => v)"
            )
            assert set(counts) <= set(options), (name, options)
            for value, expected in counts.items():
                shown = _choose(page, name, value)
                assert shown["count"] == expected, (name, value, shown)
                assert len(shown["cards"]) == expected
                if name in ("rule", "severity", "language"):
                    assert {c[name] for c in shown["cards"]} == {value}
                else:
                    assert set(shown["agents"]) == {value}
            _choose(page, name, "")
        both = _choose(page, "agent", "Dana Whitfield")
        both = _choose(page, "rule", "DL104")
        expected = sum(
            1 for f in findings if f["agent"] == "Dana Whitfield" and f["code"] == "DL104"
        )
        assert both["count"] == expected == 1
        nothing = _choose(page, "language", "de")
        assert nothing["count"] == 0
        assert "No finding matches" in page.evaluate("document.body.innerText")


def _choose(page: Page, name: str, value: str) -> dict[str, Any]:
    """Pick ``value`` in a filter as a user would (a change event), and read the page."""
    result: dict[str, Any] = page.evaluate(
        f"""(() => {{
        const select = document.getElementById('filter-{name}');
        select.value = {json.dumps(value)};
        select.dispatchEvent(new Event('change'));
        const cards = Array.from(document.querySelectorAll('article.finding'));
        return {{
          count: Number(document.getElementById('match-count').dataset.findings),
          cards: cards.map(c => ({{rule: c.dataset.rule, severity: c.dataset.severity,
                                   language: c.dataset.language}})),
          agents: Array.from(document.querySelectorAll('section.conversation'))
            .map(s => s.dataset.agent),
        }};
        }})()"""
    )
    return result


@needs_browser
def test_filters_from_the_address(report: dict[str, Any]) -> None:
    """``report.html#rule=DL103`` opens with that filter set (a link to share)."""
    assert BROWSER is not None
    dom = dump_dom(BROWSER, report["path"].as_uri() + "#rule=DL103")
    expected = sum(1 for f in report["findings"] if f["code"] == "DL103")
    assert dom.count('<article class="finding') == expected >= 1
    assert 'data-rule="DL102"' not in dom.split('id="conversations"')[1]


def _synthetic_report(folder: Path, count: int) -> Path:
    """The HTML report of ``count`` synthetic conversations with agents (``bench.synth``)."""
    subprocess.run(
        [sys.executable, "-m", "bench.synth", "--count", str(count), "--agents", "synth.jsonl"],
        cwd=folder,
        env={**os.environ, "PYTHONPATH": str(REPO)},
        check=True,
        capture_output=True,
    )
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    text = run_cli(["synth.jsonl", "--format", "html", "--isolated"], folder, env=env).stdout
    report = folder / "synth.html"
    report.write_text(text, encoding="utf-8")
    return report


@needs_browser
def test_many_conversations_are_paged(tmp_path: Path) -> None:
    assert BROWSER is not None
    with Page(BROWSER) as page:
        page.open(_synthetic_report(tmp_path, 200).as_uri())
        total = page.evaluate(
            "Number(document.getElementById('match-count').dataset.conversations)"
        )
        assert total > 25
        pages = -(-total // 25)
        assert page.evaluate("document.getElementById('page-info').textContent") == (
            f"page 1 of {pages}"
        )
        assert page.evaluate("document.querySelectorAll('section.conversation').length") == 25
        first = page.evaluate("document.querySelector('section.conversation h3').textContent")
        page.evaluate("document.getElementById('next').click()")
        assert page.evaluate("document.getElementById('page-info').textContent") == (
            f"page 2 of {pages}"
        )
        assert page.evaluate("document.querySelector('section.conversation h3').textContent") != (
            first
        )
        assert page.evaluate("document.getElementById('prev').disabled") is False


@needs_browser
def test_screenshot(report: dict[str, Any], tmp_path: Path) -> None:
    """A picture of the report as a browser draws it (the README's, when asked to update it)."""
    assert BROWSER is not None
    update = os.environ.get("DEESCALATE_LINT_UPDATE_SCREENSHOT") == "1"
    out = REPO / "docs" / "html-report.png" if update else tmp_path / "report.png"
    source = report["path"]
    if update:  # the README's picture: a realistic floor of agents, not the test's five calls
        source = _synthetic_report(tmp_path, 300)
    screenshot(BROWSER, source.as_uri(), out, 1280, 2000)
    data = out.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])
    assert (width, height) == (1280, 2000)
    print(f"screenshot by {browser_version(BROWSER)}: {out}")
