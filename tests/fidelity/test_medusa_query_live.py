"""Query strings sent to the real Medusa 2.21.1 and to the mock in its default (vendor) mode:
the same status, the same page numbers or the same error body. Medusa reads `limit` and
`offset` with JavaScript's parseInt before checking them (trailing characters and hex pass),
its query parser turns `name[x]` and `name.x` into objects and `name[]` into arrays, and its
normaliser refuses keys of more than two dotted parts."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from mockserver.vendors.medusa import VENDOR
from tests.vendors.medusa.conftest import ACCOUNTS, basic

QUERIES = [
    "limit=3abc",
    "offset=0x10&limit=1",
    "limit=%20%205x",
    "limit=%2B4z",
    "limit=1.9e2",
    "limit=0x",
    "limit=0xg",
    "limit=abc",
    "limit=Infinity",
    "limit=%1C5",
    "limit=-0x2",
    "limit.x=1",
    "limit%5Bx%5D=1",
    "q%5Bx%5D=1",
    "with_deleted.x=1",
    "order.x=1",
    "limit.x=1&foo=2",
    "foo=2&limit.x=1",
    "limit%5B%5D=7",
    "limit%5B0%5D=5",
    "limit=1&limit.x=2",
    "limit=1&limit=2",
    "q.x=1&q.y=2",
    "id.x=1",
    "currency_code.x=usd",
    "a.b.c=1",
    "fields.a.b=1",
    "limit.x.y=1",
    "with_deleted=yes",
    "with_deleted=1",
    "with_deleted=TRUE",
    "with_deleted=true",
    "with_deleted=false",
    "order=-",
    "fields=*nothing",
    "offset=",
    "id%5B%24in%5D=x",
    "id%5B%24in%5D%5B%5D=x",
    "id%5B%24in%5D%5B0%5D=x",
    "id%5B%24in%5D=a&id%5B%24in%5D=b",
    "id%5B%24nin%5D=x",
    "id%5B%24eq%5D=x",
    "id%5B%24eq%5D%5B%5D=x",
    "id%5B%24ne%5D%5B%5D=x",
    "id%5B%24gt%5D%5B%5D=x",
    "id%5B%24lte%5D%5B0%5D=x",
    "id%5B%24like%5D=x",
    "id%5B%24like%5D%5B%5D=x",
    "id%5B%24like%5D=a&id%5B%24like%5D=b",
    "id%5B%24in%5D%5Bx%5D=1",
    "id%5B%24eq%5D%5Bx%5D=1",
    "id%5B%24foo%5D%5Bx%5D=1",
    "id%5Bx%5D=1",
    "currency_code%5B%24in%5D=usd",
    "customer_id%5B%24in%5D=x",
]


@pytest.mark.real_medusa
@pytest.mark.parametrize("query", QUERIES)
def test_the_query_is_read_as_the_real_medusa_reads_it(real_medusa, make_app: Any, query):
    real = httpx.get(
        f"{real_medusa.base_url}{ACCOUNTS}?{query}&fields=id",
        headers=real_medusa.basic_header,
        timeout=30,
    )
    mock = make_app(vendors=[VENDOR]).test_client()
    answer = mock.get(f"{ACCOUNTS}?{query}&fields=id", headers=basic("sk_test_demo"))
    assert answer.status_code == real.status_code, (answer.get_json(), real.text)
    if real.status_code == 200:
        paging = ("offset", "limit")
        assert [answer.get_json()[k] for k in paging] == [real.json()[k] for k in paging]
    else:
        assert answer.get_json() == real.json()
