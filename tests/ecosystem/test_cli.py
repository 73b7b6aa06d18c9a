"""The `mockserver` and `contracts` command lines as a user meets them: `--version`, no prefix
abbreviations, valid names listed on a wrong one, a variable for every option, colour only on
a terminal and never with NO_COLOR, shell completion, and `python -m`."""

from __future__ import annotations

import importlib.metadata
import os
import pty
import subprocess
import sys

import click
import pytest

from contracts.cli import cli as contracts_cli
from contracts.cli import main as contracts_main
from mockserver.cli import cli as mockserver_cli
from mockserver.cli import main as mockserver_main
from mockserver.commandline import flatten

VERSION = importlib.metadata.version("credit-contracts")
CLIS = {
    "mockserver": (mockserver_main, mockserver_cli),
    "contracts": (contracts_main, contracts_cli),
}


def one_line(text: str) -> str:
    assert text.strip() and "\n" not in text.strip(), text
    return text.strip()


@pytest.mark.parametrize("prog", sorted(CLIS))
def test_version_comes_from_the_installed_package(prog, capsys):
    main, _ = CLIS[prog]
    assert main(["--version"]) == 0
    assert capsys.readouterr().out.strip() == f"{prog}, version {VERSION}"


@pytest.mark.parametrize(
    ("prog", "args", "given", "meant"),
    [
        ("contracts", ["run", "--max-example", "3"], "--max-example", "--max-examples"),
        ("mockserver", ["serve", "--work", "2"], "--work", "--workers"),
        ("contracts", ["diff", "--vendor", "medusa", "--base", "x"], "--base", "--base-url"),
    ],
)
def test_no_prefix_abbreviations(prog, args, given, meant, capsys):
    main, _ = CLIS[prog]
    assert main(args) == 2
    error = one_line(capsys.readouterr().err)
    assert f"No such option '{given}'" in error and meant in error


@pytest.mark.parametrize(
    ("prog", "args", "wrong", "valid"),
    [
        ("contracts", ["run", "--exclude-check", "nonsense"], "nonsense", ["not_a_server_error"]),
        ("contracts", ["run", "--include-check", "idempotency,nope"], "nope", ["pages_agree"]),
        ("contracts", ["run", "--vendor", "appstle,shopify"], "shopify", ["medusa", "all"]),
        ("contracts", ["run", "--phases", "examples,everything"], "everything", ["stateful"]),
        ("contracts", ["run", "--target", "prod"], "prod", ["auto", "mock", "vendor"]),
        ("contracts", ["diff", "--vendor", "shopify", "--base-url", "x"], "shopify", ["medusa"]),
        ("mockserver", ["serve", "--vendor", "shopify"], "shopify", ["appstle", "spree"]),
        ("mockserver", ["serve", "--fidelity", "loose"], "loose", ["vendor", "spec"]),
        ("mockserver", ["serve", "--log-format", "xml"], "xml", ["text", "json"]),
        ("mockserver", ["quirks", "--vendor", "shopify"], "shopify", ["medusa"]),
        ("mockserver", ["proxy", "--vendor", "shopify", "--upstream", "x"], "shopify", ["spree"]),
    ],
)
def test_a_wrong_name_is_refused_listing_the_valid_ones(prog, args, wrong, valid, capsys):
    main, _ = CLIS[prog]
    assert main(args) == 2
    error = one_line(capsys.readouterr().err)
    assert f"'{wrong}'" in error, error
    for name in valid:
        assert name in error, error


def every_command(group: click.Group) -> list[tuple[str, click.Command]]:
    return sorted(group.commands.items())


@pytest.mark.parametrize("prog", sorted(CLIS))
def test_every_option_has_a_variable_shown_in_its_help(prog, capsys):
    main, group = CLIS[prog]
    prefix = prog.upper()
    for name, command in every_command(group):
        assert main([name, "--help"]) == 0
        text = " ".join(capsys.readouterr().out.split())
        shown = f"{prefix}_DIFF_" if name == "diff" else f"{prefix}_"
        for param in command.params:
            if isinstance(param, click.Option) and not param.is_eager:
                assert f"env var: {shown}{param.name.upper()}" in text, (name, param.name)


def test_variables_set_options(monkeypatch):
    from contracts.cli import run_command
    from mockserver.cli import serve

    monkeypatch.setenv("MOCKSERVER_PORT", "9123")
    monkeypatch.setenv("MOCKSERVER_VENDOR", "appstle,spree")
    monkeypatch.setenv("MOCKSERVER_INSECURE_ADMIN", "1")
    params = serve.make_context("serve", []).params
    assert (params["port"], flatten(params["vendor"]), params["insecure_admin"]) == (
        9123,
        ("appstle", "spree"),
        True,
    )
    monkeypatch.setenv("CONTRACTS_EXCLUDE_CHECKS", "idempotency,pages_agree")
    monkeypatch.setenv("CONTRACTS_QUIET", "true")
    monkeypatch.setenv("CONTRACTS_REPORT", "junit:a.xml,html:b.html")
    params = run_command.make_context("run", []).params
    assert params["exclude_checks"] == (("idempotency",), ("pages_agree",))
    assert params["report"] == ("junit:a.xml", "html:b.html")
    assert params["quiet"] is True
    monkeypatch.setenv("CONTRACTS_SEED", "9")
    assert run_command.make_context("run", []).params["seed"] == 9
    # A flag given on the command line wins over its variable.
    assert run_command.make_context("run", ["--seed", "4"]).params["seed"] == 4


