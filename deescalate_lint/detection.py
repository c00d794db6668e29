"""Decide a conversation's language, once per conversation, deterministically.

Order of evidence (cheapest first):

1. Script: a language whose file declares a script of its own (Korean:
   Hangul; Chinese: Han without kana); kana -> ``ja``; other non-Latin
   scripts -> that script, which no rule supports.
2. Latin script: frequent function words of each supported Latin-script
   language. When they decide clearly (enough hits, far ahead of the runner-up)
   that is the answer: it is exact on conversational text and costs
   microseconds, where a langdetect call costs milliseconds.
3. Otherwise langdetect, seeded, over the whole conversation (never a short
   turn alone: "I'm sorry" on its own can come back as Swedish). Its answer is
   restricted to supported languages unless it is confident the text is in
   another language, which is then reported as unsupported.

A turn inside a conversation is judged in another supported language only
when the evidence is strong: a different script, or at least
``SWITCH_MIN_HITS`` function words of another language and at least twice as
many as the conversation's own (see ``turn_language``).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import repeat
from typing import Any

import regex

from .languages import Languages, shipped_languages
from .regexes import compile_pattern

_WORD = compile_pattern(r"[\p{L}']+")
_LATIN_WORD = compile_pattern(r"\p{Latin}+")
#: Kana means Japanese, which no shipped language is: its letters are counted
#: so that Japanese (with its Han) is not taken for Chinese.
_KANA = "Hiragana Katakana"
#: Characters of the conversation that detection reads (enough to decide).
SAMPLE_CHARS = 2000
#: A Latin-script guess from function words needs this many hits...
MIN_STOPWORD_HITS = 3
#: ...and this lead over the runner-up.
STOPWORD_MARGIN = 2.0
SWITCH_MIN_HITS = 3
#: langdetect must be at least this sure to call a text an unsupported language.
UNSUPPORTED_CONFIDENCE = 0.90
#: Kana at this share of the letters makes a text Japanese.
KANA_SHARE = 0.1


@dataclass(frozen=True)
class Detection:
    language: str | None
    method: str
    #: For an unsupported language, the code or script that was seen.
    seen: str | None = None


_ASCII_LETTERS = bytes(range(65, 91)) + bytes(range(97, 123))
_ASCII_RUNS = compile_pattern(r"[\x00-\x7f]+")


@lru_cache(maxsize=32)
def _script_runs(script: str) -> regex.Pattern[str]:
    """Runs of one script's letters (``"Hiragana Katakana"``: of either)."""
    classes = "".join(f"\\p{{{name}}}" for name in script.split())
    return compile_pattern(f"[{classes}]+")


def script_counts(text: str, scripts: Sequence[str] = ()) -> dict[str, int]:
    """Letters per script (``Latin``, ``letter`` for all letters, and each of
    ``scripts``). Why the fast path: most text is ASCII, where every letter is
    Latin and there is nothing else to count; only the rest (often a few curly
    quotes or an emoji) goes through the script classes."""
    ascii_part = text.encode("ascii", "ignore")
    letters = len(ascii_part) - len(ascii_part.translate(None, _ASCII_LETTERS))
    counts = dict.fromkeys(scripts, 0)
    counts.update({"Latin": letters, "letter": letters})
    if len(ascii_part) != len(text) and _NON_ASCII_LETTER.search(text):
        rest = _ASCII_RUNS.sub("", text)
        for name in {*scripts, "Latin", "letter"}:
            pattern = _script_runs("L" if name == "letter" else name)
            counts[name] += sum(map(len, pattern.findall(rest)))
    return counts


def _by_script(text: str, languages: Languages) -> Detection | None:
    """A language whose own script the letters are in; None: Latin, decide by words."""
    if text.isascii() or not _NON_ASCII_LETTER.search(text):
        # Only ASCII letters: every one Latin, so no script can claim the text
        # (the counts below would say the same, at more cost).
        ascii_part = text.encode("ascii", "ignore")
        if len(ascii_part) == len(ascii_part.translate(None, _ASCII_LETTERS)):
            return Detection(None, "script")
        return None
    scripted = _scripted(languages)
    counts = script_counts(text, (*scripted.scripts, _KANA))
    letters = counts["letter"]
    if letters == 0:
        return Detection(None, "script")
    for code in scripted.by_letters:
        lang = languages.profile(code)
        if counts[lang.script] >= lang.script_share * letters:
            return Detection(code, "script")
    if counts[_KANA] >= KANA_SHARE * letters:
        return Detection(None, "script", seen="ja")
    latin_words = None
    for code in scripted.by_words:
        lang = languages.profile(code)
        found = counts[lang.script]
        if latin_words is None:
            latin_words = len(_LATIN_WORD.findall(text)) if found else 0
        # One character of such a script carries about a word, an English word
        # about five letters: weigh it against Latin *words*.
        if found and found >= lang.script_share * (found + latin_words):
            return Detection(code, "script")
    if counts["Latin"] < 0.5 * letters:
        return Detection(None, "script", seen="non-Latin script")
    return None


