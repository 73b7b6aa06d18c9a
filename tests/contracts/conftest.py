from tests.browser import browser  # noqa: F401  (the shared module-scoped fixture: test_reports)
