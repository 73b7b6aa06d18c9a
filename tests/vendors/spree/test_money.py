"""Amounts render as Rails' BigDecimal#to_s; display amounts as Spree::Money."""

from decimal import Decimal

import pytest

from mockserver.vendors.spree.casting import number
from mockserver.vendors.spree.money import display, rails_decimal, to_cents


@pytest.mark.parametrize(
    ("value", "text"),
    [
        ("150", "150.0"),
        ("150.00", "150.0"),
        ("10.5", "10.5"),
        ("10.55", "10.55"),
        ("0", "0.0"),
        ("0.004", "0.0"),
        ("10.555", "10.56"),
        ("999999.99", "999999.99"),
        ("1E+3", "1000.0"),
    ],
)
def test_rails_decimal(value: str, text: str) -> None:
    assert rails_decimal(Decimal(value)) == text


@pytest.mark.parametrize(
    ("value", "currency", "text"),
    [
        ("150", "USD", "$150.00"),
        ("1500.5", "USD", "$1,500.50"),
        ("0", "USD", "$0.00"),
        ("20", "EUR", "€20.00"),
        ("20", "GBP", "£20.00"),
        ("20", "PLN", "PLN 20.00"),
        ("-5", "USD", "-$5.00"),
    ],
)
def test_display(value: str, currency: str, text: str) -> None:
    assert display(Decimal(value), currency) == text


def test_json_floats_keep_the_digits_the_client_wrote() -> None:
    assert number(15.5) == Decimal("15.5")
    assert number(0.1) == Decimal("0.1")
    assert to_cents(Decimal("2.675")) == Decimal("2.68")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("10", "10"),
        (" 1e2 ", "1E+2"),
        ("1_000.5", "1000.5"),
        (".5", "0.5"),
        ("\v-3\n", "-3"),
        ("-1e99999999999999999999", "-Infinity"),
    ],
)
def test_numeric_strings_read_as_kernel_float_does(value: str, expected: str) -> None:
    assert number(value) == Decimal(expected)


@pytest.mark.parametrize("value", ["abc", "", "0x1A", "1.", "1e", "\u0663", "1\u2003", True, None])
def test_what_is_no_number(value: object) -> None:
    assert number(value) is None
