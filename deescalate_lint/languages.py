"""Languages as declared units: ``rules/languages/<code>.toml`` says everything.

A language file holds its name, script, how patterns match (word edges,
case), the tokeniser and sentence settings, quotation marks, speaker labels,
function words for detection, the negation and hedge cues of scope, and how
"near" is measured for co-occurrence patterns. Its named concept lists (words
for a written channel, an apology, anger...) sit beside it in
``rules/concepts/<code>.toml`` (or ``<code>/*.toml``), shared by every rule
and the escalation detector. Nothing about a particular language is written in Python: a new
language is a data change (see docs/rule-packs.md), and a rule-pack folder
given with ``--rules`` may add languages and concepts of its own.

``supported_languages()`` is the one list of the shipped languages; the CLI,
the docs, the benchmark, the evaluation and the tests all derive from it.
"""

from __future__ import annotations

import marshal
from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Any, TypeVar

import regex

from .diskmemo import DiskMemo, content_key, fingerprint
from .errors import RulePackError
from .folds import FOLDS, fold_table, prepared_specs
from .patterns import PatternGroup, specs_from_data
from .regexes import compile_pattern
from .resources import read_toml, shipped_rules_dir
from .spellings import NO_SPELLINGS, Spellings

#: Compiled pattern lists by their inputs (``LanguageProfile.compile``), named
#: by the code that compiles them and the ``regex`` version that checked them.
_COMPILED = DiskMemo(
    "groups",
    fingerprint(
        *(
            Path(__file__).with_name(name)
            for name in ("languages.py", "concepts.py", "folds.py", "spellings.py", "patterns.py")
        )
    )
    + "-"
    + regex.__version__,
)

_CUE_GROUPS = (
    "negation_before",
    "negation_after",
    "pseudo_negation",
    "hedge_before",
    "hedge_after",
    "terminators",
)
_LANGUAGE_KEYS = {
    "name",
    "script",
    "word_boundaries",
    "ignore_case",
    "scope",
    "sentences",
    "tokeniser",
    "quotes",
    "roles",
    "detection",
    "near",
    "analysis",
}
_ROLE_NAMES = ("agent", "customer", "skip")


@dataclass(frozen=True)
class QuotePair:
    """An opening mark of quoted speech (someone else's words) and the marks
    that may close it.

    ``inner`` (a pattern) must occur inside for the span to count, and
    ``after_letter = false`` refuses an opening mark glued to a letter: both
    are for marks that double as apostrophes (Korean quotes others in '...').
    """

    open: str
    close: str
    inner: str | None = None
    after_letter: bool = True


