"""Load rule packs: ``rules/<slug>/rule.toml`` plus one ``<language>.toml`` per language.

``rule.toml`` holds what does not depend on language (code, logic type,
severity, message, suggestion, options, citations); each language file holds
that language's pattern groups and its should-flag / should-not-flag examples.
A language is claimed by a rule only when its file has examples of both kinds.
Loading reads TOML only: a rule pack can never run code.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Any

from .citations import citation_problems
from .errors import RulePackError
from .languages import LanguageProfile, Languages, MadeOnFirstUse, load_languages
from .logic import LogicType, logic_type, logic_types
from .model import Citation, Severity
from .patterns import PatternGroup
from .resources import read_toml, shipped_rules_dir

_RULE_KEYS = {
    "code",
    "slug",
    "name",
    "logic",
    "severity",
    "summary",
    "why",
    "message",
    "suggestion",
    "messages",
    "suggestions",
    "details",
    "vetoes",
    "options",
    "citations",
    "examples_note",
    "skip_languages",
}
_LANG_KEYS = {"patterns", "examples", "language", "notes"}
_CITATION_KEYS = {"document", "section", "lines", "key_phrase", "gloss"}


@dataclass(frozen=True)
class LanguagePack:
    """One rule's data for one language."""

    rule: str
    language: str
    path: Path
    raw_patterns: Mapping[str, Any]
    should_flag: tuple[str, ...]
    should_not_flag: tuple[str, ...]
    profile: LanguageProfile

    @cached_property
    def groups(self) -> dict[str, PatternGroup]:
        return {
            name: self.profile.compile(f"{self.path} patterns.{name}", name, items)
            for name, items in self.raw_patterns.items()
        }

    def group(self, name: str) -> PatternGroup | None:
        return self.groups.get(name)


class LanguagePacks(MadeOnFirstUse[LanguagePack]):
    """A rule's packs by language, each file read and checked on first use.

    Why: a run reads only its inputs' languages. Reading every language's
    packs (and their examples) was a tenth of a clean English template's cold
    start. The languages are known from the file names (``files``), so
    ``languages``, ``in`` and ``len`` read nothing; a pack's errors still name
    its file. Only the shipped packs are read so (``load_rule(lazy=True)``): a
    user's packs are read at once, so a mistake there stops the run before its
    first input.
    """

    def __init__(self, slug: str, logic: str, files: Mapping[str, Path], languages: Languages):
        self.files = dict(files)
        super().__init__(self.files)  # the same dict: a file added is a language
        self.slug = slug
        self.logic = logic
        self.languages = languages

    def make(self, name: str) -> LanguagePack:
        kind = logic_type(self.logic)
        assert kind is not None  # checked when the rule was loaded
        return _language_pack(self.slug, self.files[name], kind, self.languages)


@dataclass(frozen=True)
class Rule:
    code: str
    slug: str
    name: str
    logic: str
    severity: Severity
    summary: str
    why: str
    message: str
    suggestion: str
    citations: tuple[Citation, ...]
    options: Mapping[str, Any]
    directory: Path
    packs: Mapping[str, LanguagePack]
    messages: Mapping[str, str] = field(default_factory=dict)
    suggestions: Mapping[str, str] = field(default_factory=dict)
    #: Sentences with ``{placeholders}`` a logic type fills in (counts...).
    details: Mapping[str, str] = field(default_factory=dict)
    vetoes: frozenset[str] = frozenset()
    #: Languages the rule deliberately does not cover, with the reason.
    skip_languages: Mapping[str, str] = field(default_factory=dict)

    @property
    def languages(self) -> tuple[str, ...]:
        return tuple(sorted(self.packs))

    @property
    def logic_type(self) -> LogicType:
        found = logic_type(self.logic)
        assert found is not None  # checked when the pack was loaded
        return found

    def message_for(self, kind: str | None) -> str:
        return self.messages.get(kind or "", self.message)

    def suggestion_for(self, kind: str | None) -> str:
        return self.suggestions.get(kind or "", self.suggestion)

    def option_problem(self, name: str, value: Any) -> str | None:
        """Why ``value`` cannot be this rule's option ``name``, or None: the one
        check for options from the API and from configuration files."""
        spec = self.logic_type.option(name)
        if spec is None or name not in self.options:
            known = ", ".join(sorted(self.options)) or "none"
            return f"unknown option for {self.slug} (known: {known})"
        return spec.problem(value)

    def detail_for(self, kind: str, **values: object) -> str | None:
        """The pack's ``[details]`` sentence for ``kind``, filled with ``values``."""
        template = self.details.get(kind)
        return template.format(**values) if template else None

    def matches_selector(self, selector: str) -> bool:
        """A code (``DL102``), a code prefix (``DL1``), or the slug."""
        return selector == self.slug or self.code.startswith(selector.upper())


