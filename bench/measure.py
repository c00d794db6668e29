"""The measurements: each returns plain numbers (seconds, bytes, counts) as a dict."""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import regex

REPO = Path(__file__).resolve().parent.parent


# -- inputs ---------------------------------------------------------------------


def text_stats(path: Path) -> dict[str, int]:
    """Transcripts, turns, agent turns and UTF-8 bytes of turn text in a JSONL file."""
    stats = {"transcripts": 0, "turns": 0, "agent_turns": 0, "text_bytes": 0, "file_bytes": 0}
    stats["file_bytes"] = path.stat().st_size
    for record in _records(path):
        stats["transcripts"] += 1
        for turn in record.get("turns", []):
            stats["turns"] += 1
            stats["agent_turns"] += turn.get("speaker") == "agent"
            stats["text_bytes"] += len((turn.get("text") or "").encode("utf-8"))
    return stats


def _records(path: Path) -> Iterator[dict[str, Any]]:
    with path.open(encoding="utf-8-sig") as handle:
        for line in handle:
            if line.strip():
                yield json.loads(line)


def rewrite(sources: list[Path], target: Path, keep_language: bool) -> None:
    """Concatenate JSONL files into ``target`` (a temp file), with or without ``language``."""
    with target.open("w", encoding="utf-8") as out:
        for source in sources:
            for record in _records(source):
                if not keep_language:
                    record.pop("language", None)
                out.write(json.dumps(record, ensure_ascii=False) + "\n")


# -- deescalate-lint in process -------------------------------------------------------


def lint_throughput(path: Path, repeat: int = 1, **config: Any) -> dict[str, Any]:
    """Wall seconds for a fresh ``Linter`` (built before the clock starts) over a file."""
    from deescalate_lint import Linter

    times = []
    findings = notices = 0
    for _ in range(repeat):
        linter = Linter(**config)
        start = time.perf_counter()
        findings = notices = 0
        for item in linter.lint_paths([str(path)]):
            kind = getattr(item, "kind", "error")
            findings += kind == "finding"
            notices += kind == "notice"
        times.append(time.perf_counter() - start)
    return {
        "seconds": statistics.median(times),
        "runs": times,
        "findings": findings,
        "notices": notices,
    }


def output_digest(items: Iterator[Any]) -> tuple[str, int]:
    """A hash of a result stream (order included), so two runs compare without storing them."""
    digest = hashlib.sha256()
    count = 0
    for item in items:
        data = item.to_dict() if hasattr(item, "to_dict") else {"error": str(item)}
        digest.update(json.dumps(data, sort_keys=True, ensure_ascii=False).encode("utf-8"))
        count += 1
    return digest.hexdigest(), count


def parallel_speedup(path: Path, jobs: int) -> dict[str, Any]:
    """Serial vs ``jobs`` processes on one file: seconds each, and whether outputs are equal."""
    from deescalate_lint import Linter
    from deescalate_lint.parallel import lint_paths_parallel

    ceiling_before = cpu_ceiling(jobs)
    linter = Linter()
    cpu0 = _cpu()
    start = time.perf_counter()
    serial = output_digest(linter.lint_paths([str(path)]))
    serial_s = time.perf_counter() - start
    cpu1 = _cpu()
    start = time.perf_counter()
    items = lint_paths_parallel([str(path)], jobs=jobs)
    parallel = output_digest(output for item in items for output in item.outputs())
    parallel_s = time.perf_counter() - start
    cpu2 = _cpu()
    serial_cpu = cpu1[0] - cpu0[0]
    parallel_cpu = (cpu2[0] - cpu1[0]) + (cpu2[1] - cpu1[1])
    return {
        "jobs": jobs,
        "serial_seconds": serial_s,
        "parallel_seconds": parallel_s,
        "speedup": serial_s / parallel_s,
        # CPU seconds, so contention from other jobs on the machine can be read off:
        # serial CPU / wall is the share of a core this run got.
        "serial_cpu_seconds": serial_cpu,
        "parallel_cpu_seconds": parallel_cpu,
        "cores_used_serial": serial_cpu / serial_s,
        "cores_used_parallel": parallel_cpu / parallel_s,
        "identical": serial == parallel,
        "results": serial[1],
        "ceiling_before": ceiling_before,
        "ceiling_after": cpu_ceiling(jobs),
    }


def _spin(count: int) -> float:
    start = time.perf_counter()
    total = 0
    for number in range(count):
        total += number * number
    return time.perf_counter() - start


