"""Every Medusa store-credit operation over HTTP: success and error paths with exact bodies."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import quote

import pytest

from mockserver.vendors.medusa import VENDOR
from tests.vendors.medusa.conftest import ACCOUNTS, DEMO_ACCOUNT, DEMO_KEY_ID

ACC = f"{ACCOUNTS}/{DEMO_ACCOUNT}"
JSON = "application/json"


def invalid(message: str) -> dict[str, str]:
    return {"type": "invalid_data", "message": message}


def create(client: Any, auth: dict[str, str], **body: Any) -> dict[str, Any]:
    response = client.post(ACCOUNTS, json=body, headers=auth)
    assert response.status_code == 200, response.get_json()
    return response.get_json()["store_credit_account"]


# -- create ---------------------------------------------------------------------------------


def test_create_answers_200_with_generated_code_and_embedded_customer(medusa, sandbox):
    account = create(medusa, sandbox, currency_code="usd", customer_id="cus_demo2")
    assert account["id"].startswith("sc_acc_") and len(account["id"]) == 7 + 26
    assert account["code"][:3] == "SC-" and len(account["code"]) == 22
    assert (account["credits"], account["debits"], account["balance"]) == (0, 0, 0)
    assert account["customer"]["email"] == "second@example.com"
    assert account["metadata"] is None and account["currency_code"] == "usd"


def test_create_without_customer_has_no_customer_key(medusa, sandbox):
    account = create(medusa, sandbox, currency_code="usd")
    assert account["customer_id"] is None
    assert "customer" not in account
    second = create(medusa, sandbox, currency_code="usd")  # not limited without a customer
    assert second["id"] != account["id"]


def test_duplicate_customer_currency_is_400_but_case_differs(medusa, sandbox):
    create(medusa, sandbox, currency_code="usd", customer_id="cus_x")
    again = medusa.post(
        ACCOUNTS, json={"currency_code": "usd", "customer_id": "cus_x"}, headers=sandbox
    )
    assert again.status_code == 400
    assert again.get_json() == invalid(
        "Store credit account with customer_id: cus_x, currency_code: usd, already exists."
    )
    upper = create(medusa, sandbox, currency_code="USD", customer_id="cus_x")
    assert upper["currency_code"] == "USD"
    assert "customer" not in upper  # unknown customer: accepted, nothing to embed


# What the real Medusa 2.21.1 answered (curl): it parses PostgreSQL's detail line with a regex.
@pytest.mark.parametrize(
    ("customer_id", "currency_code", "shown"),
    [
        ("x,y", "usd", "customer_id: x, currency_code: y"),
        ("c)d", "a(b", "customer_id: c, currency_code: undefined"),
        ("f", " t ", "customer_id: false, currency_code: true"),
        ("c", "e)u", "customer_id: c, currency_code: e)u"),
    ],
)
def test_duplicate_message_is_cut_where_medusas_parser_cuts_it(
    medusa, sandbox, customer_id, currency_code, shown
):
    body = {"currency_code": currency_code, "customer_id": customer_id}
    create(medusa, sandbox, **body)
    again = medusa.post(ACCOUNTS, json=body, headers=sandbox)
    assert again.get_json() == invalid(f"Store credit account with {shown}, already exists.")


def test_create_with_fields_and_metadata(medusa, sandbox):
    response = medusa.post(
        f"{ACCOUNTS}?fields=id,balance",
        json={"currency_code": "gbp", "metadata": {"n": 1}},
        headers=sandbox,
    )
    body = response.get_json()["store_credit_account"]
    assert set(body) == {"id", "balance"}


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        ({"customer_id": "c"}, "Invalid request: Field 'currency_code' is required"),
        (
            {"currency_code": 123},
            "Invalid request: Expected type: 'string' for field 'currency_code', got: '123'",
        ),
        (
            {"currency_code": "usd", "customer_id": None},
            "Invalid request: Expected type: 'string' for field 'customer_id', got: 'null'",
        ),
        (
            {"currency_code": "usd", "metadata": "x"},
            "Invalid request: Expected type: 'record' for field 'metadata', got: 'x'",
        ),
        (
            {"currency_code": "usd", "foo": 1, "bar": 2},
            "Invalid request: Unrecognized fields: 'foo, bar'",
        ),
        (
            {"currency_code": 1, "customer_id": 2, "zzz": 3},
            "Invalid request: Expected type: 'string' for field 'currency_code', got: '1'; "
            "Expected type: 'string' for field 'customer_id', got: '2'; "
            "Unrecognized fields: 'zzz'",
        ),
        ({"currency_code": ""}, "Currency code is required to create a store credit account"),
        ({}, "Invalid request: Field 'currency_code' is required"),
    ],
)
def test_create_validation_messages(medusa, sandbox, payload, message):
    # Sent as written: Flask's test client would sort the keys of `json=`.
    response = medusa.post(ACCOUNTS, data=json.dumps(payload), content_type=JSON, headers=sandbox)
    assert response.status_code == 400
    assert response.get_json() == invalid(message)


@pytest.mark.parametrize(
    ("raw", "content_type", "message"),
    [
        (
            '{"currency_code": "usd",',
            "application/json",
            "Expected double-quoted property name in JSON at position 24",
        ),
        ("{amount: 5}", "application/json", "Expected property name or '}' in JSON at position 1"),
        ("null", "application/json", "Unexpected token 'n', \"null\" is not valid JSON"),
        ('"usd"', "application/json", 'Unexpected token \'"\', ""usd"" is not valid JSON'),
        ("[]", "application/json", "Invalid request: Field '' is required"),
        ("currency_code=usd", "text/plain", "Invalid request: Field '' is required"),
        ("", None, "Invalid request: Field 'currency_code' is required"),
    ],
)
def test_unreadable_bodies_in_express_wording(medusa, sandbox, raw, content_type, message):
    response = medusa.post(ACCOUNTS, data=raw, content_type=content_type, headers=sandbox)
    assert response.status_code == 400
    assert response.get_json() == invalid(message)


def test_refused_create_changes_nothing(medusa, sandbox):
    medusa.post(ACCOUNTS, json={"currency_code": "usd", "foo": 1}, headers=sandbox)
    listed = medusa.get(ACCOUNTS, headers=sandbox).get_json()
    assert listed["count"] == 1  # the fixture account only


# -- retrieve -------------------------------------------------------------------------------


def test_retrieve_demo_account_balance_from_transactions(medusa, key):
    account = medusa.get(ACC, headers=key).get_json()["store_credit_account"]
    assert (account["credits"], account["debits"], account["balance"]) == (100, 24.5, 75.5)
    assert account["customer"] == {
        "id": "cus_demo",
        "company_name": None,
        "first_name": "Dana",
        "last_name": "Demo",
        "email": "demo@example.com",
        "phone": None,
        "has_account": True,
        "metadata": None,
        "created_by": None,
        "created_at": "2025-01-10T09:00:00.000Z",
        "updated_at": "2025-01-10T09:00:00.000Z",
        "deleted_at": None,
    }


@pytest.mark.parametrize("account_id", ["sc_acc_DOES_NOT_EXIST", "cus_123"])
def test_retrieve_unknown_is_404(medusa, key, account_id):
    response = medusa.get(f"{ACCOUNTS}/{account_id}", headers=key)
    assert response.status_code == 404
    assert response.get_json() == {
        "type": "not_found",
        "message": f"StoreCreditAccount id not found: {account_id}",
    }


@pytest.mark.parametrize(
    ("fields", "keys"),
    [
        ("nonexistent_field", {"id"}),
        (
            "-customer",
            {
                "id",
                "currency_code",
                "customer_id",
                "code",
                "credits",
                "debits",
                "balance",
                "updated_at",
                "created_at",
                "metadata",
            },
        ),
        (
            "-balance,-credits,-debits",
            {
                "id",
                "currency_code",
                "customer_id",
                "code",
                "updated_at",
                "created_at",
                "metadata",
                "customer",
            },
        ),
        ("id,customer.email", {"id", "customer_id", "customer"}),
        ("code", {"id", "code"}),
        (
            "+deleted_at",
            {
                "id",
                "currency_code",
                "customer_id",
                "code",
                "credits",
                "debits",
                "balance",
                "updated_at",
                "created_at",
                "metadata",
                "customer",
                "deleted_at",
            },
        ),
    ],
)
def test_retrieve_fields(medusa, key, fields, keys):
    account = medusa.get(ACC, query_string={"fields": fields}, headers=key).get_json()
    assert set(account["store_credit_account"]) == keys


def test_fields_relations(medusa, key):
    email = medusa.get(ACC, query_string={"fields": "id,customer.email"}, headers=key)
    assert email.get_json()["store_credit_account"]["customer"] == {
        "id": "cus_demo",
        "email": "demo@example.com",
    }
    amounts = medusa.get(ACC, query_string={"fields": "+transactions.amount"}, headers=key)
    assert amounts.get_json()["store_credit_account"]["transactions"] == [
        {"amount": 100},
        {"amount": 24.5},
    ]
    full = medusa.get(ACC, query_string={"fields": "*transactions"}, headers=key).get_json()
    first = full["store_credit_account"]["transactions"][0]
    assert first["raw_amount"] == {"value": "100", "precision": 20}
    assert first["account_id"] == DEMO_ACCOUNT and "customer" in full["store_credit_account"]


def test_unencoded_plus_in_fields_counts_as_plus(medusa, key):
    response = medusa.get(f"{ACC}?fields=+deleted_at", headers=key)
    account = response.get_json()["store_credit_account"]
    assert account["deleted_at"] is None and account["balance"] == 75.5


def test_unknown_query_key_refused_on_get_and_post(medusa, key):
    for response in (
        medusa.get(f"{ACC}?foo=bar", headers=key),
        medusa.post(f"{ACC}/credit?foo=bar", json={"amount": 1}, headers=key),
    ):
        assert response.status_code == 400
        assert response.get_json() == invalid("Invalid request: Unrecognized fields: 'foo'")


# Field names the real Medusa 2.21.1 gave these query keys (curl against the real server):
# Express' qs parser, then Medusa's `parent.child` split.
@pytest.mark.parametrize(
    ("raw", "field"),
    [
        ("x[", "x"), ("x[y", "x"), ("a[]", "a"), ("a[b][c", "a"), ("x[y]]", "x"), ("a]", "a]"),
        ("[x", "[x"), ("[x]", "x"), ("[", "["), ("]", "]"), ("[]", "0"), ("[3]", "3"),
        ("[[x]]", "[x]"), ("[x][y]", "x"), ("[x]y", "x"), ("[x[y]", "[x[y]"), ("a.b", "a"),
        (".a", ""), ("a.", "a"), ("[x.y]", "x"),
    ],
)  # fmt: skip
def test_odd_query_keys_are_named_as_the_real_parser_names_them(medusa, key, raw, field):
    response = medusa.get(f"{ACC}?{quote(raw, safe='')}=1", headers=key)
    assert response.get_json() == invalid(f"Invalid request: Unrecognized fields: '{field}'")


def test_unknown_fields_are_listed_in_javascripts_key_order(medusa, key):
    """Array-index keys first, numerically; then the rest as sent (the real server's order)."""
    got = medusa.get(f"{ACC}?b=1&10=1&a=1&2=1&02=1&%C2%B2=1", headers=key)
    assert got.get_json() == invalid("Invalid request: Unrecognized fields: '2, 10, b, a, 02, ²'")
    # A field stands where its first key stood; a key the parser drops stands nowhere.
    later = medusa.get(f"{ACC}?a%5Bx%5D=1&b=1&a=2", headers=key)
    assert later.get_json() == invalid("Invalid request: Unrecognized fields: 'a, b'")
    dropped = medusa.get(f"{ACC}?=b&foo=1&.x=", headers=key)  # `.x` is field '' (x inside)
    assert dropped.get_json() == invalid("Invalid request: Unrecognized fields: 'foo, '")
    body = {"b": 1, "10": 1, "currency_code": "usd", "2": 1}
    created = medusa.post(ACCOUNTS, json=body, headers=key)
    assert created.get_json() == invalid("Invalid request: Unrecognized fields: '2, 10, b'")


# What the real Medusa 2.21.1 echoed (curl): it reads paging with JavaScript's parseInt.
@pytest.mark.parametrize(
    ("query", "offset", "limit"),
    [
        ("offset=1.9e2", 1, 15),
        ("limit=2e1", 0, 2),
        ("offset=3.801158538465436e%2B307", 3, 15),
        ("limit=1.99", 0, 1),
        ("offset=99999999999999999999", 100000000000000000000, 15),
        ("limit=99999999999999999999", 0, 100000000000000000000),
    ],
)
@pytest.mark.parametrize("listing", [ACCOUNTS, f"{ACC}/transactions"])
def test_paging_numbers_are_read_as_javascripts_parse_int(
    medusa, key, listing, query, offset, limit
):
    answer = medusa.get(f"{listing}?{query}", headers=key)
    assert answer.status_code == 200, answer.get_json()
    assert (answer.get_json()["offset"], answer.get_json()["limit"]) == (offset, limit)


def test_a_key_in_brackets_is_no_nested_value_of_its_field(medusa, key):
    # qs reads `[limit]` as `limit` itself, never as an object inside it.
    assert medusa.get(f"{ACC}?%5Blimit%5D=2", headers=key).status_code == 200
    assert medusa.get(f"{ACCOUNTS}?%5Blimit%5D=2", headers=key).get_json()["limit"] == 2


def test_keys_the_query_parser_drops_are_not_refused(medusa, key):
    assert medusa.get(f"{ACC}?__proto__=1&=2", headers=key).status_code == 200


def test_a_single_account_accepts_the_lists_query_and_ignores_it(medusa, key):
    ignored = "limit=-1&offset=1.5&order=foo&q=&with_deleted=true&currency_code=eur&id=x"
    response = medusa.get(f"{ACC}?{ignored}&customer_id=nobody", headers=key)
    assert response.status_code == 200
    assert response.get_json()["store_credit_account"]["id"] == DEMO_ACCOUNT
    typed = medusa.get(f"{ACC}?with_deleted=maybe", headers=key)
    assert typed.get_json() == invalid(
        "Invalid request: Expected type: 'boolean' for field 'with_deleted', got: 'maybe'"
    )


def test_an_unreadable_body_is_400_before_credentials_are_checked(medusa):
    """Express parses JSON bodies app-wide, before Medusa's auth middleware."""
    unreadable = medusa.post(ACCOUNTS, data="{bad", content_type="application/json")
    assert unreadable.status_code == 400
    assert unreadable.get_json()["type"] == "invalid_data"
    not_json = medusa.post(ACCOUNTS, data="{bad", content_type="text/plain")
    assert not_json.status_code == 401


# -- credit / debit -------------------------------------------------------------------------


def test_credit_then_debit_keeps_exact_decimals(medusa, sandbox):
    account = create(medusa, sandbox, currency_code="usd")
    url = f"{ACCOUNTS}/{account['id']}"
    steps = [
        ("credit", 10.55, 10.55),
        ("credit", 0.001, 10.551),
        ("credit", 1e12, 1000000000010.551),
        ("debit", 1000000000000, 10.551),
        ("debit", 10.551, 0),
    ]
    for kind, amount, balance in steps:
        response = medusa.post(
            f"{url}/{kind}?fields=id,balance", json={"amount": amount}, headers=sandbox
        )
        assert response.status_code == 200
        assert response.get_json()["store_credit_account"]["balance"] == balance
    raw = medusa.get(f"{url}?fields=id,credits", headers=sandbox).get_data(as_text=True)
    assert '"credits":1000000000010.551' in raw


def test_credit_answer_and_transaction_record(medusa, key):
    response = medusa.post(f"{ACC}/credit", json={"amount": 50, "note": "welcome"}, headers=key)
    assert response.status_code == 200
    account = response.get_json()["store_credit_account"]
    assert (account["credits"], account["balance"]) == (150, 125.5)
    page = medusa.get(f"{ACC}/transactions?order=-created_at&limit=1", headers=key).get_json()
    trx = page["transactions"][0]
    assert trx["type"] == "credit" and trx["amount"] == 50 and trx["note"] == "welcome"
    assert (trx["reference"], trx["reference_id"]) == ("api-key", DEMO_KEY_ID)
    assert trx["id"].startswith("sc_trx_") and trx["metadata"] is None


def test_debit_without_note_records_empty_note(medusa, key):
    medusa.post(f"{ACC}/debit", json={"amount": 5}, headers=key)
    trx = medusa.get(f"{ACC}/transactions?order=-created_at&limit=1", headers=key).get_json()
    assert trx["transactions"][0]["note"] == ""


def test_overdraft_refused_and_changes_nothing(medusa, key):
    for amount in (1000, 75.51):
        response = medusa.post(f"{ACC}/debit", json={"amount": amount}, headers=key)
        assert response.status_code == 400
        assert response.get_json() == invalid("Insufficient balance")
    after = medusa.get(ACC, headers=key).get_json()["store_credit_account"]
    assert after["balance"] == 75.5
    assert medusa.get(f"{ACC}/transactions", headers=key).get_json()["count"] == 2
    whole = medusa.post(f"{ACC}/debit?fields=id,balance", json={"amount": 75.5}, headers=key)
    assert whole.get_json()["store_credit_account"]["balance"] == 0


@pytest.mark.parametrize("kind", ["credit", "debit"])
@pytest.mark.parametrize("amount", [0, -5])
def test_amount_must_be_positive_even_for_unknown_account(medusa, key, kind, amount):
    for url in (ACC, f"{ACCOUNTS}/sc_acc_DOES_NOT_EXIST"):
        response = medusa.post(f"{url}/{kind}", json={"amount": amount}, headers=key)
        assert response.status_code == 400
        assert response.get_json() == invalid("Amount must be greater than 0")


@pytest.mark.parametrize("kind", ["credit", "debit"])
def test_unknown_account_is_404_after_schema_and_amount(medusa, key, kind):
    url = f"{ACCOUNTS}/sc_acc_DOES_NOT_EXIST/{kind}"
    response = medusa.post(url, json={"amount": 5}, headers=key)
    assert response.status_code == 404
    assert (
        response.get_json()["message"] == "StoreCreditAccount id not found: sc_acc_DOES_NOT_EXIST"
    )
    schema_first = medusa.post(url, json={"amount": 0, "foo": 1}, headers=key)
    assert schema_first.get_json() == invalid("Invalid request: Unrecognized fields: 'foo'")


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        (
            {"amount": "10"},
            "Invalid request: Expected type: 'number' for field 'amount', got: '10'",
        ),
        ({"note": "x"}, "Invalid request: Field 'amount' is required"),
        (
            {"amount": None},
            "Invalid request: Expected type: 'number' for field 'amount', got: 'null'",
        ),
        (
            {"amount": True},
            "Invalid request: Expected type: 'number' for field 'amount', got: 'true'",
        ),
        (
            {"amount": {"value": 1}},
            "Invalid request: Expected type: 'number' for field 'amount', got: '[object Object]'",
        ),
        (
            {"amount": 1, "note": 5},
            "Invalid request: Expected type: 'string' for field 'note', got: '5'",
        ),
        ({"amount": 1, "foo": "bar"}, "Invalid request: Unrecognized fields: 'foo'"),
    ],
)
def test_credit_validation_messages(medusa, key, payload, message):
    response = medusa.post(
        f"{ACC}/credit", data=json.dumps(payload), content_type=JSON, headers=key
    )
    assert response.status_code == 400
    assert response.get_json() == invalid(message)


