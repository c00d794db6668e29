"""The customer-escalation detector: is the customer upset, and since when?

Its own module because several rules need the same judgement: moving an
upset customer to email, escaping, joking, missing empathy, no recap. What
counts is data: ``rules/detectors/escalation/detector.toml`` names the
signals and their weights, and each signal is a concept of the same name in
``rules/concepts/<code>.toml``. Two signals are measured rather than
listed: ``shouting`` (mostly capital letters), ``emphasis`` (one word in
capitals in an otherwise normal turn: "I want someone to actually FIND it")
and ``exclaiming`` ("!!", "?!").
Negated mentions ("I don't want to cancel") do not count.

Two judgements (docs/escalation.md explains both with examples):

* ``assess``: one customer turn's signals and score; at the threshold the
  turn is upset on its own.
* ``mood``: the customer's state at any point of the conversation. Being
  upset lasts: a customer who was furious two turns ago is still upset until
  a turn of theirs clearly calms down (a ``calm_again`` signal and no new
  upset signal) or several of their turns in a row (``quiet_turns``) carry
  no upset signal at all. Frustration can also build up: word-level signals in recent
  turns (``build_up_turns``) that reach the threshold together.

A long account (``[long_account]``: a turn of many words) with a word-level
signal in it scores more: a customer who explains at length what went wrong
and says one thing about how it feels is upset, where the same word in a
one-line question is not.
"""

from __future__ import annotations

import weakref
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import regex

from .errors import RulePackError
from .regexes import compile_pattern
from .resources import read_toml, shipped_rules_dir

if TYPE_CHECKING:
    from .context import Conversation, TurnView
    from .languages import LanguageProfile

#: Words of cased letters only: a Han run with one capital ("苏A", a plate
#: number in a Chinese turn) is not a shouted word, nor are the letters of a
#: code with digits ("KFY4AOHGQ", an account id) or of a @handle or #tag.
_CASED_WORD = compile_pattern(r"(?<![\p{L}\p{N}'@#_])[\p{Lu}\p{Ll}\p{Lt}']+(?![\p{L}\p{N}'_])")
#: The words of ``_CASED_WORD`` in capitals: every cased letter upper case, at
#: least one (ß has no common capital: SCHEIßE is shouted), and not a mask of
#: X's only ("XXXX-XXXX", a hidden phone or card number in an agent's turn).
#: Possessive, so a long run of capitals is read once.
_LOUD_WORD = compile_pattern(
    r"(?<![\p{L}\p{N}'@#_])(?!X++(?![\p{L}\p{N}'_]))(?=['ß]*\p{Lu})[\p{Lu}'ß]++(?![\p{L}\p{N}'_])"
)
#: A clause of ``EscalationDetector.shouted_clauses``: the text between punctuation
#: (and a menu path's ">", so a menu item after it is a clause of its own).
_CLAUSE = compile_pattern(r"[^.!?;:,\n—–()\"“”>]+")
#: A menu path's ">" (or its HTML escape) just before a clause.
_MENU_BEFORE = compile_pattern(r"(?:>|&gt;)\s*+\Z")
#: A question mark that asks something (not one inside a link: "page?id=3").
_ASKS = compile_pattern(r"？|\?(?![\w=&/#%])")
#: Signals measured in code, not listed as concepts.
MEASURED = ("shouting", "exclaiming", "emphasis")
#: The signal a long account adds (``[long_account]``), not a concept either.
LONG_ACCOUNT = "long account"
#: Characters of scripts written without spaces between words (or, Hangul,
#: with few): counted per character, ``chars_per_word`` to a word.
_DENSE = compile_pattern(r"[\p{Han}\p{Hiragana}\p{Katakana}\p{Hangul}]")
#: A word of any other script (letters and digits).
_SPACED_WORD = compile_pattern(r"(?:(?![\p{Han}\p{Hiragana}\p{Katakana}\p{Hangul}])[\p{L}\p{N}])+")


@dataclass(frozen=True)
class Signal:
    kind: str
    start: int
    end: int
    text: str
    #: None: the signal's weight from detector.toml.
    weight: int | None = None
    #: False for a pattern with ``renews = false``: a sign of the situation
    #: ("charged me £46") that adds to a turn's score, but is not the customer
    #: saying again how they feel (first-reply's ``still-upset-score``).
    renews: bool = True