@dataclass(frozen=True)
class _Scripted:
    """The languages recognised by script, in the order they are tried."""

    #: Measured against all letters (Korean: Hangul).
    by_letters: tuple[str, ...]
    #: Measured against Latin words (Chinese: Han).
    by_words: tuple[str, ...]
    scripts: tuple[str, ...]


@lru_cache(maxsize=16)
def _scripted(languages: Languages) -> _Scripted:
    codes = [c for c in languages.codes if languages.profile(c).script != "Latin"]
    by_words = tuple(c for c in codes if languages.profile(c).script_per_latin_word)
    by_letters = tuple(c for c in codes if c not in by_words)
    scripts = tuple(sorted({languages.profile(c).script for c in codes}))
    return _Scripted(by_letters, by_words, scripts)


def stopword_scores(text: str, languages: Languages | None = None) -> Counter[str]:
    """Function words of each Latin-script language in ``text`` (every language a key).

    Cached for the last few texts: a short conversation's detection sample
    and the text ``turn_languages`` counts are the same string.
    """
    return Counter(_stopword_scores(text, languages or shipped_languages()))


@lru_cache(maxsize=4)
def _stopword_scores(text: str, languages: Languages) -> Counter[str]:
    # Each word is looked up in C (``map``) as one character standing for the
    # languages listing it, and each such character counted in C
    # (``str.count``); Python adds up a handful of answers. A Python step per
    # word was a fifth of the linting time on the real corpora.
    marks = _stopword_marks(languages)
    words: list[str] | list[bytes]
    if text.isascii() or not _NON_ASCII_LETTER.search(text):
        # Every letter is ASCII (other characters, emoji or curly quotes, only
        # separate words): one byte translation lower-cases and separates.
        index: Mapping[Any, str] = marks.by_bytes
        words = text.encode("ascii", "replace").translate(_WORD_BYTES).split()
    else:
        index = marks.by_word
        if not _FOLDS_ACROSS_WORDS.search(text):
            # Folding the whole text keeps every word where it was: done once.
            words = _WORD.findall(text.casefold())
        else:
            words = [word.casefold() for word in _WORD.findall(text)]
    found = "".join(map(index.get, words, repeat("", len(words))))
    scores = dict.fromkeys(_latin_languages(languages), 0)
    if found:
        for mark, codes in marks.codes.items():
            count = found.count(mark)
            if count:
                for code in codes:
                    scores[code] += count
    out: Counter[str] = Counter()
    dict.update(out, scores)
    return out


@dataclass(frozen=True)
class _Marks:
    """Per function word, one character standing for the languages that list it."""

    by_word: dict[str, str]
    by_bytes: dict[bytes, str]
    codes: dict[str, tuple[str, ...]]


@lru_cache(maxsize=16)
def _stopword_marks(languages: Languages) -> _Marks:
    index = _stopword_index(languages)
    marks = {codes: chr(0x41 + i) for i, codes in enumerate(sorted(set(index.values())))}
    by_word = {word: marks[codes] for word, codes in index.items()}
    by_bytes = {w.encode("ascii"): m for w, m in by_word.items() if w.isascii()}
    return _Marks(by_word, by_bytes, {m: codes for codes, m in marks.items()})


#: A letter outside ASCII.
_NON_ASCII_LETTER = compile_pattern(r"[^\x00-\x7f\P{L}]")
#: Bytes of a word (``_WORD`` on ASCII text) to themselves, lower-cased; all others to a space.
_WORD_BYTES = bytes(
    c + 32 if 65 <= c <= 90 else c if (97 <= c <= 122 or c == 39) else 32 for c in range(256)
)


#: Characters whose case fold holds a character that is a letter (or apostrophe)
#: when they are not, or the other way round (İ folds to i and a combining dot):
#: folding a text with one of them could move word edges. All lie in these
#: ranges (tests/test_fast_paths.py checks every code point).
_FOLDS_ACROSS_WORDS = compile_pattern("[\u0130\u01f0\u0345\u0390-\u03b0\u1e96-\u1e99\u1f00-\u1fff]")