def cpu_ceiling(jobs: int, count: int = 15_000_000) -> dict[str, float]:
    """The speed-up ``jobs`` processes get right now on a pure-Python busy loop.

    Why: on a machine shared with other jobs, no program can beat this; the
    linter's own speed-up is read against it.
    """
    from concurrent.futures import ProcessPoolExecutor

    one = _spin(count)
    with ProcessPoolExecutor(jobs) as pool:
        pool.submit(int).result()  # workers started before the clock
        start = time.perf_counter()
        list(pool.map(_spin, [count] * jobs))
        many = time.perf_counter() - start
    return {"one_seconds": one, "parallel_seconds": many, "speedup": jobs * one / many}


def _cpu() -> tuple[float, float]:
    """User + system CPU seconds of this process and of its waited-for children."""
    import resource

    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime, children.ru_utime + children.ru_stime


# -- baselines --------------------------------------------------------------------------


def proselint_throughput(path: Path, budget_s: float) -> dict[str, Any]:
    """proselint's Python API on each transcript's turns as one plain-prose document.

    Every check enabled by default runs (its default configuration), with the
    result cap lifted so it never stops early. proselint is slow, so it lints
    transcripts in file order until ``budget_s`` has passed; its MB/s is over
    the text it actually linted (reported as a share of the corpus).
    """
    from proselint.checks import __register__
    from proselint.config import DEFAULT
    from proselint.registry import CheckRegistry
    from proselint.tools import LintFile

    CheckRegistry().register_many(__register__)
    config = dict(DEFAULT)
    config["max_errors"] = 10**9
    LintFile("<warm-up>", "This is a very unique warm-up.").lint(config)  # compile its regexes
    done_bytes = errors = transcripts = 0
    start = time.perf_counter()
    for record in _records(path):
        texts = [t.get("text") or "" for t in record.get("turns", [])]
        document = "\n\n".join(texts)
        if document.strip():
            errors += len(LintFile(str(record.get("id")), document).lint(config))
        done_bytes += sum(len(t.encode("utf-8")) for t in texts)
        transcripts += 1
        if time.perf_counter() - start > budget_s:
            break
    seconds = time.perf_counter() - start
    return {
        "seconds": seconds,
        "text_bytes": done_bytes,
        "transcripts": transcripts,
        "results": errors,
    }


def spacy_throughput(path: Path) -> dict[str, Any]:
    """Read the JSONL and run a fresh spaCy blank tokeniser over every turn, nothing else.

    It is given each transcript's language for free (no detection), and uses the
    tokeniser each language's file names, as the linter does.
    """
    from deescalate_lint.languages import profile, supported_languages
    from deescalate_lint.nlp import pipeline

    tokenisers: dict[str, Any] = {}

    def tokeniser(code: str) -> Any:
        if code not in tokenisers:
            lang = profile(code)
            # A fresh pipeline of the same kind the linter uses, not the linter's own.
            pipeline.cache_clear()
            tokenisers[code] = pipeline(lang.spacy, lang.rule_based_tokeniser).tokenizer
        return tokenisers[code]

    for code in supported_languages():
        tokeniser(code)("warm up")  # pipeline construction is start-up, not throughput
    tokens = 0
    start = time.perf_counter()
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            record = json.loads(line)
            tokenise = tokeniser(record.get("language") or "en")
            for turn in record.get("turns", []):
                tokens += len(tokenise(turn.get("text") or ""))
    return {"seconds": time.perf_counter() - start, "tokens": tokens}


#: Pattern groups that hold the rules' phrase triggers (not context groups such as
#: backchannels or customer requests).
TRIGGER_GROUPS = frozenset({"trigger", "counted", "flagged", "cut_in"})


def trigger_bodies() -> list[str]:
    """Every shipped trigger pattern (all rules, all languages), spaces expanded."""
    from deescalate_lint.patterns import expand_spaces
    from deescalate_lint.rulepack import load_rules

    bodies: list[str] = []
    for rule in load_rules():
        for pack in rule.packs.values():
            for name, group in pack.groups.items():
                if name in TRIGGER_GROUPS:
                    bodies.extend(expand_spaces(spec.source) for spec in group.specs)
    return bodies


