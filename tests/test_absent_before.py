"""The absent-before logic's `echo` group: an acknowledgement counts as the recap
only in a turn that repeats the customer's own words before the fix."""

from __future__ import annotations

import deescalate_lint as dl
from deescalate_lint.logic.absent_before import content_words

CUSTOMER = "The heating's been off since Sunday and I've a newborn, this is a disgrace!"
ECHOED = (
    "No heating since Sunday with a newborn, I completely understand why you're upset. "
    "I'll send an engineer today."
)
STOCK = "I completely understand why you're upset. I'll send an engineer today."


def _recap_findings(agent: str, echo_words: int = 1) -> list[str]:
    linter = dl.Linter(select=["no-recap"], options={"no-recap": {"echo-words": echo_words}})
    transcript = {
        "language": "en",
        "turns": [{"speaker": "customer", "text": CUSTOMER}, {"speaker": "agent", "text": agent}],
    }
    return [f.evidence for f in linter.lint(transcript)]


def test_content_words_by_script() -> None:
    assert {"heatin", "sunday", "newbor"} <= content_words(CUSTOMER)
    assert "the" not in content_words(CUSTOMER)
    assert {"暖气", "周日"} <= content_words("从周日开始就没有暖气")
    assert {"난방", "일요"} <= content_words("일요일부터 난방이 안 돼요")
    assert "42" in content_words("order 42")


def test_an_acknowledgement_that_repeats_the_customer_is_a_recap() -> None:
    assert _recap_findings(ECHOED) == []
    assert _recap_findings(STOCK) == ["I'll send an engineer"]


def test_echo_words_sets_how_many_words_must_be_repeated() -> None:
    assert _recap_findings(ECHOED, echo_words=99) == ["I'll send an engineer"]


def test_span_all_triggers_quotes_every_next_step_of_the_turn() -> None:
    agent = "I'll send an engineer today. Please also DM us the photos."
    linter = dl.Linter(select=["no-recap"], options={"no-recap": {"span-all-triggers": False}})
    transcript = {
        "language": "en",
        "turns": [{"speaker": "customer", "text": CUSTOMER}, {"speaker": "agent", "text": agent}],
    }
    assert [f.evidence for f in linter.lint(transcript)] == ["I'll send an engineer"]
    linter = dl.Linter(select=["no-recap"], options={"no-recap": {"span-all-triggers": True}})
    assert [f.evidence for f in linter.lint(transcript)] == [
        "I'll send an engineer today. Please also DM"
    ]


def test_content_words_read_letters_as_the_standard_re_did() -> None:
    """The letter class moved from ``re`` to ``regex`` (the pattern memo), whose
    ``\\w`` also holds combining marks: a decomposed "café" must stay a
    four-letter word (no content word), as it was."""
    import re
    import sys
    import unicodedata

    from deescalate_lint.logic.absent_before import _LETTERS, content_words

    reference = re.compile(r"[^\W\d_\u4e00-\u9fff\uac00-\ud7a3]")
    differ = [
        hex(c)
        for c in range(sys.maxunicode + 1)
        if unicodedata.category(chr(c)) not in ("Cn", "Cs")
        and bool(reference.fullmatch(chr(c))) != bool(_LETTERS.fullmatch(chr(c) * 5))
    ]
    assert not differ, differ[:20]
    decomposed = unicodedata.normalize("NFD", "the café, naïve")
    assert content_words(decomposed) == set()
