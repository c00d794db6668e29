"""The measurements: each returns plain numbers (seconds, bytes, counts) as a dict."""

from __future__ import annotations

import hashlib
import importlib.util
import json
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

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


#: Run in a fresh process with PYTHONPATH set to one version's checkout: the
#: same measurement for today's version and this one (``lint_in_subprocess``).
_LINT_RUNNER = """
import json, sys, time
from deescalate_lint import Linter
path, repeat, language = sys.argv[1], int(sys.argv[2]), sys.argv[3] or None
config = {"language": language} if language else {}
if sys.argv[4]:
    config["select"] = sys.argv[4].split(",")
for _ in Linter(**config).lint_paths([path]):  # warm-up: compiled patterns, caches, imports
    pass
walls, cpus = [], []
for _ in range(repeat):
    linter = Linter(**config)
    wall, cpu = time.perf_counter(), time.process_time()
    results = sum(1 for _ in linter.lint_paths([path]))
    walls.append(time.perf_counter() - wall)
    cpus.append(time.process_time() - cpu)
import deescalate_lint
print(json.dumps({"walls": walls, "cpus": cpus, "results": results,
                  "module": deescalate_lint.__file__}))
"""


def lint_in_subprocess(
    checkout: Path,
    path: Path,
    repeat: int,
    language: str | None = None,
    select: Sequence[str] = (),
) -> dict[str, Any]:
    """Wall and CPU seconds of ``repeat`` warm runs of ``Linter().lint_paths`` of the
    version in ``checkout`` (its own process, PYTHONPATH=checkout), after one warm-up;
    ``select``: only these rule codes (default: every rule)."""
    env = {**os.environ, "PYTHONPATH": str(checkout)}
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            _LINT_RUNNER,
            str(path),
            str(repeat),
            language or "",
            ",".join(select),
        ],
        env=env,
        capture_output=True,
        text=True,
        check=True,
        cwd=checkout,
    )
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def rule_codes(checkout: Path) -> list[str]:
    """The codes of the rules a version's checkout ships (``rules/*/rule.toml``)."""
    import tomllib

    return sorted(
        str(tomllib.loads(path.read_text(encoding="utf-8"))["code"])
        for path in (checkout / "rules").glob("*/rule.toml")
    )


def side_by_side(
    versions: dict[str, Path],
    path: Path,
    rounds: int,
    language: str | None = None,
    select: Sequence[str] = (),
) -> dict[str, Any]:
    """Each version measured ``rounds`` times, the versions taking turns (so load
    that comes and goes falls on both); per version the median wall and CPU."""
    walls: dict[str, list[float]] = {name: [] for name in versions}
    cpus: dict[str, list[float]] = {name: [] for name in versions}
    results: dict[str, int] = {}
    for _ in range(rounds):
        for name, checkout in versions.items():
            found = lint_in_subprocess(checkout, path, 1, language, select)
            walls[name] += found["walls"]
            cpus[name] += found["cpus"]
            results[name] = found["results"]
    return {
        name: {
            "seconds": statistics.median(walls[name]),
            "cpu_seconds": statistics.median(cpus[name]),
            "runs": walls[name],
            "cpu_runs": cpus[name],
            "results": results[name],
        }
        for name in versions
    }


def scan_floor(path: Path, repeat: int = 3) -> dict[str, Any]:
    """The scan-first floor: each turn scanned once (every pattern of its
    language searched in its speaker's turns, as the linter does; every pattern
    when the speaker is neither "agent" nor "customer") and each candidate
    confirmed with ``regex``; no reading, detection, scope or rule logic. The
    language is given."""
    from deescalate_lint import Linter
    from deescalate_lint.model import Role
    from deescalate_lint.textprep import analyse

    linter = Linter()
    turns: list[tuple[tuple[str, Role | None], str]] = []
    roles = {role.value: role for role in Role}
    for record in _records(path):
        code = record.get("language") or "en"
        turns += [
            ((code, roles.get(t.get("speaker") or "")), analyse(t.get("text") or "")[0])
            for t in record.get("turns", [])
        ]
    indexes = {code: linter._index(code) for code in {code for (code, _), _ in turns}}
    scanners = {(code, role): indexes[code].candidates(role, now=True) for (code, role), _ in turns}
    groups = {
        key: [g for g in scanner.groups if scanner.covers(g)]
        for key, scanner in scanners.items()
        if scanner is not None
    }

    def run() -> tuple[int, int]:
        candidates = hits = 0
        for code, text in turns:
            scanner = scanners[code]
            found = scanner.candidates(scanner.scan(text)) if text and scanner else {}
            if not found:
                continue
            for group in groups[code]:
                indices = found.get(id(group))
                if indices:
                    candidates += len(indices)
                    hits += sum(1 for _ in group.finditer(text, indices=indices))
        return candidates, hits

    run()  # warm-up: the DFA's states, the compiled single patterns
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        candidates, hits = run()
        times.append(time.perf_counter() - start)
    from deescalate_lint.scan import engine_name

    return {
        "seconds": statistics.median(times),
        "runs": times,
        "turns": len(turns),
        "candidates": candidates,
        "hits": hits,
        "engine": engine_name(),
    }


