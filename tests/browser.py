"""Headless Chromium for the tests that look at a page (the dashboard, the HTML report):
Debian's `chromium` package, installed with apt on a fresh machine the first time it is
needed (Playwright cannot download its own here). A folder's conftest imports `browser`."""

from __future__ import annotations

import fcntl
import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = "/usr/bin/chromium"


def _install_chromium() -> None:
    lock_path = Path(tempfile.gettempdir()) / "credit-contracts-chromium.lock"
    with open(lock_path, "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # xdist workers: one apt-get at a time
        if os.access(CHROMIUM, os.X_OK):
            return
        apt = ["apt-get"] if os.geteuid() == 0 else ["sudo", "-n", "apt-get"]
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        subprocess.run([*apt, "update", "-q"], check=True, env=env, capture_output=True)
        subprocess.run(
            [*apt, "install", "-y", "-q", "chromium"], check=True, env=env, capture_output=True
        )


# Module scope, not session: while Playwright's sync API is open its event loop counts as
# running in this thread, and any later test in the same worker calling asyncio.run() fails.
@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    if not os.access(CHROMIUM, os.X_OK):
        _install_chromium()
    assert shutil.which(CHROMIUM), "chromium did not install"
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=["--no-sandbox"]
        )
        yield chromium
        chromium.close()
