"""Defects of the real Medusa 2.21.1 + loyalty plugin that the mock reproduces by default.

Each is observed on the real server (`../shared/vendors/real-medusa`, and the recordings in
tests/data/real-medusa/exchanges.jsonl); `--fidelity spec` answers what the spec promises
instead. `mockserver quirks` lists them.
"""

from __future__ import annotations

import html
from urllib.parse import quote

from mockserver.errors import ApiError
from mockserver.fidelity import Quirk

PAGING_500 = Quirk(
    name="medusa-500-on-negative-paging",
    vendor_does="`limit` or `offset` below 0 (e.g. limit=-1) crashes the query: "
    "500 {code: unknown_error, type: unknown_error, message: 'An unknown error occurred.'}",
    spec_does="400 invalid_data naming the field (the spec's minimum: 0)",
    evidence="real Medusa 2.21.1: GET /admin/store-credit-accounts?limit=-1 and "
    "?offset=-1, and the same on /{id}/transactions (recorded exchanges)",
)
PARSE_INT_PAGING = Quirk(
    name="medusa-parseint-paging",
    vendor_does="`limit` and `offset` are read with JavaScript's parseInt before they are "
    "checked: trailing characters are dropped and a 0x prefix is hex (limit=3abc is 3, "
    "offset=0x10 is 16, limit=+4z is 4); only what parseInt cannot read (abc, 0x, Infinity) "
    "is refused",
    spec_does="400 invalid_data: not a number (the spec's type)",
    evidence="real Medusa 2.21.1, curl: GET /admin/store-credit-accounts?limit=3abc (200, "
    "limit 3), ?offset=0x10&limit=1 (200, offset 16), ?limit=0x (400)",
)
DEEP_KEY_500 = Quirk(
    name="medusa-500-on-deep-query-key",
    vendor_does="a query key of more than two dotted parts (a.b.c=1, fields.a.b=1) is "
    "refused by Medusa's query normaliser with a 500: {type: invalid_argument, message: "
    "'Key accessor more than 2 levels deep: a.b.c'}",
    spec_does="400 with the same body",
    evidence="real Medusa 2.21.1, curl: GET /admin/store-credit-accounts?a.b.c=1, "
    "?fields.a.b=1, ?limit.x.y=1",
)
ORDER_500 = Quirk(
    name="medusa-500-on-unknown-order",
    vendor_does="`order` naming a field the entity cannot sort by (order=foo, order=balance, "
    "order= empty) crashes the query: 500 unknown_error",
    spec_does="400 invalid_data listing the sortable fields (the spec's enum)",
    evidence="real Medusa 2.21.1: GET /admin/store-credit-accounts?order=foo, ?order=balance",
)
EXPRESS_404 = Quirk(
    name="medusa-express-html-404",
    vendor_does="an unknown route, or a known path with a method it does not serve (DELETE "
    "/admin/store-credit-accounts), gets Express's HTML page 'Cannot DELETE /path' with "
    "status 404 and text/html (after the admin auth check under /admin/); OPTIONS gets "
    "Express's automatic 200 listing the methods ('GET,HEAD,POST', text/html, Allow header)",
    spec_does="a JSON {type: not_found, message: 'Cannot GET /path'} 404, and for a wrong "
    "method (OPTIONS included) a JSON 405 with an Allow header",
    evidence="real Medusa 2.21.1: GET /admin/nope, DELETE /admin/store-credit-accounts, "
    "PUT /admin/store-credit-accounts/{id}",
)
NUL_500 = Quirk(
    name="medusa-500-on-nul-in-text",
    vendor_does="a string holding U+0000 (a `note`, a `metadata` value) cannot be stored by "
    "PostgreSQL: the write fails with 500 unknown_error and changes nothing",
    spec_does="the write succeeds (the spec allows any string)",
    evidence="real Medusa 2.21.1: POST /admin/store-credit-accounts/{id}/credit "
    '{"amount": 5, "note": "a\\u0000b"}, POST /admin/store-credit-accounts with such metadata',
)
DATE_500 = Quirk(
    name="medusa-500-on-bad-date-filter",
    vendor_does="a `created_at`/`updated_at` filter value PostgreSQL cannot read as a "
    "timestamp (created_at[$gt]=abc, an empty value, a UTC offset beyond 15:59) crashes the "
    "query: 500 unknown_error",
    spec_does="400 invalid_data: Expected type: 'date' for field 'created_at.$gt'",
    evidence="real Medusa 2.21.1: GET /admin/store-credit-accounts?updated_at[$lte]=abc, "
    "?updated_at[$lte]=, ?updated_at[$lte]=0111-03-09T19:39:46.000-21:35",
)
LOOSE_DATE_FILTER = Quirk(
    name="medusa-ignores-unknown-date-operators",
    vendor_does="a `created_at`/`updated_at` key that names no operator (created_at[x]=1, "
    "created_at[x][y]=1, beside created_at[$gt]=... too) is stripped by zod's operator map "
    "and filters nothing: 200",
    spec_does="400 invalid_data: Unrecognized fields: 'x' (the spec's DateOperatorMap "
    "allows no other keys)",
    evidence="real Medusa 2.21.1, curl: GET /admin/store-credit-accounts?created_at[x]=1, "
    "?updated_at[foo]=1, ?created_at[x][y]=1, "
    "?created_at[$gt]=2024-01-01T00:00:00Z&created_at[x]=1 (all 200)",
)
OPERATOR_500 = Quirk(
    name="medusa-500-on-list-equality-filter",
    vendor_does="a filter whose `$eq` or `$ne` holds two different values (id[$eq]=a&id[$eq]=b, "
    "created_at[$ne][]=...&created_at[$ne][]=...), or that uses `$contains`, passes "
    "validation and crashes the query: 500 unknown_error",
    spec_does="`$eq` with several values matches any of them and `$ne` none of them (as "
    "`$in` and `$nin`); `$contains`, which the spec does not declare, filters nothing",
    evidence="real Medusa 2.21.1, curl: GET /admin/store-credit-accounts?id[$eq]=a&id[$eq]=b, "
    "?customer_id[$ne]=a&customer_id[$ne]=b, ?customer_id[$contains]=x, "
    "?created_at[$contains]=2025-01-01T00:00:00Z, /{id}/transactions?id[$contains]=a (all "
    "500); id[$eq][]=a, id[$eq]=a&id[$eq]=a and updated_at[$ne]=null&updated_at[$ne]=null "
    "are 200",
)
QUIRKS = (
    PAGING_500,
    PARSE_INT_PAGING,
    DEEP_KEY_500,
    ORDER_500,
    DATE_500,
    NUL_500,
    EXPRESS_404,
    LOOSE_DATE_FILTER,
    OPERATOR_500,
)

