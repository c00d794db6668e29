"""Shared fixtures: where the guidance and corpora live (``shared_dirs``)."""

from __future__ import annotations

from pathlib import Path

import pytest
from shared_dirs import SHARED, require_dir

GUIDANCE = SHARED / "guidance"
CORPORA = SHARED / "corpora"


@pytest.fixture(scope="session")
def guidance_dir() -> Path:
    return require_dir(GUIDANCE)


@pytest.fixture(scope="session")
def corpora_dir() -> Path:
    return require_dir(CORPORA)


@pytest.fixture
def no_match_time_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    """Lift the pattern time limit: for tests that check which texts match
    (a group's examples joined into one long text can outrun the limit on a
    busy machine) or that measure the patterns' speed themselves, where the
    limit would hide a blow-up."""
    from deescalate_lint import patterns

    monkeypatch.setattr(patterns, "MATCH_TIMEOUT", 600.0)
