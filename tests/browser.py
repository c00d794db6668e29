"""A real browser for the HTML report's tests: headless Chromium, driven over the
DevTools protocol on a pipe (``--remote-debugging-pipe``), so no WebSocket
library and no network port are needed.

Why Chromium from the distribution: it is what ``apt-get install chromium``
gives on Debian (``.ci/run`` installs it); on this closed network it starts
only with the background-networking features switched off (``FLAGS``).
"""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Any

#: Flags that let Chromium start headless as root on a machine without a network.
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
)


def find_browser() -> str | None:
    """The Chromium (or Chrome) executable, or None when there is none."""
    for name in ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable"):
        found = shutil.which(name)
        if found:
            return found
    return "/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None


def browser_version(path: str) -> str:
    done = subprocess.run([path, "--version"], capture_output=True, text=True, timeout=60)
    return done.stdout.strip()


def _run(path: str, *args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    with tempfile.TemporaryDirectory() as profile:
        return subprocess.run(
            [path, *FLAGS, f"--user-data-dir={profile}", *args],
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )


def dump_dom(path: str, url: str) -> str:
    """The DOM after the page's scripts ran (``--dump-dom``)."""
    done = _run(path, "--virtual-time-budget=5000", "--dump-dom", url)
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


def screenshot(path: str, url: str, out: Path, width: int = 1280, height: int = 1800) -> None:
    """A PNG of the page at ``width`` x ``height`` pixels."""
    done = _run(
        path,
        "--virtual-time-budget=5000",
        f"--screenshot={out}",
        f"--window-size={width},{height}",
        url,
    )
    assert out.exists() and out.stat().st_size > 0, done.stderr[-2000:]


def _above(fd: int, low: int) -> int:
    """``fd`` moved to a descriptor number of at least ``low``."""
    moved = fcntl.fcntl(fd, fcntl.F_DUPFD, low)
    os.close(fd)
    return moved


class Page:
    """One tab of a headless Chromium, driven over the DevTools protocol."""

    def __init__(self, path: str) -> None:
        self._profile = tempfile.TemporaryDirectory()
        to_browser_read, self._to_browser = os.pipe()
        self._from_browser, from_browser_write = os.pipe()
        # Above 4, so that bash's "3<&N 4>&M" cannot overwrite one with the other (dash
        # takes only one-digit descriptors there, hence bash).
        to_browser_read = _above(to_browser_read, 10)
        from_browser_write = _above(from_browser_write, 10)
        # The protocol pipe is the browser's fd 3 (it reads) and fd 4 (it writes).
        command = " ".join(
            [
                '"$0"',
                *(f"'{flag}'" for flag in FLAGS),
                "--remote-debugging-pipe",
                f"'--user-data-dir={self._profile.name}'",
                "about:blank",
                f"3<&{to_browser_read}",
                f"4>&{from_browser_write}",
            ]
        )
        self._process = subprocess.Popen(
            ["bash", "-c", f"exec {command}", path],
            pass_fds=(to_browser_read, from_browser_write),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        os.close(to_browser_read)
        os.close(from_browser_write)
        self._buffer = b""
        self._next_id = 0
        targets = self._call("Target.getTargets")["targetInfos"]
        page = next(t for t in targets if t["type"] == "page")
        attached = self._call("Target.attachToTarget", targetId=page["targetId"], flatten=True)
        self._session = attached["sessionId"]
        self._call("Page.enable", session=True)

    def _send(self, method: str, params: dict[str, Any], session: bool) -> int:
        self._next_id += 1
        message: dict[str, Any] = {"id": self._next_id, "method": method, "params": params}
        if session:
            message["sessionId"] = self._session
        os.write(self._to_browser, json.dumps(message).encode() + b"\0")
        return self._next_id

    def _receive(self, deadline: float) -> dict[str, Any]:
        while b"\0" not in self._buffer:
            if time.monotonic() > deadline:
                raise TimeoutError("the browser did not answer in time")
            chunk = os.read(self._from_browser, 65536)
            if not chunk:
                raise RuntimeError("the browser closed the DevTools pipe")
            self._buffer += chunk
        message, self._buffer = self._buffer.split(b"\0", 1)
        result: dict[str, Any] = json.loads(message)
        return result

    def _call(
        self, method: str, session: bool = False, timeout: float = 60, **params: Any
    ) -> dict[str, Any]:
        wanted = self._send(method, params, session)
        deadline = time.monotonic() + timeout
        while True:
            message = self._receive(deadline)
            if message.get("id") == wanted:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                result: dict[str, Any] = message.get("result", {})
                return result

    def open(self, url: str, timeout: float = 60) -> None:
        """Load ``url`` and wait until its load event has fired."""
        self._send("Page.navigate", {"url": url}, session=True)
        deadline = time.monotonic() + timeout
        while True:
            message = self._receive(deadline)
            if message.get("method") == "Page.loadEventFired":
                return

    def evaluate(self, expression: str) -> Any:
        """The value of a JavaScript expression in the page (JSON-able values only)."""
        result = self._call(
            "Runtime.evaluate", session=True, expression=expression, returnByValue=True
        )
        if "exceptionDetails" in result:
            raise RuntimeError(f"JavaScript error: {result['exceptionDetails']}")
        return result["result"].get("value")

    def close(self) -> None:
        try:
            self._send("Browser.close", {}, session=False)
            self._process.wait(timeout=20)
        except Exception:
            self._process.kill()
            self._process.wait(timeout=20)
        finally:
            os.close(self._to_browser)
            os.close(self._from_browser)
            self._profile.cleanup()

    def __enter__(self) -> Page:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
