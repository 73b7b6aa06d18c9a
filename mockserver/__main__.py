"""`python -m mockserver ...`: the same as the `mockserver` command."""

import sys

from mockserver.cli import main

sys.exit(main())
