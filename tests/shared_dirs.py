"""Where the shared guidance and corpora are, and what a missing copy does.

The citation and corpus tests read ``../shared`` (beside the checkout). When
it is missing they fail, with a message saying where it was looked for:
skipping them would let CI go green without checking a single citation.
Someone who really has no copy can set ``DEESCALATE_LINT_SKIP_SHARED=1`` to
skip those tests instead; under CI (``CI`` set) the opt-out is refused.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"
OPT_OUT = "DEESCALATE_LINT_SKIP_SHARED"


def _set(env: Mapping[str, str], name: str) -> bool:
    return env.get(name, "").strip().lower() not in ("", "0", "false", "no")


def require_dir(path: Path, env: Mapping[str, str] | None = None) -> Path:
    """``path`` when it is a folder; else fail the test (or skip it, when opted out)."""
    if path.is_dir():
        return path
    env = os.environ if env is None else env
    missing = f"{path} is missing (the tests read the shared folder beside the checkout)"
    if _set(env, OPT_OUT):
        if _set(env, "CI"):
            pytest.fail(f"{missing}; {OPT_OUT} is refused under CI, which must run these tests")
        pytest.skip(f"{missing}; skipped because {OPT_OUT} is set")
    pytest.fail(
        f"{missing}. Put a copy of shared/ (guidance/, corpora/) beside this checkout, "
        f"or set {OPT_OUT}=1 to skip the tests that need it (never in CI)."
    )
