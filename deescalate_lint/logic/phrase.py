"""Phrase with scope: a trigger in an agent turn, unless negated or hedged nearby.

Hits close together in one sentence ("I guarantee it will be there tomorrow")
are one act, so they become one finding whose evidence spans them.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

import regex

from ..context import Conversation
from ..model import Finding, Notice
from ..patterns import Hit
from ..rulepack import Rule
from .common import group, surviving

#: Hits at most this many characters apart, with no sentence end between, merge.
MERGE_GAP = 40
_SENTENCE_END = regex.compile(r"[.!?\n。！？]")


def check(
    rule: Rule, convo: Conversation, options: Mapping[str, Any]
) -> Iterator[Finding | Notice]:
    for view in convo.agent_views():
        hits = surviving(convo, view, convo.hits(group(rule, view, "trigger"), view), rule.vetoes)
        for first, last in merge_close(hits, view.text):
            yield convo.finding(
                rule, view, first.start, last.end, kind=first.pattern.attrs.get("kind")
            )


def merge_close(hits: list[Hit], text: str) -> list[tuple[Hit, Hit]]:
    """Group hits into runs of close neighbours in one sentence: (first, last) per run."""
    runs: list[tuple[Hit, Hit]] = []
    for hit in hits:
        if runs:
            first, last = runs[-1]
            gap = text[last.end : hit.start]
            if len(gap) <= MERGE_GAP and not _SENTENCE_END.search(gap):
                runs[-1] = (first, hit)
                continue
        runs.append((hit, hit))
    return runs
