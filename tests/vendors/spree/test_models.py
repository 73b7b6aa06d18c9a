"""The ledger on a bare TenantStore: rules, rounding, events and soft delete, without HTTP."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from mockserver.errors import ApiError
from mockserver.store import TenantStore
from mockserver.vendors.spree import ransack
from mockserver.vendors.spree.models import CreditQuery, StoreCreditLedger
from tests.vendors.spree.conftest import NOW


@pytest.fixture
def ledger(tenant: TenantStore) -> StoreCreditLedger:
    return StoreCreditLedger(tenant, NOW)


def attrs(**overrides: Any) -> dict[str, Any]:
    base = {
        "user_id": "1",
        "category_id": "1",
        "type_id": "1",
        "created_by_id": "2",
        "store_id": "1",
        "currency": "USD",
        "amount": 150,
    }
    return {**base, **overrides}


def refused(action: Any) -> tuple[int, Any]:
    with pytest.raises(ApiError) as caught:
        action()
    return caught.value.status, caught.value.body


def test_seed_creates_the_demo_credit_with_its_allocation_event(ledger: StoreCreditLedger):
    (credit,) = ledger.list(CreditQuery())
    assert credit["id"] == "1"
    assert credit["amount"] == "100.00"
    assert credit["memo"] == "Welcome credit"
    (event,) = ledger.events(credit)
    assert event["action"] == "allocation"
    assert event["amount"] == "100.00"
    assert event["user_total_amount"] == "100.00"


def test_create_assigns_the_next_integer_id_and_stores_cents(ledger: StoreCreditLedger):
    credit = ledger.create(attrs(amount=10.555, amount_used=0.5, memo="refund"))
    assert credit["id"] == "2"
    assert credit["amount"] == "10.56"
    assert credit["amount_used"] == "0.50"
    assert credit["amount_authorized"] == "0.00"
    assert credit["created_at"] == "2024-03-01T12:30:45.123Z"
    assert ledger.get("2") == credit


def test_create_records_an_allocation_event_with_user_total(ledger: StoreCreditLedger):
    credit = ledger.create(attrs(amount=50, amount_used=5, amount_authorized=10))
    (event,) = ledger.events(credit)
    assert event == {
        "id": "2",
        "store_credit_id": "2",
        "action": "allocation",
        "authorization_code": "2-SC-20240301123045123000",
        "originator_type": None,
        "deleted_at": None,
        "created_at": "2024-03-01T12:30:45.123Z",
        "updated_at": "2024-03-01T12:30:45.123Z",
        "amount": "50.00",
        "user_total_amount": "135.00",  # 100 from the demo credit + 35 remaining here
        "currency": "USD",
    }


def test_every_failure_is_reported_at_once(ledger: StoreCreditLedger):
    status, body = refused(
        lambda: ledger.create(attrs(user_id="99", amount=10, amount_used=11, amount_authorized=1))
    )
    assert status == 422
    assert body == {
        "error": (
            "User can't be blank, Amount used Cannot be greater than amount., "
            "and Amount authorized Exceeds total credits."
        ),
        "errors": {
            "user": ["can't be blank"],
            "amount_used": ["Cannot be greater than amount."],
            "amount_authorized": ["Exceeds total credits."],
        },
    }


def test_only_user_amount_and_currency_are_needed(ledger: StoreCreditLedger):
    """FACTS 3a: category, type and creator are optional; the store is the current one."""
    credit = ledger.create({"user_id": "1", "amount": 10, "currency": "USD"})
    assert (credit["category_id"], credit["type_id"], credit["created_by_id"]) == (None,) * 3
    assert credit["store_id"] == "1"


def test_unknown_optional_ids_are_stored_and_store_id_is_replaced(ledger: StoreCreditLedger):
    """No "must exist": Spree stores dangling ids and sets the current store."""
    credit = ledger.create(attrs(category_id="77", type_id=78, created_by_id="79", store_id="7"))
    assert (credit["category_id"], credit["type_id"], credit["created_by_id"]) == ("77", "78", "79")
    assert credit["store_id"] == "1"


def test_missing_user_and_currency_are_blank(ledger: StoreCreditLedger):
    given = attrs()
    del given["user_id"], given["currency"]
    status, body = refused(lambda: ledger.create(given))
    assert (status, body["errors"]) == (
        422,
        {"user": ["can't be blank"], "currency": ["can't be blank"]},
    )


def test_missing_user_crashes_when_the_quirk_is_on(tenant: TenantStore):
    """Spree 4.10.1: validation passes, `after_save` calls a method on nil: 500."""
    crashing = StoreCreditLedger(tenant, NOW, crash_without_user=True)
    given = {"amount": 10, "currency": "USD"}
    assert refused(lambda: crashing.create(given)) == (
        500,
        {"status": 500, "error": "Internal Server Error"},
    )
    # other failures are still reported first, as validation runs before the save
    status, body = refused(lambda: crashing.create({**given, "amount": 0}))
    assert (status, body["errors"]) == (422, {"amount": ["must be greater than 0"]})
    assert [c["id"] for c in crashing.list(CreditQuery())] == ["1"]


def test_amounts_are_rounded_to_cents_before_validation(ledger: StoreCreditLedger):
    status, body = refused(lambda: ledger.create(attrs(amount=0.004)))
    assert (status, body["errors"]) == (422, {"amount": ["must be greater than 0"]})
    credit = ledger.create(attrs(amount=10, amount_used=10.004))
    assert (credit["amount"], credit["amount_used"]) == ("10.00", "10.00")


def test_amount_authorized_has_no_lower_bound(ledger: StoreCreditLedger):
    credit = ledger.create(attrs(amount=10, amount_used=10, amount_authorized=-5))
    assert credit["amount_authorized"] == "-5.00"


def test_numeric_strings_and_integer_ids_are_cast(ledger: StoreCreditLedger):
    credit = ledger.create({"user_id": 1, "amount": " 1_000.5 ", "currency": "usd"})
    assert (credit["user_id"], credit["amount"], credit["currency"]) == ("1", "1000.50", "usd")


def test_metadata_that_is_no_object_is_dropped(ledger: StoreCreditLedger):
    credit = ledger.create(attrs(public_metadata="x", private_metadata={"k": 1}))
    assert (credit["public_metadata"], credit["private_metadata"]) == ({}, {"k": 1})


def test_two_failures_join_with_and(ledger: StoreCreditLedger):
    _, body = refused(lambda: ledger.create(attrs(amount=0, currency="")))
    assert body["error"] == "Currency can't be blank and Amount must be greater than 0"


def test_authorized_plus_used_may_equal_amount(ledger: StoreCreditLedger):
    credit = ledger.create(attrs(amount=10, amount_used=4, amount_authorized=6))
    assert credit["amount_authorized"] == "6.00"


def test_unknown_attributes_are_dropped(ledger: StoreCreditLedger):
    credit = ledger.create(attrs(id="999", deleted_at="2020-01-01", foo="bar"))
    assert credit["id"] == "2"
    assert credit["deleted_at"] is None
    assert "foo" not in credit


def test_refused_create_changes_nothing_it_owns(ledger: StoreCreditLedger):
    refused(lambda: ledger.create(attrs(user_id="42", amount=-1)))
    assert [c["id"] for c in ledger.list(CreditQuery())] == ["1"]


def test_update_checks_the_merged_record(ledger: StoreCreditLedger):
    status, body = refused(lambda: ledger.update("1", {"amount_used": 100.01}))
    assert status == 422
    assert body["errors"] == {
        "amount_used": ["Cannot be greater than amount."],
        "amount_authorized": ["Exceeds total credits."],
    }
    assert ledger.get("1")["amount_used"] == "0.00"


def test_update_rewrites_the_allocation_event(ledger: StoreCreditLedger, tenant: TenantStore):
    later = datetime(2024, 3, 2, tzinfo=UTC)
    updated = StoreCreditLedger(tenant, later).update("1", {"amount": 80, "amount_used": 30})
    assert updated["amount"] == "80.00"
    assert updated["updated_at"] == "2024-03-02T00:00:00.000Z"
    (event,) = ledger.events(updated)
    assert (event["id"], event["amount"], event["user_total_amount"]) == ("1", "80.00", "50.00")


def test_update_without_changes_keeps_updated_at(ledger: StoreCreditLedger, tenant: TenantStore):
    before = ledger.get("1")
    later = datetime(2024, 3, 2, tzinfo=UTC)
    after = StoreCreditLedger(tenant, later).update("1", {"amount": 100, "foo": 1})
    assert after == before


def test_soft_delete_hides_the_record_but_keeps_it(ledger: StoreCreditLedger, tenant: TenantStore):
    ledger.delete("1")
    assert refused(lambda: ledger.get("1")) == (
        404,
        {"error": "The resource you were looking for could not be found."},
    )
    assert ledger.list(CreditQuery()) == []
    assert tenant.get("store_credit", "1")["deleted_at"] == "2024-03-01T12:30:45.123Z"
    assert refused(lambda: ledger.delete("1"))[0] == 404
    assert refused(lambda: ledger.update("1", {"memo": "x"}))[0] == 404


def test_used_credit_cannot_be_deleted(ledger: StoreCreditLedger):
    ledger.update("1", {"amount_used": 0.01})
    assert refused(lambda: ledger.delete("1")) == (
        422,
        {
            "error": "Amount used is greater than zero. Can not delete store credit.",
            "errors": {"amount_used": ["is greater than zero. Can not delete store credit."]},
        },
    )
    assert ledger.get("1")["deleted_at"] is None


def test_filters_and_sort(ledger: StoreCreditLedger):
    ledger.create(attrs(amount=20, currency="EUR"))  # 2
    ledger.create(attrs(amount=300, user_id="2"))  # 3
    ledger.create(attrs(amount=20, created_by_id="1"))  # 4

    def ids(sort: str | None = None, **filters: str) -> list[str]:
        pairs = [(f"filter[{k}]", v) for k, v in filters.items()]
        query = CreditQuery(tuple(ransack.conditions(pairs)), sort)
        return [c["id"] for c in ledger.list(query)]

    assert ids() == ["1", "2", "3", "4"]
    assert ids(user_id_eq="2") == ["3"]
    assert ids(created_by_id_eq="1") == ["4"]
    assert ids(currency_eq="EUR") == ["2"]
    assert ids(currency_eq="eur") == []
    assert ids(amount_gteq="100") == ["1", "3"]
    assert ids(amount_lt="100") == ["2", "4"]
    assert ids(amount_gteq="abc") == ["1", "2", "3", "4"]  # "abc".to_d is 0
    assert ids(sort="-id") == ["4", "3", "2", "1"]
    assert ids(sort="-amount") == ["1", "2", "3", "4"]  # not sortable in Spree 4.10
    assert ids(sort="-currency,nonsense,-id") == ["4", "3", "2", "1"]


def test_included_lists_each_related_record_once(ledger: StoreCreditLedger):
    second = ledger.create(attrs(user_id="1", created_by_id="1"))
    included = ledger.included(
        [ledger.get("1"), second], ["user", "created_by", "store_credit_events", "user"]
    )
    assert [(kind, r["id"]) for kind, r in included] == [
        ("user", "1"),
        ("admin_user", "2"),
        ("store_credit_event", "1"),
        ("admin_user", "1"),
        ("store_credit_event", "2"),
    ]


def test_categories_and_types_are_readable(ledger: StoreCreditLedger):
    assert [c["name"] for c in ledger.records("store_credit_category")] == ["Default", "Gift Card"]
    assert ledger.record("store_credit_type", "2")["priority"] == 2
    assert refused(lambda: ledger.record("store_credit_type", "9"))[0] == 404
