"""The few rule logic types, each written once; rule packs name the one they use.

* ``phrase``   - a trigger phrase in an agent turn, cancelled by negation or
  hedging in scope (defensive phrasing, unrealistic promises);
* ``count``    - expressions counted per turn and per conversation against
  thresholds (over-apologising);
* ``sequence`` - an agent phrase judged by what the customer did before it
  (moving an upset customer to email);
* ``timing``   - who spoke when, plus the textual traces of cutting in
  (interruptions).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from functools import cache
from typing import Any

from ..context import Conversation
from ..model import Finding, Notice
from ..rulepack import Rule

Check = Callable[[Rule, Conversation, Mapping[str, Any]], Iterable[Finding | Notice]]


@cache
def logic_for(name: str) -> Check:
    """The check for a logic type; cached, as the engine asks once per rule and transcript."""
    from . import count, phrase, sequence, timing

    checks: dict[str, Check] = {
        "phrase": phrase.check,
        "count": count.check,
        "sequence": sequence.check,
        "timing": timing.check,
    }
    return checks[name]