@lru_cache(maxsize=1)
def _sources() -> dict[str, CitedDocument]:
    return sources_of(shipped_rules_dir(), texts=False)


@dataclass(frozen=True)
class CitedDocument:
    """A document rules may cite: the shipped guidance, or a pack's own playbook."""

    id: str
    title: str
    #: The text, when the pack ships it (``sources/<id>.txt``): then every
    #: citation of it is checked when the pack loads. The shipped guidance
    #: lives outside the project and is checked by its test suite.
    path: Path | None


def sources_of(root: Path, texts: bool = True) -> dict[str, CitedDocument]:
    """The documents a rule folder declares in ``sources.toml`` (id -> title), with
    ``sources/<id>.txt`` when ``texts``; none when it has no ``sources.toml``."""
    declared = root / "sources.toml"
    if not declared.is_file():
        return {}
    out = {}
    for document, entry in read_toml(declared).items():
        if not isinstance(entry, dict) or not isinstance(entry.get("title"), str):
            raise RulePackError(str(declared), f"[{document}] needs a title")
        text = root / "sources" / f"{document}.txt"
        out[document] = CitedDocument(
            document, entry["title"], text if texts and text.is_file() else None
        )
    return out


def load_rule(
    directory: Path,
    languages: Languages | None = None,
    sources: Mapping[str, CitedDocument] | None = None,
    lazy: bool = False,
) -> Rule:
    """One rule pack, checked against its logic type's declaration (errors name the file).

    ``sources`` are the documents it may cite (default: the shipped guidance).
    ``lazy`` leaves each language's file to its first use (``LanguagePacks``):
    for the shipped packs, which the test suite checks.
    """
    languages = languages or load_languages(())
    sources = sources if sources is not None else _sources()
    path = directory / "rule.toml"
    data = read_toml(path)
    where = str(path)
    unknown = set(data) - _RULE_KEYS
    if unknown:
        raise RulePackError(where, f"unknown key(s): {', '.join(sorted(unknown))}")
    for key in ("code", "slug", "logic", "message", "suggestion"):
        if not isinstance(data.get(key), str) or not data[key]:
            raise RulePackError(where, f"'{key}' is required and must be a string")
    kind = logic_type(data["logic"])
    if kind is None:
        raise RulePackError(where, f"logic must be one of {', '.join(logic_types())}")
    if data["slug"] != directory.name:
        raise RulePackError(
            where, f"slug {data['slug']!r} must equal the folder name {directory.name!r}"
        )
    try:
        severity = Severity(data.get("severity", "warning"))
    except ValueError:
        raise RulePackError(where, "severity must be error, warning or info") from None
    citations = tuple(_citation(where, item, sources) for item in data.get("citations", []))
    if not citations:
        raise RulePackError(where, "a rule must cite at least one guidance passage")
    options = _options(where, kind, data.get("options", {}))
    skips = data.get("skip_languages", {})
    if not isinstance(skips, dict) or not all(
        isinstance(v, str) and v.strip() for v in skips.values()
    ):
        raise RulePackError(where, "skip_languages must map language codes to a reason")
    packs = LanguagePacks(data["slug"], data["logic"], {}, languages)
    for lang_file in sorted(directory.glob("*.toml")):
        if lang_file.name == "rule.toml":
            continue
        if lang_file.stem not in languages:
            raise RulePackError(
                str(lang_file),
                f"no language profile for {lang_file.stem!r} "
                "(language files are named <code>.toml)",
            )
        packs.files[lang_file.stem] = lang_file
        if not lazy:
            # Read and checked now, file by file: the first broken one is reported.
            packs[lang_file.stem]
    both = set(packs) & set(skips)
    if both:
        raise RulePackError(where, f"skip_languages names covered language(s): {sorted(both)}")
    return Rule(
        code=data["code"],
        slug=data["slug"],
        name=str(data.get("name", data["slug"])),
        logic=data["logic"],
        severity=severity,
        summary=str(data.get("summary", "")),
        why=str(data.get("why", "")),
        message=data["message"],
        suggestion=data["suggestion"],
        citations=citations,
        options=options,
        directory=directory,
        packs=packs,
        messages=dict(data.get("messages", {})),
        suggestions=dict(data.get("suggestions", {})),
        details=dict(data.get("details", {})),
        vetoes=frozenset(data.get("vetoes", [])),
        skip_languages=dict(skips),
    )


