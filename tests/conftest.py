"""Shared fixtures: where the guidance and corpora live (``shared_dirs``)."""

from __future__ import annotations

from pathlib import Path

import pytest
from shared_dirs import SHARED, require_dir

GUIDANCE = SHARED / "guidance"
CORPORA = SHARED / "corpora"


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Hand tests to the xdist workers a file at a time, as ``--dist loadfile``
    does (a file's tests share fixtures such as one Chromium or one Spark
    session), but a file's tests that take a ``language`` parameter one
    language at a time: the thousands of rule examples then spread over the
    workers instead of sitting on one. Runs before xdist reads the marks."""
    for item in items:
        if item.get_closest_marker("xdist_group") is not None:
            continue
        group = item.nodeid.split("::", 1)[0]
        callspec = getattr(item, "callspec", None)
        if callspec is not None and "language" in callspec.params:
            group += f"::{callspec.params['language']}"
        item.add_marker(pytest.mark.xdist_group(group))


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
