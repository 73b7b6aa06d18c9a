"""Appstle's loyalty ledger: customers' points and store credit, rewards, earn and redeem rules.

Rules (the spec's descriptions say which are Appstle's and which are inferred):
- a write names its customer by `customerId` or by `customerEmail` (case-insensitive), never
  both; only customers enrolled in the loyalty program are found;
- balances never go negative: a removal or redemption the points do not cover is refused;
- amounts are exact decimals: kept as `Decimal` while computing, stored as strings, answered
  as JSON numbers (Appstle's doubles);
- every balance change is logged as an APPROVED transaction (`pointType` CREDIT or DEBIT,
  `transactionRule` ADJUSTMENT or REDEEM_RULE) in the same request transaction;
- points earned by orders (seeded) wait as PENDING transactions counted in `pendingPoints`;
  approving one moves its points to `availablePoints` and `creditedPoints`.

The ledger knows nothing of HTTP: it takes a `TenantStore` and the request time, and raises
the `ApiError`s built by `errors`.
"""

from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Context, Decimal, InvalidOperation
from typing import Any

from mockserver.store import TenantStore
from mockserver.vendors.appstle import errors

CUSTOMER = "customer"
REWARD = "reward"
REDEEM_RULE = "redeem_rule"
EARN_RULE = "earn_rule"
TRANSACTION = "transaction"
SHOP = "shop"

DEFAULT_SHOP = "appstle-demo.myshopify.com"
NOTE_MAX_LENGTH = 500
MIN_POINTS = Decimal("0.01")
# One change is capped (the spec's `maximum`), so balances stay finite doubles.
MAX_CHANGE = Decimal("1000000000")
CENT = Decimal("0.01")
# Balances are answered as doubles; above this they would overflow to infinity.
MAX_BALANCE = Decimal("1e300")
REWARD_STATUSES = errors.REWARD_STATUSES
# The docs list ACTIVE among the `status` filter values; it names a subscription's live code.
STATUS_ALIASES = {"ACTIVE": "SUBSCRIPTION_ACTIVE"}
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
# Wide enough that sums of any JSON double the API accepts stay exact.
_EXACT = Context(prec=800)

DECIMAL_FIELDS = (
    "availablePoints",
    "pendingPoints",
    "creditedPoints",
    "spentAmount",
    "storeCreditBalance",
    "expiringPointsAmount",
)
FLAG_FIELDS = (
    "rewardedForFacebook",
    "rewardedForPinterest",
    "rewardedForTwitter",
    "rewardedForInstagram",
    "rewardedForYoutube",
    "rewardedForTiktok",
    "rewardedForNewsLetter",
    "rewardedForSms",
    "rewardedForCreatingAccount",
    "rewardedForSharingOnFacebook",
    "rewardedForSharingOnX",
)
# The customer loyalty object's fields, in the order Appstle documents them.
LOYALTY_FIELDS = (
    "availablePoints",
    "pendingPoints",
    "creditedPoints",
    "spentAmount",
    "storeCreditBalance",
    "achievableTierId",
    "currentVipTier",
    "vipTierExpiredAt",
    "createAt",
    *FLAG_FIELDS[:8],
    "referredCompleted",
    "referralLink",
    "customerStatus",
    "dob",
    "rewards",
    *FLAG_FIELDS[8:],
    "expiringPointsAmount",
    "pointsExpireAt",
)
REWARD_FIELDS = (
    "id",
    "shop",
    "customerId",
    "description",
    "pointTransactionId",
    "pointRedeemRuleId",
    "discountCode",
    "usedAt",
    "orderId",
    "orderName",
    "status",
    "expireDate",
    "variantId",
    "discountCodeId",
    "productData",
    "usageCount",
    "amount",
    "rewardType",
    "createAt",
    "lastExpiryReminderSentDate",
)


