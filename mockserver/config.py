"""Server configuration, passed to `create_app` (never read from globals at import time)."""

from __future__ import annotations

from dataclasses import dataclass, field

from mockserver.fidelity import DEFAULT_FIDELITY, FIDELITY_MODES, Fidelity


@dataclass(frozen=True)
class MockConfig:
    """How one mock server behaves.

    - `state_path`: SQLite file kept across restarts; None gives a fresh state per run.
    - `fixtures_dir`: extra fixture folder; `<dir>/<vendor>/*.yaml` (or `<dir>/<vendor>.yaml`)
      replaces that vendor's bundled demo fixtures.
    - `strict_responses`: a response that breaks its own spec becomes a 500 naming the
      violation (tests); otherwise it is logged and sent as is (serve mode).
    - `sandbox_patterns`: per-vendor regex overriding which credentials open a fresh tenant.
    - Limits, so a long run or a hostile client cannot grow the state without end:
      `max_tenants` (a new credential beyond it is refused with the vendor's 429),
      `max_credential_length` (a longer sandbox credential opens no tenant),
      `idempotency_ttl` (seconds an `Idempotency-Key` answer is replayed, 24 h as Stripe),
      `purge_every` (expired tokens and idempotency records are purged once every this many
      write requests, a bounded batch each time, so no request pays for the whole backlog).
    - `fidelity`: `vendor` reproduces the vendors' known defects (`mockserver quirks`), `spec`
      answers what the specs promise instead (see `mockserver.fidelity`).
    - `replay_dir`: a `mockserver proxy --record` folder; recorded requests get their
      recorded answers, everything else the stateful mock.
    """

    state_path: str | None = None
    fixtures_dir: str | None = None
    strict_responses: bool = False
    token_ttl: int = 7200
    sandbox_patterns: dict[str, str] = field(default_factory=dict)
    admin_token: str | None = None
    journal_size: int = 1000
    max_body_bytes: int = 1_048_576
    max_json_depth: int = 64
    vendors: tuple[str, ...] | None = None
    max_tenants: int = 10_000
    max_credential_length: int = 200
    idempotency_ttl: int = 86_400
    purge_every: int = 200
    fidelity: Fidelity = DEFAULT_FIDELITY

    def __post_init__(self) -> None:
        if self.fidelity not in FIDELITY_MODES:
            raise ValueError(
                f"fidelity {self.fidelity!r}: choose one of {', '.join(FIDELITY_MODES)}"
            )

    replay_dir: str | None = None
