"""Server configuration, passed to `create_app` (never read from globals at import time)."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class MockConfig:
    """How one mock server behaves.

    - `state_path`: SQLite file kept across restarts; None gives a fresh state per run.
    - `fixtures_dir`: extra fixture folder; `<dir>/<vendor>/*.yaml` (or `<dir>/<vendor>.yaml`)
      replaces that vendor's bundled demo fixtures.
    - `strict_responses`: a response that breaks its own spec becomes a 500 naming the
      violation (tests); otherwise it is logged and sent as is (serve mode).
    - `sandbox_patterns`: per-vendor regex overriding which credentials open a fresh tenant.
    - `replay_dir`: a `mockserver proxy --record` folder; recorded requests get their
      recorded answers, everything else the stateful mock.
    - `quirks`: named switches that reproduce real-server defects (e.g. `medusa-real-500s`).
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
    quirks: frozenset[str] = frozenset()
    replay_dir: str | None = None
