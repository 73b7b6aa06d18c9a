"""`python -m contracts ...`: the same as the `contracts` command."""

import sys

from contracts.cli import main

sys.exit(main())