def proselint_document(path: Path) -> dict[str, Any]:
    """proselint on every turn of the corpus joined as one document (its CLI's
    way of reading a file): one ``LintFile`` call, every default check, no cap."""
    from proselint.checks import __register__
    from proselint.config import DEFAULT
    from proselint.registry import CheckRegistry
    from proselint.tools import LintFile

    CheckRegistry().register_many(__register__)
    config = dict(DEFAULT)
    config["max_errors"] = 10**9
    LintFile("<warm-up>", "This is a very unique warm-up.").lint(config)
    texts = [t.get("text") or "" for r in _records(path) for t in r.get("turns", [])]
    document = "\n\n".join(texts)
    start = time.perf_counter()
    errors = len(LintFile(str(path), document).lint(config))
    return {
        "seconds": time.perf_counter() - start,
        "text_bytes": sum(len(t.encode("utf-8")) for t in texts),
        "results": errors,
    }


LONG_TEMPLATE_LINE = "we are sorry for the delay. It should arrive by Friday. "


def long_template(checkout: Path, work: Path, size: int) -> dict[str, Any]:
    """The CLI on one reply template of ``size`` characters (one line repeated,
    a trigger and a hedge in each): wall seconds and peak RSS of a cold process."""
    path = work / f"template-{size}.txt"
    path.write_text((LONG_TEMPLATE_LINE * (size // len(LONG_TEMPLATE_LINE) + 1))[:size])
    command = [sys.executable, "-m", "deescalate_lint.cli", str(path), "--format", "jsonl"]
    result = run_measured(command, checkout=checkout)
    result["characters"] = size
    path.unlink()
    return result


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


def has_proselint() -> bool:
    """Whether the proselint baseline can run (the ``bench`` extra installs it)."""
    return importlib.util.find_spec("proselint") is not None


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


# -- processes ---------------------------------------------------------------------------


def cli_command() -> list[str]:
    """The CLI of the checkout on PYTHONPATH (``run_measured`` sets it), not
    whichever ``lint-transcript`` happens to be installed."""
    return [sys.executable, "-m", "deescalate_lint.cli"]


def run_measured(
    command: list[str],
    stdout: Any = subprocess.DEVNULL,
    checkout: Path = REPO,
    env: dict[str, str] | None = None,
) -> dict[str, Any]:
    """Wall seconds, exit code and peak RSS (largest process, MB) of a command run
    with the version in ``checkout`` (PYTHONPATH)."""
    env = {**(env if env is not None else os.environ), "PYTHONPATH": str(checkout)}
    start = time.perf_counter()
    process = subprocess.Popen(
        command, stdout=stdout, stderr=subprocess.DEVNULL, cwd=checkout, env=env
    )
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    return {"seconds": wall, "exit": process.returncode, "peak_rss_mb": usage.ru_maxrss / 1024}


def startup(templates: dict[str, Path], runs: int, checkout: Path = REPO) -> dict[str, Any]:
    """Median wall time of cold ``lint-transcript`` processes on single templates.

    Bytecode and the start-up memo (``diskmemo.py``) are written by a first,
    unmeasured run, as after ``pip install`` and a user's first lint; each
    process gets the memo folder of its own version (a temporary one), so two
    versions never share it. The very first run, with an empty memo, is
    measured apart (``first_run``): what one lint costs right after an install.
    """
    import tempfile

    base = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    base.pop("DEESCALATE_LINT_NO_CACHE", None)
    out: dict[str, Any] = {}
    python = [sys.executable, "-c", "pass"]
    out["python_bare"] = _median_of(lambda: run_measured(python, env=base)["seconds"], runs)
    with tempfile.TemporaryDirectory(prefix="bench-memo-") as memo:
        env = {**base, "DEESCALATE_LINT_CACHE_DIR": memo}
        for name, path in templates.items():
            run_measured([*cli_command(), str(path)], checkout=checkout, env=env)
            samples = [
                run_measured([*cli_command(), str(path)], checkout=checkout, env=env)
                for _ in range(runs)
            ]
            out[name] = _summary(samples)
    first = []
    for _ in range(runs):
        with tempfile.TemporaryDirectory(prefix="bench-memo-") as empty:
            env = {**base, "DEESCALATE_LINT_CACHE_DIR": empty}
            path = next(iter(templates.values()))
            first.append(run_measured([*cli_command(), str(path)], checkout=checkout, env=env))
    out["first_run"] = _summary(first)
    return out


def _summary(samples: list[dict[str, Any]]) -> dict[str, Any]:
    """Runs of one cold process: their median, each time, and the first's exit and memory."""
    return {
        "median_seconds": statistics.median(s["seconds"] for s in samples),
        "runs": [s["seconds"] for s in samples],
        "exit": samples[0]["exit"],
        "peak_rss_mb": samples[0]["peak_rss_mb"],
    }


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
