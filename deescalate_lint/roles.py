"""Map speaker labels ("rep", "Kunde", "상담원") to the roles the rules judge.

Labels come from ``rules/roles.toml`` (format and API names) and from each
language's file, so a language brings its own speaker labels with it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from .model import Role
from .resources import read_toml, shipped_rules_dir

if TYPE_CHECKING:
    from .languages import Languages

#: A label that is read but neither judged nor counted (system prompts, IVR).
SKIP = "skip"


@dataclass(frozen=True)
class RoleTable:
    """Case-insensitive label -> role (``agent``/``customer``) or ``skip``."""

    labels: Mapping[str, str]

    def resolve(self, label: str) -> Role | str | None:
        """The role for ``label``, ``SKIP``, or None when the label is unknown."""
        value = self.labels.get(normalise_label(label))
        if value is None or value == SKIP:
            return value
        return Role(value)

    def with_overrides(self, overrides: Mapping[str, str]) -> RoleTable:
        merged = dict(self.labels)
        for label, role in overrides.items():
            if role not in (Role.AGENT.value, Role.CUSTOMER.value, SKIP):
                raise ValueError(f"role for speaker {label!r} must be agent, customer or skip")
            merged[normalise_label(label)] = role
        return RoleTable(merged)

    def known_labels(self) -> list[str]:
        return sorted(self.labels, key=lambda s: (-len(s), s))


def normalise_label(label: str) -> str:
    return " ".join(label.split()).casefold()


def default_role_table() -> RoleTable:
    """The language-neutral labels plus every shipped language's own."""
    from .languages import shipped_languages

    return role_table(shipped_languages())


@lru_cache(maxsize=16)
def role_table(languages: Languages) -> RoleTable:
    """``rules/roles.toml`` (labels of transcript formats and chat APIs) plus
    the ``[roles]`` of every language in ``languages``."""
    data = read_toml(shipped_rules_dir() / "roles.toml")
    labels: dict[str, str] = {}
    for role in (Role.AGENT.value, Role.CUSTOMER.value, SKIP):
        for label in data.get(role, []):
            labels[normalise_label(label)] = role
    labels.update(languages.role_labels)
    return RoleTable(labels)