def test_credit_without_body(medusa, key):
    response = medusa.post(f"{ACC}/credit", headers=key)
    assert response.get_json() == invalid("Invalid request: Field 'amount' is required")


# -- list -----------------------------------------------------------------------------------


@pytest.fixture
def populated(medusa, sandbox):
    """Four accounts in a fresh sandbox tenant, besides the fixture one."""
    made = [
        create(medusa, sandbox, currency_code="eur", customer_id="cus_demo"),
        create(medusa, sandbox, currency_code="USD", customer_id="cus_demo"),
        create(medusa, sandbox, currency_code="usd", customer_id="cus_demo2"),
        create(medusa, sandbox, currency_code="cad"),
    ]
    medusa.post(f"{ACCOUNTS}/{made[0]['id']}/credit", json={"amount": 100}, headers=sandbox)
    return [DEMO_ACCOUNT] + [a["id"] for a in made]


def ids(client, auth, query):
    response = client.get(f"{ACCOUNTS}?{query}", headers=auth)
    assert response.status_code == 200, response.get_json()
    return [a["id"] for a in response.get_json()["store_credit_accounts"]]


def test_list_defaults_and_totals_always_present(medusa, sandbox, populated):
    page = medusa.get(ACCOUNTS, headers=sandbox).get_json()
    assert (page["count"], page["offset"], page["limit"]) == (5, 0, 15)
    assert [a["id"] for a in page["store_credit_accounts"]] == populated
    only_id = medusa.get(f"{ACCOUNTS}?fields=id&limit=2", headers=sandbox).get_json()
    assert only_id["store_credit_accounts"][1] == {
        "id": populated[1],
        "balance": 100,
        "debits": 0,
        "credits": 100,
    }


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("limit=2&offset=2", [2, 3]),
        ("limit=0", []),
        ("offset=1000", []),
        ("limit=1.5", [0]),
        ("customer_id=cus_demo", [0, 1, 2]),
        ("customer_id[]=cus_demo&customer_id[]=cus_demo2", [0, 1, 2, 3]),
        ("customer_id=cus_demo&customer_id=cus_demo2", [0, 1, 2, 3]),
        ("currency_code=eur", [1]),
        ("currency_code[$ne]=usd", [1, 2, 4]),
        ("currency_code[$in][]=eur&currency_code[$in][]=cad", [1, 4]),
        ("customer_id[$nin][]=cus_demo", [3]),
        ("q=US", [0, 2, 3]),
        ("order=-id&limit=2", [4, 3]),
        ("order=currency_code", [2, 4, 1, 0, 3]),
        ("order=customer_id", [0, 1, 2, 3, 4]),
        ("order=-customer_id", [4, 3, 2, 1, 0]),  # ties by id, descending too
        ("with_deleted=true", [0, 1, 2, 3, 4]),
        ("created_at[$lt]=2025-06-01T00:00:00Z", [0]),
        ("created_at[$gte]=2025-06-01T00:00:00Z", [1, 2, 3, 4]),
    ],
)
def test_list_paging_filters_and_order(medusa, sandbox, populated, query, expected):
    assert ids(medusa, sandbox, query) == [populated[i] for i in expected]


