"""`mockserver proxy`: stand between an application and the real vendor, pass every request
on and every answer back unchanged, and judge each exchange against what we know of the
vendor: its spec (request and response, through openapi-core), its error envelope, its money
invariants, and that consecutive answers about one account add up.

Each finding names the party at fault: the client when its request breaks the spec, the
vendor when its answer breaks the spec or a vendor rule. Findings are logged as they happen,
kept in the proxy's journal (`GET /__admin/requests`), and summarised on exit.
"""

from __future__ import annotations

import http.client
import logging
import re
import signal
import sys
import threading
import time
from collections import deque
from dataclasses import asdict, dataclass
from decimal import Decimal
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from flask import Flask, Response, request
from openapi_core.datatypes import RequestParameters
from werkzeug.datastructures import Headers, ImmutableMultiDict
from werkzeug.serving import make_server

from mockserver.exchange import Exchange
from mockserver.openapi import SpecRequest, SpecResponse, VendorSpec, load_spec
from mockserver.recording import HOP_BY_HOP, Recorder
from mockserver.requestctx import utcnow
from mockserver.vendor import Vendor

log = logging.getLogger("mockserver.proxy")

CLIENT, VENDOR = "client", "vendor"
_JOURNAL_SIZE = 1000
_BODY_SHOWN = 4096


@dataclass(frozen=True)
class Finding:
    """One broken rule in one exchange, and whose fault it is (`client` or `vendor`)."""

    party: str
    rule: str
    operation: str
    status: int
    message: str


class TrafficChecker:
    """Judges exchanges of one vendor; remembers the last balance seen of each account."""

    def __init__(self, vendor: Vendor) -> None:
        from contracts.vendors import registry  # the suite's vendor rules (envelope, invariants)

        self.vendor = vendor
        self.spec: VendorSpec = load_spec(vendor.spec_file)
        self.profile = registry().get(vendor.name)
        self._templates = [
            (
                op.method.upper(),
                re.compile("^" + re.sub(r"\\\{[^}]*\\\}", "[^/]+", re.escape(op.path)) + "$"),
                op.path,
            )
            for op in self.spec.operations.values()
        ]
        self._balances: dict[str, Decimal] = {}
        self._lock = threading.Lock()

    def operation(self, method: str, path: str) -> str | None:
        """`METHOD /template` of the spec operation a request is for, if the spec has one."""
        for op_method, pattern, template in self._templates:
            if op_method == method and pattern.match(path):
                return f"{method} {template}"
        return None

    def check(self, exchange: Exchange) -> list[Finding]:
        operation = self.operation(exchange.method, exchange.path)
        if operation is None:
            return []  # not an operation our spec describes: nothing to judge it by
        found: list[Finding] = []

        def add(party: str, rule: str, message: str) -> None:
            found.append(Finding(party, rule, operation, exchange.status, message))

        spec_request = self._spec_request(exchange)
        for problem in self.spec.request_problems(spec_request):
            add(CLIENT, "request conforms to the spec", str(problem))
        spec_response = SpecResponse(
            data=exchange.response_body,
            status_code=exchange.status,
            content_type=_mimetype(exchange.response_headers),
            headers=Headers(list(exchange.response_headers.items())),
        )
        for message in self.spec.response_violations(spec_request, spec_response):
            add(VENDOR, "response conforms to the spec", message)
        body = exchange.response_json
        if self.profile is not None and exchange.status >= 400:
            problem = self.profile.envelope(exchange.status, body)
            if problem:
                add(VENDOR, "error envelope", f"{exchange.status} answer: {problem}")
        if self.profile is not None and 200 <= exchange.status < 300 and body is not None:
            for problem in self.profile.invariants(body):
                add(VENDOR, "money invariants", problem)
        problem = self._ledger_problem(exchange)
        if problem:
            add(VENDOR, "ledger arithmetic", problem)
        return found

    def _ledger_problem(self, exchange: Exchange) -> str | None:
        reading = self.vendor.read_ledger(exchange) if self.vendor.read_ledger else None
        if reading is None:
            return None
        with self._lock:
            before = self._balances.get(reading.account)
            self._balances[reading.account] = reading.balance
        if before is None or before + reading.change == reading.balance:
            return None
        return (
            f"account {reading.account}: balance was {before}, this exchange should change it "
            f"by {reading.change}, the answer shows {reading.balance}"
        )

    def _spec_request(self, exchange: Exchange) -> SpecRequest:
        return SpecRequest(
            host_url=self.spec.server_url,
            path=exchange.path,
            method=exchange.method.lower(),
            body=exchange.request_body or None,
            content_type=exchange.request_headers.get("Content-Type")
            or _header(exchange.request_headers, "content-type")
            or "application/octet-stream",
            parameters=RequestParameters(
                query=ImmutableMultiDict(parse_qsl(exchange.query, keep_blank_values=True)),
                header=Headers(list(exchange.request_headers.items())),
                cookie=ImmutableMultiDict(),
            ),
        )


