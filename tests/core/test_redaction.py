"""The journal's redaction: secrets become fingerprints wherever they stand, the rest stays."""

from __future__ import annotations

import json

from mockserver.redaction import Redactor, fingerprint

REDACT = Redactor({"password", "x-api-key", "access_token"})


def test_a_fingerprint_tells_values_apart_without_showing_them() -> None:
    assert fingerprint("a") != fingerprint("b")
    assert fingerprint("a") == fingerprint("a")
    assert fingerprint("secret").startswith("sha256:") and "secret" not in fingerprint("secret")


def test_headers_keep_the_scheme_word_and_lose_the_credential() -> None:
    headers = REDACT.headers(
        [
            ("Authorization", "Bearer abc"),
            ("Cookie", "session=xyz"),
            ("X-Api-Key", "k1"),
            ("Accept", "application/json"),
        ]
    )
    assert headers == {
        "Authorization": "Bearer " + fingerprint("abc"),
        "Cookie": fingerprint("session=xyz"),
        "X-Api-Key": fingerprint("k1"),
        "Accept": "application/json",
    }


def test_query_strings_and_forms_keep_everything_but_the_secrets() -> None:
    text = "a[b]=1&access_token=t%2B1&password&password=&x=2"
    assert (
        REDACT.query(text)
        == f"a[b]=1&access_token={fingerprint('t+1')}&password&password={fingerprint('')}&x=2"
    )
    form = b"grant_type=password&username=u&password=p"
    assert REDACT.body(form, "application/x-www-form-urlencoded") == (
        f"grant_type=password&username=u&password={fingerprint('p')}"
    )


def test_json_secrets_are_found_at_any_depth_and_any_case() -> None:
    body = {
        "user": {"PASSWORD": "p", "name": "n"},
        "list": [{"access_token": 12}],
        "password": None,
    }
    redacted = json.loads(REDACT.body(json.dumps(body).encode(), "application/json"))
    assert redacted == {
        "user": {"PASSWORD": fingerprint("p"), "name": "n"},
        "list": [{"access_token": fingerprint("12")}],
        "password": None,
    }


def test_a_body_without_secrets_is_kept_byte_for_byte() -> None:
    text = '{ "amount" : 1 }'
    assert REDACT.body(text.encode(), "application/json") == text


def test_an_unreadable_body_that_names_a_secret_is_kept_as_size_and_fingerprint() -> None:
    kept = REDACT.body(b'{"password": "half', "application/json")
    assert "half" not in kept and "18 bytes" in kept
