"""What the access log costs a request, in-process (CPU time, so a busy machine counts less).

Two measurements: the log's two hooks alone (logger off, text lines, JSON lines, written to a
stream that discards them) and whole requests through Flask's test client with the log off
and on. Usage: `.venv/bin/python bench/accesslog_cost.py [--rounds 5]`.
"""

from __future__ import annotations

import argparse
import io
import logging
import statistics
import time

from mockserver import MockConfig, accesslog, create_app
from mockserver.vendor import Principal

PATH = "/api/external/point-redeem-rules"
HEADERS = {"X-API-Key": "apst_test_bench"}


class Discard(io.TextIOBase):
    def write(self, text: str) -> int:
        return len(text)


def switch(mode: str) -> None:
    if mode == "off":
        logging.getLogger(accesslog.LOGGER_NAME).setLevel(logging.WARNING)
    else:
        accesslog.configure(mode, access=True, stream=Discard())  # type: ignore[arg-type]


def hooks_us(app, count: int) -> float:
    """Microseconds of CPU for `_start` + `_finish` of one request with a tenant."""
    from flask import g

    with app.test_request_context(PATH, headers=HEADERS):
        g.principal = Principal("appstle:apst_test_bench", "apst_test_bench", "api-key")
        answer = app.response_class("{}")
        started = time.process_time()
        for _ in range(count):
            accesslog._start()
            accesslog._finish(answer)
        return (time.process_time() - started) / count * 1e6


def request_us(client, count: int) -> float:
    started = time.process_time()
    for _ in range(count):
        client.get(PATH, headers=HEADERS)
    return (time.process_time() - started) / count * 1e6


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    app = create_app(MockConfig())
    client = app.test_client()
    request_us(client, 200)  # warm: the tenant exists, validators are compiled
    for mode in ("off", "text", "json"):
        switch(mode)
        hooks = statistics.median(hooks_us(app, 20_000) for _ in range(args.rounds))
        print(f"hooks, log {mode}: {hooks:.1f} us per request")
    whole: dict[str, list[float]] = {"off": [], "text": []}
    for _ in range(args.rounds):
        for mode in whole:
            switch(mode)
            whole[mode].append(request_us(client, 500))
    off, text = (statistics.median(whole[m]) for m in ("off", "text"))
    print(f"whole request: log off {off:.0f} us, text {text:.0f} us")


if __name__ == "__main__":
    main()
