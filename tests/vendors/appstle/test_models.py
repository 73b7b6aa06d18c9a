"""The Appstle ledger on a bare Store, without HTTP: balances, transactions, rewards, seeding."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import pytest

from mockserver.errors import ApiError
from mockserver.fixtures import FixtureError, check_fixture
from mockserver.store import Store
from mockserver.vendors.appstle import VENDOR
from mockserver.vendors.appstle.models import (
    CUSTOMER,
    CustomerRef,
    Ledger,
)
from mockserver.vendors.appstle.seeding import seed

DEMO = CustomerRef(customer_id=1001)
JANE = CustomerRef(customer_email="jane.roe@example.com")


def logged(ledger: Ledger, customer_id: int) -> list[dict]:
    """The customer's transactions after seeding (the demo seeds one PENDING each)."""
    return [t for t in ledger.transactions(customer_id) if t["status"] != "PENDING"]


def refused(call: Any, *args: Any, **kwargs: Any) -> tuple[int, dict]:
    with pytest.raises(ApiError) as caught:
        call(*args, **kwargs)
    return caught.value.status, caught.value.body


def test_add_points_credits_available_and_lifetime_and_logs_a_credit(ledger: Ledger) -> None:
    view = ledger.add_points(DEMO, 50, note="Birthday bonus", earn_rule_id=10)
    assert (view["availablePoints"], view["creditedPoints"]) == (4300, 6150)
    [transaction] = logged(ledger, 1001)
    assert transaction == {
        "id": 3,
        "customerId": 1001,
        "unit": "POINTS",
        "amount": "50",
        "pointType": "CREDIT",
        "status": "APPROVED",
        "transactionRule": "ADJUSTMENT",
        "note": "Birthday bonus",
        "earnRuleId": 10,
        "pointRedeemRuleId": None,
        "createAt": "2025-07-01T09:00:00Z",
    }


def test_remove_points_lowers_available_only_and_logs_a_debit(ledger: Ledger) -> None:
    view = ledger.remove_points(JANE, 20.5, note="Ticket #567")
    assert (view["availablePoints"], view["creditedPoints"]) == (100, 130.5)
    [transaction] = logged(ledger, 1002)
    assert (transaction["pointType"], transaction["amount"], transaction["unit"]) == (
        "DEBIT",
        "20.5",
        "POINTS",
    )


def test_points_never_go_negative_and_a_refusal_logs_nothing(ledger: Ledger) -> None:
    status, body = refused(ledger.remove_points, JANE, 120.51)
    assert (status, body) == (
        400,
        {
            "error": "Insufficient points",
            "details": "The customer has 120.5 available points, fewer than the 120.51 requested.",
        },
    )
    assert logged(ledger, 1002) == []
    assert ledger.remove_points(JANE, 120.5)["availablePoints"] == 0


def test_add_credits_raises_store_credit_and_logs_it(ledger: Ledger) -> None:
    view = ledger.add_credits(DEMO, 10.25, note="Goodwill")
    assert (view["storeCreditBalance"], view["availablePoints"]) == (35.75, 4250)
    [transaction] = logged(ledger, 1001)
    assert (transaction["unit"], transaction["pointType"], transaction["amount"]) == (
        "STORE_CREDIT",
        "CREDIT",
        "10.25",
    )


@pytest.mark.parametrize("credits", [0, -1, 0.0])
def test_credits_must_be_positive(ledger: Ledger, credits: float) -> None:
    assert refused(ledger.add_credits, DEMO, credits) == (
        400,
        {"error": "Invalid request", "details": "credits: must be greater than 0"},
    )


def test_hundredths_add_up_exactly_and_are_stored_as_strings(ledger: Ledger, store: Any) -> None:
    for _ in range(30):
        ledger.add_points(JANE, 0.01)
    ledger.add_points(JANE, 0.1)
    ledger.add_points(JANE, 0.2)
    assert ledger.customer_loyalty(JANE)["availablePoints"] == 121.1
    assert ledger.store.get(CUSTOMER, "1002")["availablePoints"] == "121.1"
    for _ in range(10):
        ledger.add_credits(JANE, 0.07)
    assert ledger.store.get(CUSTOMER, "1002")["storeCreditBalance"] == "0.7"


def test_points_below_a_hundredth_are_refused(ledger: Ledger) -> None:
    assert refused(ledger.add_points, DEMO, 0.009) == (
        400,
        {"error": "Invalid request", "details": "points: must be at least 0.01"},
    )


