"""Known deviations (baselines): vendor defects a run expects, so CI can tell new ones apart.

A file names the vendor and version it was verified against and lists deviations, each a
check, the operation(s) it happens on, a matcher for the cause and a note that says what was
verified by hand:

    vendor: medusa
    version: 2.21.1
    deviations:
      - id: medusa-500-empty-date-filter
        check: not_a_server_error
        operation: [GET /admin/store-credit-accounts]
        match: {status: 500, request: 'updated_at%5B%24\\w+%5D=(&|$)'}
        note: An empty date operator value crashes the query builder.
        link: https://github.com/medusajs/medusa/issues/...

`match` keys are all optional and all must hold: `status` (one or a list), and regular
expressions searched in `request` (the request line, `METHOD URL body`), `answer` (the
answer's first bytes) and `message` (the failure's text). A failure that a deviation matches
is counted as known instead of failed; a deviation no failure matched is reported as no longer
seen. `contracts baseline` writes such a file from a run.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from contracts.config import ConfigError
from contracts.results import Outcome, RunResult

ENTRY_KEYS = {"id", "check", "operation", "match", "note", "verified", "link"}
MATCH_KEYS = {"status", "request", "answer", "message"}


@dataclass(frozen=True)
class Deviation:
    id: str
    check: str
    operations: tuple[str, ...] = ()  # empty: any operation
    statuses: tuple[int, ...] = ()
    patterns: tuple[tuple[str, re.Pattern[str]], ...] = ()  # (outcome field, regex)
    note: str = ""
    link: str = ""

    def matches(self, outcome: Outcome) -> bool:
        if outcome.check != self.check:
            return False
        if self.operations and outcome.operation not in self.operations:
            return False
        if self.statuses and outcome.status not in self.statuses:
            return False
        return all(pattern.search(_text(outcome, name)) for name, pattern in self.patterns)


def _text(outcome: Outcome, name: str) -> str:
    if name == "message":
        return f"{outcome.cause}\n{outcome.message}"
    return str(getattr(outcome, name) or "")


@dataclass(frozen=True)
class KnownDeviations:
    """Every deviation of the loaded files, by vendor."""

    by_vendor: dict[str, tuple[Deviation, ...]] = field(default_factory=dict)
    versions: dict[str, str] = field(default_factory=dict)

    def match(self, outcome: Outcome) -> str | None:
        """The id of the first deviation that explains a failed outcome, or None."""
        for deviation in self.by_vendor.get(outcome.vendor, ()):
            if deviation.matches(outcome):
                return deviation.id
        return None

    def ids(self, vendor: str) -> list[str]:
        return [d.id for d in self.by_vendor.get(vendor, ())]

    def get(self, vendor: str, deviation_id: str) -> Deviation | None:
        return next((d for d in self.by_vendor.get(vendor, ()) if d.id == deviation_id), None)


NONE = KnownDeviations()


def load(paths: tuple[str, ...] | list[str]) -> KnownDeviations:
    """Read known-deviation files; a malformed one is a ConfigError naming file and entry."""
    import yaml

    by_vendor: dict[str, list[Deviation]] = {}
    versions: dict[str, str] = {}
    for path in paths:
        try:
            documents = list(yaml.safe_load_all(Path(path).read_text(encoding="utf-8")))
        except OSError as exc:
            raise ConfigError(f"known deviations {path}: {exc.strerror}") from None
        except yaml.YAMLError as exc:
            raise ConfigError(f"known deviations {path}: not YAML ({exc})") from None
        for data in documents:  # one document per vendor (`contracts baseline` of a run)
            if not isinstance(data, dict) or not isinstance(data.get("vendor"), str):
                raise ConfigError(f"known deviations {path}: needs `vendor:` and `deviations:`")
            vendor = data["vendor"]
            versions[vendor] = str(data.get("version", ""))
            for number, entry in enumerate(data.get("deviations") or [], 1):
                by_vendor.setdefault(vendor, []).append(_deviation(path, number, entry))
    return KnownDeviations({k: tuple(v) for k, v in by_vendor.items()}, versions)


def _deviation(path: str, number: int, entry: Any) -> Deviation:
    where = f"known deviations {path}, entry {number}"
    if not isinstance(entry, dict) or not entry.get("check"):
        raise ConfigError(f"{where}: each deviation needs at least `check:`")
    unknown = set(entry) - ENTRY_KEYS
    match = entry.get("match") or {}
    unknown |= set(match) - MATCH_KEYS if isinstance(match, dict) else {"match"}
    if unknown:
        raise ConfigError(f"{where}: unknown key(s) {', '.join(sorted(unknown))}")
    operations = entry.get("operation") or ()
    statuses = match.get("status", ())
    try:
        patterns = tuple(
            (name, re.compile(str(match[name])))
            for name in ("request", "answer", "message")
            if name in match
        )
    except re.error as exc:
        raise ConfigError(f"{where}: bad regular expression ({exc})") from None
    return Deviation(
        id=str(entry.get("id") or f"{entry['check']}-{number}"),
        check=str(entry["check"]),
        operations=tuple([operations] if isinstance(operations, str) else operations),
        statuses=tuple(int(s) for s in ([statuses] if isinstance(statuses, int) else statuses)),
        patterns=patterns,
        note=str(entry.get("note") or "").strip(),
        link=str(entry.get("link") or ""),
    )


# Ids, codes and timestamps a run generates afresh (`sc_acc_01M8...`, `SC-4R78-2RP4-...`): a
# word of 8 or more characters with a digit in it. Amounts like 10.55 stay exact.
_VOLATILE = re.compile(r"[\w-]*\d[\w-]*")


def _matcher(cause: str) -> str:
    """A regex for `cause` that the same failure matches again in another run: the text
    exactly, with generated values as wildcards."""
    parts, last = [], 0
    for found in _VOLATILE.finditer(cause):
        if len(found.group()) >= 8:
            parts += [re.escape(cause[last : found.start()]), r"[\w-]+"]
            last = found.end()
    return "".join(parts) + re.escape(cause[last:])


def baseline(result: RunResult, version: str = "") -> str:
    """A known-deviations file (YAML text) listing every new failure of `result`.

    Each entry matches its failure by check, operation, status and the failure's cause; its
    note says it still has to be verified by hand.
    """
    import yaml

    documents = []
    for vendor in result.vendors:
        entries = []
        for number, failure in enumerate(vendor.failures, 1):
            match: dict[str, Any] = {}
            if failure.status is not None:
                match["status"] = failure.status
            if failure.cause:
                match["message"] = _matcher(failure.cause)
            entries.append(
                {
                    "id": f"{vendor.vendor}-{failure.check}-{number}",
                    "check": failure.check,
                    "operation": [failure.operation],
                    "match": match,
                    "note": f"Seen in a run: {failure.message[:200]} (verify by hand: "
                    f"{failure.curl})",
                }
            )
        documents.append({"vendor": vendor.vendor, "version": version, "deviations": entries})
    return yaml.safe_dump_all(documents, sort_keys=False, allow_unicode=True, width=100)
