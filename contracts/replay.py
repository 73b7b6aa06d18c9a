"""Replay lines a person can run: credentials as environment-variable placeholders.

A failure's curl line is built with the real headers, then every secret the run used is
swapped for a shell expression that rebuilds it (`$MEDUSA_SECRET_KEY` as HTTP Basic,
`$MEDUSA_JWT`, `$APPSTLE_API_KEY`, ...). The line can then be pasted from a CI log by anyone who
has the same variables set, and the log never holds the secret (nor a useless "[Filtered]").
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

MIN_SECRET = 4  # shorter values would be swapped inside unrelated text


def secrets(
    auths: list[object], credentials: Mapping[str, str], names: Iterable[str] = ()
) -> dict[str, str]:
    """Secret text -> shell expression, from the identities' placeholders and the raw values
    of the credential variables `names` (and their `_2` twins)."""
    found: dict[str, str] = {}
    wanted = {n for name in names for n in (name, name + "_2")}
    for name, value in credentials.items():
        if name in wanted and len(value) >= MIN_SECRET:
            found[value] = f"${name}"
    for auth in auths:
        placeholders = getattr(auth, "placeholders", None)
        if placeholders is not None:
            found.update(placeholders())
    return found


def mask(line: str, placeholders: Mapping[str, str]) -> str:
    """`line` with each secret replaced by its expression, longest secret first.

    The lines quote every argument in single quotes, so the expression closes the quote,
    expands in double quotes, and reopens it: `'Authorization: Basic '"$(...)"''`.
    """
    for secret in sorted(placeholders, key=len, reverse=True):
        if len(secret) >= MIN_SECRET:
            line = line.replace(secret, "'\"" + placeholders[secret] + "\"'")
    return line
