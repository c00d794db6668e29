"""Character folds a language file may ask for: one character for another.

Why: Chinese is written in traditional characters in Taiwan and Hong Kong and
in simplified ones on the mainland. The packs are written once, in simplified
characters; folding traditional ones to simplified before matching lets every
rule read both, without a second copy of every list. A fold maps one
character to one character, so offsets (and the evidence quoted from the
original text) stay where they were.

The table comes from OpenCC (via the pure-Python ``opencc-python-reimplemented``
package), the standard, maintained conversion data: a better source than a
hand-written list, which would miss most of the 4,000 characters.
"""

from __future__ import annotations

import importlib.resources
from collections.abc import Mapping, Sequence
from dataclasses import replace
from functools import cache

from .diskmemo import DiskMemo, content_key
from .patterns import PatternSpec
from .spellings import NO_SPELLINGS, Spellings

#: Fold tables by their source file's bytes: reading OpenCC's 4,000 lines was
#: a few per cent of every cold start, whatever the language linted.
_TABLES = DiskMemo("folds", "1")


def _traditional_to_simplified() -> dict[int, str]:
    data = (importlib.resources.files("opencc") / "dictionary" / "TSCharacters.txt").read_bytes()
    return _TABLES.get(content_key(data), lambda: _one_to_one(data.decode("utf-8")))


def _one_to_one(text: str) -> dict[int, str]:
    """The single characters of an OpenCC table that become one other character
    (its first choice), as a ``str.translate`` table."""
    table: dict[int, str] = {}
    for line in text.splitlines():
        source, _, targets = line.partition("\t")
        target = targets.split(" ")[0] if targets else ""
        if len(source) == 1 and len(target) == 1 and source != target:
            table[ord(source)] = target
    return table


#: Fold name (as written in a language file's ``[analysis] fold``) -> builder.
FOLDS = {"traditional-to-simplified": _traditional_to_simplified}


@cache
def fold_table(name: str | None) -> dict[int, str] | None:
    """The ``str.translate`` table of one named fold (built once); None for no fold."""
    return FOLDS[name]() if name else None


def prepared_specs(
    specs: Sequence[PatternSpec],
    fold: Mapping[int, str] | None,
    spellings: Spellings = NO_SPELLINGS,
) -> tuple[PatternSpec, ...]:
    """Patterns as the language reads them. They read the folded text, so they
    are folded too: a pack entry written in traditional characters (Cantonese
    係) still matches. And each contraction the language lists matches without
    its apostrophe, each listed word its spoken forms (spellings.py)."""
    if not fold and not spellings:
        return tuple(specs)

    def prepared(source: str) -> str:
        return spellings.apply(source.translate(fold) if fold else source)

    out = []
    for spec in specs:
        attrs = dict(spec.attrs)
        if "near_parts" in attrs:
            attrs["near_parts"] = tuple(prepared(part) for part in attrs["near_parts"])
        out.append(replace(spec, source=prepared(spec.source), attrs=attrs))
    return tuple(out)
