"""One way for tests to run the real command: ``python -m deescalate_lint.cli``.

Why a child process: exit codes, stderr and stdout are what a pipeline sees,
and nothing the test process imported can leak into the run. Output is
decoded as UTF-8 (what the CLI writes), whatever the test machine's locale.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Mapping, Sequence


def run_cli(
    args: Sequence[str],
    cwd: str | os.PathLike[str] | None = None,
    stdin: str | bytes = b"",
    env: Mapping[str, str] | None = None,
    timeout: float = 120,
) -> subprocess.CompletedProcess[str]:
    """Run the CLI with ``args``; ``stdin`` is its whole input (empty by default)."""
    done = subprocess.run(
        [sys.executable, "-m", "deescalate_lint.cli", *args],
        cwd=cwd,
        input=stdin.encode("utf-8") if isinstance(stdin, str) else stdin,
        capture_output=True,
        env=env,
        timeout=timeout,
        check=False,
    )
    return subprocess.CompletedProcess(
        done.args, done.returncode, done.stdout.decode("utf-8"), done.stderr.decode("utf-8")
    )
