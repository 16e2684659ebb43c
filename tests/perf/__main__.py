"""`python -m tests.perf`: see tests/perf/run.py."""

import sys

from tests.perf.run import main

sys.exit(main())