def test_list_id_filters(medusa, sandbox, populated):
    assert ids(medusa, sandbox, f"id={populated[2]}") == [populated[2]]
    assert (
        ids(medusa, sandbox, f"id[$in][]={populated[2]}&id[$in][]={populated[3]}") == populated[2:4]
    )
    assert ids(medusa, sandbox, f"id[$in][0]={populated[4]}") == [populated[4]]


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("foo=bar", "Invalid request: Unrecognized fields: 'foo'"),
        ("balance=10", "Invalid request: Unrecognized fields: 'balance'"),
        ("limit=abc", "Invalid request: Expected type: 'number' for field 'limit', got: 'abc'"),
        ("offset=abc", "Invalid request: Expected type: 'number' for field 'offset', got: 'abc'"),
        # The query parser makes objects of `[x]` and `.x` keys, arrays of `[]` and `[0]`.
        (
            "limit.x=1",
            "Invalid request: Expected type: 'number' for field 'limit', got: '[object Object]'",
        ),
        (
            "q%5Bx%5D=1",
            "Invalid request: Expected type: 'string' for field 'q', got: '[object Object]'",
        ),
        ("limit%5B%5D=7", "Invalid request: Expected type: 'number' for field 'limit', got: '7'"),
        (  # `$in` wants a list: zod shows the operator map
            "id%5B%24in%5D=x",
            "Invalid request: Expected type: 'string, array' for field 'id', "
            "got: '[object Object]'",
        ),
        (
            "currency_code%5B%24like%5D%5B%5D=x",
            "Invalid request: Expected type: 'string, array' for field 'currency_code', "
            "got: '[object Object]'",
        ),
        (
            "with_deleted=yes",
            "Invalid request: Expected type: 'boolean' for field 'with_deleted', got: 'yes'",
        ),
        (
            "foo=2&with_deleted.x=1",
            "Invalid request: Expected type: 'boolean' for field 'with_deleted', "
            "got: '[object Object]'; Unrecognized fields: 'foo'",
        ),
        (
            "limit=-1",
            "Invalid request: Invalid value for field 'limit', got: '-1' "
            "(-1.0 is less than the minimum of 0)",
        ),
        (
            "created_at=2025",
            "Invalid request: Expected type: 'record' for field 'created_at', got: '2025'",
        ),
        (
            "created_at[$gt]=soon",
            "Invalid request: Expected type: 'date' for field 'created_at.$gt', got: 'soon'",
        ),
    ],
)
def test_list_refusals(medusa, key, query, message):
    response = medusa.get(f"{ACCOUNTS}?{query}", headers=key)
    assert response.status_code == 400
    assert response.get_json() == invalid(message)


