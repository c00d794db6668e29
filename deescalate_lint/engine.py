"""The ``Linter``: configuration once, then transcripts in, findings and notices out.

The path of the data, one module per step:
``readers`` -> ``detection`` (language) -> ``context`` (prepared turns; ``nlp``
tokens only on demand) -> ``logic`` types driven by ``rulepack`` data, with
``scope`` and ``escalation`` judging context -> ``report``. Results leave by
one channel: ``Linter.run`` yields one ``model.Linted`` item per transcript,
source-level notice or read error, in input order.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from . import codes, detection, suppress
from .context import Conversation
from .errors import ConfigError, InputError
from .languages import Languages, language_code, load_languages, normalise_language
from .logic import LogicType
from .model import Finding, Linted, Notice, Result, Role, Severity, Transcript
from .patterns import PatternTimeout
from .readers import Source, TranscriptLike, check_reader_options, coerce, iter_sources, read_source
from .roles import RoleTable, role_table
from .rulepack import Rule, language_roots, load_rules
from .screen import LanguageIndex, Screen

#: Notice codes raised by the engine itself rather than by a rule (``codes.py``).
NOTICE_LANGUAGE = codes.LANGUAGE.code
NOTICE_INPUT = codes.INPUT.code
NOTICE_RULE_LANGUAGE = codes.RULE_LANGUAGE.code
NOTICE_RULE_ERROR = codes.RULE_ERROR.code


class Linter:
    """Reusable linter: build once (rules compiled, options checked), lint many."""

    def __init__(
        self,
        *,
        select: Sequence[str] | None = None,
        ignore: Sequence[str] = (),
        options: Mapping[str, Mapping[str, Any]] | None = None,
        severity: Mapping[str, str] | None = None,
        language: str | None = None,
        roles: Mapping[str, str] | None = None,
        rule_dirs: Iterable[str | os.PathLike[str]] = (),
        input_format: str | None = None,
        reader_options: Mapping[str, Mapping[str, Any]] | None = None,
    ) -> None:
        dirs = [Path(d) for d in rule_dirs]
        for directory in dirs:
            if not directory.is_dir():
                raise ConfigError(f"rule pack folder {str(directory)!r} does not exist")
        all_rules = load_rules(dirs)
        #: The languages this linter knows: shipped ones and its rule folders' own.
        self.languages: Languages = load_languages(language_roots(dirs))
        _check_selectors(all_rules, [*(select or ()), *ignore])
        #: Every loaded rule, selected or not (suppressions naming others are unknown).
        self.all_rules = all_rules
        #: Whether DL900 (unused suppression) is selected, like any rule code.
        self.report_unused = (
            select is None or any(suppress.matches_unused(s) for s in select)
        ) and not any(suppress.matches_unused(s) for s in ignore)
        self.rules: tuple[Rule, ...] = tuple(
            rule
            for rule in all_rules
            if (select is None or any(rule.matches_selector(s) for s in select))
            and not any(rule.matches_selector(s) for s in ignore)
        )
        self.options = {
            rule.slug: _merge_options(rule, (options or {}).get(rule.slug, {}))
            for rule in self.rules
        }
        self.severity = _severities(all_rules, severity or {})
        self.language = (
            (language_code(language, self.languages) or normalise_language(language))
            if language
            else None
        )
        try:
            self.roles: RoleTable = role_table(self.languages).with_overrides(roles or {})
        except ValueError as exc:
            raise ConfigError(str(exc)) from None
        self.input_format = input_format
        #: Rules switched off for the rest of this linter's life after a pattern
        #: timed out (slug -> what timed out). Why: a pattern that is too slow on
        #: one turn is usually too slow on every turn, and a batch of a million
        #: turns must not pay the time limit a million times.
        self.disabled: dict[str, str] = {}
        # Per reader name (``{"csv": {"speaker": "who"}}``); checked now, not at the first file.
        self.reader_options = check_reader_options(reader_options)
        _check_unknown_options(options or {}, all_rules)
        #: Whether a rule with no leading candidate in a transcript gives its logic
        #: type's quiet results instead of being checked (the same results; tests
        #: switch it off to compare).
        self.skip_quiet = True
        #: Per language: what the screen looks for (built on first use, never pickled).
        self._indexes: dict[str, LanguageIndex] = {}
        self._plans: dict[str, list[tuple[int, Rule, LogicType, Mapping[str, Any], bool]]] = {}

    def __getstate__(self) -> dict[str, Any]:
        state = dict(self.__dict__)
        state["_indexes"] = {}  # compiled scanners stay in each process
        state["_plans"] = {}
        return state

    def _index(self, code: str) -> LanguageIndex:
        found = self._indexes.get(code)
        if found is None:
            options = [self.options[rule.slug] for rule in self.rules]
            found = self._indexes[code] = LanguageIndex(
                self.rules, options, self.languages.profile(code)
            )
        return found

    # -- transcripts -------------------------------------------------------

    def lint(self, transcript: TranscriptLike, language: str | None = None) -> list[Finding]:
        """The findings for one transcript (notices are dropped; see ``results``)."""
        return [r for r in self.results(transcript, language) if isinstance(r, Finding)]

    def results(self, transcript: TranscriptLike, language: str | None = None) -> list[Result]:
        """Findings and notices for one transcript, in a stable order."""
        return list(self.lint_transcript(coerce(transcript, self.roles), language).results)

    def lint_transcript(self, transcript: Transcript, language: str | None = None) -> Linted:
        """One transcript already read (by a reader, or in a worker process) as its item."""
        return Linted(
            transcript.path, transcript, tuple(self._lint_transcript(transcript, language))
        )

    # -- files: one item per transcript, source-level notice or read error ---

    def run(self, paths: Iterable[str]) -> Iterator[Linted]:
        """Every item for files, directories and ``-`` (stdin), in input order."""
        for source in iter_sources(paths):
            if isinstance(source, InputError):
                yield failed(source)
            else:
                yield from self.run_source(source)

    def run_source(self, source: Source) -> Iterator[Linted]:
        """The items of one source; an empty one, or one without transcripts, says so."""
        if source.is_blank():
            yield source_notice(source.label, EMPTY_SOURCE)
            return
        found = False
        for item in self.run_records(source):
            found = True
            yield item
        if not found:
            yield source_notice(source.label, NO_TRANSCRIPTS)

    def run_records(self, source: Source) -> Iterator[Linted]:
        """Each record of ``source`` linted (or its read error), without the notices about
        the source as a whole: a block of a JSONL file linted on its own is not a file."""
        for read in read_source(source, self.roles, self.input_format, self.reader_options):
            yield failed(read) if isinstance(read, InputError) else self.lint_transcript(read)

    # -- the flat forms, kept for callers that want results only ------------

    def lint_paths(self, paths: Iterable[str]) -> Iterator[Result | InputError]:
        """Every result and read error for files, directories and ``-`` (stdin)."""
        for item in self.run(paths):
            yield from item.outputs()

    def lint_source(self, source: Source) -> Iterator[Result | InputError]:
        """Every result and read error of one source."""
        for item in self.run_source(source):
            yield from item.outputs()

    # -- the pipeline ------------------------------------------------------

    def _plan(self, code: str) -> list[tuple[int, Rule, LogicType, Mapping[str, Any], bool]]:
        """Per rule, in order: its position, logic type, options, and whether it has
        patterns for ``code`` (worked out once per language, not per transcript)."""
        found = self._plans.get(code)
        if found is None:
            found = self._plans[code] = [
                (position, rule, rule.logic_type, self.options[rule.slug], code in rule.packs)
                for position, rule in enumerate(self.rules)
            ]
        return found

    def _lint_transcript(self, transcript: Transcript, language: str | None) -> list[Result]:
        notices: list[Notice] = [
            _engine_notice(transcript, NOTICE_INPUT, "input", warning)
            for warning in transcript.warnings
        ]
        if not any(t.role is Role.AGENT and t.text.strip() for t in transcript.turns):
            what = "no turns" if not transcript.turns else "no agent turn with text"
            message = f"the transcript has {what}; nothing was checked"
            return [*notices, _engine_notice(transcript, NOTICE_INPUT, "input", message)]
        code, notice = self._language(transcript, language)
        if notice is not None:
            notices.append(notice)
        if code is None:
            return list(notices)
        turn_languages = detection.turn_languages(
            [t.text for t in transcript.turns], code, self.languages
        )
        indexes = {c: self._index(c) for c in set(turn_languages) if c}
        screen = Screen.build(
            transcript, code, turn_languages, indexes, self.languages.profiles, len(self.rules)
        )
        led = screen.led
        convo: Conversation | None = None
        results: list[Result] = []
        checked: list[str] = []
        skip_quiet = self.skip_quiet
        for position, rule, kind, options, covered in self._plan(code):
            if not covered:
                notices.append(
                    _engine_notice(
                        transcript,
                        NOTICE_RULE_LANGUAGE,
                        rule.slug,
                        f"{rule.slug} has no patterns for language {code!r}; not checked",
                    )
                )
                continue
            if self.disabled and rule.slug in self.disabled:
                message = (
                    f"rule error in {rule.slug}: disabled earlier in this run after "
                    f"{self.disabled[rule.slug]}; not checked"
                )
                notices.append(_engine_notice(transcript, NOTICE_RULE_ERROR, rule.slug, message))
                continue
            quiet = None
            if skip_quiet and kind.quiet is not None:
                quiet = kind.quiet(rule, screen, options, led[position])
            try:
                if quiet is not None:
                    produced = quiet
                else:
                    if convo is None:
                        convo = Conversation.from_screen(screen, self.languages)
                    produced = list(kind.check(rule, convo, options))
            except PatternTimeout as exc:
                # Partial results are dropped: the rule did not finish this transcript.
                self.disabled[rule.slug] = str(exc)
                message = (
                    f"rule error in {rule.slug}: {exc}; the rule was skipped for this "
                    "transcript and is disabled for the rest of this run"
                )
                notices.append(_engine_notice(transcript, NOTICE_RULE_ERROR, rule.slug, message))
                continue
            for result in produced:
                if isinstance(result, Finding):
                    result = self._with_severity(rule, result)
                results.append(result)
            checked.append(rule.slug)
        # Suppressions (lint.ignore, template comments) apply here, once, so that
        # unused ones can be told apart from used ones (DL900).
        results = suppress.apply(
            transcript,
            [*notices, *results],
            enabled=self.rules,
            known=self.all_rules,
            checked=checked,
            report_unused=self.report_unused,
        )
        findings = sorted((r for r in results if isinstance(r, Finding)), key=Finding.sort_key)
        if any(transcript.metadata.values()):
            findings = [replace(f, **transcript.metadata) for f in findings]
        all_notices = [r for r in results if isinstance(r, Notice)]
        return [*all_notices, *findings]

    def _language(
        self, transcript: Transcript, given: str | None
    ) -> tuple[str | None, Notice | None]:
        chosen = given or self.language or transcript.language
        if chosen:
            code = language_code(chosen, self.languages) or normalise_language(chosen)
            if code in self.languages:
                return code, None
            return None, _engine_notice(
                transcript,
                NOTICE_LANGUAGE,
                "language",
                f"language {chosen!r} is not supported "
                f"(supported: {', '.join(self.languages.codes)}); "
                "nothing was checked",
            )
        found = detection.detect(_text_sample(transcript, detection.SAMPLE_CHARS), self.languages)
        if found.language:
            return found.language, None
        what = (
            f"looks like {found.seen!r}, which is not supported"
            if found.seen
            else "could not be detected"
        )
        return None, _engine_notice(
            transcript,
            NOTICE_LANGUAGE,
            "language",
            f"the language {what}; nothing was checked "
            "(set it with --language or a 'language' field)",
        )

    def _with_severity(self, rule: Rule, finding: Finding) -> Finding:
        wanted = self.severity.get(rule.slug)
        if wanted is None or wanted is finding.severity:
            return finding
        return replace(finding, severity=wanted)


def _text_sample(transcript: Transcript, size: int) -> str:
    """The first ``size`` characters of the turns joined by newlines, without joining them all."""
    pieces: list[str] = []
    length = 0
    for turn in transcript.turns:
        if length >= size:
            break
        pieces.append(turn.text[: size - length])
        length += len(pieces[-1]) + 1
    return "\n".join(pieces)[:size]


#: What the source-level notices say.
EMPTY_SOURCE = "the file is empty; nothing was checked"
NO_TRANSCRIPTS = "no transcripts found in the file; nothing was checked"


def source_notice(label: str, message: str) -> Linted:
    """A notice about a whole source (``EMPTY_SOURCE``, ``NO_TRANSCRIPTS``) as its item."""
    notice = Notice(
        code=codes.INPUT.code, rule=codes.INPUT.slug, path=label, transcript=None, message=message
    )
    return Linted(label, results=(notice,))


def failed(error: InputError) -> Linted:
    """A read error as its item, in its place among the others."""
    return Linted(error.path, error=error)


def _engine_notice(transcript: Transcript, code: str, rule: str, message: str) -> Notice:
    return Notice(
        code=code, rule=rule, path=transcript.path, transcript=transcript.id, message=message
    )


def _check_selectors(rules: Sequence[Rule], selectors: Sequence[str]) -> None:
    for selector in selectors:
        if suppress.is_engine_selector(selector):
            continue
        if not any(rule.matches_selector(selector) for rule in rules):
            raise ConfigError(f"unknown rule {selector!r} (see `lint-transcript rules`)")


def _merge_options(rule: Rule, given: Mapping[str, Any]) -> dict[str, Any]:
    merged = dict(rule.options)
    for key, value in given.items():
        problem = rule.option_problem(key, value)
        if problem:
            raise ConfigError(f"option {key!r} of rule {rule.slug}: {problem}")
        merged[key] = value
    return merged


def _check_unknown_options(options: Mapping[str, Any], rules: Sequence[Rule]) -> None:
    slugs = {rule.slug for rule in rules}
    for slug in options:
        if slug not in slugs:
            raise ConfigError(f"options given for unknown rule {slug!r}")


def _severities(rules: Sequence[Rule], given: Mapping[str, str]) -> dict[str, Severity]:
    out = {}
    for selector, value in given.items():
        try:
            level = Severity(value)
        except ValueError:
            raise ConfigError(f"severity for {selector!r} must be error, warning or info") from None
        matched = [rule for rule in rules if rule.matches_selector(selector)]
        if not matched:
            raise ConfigError(f"severity given for unknown rule {selector!r}")
        for rule in matched:
            out[rule.slug] = level
    return out