@dataclass(frozen=True, eq=False)
class LanguageProfile:
    """Everything the engine knows about one language, read from its files."""

    code: str
    name: str
    path: Path
    #: The Unicode script its letters are written in (detection).
    script: str
    word_boundaries: bool
    ignore_case: bool
    #: How many tokens before/after a trigger a negation or hedge cue reaches.
    window: int
    cues: _CueGroups
    #: Frequent function words, for telling Latin-script languages apart quickly.
    stopwords: frozenset[str]
    #: Speaker label (case-folded) -> agent / customer / skip.
    roles: Mapping[str, str]
    quotes: tuple[QuotePair, ...]
    #: spaCy's blank pipeline for tokens: its language code, and whether to use
    #: the rule-based tokeniser instead of that language's default.
    spacy: str
    rule_based_tokeniser: bool
    #: A pattern after which a sentence ends although no punctuation says so.
    sentence_break: str | None
    #: Co-occurrence ("near") patterns: one token, and what ends a clause.
    near_token: str
    near_clause_end: str
    #: Detection by script: the share of letters (or, for ``per_latin =
    #: "word"``, of letters against Latin words) its script must reach.
    script_share: float
    script_per_latin_word: bool
    #: A character fold applied before matching (``[analysis] fold``, see
    #: folds.py), e.g. traditional to simplified Chinese; None for none.
    fold: str | None = None
    #: Contractions every pattern also reads without the apostrophe, and spoken
    #: forms of common words (spellings.py).
    spellings: Spellings = NO_SPELLINGS
    #: Named concept lists (``rules/concepts/<code>.toml``), raw pattern data.
    concepts: Mapping[str, Any] = field(default_factory=dict)
    #: The file each concept is defined in (errors name it; a shipped one is
    #: trusted, as the shipped rule packs are: the test suite compiles them).
    concept_files: Mapping[str, Path] = field(default_factory=dict)

    def group(self, name: str) -> PatternGroup:
        return self.cues[name]

    @property
    def fold_map(self) -> Mapping[int, str] | None:
        """The ``str.translate`` table of its fold, or None (textprep.analyse)."""
        return fold_table(self.fold)

    def compile(self, where: str, group: str, items: Any) -> PatternGroup:
        """Compile a pattern list with this language's conventions and concepts.

        The result is a pure function of the list, the language's settings and
        its concepts, so it is kept on disk (``_COMPILED``): expanding concept
        references, folding and spacing about 2,400 patterns was half of a
        clean template's cold start.
        """
        try:
            key = content_key(marshal.dumps((where, group, items, self._compile_inputs), 0))
        except ValueError:  # data marshal cannot store (a TOML date): no memo
            return self._compile(where, group, items)
        built: list[PatternGroup] = []

        def compute() -> tuple[tuple[str, str, dict[str, Any], str], ...]:
            built.append(self._compile(where, group, items))
            return built[0].rows

        rows = _COMPILED.get(key, compute)
        if built:
            return built[0]
        return PatternGroup.from_rows(where, rows, self.word_boundaries, self.ignore_case)

    @cached_property
    def _compile_inputs(self) -> tuple[Any, ...]:
        """Everything besides the list itself that ``compile``'s result depends on."""
        concepts = content_key(marshal.dumps(dict(self.concepts), 0))
        return (
            self.code,
            self.fold,
            self.spellings.apostrophes,
            self.spellings.spoken,
            self.word_boundaries,
            self.ignore_case,
            self.near_token,
            self.near_clause_end,
            concepts,
        )

    def _compile(self, where: str, group: str, items: Any) -> PatternGroup:
        from .concepts import expand_specs

        specs = expand_specs(where, specs_from_data(where, group, items), self)
        return PatternGroup.build(
            where,
            prepared_specs(specs, self.fold_map, self.spellings),
            self.word_boundaries,
            self.ignore_case,
        )

    def concept(self, name: str) -> PatternGroup:
        """One concept list compiled on its own (the detector's signals)."""
        return self._concept_groups[name]

    def concept_groups(self) -> dict[str, PatternGroup]:
        """Every concept list of the language, compiled (tests, benchmarks)."""
        return {name: self.concept(name) for name in sorted(self.concepts)}

    @cached_property
    def _concept_groups(self) -> _ConceptGroups:
        return _ConceptGroups(self)

    @cached_property
    def quote_pattern(self) -> regex.Pattern[str] | None:
        """One pattern for every quotation this language marks (or None)."""
        return quote_pattern(self.quotes)

    @cached_property
    def quote_marks(self) -> frozenset[str]:
        """Opening marks: a text with none of them has no quotation."""
        return frozenset(pair.open for pair in self.quotes)

    @cached_property
    def sentence_break_pattern(self) -> regex.Pattern[str] | None:
        return compile_pattern(self.sentence_break) if self.sentence_break else None


class _ConceptGroups(dict[str, PatternGroup]):
    """Concept lists compiled on first use, one group each."""

    def __init__(self, lang: LanguageProfile) -> None:
        super().__init__()
        self.lang = lang

    def __missing__(self, name: str) -> PatternGroup:
        if name not in self.lang.concepts:
            raise RulePackError(
                str(self.lang.path), f"no concept {name!r} for language {self.lang.code!r}"
            )
        # The list's own items, so per-pattern attributes (a weight) survive.
        origin = self.lang.concept_files.get(name)
        where = f"{origin if origin else f'concepts/{self.lang.code}.toml'} {name}"
        group = self.lang.compile(where, name, self.lang.concepts[name])
        self[name] = group
        return group


V = TypeVar("V")