# What the real Medusa 2.21.1 answered (curl): its query parser (qs) merges every key of one
# field, plain or bracketed, and reads `[limit]` as `limit`; zod then checks the merged value
# and Medusa words its first three issues. The parser is not a quirk: both fidelities read so.
MERGED_QUERIES = [
    ("id=a&id[$in]=x", "Expected type: 'string' for field 'id', got: 'a,[object Object]'"),
    ("id[$in]=x&id=a", "Expected type: 'string' for field 'id', got: '[object Object],a'"),
    ("id[$in][]=x&id=a", "Expected type: 'string' for field 'id', got: '[object Object],a'"),
    (
        "currency_code=usd&currency_code[$eq]=usd",
        "Expected type: 'string' for field 'currency_code', got: 'usd,[object Object]'",
    ),
    (
        "customer_id=a&customer_id[$ne]=b",
        "Expected type: 'string' for field 'customer_id', got: 'a,[object Object]'",
    ),
    ("[limit]=2&limit=1", "Expected type: 'number' for field 'limit', got: '2,1'"),
    ("limit=1&[limit]=2", "Expected type: 'number' for field 'limit', got: '1,2'"),
    ("limit=1&limit[x]=2", "Expected type: 'number' for field 'limit', got: '1,[object Object]'"),
    ("offset=1&[offset]=2", "Expected type: 'number' for field 'offset', got: '1,2'"),
    ("order=id&[order]=id", "Expected type: 'string' for field 'order', got: 'id,id'"),
    ("[q]=a&q=b", "Expected type: 'string' for field 'q', got: 'a,b'"),
    ("q=a&q[x]=1", "Expected type: 'string' for field 'q', got: 'a,[object Object]'"),
    ("[fields]=x&fields=id", "Expected type: 'string' for field 'fields', got: 'x,id'"),
    (
        "with_deleted=true&[with_deleted]=false",
        "Expected type: 'boolean' for field 'with_deleted', got: 'true,false'",
    ),
    (
        "created_at=2025-01-01T00:00:00Z&created_at[$gt]=2024-01-01T00:00:00Z",
        "Expected type: 'object' for field 'created_at', got: "
        "'2025-01-01T00:00:00Z,[object Object]'",
    ),
    ("[id][$in]=x", "Expected type: 'string, array' for field 'id', got: '[object Object]'"),
    ("id[0][x]=1", "Expected type: 'string' for field 'id', got: '[object Object]'"),
    (
        "created_at[$gt]=a&created_at[$gt][]=b",
        "Expected type: 'string' for field 'created_at, $gt', got: 'a,b'",
    ),
    ("created_at[$in]=x", "Expected type: 'array' for field 'created_at, $in', got: 'x'"),
    (  # zod names every type the operator map missed, and the first one's value
        "created_at[$gt][]=y&created_at[$in]=x",
        "Expected type: 'array, string' for field 'created_at, $in', got: 'x'",
    ),
    (  # Medusa's formatter does not look inside arrays: the value reads as missing
        "created_at[$in][0][x]=1",
        "Field 'created_at, $in, 0' is required",
    ),
    ("created_at[$eq][x]=1", "Invalid input"),
    (
        "limit[x]=1&id=a&id[$in]=x",
        "Expected type: 'number' for field 'limit', got: '[object Object]'; "
        "Expected type: 'string' for field 'id', got: 'a,[object Object]'",
    ),
    (  # three issues at most, in the schema's order; the unknown field is the fourth
        "q[x]=1&order[x]=1&limit[x]=1&offset[x]=1&foo=1",
        "Expected type: 'number' for field 'offset', got: '[object Object]'; "
        "Expected type: 'number' for field 'limit', got: '[object Object]'; "
        "Expected type: 'string' for field 'order', got: '[object Object]'",
    ),
    ("[]=1&[]=2", "Unrecognized fields: '0, 1'"),
    ("[foo]=1", "Unrecognized fields: 'foo'"),
]


