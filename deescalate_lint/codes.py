"""The codes the engine reports itself (no rule pack): one table, read everywhere.

The engine and ``suppress`` report them, ``docs`` and ``lint-transcript
rules`` describe them, reporters recognise them; each reads this table
instead of keeping its own copy of a code, a name or a description.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class EngineCode:
    """A code the engine reports, described once."""

    code: str
    #: The ``rule`` field it is reported under; empty: that of the rule it is about.
    slug: str
    #: ``notice`` (a check that could not run) or ``finding``.
    kind: str
    #: One line: what it means (the tables in the docs, ``lint-transcript rules``).
    summary: str
    #: For a finding: a title, its default severity and what to do about it.
    name: str = ""
    severity: str = ""
    suggestion: str = ""


LANGUAGE = EngineCode(
    "DL001",
    "language",
    "notice",
    "the language is unsupported or could not be detected: nothing was checked",
)
INPUT = EngineCode(
    "DL002",
    "input",
    "notice",
    "an input problem the reader worked around (bad timestamps, an empty file, no agent turn)",
)
RULE_LANGUAGE = EngineCode(
    "DL003",
    "",
    "notice",
    "a rule has no patterns for the transcript's language: that rule was not checked",
)
RULE_ERROR = EngineCode(
    "DL004",
    "",
    "notice",
    "a rule error (a pattern hit its time limit): the rule was skipped",
)
UNUSED = EngineCode(
    "DL900",
    "unused-suppression",
    "finding",
    "A suppression that suppressed nothing, names no known rule, or is malformed.",
    name="Unused suppression",
    severity="info",
    suggestion="Delete the suppression (or the rule names in it that no longer match anything).",
)

#: Every engine code, in code order.
ENGINE_CODES = (LANGUAGE, INPUT, RULE_LANGUAGE, RULE_ERROR, UNUSED)
#: The notices among them (the table in ``docs/rules/README.md``).
NOTICES = tuple(c for c in ENGINE_CODES if c.kind == "notice")
