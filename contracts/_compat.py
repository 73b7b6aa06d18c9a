"""Work-arounds for Schemathesis 4.32.5, each with the reason it exists.

The WSGI transport forwards the run's socket options (`max_redirects`, `verify`, `cert`,
`proxies`) to werkzeug when a check sends a probe without a session (`ignored_auth`'s
no-credential and bad-credential probes do), and werkzeug's `EnvironBuilder` rejects them with
a TypeError, so every secured operation reports an error instead of a result when the target
is an in-process app. The patched transport drops those options when there is no session,
exactly as Schemathesis already does when there is one.

The same transport counts every in-process call against the run's request budget
(`contracts.budget`), the extra requests checks send included.

Hypothesis 6.131+ mixes literals from the project's own imported modules ("local constants")
into the data it draws. Which modules a process has imported depends on who started the run
(the CLI, a pytest worker that ran other tests first, a process pool), so one seed gave
different cases in different places: CI's score and failures could not be replayed from the
CLI. The suite draws from the specs alone; the local constants are kept empty.
"""

from __future__ import annotations

from typing import Any

from contracts import budget

SOCKET_ONLY_OPTIONS = ("max_redirects", "verify", "cert", "proxies")
_installed = False


def install() -> None:
    """Replace the module-level WSGI transport once (idempotent)."""
    global _installed
    if _installed:
        return
    import schemathesis.transport.wsgi as wsgi_transport

    original = wsgi_transport.WSGI_TRANSPORT

    class InProcessTransport(type(original)):  # type: ignore[misc]
        def send(self, case: Any, *, session: Any = None, **kwargs: Any) -> Any:
            if session is None:
                for name in SOCKET_ONLY_OPTIONS:
                    kwargs.pop(name, None)
            budget.take_for_app(kwargs.get("app") or case.operation.app)
            return super().send(case, session=session, **kwargs)

    patched = InProcessTransport()
    patched._copy_serializers_from(original)
    wsgi_transport.WSGI_TRANSPORT = patched
    _without_local_constants()
    _installed = True


def _without_local_constants() -> None:
    from hypothesis.internal.conjecture import providers

    none = providers.Constants(
        integers=providers.SortedSet(),
        floats=providers.SortedSet(key=providers.float_to_int),
        bytes=providers.SortedSet(),
        strings=providers.SortedSet(),
    )
    providers._get_local_constants = lambda: none
    providers.CONSTANTS_CACHE.cache.clear()  # choices drawn with the old ones (as Hypothesis does)