def _header(headers: dict[str, str], name: str) -> str | None:
    return next((v for k, v in headers.items() if k.lower() == name), None)


def _mimetype(headers: dict[str, str]) -> str:
    return (_header(headers, "content-type") or "").split(";", 1)[0].strip()


class TrafficLog:
    """The proxy's journal (newest last, bounded) and every finding of the session."""

    def __init__(self, vendor: str) -> None:
        self.vendor = vendor
        self.entries: deque[dict[str, Any]] = deque(maxlen=_JOURNAL_SIZE)
        self.findings: list[Finding] = []
        self.checked: dict[tuple[str, str], int] = {}
        self._lock = threading.Lock()

    def add(self, exchange: Exchange, findings: list[Finding], operation: str | None) -> None:
        entry = {
            "at": utcnow().isoformat(),
            "vendor": self.vendor,
            "method": exchange.method,
            "path": exchange.path,
            "query": exchange.query,
            "status": exchange.status,
            "request_body": exchange.request_body[:_BODY_SHOWN].decode("utf-8", "replace"),
            "response_body": exchange.response_body[:_BODY_SHOWN].decode("utf-8", "replace"),
            "problems": [asdict(f) for f in findings],
        }
        with self._lock:
            self.entries.append(entry)
            self.findings.extend(findings)
            if operation is not None:
                key = (operation, "exchanges")
                self.checked[key] = self.checked.get(key, 0) + 1

    def journal(self) -> list[dict[str, Any]]:
        with self._lock:
            return list(self.entries)

    def summary(self) -> str:
        by_party = {p: sum(1 for f in self.findings if f.party == p) for p in (CLIENT, VENDOR)}
        exchanges = sum(self.checked.values())
        lines = [
            f"proxy: {exchanges} exchange(s) checked, {len(self.findings)} violation(s) "
            f"({by_party[CLIENT]} by the client, {by_party[VENDOR]} by the vendor)"
        ]
        lines += [
            f"  [{f.party}] {f.operation} -> {f.status}: {f.rule}: {f.message}"
            for f in self.findings
        ]
        return "\n".join(lines)

    def write_reports(self, reports: list[str], upstream: str = "") -> None:
        """JUnit/HTML through the contract suite's own report writers: one row per
        (operation, rule), failures named with the party at fault."""
        from contracts.handlers import file_reports
        from contracts.results import Outcome, RunResult, VendorResult

        result = VendorResult(vendor=self.vendor, cases=sum(self.checked.values()), target=upstream)
        failed_ops = {f.operation for f in self.findings}
        for (operation, _), count in self.checked.items():
            if operation not in failed_ops:
                for _ in range(count):
                    result.add(Outcome(self.vendor, operation, "no violation", ok=True))
        for f in self.findings:
            result.add(
                Outcome(
                    self.vendor,
                    f.operation,
                    f"{f.party}: {f.rule}",
                    ok=False,
                    message=f"{f.party} at fault ({f.status}): {f.message}",
                    status=f.status,
                )
            )
        run = RunResult(vendors=[result])
        for handler in file_reports(tuple(reports)):
            handler.on_finish(run)


