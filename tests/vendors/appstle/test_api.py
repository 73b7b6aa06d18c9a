"""Appstle over HTTP through the whole core pipeline, with strict response checks: every
operation's success path, its error answers (exact bodies), auth and tenant isolation."""

from __future__ import annotations

from typing import Any

import pytest

AUTH = {"X-API-Key": "apst_test_demo"}
BASE = "/api/external"


def get_loyalty(api: Any, headers: dict[str, str] = AUTH, **params: Any) -> Any:
    return api.get(f"{BASE}/customer-loyalty", query_string=params, headers=headers)


def post(api: Any, op: str, body: Any, headers: dict[str, str] = AUTH) -> Any:
    return api.post(f"{BASE}/{op}", json=body, headers=headers)


def put(api: Any, op: str, body: Any, headers: dict[str, str] = AUTH, **params: Any) -> Any:
    return api.put(f"{BASE}/{op}", json=body, headers=headers, query_string=params)


def invalid(details: str) -> dict[str, str]:
    return {"error": "Invalid request", "details": details}


# -- customer-loyalty ------------------------------------------------------------------------


def test_customer_loyalty_by_id_answers_every_documented_field(api: Any) -> None:
    response = get_loyalty(api, customerId=1001)
    assert response.status_code == 200
    assert response.content_type == "application/json"
    body = response.get_json()
    assert list(body) == [
        "availablePoints", "pendingPoints", "creditedPoints", "spentAmount",
        "storeCreditBalance", "achievableTierId", "currentVipTier", "vipTierExpiredAt",
        "createAt", "rewardedForFacebook", "rewardedForPinterest", "rewardedForTwitter",
        "rewardedForInstagram", "rewardedForYoutube", "rewardedForTiktok",
        "rewardedForNewsLetter", "rewardedForSms", "referredCompleted", "referralLink",
        "customerStatus", "dob", "rewards", "rewardedForCreatingAccount",
        "rewardedForSharingOnFacebook", "rewardedForSharingOnX", "expiringPointsAmount",
        "pointsExpireAt",
    ]  # fmt: skip
    assert {k: body[k] for k in ("availablePoints", "creditedPoints", "storeCreditBalance")} == {
        "availablePoints": 4250,
        "creditedPoints": 6100,
        "storeCreditBalance": 25.5,
    }
    assert (body["currentVipTier"], body["dob"], body["pointsExpireAt"]) == (
        "Gold",
        "1990-04-12",
        None,
    )
    assert [r["discountCode"] for r in body["rewards"]] == [
        "LOYALTY-5OFF-DEMO",
        "LOYALTY-WELCOME-DEMO",
    ]
    assert body["pendingPoints"] == 150


def test_customer_loyalty_by_email_ignores_case(api: Any) -> None:
    assert (
        get_loyalty(api, customerEmail="JANE.ROE@example.COM").get_json()["availablePoints"]
        == 120.5
    )
    assert get_loyalty(api, customerEmail="Demo@Example.com").get_json()["creditedPoints"] == 6100


@pytest.mark.parametrize(
    ("status", "codes"),
    [
        ("USED", ["LOYALTY-5OFF-DEMO"]),
        ("UNUSED", ["LOYALTY-WELCOME-DEMO"]),
        ("UNUSED,USED", ["LOYALTY-5OFF-DEMO", "LOYALTY-WELCOME-DEMO"]),
        ("USED, UNUSED", ["LOYALTY-5OFF-DEMO", "LOYALTY-WELCOME-DEMO"]),
        ("EXPIRED,REFUNDED", []),
        ("ACTIVE", []),
    ],
)
def test_customer_loyalty_status_filter_is_a_comma_separated_list(
    api: Any, status: str, codes: list[str]
) -> None:
    rewards = get_loyalty(api, customerId=1001, status=status).get_json()["rewards"]
    assert [r["discountCode"] for r in rewards] == codes


def test_active_in_the_status_filter_means_a_subscription_code(api: Any) -> None:
    change = {"discountCode": "LOYALTY-WELCOME-DEMO", "status": "SUBSCRIPTION_ACTIVE"}
    assert put(api, "update-discount-code-status", change).status_code == 200
    rewards = get_loyalty(api, customerId=1001, status="ACTIVE").get_json()["rewards"]
    assert [r["discountCode"] for r in rewards] == ["LOYALTY-WELCOME-DEMO"]


