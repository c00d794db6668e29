"""The phrase logic's `answer` group: a dare ("Go ahead", 投吧) is hostile only as
the reply to a customer turn with a threat (an `answered` phrase or one of the
detector's `answer-signals`); and `evidence-next-sentence`."""

from __future__ import annotations

import deescalate_lint as dl


def _hostile(*texts: str, language: str = "en", **options: object) -> list[str]:
    """Hostile-tone evidence in turns that alternate customer, agent, customer..."""
    linter = dl.Linter(select=["hostile-tone"], options={"hostile-tone": options})
    speakers = ("customer", "agent")
    turns = [{"speaker": speakers[i % 2], "text": text} for i, text in enumerate(texts)]
    return [f.evidence for f in linter.lint({"language": language, "turns": turns})]


def test_a_dare_after_a_threat_is_flagged() -> None:
    # The detector's threat signal ("ombudsman") and an `answered` phrase ("disputing").
    assert _hostile("I'm reporting you to the ombudsman.", "Go ahead.") == ["Go ahead"]
    assert _hostile("I'm disputing this with my bank.", "Suit yourself.") == ["Suit yourself"]
    assert _hostile("我要投诉你！", "投吧。", language="zh") == ["投吧"]


def test_the_same_words_without_a_threat_are_not() -> None:
    assert _hostile("Can I read you the reference number?", "Go ahead.") == []
    assert _hostile("我把单号发给您吧？", "发吧，我这边看着。", language="zh") == []


def test_only_the_customer_turn_just_before_counts() -> None:
    turns = (
        "I'm reporting you to the ombudsman.",
        "I'm sorry it came to this.",
        "Can I read you my account number first?",
        "Go ahead.",
    )
    assert _hostile(*turns) == []


def test_answer_signals_widens_what_counts_as_the_threat() -> None:
    # "This is a disgrace" is anger, not a threat: the dare counts only when the
    # option names that signal too.
    customer = "This is a disgrace, I'm furious."
    assert _hostile(customer, "Go ahead.") == []
    assert _hostile(customer, "Go ahead.", **{"answer-signals": ["threat", "anger"]}) == [
        "Go ahead"
    ]


def test_evidence_runs_on_to_the_end_of_the_next_sentence() -> None:
    # hostile-tone sets evidence-next-sentence: the put-down and the sentence after it.
    agent = "Don't talk to me like that. Maybe learn some manners first. Anything else?"
    found = _hostile("already sent it 3 times, are you blind", agent)
    assert found == ["Don't talk to me like that. Maybe learn some manners first."]
    assert _hostile("are you blind", agent, **{"evidence-next-sentence": False}) == [
        "Don't talk to me like that"
    ]
