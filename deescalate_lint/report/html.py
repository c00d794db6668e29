"""``--format html``: one self-contained page for a QA lead (no network: inline CSS,
JS and SVG).

What it shows, from the run's items alone:

* a summary: conversations, agent turns, findings, and findings per 1,000 agent
  turns per rule, per agent and per team (the last two where the transcripts
  carry that metadata);
* two bar charts (SVG): findings by rule, and by agent (or team);
* every finding in its conversation: the neighbouring turns (``CONTEXT_BEFORE``
  before, ``CONTEXT_AFTER`` after), the evidence highlighted, the message, the
  suggestion, and the citations with their English gloss;
* filters by rule, severity, language and agent, run by the page's own script;
* the notices (checks not run), grouped by what they say, and read errors.

Why the conversations travel as JSON rendered by a small script rather than as
HTML: at 10,000 conversations the page would hold every flagged conversation's
markup at once; as data it is a third of the size, the citations are written
once per rule instead of once per finding, and the script shows one page of
``PAGE_SIZE`` conversations at a time. The summary, charts and notices are
plain HTML, readable without the script.
"""

from __future__ import annotations

import html
import json
from collections.abc import Iterable, Sequence
from typing import Any, TextIO

from ..model import Finding, Linted, Notice, Role, Severity, Transcript
from ..stats import Tally, per_thousand
from .registry import ReportContext, register

#: Turns shown before and after a flagged turn.
CONTEXT_BEFORE = 2
CONTEXT_AFTER = 1
#: Conversations per page of the findings list.
PAGE_SIZE = 25
#: A turn longer than this (a long template) is shown as an excerpt around its findings.
LONG_TURN = 3000
EXCERPT_MARGIN = 400
#: Bars per chart, and transcripts named per notice group, before "and N more".
CHART_BARS = 20
NAMED_PER_NOTICE = 50

#: Written near the top: readers skip files that carry it (the report quotes agents).
GENERATOR = "deescalate-lint"


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


def _fmt_rate(value: float) -> str:
    return f"{value:,.1f}"


def _script_json(value: Any) -> str:
    """JSON safe inside ``<script>``: no ``</script>`` or ``<!--`` can close it early."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


class _Collector:
    """Gathers what the page needs while the items stream past."""

    def __init__(self, context: ReportContext) -> None:
        self.tally = Tally()
        self.rules: dict[str, dict[str, Any]] = {}
        for rule in context.rules:
            self.rules[rule.code] = {
                "rule": rule.slug,
                "name": rule.name,
                "severity": rule.severity.value,
                "summary": rule.summary,
                "citations": [c.to_dict() for c in rule.citations],
            }
        self.conversations: list[dict[str, Any]] = []
        #: (code, rule, message) -> transcripts named.
        self.notices: dict[tuple[str, str, str], list[str]] = {}
        self.errors: list[str] = []
        self.languages: set[str] = set()
        self.agents: set[str] = set()

    def add(self, item: Linted) -> None:
        self.tally.add(item)
        if item.error is not None:
            self.errors.append(str(item.error))
        for result in item.results:
            if isinstance(result, Notice):
                name = result.path + (f"#{result.transcript}" if result.transcript else "")
                key = (result.code, result.rule, result.message)
                self.notices.setdefault(key, []).append(name)
        findings = [r for r in item.results if isinstance(r, Finding)]
        if findings and item.transcript is not None:
            self.conversations.append(self._conversation(item.transcript, findings))

    def _conversation(self, transcript: Transcript, findings: Sequence[Finding]) -> dict[str, Any]:
        for finding in findings:
            if finding.code not in self.rules:
                self.rules[finding.code] = {
                    "rule": finding.rule,
                    "name": finding.rule,
                    "severity": finding.severity.value,
                    "summary": "",
                    "citations": [c.to_dict() for c in finding.citations],
                }
            if finding.language:
                self.languages.add(finding.language)
        if transcript.agent:
            self.agents.add(transcript.agent)
        shown: set[int] = set()
        for finding in findings:
            if finding.turn < 0:
                continue
            low = max(0, finding.turn - CONTEXT_BEFORE)
            high = min(len(transcript.turns) - 1, finding.turn + CONTEXT_AFTER)
            shown.update(range(low, high + 1))
        turns = []
        for index in sorted(shown):
            turn = transcript.turns[index]
            spans = [(f.start, f.end) for f in findings if f.turn == index]
            offset, text = _excerpt(turn.text, spans)
            entry: dict[str, Any] = {
                "i": index,
                "s": turn.speaker,
                "a": turn.role is Role.AGENT,
                "t": text,
            }
            if offset:
                entry["o"] = offset
            if turn.start is not None:
                entry["at"] = round(turn.start, 2)
            turns.append(entry)
        return {
            "path": transcript.path,
            "id": transcript.id,
            "template": transcript.template,
            "agent": transcript.agent,
            "team": transcript.team,
            "queue": transcript.queue,
            "date": transcript.date,
            "turns": turns,
            "findings": [
                {
                    "code": f.code,
                    "severity": f.severity.value,
                    "turn": f.turn,
                    "speaker": f.speaker,
                    "start": f.start,
                    "end": f.end,
                    "evidence": f.evidence,
                    "message": f.message,
                    "suggestion": f.suggestion,
                    "language": f.language,
                }
                for f in findings
            ],
        }


def _excerpt(text: str, spans: Sequence[tuple[int, int]]) -> tuple[int, str]:
    """The turn's text, or for a long one the stretch around its findings: (offset, text)."""
    if len(text) <= LONG_TURN:
        return 0, text
    if not spans:
        return 0, text[:EXCERPT_MARGIN]
    low = max(0, min(s for s, _ in spans) - EXCERPT_MARGIN)
    high = min(len(text), max(e for _, e in spans) + EXCERPT_MARGIN)
    return low, text[low:high]