@dataclass(frozen=True)
class Escalation:
    """One turn's signals and their score."""

    score: int
    signals: tuple[Signal, ...]
    threshold: int

    @property
    def escalated(self) -> bool:
        return self.score >= self.threshold

    def describe(self) -> str:
        shown = ", ".join(f'"{s.text}" ({s.kind})' for s in self.signals[:3])
        return shown or "none"


@dataclass(frozen=True)
class Mood:
    """The customer's state as of one point of the conversation."""

    upset: bool
    #: The customer turn that made them upset (or the last of a build-up).
    since: int | None = None
    #: Why, in words, for a finding's message.
    reason: str = ""
    #: The customer turn that made them upset after being calm: a later turn
    #: upset again before they calm down moves ``since``, not this.
    began: int | None = None


CALM = Mood(False)


def detector_dir() -> Path:
    return shipped_rules_dir() / "detectors" / "escalation"


@dataclass(frozen=True)
class EscalationDetector:
    threshold: int
    #: Signal (a concept name, or one of ``MEASURED``) -> weight.
    weights: Mapping[str, int]
    shouting: Mapping[str, Any]
    #: ``[emphasis]`` of detector.toml (``min_letters``).
    emphasis: Mapping[str, Any]
    exclaiming: regex.Pattern[str]
    acronyms: frozenset[str]
    #: The concept that ends being upset ("thanks, that's sorted").
    calm_concept: str
    #: Recent customer turns whose word-level signals add up.
    build_up_turns: int
    #: Customer turns in a row without an upset signal after which upset ends.
    quiet_turns: int
    #: Languages the detector deliberately does not cover, with the reason.
    skip_languages: Mapping[str, str]
    #: ``[long_account]`` of detector.toml: ``min_words``, ``chars_per_word``,
    #: ``weight`` (empty: no bonus).
    long_account: Mapping[str, Any] = field(default_factory=dict)
    #: ``[exclaiming] one_mark``: one exclamation mark, which counts as
    #: ``exclaiming`` only in a turn with a word-level signal (None: never).
    one_mark: regex.Pattern[str] | None = None
    #: ``[exclaiming] one_mark_ignores``: word-level signals that do not make a
    #: turn's one mark count ("I need it ASAP!" is eager, not upset).
    one_mark_ignores: frozenset[str] = frozenset()
    #: ``count_once``: signals that count only on words no signal listed before
    #: them in ``weights`` has read ("doppelt abgebucht" is already frustration:
    #: a failure report does not weigh it again).
    count_once: frozenset[str] = frozenset()

    @staticmethod
    @lru_cache(maxsize=1)
    def default() -> EscalationDetector:
        path = detector_dir() / "detector.toml"
        data = read_toml(path)
        shouting = dict(data.get("shouting", {}))
        weights = {k: int(v) for k, v in data.get("weights", {}).items()}
        if not weights:
            raise RulePackError(str(path), "[weights] must name at least one signal")
        return EscalationDetector(
            threshold=int(data.get("threshold", 2)),
            weights=weights,
            shouting=shouting,
            emphasis=dict(data.get("emphasis", {})),
            exclaiming=compile_pattern(data.get("exclaiming", {}).get("pattern", "!{2,}")),
            acronyms=frozenset(a.casefold() for a in shouting.get("acronyms", [])),
            calm_concept=str(data.get("persistence", {}).get("calm_concept", "calm_again")),
            build_up_turns=int(data.get("persistence", {}).get("build_up_turns", 3)),
            quiet_turns=int(data.get("persistence", {}).get("quiet_turns", 3)),
            skip_languages=dict(data.get("skip_languages", {})),
            long_account=dict(data.get("long_account", {})),
            one_mark=_compiled(data.get("exclaiming", {}).get("one_mark")),
            one_mark_ignores=frozenset(data.get("exclaiming", {}).get("one_mark_ignores", [])),
            count_once=frozenset(data.get("count_once", [])),
        )

    @cached_property
    def listed_signals(self) -> tuple[str, ...]:
        """The signals that are concepts (every covered language must list them)."""
        return tuple(k for k in self.weights if k not in MEASURED)

    @cached_property
    def measured_kinds(self) -> list[str]:
        """The measured signals the detector weighs."""
        return [k for k in MEASURED if k in self.weights]

    def weight_of(self, signal: Signal) -> int:
        return signal.weight if signal.weight is not None else self.weights.get(signal.kind, 1)

    def covers(self, convo: Conversation, view: TurnView) -> bool:
        """Whether the turn's language has every concept the detector reads."""
        lang = convo.profile_of(view)
        return lang is not None and not self.missing_concepts(lang)

    def missing_concepts(self, lang: LanguageProfile) -> list[str]:
        needed = [*self.listed_signals, self.calm_concept]
        return [name for name in needed if name not in lang.concepts]

    def reads_language(self, lang: LanguageProfile | None) -> bool:
        """``covers`` for a language profile: every concept the detector reads."""
        return self._reads_concepts(lang)

    def _reads_concepts(self, lang: LanguageProfile | None) -> bool:
        """Whether ``assess`` reads the listed signals in ``lang`` (cached per language)."""
        if lang is None:
            return False
        known = _COVERED.get(lang)
        if known is None:
            known = _COVERED[lang] = not self.missing_concepts(lang)
        return known

    # -- one turn ------------------------------------------------------------

    def assess(self, convo: Conversation, view: TurnView) -> Escalation:
        """The signals of one turn and their score (negated mentions dropped).

        Judged once per turn and conversation: the mood at each threshold and
        first-reply ask about the same customer turns (``Conversation.judged``)."""
        return convo.judged(self, "assess", view, self._assess)

    def _assess(self, convo: Conversation, view: TurnView) -> Escalation:
        signals: list[Signal] = []
        text = view.text
        lang = convo.profile_of(view)
        # Judging scope costs tokens; once a turn has enough signals to be
        # escalated and to explain why, the rest would change nothing.
        enough = self.threshold + max(self.weights.values(), default=2)
        score = 0
        if self._reads_concepts(lang):
            assert lang is not None
            for kind in self.listed_signals:
                for hit in convo.hits(lang.concept(kind), view):
                    if score >= enough:
                        break
                    if kind in self.count_once and any(
                        s.start < hit.end and hit.start < s.end for s in signals
                    ):
                        continue
                    vetoed = "negation" in hit.pattern.attrs.get("vetoes", ("negation",))
                    if vetoed and convo.scope(view, hit.start, hit.end).negated:
                        continue
                    weight = int(hit.pattern.attrs.get("weight", self.weights[kind]))
                    signals.append(
                        Signal(
                            kind,
                            hit.start,
                            hit.end,
                            view.turn.text[hit.start : hit.end],
                            weight,
                            bool(hit.pattern.attrs.get("renews", True)),
                        )
                    )
                    score += weight
        signals += [
            Signal(s.kind, s.start, s.end, view.turn.text[s.start : s.end])
            for s in self.measured(text, self.measured_kinds)
        ]
        signals.sort(key=lambda s: (-self.weight_of(s), s.start))
        score = sum(self.weight_of(s) for s in signals)
        # What the customer says about how it feels: not a measured sign, nor
        # a sign of the situation (``renews = false``: "my card was stolen").
        worded = sum(self.weight_of(s) for s in signals if s.kind not in MEASURED and s.renews)
        felt = any(
            s.kind not in MEASURED and s.renews and s.kind not in self.one_mark_ignores
            for s in signals
        )
        mark = self._one_mark(text, signals) if felt and score < self.threshold else None
        if mark is not None and not self.calms_down(convo, view):
            # Not a thankful or relieved "!" ("Unglaublich schnell, danke!").
            signals.append(mark)
            score += self.weight_of(mark)
        words = self.long_account_words(text) if worded > 0 and score < self.threshold else 0
        if words and not self._inquiry(text, signals):
            # Last, so a finding's message names the words first.
            signals.append(Signal(LONG_ACCOUNT, 0, 0, f"{words} words", self.long_weight))
            score += self.long_weight
        return Escalation(score, tuple(signals), self.threshold)

    def _inquiry(self, text: str, signals: Sequence[Signal]) -> bool:
        """A long turn that asks a question and whose only words of upset are
        ``[long_account] inquiry_signals`` is an inquiry told at length ("the
        printer is not printing black, the cartridge is new ... Correct?"), not
        a long account: it gets no bonus."""
        kinds = self._inquiry_signals
        worded = {s.kind for s in signals if s.kind not in MEASURED}
        return bool(kinds) and worded <= kinds and asks_something(text)

    @cached_property
    def _inquiry_signals(self) -> frozenset[str]:
        return frozenset(self.long_account.get("inquiry_signals", ()))

    def _one_mark(self, text: str, signals: Sequence[Signal]) -> Signal | None:
        """One exclamation mark (``one_mark``) in a turn not already exclaiming:
        "It was a laptop, twenty-two hundred dollars!" with "still nothing" is
        upset, where a "!" alone ("Hi! Quick question") is not."""
        if self.one_mark is None or any(s.kind == "exclaiming" for s in signals):
            return None
        for found in self.one_mark.finditer(text):
            # Not a mark a listed pattern already read ("Hören Sie mir zu!"):
            # one "!" is never counted twice.
            if not any(s.start <= found.start() <= s.end + 2 for s in signals):
                return Signal("exclaiming", found.start(), found.end(), found.group())
        return None

    @cached_property
    def long_weight(self) -> int:
        """What a long account adds to a turn with a word-level signal (0: nothing)."""
        return int(self.long_account.get("weight", 0))

    def words(self, text: str) -> int:
        """About how many words ``text`` has: words of spaced scripts, and for
        Chinese, Japanese and Korean ``chars_per_word`` characters a word."""
        return self._dense_words(text) + len(_SPACED_WORD.findall(text))

    def _dense_words(self, text: str) -> int:
        """The words of ``text`` in scripts written without spaces (or, Hangul,
        with few): ``chars_per_word`` characters a word."""
        return len(_DENSE.findall(text)) // int(self.long_account.get("chars_per_word", 2))

    def long_account_words(self, text: str) -> int:
        """How many words a customer turn long enough to be a long account
        has; 0 for a shorter one (or with the bonus switched off)."""
        if self.long_weight <= 0:
            return 0
        least = int(self.long_account.get("min_words", 30))
        if len(text) < least:  # a short text cannot be long: no counting
            return 0
        words = self.words(text)
        return words if words >= least else 0

    def measured_score(self, text: str) -> int:
        """The score of a text's measured signals alone (what ``assess`` adds to
        its listed ones)."""
        return sum(self.weight_of(s) for s in self.measured(text, self.measured_kinds))

    def measured_most(self, text: str) -> int:
        """``measured_score`` without negative weights (what ``most`` adds)."""
        return sum(max(0, self.weight_of(s)) for s in self.measured(text, self.measured_kinds))

    def most(self, convo: Conversation, view: TurnView) -> int:
        """The most ``assess`` can score for a turn: every hit of a listed signal
        counted, negated or not (no scope judged), and the measured signals;
        negative weights left out. Cheap, so a turn (or a conversation) that
        cannot reach the threshold is never judged hit by hit (and counted once
        per turn and conversation, like ``assess``)."""
        return convo.judged(self, "most", view, self._most)

    def _most(self, convo: Conversation, view: TurnView) -> int:
        total = 0
        lang = convo.profile_of(view)
        if self._reads_concepts(lang):
            assert lang is not None
            for kind in self.listed_signals:
                default = self.weights[kind]
                for hit in convo.hits(lang.concept(kind), view):
                    total += max(0, int(hit.pattern.attrs.get("weight", default)))
        if total > 0 and self.long_account_words(view.text):
            total += max(0, self.long_weight)
        if total > 0 and self.one_mark is not None and self.one_mark.search(view.text):
            total += max(0, self.weights.get("exclaiming", 1))
        return total + self.measured_most(view.text)

    def measured(self, text: str, kinds: Sequence[str]) -> list[Signal]:
        """The measured signals of ``kinds`` in any text (an agent's shouting, too).

        Remembered for recent texts: the screen, the quiet hooks, ``most`` and
        ``assess`` each measure the same customer turns (a regex pass or three each)."""
        key = (text, tuple(kinds))
        memo = self._measured_memo
        found = memo.get(key)
        if found is None:
            if len(memo) >= _MEMO_TEXTS:
                memo.clear()
            found = memo[key] = tuple(self._measured(text, kinds))
        return list(found)

    @cached_property
    def _measured_memo(self) -> dict[tuple[str, tuple[str, ...]], tuple[Signal, ...]]:
        return {}

    def _measured(self, text: str, kinds: Sequence[str]) -> list[Signal]:
        found = []
        if "shouting" in kinds or "emphasis" in kinds:
            loud = self._loud_words(text)
            shout = self._shouting(text, loud) if "shouting" in kinds else None
            if shout is not None:
                found.append(Signal("shouting", shout[0], shout[1], text[shout[0] : shout[1]]))
            elif "emphasis" in kinds:
                # One stressed word, when the turn as a whole is not shouted.
                word = next((m for m in loud if len(m.group()) >= self.emphasis_letters), None)
                if word is not None:
                    found.append(Signal("emphasis", word.start(), word.end(), word.group()))
        if "exclaiming" in kinds:
            exclaim = self.exclaiming.search(text)
            if exclaim:
                found.append(Signal("exclaiming", exclaim.start(), exclaim.end(), exclaim.group()))
        return found

    def calms_down(self, convo: Conversation, view: TurnView) -> bool:
        """Whether a customer turn clearly calms down ("thanks, that's sorted")."""
        lang = convo.profile_of(view)
        if lang is None or self.calm_concept not in lang.concepts:
            return False
        return any(
            not convo.scope(view, hit.start, hit.end).negated
            for hit in convo.hits(lang.concept(self.calm_concept), view)
        )

    # -- the conversation ----------------------------------------------------

    def moods(
        self, convo: Conversation, customers: Sequence[TurnView], threshold: int = 0
    ) -> list[Mood]:
        """The customer's mood after each of ``customers`` (their turns, in order).

        Upset from a turn at the threshold, or from word-level signals that
        add up over the last ``build_up_turns`` turns; upset lasts until a turn
        calms down without a new upset signal. ``threshold``: another score
        than the detector's to be upset at (0: the detector's), for a rule
        whose act is wrong with a customer less upset than that (a joke).
        """
        threshold = threshold or self.threshold
        if sum(self.most(convo, view) for view in customers) < threshold:
            # Not enough signals in the whole conversation to be upset, even if
            # none were negated: calm throughout, without judging scope.
            return [CALM] * len(customers)
        out: list[Mood] = []
        mood = CALM
        recent: list[tuple[TurnView, Escalation]] = []
        quiet = 0
        for view in customers:
            state = self.assess(convo, view)
            recent = [*recent, (view, state)][-self.build_up_turns :]
            quiet = 0 if state.signals else quiet + 1
            if state.score >= threshold:
                began = mood.began if mood.upset else view.index
                reason = f"turn {view.index + 1}: {state.describe()}"
                mood = Mood(True, view.index, reason, began)
            elif (
                mood.upset
                and not state.signals
                and (quiet >= self.quiet_turns or self.calms_down(convo, view))
            ):
                mood = CALM
                recent = []
            elif not mood.upset:
                built = self._built_up(recent, threshold)
                if built is not None:
                    mood = built
            out.append(mood)
        return out

    def _built_up(self, recent: list[tuple[TurnView, Escalation]], threshold: int) -> Mood | None:
        # Only turns with a word-level signal build up: "??" after a remark
        # about the weather is not sustained frustration.
        worded = [(v, s) for v, s in recent if any(sig.kind not in MEASURED for sig in s.signals)]
        if len(worded) >= 2 and sum(s.score for _, s in worded) >= threshold:
            turns = ", ".join(str(v.index + 1) for v, _ in worded)
            shown = "; ".join(s.describe() for _, s in worded)
            last = worded[-1][0].index
            return Mood(True, last, f"turns {turns} together: {shown}", last)
        return None

    @cached_property
    def emphasis_letters(self) -> int:
        """Letters a word in capitals needs to count as ``emphasis``."""
        return int(self.emphasis.get("min_letters", 4))

    def _loud_words(self, text: str) -> list[regex.Match[str]]:
        """The words in capitals (``shouting``'s ``min_letters`` or longer, no acronym).

        Found by one search in C for words of capitals (``_LOUD_WORD``), not by
        reading every word in Python: the detector measures every customer turn."""
        min_letters = int(self.shouting.get("min_letters", 3))
        return [
            m
            for m in _LOUD_WORD.finditer(text)
            if len(m.group()) >= min_letters and m.group().casefold() not in self.acronyms
        ]

    def shouted_clauses(self, text: str) -> list[Signal]:
        """``shouting`` in the clauses of ``text`` shouted on their own, the turn
        as a whole not ("Ma'am, CALM DOWN, I'm doing what I can.").

        A clause runs between punctuation (``_CLAUSE``); it is shouted with
        ``min_words`` loud words making up ``clause_min_share`` of its words, one
        of them ``clause_long_letters`` long (codes and short acronyms are not:
        "AKL-WLG", "RAM GPU"), and not a menu item after ">" ("&gt; I STILL NEED HELP")."""
        min_words = int(self.shouting.get("min_words", 2))
        share = float(self.shouting.get("clause_min_share", 0.6))
        long_letters = int(self.shouting.get("clause_long_letters", 4))
        # One search for the turn's loud words, dealt out to its clauses in order:
        # no loud word crosses a clause's edge (the edges are punctuation, which
        # neither a loud word nor its look-arounds' letters hold).
        every = self._loud_words(text)
        if len(every) < min_words:
            return []  # most turns: no clause can be shouted, so none is read
        found = []
        first = 0
        for clause in _CLAUSE.finditer(text):
            while first < len(every) and every[first].start() < clause.start():
                first += 1
            after = first
            while after < len(every) and every[after].end() <= clause.end():
                after += 1
            loud, first = every[first:after], after
            if len(loud) < min_words or not any(len(m.group()) >= long_letters for m in loud):
                continue
            if _MENU_BEFORE.search(text, max(0, clause.start() - 12), clause.start()):
                continue
            if len(loud) >= share * self._shout_share_words(clause.group()):
                start, end = loud[0].start(), loud[-1].end()
                found.append(Signal("shouting", start, end, text[start:end]))
        return found

    def _shouting(self, text: str, loud: list[regex.Match[str]]) -> tuple[int, int] | None:
        min_words = int(self.shouting.get("min_words", 2))
        if not loud or len(loud) < min_words:
            return None
        if len(loud) >= float(self.shouting.get("min_share", 0.3)) * self._shout_share_words(text):
            return loud[0].start(), loud[-1].end()
        return None

    def _shout_share_words(self, text: str) -> int:
        """The words loud ones are a share of: those of a cased script
        (``_CASED_WORD`` with a letter), and those of a script without case as
        ``words`` counts them: "MRI" twice in a Korean letter is two acronyms
        among fifty words, not a turn mostly in capitals."""
        cased = sum(1 for m in _CASED_WORD.finditer(text) if any(c.isalpha() for c in m.group()))
        return cased + self._dense_words(text)


def asks_something(text: str) -> bool:
    """Whether a customer turn asks something: a question mark, not one inside a link."""
    return _ASKS.search(text) is not None


def _compiled(pattern: str | None) -> regex.Pattern[str] | None:
    return compile_pattern(pattern) if pattern else None


#: How many (text, kinds) results ``EscalationDetector.measured`` keeps before
#: forgetting them all (a transcript's turns are measured close together).
_MEMO_TEXTS = 256

#: Per language: whether the detector reads its concepts (see ``_reads_concepts``).
_COVERED: weakref.WeakKeyDictionary[LanguageProfile, bool] = weakref.WeakKeyDictionary()


def detector_examples(language: str) -> dict[str, list[str]]:
    path = detector_dir() / f"{language}.toml"
    if not path.is_file():
        return {}
    examples = read_toml(path).get("examples", {})
    return {k: list(v) for k, v in examples.items()}
