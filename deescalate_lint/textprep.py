"""Turn text into analysis text of exactly the same length.

Every offset a rule finds in the analysis text is also an offset into the
original text, so evidence is always ``original[start:end]``. Three things
happen here, all length-preserving:

* apostrophe look-alikes become ``'`` so patterns need only one spelling;
* template placeholders (``{{ name }}``, ``{name}``, ``%NAME%``, ``${x}``,
  ``{% tag %}``) become runs of ``_`` so they neither match nor split words;
  so do template comments (``<!-- -->``, ``{# #}``, ``# deescalate-lint:``
  lines), which the customer never sees;
* quoted stretches (the customer's words read back) are located, so rules can
  skip them: words inside quotes are not the agent's own. Which marks quote
  is the turn's language's business (``[quotes]`` in its language file).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property

import regex

from .regexes import compile_pattern

#: Apostrophe look-alikes and non-breaking spaces, made plain in one pass.
_NORMALISE = str.maketrans(
    {
        **dict.fromkeys("\u2019\u2018\u02bc\uff07`", "'"),
        **dict.fromkeys("\u00a0\u202f\u2007", " "),
    }
)
_TO_NORMALISE = compile_pattern("[" + "".join(map(chr, _NORMALISE)) + "]")
_REPLACEMENTS = tuple((chr(code), str(new)) for code, new in _NORMALISE.items())

PLACEHOLDER = compile_pattern(
    r"""
    \{\{.{0,200}?\}\}          # {{ name }}, {{ticket.requester.first_name}}
  | \{%.{0,200}?%\}            # {% if x %}
  | \$\{[^{}\n]{1,100}\}       # ${name}
  | \{[A-Za-z_][\w.\-]{0,60}\} # {name}
  | %[A-Z][A-Z0-9_]{1,60}%     # %NAME%
  | <<[\w.\-]{1,60}>>          # <<name>>
  | <!--.{0,2000}?-->          # HTML / Markdown comment (never shown to the customer)
  | \{\#.{0,2000}?\#\}          # {# Jinja comment #}
  | (?m:^[ \t]*\#[ \t]*deescalate-lint:[^\n]*)  # plain-text suppression line (suppress.py)
    """,
    regex.VERBOSE | regex.DOTALL,
)

#: Cheap test before the regex: a text with none of these has nothing to mask.
_MASK_MARKS = ("{", "%", "<<", "<!--", "deescalate-lint:")


def _may_mask(text: str) -> bool:
    """Whether ``text`` holds one of ``_MASK_MARKS`` (three substring scans in C)."""
    return (
        "{" in text
        or "%" in text
        or ("<" in text and ("<<" in text or "<!--" in text))
        or ("deescalate-lint:" in text)
    )


@dataclass(frozen=True)
class PreparedText:
    original: str
    analysis: str
    placeholders: tuple[tuple[int, int], ...]
    #: The language's quotation pattern and opening marks (``quoted`` uses them).
    quotes: regex.Pattern[str] | None = field(default=None, repr=False, compare=False)
    marks: frozenset[str] = field(default=frozenset(), repr=False, compare=False)

    @cached_property
    def quoted(self) -> tuple[tuple[int, int], ...]:
        """Quoted stretches, located on first use: only a turn with a hit needs them."""
        if self.quotes is None or self.marks.isdisjoint(self.analysis):
            return ()
        return tuple(sorted(m.span() for m in self.quotes.finditer(self.analysis)))

    def in_quote(self, start: int, end: int) -> bool:
        return any(q0 <= start and end <= q1 for q0, q1 in self.quoted)

    def in_placeholder(self, start: int, end: int) -> bool:
        return any(p0 < end and start < p1 for p0, p1 in self.placeholders)


def prepare(
    text: str,
    quotes: regex.Pattern[str] | None = None,
    marks: frozenset[str] = frozenset(),
    fold: Mapping[int, str] | None = None,
) -> PreparedText:
    """The analysis text of ``text``; ``quotes`` finds the quotations of the
    turn's language and ``marks`` are their opening marks (both from its
    language file: ``LanguageProfile.quote_pattern`` and ``quote_marks``);
    ``fold`` maps characters one to one (folds.py), keeping every offset."""
    analysis, placeholders = analyse(text, fold)
    return PreparedText(text, analysis, placeholders, quotes, marks)


def analyse(
    text: str, fold: Mapping[int, str] | None = None
) -> tuple[str, tuple[tuple[int, int], ...]]:
    """The analysis text of ``text`` and where its placeholders are (no quotes:
    the scan reads this text, and only a turn with a candidate needs quotes);
    ``fold`` as for ``prepare``."""
    # str.translate looks every character up in a dict: skip it for ASCII text,
    # where the backtick is the only character to change.
    if text.isascii():
        analysis = text.replace("`", "'") if "`" in text else text
    elif _TO_NORMALISE.search(text):
        # A replace per look-alike present (C scans) beats translate's dict
        # look-up per character on the usual text: a curly apostrophe or two.
        analysis = text
        for old, new in _REPLACEMENTS:
            if old in analysis:
                analysis = analysis.replace(old, new)
    else:
        analysis = text
    if fold and not analysis.isascii():
        analysis = analysis.translate(fold)
    if not _may_mask(analysis):
        return analysis, ()
    placeholders: list[tuple[int, int]] = []
    pieces: list[str] = []
    last = 0
    for match in PLACEHOLDER.finditer(analysis):
        pieces.append(analysis[last : match.start()])
        masked = "_" * (match.end() - match.start())
        if "\n" in match.group():  # keep line breaks: lines still end where they did
            masked = "".join("\n" if c == "\n" else "_" for c in match.group())
        pieces.append(masked)
        placeholders.append((match.start(), match.end()))
        last = match.end()
    pieces.append(analysis[last:])
    analysis = "".join(pieces)
    assert len(analysis) == len(text)
    return analysis, tuple(placeholders)
