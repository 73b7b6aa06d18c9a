"""The dashboard at `/__admin/` in a real browser (headless Chromium): what a person running
the mock does with it."""

from __future__ import annotations

import base64
import os
import re
import urllib.request
from pathlib import Path
from typing import Any

from playwright.sync_api import expect

from tests.live.helpers import call, running_server

ACCOUNTS = "/admin/store-credit-accounts"
TOKEN = "dash-secret"


def basic(key: str) -> dict[str, str]:
    return {"Authorization": "Basic " + base64.b64encode(f"{key}:".encode()).decode()}


def test_credit_fault_and_recovery_seen_in_the_dashboard(browser: Any, tmp_path: Path) -> None:
    auth = basic("sk_test_dashboard")
    with running_server("--admin-token", TOKEN) as base:
        status, body = call("POST", base + ACCOUNTS, {"currency_code": "eur"}, auth)
        assert status == 200
        account = body["store_credit_account"]["id"]
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.goto(f"{base}/__admin/")

        # The server wants the admin token: the page asks for it once.
        expect(page.locator("#token-form")).to_be_visible()
        page.fill("#token", TOKEN)
        page.click("#token-form button")
        balance = page.locator(f"tr[data-account='{account}'] .balance").first
        expect(balance).to_have_text("0 eur")

        # A credit made over HTTP shows up as the new balance.
        assert call("POST", f"{base}{ACCOUNTS}/{account}/credit", {"amount": 42.5}, auth)[0] == 200
        expect(balance).to_have_text("42.5 eur")

        # Inject a 503 from the page and see it hit.
        page.fill("#fault-form input[name=path]", f"{ACCOUNTS}/*/credit")
        page.fill("#fault-form input[name=status]", "503")
        page.click("#fault-form button")
        fault_row = page.locator("#faults tr[data-fault]")
        expect(fault_row).to_have_count(1)
        status, _ = call("POST", f"{base}{ACCOUNTS}/{account}/credit", {"amount": 1}, auth)
        assert status == 503
        newest = page.locator("#journal tbody tr").first
        expect(newest.locator(".status")).to_have_text("503")
        expect(newest).to_have_class(re.compile("refused"))
        expect(balance).to_have_text("42.5 eur")  # the refused credit changed nothing

        # A request that breaks the spec is highlighted with its problem.
        call("POST", f"{base}{ACCOUNTS}/{account}/debit", {"amount": 1, "colour": "red"}, auth)
        expect(newest).to_have_class(re.compile("problem"))
        expect(newest.locator(".problems")).to_contain_text("colour")
        page.locator(f"details[data-account='{account}'] summary").click()
        # The README's picture is this screenshot: DASHBOARD_SCREENSHOT=docs/dashboard.png
        # refreshes it; otherwise it is taken into the test's own folder (the checkout stays clean).
        shot = Path(os.environ.get("DASHBOARD_SCREENSHOT") or tmp_path / "dashboard.png")
        page.screenshot(path=str(shot), full_page=True)
        assert shot.stat().st_size > 10_000

        # Remove the fault from the page: credits go through again.
        page.click("#faults .remove-fault")
        expect(fault_row).to_have_count(0)
        assert call("POST", f"{base}{ACCOUNTS}/{account}/credit", {"amount": 1}, auth)[0] == 200
        expect(balance).to_have_text("43.5 eur")
        page.close()


def test_the_page_is_open_but_its_data_needs_the_admin_token() -> None:
    auth = basic("sk_test_summary")
    with running_server("--admin-token", TOKEN) as base:
        with urllib.request.urlopen(f"{base}/__admin/") as page:
            assert page.status == 200 and b"dashboard.js" in page.read()
        assert call("GET", f"{base}/__admin/summary")[0] == 401
        account = call("POST", base + ACCOUNTS, {"currency_code": "usd"}, auth)[1]
        account_id = account["store_credit_account"]["id"]
        call("POST", f"{base}{ACCOUNTS}/{account_id}/credit", {"amount": 7}, auth)
        status, body = call("GET", f"{base}/__admin/summary", None, {"X-Admin-Token": TOKEN})
    assert status == 200
    (tenant,) = [t for t in body["tenants"] if t["name"].endswith("sk_test_summary")]
    (summary,) = [a for a in tenant["accounts"] if a["id"] == account_id]
    assert summary["balance"] == "7" and summary["currency"] == "usd"
    assert [(e["kind"], e["amount"]) for e in summary["ledger"]] == [("credit", "7")]
