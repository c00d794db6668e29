"""Decide a conversation's language, once per conversation, deterministically.

Order of evidence (cheapest first):

1. Script: Hangul -> ``ko``; Han without kana -> ``zh``; kana -> ``ja``; other
   non-Latin scripts -> that script, which no rule supports.
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

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import regex

from .languages import profile, supported_languages

_WORD = regex.compile(r"[\p{L}']+")
_SCRIPTS = {
    "hangul": regex.compile(r"\p{Hangul}"),
    "han": regex.compile(r"\p{Han}"),
    "kana": regex.compile(r"[\p{Hiragana}\p{Katakana}]"),
    "latin": regex.compile(r"\p{Latin}"),
    "letter": regex.compile(r"\p{L}"),
}
_LATIN_WORD = regex.compile(r"\p{Latin}+")
#: Characters of the conversation that detection reads (enough to decide).
SAMPLE_CHARS = 2000
#: A Latin-script guess from function words needs this many hits...
MIN_STOPWORD_HITS = 3
#: ...and this lead over the runner-up.
STOPWORD_MARGIN = 2.0
SWITCH_MIN_HITS = 3
#: langdetect must be at least this sure to call a text an unsupported language.
UNSUPPORTED_CONFIDENCE = 0.90


@dataclass(frozen=True)
class Detection:
    language: str | None
    method: str
    #: For an unsupported language, the code or script that was seen.
    seen: str | None = None


#: The same single-character classes as runs: summing run lengths counts the
#: characters with a few list items instead of one per character.
_SCRIPT_RUNS = {name: regex.compile(f"(?:{p.pattern})+") for name, p in _SCRIPTS.items()}
_ASCII_LETTERS = bytes(range(65, 91)) + bytes(range(97, 123))
_ASCII_RUNS = regex.compile(r"[\x00-\x7f]+")


def script_counts(text: str) -> dict[str, int]:
    """Letters per script. Why the fast path: most text is ASCII, where every
    letter is Latin and there is nothing else to count; only the rest (often
    a few curly quotes or an emoji) goes through the script classes."""
    ascii_part = text.encode("ascii", "ignore")
    letters = len(ascii_part) - len(ascii_part.translate(None, _ASCII_LETTERS))
    counts = {"hangul": 0, "han": 0, "kana": 0, "latin": letters, "letter": letters}
    if len(ascii_part) != len(text):
        rest = _ASCII_RUNS.sub("", text)
        for name, pattern in _SCRIPT_RUNS.items():
            counts[name] += sum(map(len, pattern.findall(rest)))
    return counts


def _by_script(text: str) -> Detection | None:
    counts = script_counts(text)
    letters = counts["letter"]
    if letters == 0:
        return Detection(None, "script")
    if counts["hangul"] >= 0.3 * letters:
        return Detection("ko", "script")
    if counts["kana"] >= 0.1 * letters:
        return Detection(None, "script", seen="ja")
    han = counts["han"]
    # One Han character carries about a word, an English word about five
    # letters: weigh Han against Latin *words*, or a Chinese chat full of
    # English product names ("我想cancel我的subscription") falls through.
    if han and han >= 0.3 * (han + len(_LATIN_WORD.findall(text))):
        return Detection("zh", "script")
    if counts["latin"] < 0.5 * letters:
        return Detection(None, "script", seen="non-Latin script")
    return None


def stopword_scores(text: str) -> Counter[str]:
    """Function words of each Latin-script language in ``text`` (every language a key).

    Cached for the last few texts: a short conversation's detection sample
    and the text ``turn_languages`` counts are the same string.
    """
    return Counter(_stopword_scores(text))


@lru_cache(maxsize=4)
def _stopword_scores(text: str) -> Counter[str]:
    index = _stopword_index()
    scores: Counter[str] = Counter(dict.fromkeys(_latin_languages(), 0))
    if text.isascii():  # case-folding ASCII is lower-casing, done once for the text
        words = _ASCII_WORD.findall(text.lower())
    else:
        words = [word.casefold() for word in _WORD.findall(text)]
    for word in words:
        codes = index.get(word)
        if codes:
            for code in codes:
                scores[code] += 1
    return scores


#: ``_WORD`` on ASCII text, in the faster standard-library engine.
_ASCII_WORD = re.compile(r"[A-Za-z']+")


@lru_cache(maxsize=1)
def _latin_languages() -> tuple[str, ...]:
    return tuple(c for c in supported_languages() if profile(c).stopwords)


@lru_cache(maxsize=1)
def _stopword_index() -> dict[str, tuple[str, ...]]:
    """Word -> the languages listing it: one look-up per word, not one per language."""
    index: dict[str, list[str]] = {}
    for code in _latin_languages():
        for word in profile(code).stopwords:
            index.setdefault(word, []).append(code)
    return {word: tuple(codes) for word, codes in index.items()}


def _by_stopwords(text: str) -> Detection | None:
    ranked = stopword_scores(text).most_common()
    if not ranked:
        return None
    best, hits = ranked[0]
    runner_up = ranked[1][1] if len(ranked) > 1 else 0
    unanimous = hits >= 2 and runner_up == 0  # "Hei\nHei!": langdetect would guess
    if unanimous or (hits >= MIN_STOPWORD_HITS and hits >= STOPWORD_MARGIN * max(runner_up, 1)):
        return Detection(best, "stopwords")
    return None


def detect(text: str) -> Detection:
    """The language of a whole conversation's text."""
    sample = text[:SAMPLE_CHARS]
    return _by_script(sample) or _by_stopwords(sample) or _by_langdetect(sample)


