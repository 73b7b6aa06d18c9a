"""Appstle's error envelope, `{"error": "<short title>", "details": "<one sentence>"}`.

Appstle documents this shape only for one 400; the mock uses it for every error status (the
spec marks that as inferred). The builders here are the only place error wording lives, so
the model and the core's failures read alike.
"""

from __future__ import annotations

from decimal import Decimal
from http import HTTPStatus
from typing import Any

from mockserver.errors import ApiError, Problem

INVALID_REQUEST = "Invalid request"
SELECTORS = ("customerId", "customerEmail")
REWARD_STATUSES = ("USED", "UNUSED", "REFUNDED", "EXPIRED", "SUBSCRIPTION_ACTIVE")


def api_error(status: int, error: str, details: str) -> ApiError:
    return ApiError(status, {"error": error, "details": details})


def invalid(details: str) -> ApiError:
    return api_error(400, INVALID_REQUEST, details)


def unauthorized(details: str) -> ApiError:
    return api_error(401, "Unauthorized", details)


def customer_not_found(details: str) -> ApiError:
    return api_error(404, "Customer not found", details)


def redeem_rule_not_found(rule_id: int) -> ApiError:
    return api_error(
        404,
        "Redeem rule not found",
        f"No point redeem rule has id {rule_id}; list them with GET "
        "/api/external/point-redeem-rules.",
    )


def redeem_rule_inactive(rule_id: int) -> ApiError:
    return api_error(
        400,
        "Redeem rule inactive",
        f"Point redeem rule {rule_id} is INACTIVE; redeem an ACTIVE rule instead.",
    )


def insufficient_points(available: str, wanted: str) -> ApiError:
    return api_error(
        400,
        "Insufficient points",
        f"The customer has {available} available points, fewer than the {wanted} requested.",
    )


def approval_list_missing() -> ApiError:
    """Appstle's own documented 400, word for word."""
    return invalid(
        "Must provide either approveAllPendingTransactions=true or a list of pending "
        "transactions to approve"
    )


def transaction_not_found(transaction_id: int, customer_id: int) -> ApiError:
    return invalid(
        f"No point transaction {transaction_id} belongs to customer {customer_id}; "
        "approve only the shop's pending transactions."
    )


def transaction_not_pending(transaction_id: int, status: str) -> ApiError:
    return invalid(
        f"Point transaction {transaction_id} is {status}, not PENDING; only pending "
        "transactions can be approved."
    )


def discount_not_found(code: str, customer_id: int | None = None) -> ApiError:
    owner = "" if customer_id is None else f" of customer {customer_id}"
    return api_error(
        404,
        "Discount code not found",
        f"No loyalty discount code {code!r}{owner}; read the customer's rewards with GET "
        "/api/external/customer-loyalty.",
    )


def discount_unusable(code: str, status: str) -> ApiError:
    """check-discount on a code that cannot be applied at checkout any more."""
    title = {"USED": "Discount already used", "EXPIRED": "Discount expired"}.get(
        status, "Discount not usable"
    )
    return api_error(
        400, title, f"Discount code {code} is {status}; only UNUSED or active codes apply."
    )


def discount_already_used(code: str) -> ApiError:
    return api_error(
        400, "Discount already used", f"Discount code {code} is already USED; it stays used."
    )


def unknown_reward_status(status: str) -> ApiError:
    return invalid(
        f"status: {status!r} is not a reward status; use one of " + ", ".join(REWARD_STATUSES)
    )


def selector_problem(customer_id: Any, customer_email: Any) -> str:
    """Why a body does not name exactly one customer (the spec's `oneOf` failed)."""
    if customer_id is not None and customer_email is not None:
        return "Give either customerId or customerEmail, not both."
    return "Give customerId or customerEmail to name the customer."


_ARTICLE = {"integer": "an integer", "object": "a JSON object", "array": "an array"}
_LIMIT_WORDING = {
    "minimum": "must be at least {}",
    "exclusiveMinimum": "must be greater than {}",
    "maximum": "must be at most {}",
    "exclusiveMaximum": "must be less than {}",
}


