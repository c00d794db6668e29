"""Check a citation against the text it cites: the heading, the lines, the key phrase.

One function for every place that checks: the test suite (the shipped packs
against ``../shared/guidance``), ``lint-transcript check-pack`` and the loader
of a user pack that ships its own sources (``sources/<id>.txt``), so a company
playbook citation is held to the same standard as the guidance.

A citation names a guidance document, a ``section``, a range of ``lines``, a
``key_phrase`` quoted from those lines and a ``gloss`` in English. The checks
(``citation_problems``) are strict enough that a wrong citation fails them;
the tests prove each check on a deliberately wrong one.

Heading lines. The guidance articles are plain text taken from web pages: a
heading is a line of its own, while a paragraph is one long line. A line is
a heading when it

* stands alone: the lines before and after it are blank (or the document's
  edge), so items of a list and the lines of a byline are not headings;
* is short: at most ``HEADING_MAX`` characters once stripped (the longest
  heading in the five articles has 104; the shortest one-sentence paragraph
  that stands alone has 160);
* holds no sentence break (``.``, ``!``, ``?`` or ``。`` followed by more
  text), so a paragraph of several sentences is never a heading;
* does not end the way a sentence or a lead-in does here: with ``:`` (a list's
  lead-in, "yleisimmät ... ovat:") or the Chinese full stop ``。`` (a
  one-sentence Chinese paragraph such as "我犯了一次错误，只犯过一次。").
  A final ``.`` is allowed: Korean and German headings have one ("공감.",
  "3.").

A citation's ``section`` must be the exact text (stripped) of the heading
line nearest above its first cited line, so no other heading stands between
them, and no heading may fall inside the cited lines (the heading comes
before the passage, not in it).
"""

from __future__ import annotations

from .model import Citation
from .regexes import compile_pattern

HEADING_MAX = 110
#: A sentence ends and more text follows it on the same line.
_SENTENCE_BREAK = compile_pattern(r"[.!?。！？][\"'”’»)）]*\s*\S")
_CJK = compile_pattern(r"[\p{Han}\p{Hangul}]")
#: Letters a key phrase needs at the least: "und" or "的" could be found anywhere.
KEY_PHRASE_MIN = 4
KEY_PHRASE_MIN_CJK = 2
#: A key phrase is a short quote, never a copied sentence.
KEY_PHRASE_MAX = 60
GLOSS_MAX = 160


def heading_lines(lines: list[str]) -> dict[int, str]:
    """The heading lines of a document (see the module docstring): 1-based number -> text."""
    headings = {}
    for index, line in enumerate(lines):
        text = line.strip()
        before = lines[index - 1].strip() if index > 0 else ""
        after = lines[index + 1].strip() if index + 1 < len(lines) else ""
        if (
            text
            and not before
            and not after
            and len(text) <= HEADING_MAX
            and not _SENTENCE_BREAK.search(text)
            and not text.endswith((":", "：", "。"))
        ):
            headings[index + 1] = text
    return headings


def citation_problems(citation: Citation, lines: list[str]) -> list[str]:
    """What is wrong with ``citation`` of the document ``lines``; empty when nothing is."""
    first, last = citation.lines
    if not 1 <= first <= last <= len(lines):
        return [f"lines {first}-{last} are outside the document ({len(lines)} lines)"]
    problems = []
    headings = heading_lines(lines)
    above = [number for number in headings if number < first]
    inside = [number for number in headings if first <= number <= last]
    if citation.section not in headings.values():
        problems.append(f"section {citation.section!r} is not a heading line of the document")
    elif (not above or headings[above[-1]] != citation.section) and not any(
        headings[number] == citation.section for number in inside
    ):
        nearest = repr(headings[above[-1]]) if above else "none"
        problems.append(
            f"section {citation.section!r} is not the heading nearest above line {first} "
            f"(that is {nearest})"
        )
    if inside:
        problems.append(
            f"heading line {inside[0]} ({headings[inside[0]]!r}) is inside the cited lines "
            f"{first}-{last}: cite the lines under the heading"
        )

    phrase = citation.key_phrase
    if phrase not in "\n".join(lines[first - 1 : last]):
        problems.append(f"key phrase {phrase!r} is not in lines {first}-{last}")
    letters = sum(1 for char in phrase if char.isalpha())
    minimum = KEY_PHRASE_MIN_CJK if _CJK.search(phrase) else KEY_PHRASE_MIN
    if letters < minimum:
        problems.append(f"key phrase {phrase!r} has fewer than {minimum} letters")
    if len(phrase) > KEY_PHRASE_MAX:
        problems.append(f"key phrase is longer than {KEY_PHRASE_MAX} characters")

    gloss = citation.gloss
    if not gloss.strip():
        problems.append("no gloss")
    elif "\n" in gloss or len(gloss) > GLOSS_MAX:
        problems.append(f"gloss is not one line of at most {GLOSS_MAX} characters")
    elif not gloss.isascii():
        problems.append("gloss is not plain English (paraphrase; do not quote the article)")
    return problems
