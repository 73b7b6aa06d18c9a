"""Vendor-neutral error types.

Handlers and models raise `ApiError` carrying a body already in the vendor's wire format (each
vendor's `errors.py` builds them); the app renders it as is. `Problem` is one validation
finding, in a structured form each vendor turns into its own message style.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

ProblemKind = Literal["required", "type", "unknown", "enum", "format", "constraint"]
Location = Literal["body", "query", "path", "header", "cookie"]


class ApiError(Exception):
    """An HTTP error answer in a vendor's own format: status, body (JSON-able, a verbatim
    string such as an HTML page, or None) and headers."""

    def __init__(self, status: int, body: Any, headers: dict[str, str] | None = None) -> None:
        super().__init__(f"{status}: {body!r}")
        self.status = status
        self.body = body
        self.headers = dict(headers or {})


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a request, as found by spec validation.

    `field` is a dotted path inside its location ('' for the whole body), `expected` the
    schema type for `type` problems, `value` the offending value (absent for `required`),
    `names` the offending keys for `unknown` problems, and `message` a plain English
    sentence for vendors that have no wording of their own. For `enum`, `format` and
    `constraint` problems, `rule` is the schema keyword that failed (`maxLength`,
    `exclusiveMinimum`, `oneOf`, ...) and `limit` its value in the schema (500, 0, ...).
    """

    location: Location
    field: str
    kind: ProblemKind
    message: str
    expected: str | None = None
    value: Any = None
    names: tuple[str, ...] = field(default=())
    rule: str | None = None
    limit: Any = None

    def __str__(self) -> str:
        """`body.amount: ...`: where, then what (journal entries and the proxy's findings)."""
        where = f"{self.location}.{self.field}" if self.field else self.location
        return f"{where}: {self.message}"
