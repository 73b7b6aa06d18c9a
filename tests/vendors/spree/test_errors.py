"""Rails' wording helpers and the Problem -> Spree answer mapping, without HTTP."""

from __future__ import annotations

from mockserver.errors import Problem
from mockserver.vendors.spree.errors import SpreeErrors, humanize, to_sentence


def test_to_sentence_joins_like_rails() -> None:
    assert to_sentence(["a"]) == "a"
    assert to_sentence(["a", "b"]) == "a and b"
    assert to_sentence(["a", "b", "c"]) == "a, b, and c"


def test_humanize_drops_id_and_underscores() -> None:
    assert humanize("created_by") == "Created by"
    assert humanize("user_id") == "User"
    assert humanize("amount_authorized") == "Amount authorized"


def test_body_problems_inside_the_wrapper_are_one_422() -> None:
    error = SpreeErrors().invalid_request(
        [
            Problem("body", "store_credit.category_id", "type", "no integer", value="abc"),
            Problem("body", "store_credit.amount", "constraint", "too small", value=0),
            Problem("body", "store_credit.amount", "type", "not a number", value="1"),
            Problem("body", "store_credit.private_metadata", "type", "not object", value=[]),
        ]
    )
    assert error.status == 422
    assert error.body == {
        "error": (
            "Category is invalid, Amount must be greater than 0, Amount is not a number, "
            "and Private metadata is invalid"
        ),
        "errors": {
            "category_id": ["is invalid"],
            "amount": ["must be greater than 0", "is not a number"],
            "private_metadata": ["is invalid"],
        },
    }


def test_a_problem_with_the_wrapper_wins_over_attribute_problems() -> None:
    error = SpreeErrors().invalid_request(
        [
            Problem("body", "store_credit.user_id", "required", "required"),
            Problem("body", "store_credit", "constraint", "minProperties", value={}),
        ]
    )
    assert (error.status, error.body) == (
        400,
        {"error": "param is missing or the value is empty: store_credit"},
    )


def test_query_problems_are_400() -> None:
    error = SpreeErrors().invalid_request(
        [Problem("query", "include", "constraint", "no match", value="user,bogus,x")]
    )
    assert (error.status, error.body) == (
        400,
        {
            "error": "bogus is not specified as a relationship on "
            "Spree::Api::V2::Platform::StoreCreditSerializer"
        },
    )