@pytest.mark.parametrize("fidelity", ["vendor", "spec"])
@pytest.mark.parametrize(("query", "message"), MERGED_QUERIES)
def test_keys_of_one_field_merge_before_zod_checks_them(make_app, key, fidelity, query, message):
    client = make_app(vendors=[VENDOR], fidelity=fidelity).test_client()
    response = client.get(f"{ACCOUNTS}?{query}", headers=key)
    assert response.get_json() == invalid(f"Invalid request: {message}")


def test_keys_of_one_field_merge_into_one_filter(medusa, sandbox, populated):
    assert medusa.get(f"{ACCOUNTS}?[limit]=2", headers=sandbox).get_json()["limit"] == 2
    assert ids(medusa, sandbox, f"[id]={populated[2]}") == [populated[2]]
    assert ids(medusa, sandbox, f"[id][$in][]={populated[2]}") == [populated[2]]
    assert ids(medusa, sandbox, "[q]=eur") == [populated[1]]
    both = [populated[1], populated[3]]
    assert ids(medusa, sandbox, f"id={populated[1]}&id[]={populated[3]}") == both
    assert ids(medusa, sandbox, f"id[$in][]={populated[1]}&id[$in]={populated[3]}") == both
    assert ids(medusa, sandbox, f"id[]={populated[1]},{populated[3]}") == both  # one item: split
    # `id.x` makes `id` an object: set first, the later plain key replaces it; set after,
    # it spreads the plain value into an operator map with no operator (no filter at all).
    assert ids(medusa, sandbox, f"id.x=1&id={populated[2]}") == [populated[2]]
    assert ids(medusa, sandbox, f"id={populated[2]}&id.x=1") == populated
    # qs drops keys naming Object.prototype's properties.
    assert ids(medusa, sandbox, "toString=1&[constructor]=2&limit[valueOf]=3") == populated


