"""Work-arounds for Schemathesis 4.32.5, each with the reason it exists.

The WSGI transport forwards the run's socket options (`max_redirects`, `verify`, `cert`,
`proxies`) to werkzeug when a check sends a probe without a session (`ignored_auth`'s
no-credential and bad-credential probes do), and werkzeug's `EnvironBuilder` rejects them with
a TypeError, so every secured operation reports an error instead of a result when the target
is an in-process app. The patched transport drops those options when there is no session,
exactly as Schemathesis already does when there is one.

The same transport counts every in-process call against the run's request budget
(`contracts.budget`), the extra requests checks send included.
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
    _installed = True
