"""Texts around the shipped patterns' own words, for the differential tests of
the scan (test_prefilter.py: the RE2 prefilters; test_literal_scan.py: the
literal engine's needles): wherever a pattern matches such a text, the scan
must keep it a candidate."""

from __future__ import annotations

from functools import cache

import regex
from hypothesis import strategies as st

from deescalate_lint.languages import profile, supported_languages
from deescalate_lint.patterns import PatternGroup
from deescalate_lint.rulepack import load_rules


@cache
def shipped_groups() -> tuple[tuple[str, PatternGroup], ...]:
    out = []
    for rule in load_rules():
        for language, pack in sorted(rule.packs.items()):
            for name, group in sorted(pack.groups.items()):
                out.append((f"{rule.slug}/{language}/{name}", group))
    for language in supported_languages():
        for name, group in sorted(profile(language).cues.items()):
            out.append((f"languages/{language}/{name}", group))
        for name, group in profile(language).concept_groups().items():
            out.append((f"concepts/{language}/{name}", group))
    return tuple(out)


_WORDS = regex.compile(r"[^\W\d_]{1,}|[^\w\s]")
_RUNS = regex.compile(r"\\[pPN]\{[^}]*\}|\\.|\[(?:\\.|[^\]])*\]|\{\d*,?\d*\}|[()?*+|.^$]")


@cache
def pieces(where: str) -> tuple[str, ...]:
    """Text a group's patterns match: its rules' examples, and its own literal runs."""
    language = where.split("/")[1]
    found: list[str] = []
    for rule in load_rules():
        pack = rule.packs.get(language)
        if pack:
            found += [e.replace("[[", "").replace("]]", "") for e in pack.should_flag[:6]]
    group = dict(shipped_groups())[where]
    for body in group.bodies:
        plain = _RUNS.sub(" ", body.replace(r"\s+", " ").replace(r"\x20", " "))
        found += [run for run in plain.split("  ") if run.strip()][:6]
        found += _WORDS.findall(plain)[:8]
    return tuple(dict.fromkeys(p for p in found if p.strip()))


#: Characters that fold, or match case-insensitively, in surprising ways.
_SWAPS = {
    "i": ["I", "İ", "ı"],
    "I": ["i", "ı", "İ"],
    "s": ["S", "ſ"],
    "k": ["K", "\u212a"],
    "a": ["A", "Ａ"],
    "e": ["E", "Ｅ"],
    "o": ["O", "Ｏ"],
    "ß": ["ẞ", "SS", "ss"],
    "'": ["\u2019", "'"],
    " ": ["\u00a0", "  ", "\n"],
}


@st.composite
def texts(draw: st.DrawFn, where: str) -> str:
    chosen = draw(st.lists(st.sampled_from(pieces(where)), min_size=1, max_size=4))
    text = draw(st.sampled_from([" ", ", ", "\n", "... "])).join(chosen)
    if draw(st.booleans()):
        text = text.replace("ss", "ß") if draw(st.booleans()) else text.upper()
    out = []
    for char in text:
        change = draw(st.integers(0, 9))
        if change == 0:
            out.append(char.swapcase())
        elif change == 1 and char in _SWAPS:
            out.append(draw(st.sampled_from(_SWAPS[char])))
        elif change == 2 and char.isascii() and char.isalpha():
            out.append(chr(ord(char) + 0xFEE0))  # the full-width form
        else:
            out.append(char)
    return "".join(out)


GROUPS = [where for where, group in shipped_groups() if group.specs]