_EXPRESS_HEADERS = {
    "Content-Type": "text/html; charset=utf-8",
    "Content-Security-Policy": "default-src 'none'",
    "X-Content-Type-Options": "nosniff",
}
# Characters encodeurl (used by Express's finalhandler) leaves as they are; the path it is
# given is still percent-encoded, ours is decoded, so `%` itself is encoded here.
_URL_SAFE = "!#$&'()*+,/:;=?@[]_~-."


def express_options(allowed: list[str]) -> ApiError:
    """Express's automatic OPTIONS answer: 200 and the route's methods (HEAD with GET)."""
    methods = []
    for method in allowed:
        methods += [method, "HEAD"] if method == "GET" else [method]
    listing = ",".join(methods)
    return ApiError(200, listing, {"Allow": listing, "Content-Type": "text/html; charset=utf-8"})


def express_not_found(method: str, path: str) -> ApiError:
    """Express's final handler page for a request no route answered (`path` decoded)."""
    message = html.escape(f"Cannot {method} {quote(path, safe=_URL_SAFE)}", quote=True)
    page = (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f"<title>Error</title>\n</head>\n<body>\n<pre>{message}</pre>\n</body>\n</html>\n"
    )
    return ApiError(404, page, dict(_EXPRESS_HEADERS))
