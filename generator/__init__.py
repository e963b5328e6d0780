"""Briefing: a static summary-site generator for multi-source news stories."""

import importlib
import importlib.util
import os
import sys
import types
from typing import Any

# The build runs one process per core; numpy's maths libraries starting a thread per core
# in each of them only spin against each other.  (Set before numpy is first imported.)
for _variable in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_variable, "1")


class _ImportedOnFirstUse(types.ModuleType):
    """Stands in `sys.modules` for a module not imported yet: `import name` binds it, and
    reading any attribute from it (a submodule's import reads `__path__`) imports the
    module, which then replaces it in `sys.modules`; it hands every attribute on to it.
    (`importlib.util.LazyLoader` does not help here: on Python 3.11 an `import` statement
    reads the module's `__spec__`, which makes it load at once.)"""

    def __getattr__(self, attribute: str) -> Any:
        real = self.__dict__.get("_real")
        if real is None:
            del sys.modules[self.__name__]
            try:
                real = importlib.import_module(self.__name__)
            except BaseException:
                sys.modules[self.__name__] = self
                raise
            self.__dict__["_real"] = real
        return getattr(real, attribute)


def _import_on_first_use(name: str) -> None:
    """Put an `_ImportedOnFirstUse` for `name` in `sys.modules`; nothing when it is
    imported already or cannot be found."""
    if name in sys.modules:
        return
    spec = importlib.util.find_spec(name)
    if spec is None:
        return
    stand_in = _ImportedOnFirstUse(name)
    stand_in.__spec__ = spec  # what `import` reads of a module it finds in sys.modules
    sys.modules[name] = stand_in


# sumy imports `requests` (with urllib3, charset_normalizer and idna) for a URL fetcher a
# build never calls, nothing being fetched: ~0.05 s of every process that summarizes, the
# rebuild after an edit included.  (NLTK's `__init__`, which sumy's stemmers import and
# which imports all of NLTK, cannot be left out so: its submodules import each other in
# circles that only its own order of imports resolves.)
_import_on_first_use("requests")

__version__ = "0.1.0"
