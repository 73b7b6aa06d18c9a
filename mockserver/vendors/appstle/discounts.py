"""The discount codes of rewards: check one at checkout, and set its status afterwards.

Rules (the spec says which are Appstle's and which are inferred):
- codes match case-insensitively; a code that exists but belongs to another customer is not
  found, like one that does not exist (Appstle: "Wrong customer: 404");
- a code applies at checkout while UNUSED or SUBSCRIPTION_ACTIVE and not past its
  `expireDate`; USED, EXPIRED and REFUNDED codes are refused with a 400;
- a USED code cannot be marked USED again (Appstle); every other status change is allowed,
  marking a code USED stamps `usedAt` and counts one use;
- status changes never move points or store credit.
"""

from __future__ import annotations

from typing import Any

from mockserver.vendors.appstle import errors
from mockserver.vendors.appstle.models import (
    REWARD,
    REWARD_STATUSES,
    CustomerRef,
    Ledger,
    reward_view,
)

USABLE = ("UNUSED", "SUBSCRIPTION_ACTIVE")


class Discounts:
    """One shop's reward discount codes, through its `Ledger` (same store, same clock)."""

    def __init__(self, ledger: Ledger) -> None:
        self.ledger = ledger
        self.store = ledger.store

    def check(self, customer_id: int, code: str) -> dict:
        """The reward behind a code the customer may apply now, or why they may not."""
        reward = self._owned(customer_id, code)
        status = reward["status"]
        if status in USABLE and self._expired(reward):
            status = "EXPIRED"
        if status not in USABLE:
            raise errors.discount_unusable(reward["discountCode"], status)
        return reward_view(reward)

    def update(self, customer_id: int, code: str, status: str) -> dict:
        """Set the status of one of the customer's codes; answers the reward."""
        reward = self._owned(customer_id, code)
        return reward_view(self._set_status(reward, status))

    def update_by_code(self, code: str, status: Any) -> dict:
        """The legacy form: the code alone names the reward; answers its owner's account."""
        if status not in REWARD_STATUSES:
            raise errors.unknown_reward_status(str(status))
        reward = self._find(code)
        if reward is None:
            raise errors.discount_not_found(code)
        self._set_status(reward, status)
        return self.ledger.customer_loyalty(CustomerRef(reward["customerId"]))

    def _owned(self, customer_id: int, code: str) -> dict:
        reward = self._find(code)
        if reward is None or reward["customerId"] != customer_id:
            raise errors.discount_not_found(code, customer_id)
        return reward

    def _find(self, code: str) -> dict | None:
        wanted = code.casefold()
        for reward in self.store.all(REWARD):
            if reward["discountCode"].casefold() == wanted:
                return reward
        return None

    def _expired(self, reward: dict) -> bool:
        # Both are UTC timestamps in one fixed format, so text order is time order.
        return reward.get("expireDate") is not None and reward["expireDate"] <= self.ledger.now

    def _set_status(self, reward: dict, status: str) -> dict:
        if status == "USED":
            if reward["status"] == "USED":
                raise errors.discount_already_used(reward["discountCode"])
            reward["usedAt"] = self.ledger.now
            reward["usageCount"] = (reward.get("usageCount") or 0) + 1
        reward["status"] = status
        self.store.put(REWARD, str(reward["id"]), reward)
        return reward