@pytest.mark.parametrize(
    ("params", "details"),
    [
        ({}, "Give customerId or customerEmail to name the customer."),
        ({"customerId": 4242}, "No customer enrolled in the loyalty program has customerId 4242."),
        ({"customerId": 1003}, "No customer enrolled in the loyalty program has customerId 1003."),
        (
            {"customerId": 1001, "customerEmail": "jane.roe@example.com"},
            "No customer enrolled in the loyalty program has both customerId 1001 and "
            "customerEmail jane.roe@example.com.",
        ),
    ],
)
def test_customer_loyalty_not_found(api: Any, params: dict, details: str) -> None:
    response = get_loyalty(api, **params)
    assert response.status_code == 404
    assert response.get_json() == {"error": "Customer not found", "details": details}


def test_customer_loyalty_accepts_both_selectors_when_they_agree(api: Any) -> None:
    response = get_loyalty(api, customerId=1002, customerEmail="jane.roe@example.com")
    assert response.status_code == 200


@pytest.mark.parametrize(
    ("params", "details"),
    [
        ({"customerId": "abc"}, "customerId: must be an integer"),
        *[
            (
                {"customerId": 1001, "status": status},
                "status: must be a comma-separated list of USED, UNUSED, REFUNDED, EXPIRED, "
                "SUBSCRIPTION_ACTIVE",
            )
            for status in ("LOST", "USED,", "USED;UNUSED", "used")
        ],
    ],
)
def test_customer_loyalty_bad_query(api: Any, params: dict, details: str) -> None:
    response = get_loyalty(api, **params)
    assert (response.status_code, response.get_json()) == (400, invalid(details))


# -- point-redeem-rules ----------------------------------------------------------------------


def test_point_redeem_rules_use_the_documented_field_names(api: Any) -> None:
    response = api.get(f"{BASE}/point-redeem-rules", headers=AUTH)
    assert response.status_code == 200
    rules = response.get_json()
    assert rules[0] == {
        "shop": "appstle-demo.myshopify.com",
        "id": 1,
        "name": "$5 off your next order",
        "type": "DISCOUNT_CODE",
        "status": "ACTIVE",
        "discountType": "FIXED",
        "customerFacingLabel": "A one-time $5 discount code.",
        "createAt": "2025-01-10T12:00:00Z",
        "updateAt": "2025-01-10T12:00:00Z",
        "redeemPoints": 500,
        "pointsCost": None,
        "discount": 5,
        "minimumPurchaseAmount": 20,
        "maximumShippingRate": None,
    }
    assert [(r["id"], r["status"], r["redeemPoints"], r["discount"]) for r in rules[1:]] == [
        (2, "ACTIVE", 1000, 10),
        (3, "INACTIVE", 300, None),
    ]
    assert all("points" not in rule for rule in rules)


# -- add-points / remove-points --------------------------------------------------------------


def test_add_points_goes_to_available_at_once_and_persists(api: Any) -> None:
    response = post(api, "add-points", {"customerId": 1001, "points": 50, "note": "Order #1234"})
    assert response.status_code == 200
    body = response.get_json()
    assert (body["availablePoints"], body["creditedPoints"], body["pendingPoints"]) == (
        4300,
        6150,
        150,  # not pending: the seeded pending points stay as they were
    )
    assert get_loyalty(api, customerId=1001).get_json() == body


def test_add_points_by_email_ignores_case(api: Any) -> None:
    response = post(api, "add-points", {"customerEmail": "JANE.ROE@EXAMPLE.COM", "points": 0.5})
    assert response.get_json()["availablePoints"] == 121


def test_hundredths_are_exact_over_http(api: Any) -> None:
    for _ in range(7):
        post(api, "add-points", {"customerId": 1002, "points": 0.01})
    post(api, "add-points", {"customerId": 1002, "points": 0.1})
    body = post(api, "add-points", {"customerId": 1002, "points": 0.2}).get_json()
    assert body["availablePoints"] == 120.87
    assert (
        post(api, "remove-points", {"customerId": 1002, "points": 120.87}).get_json()[
            "availablePoints"
        ]
        == 0
    )


def test_unknown_body_fields_are_ignored(api: Any) -> None:
    response = post(api, "add-points", {"customerId": 1001, "points": 1, "source": "crm", "x": {}})
    assert response.status_code == 200


def test_note_of_500_characters_is_accepted_501_refused(api: Any) -> None:
    assert (
        post(api, "add-points", {"customerId": 1001, "points": 1, "note": "n" * 500}).status_code
        == 200
    )
    response = post(api, "add-points", {"customerId": 1001, "points": 1, "note": "n" * 501})
    assert (response.status_code, response.get_json()) == (
        400,
        invalid("note: is too long (501 characters, at most 500)"),
    )


