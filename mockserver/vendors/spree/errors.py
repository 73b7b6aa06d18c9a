"""Spree's error answers: `{"error": ...}` for 400/401/404, Rails-style `{"error", "errors"}`
for 422, and Doorkeeper's `{"error", "error_description"}` on the token endpoint.

The core reports spec violations as `Problem`s; this module words them as Rails would: a
missing or non-object `store_credit` wrapper is `ParameterMissing` (400), anything wrong inside
it is a 422 listing every attribute, and a bad query parameter is a 400.
"""

from __future__ import annotations

from collections.abc import Mapping
from http import HTTPStatus
from typing import Any

from flask import has_request_context, request

from mockserver.errors import ApiError, Problem
from mockserver.vendors.spree.jsonapi import INCLUDABLE

WRAPPER = "store_credit"
NOT_FOUND = "The resource you were looking for could not be found."
INVALID_TOKEN = "The access token is invalid"
TOKEN_EXPIRED = "The access token expired"
TOKEN_REVOKED = "The access token was revoked"
# `validate_token_client` raises a bare `Doorkeeper::Errors::DoorkeeperError` for a token
# issued to no OAuth application; its message is the class name.
NO_APPLICATION = "Doorkeeper::Errors::DoorkeeperError"
# CanCan's `AccessDenied` default message (a customer's token on the platform API).
ACCESS_DENIED = "You are not authorized to access this page."
WRAPPER_MISSING = f"param is missing or the value is empty: {WRAPPER}"
SERIALIZER = "Spree::Api::V2::Platform::StoreCreditSerializer"
OAUTH_PREFIX = "/spree_oauth/"

# Doorkeeper's English descriptions (config/locales/en.yml of the doorkeeper gem).
OAUTH_DESCRIPTIONS = {
    "invalid_request": (
        "The request is missing a required parameter, includes an unsupported parameter "
        "value, or is otherwise malformed."
    ),
    "invalid_client": (
        "Client authentication failed due to unknown client, no client authentication "
        "included, or unsupported authentication method."
    ),
    "invalid_grant": (
        "The provided authorization grant is invalid, expired, revoked, does not match the "
        "redirection URI used in the authorization request, or was issued to another client."
    ),
    "unsupported_grant_type": (
        "The authorization grant type is not supported by the authorization server."
    ),
    "invalid_scope": "The requested scope is invalid, unknown, or malformed.",
}

AMOUNTS = ("amount", "amount_used", "amount_authorized")
MAX_AMOUNT = "999999.99"


def humanize(attribute: str) -> str:
    """Rails' `human_attribute_name`: "created_by" -> "Created by", "user_id" -> "User"."""
    return attribute.removesuffix("_id").replace("_", " ").capitalize()


def to_sentence(items: list[str]) -> str:
    """Rails' `Array#to_sentence`: "a", "a and b", "a, b, and c"."""
    if len(items) <= 2:
        return " and ".join(items)
    return ", ".join(items[:-1]) + ", and " + items[-1]


def validation_failed(errors: Mapping[str, list[str]]) -> ApiError:
    """422 with every message: `error` is Rails' `full_messages.to_sentence`."""
    full = [f"{humanize(attr)} {msg}" for attr, messages in errors.items() for msg in messages]
    return ApiError(422, {"error": to_sentence(full), "errors": dict(errors)})


def parameter_missing() -> ApiError:
    """Rails' `ParameterMissing`, rescued by Spree's `error_during_processing`."""
    return ApiError(400, {"error": WRAPPER_MISSING})


def not_found() -> ApiError:
    return ApiError(404, {"error": NOT_FOUND})


def unauthorized(message: str = INVALID_TOKEN) -> ApiError:
    """Spree rescues Doorkeeper's and CanCan's errors into `{"error": message}`, 401, with no
    `WWW-Authenticate` challenge (`handle_auth_errors :raise`)."""
    return ApiError(401, {"error": message})


def missing_scope(*scopes: str) -> ApiError:
    """`doorkeeper_authorize!` with none of the scopes: Doorkeeper's forbidden-token text,
    answered 401 like every other Doorkeeper error."""
    return unauthorized(f'Access to this resource requires scope "{" ".join(scopes)}".')


def server_error() -> ApiError:
    """Rails' API-only 500 (`ActionDispatch::PublicExceptions` for a JSON request)."""
    return ApiError(500, {"status": 500, "error": "Internal Server Error"})


