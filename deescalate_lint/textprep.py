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
from dataclasses import dataclass

import regex

#: Apostrophe look-alikes and non-breaking spaces, made plain in one pass.
_NORMALISE = str.maketrans(
    {
        **dict.fromkeys("\u2019\u2018\u02bc\uff07`", "'"),
        **dict.fromkeys("\u00a0\u202f\u2007", " "),
    }
)
_TO_NORMALISE = regex.compile("[" + "".join(map(chr, _NORMALISE)) + "]")

PLACEHOLDER = regex.compile(
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


@dataclass(frozen=True)
class PreparedText:
    original: str
    analysis: str
    quoted: tuple[tuple[int, int], ...]
    placeholders: tuple[tuple[int, int], ...]

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
    # str.translate looks every character up in a dict: skip it for ASCII text,
    # where the backtick is the only character to change.
    if text.isascii():
        analysis = text.replace("`", "'") if "`" in text else text
    elif _TO_NORMALISE.search(text):
        analysis = text.translate(_NORMALISE)
    else:
        analysis = text
    if fold and not analysis.isascii():
        analysis = analysis.translate(fold)
    placeholders: list[tuple[int, int]] = []
    if any(mark in analysis for mark in _MASK_MARKS):
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
    quoted: tuple[tuple[int, int], ...] = ()
    if quotes is not None and not marks.isdisjoint(analysis):
        quoted = tuple(sorted(m.span() for m in quotes.finditer(analysis)))
    return PreparedText(text, analysis, quoted, tuple(placeholders))
