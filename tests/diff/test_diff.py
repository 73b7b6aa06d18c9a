"""`contracts diff` between two mocks on loopback sockets: equal targets differ in nothing
(ids generated on each side are mapped onto each other), and the vendor-fidelity mock's
reproduced defects show up as differences, which a file of intended ones then explains."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from contracts.diff.compare import Comparator, normalise, shape_differences
from contracts.diff.forward import RawAnswer, RawRequest
from contracts.diff.known import KnownFileError, load_known
from contracts.diff.mirror import IdMap, MirroredExchange
from contracts.diff.report import as_json, as_junit
from contracts.diff.run import DiffSettings, run_diff
from mockserver import MockConfig, create_app

pytestmark = pytest.mark.slow


@pytest.fixture
def serve() -> Iterator[Callable[[str], str]]:
    """`serve(fidelity)`: a fresh mock on a free loopback port; its base URL."""
    from werkzeug.serving import make_server

    servers = []

    def start(fidelity: str) -> str:
        server = make_server(
            "127.0.0.1", 0, create_app(MockConfig(fidelity=fidelity)), threaded=True
        )
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return f"http://127.0.0.1:{server.server_port}"

    yield start
    for server in servers:
        server.shutdown()


def _settings(base: str, other: str, known: Path, **extra: Any) -> DiffSettings:
    return DiffSettings(
        vendor="medusa",
        base_url=base,
        other=other,
        seed=3,
        max_examples=1,
        phases=("coverage",),
        known=known,
        **extra,
    )


def test_equal_targets_differ_in_nothing(serve, tmp_path: Path) -> None:
    known = tmp_path / "none.yaml"
    known.write_text("differences: []\n")
    result = run_diff(_settings(serve("spec"), serve("spec"), known))
    assert result.requests > 50
    assert result.ok, [g.difference for g in result.groups.values()]


def test_vendor_defects_show_as_differences_until_listed(serve, tmp_path: Path) -> None:
    known = tmp_path / "none.yaml"
    known.write_text("differences: []\n")
    settings = _settings(serve("spec"), serve("vendor"), known)
    result = run_diff(settings)
    assert not result.ok
    statuses = {
        (g.difference.base[:3], g.difference.other)
        for g in result.unintended
        if g.difference.operation == "GET /admin/store-credit-accounts"
        and g.difference.kind == "status"
    }
    assert ("400", "500 An unknown error occurred.") in statuses
    report = as_json(result)
    assert report["ok"] is False and report["differences"][0]["intended"] is None
    assert as_junit(result).getroot().get("failures") == str(len(result.unintended))

    known.write_text(
        "differences:\n"
        "  - id: reproduced-defects\n"
        "    reason: the other side reproduces the vendor's defects\n"
        "    operation: '*'\n"
        "    kind: '*'\n"
    )
    settings.base_url, settings.other = serve("spec"), serve("vendor")
    listed = run_diff(settings)
    assert listed.ok and listed.intended
    assert as_json(listed)["differences"][0]["reason"].startswith("the other side")


def test_known_entries_need_a_reason(tmp_path: Path) -> None:
    path = tmp_path / "k.yaml"
    path.write_text("differences:\n  - kind: status\n")
    with pytest.raises(KnownFileError, match="reason"):
        load_known(path)


def test_the_bundled_medusa_file_gives_every_entry_a_reason() -> None:
    from contracts.diff.run import default_known

    entries = load_known(default_known("medusa"))
    assert entries and all(len(entry.reason) > 20 for entry in entries)


def test_shapes_compare_keys_and_types_not_values() -> None:
    same = shape_differences({"a": {"id": "x1", "n": 1}}, {"a": {"id": "y2", "n": 2.5}})
    assert same == []
    changed = shape_differences({"a": {"n": 1}}, {"a": {"n": "1", "extra": None}})
    assert changed == [(".a.extra: absent", ".a.extra: null"), (".a.n: number", ".a.n: string")]
    in_lists = shape_differences({"l": [{"id": "1", "c": None}]}, {"l": [{"id": "2", "c": "x"}]})
    assert in_lists == []  # list items are different records: a null there is no difference


def test_messages_compare_with_ids_mapped_and_generated_values_blanked() -> None:
    ids = IdMap()
    ids.add("sc_acc_base0000000000000000000", "sc_acc_other000000000000000000")
    assert normalise("not found: sc_acc_other000000000000000000", ids) == normalise(
        "not found: sc_acc_base0000000000000000000"
    )


def test_ledger_deltas_are_compared_per_object() -> None:
    def answer(balance: float) -> RawAnswer:
        body = f'{{"store_credit_account": {{"id": "acc_1", "balance": {balance}}}}}'
        return RawAnswer(200, {"content-type": "application/json"}, body.encode())

    def money(body: Any) -> dict:
        from decimal import Decimal

        return {"balance": Decimal(str(body["store_credit_account"]["balance"]))}

    comparator = Comparator(lambda m, p: f"{m} {p}", money, IdMap())
    request = RawRequest("POST", "/x", "", {}, b"")
    assert comparator.compare(MirroredExchange(request, answer(0), answer(100))) == []
    found = comparator.compare(MirroredExchange(request, answer(10), answer(105)))
    assert [(d.kind, d.base, d.other) for d in found] == [("ledger", "balance +10", "balance +5")]