@lru_cache(maxsize=16)
def _latin_languages(languages: Languages) -> tuple[str, ...]:
    return tuple(c for c in languages.codes if languages.profile(c).stopwords)


@lru_cache(maxsize=16)
def _stopword_index(languages: Languages) -> dict[str, tuple[str, ...]]:
    """Word -> the languages listing it: one look-up per word, not one per language."""
    index: dict[str, list[str]] = {}
    for code in _latin_languages(languages):
        for word in languages.profile(code).stopwords:
            index.setdefault(word, []).append(code)
    return {word: tuple(codes) for word, codes in index.items()}


def _by_stopwords(text: str, languages: Languages) -> Detection | None:
    ranked = _stopword_scores(text, languages).most_common()  # read only: no copy
    if not ranked:
        return None
    best, hits = ranked[0]
    runner_up = ranked[1][1] if len(ranked) > 1 else 0
    unanimous = hits >= 2 and runner_up == 0  # "Hei\nHei!": langdetect would guess
    if unanimous or (hits >= MIN_STOPWORD_HITS and hits >= STOPWORD_MARGIN * max(runner_up, 1)):
        return Detection(best, "stopwords")
    return None


def detect(text: str, languages: Languages | None = None) -> Detection:
    """The language of a whole conversation's text, among ``languages`` (default: shipped)."""
    languages = languages or shipped_languages()
    sample = text[:SAMPLE_CHARS]
    return (
        _by_script(sample, languages)
        or _by_stopwords(sample, languages)
        or _by_langdetect(sample, languages)
    )


def _by_langdetect(text: str, languages: Languages) -> Detection:
    if not _WORD.search(text):
        return Detection(None, "langdetect")
    try:
        everything = _detector(None, text)
        if everything:
            top_code, top_prob = everything[0]
            if top_code in languages:
                return Detection(top_code, "langdetect")
            if top_prob >= UNSUPPORTED_CONFIDENCE and len(_WORD.findall(text)) >= 4:
                return Detection(None, "langdetect", seen=top_code)
        restricted = _detector(languages.codes, text)
    except Exception:  # langdetect raises on text with no features
        return Detection(None, "langdetect")
    if restricted:
        return Detection(restricted[0][0], "langdetect")
    return Detection(None, "langdetect")


def _detector(codes: tuple[str, ...] | None, text: str) -> list[tuple[str, float]]:
    factory = _factory(codes)
    detector = factory.create()
    detector.append(text)
    ranked = []
    for item in detector.get_probabilities():
        code = "zh" if item.lang.startswith("zh") else item.lang
        ranked.append((code, float(item.prob)))
    return ranked


@lru_cache(maxsize=4)
def _factory(codes: tuple[str, ...] | None) -> Any:
    """A seeded langdetect factory: of every language langdetect knows (None),
    or only of ``codes`` (those langdetect has a profile for)."""
    from pathlib import Path

    from langdetect.detector_factory import PROFILES_DIRECTORY, DetectorFactory

    factory = DetectorFactory()
    factory.seed = 0
    if codes is None:
        factory.load_profile(PROFILES_DIRECTORY)
        return factory
    wanted = {("zh-cn" if c == "zh" else c) for c in codes}
    profiles = []
    for name in sorted(wanted):
        path = Path(PROFILES_DIRECTORY) / name
        if path.is_file():
            profiles.append(path.read_text(encoding="utf-8"))  # it parses them itself
    if not profiles:
        raise ValueError("langdetect knows none of these languages")
    factory.load_json_profile(profiles)
    return factory


#: Turns shorter than this are judged in the conversation's language, unexamined.
MIN_TURN_CHARS = 8