def create_proxy_app(
    upstream: str, checker: TrafficChecker, traffic: TrafficLog, recorder: Recorder | None
) -> Flask:
    """A WSGI app passing every request to `upstream` (`http://host:port`)."""
    target = urlsplit(upstream)
    if target.scheme != "http" or not target.hostname:
        raise ValueError(f"--upstream {upstream!r}: give it as http://HOST:PORT")
    app = Flask(__name__)

    @app.get("/__admin/requests")
    def journal() -> Response:
        entries = traffic.journal()
        return app.json.response({"requests": entries, "count": len(entries)})

    @app.route("/", defaults={"path": ""}, methods=_METHODS)
    @app.route("/<path:path>", methods=_METHODS)
    def forward(path: str) -> Response:
        body = request.get_data(cache=False)
        sent = {k: v for k, v in request.headers.items() if k.lower() not in HOP_BY_HOP}
        sent.pop("Host", None)
        uri = request.environ.get("REQUEST_URI") or request.full_path.rstrip("?")
        # Ask for an unencoded answer: the proxy must read it to judge it.
        status, headers, answer = _send(
            target, request.method, uri, {**sent, "Accept-Encoding": "identity"}, body
        )
        exchange = Exchange(
            method=request.method,
            path=request.path,
            query=request.query_string.decode("latin-1"),
            request_headers=sent,
            request_body=body,
            status=status,
            response_headers=headers,
            response_body=answer,
        )
        findings = checker.check(exchange)
        for f in findings:
            log.warning(
                "%s at fault: %s -> %s: %s: %s", f.party, f.operation, f.status, f.rule, f.message
            )
        traffic.add(exchange, findings, checker.operation(exchange.method, exchange.path))
        if recorder is not None:
            recorder.write(exchange)
        return Response(answer, status=status, headers=list(headers.items()))

    return app


_METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"]


def _send(
    target: Any, method: str, full_path: str, headers: dict[str, str], body: bytes
) -> tuple[int, dict[str, str], bytes]:
    connection = http.client.HTTPConnection(target.hostname, target.port or 80, timeout=120)
    try:
        connection.request(method, full_path, body or None, headers)
        answer = connection.getresponse()
        data = answer.read()
        kept = {k: v for k, v in answer.getheaders() if k.lower() not in HOP_BY_HOP}
        return answer.status, kept, data
    finally:
        connection.close()


def run_proxy(
    vendor: Vendor,
    upstream: str,
    port: int,
    record: str | None,
    reports: list[str],
    fail_on_violation: bool,
) -> int:
    """Serve until SIGTERM/SIGINT, then summarise; 1 with `fail_on_violation` and findings."""
    checker = TrafficChecker(vendor)
    traffic = TrafficLog(vendor.name)
    recorder = Recorder(record) if record else None
    app = create_proxy_app(upstream, checker, traffic, recorder)
    server = make_server("127.0.0.1", port, app, threaded=True)
    logging.basicConfig(level=logging.INFO, format="%(message)s", stream=sys.stderr)
    logging.getLogger("werkzeug").setLevel(logging.WARNING)

    def stop(_signum: int, _frame: Any) -> None:
        threading.Thread(target=server.shutdown, daemon=True).start()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    where = f" recording to {record}" if record else ""
    print(
        f"mockserver proxy on http://127.0.0.1:{server.port} -> {upstream} ({vendor.title}){where}",
        flush=True,
    )
    started = time.monotonic()
    server.serve_forever()
    server.server_close()
    print(traffic.summary(), f"({time.monotonic() - started:.0f}s)", flush=True)
    if reports:
        traffic.write_reports(reports, upstream)
    return 1 if fail_on_violation and traffic.findings else 0
