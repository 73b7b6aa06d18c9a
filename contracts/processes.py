"""Vendors tested at once, each in a process of its own (`python -m contracts.worker`)."""

from __future__ import annotations

import pickle
import subprocess
import sys
import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from contracts.channel import receive
from contracts.config import Settings
from contracts.engine import Progress, ProgressCallback
from contracts.results import VendorResult


def vendor_processes(settings: Settings, app: Any = None) -> int:
    """How many vendors to test at once, each in a process of its own.

    Schemathesis' generation and the in-process mock are pure Python, so threads share one
    core; a process per vendor uses the others. All vendors at once by default, even past
    the core count: with three vendors on two cores a pool of two left a core idle while the
    last vendor ran alone (all three: 49.6 s with two processes, 42.5 s with three). Only for
    the default target (each process builds its own mock) or a base URL, and never with a
    request budget or rate limit, which are shared by the whole run.
    """
    if app is not None or settings.max_requests is not None or settings.rate_limit is not None:
        return 1
    wanted = settings.processes or len(settings.vendors)
    return max(1, min(wanted, len(settings.vendors)))


def run_in_processes(
    settings: Settings, processes: int, progress: ProgressCallback | None
) -> list[VendorResult]:
    lock = threading.Lock()

    def report(step: Progress) -> None:
        if progress is not None:
            with lock:
                progress(step)

    with ThreadPoolExecutor(processes) as pool:
        futures = [
            pool.submit(_vendor_process, settings, name, report) for name in settings.vendors
        ]
        return [future.result() for future in futures]


def _vendor_process(settings: Settings, name: str, report: ProgressCallback) -> VendorResult:
    """Run one vendor in `python -m contracts.worker`, relaying its progress."""
    # Pickled before the child exists: settings that cannot be pickled fail here, instead of
    # leaving a child that waits for its input while we wait for it to exit.
    payload = pickle.dumps((settings, name))
    child = subprocess.Popen(
        [sys.executable, "-m", "contracts.worker"], stdin=subprocess.PIPE, stdout=subprocess.PIPE
    )
    assert child.stdin is not None and child.stdout is not None
    outcome = None
    try:
        try:
            child.stdin.write(payload)
        finally:
            child.stdin.close()  # also when the child died early: it must see end of input
        while (message := receive(child.stdout)) is not None:
            kind, value = message
            if kind == "progress":
                report(value)
            elif kind == "result":
                outcome = value
    finally:
        code = child.wait()
    if outcome is None:  # the child died: say so instead of losing the vendor
        return VendorResult(name, errors=[f"worker process exited with status {code}"])
    return outcome
