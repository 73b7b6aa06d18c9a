"""The floors under the mock: one Flask handler at the Appstle add-credits path, served by
gunicorn exactly as `mockserver serve` serves the mock (gthread, preloaded app), so
`mock_bench.py` can say how much of the mock's time is Flask + gunicorn + HTTP, how much is
keeping state, and how much is everything else (validation, auth, the vendor's rules).

- bare (the issue's reference): a fixed JSON answer; the body is not even read.
- `--ledger`: the least a stateful write can do with the mock's own parts: parse the JSON
  body, then one transaction of the mock's SQLite store (its write lock, WAL, a read and an
  upsert of one customer record), and answer the customer as JSON. No validation, no auth, no
  journal, no vendor.

    .venv/bin/python bench/bare_flask.py --port 18081 --workers 2 --threads 8 [--ledger]
"""

from __future__ import annotations

import argparse
import json

from flask import Flask, Response, request

from mockserver.server import run_gunicorn
from mockserver.startup import listen
from mockserver.store import Store

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


def create_ledger_app(store: Store) -> Flask:
    app = Flask(__name__)

    @app.post("/api/external/add-credits")
    def add_credits() -> Response:
        credits = json.loads(request.get_data())["credits"]
        with store.transaction() as tx:
            customers = tx.tenant("floor")
            customer = customers.get("customer", "1001") or json.loads(ANSWER)
            customer["storeCreditBalance"] = round(customer["storeCreditBalance"] + credits, 2)
            customers.put("customer", "1001", customer)
        return Response(json.dumps(customer), status=200, content_type="application/json")

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
    parser.add_argument(
        "--ledger", action="store_true", help="keep a balance in the mock's store (the floor)"
    )
    args = parser.parse_args(argv)
    # The ledger's store is a temporary file, removed when this process exits.
    app = create_ledger_app(Store()) if args.ledger else create_app()
    run_gunicorn(app, listen(args.host, args.port), args.workers, args.threads)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
