"""The Appstle spec against Appstle's own documentation pages (the seed pages of this project,
and the Admin APIs pages read on 2026-11-30: point-redeem-rules, point-earn-rules,
approve-pending-transactions, check-discount, update-discount, update-discount-code-status,
update-customer-birth-date, customer-loyalty's `status` filter).

The field lists below are copied from those pages by hand, so the test needs nothing outside
the repository: every documented field must be in the spec with the documented type.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.specs.specdoc import resolve

SPEC = Path(__file__).resolve().parents[2] / "specs" / "appstle-loyalty.yaml"

# Customer loyalty object (200 of add-points / add-credits): field -> (type, format or None).
CUSTOMER_LOYALTY_FIELDS = {
    "availablePoints": ("number", "double"),
    "pendingPoints": ("number", "double"),
    "creditedPoints": ("number", "double"),
    "spentAmount": ("number", "double"),
    "storeCreditBalance": ("number", "double"),
    "achievableTierId": ("integer", "int64"),
    "currentVipTier": ("string", None),
    "vipTierExpiredAt": ("string", "date-time"),
    "createAt": ("string", "date-time"),
    "rewardedForFacebook": ("boolean", None),
    "rewardedForPinterest": ("boolean", None),
    "rewardedForTwitter": ("boolean", None),
    "rewardedForInstagram": ("boolean", None),
    "rewardedForYoutube": ("boolean", None),
    "rewardedForTiktok": ("boolean", None),
    "rewardedForNewsLetter": ("boolean", None),
    "rewardedForSms": ("boolean", None),
    "referredCompleted": ("integer", "int64"),
    "referralLink": ("string", None),
    "customerStatus": ("string", None),
    "dob": ("string", "date"),
    "rewards": ("array", None),
    "rewardedForCreatingAccount": ("boolean", None),
    "rewardedForSharingOnFacebook": ("boolean", None),
    "rewardedForSharingOnX": ("boolean", None),
    "expiringPointsAmount": ("number", "double"),
    "pointsExpireAt": ("string", "date-time"),
}
CUSTOMER_STATUS = ["ACTIVE", "INACTIVE", "EXCLUDED", "EXCLUDED_BY_CUSTOMER"]
NULLABLE_CUSTOMER_FIELDS = {"vipTierExpiredAt", "dob", "pointsExpireAt"}

# Reward item (`rewards[]`): field -> type.
REWARD_FIELDS = {
    "id": "integer",
    "shop": "string",
    "customerId": "integer",
    "description": "string",
    "pointTransactionId": "integer",
    "pointRedeemRuleId": "integer",
    "discountCode": "string",
    "usedAt": "string",
    "orderId": "integer",
    "orderName": "string",
    "status": "string",
    "expireDate": "string",
    "variantId": "integer",
    "discountCodeId": "string",
    "productData": "string",
    "usageCount": "integer",
    "amount": "number",
    "rewardType": "string",
    "lastExpiryReminderSentDate": "string",
}
REWARD_REQUIRED = {"shop", "customerId", "discountCode", "status"}
REWARD_STATUS = ["USED", "UNUSED", "REFUNDED", "EXPIRED", "SUBSCRIPTION_ACTIVE"]
REWARD_TYPE = ["STORE_CREDIT", "DISCOUNT_CODE", "POINTS"]

# add-points request body; add-credits request body.
ADD_POINTS_FIELDS = {
    "points": "number",
    "customerId": "integer",
    "customerEmail": "string",
    "earnRuleId": "integer",
    "note": "string",
}
ADD_CREDITS_FIELDS = {
    "customerId": "integer",
    "customerEmail": "string",
    "credits": "number",
    "earnRuleId": "integer",
    "note": "string",
}
REDEEM_RULE_TYPES = [
    "DISCOUNT_CODE",
    "FREE_PRODUCT",
    "FREE_SHIPPING",
    "PRODUCT_DISCOUNT",
    "COLLECTION_DISCOUNT",
    "BIRTHDAY_REWARD",
    "DYNAMIC_DISCOUNT",
    "STATIC_REDEEM_RULE",
    "STORE_CREDIT",
]


# GET point-redeem-rules: the rule object's documented fields (a selection) and enums.
REDEEM_RULE_FIELDS = {
    "id": "integer",
    "shop": "string",
    "name": "string",
    "redeemPoints": "number",
    "pointsCost": "number",
    "discount": "number",
    "minimumPurchaseAmount": "number",
    "maximumShippingRate": "number",
    "customerFacingLabel": "string",
    "createAt": "string",
    "updateAt": "string",
}
DISCOUNT_TYPES = ["PERCENTAGE", "FIXED", None]
# GET point-earn-rules: required fields of the earn rule object.
EARN_RULE_REQUIRED = {
    "type",
    "status",
    "basePoints",
    "includeSubtotal",
    "includeTax",
    "name",
    "customerNotification",
}
# The documented request bodies of the discount-code endpoints: field -> type; required.
DISCOUNT_BODIES = {
    "/api/external/check-discount": (
        {"customerId": "integer", "discountCode": "string"},
        {"customerId", "discountCode"},
    ),
    "/api/external/update-discount": (
        {"customerId": "integer", "discountCode": "string", "status": "string"},
        {"customerId", "discountCode", "status"},
    ),
}
APPROVAL_400 = (
    "Must provide either approveAllPendingTransactions=true or a list of pending transactions "
    "to approve"
)


@pytest.fixture(scope="module")
def spec() -> dict[str, Any]:
    return yaml.safe_load(SPEC.read_text(encoding="utf-8"))


def body_schema(spec: dict[str, Any], path: str, method: str = "post") -> dict[str, Any]:
    content = spec["paths"][path][method]["requestBody"]["content"]["application/json"]
    return resolve(spec, content["schema"])


def response_schema(spec: dict[str, Any], path: str, method: str, status: str) -> dict[str, Any]:
    response = resolve(spec, spec["paths"][path][method]["responses"][status])
    return resolve(spec, response["content"]["application/json"]["schema"])


def test_the_customer_loyalty_object_has_every_documented_field(spec: dict[str, Any]) -> None:
    for path in ("/api/external/add-points", "/api/external/add-credits"):
        properties = response_schema(spec, path, "post", "200")["properties"]
        for name, (type_, format_) in CUSTOMER_LOYALTY_FIELDS.items():
            prop = resolve(spec, properties.get(name))
            assert prop is not None, f"{path}: customer loyalty field {name} is missing"
            assert (prop["type"], prop.get("format")) == (type_, format_), name
        assert set(properties) == set(CUSTOMER_LOYALTY_FIELDS)


def test_customer_status_and_nullable_dates(spec: dict[str, Any]) -> None:
    properties = spec["components"]["schemas"]["CustomerLoyalty"]["properties"]
    assert resolve(spec, properties["customerStatus"])["enum"] == CUSTOMER_STATUS
    nullable = {name for name, prop in properties.items() if resolve(spec, prop).get("nullable")}
    assert nullable >= NULLABLE_CUSTOMER_FIELDS


def test_every_operation_on_a_customer_answers_the_loyalty_object(spec: dict[str, Any]) -> None:
    loyalty = spec["components"]["schemas"]["CustomerLoyalty"]
    for path, method in [
        ("/api/external/add-points", "post"),
        ("/api/external/add-credits", "post"),
        ("/api/external/remove-points", "post"),
        ("/api/external/redeem-points", "post"),
        ("/api/external/customer-loyalty", "get"),
    ]:
        assert response_schema(spec, path, method, "200") is loyalty, path


def test_the_reward_item_matches_the_documentation(spec: dict[str, Any]) -> None:
    loyalty = spec["components"]["schemas"]["CustomerLoyalty"]
    reward = resolve(spec, loyalty["properties"]["rewards"]["items"])
    for name, type_ in REWARD_FIELDS.items():
        assert resolve(spec, reward["properties"][name])["type"] == type_, name
    assert set(reward["required"]) == REWARD_REQUIRED
    assert resolve(spec, reward["properties"]["status"])["enum"] == REWARD_STATUS
    assert resolve(spec, reward["properties"]["rewardType"])["enum"] == REWARD_TYPE


@pytest.mark.parametrize(
    ("path", "fields", "required"),
    [
        ("/api/external/add-points", ADD_POINTS_FIELDS, ["points"]),
        ("/api/external/remove-points", ADD_POINTS_FIELDS, ["points"]),
        ("/api/external/add-credits", ADD_CREDITS_FIELDS, ["credits"]),
    ],
)
def test_request_bodies_match_the_documentation(
    spec: dict[str, Any], path: str, fields: dict[str, str], required: list[str]
) -> None:
    schema = body_schema(spec, path)
    for name, type_ in fields.items():
        assert schema["properties"][name]["type"] == type_, name
    assert schema["required"] == required
    assert schema["properties"]["note"]["maxLength"] == 500
    assert schema.get("additionalProperties", True) is True  # Jackson ignores unknown fields
    assert len(schema["oneOf"]) == 2  # customerId XOR customerEmail


def test_points_limits(spec: dict[str, Any]) -> None:
    points = body_schema(spec, "/api/external/add-points")["properties"]["points"]
    assert (points["minimum"], points["format"]) == (0.01, "double")
    credits = body_schema(spec, "/api/external/add-credits")["properties"]["credits"]
    assert (credits["minimum"], credits["exclusiveMinimum"]) == (0, True)


def test_redeem_rule_has_the_documented_fields_and_no_invented_points(
    spec: dict[str, Any],
) -> None:
    rule = spec["components"]["schemas"]["PointRedeemRule"]
    properties = rule["properties"]
    assert properties["type"]["enum"] == REDEEM_RULE_TYPES
    assert resolve(spec, properties["status"])["enum"] == ["ACTIVE", "INACTIVE"]
    assert properties["discountType"]["enum"] == DISCOUNT_TYPES
    for name, type_ in REDEEM_RULE_FIELDS.items():
        assert properties[name]["type"] == type_, name
    assert "points" not in properties and "points" not in rule["required"]
    assert set(rule["required"]) <= {"id", "name", "type", "status", "redeemPoints"}
    assert rule.get("additionalProperties", True) is True  # the vendor sends many more


def test_earn_rule_matches_the_documentation(spec: dict[str, Any]) -> None:
    rule = spec["components"]["schemas"]["PointEarnRule"]
    assert set(rule["required"]) == EARN_RULE_REQUIRED
    assert rule.get("additionalProperties", True) is True
    operation = spec["paths"]["/api/external/point-earn-rules"]["get"]
    [flag] = operation["parameters"]
    assert (flag["name"], flag["schema"]["type"], flag["schema"]["default"]) == (
        "includeInactive",
        "boolean",
        False,
    )


def test_reward_status_filter_is_comma_separated(spec: dict[str, Any]) -> None:
    parameters = spec["paths"]["/api/external/customer-loyalty"]["get"]["parameters"]
    [status] = [p for p in parameters if p["name"] == "status"]
    pattern = re.compile(status["schema"]["pattern"])
    for good in ("USED", "UNUSED,USED", "USED, UNUSED", "ACTIVE,USED,UNUSED"):
        assert pattern.search(good), good
    for bad in ("", "USED,", "LOST", "USED;UNUSED"):
        assert not pattern.search(bad), bad


@pytest.mark.parametrize("path", sorted(DISCOUNT_BODIES))
def test_discount_code_bodies_match_the_documentation(spec: dict[str, Any], path: str) -> None:
    fields, required = DISCOUNT_BODIES[path]
    schema = body_schema(spec, path, "put")
    for name, type_ in fields.items():
        assert resolve(spec, schema["properties"][name])["type"] == type_, name
    assert set(schema["required"]) == required
    assert schema["properties"]["discountCode"]["maxLength"] == 100
    reward = spec["components"]["schemas"]["Reward"]
    assert response_schema(spec, path, "put", "200") is reward


def test_approval_takes_a_list_or_the_flag_and_answers_204(spec: dict[str, Any]) -> None:
    operation = spec["paths"]["/api/external/approve-pending-transactions"]["put"]
    [flag] = operation["parameters"]
    assert (flag["name"], flag["schema"]["type"]) == ("approveAllPendingTransactions", "boolean")
    assert operation["requestBody"]["required"] is False
    body = operation["requestBody"]["content"]["application/json"]["schema"]
    assert body["type"] == "array"
    assert {"transactionId", "customerId"} <= set(resolve(spec, body["items"])["properties"])
    assert "content" not in operation["responses"]["204"]
    example = operation["responses"]["400"]["content"]["application/json"]["example"]
    assert example == {"error": "Invalid request", "details": APPROVAL_400}


def test_birth_date_update_answers_the_customer_record(spec: dict[str, Any]) -> None:
    schema = body_schema(spec, "/api/external/update-customer-birth-date", "put")
    assert schema["properties"]["dob"]["format"] == "date"
    record = response_schema(spec, "/api/external/update-customer-birth-date", "put", "200")
    assert set(record["required"]) == {
        "shop",
        "customerId",
        "createAt",
        "availablePoints",
        "pendingPoints",
    }


def test_pinned_to_a_dated_reading_of_the_docs(spec: dict[str, Any]) -> None:
    assert "2026-11-30" in spec["info"]["x-vendor-version"]
    assert "2026-11-30" in spec["info"]["description"]


def test_api_key_security_and_real_server(spec: dict[str, Any]) -> None:
    assert spec["servers"][0]["url"] == "https://loyalty-admin.appstle.com"
    scheme = spec["components"]["securitySchemes"]["ApiKeyAuth"]
    assert (scheme["type"], scheme["in"], scheme["name"]) == ("apiKey", "header", "X-API-Key")
    assert "api_key" in scheme["description"]
    query = spec["components"]["securitySchemes"]["ApiKeyQuery"]
    assert (query["type"], query["in"], query["name"]) == ("apiKey", "query", "api_key")
    for item in spec["paths"].values():
        for operation in item.values():
            assert operation["security"] == [{"ApiKeyAuth": []}, {"ApiKeyQuery": []}]
            assert "401" in operation["responses"]


def test_error_body_is_error_and_details(spec: dict[str, Any]) -> None:
    error = spec["components"]["schemas"]["Error"]
    assert error["required"] == ["error", "details"]
    unauthorized = spec["components"]["responses"]["Unauthorized"]
    assert unauthorized["content"]["application/json"]["example"]["error"] == "Unauthorized"
