"""The endpoints Appstle documents beyond points and credit, over HTTP through the whole core
pipeline with strict response checks: earn rules, pending approval, discount codes (check,
update, legacy update) and the birth date; success, each refusal, state, tenant isolation."""

from __future__ import annotations

from typing import Any

import pytest

AUTH = {"X-API-Key": "apst_test_demo"}
OTHER_SHOP = {"X-API-Key": "apst_test_other_shop"}
BASE = "/api/external"
WELCOME = "LOYALTY-WELCOME-DEMO"  # demo customer 1001's UNUSED reward
USED = "LOYALTY-5OFF-DEMO"  # demo customer 1001's USED reward
ALREADY, NOT_FOUND = "Discount already used", "Discount code not found"


def put(api: Any, op: str, body: Any = None, headers: dict[str, str] = AUTH, **params: Any) -> Any:
    kwargs = {} if body is None else {"json": body}
    return api.put(f"{BASE}/{op}", headers=headers, query_string=params, **kwargs)


def loyalty(api: Any, customer_id: int = 1001, headers: dict[str, str] = AUTH) -> dict:
    response = api.get(
        f"{BASE}/customer-loyalty", query_string={"customerId": customer_id}, headers=headers
    )
    assert response.status_code == 200
    return response.get_json()


def balances(api: Any, customer_id: int, headers: dict[str, str] = AUTH) -> tuple:
    body = loyalty(api, customer_id, headers)
    return body["availablePoints"], body["pendingPoints"], body["creditedPoints"]


def invalid(details: str) -> dict[str, str]:
    return {"error": "Invalid request", "details": details}


# -- point-earn-rules ------------------------------------------------------------------------


def test_earn_rules_answer_active_rules_with_the_documented_fields(api: Any) -> None:
    response = api.get(f"{BASE}/point-earn-rules", headers=AUTH)
    assert response.status_code == 200
    rules = response.get_json()
    assert [(r["id"], r["type"], r["status"], r["basePoints"]) for r in rules] == [
        (1, "PURCHASE", "ACTIVE", 1),
        (2, "CREATE_ACCOUNT", "ACTIVE", 40),
    ]
    required = ("type", "status", "basePoints", "includeSubtotal", "includeTax", "name")
    assert all(all(field in rule for field in required) for rule in rules)
    assert rules[0]["customerNotification"] == "You earned points for your order."
    assert rules[1]["manuallyApprovePoints"] is True


@pytest.mark.parametrize(("flag", "ids"), [("true", [1, 2, 3]), ("false", [1, 2])])
def test_include_inactive_adds_the_inactive_rules(api: Any, flag: str, ids: list[int]) -> None:
    response = api.get(
        f"{BASE}/point-earn-rules", query_string={"includeInactive": flag}, headers=AUTH
    )
    assert [rule["id"] for rule in response.get_json()] == ids


def test_include_inactive_must_be_a_boolean(api: Any) -> None:
    response = api.get(
        f"{BASE}/point-earn-rules", query_string={"includeInactive": "maybe"}, headers=AUTH
    )
    assert response.status_code == 400
    assert response.get_json()["error"] == "Invalid request"
    assert "includeInactive" in response.get_json()["details"]


# -- approve-pending-transactions ------------------------------------------------------------


def test_approving_a_listed_transaction_moves_its_points_to_available(api: Any) -> None:
    assert balances(api, 1001) == (4250, 150, 6100)
    response = put(api, "approve-pending-transactions", [{"transactionId": 1, "customerId": 1001}])
    assert (response.status_code, response.data) == (204, b"")
    assert "Content-Type" not in response.headers
    assert balances(api, 1001) == (4400, 0, 6250)
    assert balances(api, 1002) == (120.5, 40, 130.5)  # the other pending stays pending


def test_approve_all_approves_every_pending_transaction_and_ignores_the_body(api: Any) -> None:
    response = put(
        api,
        "approve-pending-transactions",
        [{"transactionId": 424242, "customerId": 1}],
        approveAllPendingTransactions="true",
    )
    assert response.status_code == 204
    assert balances(api, 1001) == (4400, 0, 6250)
    assert balances(api, 1002) == (160.5, 0, 170.5)
    # Nothing is left to approve: a second run is a no-op, not an error.
    assert (
        put(api, "approve-pending-transactions", approveAllPendingTransactions="true").status_code
        == 204
    )
    assert balances(api, 1002) == (160.5, 0, 170.5)


