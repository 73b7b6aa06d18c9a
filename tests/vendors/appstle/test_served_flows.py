"""The stateful Appstle flows through a real served mock (gunicorn, loopback socket): a
redeemed code checked and marked used at checkout, and pending points approved."""

from __future__ import annotations

from tests.live import running_server
from tests.live.helpers import call

KEY = {"X-API-Key": "apst_test_served_flows"}


def test_redeem_check_and_use_a_discount_code_over_http() -> None:
    with running_server("--vendor", "appstle") as base:
        api = f"{base}/api/external"
        status, account = call(
            "POST", f"{api}/redeem-points", {"customerId": 1002, "redeemRuleId": 1}, KEY
        )
        assert status == 400 and account["error"] == "Insufficient points"
        status, account = call(
            "POST", f"{api}/redeem-points", {"customerId": 1001, "redeemRuleId": 1}, KEY
        )
        assert status == 200
        code = account["rewards"][-1]["discountCode"]
        status, reward = call(
            "PUT", f"{api}/check-discount", {"customerId": 1001, "discountCode": code}, KEY
        )
        assert (status, reward["status"]) == (200, "UNUSED")
        used = {"customerId": 1001, "discountCode": code, "status": "USED"}
        status, reward = call("PUT", f"{api}/update-discount", used, KEY)
        assert (status, reward["status"], reward["usageCount"]) == (200, "USED", 1)
        status, refusal = call(
            "PUT", f"{api}/check-discount", {"customerId": 1001, "discountCode": code}, KEY
        )
        assert (status, refusal["error"]) == (400, "Discount already used")
        status, after = call("GET", f"{api}/customer-loyalty?customerId=1001", headers=KEY)
        assert after["availablePoints"] == account["availablePoints"] == 3750


def test_pending_points_are_approved_over_http() -> None:
    with running_server("--vendor", "appstle") as base:
        api = f"{base}/api/external"
        status, none = call(
            "PUT",
            f"{api}/approve-pending-transactions",
            [{"transactionId": 2, "customerId": 1002}],
            KEY,
        )
        assert (status, none) == (204, None)
        status, account = call("GET", f"{api}/customer-loyalty?customerId=1002", headers=KEY)
        assert (account["availablePoints"], account["pendingPoints"]) == (160.5, 0)
        assert account["creditedPoints"] == 170.5
        status, refusal = call("PUT", f"{api}/approve-pending-transactions", [], KEY)
        assert (status, refusal["details"]) == (
            400,
            "Must provide either approveAllPendingTransactions=true or a list of pending "
            "transactions to approve",
        )