def _bar_chart(title: str, rows: Sequence[tuple[str, float, str]], unit: str) -> str:
    """A horizontal bar chart as inline SVG: (label, value, shown value) per bar."""
    if not rows:
        return f'<figure class="chart"><figcaption>{_e(title)}</figcaption><p>None.</p></figure>'
    label_width, bar_width, row_height = 235, 300, 24
    top = max(value for _, value, _ in rows) or 1.0
    height = row_height * len(rows) + 8
    parts = [
        f'<svg role="img" aria-label="{_e(title)}" viewBox="0 0 {label_width + bar_width + 90} '
        f'{height}" width="100%" preserveAspectRatio="xMinYMin meet">'
    ]
    for number, (label, value, shown) in enumerate(rows):
        y = 4 + number * row_height
        width = max(1.0, bar_width * value / top)
        short = label if len(label) <= 32 else label[:31] + "\u2026"
        parts.append(
            f'<text x="{label_width - 8}" y="{y + 16}" text-anchor="end">{_e(short)}'
            f"<title>{_e(label)}</title></text>"
            f'<rect x="{label_width}" y="{y + 3}" width="{width:.1f}" height="{row_height - 8}" '
            f'rx="3"><title>{_e(label)}: {_e(shown)} {_e(unit)}</title></rect>'
            f'<text x="{label_width + width + 6:.1f}" y="{y + 16}" class="value">{_e(shown)}</text>'
        )
    parts.append("</svg>")
    return (
        f'<figure class="chart"><figcaption>{_e(title)} <span class="unit">({_e(unit)})</span>'
        f"</figcaption>{''.join(parts)}</figure>"
    )


