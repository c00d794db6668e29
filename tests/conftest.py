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
