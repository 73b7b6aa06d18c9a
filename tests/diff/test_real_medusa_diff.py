"""The drift check against the real Medusa 2.21.1 + loyalty plugin: the same generated
sequences sent to it and to the mock differ only where `contracts/known/medusa-2.21.1-diff.yaml`
says they may, each listed difference with its reason."""

from __future__ import annotations

import pytest

from contracts.diff.report import as_json
from contracts.diff.run import DiffSettings, run_diff


@pytest.mark.slow
@pytest.mark.real_medusa
def test_the_mock_differs_from_real_medusa_only_as_intended(real_medusa) -> None:
    # The other side is a fresh mock: the real store starts as a fresh deployment too (the
    # tests before this one in the run left accounts behind, and one blocks a create).
    real_medusa.empty_store_credit()
    settings = DiffSettings(
        vendor="medusa",
        base_url=real_medusa.base_url,
        seed=1,
        max_examples=3,
        credentials={"MEDUSA_SECRET_KEY": real_medusa.secret_key},
    )
    result = run_diff(settings)
    report = as_json(result)
    assert result.requests > 300
    unintended = [d for d in report["differences"] if d["intended"] is None]
    assert not unintended and not result.errors, (unintended[:10], result.errors)