class MadeOnFirstUse(Mapping[str, V]):
    """Values by name, the names known up front and each value made the first
    time it is asked for: ``in``, ``len`` and the names make nothing,
    ``values()`` and ``items()`` make them all. Why: a run reads and compiles
    only its inputs' languages (a rule's packs, ``rulepack.LanguagePacks``; a
    language's scope cues, ``_CueGroups``).

    Subclasses give ``names`` and ``make``; ``built`` holds what is made so far.
    """

    def __init__(self, names: Collection[str]) -> None:
        self.names = names
        self.built: dict[str, V] = {}

    def make(self, name: str) -> V:
        raise NotImplementedError

    def __getitem__(self, name: str) -> V:
        found = self.built.get(name)
        if found is not None:
            return found
        if name not in self.names:
            raise KeyError(name)
        # The first one kept wins: threads asking at once all get the same value
        # (the screen knows pattern groups by identity).
        return self.built.setdefault(name, self.make(name))

    def __contains__(self, name: object) -> bool:
        return name in self.names

    def __iter__(self) -> Iterator[str]:
        return iter(self.names)

    def __len__(self) -> int:
        return len(self.names)

    def make_all(self) -> None:
        """Make every value now, in order (a user's folder: its first mistake
        stops the run before the first input)."""
        for name in self.names:
            self[name]  # made and kept


class _CueGroups(MadeOnFirstUse[PatternGroup]):
    """A language's scope cues (negation, hedges, terminators), each compiled on
    first use (building all five languages' was 4% of a clean template's cold
    start)."""

    def __init__(
        self,
        where: str,
        scope: Mapping[str, Any],
        fold: str | None,
        spellings: Spellings,
        word_boundaries: bool,
        ignore_case: bool,
    ) -> None:
        super().__init__(_CUE_GROUPS)
        self.where = where
        self.scope = scope
        self.fold = fold
        self.spellings = spellings
        self.word_boundaries = word_boundaries
        self.ignore_case = ignore_case

    def make(self, name: str) -> PatternGroup:
        specs = specs_from_data(self.where, name, self.scope.get(name, []))
        return PatternGroup.build(
            f"{self.where} scope.{name}",
            prepared_specs(specs, fold_table(self.fold), self.spellings),
            self.word_boundaries,
            self.ignore_case,
        )


def quote_pattern(pairs: Sequence[QuotePair]) -> regex.Pattern[str] | None:
    """Quotations: each pair on one line, at most 400 characters inside
    (longer is more likely a stray mark than a quote)."""
    parts = []
    for pair in pairs:
        # ``close`` lists every mark that may end the quote (“ closes with ” or “).
        o, c = regex.escape(pair.open), "".join(regex.escape(ch) for ch in pair.close)
        body = f"[^{o}{c}\\n]{{1,400}}"
        guard = "" if pair.after_letter else r"(?<![\p{L}\p{N}])"
        need = f"(?=[^{c}\\n]{{0,400}}{pair.inner})" if pair.inner else ""
        parts.append(f"{guard}{o}{need}{body}[{c}]")
    return compile_pattern("|".join(parts)) if parts else None


def _quote_pairs(where: str, data: Any) -> tuple[QuotePair, ...]:
    if not isinstance(data, dict):
        raise RulePackError(where, "[quotes] must be a table with 'pairs'")
    pairs = []
    for index, item in enumerate(data.get("pairs", [])):
        if isinstance(item, list) and len(item) == 2 and all(isinstance(x, str) for x in item):
            pairs.append(QuotePair(item[0], item[1]))
        elif isinstance(item, dict) and {"open", "close"} <= set(item):
            pairs.append(
                QuotePair(
                    str(item["open"]),
                    str(item["close"]),
                    item.get("inner"),
                    bool(item.get("after_letter", True)),
                )
            )
        else:
            raise RulePackError(
                where, f"quotes.pairs[{index}] must be [open, close] or a table with open, close"
            )
        if len(pairs[-1].open) != 1 or not pairs[-1].close:
            raise RulePackError(
                where,
                f"quotes.pairs[{index}]: the opening mark is one character, "
                "the closing ones one or more single characters",
            )
    return tuple(pairs)


def _roles(where: str, data: Any) -> dict[str, str]:
    if not isinstance(data, dict) or set(data) - set(_ROLE_NAMES):
        raise RulePackError(where, f"[roles] may list only {', '.join(_ROLE_NAMES)}")
    out: dict[str, str] = {}
    for role in _ROLE_NAMES:
        for label in data.get(role, []):
            out[" ".join(str(label).split()).casefold()] = role
    return out