@pytest.mark.parametrize("op", ["add-points", "remove-points"])
@pytest.mark.parametrize(
    ("body", "details"),
    [
        ({"customerId": 1001, "points": 0}, "points: must be at least 0.01"),
        ({"customerId": 1001, "points": 0.001}, "points: must be at least 0.01"),
        ({"customerId": 1001, "points": 1e10}, "points: must be at most 1000000000"),
        ({"customerId": 1001}, "points: is required"),
        ({"customerId": 1001, "points": "5"}, "points: must be a number"),
        ({"customerId": 1001, "points": None}, "points: must not be null"),
        ({"customerId": "1001", "points": 5}, "customerId: must be an integer"),
        (
            {"customerId": 1001, "customerEmail": "demo@example.com", "points": 5},
            "Give either customerId or customerEmail, not both.",
        ),
        ({"points": 5}, "Give customerId or customerEmail to name the customer."),
        (
            {"customerId": None, "customerEmail": None, "points": 5},
            "Give customerId or customerEmail to name the customer.",
        ),
        (
            {"customerId": 1001, "points": -3, "note": "n" * 600},
            "points: must be at least 0.01; note: is too long (600 characters, at most 500)",
        ),
    ],
)
def test_points_requests_are_validated(api: Any, op: str, body: dict, details: str) -> None:
    response = post(api, op, body)
    assert (response.status_code, response.get_json()) == (400, invalid(details))


def test_null_selector_next_to_a_real_one_is_fine(api: Any) -> None:
    response = post(
        api, "add-points", {"customerId": None, "customerEmail": "demo@example.com", "points": 1}
    )
    assert response.status_code == 200


@pytest.mark.parametrize(
    ("body", "details"),
    [
        ([], "request body: must be a JSON object"),
        ("usd", "request body: must be a JSON object"),
    ],
)
def test_a_body_that_is_not_an_object(api: Any, body: Any, details: str) -> None:
    response = post(api, "add-points", body)
    assert response.status_code == 400
    assert response.get_json()["details"].startswith(details)


def test_malformed_json_and_missing_body(api: Any) -> None:
    response = api.post(
        f"{BASE}/add-points", data=b'{"points": ', content_type="application/json", headers=AUTH
    )
    assert response.status_code == 400
    assert response.get_json()["error"] == "Invalid request"
    assert response.get_json()["details"].startswith("JSON parse error: ")
    response = api.post(f"{BASE}/add-points", content_type="application/json", headers=AUTH)
    assert (response.status_code, response.get_json()) == (
        400,
        invalid("A JSON request body is required."),
    )


def test_a_non_json_body_is_415(api: Any) -> None:
    response = api.post(
        f"{BASE}/add-credits", data="credits=5", content_type="text/plain", headers=AUTH
    )
    assert (response.status_code, response.get_json()) == (
        415,
        {
            "error": "Unsupported Media Type",
            "details": "Content-Type 'text/plain' is not supported; send application/json.",
        },
    )


def test_remove_points_never_below_zero(api: Any) -> None:
    response = post(api, "remove-points", {"customerEmail": "jane.roe@example.com", "points": 200})
    assert (response.status_code, response.get_json()) == (
        400,
        {
            "error": "Insufficient points",
            "details": "The customer has 120.5 available points, fewer than the 200 requested.",
        },
    )
    assert get_loyalty(api, customerId=1002).get_json()["availablePoints"] == 120.5


def test_remove_points_keeps_lifetime_points(api: Any) -> None:
    body = post(
        api, "remove-points", {"customerEmail": "demo@example.com", "points": 25.5}
    ).get_json()
    assert (body["availablePoints"], body["creditedPoints"]) == (4224.5, 6100)


@pytest.mark.parametrize("op", ["add-points", "remove-points", "add-credits"])
def test_unknown_customer_is_404_on_writes(api: Any, op: str) -> None:
    amount = "credits" if op == "add-credits" else "points"
    response = post(api, op, {"customerEmail": "nobody@example.com", amount: 1})
    assert (response.status_code, response.get_json()) == (
        404,
        {
            "error": "Customer not found",
            "details": "No customer enrolled in the loyalty program has customerEmail "
            "nobody@example.com.",
        },
    )


# -- add-credits -----------------------------------------------------------------------------


