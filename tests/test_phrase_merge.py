"""``merge_close``: hits close together are one finding; ``across`` lets a
sentence end between them pass (the phrase logic's ``merge-across-sentences``)."""

from __future__ import annotations

from deescalate_lint.logic.phrase import merge_close


def _spans(text: str, *words: str) -> list[tuple[int, int, str | None]]:
    out = []
    for word in words:
        start = text.index(word)
        out.append((start, start + len(word), None))
    return out


def test_a_sentence_end_parts_hits_by_default() -> None:
    text = "Are you even listening? I said it twice."
    spans = _spans(text, "Are you even listening", "I said it twice")
    assert len(merge_close(spans, text)) == 2


def test_across_sentences_makes_one_run() -> None:
    text = "Are you even listening? I said it twice."
    spans = _spans(text, "Are you even listening", "I said it twice")
    assert len(merge_close(spans, text, across=True)) == 1


def test_across_sentences_still_needs_the_hits_close() -> None:
    text = "Are you even listening? " + "The parcel left the depot this morning. " * 3 + "Duh."
    spans = _spans(text, "Are you even listening", "Duh")
    assert len(merge_close(spans, text, across=True)) == 2