def test_extra_item_fields_are_ignored_the_transaction_keeps_its_points(api: Any) -> None:
    item = {"transactionId": 2, "customerId": 1002, "points": 9999, "note": "Fulfilled"}
    assert put(api, "approve-pending-transactions", [item]).status_code == 204
    assert balances(api, 1002) == (160.5, 0, 170.5)


NOTHING = (
    "Must provide either approveAllPendingTransactions=true or a list of pending transactions "
    "to approve"
)


@pytest.mark.parametrize(
    ("body", "params", "details"),
    [
        (None, {}, NOTHING),
        ([], {}, NOTHING),
        ([], {"approveAllPendingTransactions": "false"}, NOTHING),
        (
            [{"transactionId": 99, "customerId": 1001}],
            {},
            "No point transaction 99 belongs to customer 1001; approve only the shop's pending "
            "transactions.",
        ),
        (
            [{"transactionId": 1, "customerId": 1002}],
            {},
            "No point transaction 1 belongs to customer 1002; approve only the shop's pending "
            "transactions.",
        ),
        ([{"customerId": 1001}], {}, "0.transactionId: is required"),
        ({"transactionId": 1, "customerId": 1001}, {}, "request body: must be an array"),
    ],
)
def test_approval_refusals_change_nothing(api: Any, body: Any, params: dict, details: str) -> None:
    response = put(api, "approve-pending-transactions", body, **params)
    assert response.status_code == 400
    body_answered = response.get_json()
    assert body_answered["error"] == "Invalid request"
    assert details in body_answered["details"]
    assert balances(api, 1001) == (4250, 150, 6100)


def test_one_bad_item_approves_nothing_and_approved_is_not_pending(api: Any) -> None:
    good, bad = {"transactionId": 2, "customerId": 1002}, {"transactionId": 7, "customerId": 1}
    assert put(api, "approve-pending-transactions", [good, bad]).status_code == 400
    assert balances(api, 1002) == (120.5, 40, 130.5)
    assert put(api, "approve-pending-transactions", [good]).status_code == 204
    again = put(api, "approve-pending-transactions", [good])
    assert (again.status_code, again.get_json()) == (
        400,
        invalid(
            "Point transaction 2 is APPROVED, not PENDING; only pending transactions can be "
            "approved."
        ),
    )
    assert balances(api, 1002) == (160.5, 0, 170.5)


def test_approval_is_per_shop(api: Any) -> None:
    assert (
        put(
            api,
            "approve-pending-transactions",
            headers=OTHER_SHOP,
            approveAllPendingTransactions="true",
        ).status_code
        == 204
    )
    assert balances(api, 1001, OTHER_SHOP) == (4400, 0, 6250)
    assert balances(api, 1001) == (4250, 150, 6100)


# -- check-discount --------------------------------------------------------------------------


def test_check_discount_answers_the_unused_reward_and_changes_nothing(api: Any) -> None:
    before = loyalty(api)
    response = put(
        api, "check-discount", {"customerId": 1001, "discountCode": "loyalty-welcome-demo"}
    )
    assert response.status_code == 200
    reward = response.get_json()
    assert (reward["discountCode"], reward["status"], reward["customerId"]) == (
        WELCOME,
        "UNUSED",
        1001,
    )
    assert (reward["shop"], reward["amount"], reward["createAt"]) == (
        "appstle-demo.myshopify.com",
        5,
        "2025-06-20T10:00:00Z",
    )
    assert loyalty(api) == before


def test_a_freshly_redeemed_code_checks_out(api: Any) -> None:
    body = api.post(
        f"{BASE}/redeem-points", json={"customerId": 1001, "redeemRuleId": 1}, headers=AUTH
    ).get_json()
    code = body["rewards"][-1]["discountCode"]
    response = put(api, "check-discount", {"customerId": 1001, "discountCode": code})
    assert (response.status_code, response.get_json()["pointTransactionId"]) == (
        200,
        body["rewards"][-1]["pointTransactionId"],
    )