def test_unknown_order_field_is_400_naming_the_choices(medusa, key):
    response = medusa.get(f"{ACCOUNTS}?order=nope", headers=key)
    assert response.status_code == 400
    message = response.get_json()["message"]
    assert message.startswith("Invalid request: Expected: 'id, -id, code,")
    assert message.endswith("for field 'order', but got: 'nope'")


# -- transactions ---------------------------------------------------------------------------


def test_transactions_list_and_fields(medusa, key):
    page = medusa.get(f"{ACC}/transactions", headers=key).get_json()
    assert (page["count"], page["offset"], page["limit"]) == (2, 0, 15)
    assert set(page["transactions"][0]) == {
        "id",
        "amount",
        "type",
        "reference",
        "reference_id",
        "note",
        "updated_at",
        "created_at",
        "metadata",
    }
    extra = medusa.get(f"{ACC}/transactions?fields=%2Baccount_id,-note,-metadata", headers=key)
    first = extra.get_json()["transactions"][0]
    assert first["account_id"] == DEMO_ACCOUNT and "note" not in first and "metadata" not in first
    embedded = medusa.get(f"{ACC}/transactions?fields=*account&limit=1", headers=key).get_json()
    assert set(embedded["transactions"][0]["account"]) == {
        "id",
        "code",
        "currency_code",
        "customer_id",
        "metadata",
        "created_at",
        "updated_at",
        "deleted_at",
    }
    only_ids = medusa.get(f"{ACC}/transactions?fields=id", headers=key).get_json()
    assert only_ids["transactions"] == [
        {"id": "sc_trx_01JDEMQ0TRX000000000000001"},
        {"id": "sc_trx_01JDEMQ0TRX000000000000002"},
    ]


