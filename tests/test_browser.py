"""End to end in a browser: `wholiked serve` on a free port, opened in headless Chromium
(Debian's, driven by Playwright over the DevTools protocol: no browser download), shows
the studio of @mia.makes; pressing v shows the viewer feed. Each browser session plays in
its own fresh copy of the demo world, removed when the session ends.

xterm.js draws the terminal on a canvas, so the test reads what the page received from
the app (the bytes handed to xterm.js, escape sequences stripped) and takes a screenshot.
`WHOLIKED_BROWSER_SHOT=docs/browser.png pytest tests/test_browser.py` writes the README's
picture. Skipped when Chromium, Playwright or textual-serve is missing.
"""

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# Keep every byte xterm.js is given, as text, so the test can read the screen's words.
RECORD = """
(() => {
  window.__received = "";
  const decoder = new TextDecoder();
  const Real = window.WebSocket;
  window.WebSocket = function (...args) {
    const socket = new Real(...args);
    socket.addEventListener("message", (event) => {
      if (typeof event.data !== "string") {
        window.__received += decoder.decode(new Uint8Array(event.data), {stream: true});
      }
    });
    return socket;
  };
  window.WebSocket.prototype = Real.prototype;
})();
"""
ESCAPES = re.compile(r"\x1b(\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(\x07|\x1b\\)|[@-Z\\-_])")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def server(tmp_path: Path):
    """`wholiked serve` in its own process group; stopped (with its sessions) afterwards."""
    pytest.importorskip("textual_serve")
    port = _free_port()
    sessions = tmp_path / "tmp"
    sessions.mkdir()
    env = dict(os.environ, WHOLIKED_HOME=str(tmp_path / "home"), TMPDIR=str(sessions))
    process = subprocess.Popen(
        [sys.executable, "-m", "wholiked", "serve", "--host", "127.0.0.1", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 15
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise AssertionError("wholiked serve did not start") from None
                time.sleep(0.1)
        yield f"http://127.0.0.1:{port}", sessions
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(10)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(5)


def _screen_words(page) -> str:
    return ESCAPES.sub(" ", page.evaluate("() => window.__received"))


def _wait_for(page, words: str, *, since: int = 0, timeout: float = 15.0) -> None:
    deadline = time.monotonic() + timeout
    while words not in _screen_words(page)[since:]:
        if time.monotonic() > deadline:
            raise AssertionError(f"{words!r} never shown; got {_screen_words(page)[-600:]!r}")
        page.wait_for_timeout(100)


def _sessions(folder: Path) -> list[Path]:
    return sorted(folder.glob("wholiked-session-*"))


def test_serve_in_a_browser(server, tmp_path: Path) -> None:
    sync_api = pytest.importorskip("playwright.sync_api")
    base, sessions = server
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            context = browser.new_context(viewport={"width": 1200, "height": 760})
            context.add_init_script(RECORD)
            # Nothing leaves this machine: the page's web fonts and the like are refused.
            context.route(
                "**/*",
                lambda route: (
                    route.continue_() if route.request.url.startswith(base) else route.abort()
                ),
            )
            page = context.new_page()
            page.goto(base, wait_until="domcontentloaded")
            _wait_for(page, "@mia.makes")
            _wait_for(page, "Creator studio")
            _wait_for(page, "Your videos: 8 videos")

            # A second visitor gets a session (and a demo copy) of their own.
            other = context.new_page()
            other.goto(base, wait_until="domcontentloaded")
            _wait_for(other, "@mia.makes")
            assert len(_sessions(sessions)) == 2

            before = len(_screen_words(page))
            page.locator(".xterm-screen").click()
            page.keyboard.press("v")
            _wait_for(page, "Viewer feed", since=before)
            _wait_for(page, "Videos you can view", since=before)
            page.wait_for_timeout(300)  # let the feed's first page draw
            shot = tmp_path / "browser.png"
            page.screenshot(path=str(shot))
            assert shot.stat().st_size > 10_000
            if target := os.environ.get("WHOLIKED_BROWSER_SHOT"):
                shutil.copyfile(shot, target)
            context.close()  # closing the pages ends their sessions
        finally:
            browser.close()
    deadline = time.monotonic() + 10
    while _sessions(sessions) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert _sessions(sessions) == []  # each session's demo copy was removed
