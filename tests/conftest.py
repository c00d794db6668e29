"""Shared fixtures: where the guidance lives, and a linter per rule and language."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
GUIDANCE = REPO.parent / "shared" / "guidance"
CORPORA = REPO.parent / "shared" / "corpora"


@pytest.fixture(scope="session")
def guidance_dir() -> Path:
    if not GUIDANCE.is_dir():
        pytest.skip("../shared/guidance is not beside this checkout")
    return GUIDANCE


@pytest.fixture(scope="session")
def corpora_dir() -> Path:
    if not CORPORA.is_dir():
        pytest.skip("../shared/corpora is not beside this checkout")
    return CORPORA
