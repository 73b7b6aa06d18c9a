"""The mutation self-test: plant one bug per inventory rule, check the suite catches each.

    .venv/bin/python -m tests.mutation [--bug NAME ...] [--processes N] [--markdown]

prints the mutation score of our suite and of plain Schemathesis, and which check caught
which bug; `tests/contracts/test_mutation.py` runs the same in `python3 dev.py test`.
"""