def _summary(collector: _Collector) -> str:
    tally = collector.tally
    turns = tally.agent_turns
    cards = [
        ("conversations", f"{tally.conversations:,}"),
        ("agent turns", f"{turns:,}"),
        ("findings", f"{tally.findings:,}"),
        ("per 1,000 agent turns", _fmt_rate(per_thousand(tally.findings, turns))),
        ("conversations with findings", f"{tally.with_findings:,}"),
        ("checks not run", f"{tally.notices:,}"),
    ]
    out = ['<section id="summary"><h2>Summary</h2><div class="cards">']
    out += [
        f'<div class="card"><div class="big" data-stat="{_e(label)}">{_e(value)}</div>'
        f"<div>{_e(label)}</div></div>"
        for label, value in cards
    ]
    out.append("</div>")
    out.append(
        '<table class="stats" id="by-rule"><caption>Findings per rule</caption><thead><tr>'
        "<th>code</th><th>rule</th><th>severity</th><th>findings</th>"
        "<th>per 1,000 agent turns</th></tr></thead><tbody>"
    )
    counts = {code: n for (code, _r, _s), n in tally.rules.items()}
    for code in sorted(set(collector.rules) | set(counts)):
        meta = collector.rules[code]
        n = counts.get(code, 0)
        out.append(
            f'<tr data-rule="{_e(code)}"><td>{_e(code)}</td><td>{_e(meta["rule"])}</td>'
            f'<td><span class="sev {_e(meta["severity"])}">{_e(meta["severity"])}</span></td>'
            f'<td class="num">{n:,}</td><td class="num">{_fmt_rate(per_thousand(n, turns))}</td>'
            "</tr>"
        )
    out.append("</tbody></table>")
    for by in ("agent", "team"):
        if not tally.has(by):
            continue
        out.append(
            f'<table class="stats" id="by-{by}"><caption>Findings per {by}</caption><thead><tr>'
            f"<th>{by}</th><th>conversations</th><th>agent turns</th><th>findings</th>"
            "<th>per 1,000 agent turns</th><th>by rule</th></tr></thead><tbody>"
        )
        for name, group in tally.groups(by):
            rules = ", ".join(f"{code} {n}" for code, n in sorted(group.by_rule.items()))
            out.append(
                f"<tr><td>{_e(name)}</td><td class='num'>{group.conversations:,}</td>"
                f"<td class='num'>{group.agent_turns:,}</td>"
                f"<td class='num'>{group.findings:,}</td>"
                f"<td class='num'>{_fmt_rate(group.rate)}</td><td>{_e(rules) or '-'}</td></tr>"
            )
        out.append("</tbody></table>")
    out.append("</section>")
    return "".join(out)


def _charts(collector: _Collector) -> str:
    tally = collector.tally
    by_rule = [
        (f"{code} {rule}", float(n), f"{n:,}") for (code, rule, _sev), n in tally.rule_rows()
    ]
    out = ['<section id="charts"><h2>Charts</h2><div class="charts">']
    out.append(_bar_chart("Findings by rule", by_rule[:CHART_BARS], "findings"))
    by = "agent" if tally.has("agent") else "team" if tally.has("team") else None
    if by is None:
        out.append(
            '<figure class="chart"><figcaption>Findings by agent</figcaption><p>The transcripts '
            "carry no agent or team (see the canonical format's <code>agent</code> and "
            "<code>team</code> fields).</p></figure>"
        )
    else:
        groups = tally.groups(by)
        rows = [(name, g.rate, _fmt_rate(g.rate)) for name, g in groups[:CHART_BARS]]
        title = f"Findings by {by}"
        if len(groups) > CHART_BARS:
            title += f" (the {CHART_BARS} highest of {len(groups):,})"
        out.append(_bar_chart(title, rows, "per 1,000 agent turns"))
    out.append("</div></section>")
    return "".join(out)


def _notices(collector: _Collector) -> str:
    out = ['<section id="notices"><h2>Checks not run</h2>']
    if not collector.notices and not collector.errors:
        out.append("<p>Every check ran on every conversation.</p></section>")
        return "".join(out)
    out.append('<ul class="notices">')
    for (code, rule, message), names in sorted(
        collector.notices.items(), key=lambda kv: (-len(kv[1]), kv[0])
    ):
        listed = ", ".join(_e(n) for n in names[:NAMED_PER_NOTICE])
        more = len(names) - NAMED_PER_NOTICE
        if more > 0:
            listed += f" and {more:,} more"
        out.append(
            f'<li class="notice" data-code="{_e(code)}"><b>{_e(code)} {_e(rule)}</b>: '
            f"{_e(message)} <span class='count'>({len(names):,})</span>"
            f"<details><summary>where</summary><p>{listed}</p></details></li>"
        )
    for error in collector.errors:
        out.append(f'<li class="notice error"><b>not read</b>: {_e(error)}</li>')
    out.append("</ul></section>")
    return "".join(out)


def _filters(collector: _Collector) -> str:
    def select(name: str, label: str, options: Iterable[tuple[str, str]]) -> str:
        opts = "".join(f'<option value="{_e(v)}">{_e(t)}</option>' for v, t in options)
        return (
            f'<label>{_e(label)} <select id="filter-{name}" data-filter="{name}">'
            f'<option value="">all</option>{opts}</select></label>'
        )

    severities = [s.value for s in sorted(Severity, key=lambda s: -s.rank)]
    return (
        '<div class="filters" role="search">'
        + select(
            "rule", "Rule", ((c, f"{c} {m['rule']}") for c, m in sorted(collector.rules.items()))
        )
        + select("severity", "Severity", ((s, s) for s in severities))
        + select("language", "Language", ((c, c) for c in sorted(collector.languages)))
        + select("agent", "Agent", ((a, a) for a in sorted(collector.agents)))
        + '<span id="match-count" aria-live="polite"></span></div>'
    )


