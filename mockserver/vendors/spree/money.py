"""Money as Spree shows it: Rails' `BigDecimal#to_s` for amounts and `Spree::Money` for the
`display_*` attributes. Kept apart so the model and the serializer agree on one rendering."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")
SYMBOLS = {"USD": "$", "EUR": "€", "GBP": "£"}


def to_cents(value: Decimal) -> Decimal:
    """What a `decimal(8,2)` column keeps."""
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def rails_decimal(value: Decimal) -> str:
    """`BigDecimal#to_s` of a stored amount: "150.0", "10.5", "10.55" (never an exponent)."""
    text = format(to_cents(value), "f")
    whole, _, fraction = text.partition(".")
    return f"{whole}.{fraction.rstrip('0') or '0'}"


def display(value: Decimal, currency: str) -> str:
    """`Spree::Money#to_s`: "$1,500.00"; currencies without a known symbol get a code prefix."""
    amount = to_cents(value)
    sign = "-" if amount < 0 else ""
    body = f"{abs(amount):,.2f}"
    symbol = SYMBOLS.get(currency.upper())  # the money gem finds currencies in any case
    return f"{sign}{symbol}{body}" if symbol else f"{sign}{currency} {body}"


def money_to_s(value: Decimal) -> str:
    """`Money#to_s` (the money gem, no symbol) of a two-decimal currency: "1500.00"."""
    return f"{to_cents(value):.2f}"
