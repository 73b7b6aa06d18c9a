"""The floor under the mock: one bare Flask handler at the Appstle add-credits path, served by
gunicorn exactly as `mockserver serve` serves the mock (gthread, preloaded app), so
`mock_bench.py` can say how much of the mock's time is Flask + gunicorn + HTTP and how much is
validation and state.

    .venv/bin/python bench/bare_flask.py --port 18081 --workers 2 --threads 8
"""

from __future__ import annotations

import argparse

from flask import Flask, Response

from mockserver.server import run_gunicorn
from mockserver.startup import listen

# A fixed answer of about the size of the mock's Appstle customer body, built once.
ANSWER = (
    '{"customerId": 1001, "availablePoints": 4250.0, "storeCreditBalance": 26.75, '
    '"currentVipTier": "Gold", "customerStatus": "ACTIVE"}'
)


def create_app() -> Flask:
    app = Flask(__name__)

    @app.post("/api/external/add-credits")
    def add_credits() -> Response:
        return Response(ANSWER, status=200, content_type="application/json")

    @app.get("/__admin/health")
    def health() -> Response:
        return Response('{"status": "ok"}', content_type="application/json")

    return app


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=8)
    args = parser.parse_args(argv)
    run_gunicorn(create_app(), listen(args.host, args.port), args.workers, args.threads)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