def test_one_change_is_capped_at_a_billion(ledger: Ledger) -> None:
    assert ledger.add_points(DEMO, 1e9)["availablePoints"] == 1_000_004_250
    assert refused(ledger.add_points, DEMO, 1_000_000_000.01) == (
        400,
        {"error": "Invalid request", "details": "points: must be at most 1000000000"},
    )
    assert refused(ledger.add_credits, DEMO, 2e9)[1]["details"] == (
        "credits: must be at most 1000000000"
    )


def test_a_balance_beyond_a_double_is_refused(store: Store) -> None:
    with store.transaction() as tx:
        tenant = tx.tenant("appstle:huge")
        seed(tenant, {"customers": [{"customerId": 7, "email": "a@b.c", "availablePoints": 1e300}]})
        ledger = Ledger(tenant, datetime(2025, 1, 1, tzinfo=UTC))
        status, body = refused(ledger.add_points, CustomerRef(7), 1)
    assert status == 400 and body["details"].endswith("is too large to store.")


def test_note_longer_than_500_characters_is_refused(ledger: Ledger) -> None:
    ledger.add_points(DEMO, 1, note="x" * 500)
    assert refused(ledger.add_points, DEMO, 1, note="x" * 501) == (
        400,
        {"error": "Invalid request", "details": "note: is too long (501 characters, at most 500)"},
    )


@pytest.mark.parametrize(
    ("ref", "details"),
    [
        (
            CustomerRef(1001, "demo@example.com"),
            "Give either customerId or customerEmail, not both.",
        ),
        (CustomerRef(), "Give customerId or customerEmail to name the customer."),
    ],
)
def test_writes_name_exactly_one_customer(ledger: Ledger, ref: CustomerRef, details: str) -> None:
    for call in (ledger.add_points, ledger.remove_points, ledger.add_credits):
        assert refused(call, ref, 1) == (400, {"error": "Invalid request", "details": details})
    assert refused(ledger.redeem_points, ref, 1)[0] == 400


def test_email_matching_ignores_case(ledger: Ledger) -> None:
    view = ledger.add_points(CustomerRef(customer_email="DEMO@Example.COM"), 1)
    assert view["availablePoints"] == 4251
    assert (
        ledger.customer_loyalty(CustomerRef(customer_email="JANE.ROE@EXAMPLE.COM"))["pendingPoints"]
        == 40
    )


@pytest.mark.parametrize(
    ("ref", "details"),
    [
        (CustomerRef(1003), "No customer enrolled in the loyalty program has customerId 1003."),
        (
            CustomerRef(customer_email="not-enrolled@example.com"),
            "No customer enrolled in the loyalty program has customerEmail "
            "not-enrolled@example.com.",
        ),
        (CustomerRef(4242), "No customer enrolled in the loyalty program has customerId 4242."),
    ],
)
def test_unknown_and_not_enrolled_customers_are_not_found(
    ledger: Ledger, ref: CustomerRef, details: str
) -> None:
    expected = (404, {"error": "Customer not found", "details": details})
    assert refused(ledger.add_points, ref, 1) == expected
    assert refused(ledger.customer_loyalty, ref) == expected


def test_a_read_by_both_selectors_needs_them_to_agree(ledger: Ledger) -> None:
    assert ledger.customer_loyalty(CustomerRef(1002, "jane.roe@example.com"))["pendingPoints"] == 40
    assert refused(ledger.customer_loyalty, CustomerRef(1001, "jane.roe@example.com")) == (
        404,
        {
            "error": "Customer not found",
            "details": "No customer enrolled in the loyalty program has both customerId 1001 "
            "and customerEmail jane.roe@example.com.",
        },
    )


