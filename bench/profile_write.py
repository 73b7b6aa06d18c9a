"""Where one validated, stateful write spends its CPU, in-process (Flask's test client, no
HTTP): CPU per write for each vendor's bench write, then a cProfile of one vendor's.

    .venv/bin/python bench/profile_write.py [--vendor appstle] [--writes 500] [--top 15]

CPU per write is `time.process_time` over 200 writes, best of 5, after 50 unmeasured ones.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import re
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from mock_bench import AppstleAddCredits, MedusaCredit, SpreeStoreCredit, Write  # noqa: E402

from mockserver import MockConfig, create_app  # noqa: E402

# The stages of a write, as the functions that run them (cumulative time of each).
STAGES = {
    "request validation (compiled)": "compiled.py:.*request_ok",
    "response validation (compiled)": "compiled.py:.*response_ok",
    "openapi-core (refusals only)": "openapi_core/app.py:.*iter_",
    "SQLite statements": "{method 'execute' of 'sqlite3.Connection' objects}",
    "vendor handler": "vendors/.*routes.py",
}


def writes(client) -> dict[str, Callable[[], None]]:  # type: ignore[no-untyped-def]
    """One bench write per vendor, exactly as bench/mock_bench.py sends it."""
    medusa = MedusaCredit()
    account = client.get("/admin/store-credit-accounts", headers=medusa._auth()).get_json()
    medusa.path = f"/admin/store-credit-accounts/{account['store_credit_accounts'][0]['id']}/credit"
    spree = SpreeStoreCredit()
    token = client.post(
        "/spree_oauth/token",
        json={
            "grant_type": "client_credentials",
            "client_id": spree.CLIENT,
            "client_secret": spree.SECRET,
            "scope": "admin",
        },
    ).get_json()["access_token"]
    spree.headers["Authorization"] = f"Bearer {token}"

    def post(write: Write) -> Callable[[], None]:
        def send() -> None:
            answer = client.post(write.path, data=write.body, headers=write.headers)
            assert answer.status_code in (200, 201), answer.get_data(as_text=True)

        return send

    return {w.vendor: post(w) for w in (AppstleAddCredits(), medusa, spree)}


def cpu_per_write(write: Callable[[], None]) -> float:
    for _ in range(50):
        write()
    best = float("inf")
    for _ in range(5):
        started = time.process_time()
        for _ in range(200):
            write()
        best = min(best, (time.process_time() - started) / 200)
    return best * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--vendor", default="appstle", choices=("appstle", "medusa", "spree"))
    parser.add_argument("--writes", type=int, default=500)
    parser.add_argument("--top", type=int, default=15)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="profile-") as folder:
        app = create_app(MockConfig(state_path=os.path.join(folder, "state.sqlite3")))
        bench_writes = writes(app.test_client())
        for vendor, write in bench_writes.items():
            print(f"{vendor}: {cpu_per_write(write):.3f} ms CPU per write")
        profile = cProfile.Profile()
        profile.enable()
        for _ in range(args.writes):
            bench_writes[args.vendor]()
        profile.disable()
        app.extensions["mockserver"].store.close()
    stats = pstats.Stats(profile)
    total = stats.total_tt  # type: ignore[attr-defined]
    per_write = total / args.writes * 1000
    print(f"\n{args.vendor}, {args.writes} writes under cProfile: {per_write:.2f} ms each")
    print("\n| stage | share of a write |\n|---|---:|")
    for stage, pattern in STAGES.items():
        spent = sum(
            row[3]
            for func, row in stats.stats.items()  # type: ignore[attr-defined]
            if re.search(pattern, pstats.func_std_string(func))
        )
        print(f"| {stage} | {spent / total:.0%} |")
    print(f"\nTop {args.top} functions by own time:\n")
    print("| own time | calls | function |\n|---:|---:|---|")
    rows = sorted(stats.stats.items(), key=lambda item: -item[1][2])  # type: ignore[attr-defined]
    for func, (_, calls, own, _, _) in rows[: args.top]:
        name = pstats.func_std_string(func).replace(str(Path(sys.prefix)), "venv")
        print(f"| {own / total:.1%} | {calls} | `{name[-90:]}` |")


if __name__ == "__main__":
    main()
