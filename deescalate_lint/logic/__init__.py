"""The registry of rule logic types: each written once, each declaring what it needs.

A rule pack names its logic type (``logic = "phrase"``); the type declares
its pattern groups (by the role they play, as Vale's rule types do, so no
type knows any rule's vocabulary), its options with their types and limits,
and what it does. Packs are checked against the declaration when they load:
a missing or unknown group, or an option the type does not take, is an
error naming the file, never a rule that silently matches nothing. Options
given through the API or a configuration file are checked by the same
declaration (``OptionSpec.problem``), so both accept and refuse the same values.

The built-in types live one per module and register themselves with
``@register(...)`` (the style of the reader and reporter registries);
``logic_type`` imports them on first use.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ..context import Conversation
    from ..model import Finding, Notice
    from ..rulepack import Rule
    from ..screen import Screen

    Check = Callable[[Rule, Conversation, Mapping[str, Any]], Iterable[Finding | Notice]]
    Quiet = Callable[[Rule, Screen, Mapping[str, Any], bool], "list[Finding | Notice] | None"]
else:
    Check = Callable[..., Any]
    Quiet = Callable[..., Any]

#: Which turns a group is searched in.
ROLES = ("agent", "customer")


@dataclass(frozen=True)
class GroupSpec:
    """A pattern group a logic type reads, named by the part it plays."""

    name: str
    #: "agent" or "customer": whose turns the group is searched in.
    searched_in: str
    required: bool
    doc: str
    #: Whether a hit of this group can lead to a finding without a hit of a
    #: group that leads. False for groups that only qualify other hits (a
    #: backchannel matters only in a turn that interrupts): a transcript in
    #: which no leading group of a rule has a candidate skips that rule (see
    #: ``LogicType.quiet``).
    leads: bool = True
    #: Whether only a hit that ends the turn (trailing white space aside) counts
    #: (a customer's turn breaking off "--"), which the scan can then demand.
    at_end: bool = False
    #: From how many hits (in all the turns it is searched in, given the rule's
    #: options) the group leads; None: from the first. A count rule that allows
    #: one apology per turn and two per conversation needs two to flag anything.
    leads_from: Callable[[Mapping[str, Any]], int] | None = None


@dataclass(frozen=True)
class OptionSpec:
    """An option a logic type takes (its default comes from each rule's pack)."""

    name: str
    kind: type
    doc: str
    minimum: float | None = 0
    maximum: float | None = None
    #: For list options: the values allowed in the list (None: any string).
    choices: tuple[str, ...] | None = None
    #: Or where they come from, when they are data read later (the escalation
    #: detector's signal names): called when a value is checked.
    choices_from: Callable[[], tuple[str, ...]] | None = None
    #: The value when a pack does not set one (None: every pack must set it).
    default: Any = None

    def allowed(self) -> tuple[str, ...] | None:
        """The values allowed (for list and string options), or None: any."""
        if self.choices is None and self.choices_from is not None:
            return self.choices_from()
        return self.choices

    def problem(self, value: Any) -> str | None:
        """Why ``value`` is not acceptable, or None. One check for the API and config."""
        kind = self.kind
        if kind is bool:
            return None if isinstance(value, bool) else f"must be true or false, got {value!r}"
        if kind is int:
            if isinstance(value, bool) or not isinstance(value, int):
                return f"must be a whole number, got {value!r}"
        elif kind is float:
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                return f"must be a number, got {value!r}"
            if value != value or value in (float("inf"), float("-inf")):
                return f"must be a finite number, got {value!r}"
        elif kind is list:
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                return f"must be a list of strings, got {value!r}"
            known = self.allowed()
            if known is not None:
                bad = [v for v in value if v not in known]
                if bad:
                    return f"unknown value(s) {bad!r} (known: {', '.join(known)})"
            return None
        elif kind is str:
            if not isinstance(value, str):
                return f"must be a string, got {value!r}"
            known = self.allowed()
            if known is not None and value not in known:
                return f"must be one of {', '.join(known)}, got {value!r}"
            return None
        if self.minimum is not None and value < self.minimum:
            return f"must be at least {self.minimum:g}, got {value!r}"
        if self.maximum is not None and value > self.maximum:
            return f"must be at most {self.maximum:g}, got {value!r}"
        return None


@dataclass(frozen=True)
class LogicType:
    name: str
    check: Check
    groups: tuple[GroupSpec, ...]
    options: tuple[OptionSpec, ...]
    #: One paragraph for the rule docs: what the type does with its groups.
    doc: str
    #: What ``check`` yields for a transcript, told from the screen alone (its
    #: notices, say), or None when only ``check`` can tell. Called with ``led``:
    #: whether a leading group has a candidate (then usually None). None as the
    #: hook: the type is always checked.
    quiet: Quiet | None = None
    #: Whether a customer turn the escalation detector may find upset (a
    #: candidate of one of its listed signals) leads, as a trigger would.
    detector_leads: bool = False

    def group(self, name: str) -> GroupSpec | None:
        return next((g for g in self.groups if g.name == name), None)

    def option(self, name: str) -> OptionSpec | None:
        return next((o for o in self.options if o.name == name), None)


_REGISTRY: dict[str, LogicType] = {}
_BUILTINS_LOADED: list[bool] = []


def register(
    name: str,
    *,
    groups: Iterable[GroupSpec],
    options: Iterable[OptionSpec] = (),
    doc: str,
    quiet: Quiet | None = None,
    detector_leads: bool = False,
) -> Callable[[Check], Check]:
    """Decorator: add a logic type's check function to the registry under ``name``.

    ``quiet`` and ``detector_leads``: see ``LogicType``; a quiet hook must give
    exactly what ``check`` gives whenever it answers (tests/test_screen.py
    compares the two on every rule example, the corpora and generated transcripts).
    """

    def decorate(check: Check) -> Check:
        _REGISTRY[name] = LogicType(
            name, check, tuple(groups), tuple(options), doc, quiet, detector_leads
        )
        return check

    return decorate


def _load_builtin() -> None:
    if _BUILTINS_LOADED:
        return
    _BUILTINS_LOADED.append(True)
    from . import absent_before, count, first_reply, phrase, sequence, timing  # noqa: F401


def logic_type(name: str) -> LogicType | None:
    _load_builtin()
    return _REGISTRY.get(name)


def logic_types() -> list[str]:
    _load_builtin()
    return sorted(_REGISTRY)
