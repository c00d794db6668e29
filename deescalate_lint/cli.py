"""``lint-transcript``: lint transcripts and templates from the command line.

Exit codes: 0 nothing to fail on, 1 findings at or above ``--fail-on``
(default: any finding), 2 an input, configuration or usage error (the other
inputs are still linted and reported). ``--exit-zero`` turns 1 into 0, never 2.

Configuration is found per file (see ``config.py``); command-line options win
over it. ``lint-transcript rules`` lists the rules, ``lint-transcript rule
NAME`` explains one (``explain.py``), ``lint-transcript check-pack DIR``
runs a rule pack's examples and checks its citations (``checkpack.py``).
"""

from __future__ import annotations

import argparse
import atexit
import json
import os
import sys
from collections.abc import Iterator, Sequence
from dataclasses import replace
from pathlib import Path
from typing import NoReturn, TextIO

from . import __version__
from .codes import LANGUAGE
from .config import Overrides, Resolver
from .engine import Linter
from .errors import ConfigError, DeescalateError, InputError
from .languages import describe_languages, language_code
from .model import Finding, Linted, Notice, Severity
from .parallel import default_jobs, lint_plan_parallel
from .readers import Source, iter_sources, known_extensions
from .report import ReportContext, format_error, formats, reporter
from .stats import GROUPINGS, Tally

EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2
SEVERITIES = [s.value for s in sorted(Severity, key=lambda s: s.rank)]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="lint-transcript",
        description="Find what an agent said that escalates an upset customer "
        "(with cited guidance).",
        epilog="Also: `lint-transcript rules` lists the rules; "
        "`lint-transcript rule NAME` explains one.",
    )
    parser.add_argument(
        "paths", nargs="+", metavar="PATH", help="files, directories, or - for stdin"
    )
    parser.add_argument(
        "--format", default="text", choices=formats(), help="output format (default: text)"
    )
    parser.add_argument(
        "--language",
        metavar="CODE",
        help="language of every input: a code (en, de, fi, zh, ko) or a name (English)",
    )
    parser.add_argument(
        "--select",
        metavar="RULES",
        help="only these rules: comma-separated codes, prefixes or names",
    )
    parser.add_argument("--extend-select", metavar="RULES", help="add rules to the selection")
    parser.add_argument(
        "--ignore", metavar="RULES", help="skip these rules (added to the configuration's)"
    )
    parser.add_argument(
        "--rules", metavar="DIR", action="append", default=[], help="extra rule pack folder"
    )
    parser.add_argument(
        "--input-format", metavar="NAME", help="force a reader (json, jsonl, text, ...)"
    )
    parser.add_argument(
        "--config", metavar="PATH", help="use this configuration file for every input"
    )
    parser.add_argument("--isolated", action="store_true", help="ignore every configuration file")
    parser.add_argument("--quiet", action="store_true", help="print findings only, no notices")
    parser.add_argument(
        "--statistics", action="store_true", help="print the number of findings per rule instead"
    )
    parser.add_argument(
        "--by",
        choices=GROUPINGS,
        default="rule",
        help="with --statistics: count per rule (default), per agent or per team, "
        "with findings per 1,000 agent turns",
    )
    parser.add_argument(
        "--exit-zero", action="store_true", help="exit 0 even when there are findings"
    )
    parser.add_argument(
        "--fail-on",
        choices=SEVERITIES,
        default="info",
        help="exit 1 only for findings at or above this severity (default: info, i.e. any)",
    )
    parser.add_argument(
        "--color",
        choices=("auto", "always", "never"),
        default="auto",
        help="colour the text formats (auto: on a terminal, unless NO_COLOR is set)",
    )
    parser.add_argument(
        "--fail-on-unsupported",
        action="store_true",
        help="exit 1 when a transcript's language is unsupported or undetectable",
    )
    parser.add_argument(
        "--jobs",
        "-j",
        type=int,
        metavar="N",
        help="worker processes (default: all cores when the inputs total 8 MB or more, else 1); "
        "output is identical to one process, in the same order",
    )
    parser.add_argument("--debug", action="store_true", help="show tracebacks")
    parser.add_argument("--version", action="version", version=f"lint-transcript {__version__}")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    try:
        return _main(list(sys.argv[1:] if argv is None else argv))
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # `lint-transcript ... | head`: the reader went away. Point stdout at
        # /dev/null so the interpreter's final flush does not complain too.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return EXIT_FINDINGS