def _by_langdetect(text: str) -> Detection:
    if not _WORD.search(text):
        return Detection(None, "langdetect")
    try:
        everything = _detector(restricted=False, text=text)
        if everything:
            top_code, top_prob = everything[0]
            if top_code in supported_languages():
                return Detection(top_code, "langdetect")
            if top_prob >= UNSUPPORTED_CONFIDENCE and len(_WORD.findall(text)) >= 4:
                return Detection(None, "langdetect", seen=top_code)
        restricted = _detector(restricted=True, text=text)
    except Exception:  # langdetect raises on text with no features
        return Detection(None, "langdetect")
    if restricted:
        return Detection(restricted[0][0], "langdetect")
    return Detection(None, "langdetect")


def _detector(restricted: bool, text: str) -> list[tuple[str, float]]:
    factory = _factory(restricted)
    detector = factory.create()
    detector.append(text)
    ranked = []
    for item in detector.get_probabilities():
        code = "zh" if item.lang.startswith("zh") else item.lang
        ranked.append((code, float(item.prob)))
    return ranked


@lru_cache(maxsize=2)
def _factory(restricted: bool) -> Any:
    """A seeded langdetect factory; the restricted one knows only supported languages."""
    from pathlib import Path

    from langdetect.detector_factory import PROFILES_DIRECTORY, DetectorFactory

    factory = DetectorFactory()
    factory.seed = 0
    if not restricted:
        factory.load_profile(PROFILES_DIRECTORY)
        return factory
    wanted = {("zh-cn" if c == "zh" else c) for c in supported_languages()}
    profiles = []
    for name in sorted(wanted):
        path = Path(PROFILES_DIRECTORY) / name
        if path.is_file():
            profiles.append(path.read_text(encoding="utf-8"))  # it parses them itself
    factory.load_json_profile(profiles)
    return factory


#: Turns shorter than this are judged in the conversation's language, unexamined.
MIN_TURN_CHARS = 8


def turn_languages(texts: Sequence[str], conversation_language: str) -> list[str]:
    """``turn_language`` for every turn of a conversation, the same answers, cheaper.

    A turn switches on function words only with at least two (a Chinese or
    Korean chat) or ``SWITCH_MIN_HITS`` of another language, and on script
    only to Korean or Chinese, whose letters it must hold. When all the
    turns together have fewer than two function words of every other language
    and no Hangul or Han of another language, no turn can switch, and no
    turn is examined. Why: examining every turn was a tenth of the linting
    time on the real corpora.
    """
    samples = [text[:SAMPLE_CHARS] for text in texts]
    if sum(len(sample) + 1 for sample in samples) <= SAMPLE_CHARS + 1:
        # A short conversation: its samples joined are the very string detection
        # read (``Linter._language``), whose counts are cached.
        by_words, by_script = _may_switch(["\n".join(samples)], conversation_language)
    else:  # a long one is read turn by turn, so memory does not grow with it
        by_words, by_script = _may_switch(samples, conversation_language)
    if not (by_words or by_script):
        return [conversation_language] * len(samples)
    out = []
    for sample in samples:
        if len(sample) < MIN_TURN_CHARS or (not by_words and sample.isascii()):
            out.append(conversation_language)
        else:
            out.append(turn_language(sample, conversation_language, by_words))
    return out


def _may_switch(pieces: Sequence[str], conversation_language: str) -> tuple[bool, bool]:
    """Whether any turn could switch on function words, and on script.

    On words: two or more of another language in all the pieces together.
    On script: Hangul in a non-Korean, or Han in a non-Chinese conversation.
    """
    others: dict[str, int] = {}
    by_words = by_script = False
    for piece in pieces:
        if not by_words:
            for code, count in _stopword_scores(piece).items():  # read only: no copy
                if count and code != conversation_language:
                    others[code] = others.get(code, 0) + count
                    by_words = by_words or others[code] >= 2
        if not by_script and not piece.isascii():
            by_script = any(
                code != conversation_language and _SCRIPTS[script].search(piece)
                for code, script in (("ko", "hangul"), ("zh", "han"))
            )
        if by_words and by_script:
            break
    return by_words, by_script


def turn_language(text: str, conversation_language: str, by_words: bool = True) -> str:
    """The language to judge one turn in: the conversation's unless strongly otherwise.

    ``by_words`` False skips the function-word test (``turn_languages`` knows
    it cannot switch the turn).
    """
    # As for a whole conversation: a sample is enough to decide, and a 20 MB turn stays cheap.
    text = text[:SAMPLE_CHARS]
    scripted = _by_script(text)
    if (
        scripted is not None
        and scripted.language
        and scripted.language != conversation_language
        and script_counts(text)["letter"] >= 2
    ):
        return scripted.language
    if not by_words:
        return conversation_language
    if scripted is None and conversation_language in _latin_languages():
        scores = stopword_scores(text)
        best, hits = scores.most_common(1)[0] if scores else (conversation_language, 0)
        # A margin, not "none of the conversation's words": Finnish "on" is also English.
        home = scores[conversation_language]
        if best != conversation_language and hits >= SWITCH_MIN_HITS and hits >= 2 * max(home, 1):
            return best
    elif scripted is None and conversation_language in ("zh", "ko"):
        # Latin text inside a Chinese or Korean chat: switch only on clear evidence.
        found = _by_stopwords(text)
        if found is not None and found.language:
            return found.language
    return conversation_language
