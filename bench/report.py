"""Turn the raw measurements into figures, ratios and targets: report.md and report.json."""

# ruff: noqa: E501 -- markdown table rows read best as one source line each.
from __future__ import annotations

import itertools
import json
from pathlib import Path
from typing import Any

TARGETS = {
    "today": 3.0,  # lint (auto-detect) MB/s over today's version's (873dfea), real corpus
    "proselint_document": 5.0,  # lint (auto-detect) over proselint on one document, real corpus
    "floor": 10.0,  # the scan-first floor's MB/s over the linter's (at most)
    "long_5mb_s": 10.0,  # seconds for one 5 MB reply template
    "startup_clean_s": 0.3,
    "peak_rss_mb": 300.0,
    "jobs_speedup": 1.7,
}


#: Throughput modes: language detected, language given, and detected with only
#: the rules today's version ships (``core``: the same work in both versions).
MODES = ("auto", "given", "core")


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
        for mode in MODES:
            for who in ("lint", "today"):
                cell = section.get(f"{who}_{mode}")
                if cell is None:
                    continue
                seconds = cell["seconds"]
                row[f"{who}_{mode}"] = {
                    "transcripts_per_s": _rate(stats["transcripts"], seconds),
                    "agent_turns_per_s": _rate(stats["agent_turns"], seconds),
                    "mb_per_s": _rate(mb, seconds),
                    "seconds": seconds,
                    "cpu_seconds": cell.get("cpu_seconds"),
                    "results": cell.get("results"),
                }
            if f"today_{mode}" in row:
                row[f"ratio_{mode}_vs_today"] = (
                    row[f"lint_{mode}"]["mb_per_s"] / row[f"today_{mode}"]["mb_per_s"]
                )
                row[f"cpu_ratio_{mode}_vs_today"] = (
                    section[f"today_{mode}"]["cpu_seconds"] / section[f"lint_{mode}"]["cpu_seconds"]
                )
        auto = row["lint_auto"]["mb_per_s"]
        prose = section.get("proselint")
        if prose:
            row["proselint_mb_per_s"] = _rate(prose["text_bytes"] / 1e6, prose["seconds"])
            row["proselint_share_linted"] = prose["text_bytes"] / max(stats["text_bytes"], 1)
            row["ratio_vs_proselint"] = auto / row["proselint_mb_per_s"]
        document = section.get("proselint_document")
        if document:
            row["proselint_document_mb_per_s"] = _rate(
                document["text_bytes"] / 1e6, document["seconds"]
            )
            row["ratio_vs_proselint_document"] = auto / row["proselint_document_mb_per_s"]
        floor = section["floor"]
        row["floor_mb_per_s"] = _rate(mb, floor["seconds"])
        row["floor_over_lint_auto"] = row["floor_mb_per_s"] / auto
        row["floor_over_lint_given"] = row["floor_mb_per_s"] / row["lint_given"]["mb_per_s"]
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
    today = report.get("today") or "873dfea"  # reports written before the commit was recorded
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
        "## Throughput, one process, this version beside today's",
        "",
        "MB/s counts the UTF-8 bytes of turn text (not JSON syntax). `auto`: language detected "
        "(the `language` field removed); `given`: the transcript's `language` field is used. "
        "Each version runs in its own process (`Linter().lint_paths`, one warm-up run first), "
        "the two taking turns run by run; medians. `core`: auto-detect with both versions "
        "running only the rules today's version ships (this version has more rules; "
        "the same work in both). Today's version: commit "
        f"{today} (issue #14's baseline is 873dfea), copied from `--today`.",
        "",
        "| corpus | transcripts | text MB | mode | version | MB/s | transcripts/s | results | this / today (wall) | this / today (CPU) |",
        "|---|---:|---:|---|---|---:|---:|---:|---:|---:|",
    ]
    rows = [(n, r) for n, r in derived.items() if n not in ("spark", "long")]
    for name, row in rows:
        stats = report["corpora"][name]["stats"]
        for mode in MODES:
            for who, label in (("lint", "this"), ("today", f"today ({today})")):
                cell = row.get(f"{who}_{mode}")
                if cell is None:
                    continue
                ratio = cpu = ""
                if who == "lint" and f"ratio_{mode}_vs_today" in row:
                    target = (
                        " (target 3x: "
                        + _ok(row[f"ratio_{mode}_vs_today"] >= TARGETS["today"])
                        + ")"
                    )
                    ratio = f"**{row[f'ratio_{mode}_vs_today']:.2f}x**" + (
                        target if mode == "auto" and today == "873dfea" else ""
                    )
                    cpu = f"{row[f'cpu_ratio_{mode}_vs_today']:.2f}x"
                lines.append(
                    f"| {name} | {stats['transcripts']} | {stats['text_bytes'] / 1e6:.2f} | {mode} | "
                    f"{label} | {cell['mb_per_s']:.2f} | {cell['transcripts_per_s']:.0f} | "
                    f"{cell['results']} | {ratio} | {cpu} |"
                )
    lines += [
        "",
        "## The scan-first floor and proselint, same text, same run",
        "",
        "Floor: each turn scanned once (every pattern of its language; the engine is named) and "
        "every candidate confirmed with `regex`; no reading, detection, scope or rule logic. "
        "proselint: its Python API, every default check, the result cap lifted; *one document*: "
        "every turn of the corpus joined (as its CLI reads a file); *per transcript*: each "
        f"transcript's turns joined, in file order until a {report['options']['proselint_seconds']:.0f} s "
        "budget ran out (the README's old 10x compared against this one).",
        "",
        "| corpus | floor MB/s (engine) | floor / lint auto (target <= 10x) | floor / lint given | candidates / hits | proselint one document MB/s | lint auto / it (target 5x) | proselint per transcript MB/s (share) | lint auto / it |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for name, row in rows:
        floor = report["corpora"][name]["floor"]
        document = (
            f"{row['proselint_document_mb_per_s']:.2f} | **{row['ratio_vs_proselint_document']:.1f}x** "
            f"({_ok(row['ratio_vs_proselint_document'] >= TARGETS['proselint_document'])})"
            if "proselint_document_mb_per_s" in row
            else "not run (corpus over 5 MB) | "
            if "proselint_mb_per_s" in row
            else "not installed | "
        )
        per_transcript = (
            f"{row['proselint_mb_per_s']:.3f} ({row['proselint_share_linted']:.0%}) | "
            f"{row['ratio_vs_proselint']:.1f}x |"
            if "proselint_mb_per_s" in row
            else "not installed | |"
        )
        lines.append(
            f"| {name} | {row['floor_mb_per_s']:.1f} ({floor['engine']}) | "
            f"**{row['floor_over_lint_auto']:.1f}x** ({_ok(row['floor_over_lint_auto'] <= TARGETS['floor'])}) | "
            f"{row['floor_over_lint_given']:.1f}x | {floor['candidates']} / {floor['hits']} | {document} | "
            f"{per_transcript}"
        )
    lines.append("")
    startup = report.get("startup")
    if startup:
        clean = startup["clean_template"]["median_seconds"]
        lines += [
            "## Start-up (cold process, median; bytecode and start-up memo written by a first run, as after `pip install` and a first lint)",
            "",
            "| what | version | median s | runs |",
            "|---|---|---:|---|",
            f"| `python -c pass` | | {startup['python_bare']:.3f} | |",
        ]
        for version, found in (("this", startup), (f"today ({today})", startup.get("today"))):
            if not found:
                continue
            for key in ("clean_template", "finding_template", "first_run"):
                item = found.get(key)
                if item is None:
                    continue
                runs = ", ".join(f"{r:.3f}" for r in item["runs"])
                what = "clean template, empty memo" if key == "first_run" else key.replace("_", " ")
                lines.append(
                    f"| `lint-transcript` {what} (exit {item['exit']}) | {version} | "
                    f"{item['median_seconds']:.3f} | {runs} |"
                )
        lines += [
            "",
            f"Clean template <= {TARGETS['startup_clean_s']} s: {_ok(clean <= TARGETS['startup_clean_s'])}.",
            "",
        ]
    long = report.get("long")
    if long:
        lines += [
            '## Long reply templates (one turn: "we are sorry for the delay. It should arrive by Friday." repeated; cold CLI process)',
            "",
            "| characters | version | wall s | s per MB | peak RSS MB | exit |",
            "|---:|---|---:|---:|---:|---:|",
        ]
        for version, runs in (("this", long["runs"]), (f"today ({today})", long.get("today", []))):
            for run in runs:
                lines.append(
                    f"| {run['characters']:,} | {version} | {run['seconds']:.1f} | "
                    f"{run['seconds'] / (run['characters'] / 1e6):.1f} | {run['peak_rss_mb']:.0f} | {run['exit']} |"
                )
        series = long["runs"]
        biggest = series[-1]
        # Growth past the fixed start-up cost: seconds added per MB between sizes.
        steps = [
            (b["seconds"] - a["seconds"]) / ((b["characters"] - a["characters"]) / 1e6)
            for a, b in itertools.pairwise(series)
        ]
        lines += [
            "",
            f"5 MB in under {TARGETS['long_5mb_s']:.0f} s: {_ok(biggest['seconds'] < TARGETS['long_5mb_s'])}. "
            "Seconds added per MB from one size to the next: "
            + ", ".join(f"{step:.2f}" for step in steps)
            + " (linear growth keeps these alike; quadratic would multiply them).",
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
        for name, found in profile.items():
            lines += [
                f"## Profile, {name} version (pyinstrument, real corpus, language detected, 3 warm runs)",
                "",
                "```",
                *found["text"].splitlines()[:45],
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
        data["profile"] = {name: {"file": p["file"]} for name, p in data["profile"].items()}
    (out_dir / "report.json").write_text(json.dumps(data, indent=2, default=str), encoding="utf-8")
    (out_dir / "report.md").write_text(markdown(report, derived), encoding="utf-8")
