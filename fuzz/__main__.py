"""``python -m fuzz TARGET --seconds N``: run one fuzz target under atheris.

Seeds come from ``examples/``, ``tests/fixtures/`` and ``fuzz/regressions/``
(the files a target's reader would pick) and the corpus
grows in ``--workdir`` (default: a folder under the system temp dir), where
libFuzzer also writes any crash file. Nothing is written into the checkout.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m fuzz")
    parser.add_argument("target", nargs="?", help="a reader name, 'engine', or 'all'")
    parser.add_argument("--list", action="store_true", help="list the targets")
    parser.add_argument("--seconds", type=int, default=60, help="how long to fuzz")
    parser.add_argument("--workdir", type=Path, help="corpus and crash files (default: temp dir)")
    parser.add_argument("--timeout", type=int, default=30, help="seconds one input may take")
    args, rest = parser.parse_known_args()
    if args.target == "all":
        return _run_all(args.seconds, args.workdir, rest)

    import atheris

    with atheris.instrument_imports(include=["deescalate_lint"]):
        from fuzz.targets import linter, targets

        found = targets()  # imports every registered reader, instrumented
        linter().results("Agent: warm-up")  # imports the lazily loaded logic modules

    if args.list or not args.target:
        print("\n".join(sorted(found)))
        return 0
    if args.target not in found:
        parser.error(f"unknown target {args.target!r} (choose from {', '.join(sorted(found))})")
    workdir = args.workdir or Path(tempfile.gettempdir()) / "deescalate-lint-fuzz" / args.target
    corpus = workdir / "corpus"
    corpus.mkdir(parents=True, exist_ok=True)
    _seed(corpus, args.target)
    libfuzzer_args = [
        sys.argv[0],
        str(corpus),
        f"-max_total_time={args.seconds}",
        f"-timeout={args.timeout}",
        f"-artifact_prefix={workdir}/",
        "-print_final_stats=1",
        *rest,
    ]
    atheris.Setup(libfuzzer_args, found[args.target])
    atheris.Fuzz()
    return 0


def _run_all(seconds: int, workdir: Path | None, rest: list[str]) -> int:
    """Every target in turn, each in its own process (libFuzzer exits when done)."""
    import subprocess

    from deescalate_lint.readers import reader_names

    failed = 0
    for target in [*reader_names(), "engine"]:
        command = [sys.executable, "-m", "fuzz", target, "--seconds", str(seconds), *rest]
        if workdir is not None:
            command += ["--workdir", str(workdir / target)]
        print(f"== fuzz {target} for {seconds} s", flush=True)
        failed += subprocess.call(command, cwd=REPO) != 0
    return 1 if failed else 0


#: Readers chosen only by ``--input-format`` that read JSON: seeded with JSON files.
_FORCED_JSON = ("chat", "contact-lens", "transcribe")


def _seed(corpus: Path, target: str) -> None:
    """Copy the example inputs a target understands into its corpus (once)."""
    from deescalate_lint.readers import choose_reader
    from deescalate_lint.readers.source import Source

    folders = (REPO / "examples", REPO / "tests" / "fixtures", REPO / "fuzz" / "regressions")
    for path in sorted(p for folder in folders if folder.is_dir() for p in folder.rglob("*")):
        if not path.is_file() or path.suffix == ".md":
            continue
        chosen = choose_reader(Source.file(path)).name
        fits = target in ("engine", chosen) or (chosen == "json" and target in _FORCED_JSON)
        destination = corpus / f"seed-{path.name}"
        if fits and not destination.exists():
            shutil.copyfile(path, destination)


if __name__ == "__main__":
    sys.exit(main())
