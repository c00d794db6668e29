"""Reporters: the output formats, one module each, registered by name.

``reporter(name)(items, out, context)`` writes a run's items (``model.Linted``,
in input order; the format's module is imported then, not here); see
``registry.py`` for the contract and ``positions.py`` for how a template's
findings get a line and column.
"""

from __future__ import annotations

from .positions import Position, located, position_in
from .registry import ReportContext, Reporter, format_error, formats, register, reporter

__all__ = [
    "Position",
    "ReportContext",
    "Reporter",
    "format_error",
    "formats",
    "located",
    "position_in",
    "register",
    "reporter",
]