def test_add_credits_raises_store_credit_exactly(api: Any) -> None:
    post(api, "add-credits", {"customerId": 1001, "credits": 0.1})
    body = post(api, "add-credits", {"customerId": 1001, "credits": 0.2}).get_json()
    assert (body["storeCreditBalance"], body["availablePoints"]) == (25.8, 4250)


@pytest.mark.parametrize(
    ("body", "details"),
    [
        ({"customerId": 1001, "credits": 0}, "credits: must be greater than 0"),
        ({"customerId": 1001, "credits": -5}, "credits: must be greater than 0"),
        ({"customerId": 1001}, "credits: is required"),
        ({"customerId": 1001, "points": 5}, "credits: is required"),
    ],
)
def test_add_credits_validation(api: Any, body: dict, details: str) -> None:
    response = post(api, "add-credits", body)
    assert (response.status_code, response.get_json()) == (400, invalid(details))


# -- redeem-points ---------------------------------------------------------------------------


def test_redeem_appends_an_unused_reward_with_a_unique_code(api: Any) -> None:
    first = post(api, "redeem-points", {"customerId": 1001, "redeemRuleId": 1}).get_json()
    second = post(api, "redeem-points", {"customerEmail": "demo@example.com", "redeemRuleId": 1})
    rewards = second.get_json()["rewards"]
    assert first["availablePoints"] == 3750
    assert second.get_json()["availablePoints"] == 3250
    assert [(r["status"], r["rewardType"], r["amount"]) for r in rewards] == [
        ("USED", "DISCOUNT_CODE", 5),
        ("UNUSED", "DISCOUNT_CODE", 5),
        ("UNUSED", "DISCOUNT_CODE", 5),
        ("UNUSED", "DISCOUNT_CODE", 5),
    ]
    assert len({r["discountCode"] for r in rewards}) == 4
    unused = get_loyalty(api, customerId=1001, status="UNUSED").get_json()["rewards"]
    assert unused == rewards[1:]


def test_redeem_store_credit_rule(api: Any) -> None:
    body = post(
        api, "redeem-points", {"customerId": 1001, "redeemRuleId": 2, "points": None}
    ).get_json()
    assert (body["availablePoints"], body["storeCreditBalance"]) == (3250, 35.5)
    assert body["rewards"][-1]["rewardType"] == "STORE_CREDIT"


def test_redeem_with_chosen_points_and_variant(api: Any) -> None:
    response = post(
        api, "redeem-points", {"customerId": 1001, "redeemRuleId": 1, "points": 250, "variantId": 9}
    )
    reward = response.get_json()["rewards"][-1]
    assert (reward["amount"], reward["variantId"]) == (2.5, 9)
    assert response.get_json()["availablePoints"] == 4000


@pytest.mark.parametrize(
    ("body", "status", "expected"),
    [
        (
            {"customerId": 1001, "redeemRuleId": 99},
            404,
            {
                "error": "Redeem rule not found",
                "details": "No point redeem rule has id 99; list them with GET "
                "/api/external/point-redeem-rules.",
            },
        ),
        (
            {"customerId": 1001, "redeemRuleId": 3},
            400,
            {
                "error": "Redeem rule inactive",
                "details": "Point redeem rule 3 is INACTIVE; redeem an ACTIVE rule instead.",
            },
        ),
        (
            {"customerId": 1002, "redeemRuleId": 1},
            400,
            {
                "error": "Insufficient points",
                "details": "The customer has 120.5 available points, fewer than the 500 requested.",
            },
        ),
        ({"customerId": 1001}, 400, invalid("redeemRuleId: is required")),
        (
            {"customerId": 1001, "redeemRuleId": 1, "points": 0},
            400,
            invalid("points: must be greater than 0"),
        ),
        (
            {"customerId": 1001, "customerEmail": "demo@example.com", "redeemRuleId": 1},
            400,
            invalid("Give either customerId or customerEmail, not both."),
        ),
        (
            {"customerId": 4242, "redeemRuleId": 99},
            404,
            {
                "error": "Customer not found",
                "details": "No customer enrolled in the loyalty program has customerId 4242.",
            },
        ),
    ],
)
def test_redeem_refusals(api: Any, body: dict, status: int, expected: dict) -> None:
    response = post(api, "redeem-points", body)
    assert (response.status_code, response.get_json()) == (status, expected)
    assert get_loyalty(api, customerId=1001).get_json()["availablePoints"] == 4250


# -- auth and tenants ------------------------------------------------------------------------

