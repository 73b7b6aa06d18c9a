"""The request pipeline every vendor request goes through, in order:

route -> credentials and tenant, faults (a short read transaction) -> body -> spec validation
-> the handler's transaction: idempotency, handler, journal, commit (any error rolls back)
-> response validation (before the commit in strict mode).

Each step either passes or raises the vendor's own `ApiError`, so bad input never reaches a
handler and never changes state, and only the handler's transaction holds the write lock.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import logging
import re
import time
from collections.abc import Callable
from typing import Any

from flask import Response, current_app, g, request
from werkzeug.exceptions import MethodNotAllowed, NotFound

from mockserver import faults
from mockserver.bodies import BodyError, is_json_media_type, parse_json
from mockserver.config import MockConfig
from mockserver.errors import Problem
from mockserver.openapi import SpecRequest, SpecResponse, VendorSpec, load_spec
from mockserver.redaction import Redactor
from mockserver.requestctx import utcnow
from mockserver.store import GLOBAL_TENANT, Store, Transaction
from mockserver.tenancy import (
    ServerAuthContext,
    ensure_tenant,
    has_room_for_tenant,
    sandbox_pattern,
)
from mockserver.vendor import Principal, Vendor

log = logging.getLogger("mockserver")

READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
_RULE_VARIABLE = re.compile(r"<(?:[^:<>]+:)?([^<>]+)>")
_JOURNAL_BODY_LIMIT = 4096
PURGE_BATCH = 1000


def spec_template(flask_rule: str) -> str:
    """`/x/<id>` or `/x/<string:id>` as the spec writes it: `/x/{id}`."""
    return _RULE_VARIABLE.sub(r"{\1}", flask_rule)


class Pipeline:
    """Runs the steps above as Flask before/after/teardown hooks."""

    def __init__(
        self, config: MockConfig, store: Store, vendors: list[Vendor], signing_key: bytes
    ) -> None:
        self.config = config
        self.store = store
        self.vendors = vendors
        self.signing_key = signing_key
        self.specs: dict[str, VendorSpec] = {v.name: load_spec(v.spec_file) for v in vendors}
        self.sandbox = {
            v.name: sandbox_pattern(
                config.sandbox_patterns.get(v.name, v.sandbox_pattern),
                config.max_credential_length,
            )
            for v in vendors
        }
        self.redactors = {v.name: Redactor(v.secret_fields) for v in vendors}
        self._writes = itertools.count(1)  # this process's committed writes, for the purge
        self._by_prefix = sorted(
            ((prefix, v) for v in vendors for prefix in v.path_prefixes),
            key=lambda item: -len(item[0]),
        )

    def vendor_for(self, path: str) -> Vendor | None:
        for prefix, vendor in self._by_prefix:
            if path.startswith(prefix) or path == prefix.rstrip("/"):
                return vendor
        return None

    # -- before the handler ---------------------------------------------------------------

    def before(self) -> Response | None:
        g.started = time.perf_counter()
        g.mock_config = self.config
        vendor = self.vendor_for(request.path)
        if vendor is None:
            return None  # admin API, or a path no vendor serves (plain 404)
        g.vendor = vendor
        spec = self.specs[vendor.name]
        operation = self._operation(vendor, spec)
        # Reading and validating the request is the costly part: it runs outside any
        # transaction, so writers hold SQLite's lock only for the handler and the commit.
        if vendor.parses_body_before_auth:
            self._parse_json_body(vendor)
        principal = self._identify(vendor, operation)
        raw = self._read_body(vendor, operation)
        query = vendor.read_query(request.args) if vendor.read_query else None
        g.spec_request = SpecRequest.of(spec.server_url, request, raw, query)
        problems = spec.request_problems(g.spec_request, g.json_body)
        if vendor.query_root is not None:
            problems += _unknown_query(operation.query_names, vendor.query_root)
        if problems:
            g.problems = [str(p) for p in problems]
            raise vendor.errors.invalid_request(problems)
        write = request.method not in READ_METHODS
        self._use_transaction(vendor, self.store.begin(write=write))
        if principal is None:
            return None
        if write:
            ensure_tenant(g.tx, vendor, principal.tenant)  # reseeds if reset meanwhile
        g.tenant_store = g.tx.tenant(principal.tenant)
        return self._replay_idempotent(vendor, raw)

    def _identify(self, vendor: Vendor, operation: Any) -> Principal | None:
        """Authenticate and roll the fault dice in one short read transaction; seed a tenant
        seen for the first time in a write transaction of its own."""
        self._use_transaction(vendor, self.store.begin(write=False))
        try:
            principal = None
            if operation.secured:
                principal = g.principal = vendor.authenticate(request, g.server_context)
            tenant = principal.tenant if principal else None
            is_new = tenant is not None and g.tx.tenant_vendor(tenant) is None
            outcome = faults.decide(g.tx, request.method, request.path, vendor.name, tenant)
        finally:
            self.store.end(g.pop("tx"), commit=False)
        if is_new:
            with self.store.transaction(write=True) as tx:
                if tx.tenant_vendor(tenant) is None and not has_room_for_tenant(
                    tx, self.config.max_tenants
                ):
                    raise self._tenant_limit(vendor)
                ensure_tenant(tx, vendor, tenant)
        if outcome is not None:
            self._apply_fault(vendor, outcome)
        return principal

    def _tenant_limit(self, vendor: Vendor) -> Exception:
        log.warning(
            "refused a new tenant: %d tenants exist (max_tenants); POST /__admin/reset frees them",
            self.config.max_tenants,
        )
        return vendor.errors.injected_fault(429)

    def _operation(self, vendor: Vendor, spec: VendorSpec) -> Any:
        exc = request.routing_exception
        if isinstance(exc, MethodNotAllowed):
            # Routing stopped at the method: find the rule the path does match.
            adapter = current_app.url_map.bind_to_environ(request.environ)
            rule, _ = adapter.match(method=sorted(exc.valid_methods or [])[0], return_rule=True)
            template, operation = spec_template(rule.rule), None
        elif isinstance(exc, NotFound) or request.url_rule is None:
            self._authenticate_unrouted(vendor)
            raise vendor.errors.route_not_found(request.method, request.path)
        else:
            template = spec_template(request.url_rule.rule)
            operation = spec.operation(request.method, template)
        if operation is None:
            self._authenticate_unrouted(vendor)
            allowed = spec.methods_of(template)
            error = vendor.errors.method_not_allowed(request.method, request.path, allowed)
            if error.status == 405:  # a vendor may answer like its framework does instead
                error.headers["Allow"] = ", ".join(allowed)
            raise error
        g.operation = operation
        return operation

    def _authenticate_unrouted(self, vendor: Vendor) -> None:
        """Check credentials for a request no operation will answer, where the vendor's auth
        middleware sits in front of its router (401 or nothing)."""
        if not request.path.startswith(vendor.auth_before_routing):
            return
        self._use_transaction(vendor, self.store.begin(write=False))
        try:
            vendor.authenticate(request, g.server_context)
        finally:
            self.store.end(g.pop("tx"), commit=False)

    def _read_body(self, vendor: Vendor, operation: Any) -> bytes:
        """Size, media type and syntax checks; leaves the parsed body in `g.json_body`."""
        g.json_body, g.raw_body = None, b""
        raw = request.get_data(cache=True)  # over MAX_CONTENT_LENGTH: 413 via the app
        g.raw_body = raw
        if not raw or not operation.body_media_types:
            return raw
        mimetype = request.mimetype
        if mimetype not in operation.body_media_types:
            raise vendor.errors.unsupported_media_type(request.content_type or "")
        if is_json_media_type(mimetype):
            g.json_body = self._parse_json_body(vendor)
        elif mimetype == "application/x-www-form-urlencoded":
            g.json_body = request.form.to_dict()
        return raw

    def _parse_json_body(self, vendor: Vendor) -> Any:
        """The body parsed as JSON when it is sent as JSON (None when empty or not JSON); once
        per request, as a vendor whose parser runs first may already have asked."""
        if "parsed_json" not in g:
            g.parsed_json, raw = None, request.get_data(cache=True)
            if raw and is_json_media_type(request.mimetype):
                try:
                    g.parsed_json = parse_json(raw, self.config.max_json_depth)
                except BodyError as exc:
                    raise vendor.errors.malformed_body(exc.detail, raw) from None
        return g.parsed_json

    def _use_transaction(self, vendor: Vendor, tx: Transaction) -> None:
        g.tx = tx
        g.global_store = tx.tenant(GLOBAL_TENANT)
        g.server_context = ServerAuthContext(
            tx, vendor.name, self.sandbox[vendor.name], self.config.token_ttl, self.signing_key
        )

    def _apply_fault(self, vendor: Vendor, outcome: faults.FaultOutcome) -> None:
        g.fault_latency_ms = outcome.latency_ms  # slept once the transaction is over
        if outcome.status is not None:
            error = vendor.errors.injected_fault(outcome.status)
            if outcome.retry_after is not None:
                error.headers["Retry-After"] = str(outcome.retry_after)
            raise error

    def _replay_idempotent(self, vendor: Vendor, raw: bytes) -> Response | None:
        key = request.headers.get("Idempotency-Key")
        if not key or request.method in READ_METHODS:
            return None
        fingerprint = hashlib.sha256(
            b"\0".join([request.method.encode(), request.full_path.encode(), raw])
        ).hexdigest()
        g.idempotency = (key, fingerprint)
        not_before = time.time() - self.config.idempotency_ttl
        remembered = g.tx.remembered_answer(g.principal.tenant, key, not_before)
        if remembered is None:
            return None
        if remembered[0] != fingerprint:
            raise vendor.errors.idempotency_conflict()
        g.replayed = True
        answer = remembered[1]
        response = Response(answer["body"], status=answer["status"], headers=answer["headers"])
        response.headers["Idempotent-Replayed"] = "true"
        return response

    # -- after the handler ----------------------------------------------------------------

    def after(self, response: Response) -> Response:
        vendor = g.get("vendor")
        if vendor is None:
            return response
        checked = "spec_request" in g
        if checked and self.config.strict_responses:
            response = self._check_response(vendor, response)  # a violation rolls back
        self._finish(vendor, response)
        if checked and not self.config.strict_responses:
            self._check_response(vendor, response)  # only logged: no need to hold the lock
        if g.get("fault_latency_ms"):
            time.sleep(g.fault_latency_ms / 1000)
        return response

    def _finish(self, vendor: Vendor, response: Response) -> None:
        """Commit a successful write with its journal entry (one commit); otherwise undo
        everything and journal on its own."""
        entry = self._journal_entry(vendor, response)
        tx = g.pop("tx", None)
        if tx is not None and response.status_code < 400 and not tx.read_only:
            if "idempotency" in g and not g.get("replayed"):
                key, fingerprint = g.idempotency
                answer = _answer_of(response)
                tx.remember_answer(g.principal.tenant, key, fingerprint, answer, time.time())
            tx.journal_append(entry, self.config.journal_size)
            self.store.end(tx, commit=True)
            if next(self._writes) % self.config.purge_every == 0:
                response.call_on_close(self._purge_after_commit)  # once the answer is sent
            return
        if tx is not None:
            self.store.end(tx, commit=False)  # a refusal changes nothing
        with self.store.transaction(write=True) as journal_tx:
            journal_tx.journal_append(entry, self.config.journal_size)

    def purge(self, batch: int = PURGE_BATCH) -> int:
        """Delete a bounded batch of expired records (issued tokens) and idempotency answers
        past their time to live. Run once every `purge_every` writes, after that write's
        answer is sent, so no client waits for it and no purge takes on a whole backlog;
        returns how many rows went."""
        now = time.time()
        with self.store.transaction(write=True) as tx:
            return tx.purge(now, now - self.config.idempotency_ttl, batch)

    def _purge_after_commit(self) -> None:
        """Runs after the answer has gone out, so its client does not wait for it; a purge
        that fails is logged and simply tried again `purge_every` writes later."""
        try:
            self.purge()
        except Exception:
            log.exception("purging expired records failed; will retry")

    def teardown(self, _exc: BaseException | None) -> None:
        tx = g.pop("tx", None)
        if tx is not None:
            self.store.end(tx, commit=False)

    def _check_response(self, vendor: Vendor, response: Response) -> Response:
        spec = self.specs[vendor.name]
        answered = g.get("answered")  # (response, the value its JSON body was made from)
        violations = spec.response_violations(
            g.spec_request,
            SpecResponse(
                data=response.get_data(),
                status_code=response.status_code,
                content_type=response.mimetype or "",
                headers=response.headers,
            ),
            answered[1] if answered is not None and answered[0] is response else None,
        )
        if not violations:
            return response
        summary = f"{request.method} {request.path} -> {response.status_code}: " + " | ".join(
            violations
        )
        log.error("response breaks the %s spec: %s", vendor.name, summary)
        if not self.config.strict_responses:
            return response
        return Response(
            json.dumps({"mock_error": "response breaks the spec", "detail": summary}),
            status=500,
            content_type="application/json",
        )

    def _journal_entry(self, vendor: Vendor, response: Response) -> dict[str, Any]:
        """What the journal keeps of one exchange, secrets fingerprinted (`redaction`)."""
        principal = g.get("principal")
        redact = self.redactors[vendor.name]
        answer = b"" if response.is_streamed else response.get_data()
        return {
            "at": utcnow().isoformat(),
            "vendor": vendor.name,
            "tenant": principal.tenant if principal else None,
            "method": request.method,
            "path": request.path,
            "query": redact.query(request.query_string.decode("latin-1")),
            "status": response.status_code,
            "duration_ms": round((time.perf_counter() - g.started) * 1000, 3),
            "request_headers": redact.headers(request.headers.items()),
            "request_body": redact.body(g.get("raw_body", b""), request.mimetype)[
                :_JOURNAL_BODY_LIMIT
            ],
            "response_body": redact.body(answer, response.mimetype or "")[:_JOURNAL_BODY_LIMIT],
            "problems": g.get("problems", []),  # why the request broke the spec
        }


def _unknown_query(declared: frozenset[str], root: Callable[[str], str | None]) -> list[Problem]:
    roots = (root(key) for key in request.args)
    names = tuple(dict.fromkeys(r for r in roots if r is not None and r not in declared))
    if not names:
        return []
    return [Problem("query", "", "unknown", f"unknown query parameters: {names}", names=names)]


def _answer_of(response: Response) -> dict[str, Any]:
    keep = {k: v for k, v in response.headers.items() if k.lower() not in ("content-length",)}
    return {
        "status": response.status_code,
        "headers": keep,
        "body": response.get_data(as_text=True),
    }
