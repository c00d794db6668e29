"""Per-language conventions and scope cues, read from ``rules/languages/<code>.toml``.

A language profile says how patterns match in that language (word boundaries,
case) and lists the cues that govern a trigger nearby: negators, hedges and
the words that end their reach (NegEx-style terminators such as "but").
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from .errors import RulePackError
from .patterns import PatternGroup, specs_from_data
from .resources import read_toml, shipped_rules_dir

_CUE_GROUPS = (
    "negation_before",
    "negation_after",
    "pseudo_negation",
    "hedge_before",
    "hedge_after",
    "terminators",
)


@dataclass(frozen=True)
class LanguageProfile:
    code: str
    name: str
    word_boundaries: bool
    ignore_case: bool
    #: How many tokens before/after a trigger a negation or hedge cue reaches.
    window: int
    cues: dict[str, PatternGroup]
    #: Frequent function words, for telling Latin-script languages apart quickly.
    stopwords: frozenset[str]
    #: The whole profile file, for settings read where they are used
    #: (``sentences.break_after`` in nlp.py).
    data: dict[str, Any]

    def group(self, name: str) -> PatternGroup:
        return self.cues[name]

    def compile(self, where: str, group: str, items: Any) -> PatternGroup:
        """Compile a rule pack's pattern list with this language's conventions."""
        return PatternGroup.build(
            where, specs_from_data(where, group, items), self.word_boundaries, self.ignore_case
        )


def languages_dir() -> Path:
    return shipped_rules_dir() / "languages"


@lru_cache(maxsize=1)
def supported_languages() -> tuple[str, ...]:
    return tuple(sorted(p.stem for p in languages_dir().glob("*.toml")))


def normalise_language(code: str) -> str:
    """``en-US`` -> ``en``, ``zh-Hans-CN`` -> ``zh``, ``ko_KR`` -> ``ko``."""
    return code.replace("_", "-").split("-")[0].strip().lower()


@lru_cache(maxsize=16)
def profile(code: str) -> LanguageProfile:
    path = languages_dir() / f"{code}.toml"
    if not path.is_file():
        raise RulePackError(str(path), f"no language profile for {code!r}")
    data = read_toml(path)
    where = str(path)
    word_boundaries = bool(data.get("word_boundaries", True))
    ignore_case = bool(data.get("ignore_case", True))
    scope = data.get("scope", {})
    cues = {
        name: PatternGroup.build(
            f"{where} scope.{name}",
            specs_from_data(where, name, scope.get(name, [])),
            word_boundaries,
            ignore_case,
        )
        for name in _CUE_GROUPS
    }
    window = scope.get("window", 6)
    if not isinstance(window, int) or window < 1:
        raise RulePackError(where, "scope.window must be a positive whole number")
    return LanguageProfile(
        code=code,
        name=str(data.get("name", code)),
        word_boundaries=word_boundaries,
        ignore_case=ignore_case,
        window=window,
        cues=cues,
        stopwords=frozenset(w.casefold() for w in data.get("detection", {}).get("stopwords", [])),
        data=data,
    )
