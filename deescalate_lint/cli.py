"""``lint-transcript``: lint transcripts and templates from the command line.

Exit codes: 0 no findings, 1 findings, 2 an input or usage error (the other
inputs are still linted and reported).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from typing import TextIO

from .engine import NOTICE_LANGUAGE, Linter
from .errors import DeescalateError, InputError
from .model import Finding, Notice
from .report import format_error, formats, reporter

EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="lint-transcript",
        description="Find what an agent said that escalates an upset customer, with cited guidance.",
        epilog="Also: `lint-transcript rules` lists the rules; `lint-transcript rule NAME` explains one.",
    )
    parser.add_argument("paths", nargs="+", metavar="PATH", help="files, directories, or - for stdin")
    parser.add_argument("--format", default="text", choices=formats(), help="output format")
    parser.add_argument("--language", metavar="CODE", help="language of every input (en, de, fi, zh, ko)")
    parser.add_argument("--select", metavar="RULES", help="comma-separated codes, prefixes or rule names")
    parser.add_argument("--ignore", metavar="RULES", help="comma-separated codes, prefixes or rule names")
    parser.add_argument("--rules", metavar="DIR", action="append", default=[], help="extra rule pack folder")
    parser.add_argument("--input-format", metavar="NAME", help="force a reader (json, jsonl, text)")
    parser.add_argument("--quiet", action="store_true", help="print findings only, no notices")
    parser.add_argument(
        "--fail-on-unsupported",
        action="store_true",
        help="exit 1 when a transcript's language is unsupported or undetectable",
    )
    parser.add_argument("--debug", action="store_true", help="show tracebacks")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args_list = list(sys.argv[1:] if argv is None else argv)
    if args_list and args_list[0] in ("rules", "rule"):
        from .explain import main as explain_main

        return explain_main(args_list)
    parser = build_parser()
    args = parser.parse_args(args_list)
    try:
        return run(args, sys.stdout, sys.stderr)
    except DeescalateError as exc:
        if args.debug:
            raise
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        return 130


def _split(value: str | None) -> list[str] | None:
    if value is None:
        return None
    return [part.strip() for part in value.split(",") if part.strip()]


def run(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    linter = Linter(
        select=_split(args.select),
        ignore=_split(args.ignore) or (),
        language=args.language,
        rule_dirs=args.rules,
        input_format=args.input_format,
    )
    state = {"findings": 0, "errors": 0, "unsupported": 0}

    def results():  # type: ignore[no-untyped-def]
        for item in linter.lint_paths(args.paths):
            if isinstance(item, InputError):
                state["errors"] += 1
                err.write(format_error(item) + "\n")
                err.flush()
                continue
            if isinstance(item, Finding):
                state["findings"] += 1
            elif isinstance(item, Notice):
                if item.code == NOTICE_LANGUAGE:
                    state["unsupported"] += 1
                if args.quiet:
                    continue
            yield item

    reporter(args.format)(results(), out)
    out.flush()
    if state["errors"]:
        return EXIT_ERROR
    if state["findings"] or (args.fail_on_unsupported and state["unsupported"]):
        return EXIT_FINDINGS
    return EXIT_CLEAN


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
