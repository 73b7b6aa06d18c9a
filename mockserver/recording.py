"""Recordings of proxied traffic: written by `mockserver proxy --record DIR`, answered from by
`mockserver serve --replay DIR`.

Format (one JSON file per exchange, `DIR/000001.json`, `000002.json`, ... in the order the
answers came back):

    {"request":  {"method": "POST", "path": "/admin/...", "query": "a=1",
                  "headers": {...}, "json": {...}},
     "response": {"status": 200, "headers": {...}, "json": {...}}}

A body that is JSON is stored under `json`, any other body as text under `text` (absent when
empty). Secrets are replaced by "[redacted]" before anything is written: credential headers
and JSON keys that name a secret (password, token, secret, api key), at any depth.

Replaying matches a request on method, path, query (order-free) and body (JSON compared as
data, redacted the same way, so a recorded login still matches). The same request recorded
several times is answered in recorded order, then with its last answer.
"""

from __future__ import annotations

import json
import re
import threading
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl

from flask import Response, request

from mockserver.exchange import Exchange, parse_json

REDACTED = "[redacted]"
_SECRET_HEADERS = frozenset(
    {"authorization", "cookie", "set-cookie", "proxy-authorization", "x-admin-token"}
)
_SECRET_KEY = re.compile(r"pass(word)?|token|secret|api[-_]?key|authorization", re.IGNORECASE)
# Headers that describe one connection, not the message: never stored or replayed.
HOP_BY_HOP = frozenset(
    {
        "connection",
        "keep-alive",
        "proxy-authenticate",
        "proxy-authorization",
        "te",
        "trailer",
        "transfer-encoding",
        "upgrade",
        "content-length",
        "content-encoding",
        "date",
        "server",
    }
)


def redact_headers(headers: dict[str, str]) -> dict[str, str]:
    return {
        name: REDACTED if name.lower() in _SECRET_HEADERS or _SECRET_KEY.search(name) else value
        for name, value in headers.items()
        if name.lower() not in HOP_BY_HOP
    }


def redact(value: Any) -> Any:
    """A JSON value with the value of every secret-named key replaced."""
    if isinstance(value, dict):
        return {
            key: REDACTED if _SECRET_KEY.search(str(key)) else redact(item)
            for key, item in value.items()
        }
    if isinstance(value, list):
        return [redact(item) for item in value]
    return value


def _body_fields(raw: bytes) -> dict[str, Any]:
    if not raw:
        return {}
    parsed = parse_json(raw)
    if parsed is not None:
        return {"json": redact(parsed)}
    return {"text": raw.decode("utf-8", "replace")}


def exchange_record(exchange: Exchange) -> dict[str, Any]:
    """The redacted, documented form of one exchange."""
    return {
        "request": {
            "method": exchange.method,
            "path": exchange.path,
            "query": exchange.query,
            "headers": redact_headers(exchange.request_headers),
            **_body_fields(exchange.request_body),
        },
        "response": {
            "status": exchange.status,
            "headers": redact_headers(exchange.response_headers),
            **_body_fields(exchange.response_body),
        },
    }


class Recorder:
    """Writes each exchange to its own numbered file; safe to call from many threads."""

    def __init__(self, folder: str | Path) -> None:
        self.folder = Path(folder)
        self.folder.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()
        self._count = len(list(self.folder.glob("*.json")))

    def write(self, exchange: Exchange) -> Path:
        record = exchange_record(exchange)
        with self._lock:
            self._count += 1
            path = self.folder / f"{self._count:06d}.json"
        path.write_text(json.dumps(record, indent=2, ensure_ascii=False), encoding="utf-8")
        return path


def _key(method: str, path: str, query: str, body: Any) -> str:
    pairs = sorted(parse_qsl(query, keep_blank_values=True))
    return json.dumps([method.upper(), path, pairs, body], sort_keys=True)


def request_key(method: str, path: str, query: str, body: bytes) -> str:
    """What a live request must share with a recorded one to match (its body redacted as the
    recording's was)."""
    fields = _body_fields(body)
    return _key(method, path, query, fields.get("json", fields.get("text")))


def _recorded_key(request: dict[str, Any]) -> str:
    body = request.get("json", request.get("text"))
    return _key(request["method"], request["path"], request.get("query", ""), body)


class Replay:
    """Recorded answers by request, each given out in recorded order (the last one repeats).

    The counters live in the process: with several workers each keeps its own.
    """

    def __init__(self, folder: str | Path) -> None:
        self._answers: dict[str, list[dict[str, Any]]] = defaultdict(list)
        files = sorted(Path(folder).glob("*.json"))
        if not files:
            raise ValueError(f"--replay {folder}: no recorded exchanges (*.json) there")
        for file in files:
            try:
                record = json.loads(file.read_text(encoding="utf-8"))
                self._answers[_recorded_key(record["request"])].append(record["response"])
            except (ValueError, KeyError, TypeError) as exc:
                raise ValueError(f"--replay {file}: not a recorded exchange ({exc})") from None
        self._given: dict[str, int] = defaultdict(int)
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return sum(len(answers) for answers in self._answers.values())

    def answer(self, method: str, path: str, query: str, body: bytes) -> dict[str, Any] | None:
        """The next recorded response for this request, or None when it was never recorded."""
        key = request_key(method, path, query, body)
        answers = self._answers.get(key)
        if not answers:
            return None
        with self._lock:
            index = min(self._given[key], len(answers) - 1)
            self._given[key] += 1
        return answers[index]


def _response_body(response: dict[str, Any]) -> bytes:
    """A recorded response's body as bytes (JSON re-encoded, key order kept)."""
    if "json" in response:
        return json.dumps(response["json"]).encode()
    return str(response.get("text", "")).encode()


def replay_hook(replay: Replay) -> Callable[[], Response | None]:
    """A Flask `before_request` hook answering recorded requests before the mock sees them."""

    def answer_recorded() -> Response | None:
        recorded = replay.answer(
            request.method,
            request.path,
            request.query_string.decode("latin-1"),
            request.get_data(cache=True),
        )
        if recorded is None:
            return None
        response = Response(
            _response_body(recorded), status=recorded["status"], headers=recorded["headers"]
        )
        response.headers["X-Mock-Replayed"] = "true"
        return response

    return answer_recorded