def entry() -> NoReturn:
    """The ``lint-transcript`` command: ``main``, then a quick exit.

    Why: tearing the interpreter down (freeing every compiled pattern and
    automaton one by one, and a last garbage collection) was a twelfth of a
    clean template's cold start, work whose only result is memory the process
    is about to give back. What a normal exit does that matters still happens
    first: the exit handlers (the start-up memo's write-back) and the flush of
    both output streams. ``main`` stays an ordinary function for callers who
    run it in their own process.
    """
    try:
        code = main()
    except SystemExit as exc:  # argparse: --help, --version, a usage error
        code = _exit_status(exc.code)
    atexit._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):
        if stream is None:  # started with that descriptor closed: nothing to flush
            continue
        try:
            stream.flush()
        except BrokenPipeError:  # the reader went away after our last write
            code = code or EXIT_FINDINGS
        except (OSError, ValueError):  # a closed or failing stream: nothing left to save
            pass
    os._exit(code)


def _exit_status(code: object) -> int:
    """The status ``SystemExit(code)`` ends a process with, as Python reports it."""
    if code is None:
        return EXIT_CLEAN
    if isinstance(code, int):
        return code
    print(code, file=sys.stderr)
    return EXIT_FINDINGS


def _main(args_list: list[str]) -> int:
    if args_list and args_list[0] in ("rules", "rule"):
        from .explain import main as explain_main

        return explain_main(args_list)
    if args_list and args_list[0] == "check-pack":
        from .checkpack import main as check_pack_main

        return check_pack_main(args_list[1:])
    parser = build_parser()
    args = parser.parse_args(args_list)
    try:
        return run(args, sys.stdout, sys.stderr)
    except DeescalateError as exc:
        if args.debug:
            raise
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_ERROR
    except BrokenPipeError:
        raise  # the reader of our output went away (`| head`): main() handles it
    except Exception as exc:  # a bug must not end a nightly batch in a traceback
        if args.debug:
            raise
        print(
            f"error: internal error: {type(exc).__name__}: {exc} (rerun with --debug)",
            file=sys.stderr,
        )
        return EXIT_ERROR


def _split(value: str | None) -> tuple[str, ...] | None:
    if value is None:
        return None
    return tuple(part.strip() for part in value.split(",") if part.strip())


def use_color(choice: str, out: TextIO) -> bool:
    """``always``/``never`` win; ``auto`` means a terminal and no ``NO_COLOR`` (no-color.org)."""
    if choice != "auto":
        return choice == "always"
    if os.environ.get("NO_COLOR"):
        return False
    isatty = getattr(out, "isatty", None)
    return bool(isatty and isatty())


