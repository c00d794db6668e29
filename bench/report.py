"""Turn the raw measurements into figures, ratios and targets: report.md and report.json."""

# ruff: noqa: E501 -- markdown table rows read best as one source line each.
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

TARGETS = {
    "proselint": 10.0,  # lint (auto-detect) MB/s over proselint MB/s
    "spacy": 3.0,  # lint (auto-detect) MB/s over tokenise-everything MB/s
    "startup_clean_s": 0.5,
    "peak_rss_mb": 300.0,
    "jobs_speedup": 1.7,
}


def auto_rate(row: dict[str, Any]) -> float:
    return float(row["lint_auto"]["mb_per_s"])


def _rate(amount: float, seconds: float) -> float:
    return amount / seconds if seconds > 0 else float("inf")


def figures(report: dict[str, Any]) -> dict[str, Any]:
    """Derived figures (rates and ratios) from the raw measurements."""
    out: dict[str, Any] = {}
    for name, section in report.get("corpora", {}).items():
        stats = section["stats"]
        mb = stats["text_bytes"] / 1e6
        row: dict[str, Any] = {}
        for mode in ("auto", "given"):
            seconds = section[f"lint_{mode}"]["seconds"]
            row[f"lint_{mode}"] = {
                "transcripts_per_s": _rate(stats["transcripts"], seconds),
                "agent_turns_per_s": _rate(stats["agent_turns"], seconds),
                "mb_per_s": _rate(mb, seconds),
                "seconds": seconds,
                "findings": section[f"lint_{mode}"]["findings"],
            }
        prose = section["proselint"]
        row["proselint_mb_per_s"] = _rate(prose["text_bytes"] / 1e6, prose["seconds"])
        row["proselint_share_linted"] = prose["text_bytes"] / max(stats["text_bytes"], 1)
        row["spacy_mb_per_s"] = _rate(mb, section["spacy"]["seconds"])
        patterns = section["regex"]["patterns_pass"]
        literals = section["regex"]["literals_pass"]
        row["regex_mb_per_s"] = _rate(patterns["text_bytes"] / 1e6, patterns["seconds"])
        row["regex_share_scanned"] = patterns["text_bytes"] / max(stats["text_bytes"], 1)
        row["literals_mb_per_s"] = _rate(literals["text_bytes"] / 1e6, literals["seconds"])
        row["ratio_vs_literals"] = auto_rate(row) / row["literals_mb_per_s"]
        auto = row["lint_auto"]["mb_per_s"]
        row["ratio_vs_proselint"] = auto / row["proselint_mb_per_s"]
        row["ratio_vs_spacy"] = auto / row["spacy_mb_per_s"]
        row["ratio_vs_regex"] = auto / row["regex_mb_per_s"]
        row["ratio_given_vs_proselint"] = row["lint_given"]["mb_per_s"] / row["proselint_mb_per_s"]
        row["ratio_given_vs_spacy"] = row["lint_given"]["mb_per_s"] / row["spacy_mb_per_s"]
        out[name] = row
    spark = report.get("spark")
    if spark:
        mb = spark["stats"]["text_bytes"] / 1e6
        out["spark"] = {
            "mb_per_s": _rate(mb, spark["seconds"]),
            "transcripts_per_s": _rate(spark["transcripts"], spark["seconds"]),
            "ratio_vs_serial": spark["serial_seconds"] / spark["seconds"],
            "same_finding_count": spark["findings"] == spark["serial_findings"],
        }
    return out


def _ok(flag: bool) -> str:
    return "met" if flag else "NOT met"


