"""The phrase logic's `bare` group: a rule given as the whole answer counts only
in an agent turn that holds no `offer` phrase and no other trigger, and a turn's
bare phrases are one finding."""

from __future__ import annotations

import deescalate_lint as dl


def _defensive(*texts: str, language: str = "en") -> list[str]:
    """Defensive-phrasing evidence in turns that alternate customer, agent, customer..."""
    linter = dl.Linter(select=["defensive-phrasing"])
    speakers = ("customer", "agent")
    turns = [{"speaker": speakers[i % 2], "text": text} for i, text in enumerate(texts)]
    return [f.evidence for f in linter.lint({"language": language, "turns": turns})]


def test_a_bare_rule_as_the_whole_answer_is_flagged() -> None:
    assert _defensive(
        "This is a disgrace, I'm furious! Why am I paying this?!", "Fees are set by the company."
    ) == ["Fees are set by the company"]


def test_the_same_rule_with_an_offer_is_not() -> None:
    turns = (
        "This is a disgrace, I'm furious! Why am I paying this?!",
        "Fees are set by the company. I'll ask for a waiver now.",
    )
    assert _defensive(*turns) == []
    turns = (
        "Das ist eine Frechheit, ich bin stinksauer!",
        "Eine Erstattung ist nicht möglich, aber ich kann Ihnen einen Gutschein geben.",
    )
    assert _defensive(*turns, language="de") == []


def test_a_turns_bare_phrases_are_one_finding_of_their_sentences() -> None:
    turns = (
        "This is a disgrace, I'm furious! I want my money back.",
        "Fees are set by the company. Please refer to our previous letter.",
    )
    assert _defensive(*turns) == [
        "Fees are set by the company. Please refer to our previous letter"
    ]


def test_a_calm_customer_is_answered_not_brushed_off() -> None:
    # bare-when-upset: the same rule is an answer to a calm question.
    assert _defensive("Quick question, why is there a fee?", "Fees are set by the company.") == []


def test_a_trigger_in_the_turn_is_the_finding_alone() -> None:
    turns = (
        "This is a disgrace, I'm furious! I want my money back.",
        "Fees are set by the company. Rules are rules.",
    )
    assert _defensive(*turns) == ["Rules are rules"]
