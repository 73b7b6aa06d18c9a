"""Fill a new Appstle shop (tenant) from fixture data (schema: fixtures/schema.yaml).

Absent fields take defaults; every amount goes through the ledger's exact decimals, and each
pending transaction is logged through the ledger and counted in the customer's pendingPoints.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from mockserver.store import TenantStore
from mockserver.vendors.appstle.models import (
    CUSTOMER,
    DECIMAL_FIELDS,
    DEFAULT_SHOP,
    EARN_RULE,
    EARN_RULE_NUMBERS,
    FLAG_FIELDS,
    REDEEM_RULE,
    RULE_NUMBERS,
    SHOP,
    Ledger,
    add_amount,
    checked_points,
    plain,
    to_decimal,
)


def seed(store: TenantStore, fixtures: Mapping[str, Any]) -> None:
    """Fill a new shop from fixture data (schema: fixtures/schema.yaml); absent fields default."""
    shop = fixtures.get("shop", DEFAULT_SHOP)
    store.put(SHOP, SHOP, {"domain": shop})
    for rule in fixtures.get("redeemRules", []):
        store.put(REDEEM_RULE, str(rule["id"]), _seed_rule(rule))
    for rule in fixtures.get("earnRules", []):
        store.put(EARN_RULE, str(rule["id"]), _seed_earn_rule(rule))
    ledger = Ledger(store, datetime.fromtimestamp(0))
    for entry in fixtures.get("customers", []):
        customer = _seed_customer(entry, shop, store.next_id(CUSTOMER))
        for earned in entry.get("pendingTransactions", []):
            amount = checked_points(earned["points"])
            customer["pendingPoints"] = add_amount(customer["pendingPoints"], amount)
            ledger.log(
                customer,
                amount,
                "POINTS",
                "CREDIT",
                "EARN_RULE",
                earned.get("note"),
                earned.get("earnRuleId"),
                status="PENDING",
            )
        store.put(CUSTOMER, str(customer["customerId"]), customer)
        for reward in entry.get("rewards", []):
            fields = {"rewardType": "DISCOUNT_CODE", "usageCount": 0, **reward}
            if fields.get("amount") is not None:
                fields["amount"] = plain(to_decimal(fields["amount"], "amount"))
            ledger.add_reward(customer, fields)


def _seed_customer(entry: Mapping[str, Any], shop: str, record_id: int) -> dict:
    customer_id = int(entry["customerId"])
    customer: dict[str, Any] = {
        "recordId": record_id,
        "customerId": customer_id,
        "email": entry["email"],
        "firstName": entry.get("firstName"),
        "lastName": entry.get("lastName"),
        "enrolled": entry.get("enrolled", True),
        "achievableTierId": entry.get("achievableTierId"),
        "currentVipTier": entry.get("currentVipTier", ""),
        "vipTierExpiredAt": entry.get("vipTierExpiredAt"),
        "createAt": entry.get("createAt", "2025-01-01T00:00:00Z"),
        "referredCompleted": entry.get("referredCompleted", 0),
        "referralLink": entry.get("referralLink", f"https://{shop}/?ref={customer_id}"),
        "customerStatus": entry.get("customerStatus", "ACTIVE"),
        "dob": entry.get("dob"),
        "pointsExpireAt": entry.get("pointsExpireAt"),
    }
    for name in DECIMAL_FIELDS:
        customer[name] = plain(to_decimal(entry.get(name, 0), name))
    for name in FLAG_FIELDS:
        customer[name] = bool(entry.get(name, False))
    return customer


def _seed_numbers(rule: Mapping[str, Any], names: tuple[str, ...]) -> dict[str, str | None]:
    return {
        name: None if rule.get(name) is None else plain(to_decimal(rule[name], name))
        for name in names
    }


def _seed_rule(rule: Mapping[str, Any]) -> dict:
    return {
        "id": int(rule["id"]),
        "name": rule["name"],
        "type": rule["type"],
        "status": rule.get("status", "ACTIVE"),
        "discountType": rule.get("discountType"),
        "customerFacingLabel": rule.get("customerFacingLabel"),
        "createAt": rule.get("createAt", "2025-01-01T00:00:00Z"),
        "updateAt": rule.get("updateAt", rule.get("createAt", "2025-01-01T00:00:00Z")),
        **_seed_numbers({"minimumPurchaseAmount": 0, **rule}, RULE_NUMBERS),
    }


def _seed_earn_rule(rule: Mapping[str, Any]) -> dict:
    return {
        "id": int(rule["id"]),
        "name": rule["name"],
        "type": rule["type"],
        "status": rule.get("status", "ACTIVE"),
        "includeSubtotal": rule.get("includeSubtotal", False),
        "includeTax": rule.get("includeTax", False),
        "customerNotification": rule.get("customerNotification", ""),
        "customerFacingLabel": rule.get("customerFacingLabel"),
        "autoApprovalDays": rule.get("autoApprovalDays"),
        "manuallyApprovePoints": rule.get("manuallyApprovePoints", False),
        "createAt": rule.get("createAt", "2025-01-01T00:00:00Z"),
        "updateAt": rule.get("updateAt", rule.get("createAt", "2025-01-01T00:00:00Z")),
        **_seed_numbers(rule, EARN_RULE_NUMBERS),
    }
