"""``python -m bench``: run every measurement and write bench/out/report.md and report.json.

Options::

    --quick              about a minute or two: 1 MB synthetic corpus, no Spark, 10 MB memory run
    --size 20MB          synthetic corpus for throughput and baselines
    --big-size 1GB       JSONL for the memory run (generated in a temp dir, then deleted)
    --parallel-size 40MB corpus for --jobs 1 vs --jobs N
    --jobs 2             processes for the parallel run
    --spark / --no-spark Spark local[2] run (default: on when PySpark and Java are present)
    --profile            also profile this version and today's (pyinstrument, real corpus)
                         into out/profile-this.txt and out/profile-today.txt
    --out bench/out      where the report goes
    --sections a,b       only some of: throughput,startup,long,parallel,memory,spark
    --today DIR          today's version (issue #14: commit 873dfea) to measure beside this one
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from importlib import metadata
from pathlib import Path
from typing import Any

from . import measure
from .report import write_report
from .synth import parse_size, write_corpus

REPO = Path(__file__).resolve().parent.parent
DEFAULT_CORPORA = REPO.parent / "shared" / "corpora"
#: Today's version (issue #14's baseline, commit 873dfea), checked out beside this one.
DEFAULT_TODAY = REPO.parent / "wt-orig"
#: The long-template series (characters of one reply template).
LONG_SIZES = (250_000, 1_000_000, 5_000_000)

CLEAN_TEMPLATE = (
    "Hi {{ first_name }},\n\nThanks for getting in touch. I've checked order {{ order_id }}: "
    "it left our warehouse this morning and the courier expects to deliver it on Thursday. "
    "I'll keep an eye on the tracking and write again if anything changes.\n\nBest wishes,\n"
    "{{ agent_name }}\n"
)
FINDING_TEMPLATE = CLEAN_TEMPLATE.replace(
    "the courier expects to deliver it on Thursday", "I guarantee it will be with you on Thursday"
)


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.quick:
        args.size = args.size or "1MB"
        args.big_size = args.big_size or "10MB"
        args.parallel_size = args.parallel_size or "4MB"
        args.proselint_seconds = min(args.proselint_seconds, 3.0)
        args.startup_runs = min(args.startup_runs, 3)
        args.repeat = 1
        args.spark = False if args.spark is None else args.spark
    args.size = args.size or "20MB"
    args.big_size = args.big_size or "1GB"
    args.parallel_size = args.parallel_size or "40MB"
    if args.spark is None:
        args.spark = _spark_available()
    out_dir = Path(args.out)
    out_dir.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="deescalate-bench-"))
    started = time.time()
    report: dict[str, Any] = {
        "machine": _machine(),
        "versions": _versions(),
        "options": vars(args),
        "today": _commit_of(args.today),
    }
    wanted = set(args.sections.split(","))
    try:
        if "throughput" in wanted:
            report["corpora"] = _throughput_section(args, work, report)
        if "startup" in wanted:
            report["startup"] = _startup(args, work)
        if "long" in wanted:
            report["long"] = _long(args, work)
        if "parallel" in wanted:
            report["parallel"] = _parallel(args, work)
        if "memory" in wanted:
            report["memory"] = _memory(args, work)
        if args.spark and "spark" in wanted:
            report["spark"] = _spark(args, work)
        if args.profile:
            report["profile"] = _profiles(args, work, out_dir)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    report["machine"]["load_average_end"] = os.getloadavg()
    report["wall_seconds"] = time.time() - started
    write_report(report, out_dir)
    print(f"wrote {out_dir / 'report.md'} and {out_dir / 'report.json'}")
    return 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="a run of about a minute")
    parser.add_argument("--size", help="synthetic corpus size (default 20MB; quick 1MB)")
    parser.add_argument("--big-size", help="memory-run JSONL size (default 1GB; quick 10MB)")
    parser.add_argument("--parallel-size", help="parallel-run corpus size (default 40MB)")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 2)
    parser.add_argument(
        "--corpora", default=str(DEFAULT_CORPORA), help="folder of real JSONL corpora"
    )
    parser.add_argument(
        "--proselint-seconds", type=float, default=20.0, help="time budget per corpus"
    )
    parser.add_argument("--startup-runs", type=int, default=7)
    parser.add_argument("--repeat", type=int, default=7, help="runs per throughput figure (median)")
    parser.add_argument("--spark", dest="spark", action="store_true", default=None)
    parser.add_argument("--no-spark", dest="spark", action="store_false")
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--out", default=str(REPO / "bench" / "out"))
    parser.add_argument(
        "--today",
        default=str(DEFAULT_TODAY),
        help="checkout of today's version, measured beside this one ('' to skip)",
    )
    parser.add_argument(
        "--sections",
        default="throughput,startup,long,parallel,memory,spark",
        help="comma-separated subset of: throughput,startup,long,parallel,memory,spark",
    )
    return parser


def _throughput_section(
    args: argparse.Namespace, work: Path, report: dict[str, Any]
) -> dict[str, Any]:
    sections: dict[str, Any] = {}
    real = sorted(Path(args.corpora).glob("*/*.jsonl")) + sorted(Path(args.corpora).glob("*.jsonl"))
    inputs: dict[str, list[Path]] = {}
    if real:
        inputs["real"] = real
    synthetic = work / "synthetic-given.jsonl"
    write_corpus(synthetic, parse_size(args.size))
    inputs["synthetic"] = [synthetic]
    for name, sources in inputs.items():
        given, auto = work / f"{name}-given.jsonl", work / f"{name}-auto.jsonl"
        if sources != [given]:
            measure.rewrite(sources, given, keep_language=True)
        measure.rewrite([given], auto, keep_language=False)
        stats = measure.text_stats(given)
        # Small corpora take turns often (noise evens out); big ones once each.
        repeat = args.repeat if stats["file_bytes"] < 5_000_000 else 1
        print(
            f"[{name}] {stats['transcripts']} transcripts, {stats['text_bytes'] / 1e6:.2f} MB text"
        )
        section: dict[str, Any] = {"files": [str(p) for p in sources], "stats": stats}
        versions = _versions_measured(args, work)
        for mode, path in (("auto", auto), ("given", given)):
            found = measure.side_by_side(versions, path, repeat)
            section[f"lint_{mode}"] = found["this"]
            if "today" in found:
                section[f"today_{mode}"] = found["today"]
        if "today" in versions:
            # Like for like: this version with only the rules today's ships (it
            # has five; this one more), so the ratio is the same work's speed.
            codes = measure.rule_codes(versions["today"])
            found = measure.side_by_side(versions, auto, repeat, select=codes)
            section["lint_core"], section["today_core"] = found["this"], found["today"]
            section["core_rules"] = codes
        print(
            f"[{name}] lint: auto {section['lint_auto']['seconds']:.2f}s,"
            f" given {section['lint_given']['seconds']:.2f}s"
            + (
                f", today auto {section['today_auto']['seconds']:.2f}s"
                if "today_auto" in section
                else ""
            )
        )
        section["floor"] = measure.scan_floor(given, repeat)
        if measure.has_proselint():
            section["proselint"] = measure.proselint_throughput(given, args.proselint_seconds)
            if stats["text_bytes"] <= 5_000_000:
                section["proselint_document"] = measure.proselint_document(given)
        else:
            print(f"[{name}] proselint is not installed (pip install -e '.[bench]'): not compared")
        print(f"[{name}] floor and baselines done")
        sections[name] = section
    return sections


def _commit_of(checkout: str) -> str:
    """The short commit of the checkout measured as today's, so the report
    names what it ran (``--today`` need not be issue #14's 873dfea)."""
    if not checkout:
        return ""
    found = subprocess.run(
        ["git", "-C", checkout, "rev-parse", "--short=7", "HEAD"],
        capture_output=True,
        text=True,
        check=False,
    )
    return found.stdout.strip() if found.returncode == 0 else Path(checkout).name


def _versions_measured(args: argparse.Namespace, work: Path) -> dict[str, Path]:
    """This checkout and, when given, a copy of today's (never written to: its
    bytecode and caches go to the copy)."""
    versions = {"this": REPO}
    today = Path(args.today) if args.today else None
    if today is not None and (today / "deescalate_lint").is_dir():
        copy = work / "today"
        if not copy.exists():
            shutil.copytree(
                today, copy, ignore=shutil.ignore_patterns(".git", "__pycache__", "*.pyc")
            )
        versions["today"] = copy
    return versions


def _startup(args: argparse.Namespace, work: Path) -> dict[str, Any]:
    clean, finding = work / "clean.txt", work / "finding.txt"
    clean.write_text(CLEAN_TEMPLATE, encoding="utf-8")
    finding.write_text(FINDING_TEMPLATE, encoding="utf-8")
    templates = {"clean_template": clean, "finding_template": finding}
    result = measure.startup(templates, args.startup_runs)
    today = _versions_measured(args, work).get("today")
    if today is not None:
        result["today"] = measure.startup(templates, args.startup_runs, checkout=today)
    print(f"[startup] clean {result['clean_template']['median_seconds']:.3f}s")
    return result


def _long(args: argparse.Namespace, work: Path) -> dict[str, Any]:
    """The long-template series: one reply template of 0.25, 1 and 5 MB (a
    trigger and a hedge in every line), a cold CLI process each."""
    runs = []
    for size in LONG_SIZES:
        result = measure.long_template(REPO, work, size)
        runs.append(result)
        print(f"[long] {size / 1e6:.2f} MB: {result['seconds']:.1f}s")
    out: dict[str, Any] = {"runs": runs}
    today = _versions_measured(args, work).get("today")
    if today is not None:  # today's takes minutes on the larger ones (issue #14)
        out["today"] = [measure.long_template(today, work, LONG_SIZES[0])]
    return out


def _parallel(args: argparse.Namespace, work: Path) -> dict[str, Any]:
    path = work / "parallel.jsonl"
    write_corpus(path, parse_size(args.parallel_size), seed=7, with_language=False)
    result = measure.parallel_speedup(path, args.jobs)
    result["file_bytes"] = path.stat().st_size
    path.unlink()
    print(
        f"[parallel] {result['speedup']:.2f}x with {args.jobs} jobs,"
        f" identical={result['identical']}"
    )
    return result


def _memory(args: argparse.Namespace, work: Path) -> dict[str, Any]:
    big = parse_size(args.big_size)
    runs = []
    for size in (max(big // 10, 1_000_000), big):
        path = work / f"memory-{size}.jsonl"
        write_corpus(path, size, seed=8, with_language=False)
        result = measure.memory(path)
        result["target_bytes"] = size
        runs.append(result)
        print(
            f"[memory] {size / 1e6:.0f} MB: peak RSS {result['peak_rss_mb']:.0f} MB"
            f" in {result['seconds']:.0f}s"
        )
        path.unlink()
    return {"runs": runs}


def _spark(args: argparse.Namespace, work: Path) -> dict[str, Any]:
    path = work / "synthetic-given.jsonl"
    if not path.exists():
        write_corpus(path, parse_size(args.size))
    result = measure.spark_throughput(path)
    result["stats"] = measure.text_stats(path)
    serial = measure.lint_throughput(path)
    result["serial_findings"] = serial["findings"]
    result["serial_seconds"] = serial["seconds"]
    print(
        f"[spark] {result['seconds']:.1f}s, {result['findings']} findings"
        f" (serial {serial['findings']})"
    )
    return result


_PROFILER = """
import sys
from pyinstrument import Profiler
from deescalate_lint import Linter
for _ in Linter().lint_paths([sys.argv[1]]):
    pass
profiler = Profiler(interval=0.0002)
profiler.start()
for _ in range(3):
    for _ in Linter().lint_paths([sys.argv[1]]):
        pass
profiler.stop()
print(profiler.output_text(unicode=False, color=False, show_all=False))
"""


def _profiles(args: argparse.Namespace, work: Path, out_dir: Path) -> dict[str, Any]:
    """pyinstrument on the real corpus, language detected, three warm runs: this
    version and today's, each in its own process."""
    path = work / "real-auto.jsonl"
    if not path.exists():
        real = sorted(Path(args.corpora).glob("*/*.jsonl"))
        measure.rewrite(real, work / "real-given.jsonl", keep_language=True)
        measure.rewrite([work / "real-given.jsonl"], path, keep_language=False)
    out: dict[str, Any] = {}
    for name, checkout in _versions_measured(args, work).items():
        env = {**os.environ, "PYTHONPATH": str(checkout)}
        done = subprocess.run(
            [sys.executable, "-c", _PROFILER, str(path)],
            env=env,
            capture_output=True,
            text=True,
            check=True,
            cwd=checkout,
        )
        target = out_dir / f"profile-{name}.txt"
        target.write_text(done.stdout, encoding="utf-8")
        out[name] = {"file": str(target), "text": done.stdout}
    return out


def _spark_available() -> bool:
    try:
        import pyspark  # noqa: F401
    except ImportError:
        return False
    return shutil.which("java") is not None


def _machine() -> dict[str, Any]:
    model = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory_kb = 0
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                memory_kb = int(line.split()[1])
    except OSError:
        pass
    return {
        "platform": platform.platform(),
        "cpu": model or platform.processor(),
        "cores": os.cpu_count(),
        "memory_gb": round(memory_kb / 1e6, 1),
        "load_average_start": os.getloadavg(),
    }


def _versions() -> dict[str, str]:
    out = {"python": platform.python_version()}
    for name in (
        "deescalate-lint",
        "regex",
        "google-re2",
        "pyahocorasick",
        "spacy",
        "langdetect",
        "proselint",
        "pyspark",
        "pandas",
        "pyarrow",
    ):
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            out[name] = "not installed"
    return out


if __name__ == "__main__":
    raise SystemExit(main())
