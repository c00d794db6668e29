"""The customer-escalation detector's own examples, in every language that has them."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from deescalate_lint.context import Conversation
from deescalate_lint.escalation import EscalationDetector, detector_dir, detector_examples
from deescalate_lint.model import Role, Transcript, Turn

LANGUAGES = sorted(p.stem for p in detector_dir().glob("*.toml") if p.stem != "detector")
MIN_EXAMPLES = 12


def _cases() -> list[object]:
    cases = []
    for language in LANGUAGES:
        examples = detector_examples(language)
        for kind in ("escalated", "calm"):
            for index, text in enumerate(examples.get(kind, [])):
                cases.append(pytest.param(language, kind, text, id=f"{language}-{kind}-{index}"))
    return cases


def assess(text: str, language: str) -> bool:
    turn = Turn(speaker="customer", role=Role.CUSTOMER, text=text)
    convo = Conversation.build(Transcript((turn,)), language, [language])
    return EscalationDetector.default().assess(convo, convo.views[0]).escalated


@pytest.mark.parametrize(("language", "kind", "text"), _cases())
def test_detector_example(language: str, kind: str, text: str) -> None:
    assert assess(text, language) is (kind == "escalated")


@pytest.mark.parametrize("language", LANGUAGES)
def test_detector_has_examples(language: str) -> None:
    examples = detector_examples(language)
    assert len(examples.get("escalated", [])) >= MIN_EXAMPLES
    assert len(examples.get("calm", [])) >= MIN_EXAMPLES


def _measured(text: str) -> list[tuple[str, str]]:
    detector = EscalationDetector.default()
    return [(s.kind, s.text) for s in detector.measured(text, detector.measured_kinds)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # One stressed word weighs 1: with "??" or "!!" the turn is upset.
        ("I want someone to actually FIND it", [("emphasis", "FIND")]),
        ("It's YOUR router, not mine.", [("emphasis", "YOUR")]),
        ("Das war das ANDERE Bein??", [("emphasis", "ANDERE"), ("exclaiming", "??")]),
        ("Mä en oo IKINÄ tilannut tätä", [("emphasis", "IKINÄ")]),
        # A whole turn in capitals is shouting, not emphasis.
        ("WHERE IS MY REFUND", [("shouting", "WHERE IS MY REFUND")]),
        # Not stress: acronyms and brands, short words, codes with digits, handles.
        ("I paid with VISA through PAYPAL", []),
        ("my IBAN and the PIN are fine", []),
        ("The code is KFY4AOHGQ", []),
        ("cc @DOJPH and @HMRCcustomers", []),
        ("It's OK, see the FAQ", []),
    ],
)
def test_measured_signals(text: str, expected: list[tuple[str, str]]) -> None:
    assert _measured(text) == expected


@pytest.mark.parametrize(
    ("text", "upset"),
    [
        ("that was the OTHER leg. did anyone even read the records??", True),
        ("I ticked NUT ALLERGY on the order!! he's ok I think", True),
        ("I want someone to actually FIND it", False),  # one stressed word alone: 1 of 2
        ("Order KFY4AOHGQ, delivery to ZIP 10001, thanks", False),
    ],
)
def test_emphasis_adds_to_other_signals(text: str, upset: bool) -> None:
    assert assess(text, "en") is upset


@given(st.text(alphabet="AZaßẞ'@#_1 中ǅİıÉé.!?KFYUSB", max_size=16))
def test_loud_words_are_the_cased_words_in_capitals(text: str) -> None:
    """The one-search finder of words in capitals against the definition, word by word."""
    from deescalate_lint.escalation import _CASED_WORD

    detector = EscalationDetector.default()
    min_letters = int(detector.shouting.get("min_letters", 3))
    expected = [
        (m.start(), m.end())
        for m in _CASED_WORD.finditer(text)
        if len(m.group()) >= min_letters
        and m.group().replace("ß", "").isupper()
        and m.group().casefold() not in detector.acronyms
    ]
    assert [(m.start(), m.end()) for m in detector._loud_words(text)] == expected