def test_transactions_order_paging_q_and_filters(medusa, key):
    medusa.post(f"{ACC}/credit", json={"amount": 4.45}, headers=key)
    amounts = medusa.get(f"{ACC}/transactions?order=amount&fields=amount", headers=key)
    assert [t["amount"] for t in amounts.get_json()["transactions"]] == [4.45, 24.5, 100]
    newest = medusa.get(f"{ACC}/transactions?order=-created_at&limit=1&offset=1", headers=key)
    assert newest.get_json()["transactions"][0]["amount"] == 24.5
    everything = medusa.get(f"{ACC}/transactions?q=refund", headers=key).get_json()
    assert everything["count"] == 3  # q filters nothing on transactions (recorded)
    one = medusa.get(f"{ACC}/transactions?id=sc_trx_01JDEMQ0TRX000000000000002", headers=key)
    assert one.get_json()["count"] == 1


def test_transactions_of_unknown_account_is_empty_200(medusa, key):
    response = medusa.get(f"{ACCOUNTS}/sc_acc_DOES_NOT_EXIST/transactions", headers=key)
    assert response.status_code == 200
    assert response.get_json() == {"transactions": [], "count": 0, "offset": 0, "limit": 15}


def test_transactions_type_filter_is_unrecognised(medusa, key):
    response = medusa.get(f"{ACC}/transactions?type=credit", headers=key)
    assert response.get_json() == invalid("Invalid request: Unrecognized fields: 'type'")


