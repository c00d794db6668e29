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
  skip them: words inside quotes are not the agent's own.
"""

from __future__ import annotations

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

#: Quotations: each opening mark with the closers that may end it, on one line,
#: at most 400 characters (longer is more likely a stray mark than a quote).
_QUOTED = regex.compile(
    r'"[^"\n]{1,400}"'
    r"|\u201c[^\u201c\u201d\n]{1,400}[\u201d\u201c]"  # “ ” (and “ “)
    r"|\u201e[^\u201c\u201d\n]{1,400}[\u201c\u201d]"  # „ “ (German)
    r"|\u00ab[^\u00bb\n]{1,400}\u00bb"  # « »
    r"|\u00bb[^\u00ab\n]{1,400}\u00ab"  # » « (German)
    r"|\u300c[^\u300d\n]{1,400}\u300d"  # 「 」
    r"|\u300e[^\u300f\n]{1,400}\u300f"  # 『 』
    r"|\uff02[^\uff02\n]{1,400}\uff02"  # ＂ ＂
    r"|\u201a[^\n]{1,400}?'"  # ‚ ‘ (German single; ‘ is already ' in analysis text)
    r"|\u203a[^\u2039\n]{1,400}\u2039"  # › ‹
    r"|\u2039[^\u203a\n]{1,400}\u203a"  # ‹ ›
)
_QUOTE_CHARS = frozenset('"\u201c\u201e\u00ab\u00bb\u300c\u300e\uff02\u201a\u203a\u2039')


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


def prepare(text: str) -> PreparedText:
    # str.translate looks every character up in a dict: skip it for ASCII text,
    # where the backtick is the only character to change.
    if text.isascii():
        analysis = text.replace("`", "'") if "`" in text else text
    elif _TO_NORMALISE.search(text):
        analysis = text.translate(_NORMALISE)
    else:
        analysis = text
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
    return PreparedText(text, analysis, _quoted_spans(analysis), tuple(placeholders))


#: Korean quotes others' words in single quotes ('홈페이지에서 접수해 주세요'라고);
#: English uses the same mark as an apostrophe, so a single-quoted span counts
#: only when no letter stands before its opening mark and it holds Hangul.
_SINGLE_QUOTED_HANGUL = regex.compile(
    r"(?<![\p{L}\p{N}])'(?=[^'\n]{0,400}\p{Hangul})[^'\n]{1,400}'"
)
_HANGUL = regex.compile(r"\p{Hangul}")


def _quoted_spans(text: str) -> tuple[tuple[int, int], ...]:
    spans: list[tuple[int, int]] = []
    if ('"' in text) if text.isascii() else not _QUOTE_CHARS.isdisjoint(text):
        spans.extend(m.span() for m in _QUOTED.finditer(text))
    if "'" in text and _HANGUL.search(text):
        spans.extend(m.span() for m in _SINGLE_QUOTED_HANGUL.finditer(text))
    return tuple(sorted(spans))