def oauth_error(code: str, description: str | None = None) -> ApiError:
    """Doorkeeper's error body; `invalid_client` is a 401, the others 400."""
    status = 401 if code == "invalid_client" else 400
    body = {"error": code, "error_description": description or OAUTH_DESCRIPTIONS[code]}
    return ApiError(status, body)


def _on_token_endpoint() -> bool:
    return has_request_context() and request.path.startswith(OAUTH_PREFIX)


def _error(status: int, message: str) -> ApiError:
    """A plain error in the envelope of wherever the request went."""
    if _on_token_endpoint():
        return ApiError(status, {"error": "invalid_request", "error_description": message})
    return ApiError(status, {"error": message})


class SpreeErrors:
    """`mockserver.vendor.ErrorFormat` for Spree."""

    def invalid_request(self, problems: list[Problem]) -> ApiError:
        if _on_token_endpoint():
            return _oauth_invalid_request(problems)
        query = [p for p in problems if p.location != "body"]
        if query:
            return ApiError(400, {"error": _query_message(query[0])})
        if any(p.field in ("", WRAPPER) for p in problems):
            return ApiError(400, {"error": WRAPPER_MISSING})
        errors: dict[str, list[str]] = {}
        for problem in problems:
            attribute, message = _attribute_message(problem)
            messages = errors.setdefault(attribute, [])
            if message not in messages:
                messages.append(message)
        return validation_failed(errors)

    def malformed_body(self, detail: str, raw: bytes) -> ApiError:
        return _error(400, f"Error occurred while parsing request parameters: {detail}")

    def unsupported_media_type(self, content_type: str) -> ApiError:
        accepted = (
            "application/json or application/x-www-form-urlencoded"
            if _on_token_endpoint()
            else "application/json or application/vnd.api+json"
        )
        return _error(415, f"Unsupported media type: {content_type or 'none'}. Send {accepted}.")

    def payload_too_large(self, limit: int) -> ApiError:
        return _error(413, f"Request body is larger than {limit} bytes.")

    def route_not_found(self, method: str, path: str) -> ApiError:
        return ApiError(404, {"error": NOT_FOUND})

    def method_not_allowed(self, method: str, path: str, allowed: list[str]) -> ApiError:
        return _error(405, f"{method} is not allowed on {path}; use {', '.join(allowed)}.")

    def idempotency_conflict(self) -> ApiError:
        return _error(409, "Idempotency-Key was already used for a different request.")

    def injected_fault(self, status: int) -> ApiError:
        return _error(status, HTTPStatus(status).phrase)

    def internal_error(self) -> ApiError:
        return server_error()


def _oauth_invalid_request(problems: list[Problem]) -> ApiError:
    """Doorkeeper checks the grant type first, then the scope, then everything else."""
    for problem in problems:
        if problem.field == "grant_type":
            if problem.kind == "required":
                return oauth_error("invalid_request", "Missing required parameter: grant_type.")
            return oauth_error("unsupported_grant_type")
    if any(p.field == "scope" for p in problems):
        return oauth_error("invalid_scope")
    return oauth_error("invalid_request")


def _query_message(problem: Problem) -> str:
    if problem.field == "include" and isinstance(problem.value, str):
        unknown = [name for name in problem.value.split(",") if name not in INCLUDABLE]
        name = unknown[0] if unknown else problem.value
        return f"{name} is not specified as a relationship on {SERIALIZER}"
    return f"Invalid value for {problem.field}: {problem.message}"


def _attribute_message(problem: Problem) -> tuple[str, str]:
    """(errors key, Rails message) for one problem inside the `store_credit` wrapper: only
    values the spec refuses reach here (an id that is no integer, an amount that is no
    number, a currency that is no ISO code)."""
    attribute = problem.field.split(".")[1]
    value: Any = problem.value
    if attribute in AMOUNTS:
        return attribute, _amount_message(attribute, problem)
    if attribute == "currency" and (value is None or str(value).strip() == ""):
        return attribute, "can't be blank"
    return attribute, "is invalid"


def _amount_message(attribute: str, problem: Problem) -> str:
    value = problem.value
    if isinstance(value, bool) or not isinstance(value, int | float):
        return "is not a number"
    if value > float(MAX_AMOUNT):
        return f"must be less than or equal to {MAX_AMOUNT}"
    if attribute == "amount":
        return "must be greater than 0"
    return "must be greater than or equal to 0"