def test_redeem_spends_rule_points_and_appends_an_unused_discount_code(ledger: Ledger) -> None:
    view = ledger.redeem_points(DEMO, 1, variant_id=44)
    assert view["availablePoints"] == 3750
    assert view["storeCreditBalance"] == 25.5
    reward = view["rewards"][-1]
    [debit] = logged(ledger, 1001)
    assert (debit["pointType"], debit["transactionRule"], debit["amount"]) == (
        "DEBIT",
        "REDEEM_RULE",
        "500",
    )
    assert debit["pointRedeemRuleId"] == 1
    assert reward == {
        "id": 3,
        "shop": "appstle-demo.myshopify.com",
        "customerId": 1001,
        "description": "$5 off your next order",
        "pointTransactionId": debit["id"],
        "pointRedeemRuleId": 1,
        "discountCode": reward["discountCode"],
        "usedAt": None,
        "orderId": None,
        "orderName": None,
        "status": "UNUSED",
        "expireDate": None,
        "variantId": 44,
        "discountCodeId": None,
        "productData": None,
        "usageCount": 0,
        "amount": 5.0,
        "rewardType": "DISCOUNT_CODE",
        "createAt": "2025-07-01T09:00:00Z",
        "lastExpiryReminderSentDate": None,
    }
    assert reward["discountCode"].startswith("LOYALTY-0003-")


def test_store_credit_rule_raises_the_balance_and_logs_both_sides(ledger: Ledger) -> None:
    view = ledger.redeem_points(DEMO, 2)
    assert (view["availablePoints"], view["storeCreditBalance"]) == (3250, 35.5)
    assert view["rewards"][-1]["rewardType"] == "STORE_CREDIT"
    assert view["rewards"][-1]["amount"] == 10
    debit, credit = logged(ledger, 1001)
    assert (debit["unit"], debit["pointType"], debit["amount"]) == ("POINTS", "DEBIT", "1000")
    assert (credit["unit"], credit["pointType"], credit["amount"]) == (
        "STORE_CREDIT",
        "CREDIT",
        "10",
    )
    assert credit["transactionRule"] == "REDEEM_RULE" and credit["pointRedeemRuleId"] == 2


def test_redeem_with_explicit_points_scales_the_reward_to_cents(ledger: Ledger) -> None:
    view = ledger.redeem_points(DEMO, 2, points=333)
    assert view["availablePoints"] == 3917
    assert view["rewards"][-1]["amount"] == 3.33  # 10 * 333 / 1000
    assert view["storeCreditBalance"] == 28.83


def test_redeem_refusals_change_nothing(ledger: Ledger) -> None:
    assert refused(ledger.redeem_points, DEMO, 99) == (
        404,
        {
            "error": "Redeem rule not found",
            "details": "No point redeem rule has id 99; list them with GET "
            "/api/external/point-redeem-rules.",
        },
    )
    assert refused(ledger.redeem_points, DEMO, 3) == (
        400,
        {
            "error": "Redeem rule inactive",
            "details": "Point redeem rule 3 is INACTIVE; redeem an ACTIVE rule instead.",
        },
    )
    assert refused(ledger.redeem_points, JANE, 1)[1]["error"] == "Insufficient points"
    assert refused(ledger.redeem_points, DEMO, 1, points=4250.01)[0] == 400
    assert logged(ledger, 1001) == logged(ledger, 1002) == []
    assert len(ledger.customer_loyalty(DEMO)["rewards"]) == 2


def test_the_customer_is_checked_before_the_rule(ledger: Ledger) -> None:
    assert refused(ledger.redeem_points, CustomerRef(4242), 99)[1]["error"] == "Customer not found"


def test_discount_codes_are_unique_and_deterministic(demo_fixtures: dict[str, Any]) -> None:
    def codes() -> list[str]:
        store = Store()
        try:
            with store.transaction() as tx:
                tenant = tx.tenant("appstle:apst_test_same")
                seed(tenant, demo_fixtures)
                ledger = Ledger(tenant, datetime(2025, 1, 1, tzinfo=UTC))
                for _ in range(3):
                    ledger.redeem_points(DEMO, 1)
                return [r["discountCode"] for r in ledger.customer_loyalty(DEMO)["rewards"]]
        finally:
            store.close()

    first = codes()
    assert len(set(first)) == 5
    assert codes() == first


def test_reward_status_filter(ledger: Ledger) -> None:
    ledger.redeem_points(DEMO, 1)

    def codes(status: str) -> list[str]:
        return [r["discountCode"][:13] for r in ledger.customer_loyalty(DEMO, status)["rewards"]]

    assert codes("UNUSED") == ["LOYALTY-WELCO", "LOYALTY-0003-"]
    assert codes("USED") == ["LOYALTY-5OFF-"]
    assert codes("USED,UNUSED") == ["LOYALTY-5OFF-", "LOYALTY-WELCO", "LOYALTY-0003-"]
    assert codes(" EXPIRED , USED") == ["LOYALTY-5OFF-"]
    assert codes("EXPIRED") == codes("ACTIVE") == []