def load_profile(
    path: Path,
    concepts: Mapping[str, Any],
    concept_files: Mapping[str, Path] | None = None,
    build_cues: bool = False,
) -> LanguageProfile:
    """Read one language file (and its concepts); errors name the file.

    ``build_cues`` compiles the scope cues now (a user's folder), where they
    were always compiled, so its first mistake is still the one reported."""
    data = read_toml(path)
    where = str(path)
    unknown = set(data) - _LANGUAGE_KEYS
    if unknown:
        raise RulePackError(where, f"unknown key(s): {', '.join(sorted(unknown))}")
    code = path.stem
    word_boundaries = bool(data.get("word_boundaries", True))
    ignore_case = bool(data.get("ignore_case", True))
    scope = data.get("scope", {})
    fold = data.get("analysis", {}).get("fold")
    if fold is not None and fold not in FOLDS:
        known = ", ".join(sorted(FOLDS))
        raise RulePackError(where, f"analysis.fold {fold!r} is not one of: {known}")
    spellings = Spellings.of(where, data.get("analysis", {}))
    cues = _CueGroups(where, scope, fold, spellings, word_boundaries, ignore_case)
    if build_cues:
        cues.make_all()
    window = scope.get("window", 6)
    if not isinstance(window, int) or window < 1:
        raise RulePackError(where, "scope.window must be a positive whole number")
    detection = data.get("detection", {})
    tokeniser = data.get("tokeniser", {})
    near = data.get("near", {})
    # A whole word: "\w+" alone could split one long word into many tokens,
    # and the gap's backtracking over those splits grows exponentially.
    default_token = r"\w+(?!\w)" if word_boundaries else r"\w"
    return LanguageProfile(
        code=code,
        name=str(data.get("name", code)),
        path=path,
        script=str(data.get("script", "Latin")),
        word_boundaries=word_boundaries,
        ignore_case=ignore_case,
        window=window,
        cues=cues,
        stopwords=frozenset(w.casefold() for w in detection.get("stopwords", [])),
        roles=_roles(where, data.get("roles", {})),
        quotes=_quote_pairs(where, data.get("quotes", {"pairs": []})),
        spacy=str(tokeniser.get("spacy", code)),
        rule_based_tokeniser=bool(tokeniser.get("rule_based", False)),
        sentence_break=data.get("sentences", {}).get("break_after"),
        near_token=str(near.get("token", default_token)),
        near_clause_end=str(near.get("clause_end", r"[.!?;\n。！？；]")),
        script_share=float(detection.get("script_share", 0.3)),
        script_per_latin_word=detection.get("per_latin") == "word",
        fold=fold,
        spellings=spellings,
        concepts=concepts,
        concept_files=(
            concepts.files
            if concept_files is None and isinstance(concepts, ConceptLists)
            else dict(concept_files or {})
        ),
    )


class ConceptLists(Mapping[str, Any]):
    """A language's concept lists, from its concept files, read on first use.

    Why: a run compiles only its inputs' languages, and reading every
    language's concept files was a tenth of a clean English template's cold
    start. A name defined twice is an error naming both files, raised when
    the lists are first read (``load_languages`` reads a user's folders at once).
    """

    def __init__(self, paths: Sequence[Path]) -> None:
        self.paths = tuple(paths)
        self._lists: dict[str, Any] | None = None
        self._origin: dict[str, Path] = {}
        #: The file each concept is defined in.
        self.files: Mapping[str, Path] = _ConceptFiles(self)

    def lists(self) -> dict[str, Any]:
        found = self._lists
        if found is None:
            origin: dict[str, Path] = {}
            found = _concept_data((p for p in self.paths if p.is_file()), origin)
            # The files first: a thread that sees the lists must see where each is from.
            self._origin = origin
            self._lists = found
        return found

    def origin(self) -> dict[str, Path]:
        self.lists()
        return self._origin

    def __getitem__(self, name: str) -> Any:
        return self.lists()[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self.lists())

    def __len__(self) -> int:
        return len(self.lists())


class _ConceptFiles(Mapping[str, Path]):
    """``ConceptLists.files``: each concept's file, known once the lists are read."""

    def __init__(self, lists: ConceptLists) -> None:
        self._lists = lists

    def __getitem__(self, name: str) -> Path:
        return self._lists.origin()[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._lists.origin())

    def __len__(self) -> int:
        return len(self._lists.origin())