# -- routes, idempotency --------------------------------------------------------------------


def test_unknown_route_is_json_404_and_wrong_method_405(medusa, key):
    missing = medusa.get("/admin/definitely-not-a-route", headers=key)
    assert missing.status_code == 404
    assert missing.get_json() == {
        "type": "not_found",
        "message": "Cannot GET /admin/definitely-not-a-route",
    }
    wrong = medusa.delete(ACC, headers=key)
    assert wrong.status_code == 405
    assert wrong.headers["Allow"] == "GET"
    assert wrong.get_json()["type"] == "not_allowed"


def test_idempotency_replay_and_conflict(medusa, sandbox):
    headers = {**sandbox, "Idempotency-Key": "k-1"}
    first = medusa.post(ACCOUNTS, json={"currency_code": "usd"}, headers=headers)
    again = medusa.post(ACCOUNTS, json={"currency_code": "usd"}, headers=headers)
    assert again.get_json() == first.get_json()
    assert medusa.get(ACCOUNTS, headers=sandbox).get_json()["count"] == 2
    other = medusa.post(ACCOUNTS, json={"currency_code": "eur"}, headers=headers)
    assert other.status_code == 409
    assert other.get_json() == {
        "type": "conflict",
        "code": "invalid_state_error",
        "message": "The request conflicted with another request. You may retry the request "
        "with the provided Idempotency-Key.",
    }