def _options(where: str, kind: LogicType, given: Any) -> dict[str, Any]:
    """The pack's option defaults: exactly the options its logic type declares."""
    if not isinstance(given, dict):
        raise RulePackError(where, "[options] must be a table")
    for name, value in given.items():
        spec = kind.option(name)
        if spec is None:
            known = ", ".join(o.name for o in kind.options) or "none"
            raise RulePackError(
                where, f"logic {kind.name!r} takes no option {name!r} (known: {known})"
            )
        problem = spec.problem(value)
        if problem:
            raise RulePackError(where, f"option {name!r} {problem}")
    missing = [o.name for o in kind.options if o.name not in given and o.default is None]
    if missing:
        raise RulePackError(where, f"[options] needs a default for: {', '.join(missing)}")
    return {
        **{o.name: o.default for o in kind.options if o.default is not None},
        **given,
    }


def _citation(where: str, item: Any, sources: Mapping[str, CitedDocument]) -> Citation:
    if not isinstance(item, dict) or set(item) != _CITATION_KEYS:
        raise RulePackError(where, f"a citation needs exactly: {', '.join(sorted(_CITATION_KEYS))}")
    document = item["document"]
    if document not in sources:
        raise RulePackError(where, f"citation of unknown document {document!r} (see sources.toml)")
    lines = item["lines"]
    if (
        not isinstance(lines, list)
        or len(lines) != 2
        or not all(isinstance(n, int) for n in lines)
        or not 1 <= lines[0] <= lines[1]
    ):
        raise RulePackError(where, "citation lines must be [first, last], 1-based")
    gloss = item["gloss"]
    if not isinstance(gloss, str) or not gloss.strip() or "\n" in gloss.strip():
        raise RulePackError(where, "a citation's gloss must be one non-empty line of English")
    citation = Citation(
        document=document,
        title=sources[document].title,
        section=str(item["section"]),
        lines=(lines[0], lines[1]),
        key_phrase=str(item["key_phrase"]),
        gloss=gloss.strip(),
    )
    text = sources[document].path
    if text is not None:
        problems = citation_problems(citation, text.read_text(encoding="utf-8").splitlines())
        if problems:
            raise RulePackError(
                where, f"citation of {document} lines {lines}: {'; '.join(problems)}"
            )
    return citation


