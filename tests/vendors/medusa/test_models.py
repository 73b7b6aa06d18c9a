"""The ledger and the query language without HTTP, on a plain `Store`."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import pytest
from werkzeug.datastructures import MultiDict

from mockserver.errors import ApiError
from mockserver.store import Store
from mockserver.vendors.medusa import qs
from mockserver.vendors.medusa.js import js_string
from mockserver.vendors.medusa.models import Actor, Ledger, json_number, to_decimal
from mockserver.vendors.medusa.querying import parse_filters, select
from mockserver.vendors.medusa.v8json import express_json_error

NOW = datetime(2025, 3, 1, 12, 0, 0, 123456, tzinfo=UTC)
ADMIN = Actor("user", "user_01TEST")


@pytest.fixture
def ledger():
    store = Store()
    with store.transaction() as tx:
        yield Ledger(tx.tenant("medusa:test"))
    store.close()


def test_balance_is_exact_decimal_sum_of_transactions(ledger):
    account = ledger.create_account("usd", "cus_1", None, NOW)
    for amount in ("10.55", "0.001", "1000000000000"):
        ledger.credit(account["id"], Decimal(amount), None, ADMIN, NOW)
    ledger.debit(account["id"], Decimal("0.551"), "fix", ADMIN, NOW)
    totals = ledger.totals()[account["id"]]
    assert totals.credits == Decimal("1000000000010.551")
    assert totals.balance == Decimal("1000000000010")
    assert json_number(totals.credits) == 1000000000010.551
    assert json_number(totals.balance) == 1000000000010
    assert isinstance(json_number(totals.balance), int)


def test_float_amounts_become_the_decimal_the_client_wrote():
    assert to_decimal(10.55) == Decimal("10.55")
    assert to_decimal(0.1) + to_decimal(0.2) == Decimal("0.3")


def test_ids_codes_and_timestamps(ledger):
    first = ledger.create_account("usd", None, None, NOW)
    second = ledger.create_account("usd", None, None, NOW)
    assert first["id"] < second["id"]  # same millisecond, still in creation order
    assert first["code"] != second["code"]
    assert first["created_at"] == "2025-03-01T12:00:00.123Z"


def test_overdraft_writes_nothing(ledger):
    account = ledger.create_account("usd", None, None, NOW)
    ledger.credit(account["id"], Decimal(5), None, ADMIN, NOW)
    with pytest.raises(ApiError) as refused:
        ledger.debit(account["id"], Decimal("5.01"), None, ADMIN, NOW)
    assert refused.value.body == {"type": "invalid_data", "message": "Insufficient balance"}
    assert len(ledger.transactions(account["id"])) == 1


def test_amount_checked_before_the_account_exists(ledger):
    with pytest.raises(ApiError) as zero:
        ledger.credit("sc_acc_missing", Decimal(0), None, ADMIN, NOW)
    assert zero.value.status == 400
    with pytest.raises(ApiError) as missing:
        ledger.credit("sc_acc_missing", Decimal(1), None, ADMIN, NOW)
    assert missing.value.status == 404


def test_selection_rules():
    defaults = ("id", "a", "b", "*customer")
    assert select(None, defaults).names == {"id", "a", "b"}
    assert select("+c", defaults).names == {"id", "a", "b", "c"}
    assert select(" c", defaults).names == {"id", "a", "b", "c"}  # an unencoded '+'
    assert "customer" not in select("-customer", defaults).relations
    replaced = select("b,customer.email", defaults)
    assert replaced.names == {"id", "b"} and replaced.relations == {"customer": {"email"}}
    assert select("*transactions", defaults).relations == {"customer": None, "transactions": None}


def test_filter_forms():
    args = MultiDict(
        [("id[$in][]", "x"), ("id[$in][]", "y"), ("currency_code[$ne]", "usd"), ("q", "z")]
    )
    given = qs.read(args)
    found = {(c.field, c.operator, c.values) for c in parse_filters(given, ["id", "currency_code"])}
    assert found == {("id", "$in", ("x", "y")), ("currency_code", "$ne", ("usd",))}


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (None, "null"),
        (True, "true"),
        ({"a": 1}, "[object Object]"),
        (1.0, "1"),
        (123, "123"),
        (1.5, "1.5"),
        (1e21, "1e+21"),
        (1e-7, "1e-7"),
        (0.000001, "0.000001"),
        ([1, None], "1,"),
        ("x", "x"),
    ],
)
def test_js_string(value, text):
    assert js_string(value) == text


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ('{"currency_code": "usd",', "Expected double-quoted property name in JSON at position 24"),
        ("{amount: 5}", "Expected property name or '}' in JSON at position 1"),
        ("null", "Unexpected token 'n', \"null\" is not valid JSON"),
        ('"usd"', 'Unexpected token \'"\', ""usd"" is not valid JSON'),
        ('{"a":1}x', "Unexpected non-whitespace character after JSON at position 7"),
        ('{"a" 1}', "Expected ':' after property name in JSON at position 5"),
        ("[1 2]", "Expected ',' or ']' after array element in JSON at position 3"),
        ('{"a":1 "b"}', "Expected ',' or '}' after property value in JSON at position 7"),
        ('{"a":"b', "Unterminated string in JSON at position 7"),
        ("   ", "Unexpected end of JSON input"),
        (
            '{"abcdefghijklmnop": xyz}',
            'Unexpected token \'x\', ..."jklmnop": xyz}" is not valid JSON',
        ),
        (
            '{"currency_code": ²}',
            'Unexpected token \'²\', "{"currency_code": ²}" is not valid JSON',
        ),
        ('{"a":1}', None),
    ],
)
def test_v8_json_messages(raw, message):
    assert express_json_error(raw) == message
