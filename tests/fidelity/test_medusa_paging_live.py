"""Paging values sent to the real Medusa 2.21.1 and to the mock in its default (vendor) mode:
the same status, the same page numbers or the same error body. Medusa reads `limit` and
`offset` with JavaScript's parseInt before checking them, so trailing characters and hex pass."""

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
]


@pytest.mark.real_medusa
@pytest.mark.parametrize("query", QUERIES)
def test_paging_is_read_as_the_real_medusa_reads_it(real_medusa, make_app: Any, query):
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