def to_decimal(value: Any, field: str) -> Decimal:
    """An exact decimal of a JSON number or numeric string (a float by its shortest repr)."""
    try:
        number = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
    except (InvalidOperation, TypeError, ValueError):
        raise errors.invalid(f"{field}: must be a number") from None
    if not number.is_finite():
        raise errors.invalid(f"{field}: must be a finite number")
    return number


def to_number(text: str | None) -> float | None:
    """A stored decimal string as the double Appstle answers."""
    return None if text is None else float(Decimal(text))


def plain(number: Decimal) -> str:
    """Store form: no exponent, no trailing zeros (`"1E+2"` would read badly in a dump)."""
    text = format(number.normalize(_EXACT), "f")
    return text if text != "-0" else "0"


def timestamp(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass(frozen=True)
class CustomerRef:
    """How a request names a customer; None means the field was absent or null."""

    customer_id: int | None = None
    customer_email: str | None = None

    def describe(self) -> str:
        if self.customer_id is not None and self.customer_email is not None:
            return f"both customerId {self.customer_id} and customerEmail {self.customer_email}"
        if self.customer_id is not None:
            return f"customerId {self.customer_id}"
        return f"customerEmail {self.customer_email}"


class Ledger:
    """One shop's (tenant's) loyalty state, as of `now`."""

    def __init__(self, store: TenantStore, now: datetime) -> None:
        self.store = store
        self.now = timestamp(now)

    # -- reads ------------------------------------------------------------------------------

    def customer_loyalty(self, ref: CustomerRef, reward_status: str | None = None) -> dict:
        """GET semantics: either selector, or both if they name the same customer.

        `reward_status` is a comma-separated list of reward statuses to keep.
        """
        return self._view(self._find(ref), reward_status)

    def redeem_rules(self) -> list[dict]:
        return [_rule_view(rule, self._shop()) for rule in self.store.all(REDEEM_RULE)]

    def earn_rules(self, include_inactive: bool = False) -> list[dict]:
        """The shop's earn rules, ACTIVE ones only unless `include_inactive`."""
        return [
            _earn_rule_view(rule, self._shop())
            for rule in self.store.all(EARN_RULE)
            if include_inactive or rule["status"] == "ACTIVE"
        ]

    def transactions(self, customer_id: int) -> list[dict]:
        """The customer's transaction log, oldest first (no endpoint exposes it)."""
        return self.store.where(TRANSACTION, "customerId", customer_id)

    # -- writes -----------------------------------------------------------------------------

    def add_points(
        self,
        ref: CustomerRef,
        points: Any,
        note: str | None = None,
        earn_rule_id: int | None = None,
    ) -> dict:
        amount = checked_points(points)
        _check_note(note)
        customer = self._find_for_write(ref)
        customer["availablePoints"] = add_amount(customer["availablePoints"], amount)
        customer["creditedPoints"] = add_amount(customer["creditedPoints"], amount)
        self.log(customer, amount, "POINTS", "CREDIT", "ADJUSTMENT", note, earn_rule_id)
        return self._save_and_view(customer)

    def remove_points(
        self,
        ref: CustomerRef,
        points: Any,
        note: str | None = None,
        earn_rule_id: int | None = None,
    ) -> dict:
        amount = checked_points(points)
        _check_note(note)
        customer = self._find_for_write(ref)
        self._spend(customer, amount)
        self.log(customer, amount, "POINTS", "DEBIT", "ADJUSTMENT", note, earn_rule_id)
        return self._save_and_view(customer)

    def add_credits(
        self,
        ref: CustomerRef,
        credits: Any,
        note: str | None = None,
        earn_rule_id: int | None = None,
    ) -> dict:
        amount = _capped(to_decimal(credits, "credits"), "credits")
        if amount <= 0:
            raise errors.invalid("credits: must be greater than 0")
        _check_note(note)
        customer = self._find_for_write(ref)
        customer["storeCreditBalance"] = add_amount(customer["storeCreditBalance"], amount)
        self.log(customer, amount, "STORE_CREDIT", "CREDIT", "ADJUSTMENT", note, earn_rule_id)
        return self._save_and_view(customer)

    def redeem_points(
        self,
        ref: CustomerRef,
        rule_id: int,
        points: Any = None,
        variant_id: int | None = None,
    ) -> dict:
        """Spend points on a rule: a DEBIT, an UNUSED reward, and store credit for STORE_CREDIT.

        The reward is worth the rule's `discount` scaled by points spent / rule points,
        rounded half-up to cents.
        """
        customer = self._find_for_write(ref)
        rule = self.store.get(REDEEM_RULE, str(rule_id))
        if rule is None:
            raise errors.redeem_rule_not_found(rule_id)
        if rule["status"] != "ACTIVE":
            raise errors.redeem_rule_inactive(rule_id)
        rule_points = Decimal(rule["redeemPoints"])
        spent = rule_points if points is None else to_decimal(points, "points")
        if spent <= 0:
            raise errors.invalid("points: must be greater than 0")
        self._spend(customer, spent)
        value = None
        if rule.get("discount") is not None and rule_points > 0:
            value = _EXACT.divide(_EXACT.multiply(Decimal(rule["discount"]), spent), rule_points)
            value = value.quantize(CENT, rounding=ROUND_HALF_UP)
        debit = self.log(
            customer, spent, "POINTS", "DEBIT", "REDEEM_RULE", rule["name"], redeem_rule=rule["id"]
        )
        store_credit = rule["type"] == "STORE_CREDIT"
        if store_credit and value is not None:
            customer["storeCreditBalance"] = add_amount(customer["storeCreditBalance"], value)
            self.log(
                customer,
                value,
                "STORE_CREDIT",
                "CREDIT",
                "REDEEM_RULE",
                rule["name"],
                redeem_rule=rule["id"],
            )
        self.add_reward(
            customer,
            {
                "description": rule["name"],
                "pointTransactionId": debit["id"],
                "pointRedeemRuleId": rule["id"],
                "status": "UNUSED",
                "variantId": variant_id,
                "usageCount": 0,
                "amount": None if value is None else plain(value),
                "rewardType": "STORE_CREDIT" if store_credit else "DISCOUNT_CODE",
                "createAt": self.now,
            },
        )
        return self._save_and_view(customer)

    def approve_pending(self, items: list[dict] | None, approve_all: bool = False) -> None:
        """Move PENDING transactions' points to available (and lifetime) points.

        `approve_all` approves every pending transaction of the shop and ignores `items`;
        otherwise every listed transaction must exist, belong to its `customerId` and still be
        PENDING, or nothing is approved.
        """
        if approve_all:
            pending = [t for t in self.store.all(TRANSACTION) if t["status"] == "PENDING"]
        elif not items:
            raise errors.approval_list_missing()
        else:
            chosen = {t["id"]: t for t in (self._pending(item) for item in items)}
            pending = list(chosen.values())
        for transaction in pending:
            customer = self.store.get(CUSTOMER, str(transaction["customerId"]))
            amount = Decimal(transaction["amount"])
            customer["availablePoints"] = add_amount(customer["availablePoints"], amount)
            customer["creditedPoints"] = add_amount(customer["creditedPoints"], amount)
            pending_left = _EXACT.subtract(Decimal(customer["pendingPoints"]), amount)
            customer["pendingPoints"] = plain(max(pending_left, Decimal(0)))
            transaction["status"] = "APPROVED"
            self.store.put(TRANSACTION, str(transaction["id"]), transaction)
            self.store.put(CUSTOMER, str(customer["customerId"]), customer)

    def update_birth_date(self, customer_id: int, dob: str) -> dict:
        """Set the customer's date of birth; answers the loyalty customer record."""
        try:
            if not ISO_DATE.fullmatch(dob):
                raise ValueError(dob)
            born = date.fromisoformat(dob)
        except ValueError:
            raise errors.invalid(f"dob: {dob!r} is not a date (YYYY-MM-DD)") from None
        customer = self._find(CustomerRef(customer_id))
        customer["dob"] = born.isoformat()
        self.store.put(CUSTOMER, str(customer_id), customer)
        return self._record_view(customer)

    # -- internals --------------------------------------------------------------------------

    def _pending(self, item: Mapping[str, Any]) -> dict:
        transaction_id, customer_id = item["transactionId"], item["customerId"]
        transaction = self.store.get(TRANSACTION, str(transaction_id))
        if transaction is None or transaction["customerId"] != customer_id:
            raise errors.transaction_not_found(transaction_id, customer_id)
        if transaction["status"] != "PENDING":
            raise errors.transaction_not_pending(transaction_id, transaction["status"])
        return transaction

    def _find_for_write(self, ref: CustomerRef) -> dict:
        """Writes name exactly one customer (the spec's `oneOf` enforces it over HTTP too)."""
        if (ref.customer_id is None) == (ref.customer_email is None):
            raise errors.invalid(errors.selector_problem(ref.customer_id, ref.customer_email))
        return self._find(ref)

    def _find(self, ref: CustomerRef) -> dict:
        if ref.customer_id is None and ref.customer_email is None:
            raise errors.customer_not_found(errors.selector_problem(None, None))
        if ref.customer_id is not None:
            customer = self.store.get(CUSTOMER, str(ref.customer_id))
        else:
            customer = self._by_email(ref.customer_email or "")
        if (
            customer is None
            or not customer["enrolled"]
            or (
                ref.customer_email is not None
                and customer["email"].casefold() != ref.customer_email.casefold()
            )
        ):
            raise errors.customer_not_found(
                f"No customer enrolled in the loyalty program has {ref.describe()}."
            )
        return customer

    def _by_email(self, email: str) -> dict | None:
        wanted = email.casefold()
        for customer in self.store.all(CUSTOMER):
            if customer["email"].casefold() == wanted:
                return customer
        return None

    def _spend(self, customer: dict, amount: Decimal) -> None:
        available = Decimal(customer["availablePoints"])
        if amount > available:
            raise errors.insufficient_points(plain(available), plain(amount))
        customer["availablePoints"] = plain(_EXACT.subtract(available, amount))

    def log(
        self,
        customer: dict,
        amount: Decimal,
        unit: str,
        point_type: str,
        rule: str,
        note: str | None,
        earn_rule_id: int | None = None,
        redeem_rule: int | None = None,
        status: str = "APPROVED",
    ) -> dict:
        transaction = {
            "id": self.store.next_id(TRANSACTION),
            "customerId": customer["customerId"],
            "unit": unit,
            "amount": plain(amount),
            "pointType": point_type,
            "status": status,
            "transactionRule": rule,
            "note": note,
            "earnRuleId": earn_rule_id,
            "pointRedeemRuleId": redeem_rule,
            "createAt": self.now,
        }
        self.store.put(TRANSACTION, str(transaction["id"]), transaction)
        return transaction

    def add_reward(self, customer: dict, fields: Mapping[str, Any]) -> dict:
        reward_id = self.store.next_id(REWARD)
        reward = {name: None for name in REWARD_FIELDS}
        reward.update(fields)
        reward["id"] = reward_id
        reward["shop"] = self._shop()
        reward["customerId"] = customer["customerId"]
        if not reward.get("discountCode"):
            reward["discountCode"] = self._discount_code(reward_id, customer["customerId"])
        self.store.put(REWARD, str(reward_id), reward)
        return reward

    def _discount_code(self, reward_id: int, customer_id: int) -> str:
        """Deterministic and unique within the shop: the reward id plus a short hash."""
        digest = hashlib.sha256(f"{self.store.tenant}:{customer_id}:{reward_id}".encode())
        suffix = base64.b32encode(digest.digest()).decode()[:6]
        return f"LOYALTY-{reward_id:04d}-{suffix}"

    def _shop(self) -> str:
        shop = self.store.get(SHOP, SHOP)
        return shop["domain"] if shop else DEFAULT_SHOP

    def _save_and_view(self, customer: dict) -> dict:
        self.store.put(CUSTOMER, str(customer["customerId"]), customer)
        return self._view(customer)

    def _view(self, customer: dict, reward_status: str | None = None) -> dict:
        wanted = None if reward_status is None else _statuses(reward_status)
        rewards = [
            reward_view(r)
            for r in self.store.where(REWARD, "customerId", customer["customerId"])
            if wanted is None or r["status"] in wanted
        ]
        view: dict[str, Any] = {}
        for name in LOYALTY_FIELDS:
            if name == "rewards":
                view[name] = rewards
            elif name in DECIMAL_FIELDS:
                view[name] = to_number(customer[name])
            else:
                view[name] = customer[name]
        return view

    def _record_view(self, customer: dict) -> dict:
        """The loyalty customer record (the customer-update endpoints' answer)."""
        return {
            "id": customer.get("recordId"),
            "shop": self._shop(),
            "customerId": customer["customerId"],
            "firstName": customer.get("firstName"),
            "lastName": customer.get("lastName"),
            "email": customer["email"],
            "status": customer["customerStatus"],
            "createAt": customer["createAt"],
            "dob": customer["dob"],
            "vipTier": customer["currentVipTier"] or None,
            "vipTierExpiredAt": customer["vipTierExpiredAt"],
            "availablePoints": to_number(customer["availablePoints"]),
            "pendingPoints": to_number(customer["pendingPoints"]),
            "spentAmount": to_number(customer["spentAmount"]),
            "availableStoreCredits": to_number(customer["storeCreditBalance"]),
            "loyaltyProgramEnabled": customer["enrolled"],
        }


def _statuses(text: str) -> set[str]:
    """A comma-separated `status` filter as reward statuses (the spec's pattern checked it)."""
    names = (part.strip() for part in text.split(","))
    return {STATUS_ALIASES.get(name, name) for name in names if name}


def checked_points(value: Any) -> Decimal:
    amount = _capped(to_decimal(value, "points"), "points")
    if amount < MIN_POINTS:
        raise errors.invalid(f"points: must be at least {MIN_POINTS}")
    return amount


def _capped(amount: Decimal, field: str) -> Decimal:
    if amount > MAX_CHANGE:
        raise errors.invalid(f"{field}: must be at most {MAX_CHANGE}")
    return amount


def _check_note(note: str | None) -> None:
    if note is not None and len(note) > NOTE_MAX_LENGTH:
        raise errors.invalid(
            f"note: is too long ({len(note)} characters, at most {NOTE_MAX_LENGTH})"
        )


def add_amount(stored: str, amount: Decimal) -> str:
    """A balance plus an amount, refused when the answer would not fit in a double."""
    total = _EXACT.add(Decimal(stored), amount)
    if total > MAX_BALANCE:
        raise errors.invalid(f"The resulting balance {plain(total)} is too large to store.")
    return plain(total)


def reward_view(reward: dict) -> dict:
    view = {name: reward.get(name) for name in REWARD_FIELDS}
    view["amount"] = to_number(reward.get("amount"))
    return view


RULE_NUMBERS = (
    "redeemPoints",
    "pointsCost",
    "discount",
    "minimumPurchaseAmount",
    "maximumShippingRate",
)
EARN_RULE_NUMBERS = ("basePoints", "pointsProvided", "maximumPoints", "minimumOrderValue")


def _rule_view(rule: dict, shop: str) -> dict:
    view = {"shop": shop, **rule}
    for name in RULE_NUMBERS:
        view[name] = to_number(rule.get(name))
    return view


def _earn_rule_view(rule: dict, shop: str) -> dict:
    view = {"shop": shop, **rule}
    for name in EARN_RULE_NUMBERS:
        view[name] = to_number(rule.get(name))
    return view