def test_redeem_rules_answer_numbers(ledger: Ledger) -> None:
    rules = ledger.redeem_rules()
    assert [(r["id"], r["type"], r["status"], r["redeemPoints"]) for r in rules] == [
        (1, "DISCOUNT_CODE", "ACTIVE", 500),
        (2, "STORE_CREDIT", "ACTIVE", 1000),
        (3, "FREE_SHIPPING", "INACTIVE", 300),
    ]
    assert rules[2]["discount"] is None and rules[0]["discount"] == 5
    assert (rules[0]["minimumPurchaseAmount"], rules[2]["minimumPurchaseAmount"]) == (20, 0)
    assert {r["shop"] for r in rules} == {"appstle-demo.myshopify.com"}


def test_a_minimal_fixture_gets_defaults(store: Store) -> None:
    with store.transaction() as tx:
        tenant = tx.tenant("appstle:min")
        seed(tenant, {"customers": [{"customerId": 7, "email": "a@b.c"}]})
        view = Ledger(tenant, datetime(2025, 1, 1, tzinfo=UTC)).customer_loyalty(CustomerRef(7))
    assert view["availablePoints"] == 0 and view["currentVipTier"] == ""
    assert view["customerStatus"] == "ACTIVE" and view["rewards"] == []
    assert view["referralLink"] == "https://appstle-demo.myshopify.com/?ref=7"
    assert Decimal(str(view["storeCreditBalance"])) == 0


def test_fixture_schema_rejects_unknown_fields_and_bare_dates() -> None:
    with pytest.raises(FixtureError, match="customers/0"):
        check_fixture(
            {"customers": [{"customerId": 1, "email": "x", "points": 3}]},
            VENDOR.fixture_schema,
            "f.yaml",
        )
    with pytest.raises(FixtureError, match="redeemRules/0/createAt"):
        check_fixture(
            {
                "redeemRules": [
                    {
                        "id": 1,
                        "name": "n",
                        "type": "DISCOUNT_CODE",
                        "redeemPoints": 1,
                        "createAt": datetime(2025, 1, 1),
                    }
                ]
            },
            VENDOR.fixture_schema,
            "f.yaml",
        )


def test_approval_marks_the_transaction_approved_and_moves_exact_points(ledger: Ledger) -> None:
    [pending] = ledger.transactions(1002)
    assert (pending["status"], pending["transactionRule"], pending["amount"]) == (
        "PENDING",
        "EARN_RULE",
        "40",
    )
    ledger.approve_pending([{"transactionId": pending["id"], "customerId": 1002}])
    [approved] = ledger.transactions(1002)
    assert approved == {**pending, "status": "APPROVED"}
    view = ledger.customer_loyalty(JANE)
    assert (view["availablePoints"], view["pendingPoints"], view["creditedPoints"]) == (
        160.5,
        0,
        170.5,
    )


def test_pending_points_are_the_sum_of_pending_transactions(store: Store) -> None:
    with store.transaction() as tx:
        tenant = tx.tenant("appstle:pending")
        earned = [{"points": 0.1}, {"points": 0.2, "note": "Order #7", "earnRuleId": 1}]
        seed(
            tenant,
            {"customers": [{"customerId": 7, "email": "a@b.c", "pendingTransactions": earned}]},
        )
        ledger = Ledger(tenant, datetime(2025, 1, 1, tzinfo=UTC))
        assert ledger.customer_loyalty(CustomerRef(7))["pendingPoints"] == 0.3
        ledger.approve_pending(None, approve_all=True)
        view = ledger.customer_loyalty(CustomerRef(7))
    assert (view["availablePoints"], view["pendingPoints"], view["creditedPoints"]) == (0.3, 0, 0.3)


@pytest.mark.parametrize("dob", ["19910203", "1991-02-30", "1991-W05-7"])
def test_birth_date_must_be_a_real_calendar_date(ledger: Ledger, dob: str) -> None:
    assert refused(ledger.update_birth_date, 1002, dob) == (
        400,
        {"error": "Invalid request", "details": f"dob: {dob!r} is not a date (YYYY-MM-DD)"},
    )
    assert ledger.customer_loyalty(JANE)["dob"] is None
    assert ledger.update_birth_date(1002, "1991-02-03")["dob"] == "1991-02-03"