def test_a_wrong_name_in_a_variable_is_refused_too(monkeypatch, capsys):
    monkeypatch.setenv("CONTRACTS_EXCLUDE_CHECKS", "idempotency,nonsense")
    assert contracts_main(["run"]) == 2
    error = one_line(capsys.readouterr().err)
    assert "'nonsense'" in error and "not_a_server_error" in error
    monkeypatch.setenv("MOCKSERVER_FIDELITY", "loose")
    assert mockserver_main(["serve"]) == 2
    assert "'vendor', 'spec'" in one_line(capsys.readouterr().err)


def run_on_terminal(args: list[str], env: dict[str, str]) -> str:
    """ARGS run with a pseudo-terminal as stdout (colour is for terminals); what it printed."""
    leader, follower = pty.openpty()
    process = subprocess.Popen(args, stdout=follower, stderr=subprocess.DEVNULL, env=env)
    os.close(follower)
    chunks = []
    while True:
        try:
            chunk = os.read(leader, 4096)
        except OSError:  # the terminal closed: the process is done
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(leader)
    assert process.wait(timeout=60) == 0
    return b"".join(chunks).decode()


def test_colour_on_a_terminal_none_with_no_color_or_in_a_pipe():
    command = [sys.executable, "-m", "mockserver", "check-fixtures"]
    env = {k: v for k, v in os.environ.items() if k != "NO_COLOR"}
    assert "\x1b[32mok" in run_on_terminal(command, env)
    assert "\x1b[" not in run_on_terminal(command, {**env, "NO_COLOR": "1"})
    piped = subprocess.run(command, capture_output=True, text=True, env=env, timeout=60)
    assert " ok" in piped.stdout and "\x1b[" not in piped.stdout


@pytest.mark.parametrize(
    ("prog", "words", "offered"),
    [
        ("mockserver", "mockserver serve --fid", "--fidelity"),
        ("mockserver", "mockserver serve --fidelity ", "spec"),
        ("mockserver", "mockserver wa", "wait"),
        ("contracts", "contracts run --exclude-check ledger_ar", "ledger_arithmetic"),
        ("contracts", "contracts run --vendor appstle,me", "appstle,medusa"),
    ],
)
def test_shell_completion(prog, words, offered):
    """Click's completion (what `eval "$(_MOCKSERVER_COMPLETE=bash_source mockserver)"`
    installs), asked the way bash asks it."""
    env = {
        **os.environ,
        f"_{prog.upper()}_COMPLETE": "bash_complete",
        "COMP_WORDS": words,
        "COMP_CWORD": str(len(words.split()) - (0 if words.endswith(" ") else 1)),
    }
    done = subprocess.run(
        [sys.executable, "-m", prog], capture_output=True, text=True, env=env, timeout=60
    )
    assert done.returncode == 0, done.stderr
    assert f"plain,{offered}" in done.stdout.splitlines(), done.stdout


def test_the_completion_script_installs_a_bash_function():
    env = {**os.environ, "_CONTRACTS_COMPLETE": "bash_source"}
    done = subprocess.run(
        [sys.executable, "-m", "contracts"], capture_output=True, text=True, env=env, timeout=60
    )
    assert "complete -o nosort -F _contracts_completion contracts" in done.stdout


@pytest.mark.parametrize("prog", sorted(CLIS))
def test_python_dash_m_is_the_same_command(prog):
    done = subprocess.run(
        [sys.executable, "-m", prog, "--version"], capture_output=True, text=True, timeout=60
    )
    assert (done.returncode, done.stdout.strip()) == (0, f"{prog}, version {VERSION}")
    wrong = subprocess.run(
        [sys.executable, "-m", prog, "nonsense"], capture_output=True, text=True, timeout=60
    )
    assert wrong.returncode == 2 and "No such command 'nonsense'" in one_line(wrong.stderr)


def test_the_contract_cli_and_the_server_module_load_no_mock_app():
    """`contracts` against a vendor, and the benchmark's bare-Flask baseline through
    `mockserver.server`, need neither the mock's Flask app nor openapi-core: the package
    loads `create_app` on first use (`contracts --help` went from 1.2 s to 0.1 s)."""
    heavy = ("mockserver.app", "openapi_core", "flask")
    code = (
        "import sys, contracts.cli, mockserver.server, mockserver.commandline\n"
        f"print([name for name in {heavy!r} if name in sys.modules])\n"
        "from mockserver import MockConfig, create_app\n"
        "print(create_app.__module__, MockConfig.__module__)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == ["[]", "mockserver.app mockserver.config"]
