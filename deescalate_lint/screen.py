"""The screen: one scan of each turn, and which rules a transcript needs judging by.

``LanguageIndex`` (one per linter and language) knows every pattern group its
rules and the escalation detector read in that language, and, per rule, the
ones that *lead*: groups whose hit can give a finding on its own (a trigger),
as opposed to groups that only qualify hits of others (backchannels, a
customer's request). ``Screen`` scans a transcript once
(``scan.py``) and tells, per rule, whether any leading group has a candidate
in a turn where that group is searched: with a lead scan of all the turns of
a language together (``Lead``) until that language's candidate scanner is
compiled, and from then on by scanning each turn for its candidates, which
the rules then reuse (``TurnLead``). A rule with none is *quiet* on the
transcript: its logic type's ``quiet`` hook gives what its check would give
(usually nothing, or a notice), without building the conversation, locating
quotes or running a single ``regex``. Most real transcripts are quiet for
every rule (issue #14: 27 % have any candidate at all).

The screen is exact, not approximate: every candidate set is a superset of
the patterns that match (``prefilter.py``, ``literals.py``), and the quiet
hooks are compared with the checks themselves (tests/test_screen.py).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .escalation import EscalationDetector
from .languages import LanguageProfile
from .model import Role, Transcript, Turn
from .patterns import NO_STARTS, PatternGroup
from .scan import EACH, TAGS, Look, Scanner, built_scanner, scanner
from .textprep import analyse

if TYPE_CHECKING:
    from .rulepack import Rule

_ROLES = (Role.AGENT, Role.CUSTOMER)
#: Checked turns of a language that find their own candidates before its
#: candidate scanner is compiled (``LanguageIndex.candidates``).
CANDIDATES_AFTER = 64
#: A turn that has not asked for its language's candidate scanner yet.
_UNASKED = object()


class LanguageIndex:
    """What the screen looks for in one language, and which of it leads, per rule.

    ``candidates`` holds every group (a turn's candidates, for the rules that
    are checked); ``lead`` only the groups that lead, in turns of the role each
    is searched in (the screen's question), each looked for as its ``GroupSpec``
    allows (at the end of a turn, or as several hits), and the escalation
    detector's listed signals in customer turns (could the customer be upset
    at all?). Each is built on first use: a transcript no rule is checked on
    never needs ``candidates``.
    """

    def __init__(
        self, rules: Sequence[Rule], options: Sequence[Mapping[str, Any]], lang: LanguageProfile
    ) -> None:
        self.profile = lang
        self.rules = rules
        self.options = options
        self._lead: Lead | None = None
        self._turn_lead: TurnLead | None = None
        #: Per role (None: every group), its compiled candidate scanner.
        self._candidates: dict[Role | None, Scanner] = {}
        #: Per role (None: every group), the groups its scanner covers, each
        #: looked for on its own; and how many turns asked.
        self._wanted: dict[Role | None, list[tuple[PatternGroup, Look]]] | None = None
        self._asked = 0

    def candidates(self, role: Role | None = None, now: bool = False) -> Scanner | None:
        """The candidate scanner of ``role``'s turns (None: of every group of the
        language), or None while too few turns have asked for it (``now``: build
        it whatever the count, as a benchmark of it does).

        Compiling it is a quarter of a cold start, and repays itself only over
        many turns: the first ``CANDIDATES_AFTER`` turns that are checked find
        their own candidates (``PatternGroup.candidates``, literals), which gives
        the same hits, unless another linter of the process compiled it already.
        Both roles' scanners are compiled together (``TurnLead`` reads both).
        """
        found = self._candidates.get(role)
        if found is None:
            wanted = self._wanted
            if wanted is None:
                wanted = self._wanted = self._groups_by_role()
            self._asked += 1
            build = now or self._asked > CANDIDATES_AFTER
            for key in (*_ROLES, role):
                if key not in self._candidates:
                    made = scanner(wanted[key]) if build else built_scanner(wanted[key])
                    if made is not None:
                        self._candidates[key] = made
            found = self._candidates.get(role)
        return found

    def _groups_by_role(self) -> dict[Role | None, list[tuple[PatternGroup, Look]]]:
        """Every group of the language, and per role the groups searched in its
        turns (``GroupSpec.searched_in``; the detector's in customer turns).

        Why per role: a turn is scanned only for what can be asked of it (an
        agent's turn never for the detector's insults, a customer's never for
        an agent's phrasing), about half the entries. A group asked of a turn
        its role's scanner does not cover finds its own candidates
        (``ScreenedTurn.candidates``), with the same hits."""
        every: list[PatternGroup] = []
        by_role: dict[Role, list[PatternGroup]] = {role: [] for role in _ROLES}
        for rule in self.rules:
            pack = rule.packs.get(self.profile.code)
            if pack is None:
                continue
            roles: dict[int, set[Role]] = {}
            for spec in rule.logic_type.groups:
                group = pack.group(spec.name)
                if group is not None:
                    roles.setdefault(id(group), set()).add(Role(spec.searched_in))
            for group in pack.groups.values():
                if group.specs:
                    every.append(group)
                    for role in roles.get(id(group), _ROLES):
                        by_role[role].append(group)
        detector = list(detector_groups(self.profile).values())
        every += detector
        by_role[Role.CUSTOMER] += detector
        out: dict[Role | None, list[tuple[PatternGroup, Look]]] = {
            role: _unique((g, EACH) for g in groups) for role, groups in by_role.items()
        }
        out[None] = _unique((g, EACH) for g in every)
        return out

    @property
    def lead(self) -> Lead:
        if self._lead is None:
            self._lead = Lead(self.rules, self.options, self.profile)
        return self._lead

    def turn_lead(self) -> TurnLead | None:
        """What leads by the roles' candidate scanners, once those are compiled
        (never compiles them: a turn asking for candidates does)."""
        if self._turn_lead is None:
            scanners = {role: self._candidates.get(role) for role in _ROLES}
            if any(found is None for found in scanners.values()):
                return None
            self._turn_lead = TurnLead(
                self.rules,
                self.options,
                self.profile,
                {role: found for role, found in scanners.items() if found is not None},
            )
        return self._turn_lead


@dataclass(frozen=True)
class Leader:
    """A group that leads for a rule: searched in the turns of ``role``, and
    needed at the end of a turn (``at_end``) or ``repeat`` times (0: once)."""

    group: PatternGroup
    role: Role
    at_end: bool = False
    repeat: int = 0


def rule_leaders(
    rules: Sequence[Rule], options: Sequence[Mapping[str, Any]], lang: LanguageProfile
) -> list[list[Leader]]:
    """Per rule (in the linter's order), the groups of ``lang`` that lead for it:
    its leading groups, and for a rule the detector leads the detector's listed
    signals in customer turns."""
    listed = listed_signals(lang)
    out: list[list[Leader]] = []
    for rule, rule_options in zip(rules, options, strict=True):
        leaders: list[Leader] = []
        out.append(leaders)
        if rule.logic_type.detector_leads:
            # Whatever the rule's own packs: a customer turn in another
            # language than the conversation's is judged in its own.
            leaders += [Leader(group, Role.CUSTOMER) for group in listed]
        pack = rule.packs.get(lang.code)
        if pack is None:
            continue
        for spec in rule.logic_type.groups:
            group = pack.group(spec.name)
            if not spec.leads or not group or not group.specs:
                continue
            repeat = spec.leads_from(rule_options) if spec.leads_from is not None else 0
            leaders.append(
                Leader(group, Role(spec.searched_in), spec.at_end, repeat if repeat > 1 else 0)
            )
    return out


def listed_signals(lang: LanguageProfile) -> list[PatternGroup]:
    """The escalation detector's listed signals in ``lang`` (none when it reads none)."""
    signals = detector_groups(lang)
    return [signals[k] for k in EscalationDetector.default().listed_signals if k in signals]


class Lead:
    """The groups that lead in one language's turns, each tagged with the role
    whose turns it is searched in (one scan covers both roles: ``scan_tagged``),
    and per rule the entries that lead, when each role speaks only this language
    and when one does not."""

    def __init__(
        self, rules: Sequence[Rule], options: Sequence[Mapping[str, Any]], lang: LanguageProfile
    ) -> None:
        customer = Look(tag=TAGS[1])
        listed = listed_signals(lang)
        wanted: list[list[tuple[PatternGroup, Look, Look]]] = []
        for leaders in rule_leaders(rules, options, lang):
            leads: list[tuple[PatternGroup, Look, Look]] = []
            wanted.append(leads)
            for leader in leaders:
                tag = TAGS[_ROLES.index(leader.role)]
                look = Look(at_end=leader.at_end, tag=tag)
                # Hits in turns of other languages count too, so a repeat is
                # demanded only when every turn of the role is in this language.
                alone = Look(repeat=leader.repeat, tag=tag) if leader.repeat else look
                leads.append((leader.group, alone, look))
        looked = [(g, look) for leads in wanted for g, a, b in leads for look in (a, b)]
        self.scanner: Scanner = scanner(_unique([*looked, *((g, customer) for g in listed)]))
        #: Per rule (in the linter's order): the entries that lead, when each
        #: role speaks only this language and when one does not.
        self.leading: tuple[tuple[frozenset[int], frozenset[int]], ...] = tuple(
            (
                frozenset().union(*(self.scanner.entries(g, a) for g, a, _ in leads)),
                frozenset().union(*(self.scanner.entries(g, b) for g, _, b in leads)),
            )
            for leads in wanted
        )
        #: The entries that are the detector's listed signals in customer turns.
        self.signals: frozenset[int] = frozenset().union(
            *(self.scanner.entries(g, customer) for g in listed)
        )
        #: Every entry that leads for some rule (a scan with none of them: no rule leads).
        self.any_lead: frozenset[int] = frozenset().union(*(a | b for a, b in self.leading))


class TurnLead:
    """What leads in one language, read from each turn's own candidates (the
    candidate scanner's), when that scanner is compiled: then the screen scans
    each turn once, and the rules reuse those candidates, where a lead scan of
    the transcript would read every text twice (on the real corpora nine in ten
    transcripts have a rule to check, so nearly every turn is scanned for
    candidates anyway).

    Each leading group counts with a candidate of any of its patterns anywhere
    in a turn of its role (where the lead scan can ask for a match at the end
    of a turn, or for several): the rules read these same candidates, so a
    rule left quiet has no candidate it could have judged. ``always`` and
    ``signals_covered`` guard groups the candidate scanner does not cover;
    today it covers every group of every rule and the detector's signals
    (``LanguageIndex.candidates``).
    """

    def __init__(
        self,
        rules: Sequence[Rule],
        options: Sequence[Mapping[str, Any]],
        lang: LanguageProfile,
        candidates: Mapping[Role, Scanner],
    ) -> None:
        #: Per role, the language's candidate scanner of its turns, whose candidates are read.
        self.scanners = candidates
        by_group: dict[tuple[int, Role], list[int]] = {}
        always: list[int] = []
        for position, leaders in enumerate(rule_leaders(rules, options, lang)):
            for leader in leaders:
                if not candidates[leader.role].covers(leader.group):
                    always.append(position)  # no candidates known: it may lead
                by_group.setdefault((id(leader.group), leader.role), []).append(position)
        #: Per (group id, role): the rules (by position) that group leads in turns of that role.
        self.by_group = {key: tuple(found) for key, found in by_group.items()}
        #: Rules that lead whenever a turn of this language has text.
        self.always = tuple(sorted(set(always)))
        listed = listed_signals(lang)
        #: The ids of the detector's listed signals.
        self.signals = frozenset(id(group) for group in listed)
        self.signals_covered = all(candidates[Role.CUSTOMER].covers(group) for group in listed)


def _unique(groups: Iterable[tuple[PatternGroup, Look]]) -> list[tuple[PatternGroup, Look]]:
    return list({(id(group), look): (group, look) for group, look in groups}.values())


def detector_groups(lang: LanguageProfile) -> dict[str, PatternGroup]:
    """The concept groups the escalation detector reads in ``lang`` (none when
    the language lacks one of its listed signals: it then reads none)."""
    detector = EscalationDetector.default()
    out = {}
    if not detector.missing_concepts(lang):
        out = {name: lang.concept(name) for name in detector.listed_signals}
    if detector.calm_concept in lang.concepts:
        out[detector.calm_concept] = lang.concept(detector.calm_concept)
    return out


class Spoken:
    """What a turn seen by the rules says about its speaker (``turn`` is a ``Turn``)."""

    turn: Turn

    @property
    def is_agent(self) -> bool:
        return self.turn.role is Role.AGENT

    @property
    def is_customer(self) -> bool:
        return self.turn.role is Role.CUSTOMER


class ScreenedTurn(Spoken):
    """One turn as the screen saw it: its analysis text, and the entries of its
    language's candidate scanner that may match (scanned by the screen itself,
    ``TurnLead``, or else when a rule first asks)."""

    __slots__ = (
        "_candidates",
        "_scanner",
        "_starts",
        "analysis",
        "index",
        "language",
        "lookup",
        "placeholders",
        "profile",
        "turn",
    )

    def __init__(
        self,
        index: int,
        turn: Turn,
        language: str | None,
        profile: LanguageProfile | None,
        analysis: str,
        placeholders: tuple[tuple[int, int], ...],
        lookup: LanguageIndex | None,
        scanned: Scanned | None = None,
    ) -> None:
        self.index = index
        self.turn = turn
        self.language = language
        self.profile = profile
        self.analysis = analysis
        self.placeholders = placeholders
        self.lookup = lookup
        self._candidates: dict[int, tuple[int, ...]] = {}
        self._starts: dict[int, dict[int, int]] = {}
        self._scanner: Scanner | object | None = _UNASKED
        if scanned is not None:  # the screen scanned it already
            self._scanner, self._candidates, self._starts = scanned

    @property
    def text(self) -> str:
        return self.analysis

    def candidates(self, group: PatternGroup) -> tuple[int, ...] | None:
        """The patterns of ``group`` that may match in this turn (in order), or
        None when the scan does not cover the group (it then finds its own)."""
        if self._scanner is _UNASKED:
            # Asked once per turn: the language's scanner, if it is compiled yet.
            found = self.lookup.candidates(self.turn.role) if self.lookup is not None else None
            self._scanner = found
            if found is not None and self.analysis:
                self._candidates, self._starts = found.scan_starts(self.analysis)
        scanner = self._scanner
        if not isinstance(scanner, Scanner) or not scanner.covers(group):
            return None
        return self._candidates.get(id(group), ())

    def starts(self, group: PatternGroup) -> Mapping[int, int]:
        """For some of ``candidates(group)``: the offset before which none of the
        pattern's matches starts (``Scanner.scan_starts``); call after ``candidates``."""
        return self._starts.get(id(group), NO_STARTS)


class Screen:
    """A transcript's turns as the screen saw them, and per rule whether it leads.

    Built for every transcript, so lean: the turns' analysis texts in a list,
    their ``ScreenedTurn`` views made only when a rule is checked (``turns``).
    """

    def __init__(
        self,
        transcript: Transcript,
        language: str,
        codes: Sequence[str | None],
        analysed: list[tuple[str, tuple[tuple[int, int], ...]]],
        led: list[bool],
        signals: bool,
        scanned: Sequence[Scanned | None] | None,
        indexes: Mapping[str, LanguageIndex],
        profiles: Mapping[str, LanguageProfile],
        timed: bool,
        roles: frozenset[Role],
    ) -> None:
        self.transcript = transcript
        self.language = language
        self._codes = codes
        self._analysed = analysed
        #: Per rule (in the linter's order): a leading group may have a hit.
        self.led = led
        #: Whether a customer turn may hold one of the detector's listed signals.
        self._signals = signals
        #: Per turn, its candidates when the screen scanned each turn (``TurnLead``).
        self._scanned = scanned
        self._indexes = indexes
        self._profiles = profiles
        self._turns: list[ScreenedTurn] | None = None
        #: Whether every turn has a start and an end time (``Transcript.has_timing``).
        self.timed = timed
        #: The roles that speak in it.
        self.roles = roles

    @classmethod
    def build(
        cls,
        transcript: Transcript,
        language: str,
        turn_languages: Sequence[str | None],
        indexes: Mapping[str, LanguageIndex],
        profiles: Mapping[str, LanguageProfile],
        rules: int,
    ) -> Screen:
        """Each turn's analysis text, and what leads (``rules``: how many): from
        each turn's candidates when every language's candidate scanner is
        compiled, else from one lead scan per language of all its turns together."""
        analysed = []
        texts: dict[str, list[tuple[str, str]]] = {}
        languages: dict[Role, set[str]] = {}
        turns = transcript.turns
        timed = bool(turns)
        roles = set()
        for turn, code in zip(turns, turn_languages, strict=True):
            profile = profiles.get(code) if code else None
            found = analyse(turn.text, profile.fold_map if profile else None)
            analysed.append(found)
            role = turn.role
            roles.add(role)
            if timed and (turn.start is None or turn.end is None):
                timed = False
            if code and found[0]:
                texts.setdefault(code, []).append((TAGS[_ROLES.index(role)], found[0]))
                languages.setdefault(role, set()).add(code)
        led = [False] * rules
        turn_leads = {code: indexes[code].turn_lead() for code in texts}
        if texts and all(found is not None for found in turn_leads.values()):
            scanned, signals = _lead_by_turns(turns, turn_languages, analysed, turn_leads, led)
        else:
            scanned, signals = None, _lead_by_scan(texts, languages, indexes, led)
        return cls(
            transcript,
            language,
            turn_languages,
            analysed,
            led,
            signals,
            scanned,
            indexes,
            profiles,
            timed,
            frozenset(roles),
        )

    @property
    def turns(self) -> list[ScreenedTurn]:
        """Each turn as the screen saw it, with its candidates (made on first use)."""
        if self._turns is None:
            self._turns = [
                ScreenedTurn(
                    i,
                    turn,
                    code,
                    self._profiles.get(code) if code else None,
                    analysis,
                    placeholders,
                    self._indexes.get(code) if code else None,
                    self._scanned[i] if self._scanned is not None else None,
                )
                for i, (turn, code, (analysis, placeholders)) in enumerate(
                    zip(self.transcript.turns, self._codes, self._analysed, strict=True)
                )
            ]
        return self._turns

    def texts(self, role: Role) -> list[str]:
        """The analysis texts of one role's turns, in order."""
        return [
            analysis
            for turn, (analysis, _) in zip(self.transcript.turns, self._analysed, strict=True)
            if turn.role is role
        ]

    def languages(self, role: Role) -> list[LanguageProfile | None]:
        """The language profiles of one role's turns, in order."""
        return [
            self._profiles.get(code) if code else None
            for turn, code in zip(self.transcript.turns, self._codes, strict=True)
            if turn.role is role
        ]

    def may_be_upset(self, threshold: int = 0) -> bool:
        """Whether the escalation detector could find the customer upset at any
        point (``EscalationDetector.moods`` is all calm otherwise): a candidate
        of one of its listed signals in a customer turn, or enough measured ones
        to reach ``threshold`` (0: the detector's)."""
        if self._signals:
            return True
        detector = EscalationDetector.default()
        most = sum(detector.measured_most(text) for text in self.texts(Role.CUSTOMER))
        return most >= (threshold or detector.threshold)


#: A turn's candidates as the screen found them: the scanner, and per group (by id)
#: the indices of its patterns that may match (``Scanner.candidates``).
Scanned = tuple[Scanner, dict[int, tuple[int, ...]], dict[int, dict[int, int]]]


def _lead_by_turns(
    turns: Sequence[Turn],
    turn_languages: Sequence[str | None],
    analysed: Sequence[tuple[str, tuple[tuple[int, int], ...]]],
    turn_leads: Mapping[str, TurnLead | None],
    led: list[bool],
) -> tuple[list[Scanned | None], bool]:
    """Each turn's candidates, and from them (``TurnLead``) the rules that lead
    (set in ``led``) and whether a customer turn may hold a listed signal."""
    scanned: list[Scanned | None] = []
    signals = False
    for turn, code, (analysis, _) in zip(turns, turn_languages, analysed, strict=True):
        lead = turn_leads.get(code) if code and analysis else None
        if lead is None:
            scanned.append(None)
            continue
        role = turn.role
        scanner = lead.scanners[role]
        found, starts = scanner.scan_starts(analysis)
        scanned.append((scanner, found, starts))
        for position in lead.always:
            led[position] = True
        by_group = lead.by_group
        for group in found:
            for position in by_group.get((group, role), ()):
                led[position] = True
        if role is Role.CUSTOMER and not signals:
            signals = not lead.signals_covered or not lead.signals.isdisjoint(found)
    return scanned, signals


def _lead_by_scan(
    texts: Mapping[str, list[tuple[str, str]]],
    languages: Mapping[Role, set[str]],
    indexes: Mapping[str, LanguageIndex],
    led: list[bool],
) -> bool:
    """One lead scan per language of all its turns together (``Lead``): the rules
    that lead (set in ``led``), and whether a customer turn may hold a listed signal."""
    found_by: dict[str, tuple[int, ...] | None] = {}
    # A role that speaks in more than one language: a repeat may be spread out.
    mixed = any(len(codes) > 1 for codes in languages.values())
    for code, tagged in texts.items():
        lead = indexes[code].lead
        found_by[code] = hits = lead.scanner.scan_tagged(tagged)
        if hits is None:  # a text holds a tag character: roles cannot be told apart
            led[:] = [True] * len(led)
            break
        if not hits or lead.any_lead.isdisjoint(hits):
            continue
        for position, leads in enumerate(lead.leading):
            if not led[position] and not leads[mixed].isdisjoint(hits):
                led[position] = True
    return any(
        found is None or not indexes[code].lead.signals.isdisjoint(found)
        for code, found in found_by.items()
    )
