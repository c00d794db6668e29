"""The count logic's ``every-turn-past`` option (over-apologising turns it on):
once a conversation is past its apology limit, every later turn that
apologises again is flagged, not only the one that crossed the limit."""

from __future__ import annotations

import deescalate_lint as dl

CALL = "\n".join(
    [
        "Customer: My order never arrived.",
        "Agent: I'm sorry about that.",
        "Customer: It was a gift.",
        "Agent: I'm so sorry, I really apologise.",
        "Customer: And now what?",
        "Agent: Sorry again, I'm sorry for all of this.",
        "Customer: Can you just send it?",
        "Agent: I'm sorry, yes, I will send it today.",
    ]
)


def _turns(**options: object) -> list[int]:
    linter = dl.Linter(select=["DL103"], options={"over-apologising": options} if options else None)
    return [f.turn for f in linter.lint(CALL, language="en")]


def test_every_later_apologising_turn_is_flagged_with_the_option_on() -> None:
    flagged = _turns()
    assert flagged, "the shipped pack turns the option on"
    assert flagged[-1] == 7
    assert _turns(**{"every-turn-past": True}) == flagged


def test_only_the_crossing_turn_with_the_option_off() -> None:
    on = _turns(**{"every-turn-past": True})
    off = _turns(**{"every-turn-past": False})
    assert set(off) < set(on)
    assert 7 not in off
