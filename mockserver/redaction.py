"""Secrets out of the request journal.

The journal (`GET /__admin/requests`) shows what clients sent and what the mock answered, and
anyone who can read it could otherwise replay a password or an issued token. Every value whose
name is a secret (the standard credential headers, plus the fields each vendor declares in
`Vendor.secret_fields`) is replaced by a short fingerprint, `sha256:1a2b3c4d`, so a person can
still tell two tokens apart, or match one against the token they hold, without seeing it.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from typing import Any
from urllib.parse import unquote_plus

# Credentials by HTTP itself, whatever the vendor.
STANDARD_SECRETS = frozenset({"authorization", "proxy-authorization", "cookie", "set-cookie"})
_AUTH_SCHEMES = frozenset({"basic", "bearer", "token", "digest"})


def fingerprint(value: str) -> str:
    """Eight hex digits of the SHA-256: enough to tell tokens apart, useless to replay."""
    return "sha256:" + hashlib.sha256(value.encode("utf-8", "surrogatepass")).hexdigest()[:8]


def _normal(name: str) -> str:
    return name.strip().lower().replace("-", "_")


class Redactor:
    """Replaces secret values in headers, query strings and JSON or form bodies."""

    def __init__(self, secret_names: Iterable[str]) -> None:
        self.names = frozenset(_normal(n) for n in (*STANDARD_SECRETS, *secret_names))

    def is_secret(self, name: str) -> bool:
        return _normal(name) in self.names

    def headers(self, headers: Iterable[tuple[str, str]]) -> dict[str, str]:
        """Headers with secret values fingerprinted; an auth scheme word stays readable."""
        kept: dict[str, str] = {}
        for name, value in headers:
            if self.is_secret(name):
                scheme, _, rest = value.partition(" ")
                value = (
                    f"{scheme} {fingerprint(rest.strip())}"
                    if rest and scheme.lower() in _AUTH_SCHEMES
                    else fingerprint(value)
                )
            kept[name] = value
        return kept

    def query(self, text: str) -> str:
        """A query string (or form body) with secret values fingerprinted, the rest as sent."""
        parts = []
        for part in text.split("&"):
            name, sep, value = part.partition("=")
            if sep and self.is_secret(unquote_plus(name)):
                part = f"{name}={fingerprint(unquote_plus(value))}"
            parts.append(part)
        return "&".join(parts)

    def body(self, raw: bytes, mimetype: str) -> str:
        """A body as text with secrets fingerprinted. A body that is neither JSON nor a form
        but mentions a secret's name is replaced as a whole: its secret cannot be found."""
        text = raw.decode("utf-8", "replace")
        lowered = _normal(text)
        if not any(name in lowered for name in self.names):
            return text  # the common case, and no parsing for it
        try:
            document = json.loads(text)
            redacted, changed = self._json(document)
        except (ValueError, RecursionError):
            pass
        else:
            return json.dumps(redacted) if changed else text
        if mimetype == "application/x-www-form-urlencoded":
            return self.query(text)
        return f"[not JSON, mentions a secret field: {len(raw)} bytes, {fingerprint(text)}]"

    def _json(self, node: Any) -> tuple[Any, bool]:
        """The document with secret members fingerprinted, and whether any was."""
        if isinstance(node, Mapping):
            changed, out = False, {}
            for key, value in node.items():
                if self.is_secret(key) and value is not None:
                    shown = value if isinstance(value, str) else json.dumps(value)
                    out[key], changed = fingerprint(shown), True
                else:
                    out[key], inner = self._json(value)
                    changed = changed or inner
            return out, changed
        if isinstance(node, list):
            items = [self._json(item) for item in node]
            return [item for item, _ in items], any(inner for _, inner in items)
        return node, False