def turn_languages(
    texts: Sequence[str], conversation_language: str, languages: Languages | None = None
) -> list[str]:
    """``turn_language`` for every turn of a conversation, the same answers, cheaper.

    A turn switches on function words only with at least two (a Chinese or
    Korean chat) or ``SWITCH_MIN_HITS`` of another language, and on script
    only to a language with a script of its own, whose letters it must hold.
    When all the turns together have fewer than two function words of every
    other language and no letters of another language's own script, no turn
    can switch, and no turn is examined. Why: examining every turn was a tenth
    of the linting time on the real corpora.
    """
    languages = languages or shipped_languages()
    samples = [text[:SAMPLE_CHARS] for text in texts]
    #: Each turn's function words, counted once: by ``_may_switch`` and reused
    #: by the turn-by-turn check (the issue #14 profile counted them twice).
    counted: dict[int, Counter[str]] = {}
    if sum(len(sample) + 1 for sample in samples) <= SAMPLE_CHARS + 1:
        # A short conversation: its samples joined are the very string detection
        # read (``Linter._language``), whose counts are cached.
        by_words, by_script = _may_switch(["\n".join(samples)], conversation_language, languages)
    else:  # a long one is read turn by turn, so memory does not grow with it
        by_words, by_script = _may_switch(samples, conversation_language, languages, counted)
    if not (by_words or by_script):
        return [conversation_language] * len(samples)
    out = []
    for index, sample in enumerate(samples):
        if len(sample) < MIN_TURN_CHARS or (not by_words and sample.isascii()):
            out.append(conversation_language)
        else:
            out.append(
                _turn_language(
                    sample, conversation_language, by_words, languages, counted.get(index)
                )
            )
    return out


def _may_switch(
    pieces: Sequence[str],
    conversation_language: str,
    languages: Languages,
    counted: dict[int, Counter[str]] | None = None,
) -> tuple[bool, bool]:
    """Whether any turn could switch on function words, and on script.

    On words: two or more of another language in all the pieces together.
    On script: letters of another language's own script (Hangul in a
    non-Korean conversation, Han in a non-Chinese one). ``counted`` gets the
    counts of the pieces it counted, by position.
    """
    others: dict[str, int] = {}
    by_words = by_script = False
    scripted = _other_scripts(languages, conversation_language)
    for index, piece in enumerate(pieces):
        if not by_words:
            scores = _stopword_scores(piece, languages)
            if counted is not None:
                counted[index] = scores
            for code, count in scores.items():  # read only
                if count and code != conversation_language:
                    others[code] = others.get(code, 0) + count
                    by_words = by_words or others[code] >= 2
        if not by_script and not piece.isascii():
            by_script = any(pattern.search(piece) for _code, pattern in scripted)
        if by_words and by_script:
            break
    return by_words, by_script


@lru_cache(maxsize=64)
def _other_scripts(
    languages: Languages, conversation_language: str
) -> tuple[tuple[str, regex.Pattern[str]], ...]:
    """The languages with a script of their own other than the conversation's,
    with a pattern for runs of their letters."""
    return tuple(
        (code, _script_runs(languages.profile(code).script))
        for code in (*_scripted(languages).by_letters, *_scripted(languages).by_words)
        if code != conversation_language
    )


def turn_language(
    text: str,
    conversation_language: str,
    by_words: bool = True,
    languages: Languages | None = None,
) -> str:
    """The language to judge one turn in: the conversation's unless strongly otherwise.

    ``by_words`` False skips the function-word test (``turn_languages`` knows
    it cannot switch the turn).
    """
    return _turn_language(text, conversation_language, by_words, languages or shipped_languages())


def _turn_language(
    text: str,
    conversation_language: str,
    by_words: bool,
    languages: Languages,
    counted: Counter[str] | None = None,
) -> str:
    """``turn_language``; ``counted``: the sample's function words, when counted already."""
    # As for a whole conversation: a sample is enough to decide, and a 20 MB turn stays cheap.
    text = text[:SAMPLE_CHARS]
    scripted = _by_script(text, languages)
    if (
        scripted is not None
        and scripted.language
        and scripted.language != conversation_language
        and script_counts(text)["letter"] >= 2
    ):
        return scripted.language
    if not by_words:
        return conversation_language
    home_script = (
        languages.profile(conversation_language).script
        if conversation_language in languages
        else "Latin"
    )
    if scripted is None and conversation_language in _latin_languages(languages):
        scores = counted if counted is not None else _stopword_scores(text, languages)
        best, hits = scores.most_common(1)[0] if scores else (conversation_language, 0)
        # A margin, not "none of the conversation's words": Finnish "on" is also English.
        home = scores[conversation_language]
        if best != conversation_language and hits >= SWITCH_MIN_HITS and hits >= 2 * max(home, 1):
            return best
    elif scripted is None and home_script != "Latin":
        # Latin text inside a Chinese or Korean chat: switch only on clear evidence.
        found = _by_stopwords(text, languages)
        if found is not None and found.language:
            return found.language
    return conversation_language