def run(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    overrides = Overrides(
        select=_split(args.select),
        extend_select=_split(args.extend_select) or (),
        ignore=_split(args.ignore) or (),
        language=args.language,
        rule_dirs=tuple(args.rules),
        input_format=args.input_format,
    )
    resolver = Resolver(
        overrides, config=Path(args.config) if args.config else None, isolated=args.isolated
    )
    # Every configuration is read (and checked) before any output is written,
    # so a mistake in one stops the run cleanly with exit 2.
    plan: list[tuple[Source, Linter] | InputError] = []
    for path in args.paths:
        found = 0
        for source in iter_sources([path]):
            found += 1
            plan.append(
                source
                if isinstance(source, InputError)
                else (source, resolver.linter_for(source.label))
            )
        if not found:
            err.write(
                f"warning: {path}: nothing to lint here (no file with a known extension: "
                f"{', '.join(sorted(known_extensions()))})\n"
            )
    linters = [item[1] for item in plan if not isinstance(item, InputError)]
    rules_linter = linters[0] if linters else resolver.default_linter()
    if args.language and language_code(args.language, rules_linter.languages) is None:
        raise ConfigError(
            f"--language {args.language!r} is not a language this linter knows; "
            f"give a code or a name: {describe_languages(rules_linter.languages)}"
        )
    context = ReportContext(
        rules=rules_linter.rules,
        color=use_color(args.color, out),
        tool_version=__version__,
        quiet=args.quiet,
    )
    tally = Tally()
    state = {"errors": 0, "unsupported": 0, "failing": 0}
    fail_rank = Severity(args.fail_on).rank

    jobs = args.jobs if args.jobs is not None else default_jobs(args.paths)
    if jobs < 1:
        raise DeescalateError("--jobs must be 1 or more")

    def observed(items: Iterator[Linted]) -> Iterator[Linted]:
        """The run's items, counted for the exit code, errors written to stderr as they
        come, and notices dropped under ``--quiet``."""
        for item in items:
            if item.error is not None:
                state["errors"] += 1
                err.write(format_error(item.error) + "\n")
                err.flush()
            for result in item.results:
                if isinstance(result, Finding):
                    if result.severity.rank >= fail_rank:
                        state["failing"] += 1
                elif result.code == LANGUAGE.code:
                    state["unsupported"] += 1
            if args.quiet:
                kept = tuple(r for r in item.results if not isinstance(r, Notice))
                item = replace(item, results=kept)
            tally.add(item)
            yield item

    items = observed(lint_plan_parallel(plan, jobs))
    if args.statistics:
        for _ in items:
            pass
        write_statistics(tally, out, as_json=args.format in ("json", "jsonl"), by=args.by)
    else:
        reporter(args.format)(items, out, context)
    out.flush()
    if state["errors"]:
        return EXIT_ERROR
    if args.exit_zero:
        return EXIT_CLEAN
    if state["failing"] or (args.fail_on_unsupported and state["unsupported"]):
        return EXIT_FINDINGS
    return EXIT_CLEAN


def write_statistics(tally: Tally, out: TextIO, *, as_json: bool, by: str = "rule") -> None:
    """Findings per rule, most frequent first (ties by code), like ``ruff --statistics``;
    or per agent or team, the highest rate per 1,000 agent turns first."""
    if by != "rule":
        write_group_statistics(tally, out, as_json=as_json, by=by)
        return
    rows = tally.rule_rows()
    if as_json:
        records = [{"code": c, "rule": r, "severity": s, "count": n} for (c, r, s), n in rows]
        out.write(json.dumps(records, ensure_ascii=False, indent=2) + "\n")
        return
    width = max((len(str(n)) for _, n in rows), default=1)
    for (code, rule, severity), count in rows:
        out.write(f"{count:>{width}}  {code}  {rule:<24} {severity}\n")


def write_group_statistics(tally: Tally, out: TextIO, *, as_json: bool, by: str) -> None:
    """One row per agent (or team): conversations, agent turns, findings, the rate per
    1,000 agent turns and the findings per rule. Transcripts without that metadata
    are counted under ``(unknown)``."""
    groups = tally.groups(by)
    if as_json:
        records = [group.record(by, name) for name, group in groups]
        out.write(json.dumps(records, ensure_ascii=False, indent=2) + "\n")
        return
    header = (by.upper(), "CONVERSATIONS", "AGENT TURNS", "FINDINGS", "PER 1000 TURNS", "BY RULE")
    rows = [
        (
            name,
            str(group.conversations),
            str(group.agent_turns),
            str(group.findings),
            f"{group.rate:.1f}",
            ", ".join(f"{code} {n}" for code, n in sorted(group.by_rule.items())) or "-",
        )
        for name, group in groups
    ]
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(5)]
    for row in [header, *rows]:
        cells = [row[0].ljust(widths[0])] + [
            c.rjust(w) for c, w in zip(row[1:5], widths[1:], strict=True)
        ]
        out.write("  ".join(cells) + "  " + row[5] + "\n")


if __name__ == "__main__":  # pragma: no cover
    entry()
