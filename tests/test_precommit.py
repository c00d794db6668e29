"""The pre-commit hook, run by the real ``pre-commit`` in a throw-away git repository.

pre-commit clones a hook repository at a commit, so it sees only committed
files (``try-repo`` adds modified tracked files, but not new ones). To test
the working tree as it is, this test snapshots the checkout's files (tracked
and untracked, minus ignored) into a temporary repository, commits them
there, and points ``.pre-commit-config.yaml`` at that commit. The checkout's
own git state is never touched.

pre-commit then builds a virtualenv and pip-installs the package (spaCy and
all), which takes a minute or two: the test is marked ``slow`` and builds the
environment once (``PRE_COMMIT_HOME`` in a temporary folder) for all its
assertions.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

pytest.importorskip("pre_commit")

REPO = Path(__file__).resolve().parent.parent
pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed"),
]

BAD = """Dear {{ customer_name }},

We are so sorry for the delay. We sincerely apologise for any inconvenience.
Unfortunately it's against our policy to refund shipping costs.
"""
GOOD = """Hi {{ first_name }},

I'm sorry your refund is taking longer than expected. I've checked your order
and the refund was approved today; it should reach your account within five
working days. If it hasn't by {{ due_date }}, reply here and I'll call the bank with you.
"""
SUPPRESSED = """Hi {{ first_name }},

<!-- deescalate-lint: disable-next-line=over-apologising -- legal wants both sentences -->
We are so sorry for the delay. We sincerely apologise for any inconvenience.
"""


def _git(cwd: Path, *args: str) -> str:
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "test",
        "GIT_AUTHOR_EMAIL": "test@example.invalid",
        "GIT_COMMITTER_NAME": "test",
        "GIT_COMMITTER_EMAIL": "test@example.invalid",
        "GIT_CONFIG_GLOBAL": os.devnull,
        "GIT_CONFIG_NOSYSTEM": "1",
    }
    done = subprocess.run(
        ["git", *args], cwd=cwd, env=env, capture_output=True, text=True, check=True
    )
    return done.stdout


def _snapshot(dest: Path) -> str:
    """Copy the checkout's working tree (not its .git) into a new repo; return the commit."""
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=REPO,
        capture_output=True,
        check=True,
    ).stdout.decode()
    dest.mkdir()
    for name in filter(None, listed.split("\0")):
        source = REPO / name
        if not source.is_file() or name.startswith(("bench/", "fuzz/")):
            continue
        target = dest / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(source, target)
    _git(dest, "init", "-q")
    _git(dest, "add", "-A")
    _git(dest, "commit", "-q", "-m", "snapshot of the working tree")
    return _git(dest, "rev-parse", "HEAD").strip()


class Project:
    def __init__(self, root: Path, env: dict[str, str]) -> None:
        self.root = root
        self.env = env

    def run(self, *files: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "pre_commit", "run", "--color", "never", "--files", *files],
            cwd=self.root,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=1200,
        )


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Project]:
    base = tmp_path_factory.mktemp("precommit")
    rev = _snapshot(base / "hooks")
    root = base / "project"
    (root / "templates").mkdir(parents=True)
    (root / "templates" / "bad.txt").write_text(BAD, encoding="utf-8")
    (root / "templates" / "good.txt").write_text(GOOD, encoding="utf-8")
    (root / "templates" / "suppressed.md").write_text(SUPPRESSED, encoding="utf-8")
    (root / "README.md").write_text(
        "We are so sorry. We apologise. (Not a template.)\n", encoding="utf-8"
    )
    (root / ".pre-commit-config.yaml").write_text(
        f"repos:\n- repo: {base / 'hooks'}\n  rev: {rev}\n  hooks:\n  - id: deescalate-lint\n",
        encoding="utf-8",
    )
    _git(root, "init", "-q")
    _git(root, "add", "-A")
    env = {**os.environ, "PRE_COMMIT_HOME": str(base / "cache"), "NO_COLOR": "1"}
    env.pop("VIRTUAL_ENV", None)
    installed = subprocess.run(
        [sys.executable, "-m", "pre_commit", "install-hooks"],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=1800,
    )
    assert installed.returncode == 0, installed.stdout + installed.stderr
    yield Project(root, env)


def test_hook_fails_on_a_bad_template(project: Project) -> None:
    done = project.run("templates/bad.txt")
    assert done.returncode == 1, done.stdout + done.stderr
    assert "DL103 over-apologising" in done.stdout
    assert "DL102 defensive-phrasing" in done.stdout
    assert "templates/bad.txt:3:" in done.stdout  # located by line in the template


def test_hook_passes_a_clean_template(project: Project) -> None:
    done = project.run("templates/good.txt")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Passed" in done.stdout


def test_hook_honours_a_suppression_comment(project: Project) -> None:
    done = project.run("templates/suppressed.md")
    assert done.returncode == 0, done.stdout + done.stderr


def test_hook_only_takes_template_files(project: Project) -> None:
    # README.md would be flagged if linted; the hook's `files` pattern skips it.
    done = project.run("README.md")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "no files to check" in done.stdout.lower()
