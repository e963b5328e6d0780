"""Briefing: a static summary-site generator for multi-source news stories."""

import os

from generator import lean_imports

# The build runs one process per core; numpy's maths libraries starting a thread per core
# in each of them only spin against each other.  (Set before numpy is first imported.)
for _variable in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_variable, "1")

# `requests` and most of NLTK, which sumy imports and a build does not use, are imported
# only when something reads from them (~0.3 s of every process that summarizes).
lean_imports.install()

__version__ = "0.1.0"