def regex_throughput(path: Path, budget_s: float) -> dict[str, Any]:
    """One pass of one compiled alternation of every trigger over every turn in memory.

    Two forms: the patterns themselves (``regex``, case-insensitive, word
    edges around the alternation), and the literals every match must contain
    (``literals.py``) as one stdlib ``re`` alternation: the cheapest scan that
    still looks at every trigger. The first is slow enough to need the same
    time budget as proselint (turns in order until it runs out).
    """
    from deescalate_lint.literals import fold, requirement
    from deescalate_lint.patterns import _EDGE

    bodies = trigger_bodies()
    texts = [t.get("text") or "" for r in _records(path) for t in r.get("turns", [])]
    full = regex.compile(rf"{_EDGE}(?:{'|'.join(f'(?:{b})' for b in bodies)}){_EDGE}", regex.I)
    out: dict[str, Any] = {"patterns": len(bodies)}
    done = hits = 0
    start = time.perf_counter()
    for text in texts:
        hits += sum(1 for _ in full.finditer(text))
        done += len(text.encode("utf-8"))
        if time.perf_counter() - start > budget_s:
            break
    out["patterns_pass"] = {
        "seconds": time.perf_counter() - start,
        "text_bytes": done,
        "hits": hits,
    }
    needles = sorted(
        {n for b in bodies for n in (requirement(b, True) or ())}, key=len, reverse=True
    )
    scan = re.compile("|".join(re.escape(n) for n in needles))
    total = sum(len(t.encode("utf-8")) for t in texts)
    hits = 0
    start = time.perf_counter()
    for text in texts:
        hits += len(scan.findall(fold(text)))
    out["literals_pass"] = {
        "seconds": time.perf_counter() - start,
        "text_bytes": total,
        "hits": hits,
        "needles": len(needles),
    }
    return out


# -- processes ---------------------------------------------------------------------------


def cli_command() -> list[str]:
    found = shutil.which("lint-transcript")
    return [found] if found else [sys.executable, "-m", "deescalate_lint.cli"]


def run_measured(command: list[str], stdout: Any = subprocess.DEVNULL) -> dict[str, Any]:
    """Wall seconds, exit code and peak RSS (largest process, MB) of a command."""
    start = time.perf_counter()
    process = subprocess.Popen(command, stdout=stdout, stderr=subprocess.DEVNULL, cwd=REPO)
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    return {"seconds": wall, "exit": process.returncode, "peak_rss_mb": usage.ru_maxrss / 1024}


def startup(templates: dict[str, Path], runs: int) -> dict[str, Any]:
    """Median wall time of cold ``lint-transcript`` processes on single templates."""
    out: dict[str, Any] = {}
    python = [sys.executable, "-c", "pass"]
    out["python_bare"] = _median_of(lambda: run_measured(python)["seconds"], runs)
    for name, path in templates.items():
        samples = [run_measured([*cli_command(), str(path)]) for _ in range(runs)]
        out[name] = {
            "median_seconds": statistics.median(s["seconds"] for s in samples),
            "runs": [s["seconds"] for s in samples],
            "exit": samples[0]["exit"],
            "peak_rss_mb": samples[0]["peak_rss_mb"],
        }
    return out


def _median_of(function: Callable[[], float], runs: int) -> float:
    return statistics.median(function() for _ in range(runs))


def memory(path: Path, jobs: int = 1) -> dict[str, Any]:
    """Peak RSS and wall time of the CLI linting one big JSONL file (output discarded)."""
    if jobs == 1:
        command = [*cli_command(), str(path), "--format", "jsonl"]
    else:
        script = (
            "import sys, json\n"
            "from deescalate_lint.parallel import lint_paths_parallel\n"
            f"for item in lint_paths_parallel([{str(path)!r}], jobs={jobs}):\n"
            "    for output in item.outputs():\n"
            "        data = output.to_dict() if hasattr(output, 'to_dict') else str(output)\n"
            "        sys.stdout.write(json.dumps(data))\n"
        )
        command = [sys.executable, "-c", script]
    result = run_measured(command)
    result["file_bytes"] = path.stat().st_size
    return result


def spark_throughput(path: Path, partitions: int = 2) -> dict[str, Any]:
    """Spark local[2]: ``lint_transcripts`` over the JSONL read by Spark; findings counted."""
    from pyspark.sql import SparkSession

    from deescalate_lint.spark import lint_transcripts

    started = time.perf_counter()
    spark = (
        SparkSession.builder.master("local[2]")
        .appName("deescalate-lint-bench")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", str(partitions))
        .getOrCreate()
    )
    spark.sparkContext.setLogLevel("ERROR")
    session_s = time.perf_counter() - started
    try:
        frame = spark.read.json(str(path)).repartition(partitions).cache()
        transcripts = frame.count()
        language = "language" if "language" in frame.columns else None
        start = time.perf_counter()
        findings = lint_transcripts(frame, language_col=language).count()
        seconds = time.perf_counter() - start
    finally:
        spark.stop()
    return {
        "session_seconds": session_s,
        "seconds": seconds,
        "transcripts": transcripts,
        "findings": findings,
    }
