"""What the `mockserver` and `contracts` commands share on top of click: a mistake is one
line on stderr (exit 2), colour only on a terminal and never with `NO_COLOR`, and every
option's environment variable shown in `--help`.

Click itself gives the rest: no prefix abbreviations, `--version` from the installed
metadata, shell completion (`_MOCKSERVER_COMPLETE=bash_source mockserver`), and the valid
names listed when a `click.Choice` gets a wrong one.
"""

from __future__ import annotations

import functools
import os
import sys
from collections.abc import Callable, Iterable, Sequence
from typing import Any

import click
import click.shell_completion

DISTRIBUTION = "credit-contracts"

# Every option shows the variable that sets it (the prefix's `auto_envvar_prefix`).
option = functools.partial(click.option, show_envvar=True)


def command_settings(envvar_prefix: str) -> dict[str, Any]:
    """A subcommand's context settings: its variables are `PREFIX_<OPTION>`, without the
    subcommand's name, so `MOCKSERVER_VENDOR` means the same to `serve` and `quirks`."""
    return {
        "auto_envvar_prefix": envvar_prefix,
        "help_option_names": ["-h", "--help"],
        "max_content_width": 100,
    }


def use_color() -> bool | None:
    """False when `NO_COLOR` is set to anything (no-color.org); otherwise click decides
    (colour on a terminal, none in a pipe or a file)."""
    return False if os.environ.get("NO_COLOR") else None


def run(group: click.Group, argv: Sequence[str] | None, prog_name: str) -> int:
    """Run a click command line and return its exit code; a usage mistake is one line."""
    try:
        code = group.main(
            args=list(argv) if argv is not None else None,
            prog_name=prog_name,
            standalone_mode=False,
            color=use_color(),
        )
    except click.UsageError as error:
        where = error.ctx.command_path if error.ctx else prog_name
        fail(f"{where}: {error.format_message()} (see {where} --help)")
        return error.exit_code
    except click.ClickException as error:
        fail(f"{prog_name}: {error.format_message()}")
        return error.exit_code
    except click.Abort:
        fail(f"{prog_name}: aborted")
        return 1
    return code if isinstance(code, int) else 0


def fail(message: str) -> None:
    """One line on stderr, in red on a terminal (also outside a command: `NO_COLOR` holds)."""
    click.secho(" ".join(message.split()), file=sys.stderr, fg="red", color=use_color())


class NameList(click.ParamType):
    """A comma list of names from a known set (`appstle,medusa`); a wrong one is refused
    with the valid ones listed. `names` may be a function, called on first use, so `--help`
    and other commands do not pay for what lists them (Schemathesis' check registry). With
    `multiple=True`, the environment variable is a comma list too."""

    name = "names"
    envvar_list_splitter = ","

    def __init__(self, names: Sequence[str] | Callable[[], Sequence[str]]) -> None:
        self._names = names

    @functools.cached_property
    def names(self) -> tuple[str, ...]:
        return tuple(self._names() if callable(self._names) else self._names)

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        if isinstance(value, tuple):
            return value
        items = tuple(part.strip() for part in str(value).split(",") if part.strip())
        unknown = [item for item in items if item not in self.names]
        if unknown:
            self.fail(
                f"{', '.join(map(repr, unknown))}: not known; choose from {', '.join(self.names)}",
                param,
                ctx,
            )
        return items

    def shell_complete(
        self, ctx: click.Context, param: click.Parameter, incomplete: str
    ) -> list[click.shell_completion.CompletionItem]:
        done, _, last = incomplete.rpartition(",")
        prefix = f"{done}," if done else ""
        return [
            click.shell_completion.CompletionItem(prefix + name)
            for name in self.names
            if name.startswith(last)
        ]


class CommaSeparated(click.types.StringParamType):
    """A repeatable option whose variable holds a comma list (`junit:a.xml,html:b.html`),
    as the suite's own `CONTRACTS_*` variables and pyproject.toml lists do."""

    envvar_list_splitter = ","


def flatten(groups: Iterable[Iterable[str]]) -> tuple[str, ...]:
    """A repeatable `NameList` option's values (one tuple per use) as one tuple."""
    return tuple(name for group in groups for name in group)
