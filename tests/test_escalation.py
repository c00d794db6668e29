"""The customer-escalation detector's own examples, in every language that has them."""

from __future__ import annotations

import pytest

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
