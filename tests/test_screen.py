"""The screen changes no result: scan first, then judge, gives what judging everything gives.

Three comparisons, on the real corpora, the evaluation set, every rule
example and generated transcripts:

* each rule's check on a conversation whose hits come from the scan's
  candidates, against the same check finding its own candidates group by group;
* the linter skipping rules no leading group calls for (their logic type's
  ``quiet`` hook), against the linter checking every rule;
* the accelerator (google-re2) against the pure-Python literal engine.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from functools import cache
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from deescalate_lint import Linter, detection
from deescalate_lint import scan as scan_module
from deescalate_lint import screen as screen_module
from deescalate_lint.context import Conversation
from deescalate_lint.examples import parse_example
from deescalate_lint.model import Role, Transcript, Turn
from deescalate_lint.patterns import PatternGroup, PatternSpec
from deescalate_lint.readers import iter_sources, read_source
from deescalate_lint.rulepack import load_rules
from deescalate_lint.scan import NO_RE2_ENV, engine_name
from deescalate_lint.screen import Screen

REPO = Path(__file__).resolve().parent.parent
DEV_SET = REPO / "eval" / "sets" / "dev-2026-11"


def _read(paths: list[Path]) -> list[Transcript]:
    linter = Linter()
    out = []
    for source in iter_sources([str(p) for p in paths]):
        for item in read_source(source, linter.roles, None, {}):
            if isinstance(item, Transcript):
                out.append(item)
    return out


@cache
def example_transcripts() -> tuple[tuple[str, Transcript], ...]:
    out = []
    for rule in load_rules():
        for language, pack in sorted(rule.packs.items()):
            for source in (*pack.should_flag, *pack.should_not_flag):
                out.append((language, parse_example(source).transcript))
    return tuple(out)


def _outputs(
    linter: Linter, transcript: Transcript, language: str | None
) -> list[dict[str, object]]:
    return [r.to_dict() for r in linter.lint_transcript(transcript, language).results]


def _example_outputs() -> list[list[dict[str, object]]]:
    linter = Linter()
    return [
        _outputs(linter, transcript, language) for language, transcript in example_transcripts()
    ]


def _same_with_and_without_quiet(transcripts: list[tuple[str | None, Transcript]]) -> None:
    screened, checked = Linter(), Linter()
    checked.skip_quiet = False
    for language, transcript in transcripts:
        assert _outputs(screened, transcript, language) == _outputs(checked, transcript, language)


def _same_hits_as_unscanned(linter: Linter, transcript: Transcript, language: str) -> None:
    """Each rule's check, hits from the scan against hits found group by group."""
    codes = detection.turn_languages([t.text for t in transcript.turns], language, linter.languages)
    indexes = {c: linter._index(c) for c in set(codes) if c}
    screen = Screen.build(
        transcript, language, codes, indexes, linter.languages.profiles, len(linter.rules)
    )
    scanned = Conversation.from_screen(screen, linter.languages)
    plain = Conversation.build(transcript, language, codes, linter.languages)
    for rule in linter.rules:
        if language not in rule.packs:
            continue
        options = linter.options[rule.slug]
        got = [r.to_dict() for r in rule.logic_type.check(rule, scanned, options)]
        want = [r.to_dict() for r in rule.logic_type.check(rule, plain, options)]
        assert got == want, rule.slug


def test_examples_with_and_without_quiet_rules() -> None:
    _same_with_and_without_quiet([(language, t) for language, t in example_transcripts()])


@pytest.fixture()
def scanner_at_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """The candidate scanner from the first turn (it otherwise waits for
    ``CANDIDATES_AFTER`` checked turns), so the comparisons below exercise it."""
    monkeypatch.setattr(screen_module, "CANDIDATES_AFTER", 0)


@pytest.mark.usefixtures("scanner_at_once")
def test_examples_hits_from_the_scan() -> None:
    linter = Linter()
    for language, transcript in example_transcripts():
        _same_hits_as_unscanned(linter, transcript, language)