def _is_selector_problem(problem: Problem) -> bool:
    """The body-level `oneOf` of the spec: it names exactly one customer, or fails here."""
    return (
        problem.location == "body"
        and not problem.field
        and problem.kind == "constraint"
        and isinstance(problem.value, dict)
    )


def describe(problem: Problem) -> str:
    """One problem as `<field>: <what is wrong>`, in words a person can act on."""
    where = problem.field or ("request body" if problem.location == "body" else problem.location)
    if problem.kind == "required":
        if problem.location == "body" and not problem.field:
            return "A JSON request body is required."
        return f"{where}: is required"
    if problem.kind == "type":
        if problem.value is None and problem.location == "body":
            return f"{where}: must not be null"
        expected = str(problem.expected or "a different type")
        return f"{where}: must be {_ARTICLE.get(expected, 'a ' + expected)}"
    if problem.kind == "enum" and isinstance(problem.limit, list):
        return f"{where}: must be one of " + ", ".join(map(str, problem.limit))
    if problem.kind == "constraint":
        if _is_selector_problem(problem):
            return selector_problem(
                problem.value.get("customerId"), problem.value.get("customerEmail")
            )
        if problem.rule in _LIMIT_WORDING:
            return f"{where}: " + _LIMIT_WORDING[problem.rule].format(_number(problem.limit))
        if problem.rule == "maxLength" and isinstance(problem.value, str):
            return (
                f"{where}: is too long ({len(problem.value)} characters, at most {problem.limit})"
            )
        if problem.rule == "minLength":
            return f"{where}: must not be empty"
        if problem.rule == "pattern" and problem.field == "status":
            return f"{where}: must be a comma-separated list of " + ", ".join(REWARD_STATUSES)
    return f"{where}: {problem.message}"


def _number(limit: Any) -> str:
    """A schema limit as written in the spec: 0.01, 1000000000 (not 1e9 or 0.0)."""
    return format(Decimal(str(limit)).normalize(), "f") if limit is not None else "?"


class AppstleErrors:
    """`mockserver.vendor.ErrorFormat` in Appstle's envelope."""

    def invalid_request(self, problems: list[Problem]) -> ApiError:
        if any(p.field in SELECTORS for p in problems):
            # A mistyped customerId/customerEmail also fails the selector `oneOf`; the type
            # problem already says what to fix.
            problems = [p for p in problems if not _is_selector_problem(p)]
        details = list(dict.fromkeys(describe(p) for p in problems))
        return invalid("; ".join(details))

    def malformed_body(self, detail: str, raw: bytes) -> ApiError:
        return invalid(f"JSON parse error: {detail}. Send a JSON object.")

    def unsupported_media_type(self, content_type: str) -> ApiError:
        given = f"Content-Type '{content_type}'" if content_type else "A body without Content-Type"
        return api_error(
            415, "Unsupported Media Type", f"{given} is not supported; send application/json."
        )

    def payload_too_large(self, limit: int) -> ApiError:
        return api_error(
            413, "Payload Too Large", f"The request body is over {limit} bytes; send less."
        )

    def route_not_found(self, method: str, path: str) -> ApiError:
        return api_error(404, "Not Found", f"No endpoint {method} {path}; check the path.")

    def method_not_allowed(self, method: str, path: str, allowed: list[str]) -> ApiError:
        return api_error(
            405,
            "Method Not Allowed",
            f"{method} is not supported on {path}; use {', '.join(allowed)}.",
        )

    def idempotency_conflict(self) -> ApiError:
        return api_error(
            409,
            "Idempotency conflict",
            "This Idempotency-Key was already used with a different request; use a new key.",
        )

    def injected_fault(self, status: int) -> ApiError:
        try:
            title = HTTPStatus(status).phrase
        except ValueError:
            title = f"HTTP {status}"
        return api_error(status, title, "Fault injected by the mock's admin API.")

    def internal_error(self) -> ApiError:
        return api_error(
            500, "Internal Server Error", "The mock failed unexpectedly; see the server log."
        )


ERRORS = AppstleErrors()