@register("html")
def write_html(items: Iterable[Linted], out: TextIO, context: ReportContext | None = None) -> None:
    context = context or ReportContext()
    collector = _Collector(context)
    for item in items:
        collector.add(item)
    tally = collector.tally
    data = {"rules": collector.rules, "conversations": collector.conversations}
    version = f" {context.tool_version}" if context.tool_version else ""
    out.write(
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        f'<meta name="generator" content="{GENERATOR}{_e(version)}">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        "<title>deescalate-lint report</title>"
        f"<style>{_CSS}</style></head><body>"
        "<header><h1>deescalate-lint report</h1>"
        f"<p class='lede'>{_e(tally.summary_line())}.</p></header><main>"
    )
    out.write(_summary(collector))
    out.write(_charts(collector))
    out.write(
        '<section id="findings"><h2>Findings in their conversations</h2>'
        + _filters(collector)
        + '<nav class="pager"><button id="prev" type="button">\u2190 previous</button>'
        '<span id="page-info"></span><button id="next" type="button">next \u2192</button></nav>'
        '<div id="conversations"><noscript>The findings list needs JavaScript; the summary '
        "and notices above do not.</noscript></div></section>"
    )
    out.write(_notices(collector))
    out.write(
        "</main><footer>Made by deescalate-lint"
        f"{_e(version)}. Every finding cites the guidance it rests on; the gloss is "
        "the project's own English summary of the cited passage.</footer>"
        f'<script type="application/json" id="report-data">{_script_json(data)}</script>'
        f"<script>const PAGE_SIZE = {PAGE_SIZE};\n{_JS}</script></body></html>\n"
    )


_CSS = """
:root{--bg:#f6f7f9;--fg:#1d2330;--muted:#5b6576;--card:#fff;--line:#dde1e8;
--error:#b42318;--warning:#b54708;--info:#175cd3;--mark:#ffe58a;--agent:#eef4ff;--bar:#3b6fd8}
*{box-sizing:border-box}
body{margin:0;font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans",
"Noto Sans CJK SC","Noto Sans CJK KR",sans-serif;background:var(--bg);color:var(--fg)}
header{padding:18px 28px 6px}h1{margin:0;font-size:24px}.lede{color:var(--muted);margin:4px 0}
main{padding:0 28px 28px}h2{font-size:18px;margin:22px 0 10px}
.cards{display:flex;flex-wrap:wrap;gap:10px}
.card{background:var(--card);border:1px solid var(--line);border-radius:8px;padding:10px 16px;
min-width:150px}.card .big{font-size:24px;font-weight:650}
.card div:last-child{color:var(--muted);font-size:13px}
table.stats{border-collapse:collapse;background:var(--card);margin:14px 0;min-width:60%}
table.stats caption{text-align:left;font-weight:600;padding:4px 0}
table.stats th,table.stats td{border:1px solid var(--line);padding:4px 10px;text-align:left}
table.stats th{background:#eef0f4;font-weight:600;font-size:13px}td.num{text-align:right}
.sev{font-size:12px;font-weight:650;padding:1px 7px;border-radius:10px;color:#fff}
.sev.error{background:var(--error)}.sev.warning{background:var(--warning)}
.sev.info{background:var(--info)}
.charts{display:grid;grid-template-columns:repeat(auto-fit,minmax(420px,1fr));gap:14px;
align-items:start}
.chart{background:var(--card);border:1px solid var(--line);border-radius:8px;margin:0;
padding:10px 14px}.chart figcaption{font-weight:600;margin-bottom:6px}
.chart .unit{color:var(--muted);font-weight:400}
.chart svg text{font-size:13px;fill:var(--fg)}.chart svg rect{fill:var(--bar)}
.chart svg text.value{fill:var(--muted)}
.filters{display:flex;flex-wrap:wrap;gap:14px;align-items:center;background:var(--card);
border:1px solid var(--line);border-radius:8px;padding:10px 14px}
.filters select{font:inherit;padding:2px 4px}#match-count{color:var(--muted)}
.pager{display:flex;gap:12px;align-items:center;margin:10px 0}
.pager button{font:inherit;padding:3px 10px}
.conversation{background:var(--card);border:1px solid var(--line);border-radius:8px;
margin:12px 0;padding:10px 14px}
.conversation h3{font-size:15px;margin:0 0 6px;word-break:break-all}
.meta{color:var(--muted);font-size:13px;margin-bottom:6px}
.turn{display:grid;grid-template-columns:180px 1fr;gap:10px;padding:5px 8px;
border-radius:6px;margin:2px 0}.turn.agent{background:var(--agent)}
.turn.flagged{outline:2px solid var(--warning)}.who{color:var(--muted);font-size:13px}
.text{white-space:pre-wrap;overflow-wrap:anywhere}
mark{background:var(--mark);padding:0 2px;border-radius:3px}
.gap{color:var(--muted);font-size:13px;padding:0 8px}
.finding{border-left:4px solid var(--warning);background:#fffaf2;margin:6px 0 10px 198px;
padding:6px 12px;border-radius:0 6px 6px 0}
.finding.error{border-color:var(--error);background:#fff5f4}
.finding.info{border-color:var(--info);background:#f3f7ff}
.finding .msg{font-weight:600}.finding .try{margin:3px 0}
.finding .evidence{font-style:italic}
.cites{margin:4px 0 0;padding-left:18px;font-size:13px}
.cites li{margin:2px 0}.more-cites{font-size:13px;color:var(--muted);margin-left:18px}
.gloss{color:var(--fg)}.key{font-weight:600}
.src{color:var(--muted)}
.notices li{margin:4px 0}.notices .count{color:var(--muted)}
.notices details{display:inline-block;margin-left:6px;color:var(--muted)}
.notices .error b{color:var(--error)}
footer{color:var(--muted);font-size:13px;padding:10px 28px 30px}
"""

