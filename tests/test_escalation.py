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
        # Nor a masked number: X's only.
        ("등록된 번호가 010-XXXX-XXXX 맞으시죠?", []),
        ("고객님 번호 XXXX-XXXX로 문자 드렸습니다", []),
        ("the card ending XXXX XXXX is blocked", []),
        ("XXL OR XXXL SIZES ONLY", [("shouting", "XXL OR XXXL SIZES ONLY")]),
        # Weighed against every word of the turn, Hangul and Han too: two acronyms in a
        # Korean sentence are not a turn mostly in capitals; Latin capitals alone still are.
        ("외래 진료 때 MRI 검사를 받지 않으셨는데 영수증에 MRI 42만 원이 포함되었습니다", []),
        ("我要退款 REFUND NOW", [("shouting", "REFUND NOW")]),
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


@given(st.text(alphabet="AZaßẞ'@#_1 中ǅİıÉé.!?KFYUSBX", max_size=16))
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
        and m.group().rstrip("X") != ""
        and m.group().casefold() not in detector.acronyms
    ]
    assert [(m.start(), m.end()) for m in detector._loud_words(text)] == expected


# A long account (detector.toml [long_account]): many words and one word-level sign.
_LONG_STORY = (
    "I bought the season pass for my son in March, he used it twice, then the app "
    "logged him out and now it says the pass belongs to another account, I've "
    "reinstalled it, reset the password, checked the email, and it still doesn't work."
)


def _state(text: str, language: str = "en") -> tuple[bool, list[str]]:
    turn = Turn(speaker="customer", role=Role.CUSTOMER, text=text)
    convo = Conversation.build(Transcript((turn,)), language, [language])
    state = EscalationDetector.default().assess(convo, convo.views[0])
    return state.escalated, [s.kind for s in state.signals]


def test_a_long_account_with_one_sign_is_upset() -> None:
    upset, kinds = _state(_LONG_STORY)
    assert upset and kinds[-1] == "long account"


def test_the_same_sign_in_a_short_turn_is_not() -> None:
    assert _state("It still doesn't work.")[0] is False


def test_a_long_account_without_a_sign_is_not_upset() -> None:
    calm = _LONG_STORY.replace(", and it still doesn't work", ", could you check it for me")
    assert _state(calm) == (False, [])


def test_a_sign_of_the_situation_does_not_make_a_long_account_upset() -> None:
    # "was hacked" is marked renews = false in the English concepts: a fact, not a feeling.
    text = (
        "Hello, my account was hacked about eleven days ago, I changed the password and "
        "turned on two-step verification, but I cannot change the username for nineteen "
        "days, could you change it back for me please?"
    )
    upset, kinds = _state(text)
    assert upset is False and "long account" not in kinds


def test_chinese_counts_characters_as_words() -> None:
    detector = EscalationDetector.default()
    assert detector.words("我上个月买的洗衣机") == 4  # 9 characters, 2 to a word
    assert detector.words("I paid 200 euros") == 4


@pytest.mark.parametrize(
    ("text", "shouted"),
    [
        ("Ma'am, CALM DOWN, I'm doing what I can.", ["CALM DOWN"]),
        (
            "I ALREADY EXPLAINED THE POLICY. If you keep going like this we stop.",
            ["ALREADY EXPLAINED THE POLICY"],
        ),
        # A menu item after ">" (plain or escaped) is a path to click, not a raised voice.
        ("Open the app, go to Settings, then > CONTACT SUPPORT NOW. We reply within a day.", []),
        ("Menu>CONTACT SUPPORT NOW and wait for the form.", []),
        ("Choose Help &gt; I STILL NEED HELP and send it.", []),
        # Codes and short acronyms are not shouting: no loud word of four letters.
        ("Your booking code is AKL-WLG, the flight leaves at nine.", []),
        ("No capitals here at all, just a calm answer.", []),
    ],
)
def test_shouted_clauses(text: str, shouted: list[str]) -> None:
    """A clause in capitals is shouted on its own; menu items and codes are not."""
    found = EscalationDetector.default().shouted_clauses(text)
    assert [s.text for s in found] == shouted
    assert all(s.kind == "shouting" for s in found)
