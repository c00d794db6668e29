"""``lint-transcript check-pack DIR``: run a rule pack's own tests, as LanguageTool does.

Loads the folder as the linter would (a broken pattern, a missing group, an
unknown option or a citation that does not hold is an error naming the file,
exit 2), then runs every example of every rule in it, in every language it
claims: a should-flag example must produce exactly the findings its
``[[...]]`` marks, a should-not-flag example none. Citations of documents the
pack ships itself (``sources/<id>.txt``) are checked at load; ``--guidance
DIR`` checks those of other documents against the texts in ``DIR``
(``<id>.txt``: for the shipped packs, ``../shared/guidance``).

Exit codes: 0 every example and citation holds, 1 one does not (each named),
2 the pack does not load.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

from .citations import citation_problems
from .engine import Linter
from .errors import DeescalateError
from .examples import example_problem
from .rulepack import Rule


def check_pack(directory: Path, guidance: Path | None, out: TextIO) -> int:
    """Run the checks; print one line per problem and a summary. Returns the exit code."""
    root = directory.resolve()
    linter = Linter(rule_dirs=[directory])
    rules = [r for r in linter.all_rules if r.directory.resolve().is_relative_to(root)]
    if not rules:
        out.write(f"error: {directory}: no rule packs (rule.toml) found\n")
        return 2
    problems = 0
    examples = 0
    for rule in rules:
        for language, pack in sorted(rule.packs.items()):
            checker = Linter(rule_dirs=[directory], select=[rule.slug], language=language)
            for kind, sources in (
                ("should_flag", pack.should_flag),
                ("should_not_flag", pack.should_not_flag),
            ):
                for index, source in enumerate(sources):
                    examples += 1
                    problem = example_problem(checker, source, should_flag=kind == "should_flag")
                    if problem:
                        problems += 1
                        first = " ".join(source.split())[:80]
                        out.write(f"{pack.path}: {kind}[{index}]: {problem} -- {first}\n")
        problems += _citations(rule, guidance, out)
    cited = sum(len(rule.citations) for rule in rules)
    out.write(
        f"{len(rules)} rule(s), {examples} example(s), {cited} citation(s): "
        f"{problems or 'no'} problem(s)\n"
    )
    return 1 if problems else 0


def _citations(rule: Rule, guidance: Path | None, out: TextIO) -> int:
    """Problems of citations of documents found in ``guidance`` (the pack's own
    documents were checked when it loaded)."""
    if guidance is None:
        return 0
    found = 0
    for citation in rule.citations:
        text = guidance / f"{citation.document}.txt"
        if not text.is_file():
            continue
        for problem in citation_problems(citation, text.read_text(encoding="utf-8").splitlines()):
            found += 1
            out.write(
                f"{rule.directory / 'rule.toml'}: citation of {citation.document}: {problem}\n"
            )
    return found


def main(argv: Sequence[str]) -> int:
    parser = argparse.ArgumentParser(
        prog="lint-transcript check-pack", description=__doc__.splitlines()[0]
    )
    parser.add_argument("directory", metavar="DIR", help="a rule pack folder (as for --rules)")
    parser.add_argument(
        "--guidance", metavar="DIR", help="check citations against the documents in DIR"
    )
    args = parser.parse_args(argv)
    directory = Path(args.directory)
    if not directory.is_dir():
        print(f"error: {directory}: not a folder", file=sys.stderr)
        return 2
    try:
        return check_pack(directory, Path(args.guidance) if args.guidance else None, sys.stdout)
    except DeescalateError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
