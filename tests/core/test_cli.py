"""The `mockserver` command line: help, fixture checks, start-up banner."""

from __future__ import annotations

from pathlib import Path

import pytest

from mockserver.cli import banner, main, serve
from mockserver.config import MockConfig


def test_help_names_every_serve_option(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["serve", "--help"]) == 0
    text = capsys.readouterr().out
    for option in ("--host", "--port", "--state", "--fixtures", "--workers", "--admin-token"):
        assert option in text


def serve_defaults(*args: str) -> dict[str, object]:
    """`serve`'s options as click parses them from ARGS, without serving."""
    return serve.make_context("serve", list(args)).params


def test_defaults_bind_to_loopback() -> None:
    options = serve_defaults()
    assert (options["host"], options["port"], options["state"]) == ("127.0.0.1", 8080, None)


def test_check_fixtures_accepts_the_bundled_demo_data(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check-fixtures"]) == 0
    assert " ok" in capsys.readouterr().out


def test_a_bad_fixture_file_is_named_with_its_field(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from mockserver.registry import discover_vendors

    vendor = discover_vendors()[0]
    folder = tmp_path / vendor.name
    folder.mkdir()
    (folder / "broken.yaml").write_text("- just\n- a list\n")
    assert main(["check-fixtures", "--fixtures", str(tmp_path)]) == 2
    error = capsys.readouterr().err
    assert "broken.yaml" in error and "field (top level)" in error


def test_banner_shows_each_vendor_and_its_demo_credentials() -> None:
    text = banner(MockConfig(state_path="/tmp/x.sqlite3"), "127.0.0.1", 8080)
    from mockserver.registry import discover_vendors

    for vendor in discover_vendors():
        assert f"http://127.0.0.1:8080{vendor.path_prefixes[0]}" in text
        for credential in vendor.demo_credentials:
            assert credential in text


@pytest.mark.parametrize("mode", ["vendor", "spec"])
def test_banner_says_which_fidelity_is_on(mode: str) -> None:
    text = banner(MockConfig(fidelity=mode), "127.0.0.1", 8080)
    assert f"fidelity: {mode}" in text


def test_fidelity_defaults_to_vendor_and_refuses_unknown_modes(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert serve_defaults()["fidelity"] == "vendor"
    assert main(["serve", "--fidelity", "loose"]) == 2
    assert "'vendor', 'spec'" in capsys.readouterr().err
    with pytest.raises(ValueError, match="fidelity"):
        MockConfig(fidelity="loose")  # type: ignore[arg-type]


def test_quirks_lists_every_declared_defect(capsys: pytest.CaptureFixture[str]) -> None:
    import json

    from mockserver.registry import discover_vendors

    assert main(["quirks", "--json"]) == 0
    listing = json.loads(capsys.readouterr().out)
    for vendor in discover_vendors():
        assert [q["name"] for q in listing[vendor.name]] == [q.name for q in vendor.quirks]
        for quirk in listing[vendor.name]:
            assert all(quirk[k] for k in ("vendor_does", "spec_does", "evidence"))
    assert main(["quirks"]) == 0
    text = capsys.readouterr().out
    assert "medusa-500-on-negative-paging" in text and "spec:" in text