_JS = r"""
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("report-data").textContent);
  var filters = {rule: "", severity: "", language: "", agent: ""};
  var page = 0;
  var list = document.getElementById("conversations");

  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text !== undefined && text !== null) node.textContent = text;
    return node;
  }
  function keep(convo, f) {
    return (!filters.rule || f.code === filters.rule) &&
      (!filters.severity || f.severity === filters.severity) &&
      (!filters.language || f.language === filters.language) &&
      (!filters.agent || convo.agent === filters.agent);
  }
  function clock(seconds) {
    var m = Math.floor(seconds / 60), s = Math.floor(seconds % 60);
    return m + ":" + (s < 10 ? "0" : "") + s;
  }
  function marked(turn, findings) {
    var node = el("div", "text");
    var offset = turn.o || 0, text = turn.t, at = 0;
    var spans = findings.filter(function (f) { return f.turn === turn.i; })
      .map(function (f) { return [f.start - offset, f.end - offset]; })
      .filter(function (s) { return s[1] > 0 && s[0] < text.length; })
      .sort(function (a, b) { return a[0] - b[0]; });
    if (offset) node.appendChild(document.createTextNode("\u2026"));
    spans.forEach(function (span) {
      var start = Math.max(span[0], at), end = Math.min(span[1], text.length);
      if (end <= start) return;
      node.appendChild(document.createTextNode(text.slice(at, start)));
      node.appendChild(el("mark", null, text.slice(start, end)));
      at = end;
    });
    node.appendChild(document.createTextNode(text.slice(at)));
    return node;
  }
  function findingCard(f) {
    var rule = data.rules[f.code] || {rule: f.code, citations: []};
    var card = el("article", "finding " + f.severity);
    card.dataset.rule = f.code;
    card.dataset.severity = f.severity;
    card.dataset.language = f.language || "";
    var head = el("div", "msg");
    var sev = el("span", "sev " + f.severity, f.severity);
    head.appendChild(sev);
    head.appendChild(document.createTextNode(" " + f.code + " " + rule.rule + ": " + f.message));
    card.appendChild(head);
    if (f.evidence) card.appendChild(el("div", "evidence", "\u201c" + f.evidence + "\u201d"));
    card.appendChild(el("div", "try", "Try: " + f.suggestion));
    function citation(c) {
      var li = el("li", "citation");
      li.appendChild(el("span", "key", "\u201c" + c.key_phrase + "\u201d"));
      li.appendChild(el("span", "gloss", " \u2014 " + c.gloss + " "));
      li.appendChild(el("span", "src", "(" + c.title + ", \u00a7 " + c.section +
        ", lines " + c.lines[0] + "\u2013" + c.lines[1] + ", " + c.document + ")"));
      return li;
    }
    if (rule.citations.length) {
      var cites = el("ul", "cites");
      cites.appendChild(citation(rule.citations[0]));
      card.appendChild(cites);
      if (rule.citations.length > 1) {
        var more = el("details", "more-cites");
        var n = rule.citations.length - 1;
        more.appendChild(el("summary", null, n + " more " + (n === 1 ? "citation" : "citations")));
        var rest = el("ul", "cites");
        rule.citations.slice(1).forEach(function (c) { rest.appendChild(citation(c)); });
        more.appendChild(rest);
        card.appendChild(more);
      }
    }
    return card;
  }
  function render(convo, findings) {
    var box = el("section", "conversation");
    box.dataset.agent = convo.agent || "";
    var name = convo.path + (convo.id ? " #" + convo.id : "");
    box.appendChild(el("h3", null, name));
    var meta = [];
    ["agent", "team", "queue", "date"].forEach(function (k) {
      if (convo[k]) meta.push(k + ": " + convo[k]);
    });
    meta.push(findings.length + (findings.length === 1 ? " finding" : " findings"));
    box.appendChild(el("div", "meta", meta.join(" \u00b7 ")));
    var last = -1;
    convo.turns.forEach(function (turn) {
      if (last >= 0 && turn.i > last + 1) box.appendChild(el("div", "gap", "\u22ee"));
      last = turn.i;
      var own = findings.filter(function (f) { return f.turn === turn.i; });
      var row = el("div", "turn" + (turn.a ? " agent" : "") + (own.length ? " flagged" : ""));
      var when = turn.at !== undefined ? " \u00b7 " + clock(turn.at) : "";
      var who = convo.template ? "template" : "turn " + (turn.i + 1) + " \u00b7 " + turn.s + when;
      row.appendChild(el("div", "who", who));
      row.appendChild(marked(turn, own));
      box.appendChild(row);
      own.forEach(function (f) { box.appendChild(findingCard(f)); });
    });
    findings.filter(function (f) { return f.turn < 0; })
      .forEach(function (f) { box.appendChild(findingCard(f)); });
    return box;
  }
  function update() {
    var matching = [], count = 0;
    data.conversations.forEach(function (convo) {
      var kept = convo.findings.filter(function (f) { return keep(convo, f); });
      if (kept.length) { matching.push([convo, kept]); count += kept.length; }
    });
    var pages = Math.max(1, Math.ceil(matching.length / PAGE_SIZE));
    if (page >= pages) page = pages - 1;
    list.textContent = "";
    matching.slice(page * PAGE_SIZE, (page + 1) * PAGE_SIZE).forEach(function (pair) {
      list.appendChild(render(pair[0], pair[1]));
    });
    if (!matching.length) list.appendChild(el("p", "empty", "No finding matches these filters."));
    var counter = document.getElementById("match-count");
    counter.textContent = count + (count === 1 ? " finding" : " findings") + " in " +
      matching.length + (matching.length === 1 ? " conversation" : " conversations");
    counter.dataset.findings = count;
    counter.dataset.conversations = matching.length;
    document.getElementById("page-info").textContent = "page " + (page + 1) + " of " + pages;
    document.getElementById("prev").disabled = page === 0;
    document.getElementById("next").disabled = page >= pages - 1;
  }
  Array.prototype.forEach.call(document.querySelectorAll("select[data-filter]"), function (s) {
    s.addEventListener("change", function () {
      filters[s.dataset.filter] = s.value;
      page = 0;
      update();
    });
  });
  document.getElementById("prev").addEventListener("click", function () { page -= 1; update(); });
  document.getElementById("next").addEventListener("click", function () { page += 1; update(); });
  // Filters in the address (report.html#rule=DL102&agent=Dana) are applied on load.
  location.hash.replace(/^#/, "").split("&").forEach(function (pair) {
    var parts = pair.split("="), key = decodeURIComponent(parts[0] || "");
    var value = decodeURIComponent(parts[1] || "");
    if (key === "page") { page = Math.max(0, parseInt(value, 10) - 1 || 0); return; }
    var select = document.getElementById("filter-" + key);
    if (select && key in filters) { select.value = value; filters[key] = select.value; }
  });
  update();
})();
"""