def _concept_data(paths: Iterable[Path], origin: dict[str, Path] | None = None) -> dict[str, Any]:
    """Concept lists from several files; a name may be defined only once
    (``origin``, when given, gets the file of each)."""
    merged: dict[str, Any] = {}
    origin = {} if origin is None else origin
    for path in paths:
        data = read_toml(path)
        unknown = set(data) - {"concepts", "notes"}
        if unknown:
            raise RulePackError(str(path), f"unknown key(s): {', '.join(sorted(unknown))}")
        concepts = data.get("concepts", {})
        if not isinstance(concepts, dict):
            raise RulePackError(str(path), "[concepts] must be a table of pattern lists")
        for name, items in concepts.items():
            if name in merged:
                raise RulePackError(
                    str(path), f"concept {name!r} is already defined in {origin[name]}"
                )
            merged[name] = items
            origin[name] = path
    return merged


@dataclass(frozen=True, eq=False)
class Languages:
    """The languages one linter knows: the shipped ones plus any its rule folders add."""

    profiles: Mapping[str, LanguageProfile]

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(sorted(self.profiles))

    def profile(self, code: str) -> LanguageProfile:
        try:
            return self.profiles[code]
        except KeyError:
            where = shipped_rules_dir() / "languages" / f"{code}.toml"
            raise RulePackError(str(where), f"no language profile for {code!r}") from None

    def __contains__(self, code: object) -> bool:
        return code in self.profiles

    @cached_property
    def role_labels(self) -> dict[str, str]:
        """Every language's speaker labels together (labels do not depend on the language
        a transcript turns out to be in: that is decided after the roles are read)."""
        out: dict[str, str] = {}
        for code in self.codes:
            out.update(self.profiles[code].roles)
        return out


def languages_dir(root: Path | None = None) -> Path:
    return (root or shipped_rules_dir()) / "languages"


@lru_cache(maxsize=16)
def load_languages(extra_dirs: tuple[Path, ...] = ()) -> Languages:
    """The shipped languages plus those (and the concepts) of ``extra_dirs``.

    Cached by folder list, so every linter of a run shares one set.
    """
    shipped = shipped_rules_dir()
    roots = [shipped, *(d for d in extra_dirs if d.resolve() != shipped.resolve())]
    files: dict[str, Path] = {}
    for root in roots:
        for path in sorted((root / "languages").glob("*.toml")):
            if path.stem in files:
                raise RulePackError(
                    str(path), f"language {path.stem!r} is already defined in {files[path.stem]}"
                )
            files[path.stem] = path
    profiles = {}
    for code, path in files.items():
        # ``concepts/<code>.toml`` and any ``concepts/<code>/*.toml`` (one file per
        # topic), in every folder: names must be unique across them all.
        concept_files: list[Path] = []
        for root in roots:
            concept_files.append(root / "concepts" / f"{code}.toml")
            concept_files.extend(sorted((root / "concepts" / code).glob("*.toml")))
        concepts = ConceptLists(concept_files)
        # A user's folder: its mistakes stop the run before its first input, the
        # concepts' before the language file's, as when everything was read at once.
        user = len(roots) > 1
        if user:
            concepts.lists()
        profiles[code] = load_profile(path, concepts, build_cues=user)
    return Languages(profiles)


def shipped_languages() -> Languages:
    return load_languages(())


@lru_cache(maxsize=1)
def supported_languages() -> tuple[str, ...]:
    """The codes of the shipped languages: the one list every other list derives from."""
    return tuple(sorted(p.stem for p in languages_dir().glob("*.toml")))


def profile(code: str) -> LanguageProfile:
    """A shipped language's profile."""
    return shipped_languages().profile(code)


def normalise_language(code: str) -> str:
    """``en-US`` -> ``en``, ``zh-Hans-CN`` -> ``zh``, ``ko_KR`` -> ``ko``."""
    return code.replace("_", "-").split("-")[0].strip().lower()


def language_code(value: str, languages: Languages | None = None) -> str | None:
    """The code of a known language from a code or tag (``en``, ``en-US``, ``ko_KR``)
    or its English name (``English``, ``english``); None when it names none."""
    known = languages or shipped_languages()
    code = normalise_language(value)
    if code in known:
        return code
    wanted = " ".join(value.split()).casefold()
    for candidate in known.codes:
        if known.profile(candidate).name.casefold() == wanted:
            return candidate
    return None


def describe_languages(languages: Languages | None = None) -> str:
    """``en (English), de (German), ...``: the choices, for error messages."""
    known = languages or shipped_languages()
    return ", ".join(f"{code} ({known.profile(code).name})" for code in known.codes)


def language_name(code: str) -> str:
    """The language's own English name from its file, or the code when unknown."""
    languages = shipped_languages()
    return languages.profile(code).name if code in languages else code
