"""A missing ../shared fails the tests that need it, unless someone opts out outside CI."""

from __future__ import annotations

from pathlib import Path

import pytest
from shared_dirs import OPT_OUT, REPO, require_dir


def test_a_present_folder_is_returned(tmp_path: Path) -> None:
    assert require_dir(tmp_path, env={}) == tmp_path


def test_a_missing_folder_fails_and_says_how_to_fix_it(tmp_path: Path) -> None:
    missing = tmp_path / "shared" / "guidance"
    with pytest.raises(pytest.fail.Exception) as failed:
        require_dir(missing, env={})
    assert str(missing) in str(failed.value) and f"{OPT_OUT}=1" in str(failed.value)
    with pytest.raises(pytest.fail.Exception):
        require_dir(missing, env={OPT_OUT: "0"})


def test_the_opt_out_skips_outside_ci_only(tmp_path: Path) -> None:
    missing = tmp_path / "shared" / "corpora"
    with pytest.raises(pytest.skip.Exception):
        require_dir(missing, env={OPT_OUT: "1"})
    with pytest.raises(pytest.fail.Exception) as failed:
        require_dir(missing, env={OPT_OUT: "1", "CI": "true"})
    assert "refused under CI" in str(failed.value)


def test_ci_does_not_set_the_opt_out() -> None:
    assert OPT_OUT not in (REPO / ".ci" / "run").read_text(encoding="utf-8")
