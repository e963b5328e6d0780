"""Briefing: a static summary-site generator for multi-source news stories."""

import os

# The build runs one process per core; numpy's maths libraries starting a thread per core
# in each of them only spin against each other.  (Set before numpy is first imported.)
for _variable in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_variable, "1")

__version__ = "0.1.0"