OPERATIONS = [
    ("get", "customer-loyalty?customerId=1001", None),
    ("get", "point-redeem-rules", None),
    ("post", "add-points", {"customerId": 1001, "points": 1}),
    ("post", "remove-points", {"customerId": 1001, "points": 1}),
    ("post", "add-credits", {"customerId": 1001, "credits": 1}),
    ("post", "redeem-points", {"customerId": 1001, "redeemRuleId": 1}),
]


@pytest.mark.parametrize(("method", "path", "body"), OPERATIONS)
@pytest.mark.parametrize(
    ("headers", "details"),
    [
        ({}, "Missing API key; send it in the X-API-Key header."),
        ({"X-API-Key": ""}, "Missing API key; send it in the X-API-Key header."),
        (
            {"X-API-Key": "apst_live_1234"},
            "Unknown API key; this mock accepts apst_test_demo or any apst_test_<name> key.",
        ),
        (
            {"Authorization": "Bearer apst_test_demo"},
            "Missing API key; send it in the X-API-Key header.",
        ),
    ],
)
def test_every_operation_needs_a_known_key(
    api: Any, method: str, path: str, body: Any, headers: dict, details: str
) -> None:
    response = api.open(f"{BASE}/{path}", method=method.upper(), json=body, headers=headers)
    assert (response.status_code, response.get_json()) == (
        401,
        {"error": "Unauthorized", "details": details},
    )
    assert get_loyalty(api, customerId=1001).get_json()["availablePoints"] == 4250


def test_api_key_query_parameter_is_accepted(api: Any) -> None:
    response = api.get(f"{BASE}/customer-loyalty?customerId=1001&api_key=apst_test_demo")
    assert response.status_code == 200


def test_sandbox_keys_are_isolated_shops_seeded_with_the_demo(api: Any) -> None:
    shop_a, shop_b = {"X-API-Key": "apst_test_a"}, {"X-API-Key": "apst_test_b"}
    response = post(api, "add-points", {"customerId": 1001, "points": 100}, headers=shop_a)
    assert response.get_json()["availablePoints"] == 4350
    assert get_loyalty(api, headers=shop_a, customerId=1001).get_json()["availablePoints"] == 4350
    assert get_loyalty(api, headers=shop_b, customerId=1001).get_json()["availablePoints"] == 4250
    assert get_loyalty(api, customerId=1001).get_json()["availablePoints"] == 4250


# -- mock features: idempotency, unknown routes and methods -----------------------------------


def test_idempotency_key_replays_and_conflicts(api: Any) -> None:
    headers = {**AUTH, "Idempotency-Key": "k-1"}
    first = post(api, "add-points", {"customerId": 1001, "points": 10}, headers=headers)
    again = post(api, "add-points", {"customerId": 1001, "points": 10}, headers=headers)
    assert first.get_json() == again.get_json()
    assert get_loyalty(api, customerId=1001).get_json()["availablePoints"] == 4260
    clash = post(api, "add-points", {"customerId": 1001, "points": 11}, headers=headers)
    assert (clash.status_code, clash.get_json()) == (
        409,
        {
            "error": "Idempotency conflict",
            "details": "This Idempotency-Key was already used with a different request; "
            "use a new key.",
        },
    )


@pytest.mark.parametrize(
    ("key", "details"),
    [
        ("", "Idempotency-Key: must not be empty"),
        ("k" * 256, "Idempotency-Key: is too long (256 characters, at most 255)"),
    ],
)
def test_idempotency_key_length_is_checked(api: Any, key: str, details: str) -> None:
    response = post(
        api, "add-points", {"customerId": 1001, "points": 1}, {**AUTH, "Idempotency-Key": key}
    )
    assert (response.status_code, response.get_json()) == (400, invalid(details))


def test_empty_email_query_is_refused(api: Any) -> None:
    response = api.get(f"{BASE}/customer-loyalty?customerEmail=", headers=AUTH)
    assert response.status_code == 400
    assert response.get_json()["details"].startswith("customerEmail: ")


def test_unknown_route_and_undeclared_method(api: Any) -> None:
    response = api.get(f"{BASE}/nope", headers=AUTH)
    assert (response.status_code, response.get_json()) == (
        404,
        {"error": "Not Found", "details": "No endpoint GET /api/external/nope; check the path."},
    )
    response = api.get(f"{BASE}/add-points", headers=AUTH)
    assert response.status_code == 405
    assert response.headers["Allow"] == "POST"
    assert response.get_json() == {
        "error": "Method Not Allowed",
        "details": "GET is not supported on /api/external/add-points; use POST.",
    }