def markdown(report: dict[str, Any], derived: dict[str, Any]) -> str:
    machine, versions = report["machine"], report["versions"]
    lines = [
        "# deescalate-lint benchmark",
        "",
        f"Machine: {machine['cpu']}, {machine['cores']} cores, {machine['memory_gb']} GB, "
        f"{machine['platform']}. Load average at start {_load(machine['load_average_start'])}, "
        f"at end {_load(machine.get('load_average_end', ()))} (other jobs share the cores: "
        "absolute times are noisy, ratios are measured side by side).",
        "",
        "Versions: " + ", ".join(f"{k} {v}" for k, v in versions.items()) + ".",
        "",
        f"Options: `{_options(report['options'])}`; total wall {report.get('wall_seconds', 0):.0f} s.",
        "",
        "## Throughput, one process",
        "",
        "MB/s counts the UTF-8 bytes of turn text (not JSON syntax). `auto`: language detected "
        "(the `language` field removed); `given`: the transcript's `language` field is used.",
        "",
        "| corpus | transcripts | agent turns | text MB | mode | transcripts/s | agent turns/s | MB/s | findings |",
        "|---|---:|---:|---:|---|---:|---:|---:|---:|",
    ]
    for name, row in ((n, r) for n, r in derived.items() if n != "spark"):
        stats = report["corpora"][name]["stats"]
        for mode in ("auto", "given"):
            cell = row[f"lint_{mode}"]
            lines.append(
                f"| {name} | {stats['transcripts']} | {stats['agent_turns']} | "
                f"{stats['text_bytes'] / 1e6:.2f} | {mode} | {cell['transcripts_per_s']:.0f} | "
                f"{cell['agent_turns_per_s']:.0f} | {cell['mb_per_s']:.2f} | {cell['findings']} |"
            )
    lines += [
        "",
        "## Baselines on the same text, same run",
        "",
        "| corpus | proselint MB/s (share linted) | spaCy tokenise-all MB/s | one pass, all trigger patterns MB/s (share) "
        "| one pass, their literals MB/s | lint auto / proselint | lint auto / spaCy | lint auto / pattern pass "
        "| lint auto / literal pass | lint given / proselint | lint given / spaCy |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for name, row in ((n, r) for n, r in derived.items() if n != "spark"):
        lines.append(
            f"| {name} | {row['proselint_mb_per_s']:.3f} ({row['proselint_share_linted']:.0%}) | "
            f"{row['spacy_mb_per_s']:.2f} | {row['regex_mb_per_s']:.3f} ({row['regex_share_scanned']:.0%}) | "
            f"{row['literals_mb_per_s']:.2f} | "
            f"{row['ratio_vs_proselint']:.1f}x ({_ok(row['ratio_vs_proselint'] >= TARGETS['proselint'])}) | "
            f"{row['ratio_vs_spacy']:.2f}x ({_ok(row['ratio_vs_spacy'] >= TARGETS['spacy'])}) | "
            f"{row['ratio_vs_regex']:.1f}x | {row['ratio_vs_literals']:.2f}x | {row['ratio_given_vs_proselint']:.1f}x | "
            f"{row['ratio_given_vs_spacy']:.2f}x |"
        )
    lines += [
        "",
        "proselint: its Python API (`LintFile(...).lint(config)`), every default check, the "
        "result cap lifted, each transcript's turns joined as one plain-prose document, in file "
        f"order until a {report['options']['proselint_seconds']:.0f} s budget ran out. spaCy: "
        "read the JSONL and run a fresh blank tokeniser of the transcript's language (given for "
        "free) over every turn. Pattern pass: one `regex` alternation (case-insensitive, word edges) of "
        "every trigger pattern of every shipped rule pack and language, one pass over each turn held "
        "in memory, under the same time budget. Literal pass: one stdlib `re` alternation of the "
        "literals those patterns require (see `deescalate_lint/literals.py`) over every case-folded "
        "turn: the cheapest scan that still looks for every trigger.",
        "",
    ]
    startup = report.get("startup")
    if startup:
        clean = startup["clean_template"]["median_seconds"]
        lines += [
            "## Start-up (cold process, median)",
            "",
            "| what | median s | runs |",
            "|---|---:|---|",
            f"| `python -c pass` | {startup['python_bare']:.3f} | |",
        ]
        for key in ("clean_template", "finding_template"):
            item = startup[key]
            runs = ", ".join(f"{r:.3f}" for r in item["runs"])
            lines.append(
                f"| `lint-transcript` {key.replace('_', ' ')} (exit {item['exit']}) | {item['median_seconds']:.3f} | {runs} |"
            )
        lines += [
            "",
            f"Clean template <= {TARGETS['startup_clean_s']} s: {_ok(clean <= TARGETS['startup_clean_s'])}.",
            "",
        ]
    memory = report.get("memory")
    if memory:
        lines += [
            "## Memory (CLI, `--format jsonl` to /dev/null, one process)",
            "",
            "| JSONL MB | wall s | MB/s of file | peak RSS MB |",
            "|---:|---:|---:|---:|",
        ]
        for run in memory["runs"]:
            lines.append(
                f"| {run['file_bytes'] / 1e6:.0f} | {run['seconds']:.1f} | "
                f"{run['file_bytes'] / 1e6 / run['seconds']:.2f} | {run['peak_rss_mb']:.0f} |"
            )
        peak = max(r["peak_rss_mb"] for r in memory["runs"])
        lines += [
            "",
            f"Peak RSS < {TARGETS['peak_rss_mb']:.0f} MB: {_ok(peak < TARGETS['peak_rss_mb'])}; "
            "flat means the two sizes (1:10) peak alike.",
            "",
        ]
    parallel = report.get("parallel")
    if parallel:
        lines += [
            "## Parallel (`deescalate_lint.parallel`, one large JSONL cut into blocks)",
            "",
            f"{parallel['file_bytes'] / 1e6:.0f} MB JSONL: 1 process {parallel['serial_seconds']:.1f} s, "
            f"{parallel['jobs']} processes {parallel['parallel_seconds']:.1f} s: "
            f"**{parallel['speedup']:.2f}x** (target {TARGETS['jobs_speedup']}x: "
            f"{_ok(parallel['speedup'] >= TARGETS['jobs_speedup'])}); output identical and in the same "
            f"order: {parallel['identical']} ({parallel['results']} results).",
            "",
            f"CPU: {parallel.get('serial_cpu_seconds', 0):.1f} s serial, "
            f"{parallel.get('parallel_cpu_seconds', 0):.1f} s over all processes in parallel; cores "
            f"actually obtained: {parallel.get('cores_used_serial', 0):.2f} serial, "
            f"{parallel.get('cores_used_parallel', 0):.2f} in parallel (of {parallel['jobs']} asked). "
            "When other jobs hold the cores, wall-clock speed-up is capped by the cores obtained.",
            "",
            f"Ceiling measured beside it (a pure-Python busy loop in {parallel['jobs']} processes vs 1): "
            f"{parallel.get('ceiling_before', {}).get('speedup', 0):.2f}x before, "
            f"{parallel.get('ceiling_after', {}).get('speedup', 0):.2f}x after; the linter reached "
            f"{parallel['speedup'] / max(min(parallel.get('ceiling_before', {}).get('speedup', 1), parallel.get('ceiling_after', {}).get('speedup', 1)), 1e-9):.0%} "
            "of the lower ceiling.",
            "",
        ]
    spark = report.get("spark")
    if spark:
        row = derived["spark"]
        lines += [
            "## Spark local[2] (`deescalate_lint.spark.lint_transcripts`)",
            "",
            f"{spark['transcripts']} transcripts ({spark['stats']['text_bytes'] / 1e6:.2f} MB text): "
            f"{spark['seconds']:.1f} s = {row['mb_per_s']:.2f} MB/s, {row['transcripts_per_s']:.0f} "
            f"transcripts/s ({row['ratio_vs_serial']:.2f}x one in-process linter; session start "
            f"{spark['session_seconds']:.1f} s not counted). Findings {spark['findings']}, serial "
            f"{spark['serial_findings']}: same count {row['same_finding_count']}.",
            "",
        ]
    profile = report.get("profile")
    if profile:
        lines += [
            "## Profile (pyinstrument, synthetic corpus, auto-detect)",
            "",
            "```",
            *profile["text"].splitlines()[:60],
            "```",
            "",
        ]
    return "\n".join(lines)


def _load(values: Any) -> str:
    return "/".join(f"{v:.2f}" for v in values) if values else "?"


def _options(options: dict[str, Any]) -> str:
    shown = {k: v for k, v in options.items() if v not in (None, False) and k != "out"}
    return " ".join(f"--{k.replace('_', '-')}={v}" for k, v in shown.items())


def write_report(report: dict[str, Any], out_dir: Path) -> None:
    derived = figures(report)
    data = {**report, "figures": derived, "targets": TARGETS}
    if "profile" in data:
        data["profile"] = {"file": data["profile"]["file"]}
    (out_dir / "report.json").write_text(json.dumps(data, indent=2, default=str), encoding="utf-8")
    (out_dir / "report.md").write_text(markdown(report, derived), encoding="utf-8")