@pytest.mark.usefixtures("scanner_at_once")
def test_corpora_with_and_without_quiet_rules(corpora_dir: Path) -> None:
    transcripts = _read(sorted(corpora_dir.glob("*/*.jsonl")))
    assert len(transcripts) > 1000
    _same_with_and_without_quiet([(None, t) for t in transcripts])
    linter = Linter()
    for transcript in transcripts[:300]:
        _same_hits_as_unscanned(linter, transcript, "en")


def test_the_candidate_scanner_changes_no_result(monkeypatch: pytest.MonkeyPatch) -> None:
    """Turns that find their own candidates (before the scanner is compiled)
    and turns that take the scanner's give the same outputs."""
    transcripts = example_transcripts()
    monkeypatch.setattr(screen_module, "CANDIDATES_AFTER", 10**9)
    monkeypatch.setattr(screen_module, "built_scanner", lambda wanted: None)
    late = [_outputs(Linter(), t, language) for language, t in transcripts]
    monkeypatch.undo()
    monkeypatch.setattr(screen_module, "CANDIDATES_AFTER", 0)
    linter = Linter()
    assert [_outputs(linter, t, language) for language, t in transcripts] == late


def test_leads_read_from_each_turn_change_no_result(
    corpora_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Once the candidate scanner is compiled, the screen reads what leads from
    each turn's candidates (``TurnLead``) instead of a lead scan: every rule it
    leaves quiet gives what checking it would give, from the first transcript on.

    (Not "it leads wherever the lead scan does": the lead scan may lead where
    nothing can match, e.g. on a customer pattern it cannot screen in a
    transcript with no customer turn.)"""
    transcripts = [(language, t) for language, t in example_transcripts()]
    transcripts += [(None, t) for t in _read(sorted(corpora_dir.glob("*/*.jsonl")))[:400]]
    checked = Linter()
    checked.skip_quiet = False
    want = [_outputs(checked, transcript, language) for language, transcript in transcripts]
    screened = Linter()
    for code in screened.languages.profiles:
        screened._index(code).candidates(now=True)
    modes: list[bool] = []
    build = Screen.build.__func__  # type: ignore[attr-defined]

    def recording(cls: type[Screen], *args: object) -> Screen:
        found = build(cls, *args)
        modes.append(found._scanned is not None)
        return found

    monkeypatch.setattr(Screen, "build", classmethod(recording))
    got = [_outputs(screened, transcript, language) for language, transcript in transcripts]
    monkeypatch.undo()
    assert got == want
    assert sum(modes) > 0.9 * len(transcripts)


def test_dev_set_with_and_without_quiet_rules() -> None:
    transcripts = _read(sorted(DEV_SET.glob("*.jsonl")))
    assert transcripts
    _same_with_and_without_quiet([(None, t) for t in transcripts])
    linter = Linter()
    for transcript in transcripts:
        _same_hits_as_unscanned(linter, transcript, transcript.language or "en")


# -- generated transcripts ---------------------------------------------------------


@cache
def lines() -> dict[str, tuple[tuple[Role, str], ...]]:
    """Per language, every turn of every example (and a few shouted ones)."""
    out: dict[str, list[tuple[Role, str]]] = {}
    for language, transcript in example_transcripts():
        out.setdefault(language, []).extend((t.role, t.text) for t in transcript.turns)
    for language in out:
        out[language] += [
            (Role.CUSTOMER, "THIS IS THE WORST SERVICE EVER!!"),
            (Role.CUSTOMER, "WHY IS NOBODY HELPING ME?!"),
            (Role.AGENT, "I HAVE TOLD YOU ALREADY, READ THE EMAIL!!"),
            (Role.CUSTOMER, "ok"),
            (Role.AGENT, ""),
        ]
    return {k: tuple(dict.fromkeys(v)) for k, v in out.items()}


@st.composite
def transcripts(draw: st.DrawFn) -> tuple[str, Transcript]:
    language = draw(st.sampled_from(sorted(lines())))
    chosen = draw(st.lists(st.sampled_from(lines()[language]), min_size=1, max_size=7))
    timed = draw(st.booleans())
    turns = []
    clock = 0.0
    for role, text in chosen:
        if draw(st.booleans()):
            role = draw(st.sampled_from([Role.AGENT, Role.CUSTOMER]))
        start = end = None
        if timed:
            start = clock - draw(st.sampled_from([0.0, 0.3, 1.0, 2.5]))
            end = start + draw(st.sampled_from([0.5, 2.0, 6.0]))
            clock = end
        turns.append(Turn(role.value, role, text, max(start, 0.0) if timed else None, end))
    template = len(turns) == 1 and draw(st.booleans())
    given_language = draw(st.sampled_from([language, None]))
    return given_language or "", Transcript(tuple(turns), template=template)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(transcripts())
def test_generated_transcripts_with_and_without_quiet_rules(
    drawn: tuple[str, Transcript],
) -> None:
    language, transcript = drawn
    _same_with_and_without_quiet([(language or None, transcript)])
    if language:
        _same_hits_as_unscanned(_linter(), transcript, language)


@cache
def _linter() -> Linter:
    return Linter()


# -- the two engines ---------------------------------------------------------------


def _all_outputs(paths: list[Path]) -> Iterator[str]:
    for item in Linter().lint_paths([str(p) for p in paths]):
        yield json.dumps(item.to_dict() if hasattr(item, "to_dict") else str(item))


def test_the_literal_engine_gives_the_same_results(
    monkeypatch: pytest.MonkeyPatch, corpora_dir: Path
) -> None:
    """The corpora, the evaluation set and every rule example, under both engines.

    With the examples compared here, CI's second run without the accelerator
    need not lint every example again (it was a fifth of CI's time)."""
    paths = [*sorted(corpora_dir.glob("*/*.jsonl")), *sorted(DEV_SET.glob("*.jsonl"))]
    first = list(_all_outputs(paths))
    first_examples = _example_outputs()
    other = "literals" if engine_name() == "re2" else "re2"
    if other == "literals":
        monkeypatch.setenv(NO_RE2_ENV, "1")
    else:
        pytest.importorskip("re2")
        monkeypatch.delenv(NO_RE2_ENV, raising=False)
    assert engine_name() == other
    assert list(_all_outputs(paths)) == first
    assert _example_outputs() == first_examples


def test_a_prefilter_re2_refuses_is_always_a_candidate() -> None:
    """RE2 may refuse a prefilter (too big for its memory): that entry is then
    a candidate wherever its literals are, never silently dropped."""
    re2 = pytest.importorskip("re2")

    class Refused:
        def __init__(self, pattern: bytes, options: object) -> None:
            pass

        def ok(self) -> bool:
            return False

    class FakeRe2:
        Options = re2.Options

        class _re2:
            class RE2:
                Anchor = re2._re2.RE2.Anchor

                def __new__(cls, pattern: bytes, options: object) -> Refused:
                    return Refused(pattern, options)

    group = PatternGroup.build("test", [PatternSpec("a", r"call\s+back")], True, True)
    entries = [scan_module.Entry((body,), True, True) for body in group.bodies]
    engine = scan_module._Re2Engine(FakeRe2, entries)
    literal = scan_module._LiteralEngine(entries)
    for text in ("I'll call  back", "no match here", "CALL BACK"):
        assert engine.match(text) == literal.match(text)


def test_every_english_candidate_survives_the_whole_scanner() -> None:
    """A pattern among all of a language's prefilters is still found where it
    matches (RE2's FilteredRE2 dropped this one: scan.py says why it is not used)."""
    linter = Linter()
    scanner = linter._index("en").candidates(now=True)
    assert scanner is not None
    rule = next(r for r in linter.rules if r.slug == "over-apologising")
    group = rule.packs["en"].group("flagged")
    assert group is not None
    text = "Oops, sorry, sorry, sorry! We messed up your order."
    wanted = [i for i, _ in enumerate(group.bodies) if group._single(i).search(text)]
    assert wanted
    found = scanner.candidates(scanner.scan(text)).get(id(group), ())
    assert set(wanted) <= set(found)