def _language_pack(slug: str, path: Path, kind: LogicType, languages: Languages) -> LanguagePack:
    data = read_toml(path)
    where = str(path)
    unknown = set(data) - _LANG_KEYS
    if unknown:
        raise RulePackError(where, f"unknown key(s): {', '.join(sorted(unknown))}")
    language = path.stem
    examples = data.get("examples", {})
    flag = examples.get("should_flag", [])
    clean = examples.get("should_not_flag", [])
    if not all(isinstance(x, str) for x in (*flag, *clean)):
        raise RulePackError(where, "examples must be lists of strings")
    if not flag or not clean:
        raise RulePackError(where, "a language pack needs should_flag and should_not_flag examples")
    patterns = data.get("patterns", {})
    if not isinstance(patterns, dict):
        raise RulePackError(where, "[patterns] must be a table of pattern lists")
    for name in patterns:
        if kind.group(name) is None:
            known = ", ".join(g.name for g in kind.groups)
            raise RulePackError(
                where, f"logic {kind.name!r} reads no group {name!r} (its groups: {known})"
            )
    missing = [g.name for g in kind.groups if g.required and not patterns.get(g.name)]
    if missing:
        raise RulePackError(where, f"logic {kind.name!r} needs the group(s): {', '.join(missing)}")
    return LanguagePack(
        slug, language, path, patterns, tuple(flag), tuple(clean), languages.profile(language)
    )


def rule_directories(roots: Iterable[Path]) -> list[Path]:
    found = []
    for root in roots:
        if (root / "rule.toml").is_file():
            found.append(root)
            continue
        found.extend(sorted(p.parent for p in root.glob("*/rule.toml")))
    return found


def load_rules(extra_dirs: Iterable[Path] = ()) -> tuple[Rule, ...]:
    """The shipped rules, then any user rule packs; codes and slugs must be unique.

    A user folder may bring languages (``languages/<code>.toml``) and concepts
    (``concepts/<code>.toml``) of its own; its rules are compiled with them.
    """
    extra = tuple(extra_dirs)
    for root in extra:
        check_rule_dir(root)
    languages = load_languages(language_roots(extra))
    rules: list[Rule] = list(_shipped_rules())
    shipped = shipped_rules_dir().resolve()
    for root in extra:
        if root.resolve().is_relative_to(shipped):
            continue  # shipped packs, already loaded (check-pack rules/ or rules/joking)
        # A folder may cite its own documents (a company playbook) beside the guidance.
        sources = {**_sources(), **sources_of(root)}
        for directory in rule_directories([root]):
            rule = load_rule(directory, languages, sources)
            # User patterns are compiled now, so a bad one is an error before the
            # first input is read rather than in the middle of a batch.
            for pack in rule.packs.values():
                pack.groups  # noqa: B018 - compiles and caches the groups
            rules.append(rule)
    seen: dict[str, Path] = {}
    for rule in rules:
        for key in (rule.code, rule.slug):
            if key in seen and seen[key] != rule.directory:
                raise RulePackError(str(rule.directory), f"{key} is already defined in {seen[key]}")
            seen[key] = rule.directory
    return tuple(sorted(rules, key=lambda r: r.code))


def check_rule_dir(root: Path) -> None:
    """Refuse a rule-pack folder that does not exist or holds nothing to load.

    Why: a mistyped ``--rules`` path used to be skipped without a word, and the
    run then checked less than the user asked for.
    """
    if not root.is_dir():
        what = "is not a folder" if root.exists() else "does not exist"
        raise RulePackError(str(root), f"rule pack folder {what}")
    if not rule_directories([root]) and not language_roots([root]):
        raise RulePackError(
            str(root),
            "no rule packs here (a rule.toml in it or in its subfolders), "
            "nor languages/ or concepts/",
        )


def language_roots(extra_dirs: Iterable[Path]) -> tuple[Path, ...]:
    """The user folders that hold languages or concepts of their own."""
    return tuple(
        d.resolve() for d in extra_dirs if (d / "languages").is_dir() or (d / "concepts").is_dir()
    )


@lru_cache(maxsize=1)
def _shipped_rules() -> tuple[Rule, ...]:
    languages = load_languages(())
    return tuple(
        load_rule(d, languages, lazy=True) for d in rule_directories([shipped_rules_dir()])
    )