@pytest.mark.parametrize(
    ("request_body", "status", "answer"),
    [
        (
            {"customerId": 1001, "discountCode": USED},
            400,
            {
                "error": "Discount already used",
                "details": f"Discount code {USED} is USED; only UNUSED or active codes apply.",
            },
        ),
        (
            {"customerId": 1002, "discountCode": WELCOME},
            404,
            {
                "error": "Discount code not found",
                "details": f"No loyalty discount code '{WELCOME}' of customer 1002; read the "
                "customer's rewards with GET /api/external/customer-loyalty.",
            },
        ),
        (
            {"customerId": 1001, "discountCode": "NOPE"},
            404,
            {
                "error": "Discount code not found",
                "details": "No loyalty discount code 'NOPE' of customer 1001; read the "
                "customer's rewards with GET /api/external/customer-loyalty.",
            },
        ),
        ({"customerId": 1001}, 400, invalid("discountCode: is required")),
        (
            {"customerId": 1001, "discountCode": "X" * 101},
            400,
            invalid("discountCode: is too long (101 characters, at most 100)"),
        ),
    ],
)
def test_check_discount_refusals(api: Any, request_body: dict, status: int, answer: dict) -> None:
    response = put(api, "check-discount", request_body)
    assert (response.status_code, response.get_json()) == (status, answer)


@pytest.mark.parametrize(
    ("new_status", "title"),
    [("EXPIRED", "Discount expired"), ("REFUNDED", "Discount not usable")],
)
def test_expired_and_refunded_codes_do_not_check_out(api: Any, new_status: str, title: str) -> None:
    change = {"customerId": 1001, "discountCode": WELCOME, "status": new_status}
    assert put(api, "update-discount", change).status_code == 200
    response = put(api, "check-discount", {"customerId": 1001, "discountCode": WELCOME})
    assert (response.status_code, response.get_json()["error"]) == (400, title)


def test_a_subscription_code_still_checks_out(api: Any) -> None:
    change = {"customerId": 1001, "discountCode": WELCOME, "status": "SUBSCRIPTION_ACTIVE"}
    assert put(api, "update-discount", change).status_code == 200
    response = put(api, "check-discount", {"customerId": 1001, "discountCode": WELCOME})
    assert (response.status_code, response.get_json()["status"]) == (200, "SUBSCRIPTION_ACTIVE")


# -- update-discount -------------------------------------------------------------------------


def test_marking_a_code_used_stamps_it_and_keeps_the_balances(api: Any) -> None:
    before = loyalty(api)
    change = {"customerId": 1001, "discountCode": WELCOME.lower(), "status": "USED"}
    response = put(api, "update-discount", change)
    assert response.status_code == 200
    reward = response.get_json()
    assert (reward["status"], reward["usageCount"], reward["discountCode"]) == ("USED", 1, WELCOME)
    assert reward["usedAt"] is not None
    after = loyalty(api)
    assert after["rewards"][1] == reward
    money = ("availablePoints", "pendingPoints", "creditedPoints", "storeCreditBalance")
    assert {k: after[k] for k in money} == {k: before[k] for k in money}
    again = put(api, "update-discount", change)
    assert (again.status_code, again.get_json()) == (
        400,
        {
            "error": "Discount already used",
            "details": f"Discount code {WELCOME} is already USED; it stays used.",
        },
    )
    assert loyalty(api) == after


@pytest.mark.parametrize(
    ("request_body", "status", "error"),
    [
        ({"customerId": 1001, "discountCode": USED, "status": "USED"}, 400, ALREADY),
        ({"customerId": 1002, "discountCode": USED, "status": "UNUSED"}, 404, NOT_FOUND),
        ({"customerId": 1001, "discountCode": WELCOME, "status": "LOST"}, 400, "Invalid request"),
        ({"customerId": 1001, "discountCode": WELCOME}, 400, "Invalid request"),
    ],
)  # fmt: skip
def test_update_discount_refusals_change_nothing(
    api: Any, request_body: dict, status: int, error: str
) -> None:
    before = loyalty(api)
    response = put(api, "update-discount", request_body)
    assert (response.status_code, response.get_json()["error"]) == (status, error)
    assert loyalty(api) == before


def test_discount_codes_are_per_shop(api: Any) -> None:
    change = {"customerId": 1001, "discountCode": WELCOME, "status": "USED"}
    assert put(api, "update-discount", change, headers=OTHER_SHOP).status_code == 200
    response = put(api, "check-discount", {"customerId": 1001, "discountCode": WELCOME})
    assert (response.status_code, response.get_json()["status"]) == (200, "UNUSED")


