"""The sequence logic's ``complaint-words`` (joking sets 20): a long plain account
of what went wrong counts as upset for the first agent turn that answers it.

Writers label a laugh in reply to "I ordered the blue sofa in March, ... it came
grey with a scratch" although the detector reads no feeling in those words.
"""

from __future__ import annotations

from typing import Any

import deescalate_lint as dl

COMPLAINT = (
    "I ordered the blue sofa in March, the delivery was moved twice, and the one "
    "that came this morning is grey with a scratch down the side of it."
)
LAUGH = "Haha, well, grey goes with everything!"


def joking(*turns: tuple[str, str], **options: Any) -> list[dl.Finding]:
    linter = dl.Linter(select=["joking"], options={"joking": options} if options else None)
    transcript = {"language": "en", "turns": [{"speaker": s, "text": t} for s, t in turns]}
    return [r for r in linter.results(transcript) if isinstance(r, dl.Finding)]


def test_a_laugh_in_reply_to_a_long_plain_complaint_is_flagged() -> None:
    found = joking(("customer", COMPLAINT), ("agent", LAUGH))
    assert [f.evidence for f in found] == ["Haha"]
    assert "tells at length what went wrong" in found[0].message


def test_the_detector_alone_reads_no_feeling_in_it() -> None:
    assert joking(("customer", COMPLAINT), ("agent", LAUGH), **{"complaint-words": 0}) == []


def test_only_the_first_agent_turn_after_the_complaint_is_judged_so() -> None:
    fixed = "I'm so sorry about that, I've booked a swap for a blue one on Friday."
    assert joking(("customer", COMPLAINT), ("agent", fixed), ("agent", LAUGH)) == []


def test_a_long_turn_that_asks_something_is_an_inquiry() -> None:
    inquiry = COMPLAINT.replace("side of it.", "side of it, can you swap it?")
    assert joking(("customer", inquiry), ("agent", LAUGH)) == []


def test_a_question_mark_inside_a_link_asks_nothing() -> None:
    linked = COMPLAINT + " Order page: shop.example/orders?id=3"
    assert [f.evidence for f in joking(("customer", linked), ("agent", LAUGH))] == ["Haha"]


def test_a_short_turn_is_not_enough() -> None:
    assert joking(("customer", "The sofa came grey."), ("agent", LAUGH)) == []