# -- update-discount-code-status (legacy) ----------------------------------------------------


def test_legacy_update_finds_the_code_alone_and_answers_the_owner(api: Any) -> None:
    change = {"discountCode": WELCOME.lower(), "status": "SUBSCRIPTION_ACTIVE"}
    response = put(api, "update-discount-code-status", change)
    assert response.status_code == 200
    account = response.get_json()
    assert account == loyalty(api)
    assert [r["status"] for r in account["rewards"]] == ["USED", "SUBSCRIPTION_ACTIVE"]


@pytest.mark.parametrize(
    ("request_body", "status", "answer"),
    [
        (
            {"discountCode": WELCOME, "status": "GONE"},
            400,
            invalid(
                "status: 'GONE' is not a reward status; use one of USED, UNUSED, REFUNDED, "
                "EXPIRED, SUBSCRIPTION_ACTIVE"
            ),
        ),
        ({"discountCode": USED, "status": "USED"}, 400, None),
        ({"discountCode": "NOPE", "status": "USED"}, 404, None),
        ({"status": "USED"}, 400, invalid("discountCode: is required")),
    ],
)
def test_legacy_update_refusals_change_nothing(
    api: Any, request_body: dict, status: int, answer: dict | None
) -> None:
    before = loyalty(api)
    response = put(api, "update-discount-code-status", request_body)
    assert response.status_code == status
    if answer is not None:
        assert response.get_json() == answer
    assert loyalty(api) == before


# -- update-customer-birth-date --------------------------------------------------------------


def test_birth_date_is_stored_and_answered_in_the_customer_record(api: Any) -> None:
    response = put(
        api,
        "update-customer-birth-date",
        {"customerId": 1002, "dob": "1991-02-03", "status": "EXCLUDED"},
    )
    assert response.status_code == 200
    record = response.get_json()
    assert (record["customerId"], record["dob"], record["email"]) == (
        1002,
        "1991-02-03",
        "Jane.Roe@Example.com",
    )
    assert (record["shop"], record["availablePoints"], record["pendingPoints"]) == (
        "appstle-demo.myshopify.com",
        120.5,
        40,
    )
    account = loyalty(api, 1002)
    assert (account["dob"], account["customerStatus"]) == ("1991-02-03", "ACTIVE")
    assert loyalty(api, 1002, OTHER_SHOP)["dob"] is None


@pytest.mark.parametrize(
    ("request_body", "status", "details"),
    [
        ({"customerId": 1002, "dob": "1991-02-30"}, 400, None),
        ({"customerId": 1002, "dob": "03/02/1991"}, 400, None),
        (
            {"customerId": 1002, "dob": "19910203"},
            400,
            "dob: '19910203' is not a 'date'",
        ),
        ({"customerId": 1002}, 400, "dob: is required"),
        ({"dob": "1991-02-03"}, 400, "customerId: is required"),
        (
            {"customerId": 1003, "dob": "1991-02-03"},
            404,
            "No customer enrolled in the loyalty program has customerId 1003.",
        ),
    ],
)
def test_birth_date_refusals_change_nothing(
    api: Any, request_body: dict, status: int, details: str | None
) -> None:
    response = put(api, "update-customer-birth-date", request_body)
    assert response.status_code == status
    if details is not None:
        assert response.get_json()["details"] == details
    assert loyalty(api, 1002)["dob"] is None


# -- auth ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "op"),
    [
        ("GET", "point-earn-rules"),
        ("PUT", "approve-pending-transactions"),
        ("PUT", "check-discount"),
        ("PUT", "update-discount"),
        ("PUT", "update-discount-code-status"),
        ("PUT", "update-customer-birth-date"),
    ],
)
def test_new_operations_need_a_known_key(api: Any, method: str, op: str) -> None:
    for headers in ({}, {"X-API-Key": "apst_live_forged"}):
        response = api.open(f"{BASE}/{op}", method=method, json={}, headers=headers)
        assert (response.status_code, response.get_json()["error"]) == (401, "Unauthorized")
    assert balances(api, 1001) == (4250, 150, 6100)


def test_the_api_key_query_parameter_works_on_new_operations(api: Any) -> None:
    response = api.get(f"{BASE}/point-earn-rules", query_string={"api_key": "apst_test_demo"})
    assert response.status_code == 200
