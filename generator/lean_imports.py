"""What sumy imports and a build never uses, left out of the start-up of every process.

Every process that summarizes (a cold build's workers, the rebuild after an edit) pays
for its imports before it does any work, and three of sumy's imports are mostly unused:

* `requests` (with urllib3, charset_normalizer and idna, ~0.05 s), for a URL fetcher a
  build never calls: it stands in `sys.modules` as an `_ImportedOnFirstUse` and is
  imported the first time anything reads from it;
* `pycountry` (~0.03 s, most of it `importlib.metadata`), whose `languages` sumy reads
  at import (`from pycountry import languages`) for a language-code lookup that
  `generator.sumy_language` avoids: it stands in the same way, with a `languages` that
  imports it when first used;
* all of NLTK (~0.27 s), because sumy's stemmers `import nltk.stem.snowball` and a
  submodule's import first runs its packages' `__init__`, and NLTK's imports nearly
  every NLTK module.  The stemmers need six small modules.  `nltk`, `nltk.stem` and
  `nltk.corpus` are put in `sys.modules` as `_HollowPackage`s: packages whose
  `__init__` has not run, so `import nltk.stem.snowball` loads snowball.py and the
  modules it names (porter, api, util, redos, termsec) and nothing else.  The first read
  of anything else from one of them imports the real NLTK, with its own order of
  imports (its submodules import each other in circles that only that order resolves),
  and the hollow package hands every attribute on to it.

All are installed by `install()` when the `generator` package is imported; nothing is
imported then, and none is installed when its package is missing or already imported.
tests/unit/test_imports.py checks what is left out and that each still works in full.
"""

from __future__ import annotations

import importlib
import importlib.machinery
import importlib.util
import sys
import types
from collections.abc import Callable
from functools import partial
from typing import Any


class _ImportedOnFirstUse(types.ModuleType):
    """Stands in `sys.modules` for a module not imported yet: `import name` binds it, and
    reading any attribute from it (a submodule's import reads `__path__`) imports the
    module, which then replaces it in `sys.modules`; it hands every attribute on to it.
    (`importlib.util.LazyLoader` does not help here: on Python 3.11 an `import` statement
    reads the module's `__spec__`, which makes it load at once.)"""

    def __getattr__(self, attribute: str) -> Any:
        return getattr(self._load(), attribute)

    def _load(self) -> types.ModuleType:
        real = self.__dict__.get("_real")
        if real is None:
            if sys.modules.get(self.__name__) is self:
                del sys.modules[self.__name__]
            try:
                real = importlib.import_module(self.__name__)
            except BaseException:
                sys.modules[self.__name__] = self
                raise
            self.__dict__["_real"] = real
            for name, value in list(vars(self).items()):  # (deferred attributes handed out)
                if isinstance(value, _DeferredAttribute):
                    self.__dict__[name] = getattr(real, name)
        return real


def import_on_first_use(name: str, deferred: tuple[str, ...] = ()) -> None:
    """Put an `_ImportedOnFirstUse` for `name` in `sys.modules`; nothing when it is
    imported already or cannot be found.  Each of `deferred` is an attribute that
    `from name import attribute` takes without importing the module: it is imported
    when the attribute is first used."""
    if name in sys.modules:
        return
    spec = importlib.util.find_spec(name)
    if spec is None:
        return
    stand_in = _ImportedOnFirstUse(name)
    stand_in.__spec__ = spec  # what `import` reads of a module it finds in sys.modules
    for attribute in deferred:
        stand_in.__dict__[attribute] = _DeferredAttribute(stand_in._load, attribute)
    if deferred and spec.submodule_search_locations is not None:
        # `from name import attribute` reads a package's `__path__` first: found here, it
        # does not import the package (a submodule imported meanwhile loads on its own)
        stand_in.__path__ = list(spec.submodule_search_locations)
    sys.modules[name] = stand_in


# --- NLTK without its __init__ ---------------------------------------------------------

NLTK = "nltk"
HOLLOW_NLTK_PACKAGES = ("nltk", "nltk.stem", "nltk.corpus")
# What `import nltk.stem.snowball` loads under the hollow packages (NLTK 3.9-3.10): read
# from a hollow package, each of these is imported as the submodule it is.
STEMMER_MODULES = frozenset(
    ("nltk.redos", "nltk.termsec", "nltk.stem.api", "nltk.stem.util", "nltk.stem.porter",
     "nltk.stem.snowball")
)  # fmt: skip

# The real NLTK packages, once something read from a hollow one (see `_real_nltk`).
_real_packages: dict[str, types.ModuleType] = {}


class _HollowPackage(types.ModuleType):
    """A package in `sys.modules` whose `__init__` has not run: its submodules import
    from its `__path__`; a stemmer module read from it (`from nltk import redos`) is
    imported as that submodule; reading anything else imports the real NLTK and hands
    the attribute on to the real package."""

    def __getattr__(self, attribute: str) -> Any:
        submodule = f"{self.__name__}.{attribute}"
        if submodule in STEMMER_MODULES and not _real_packages:
            return importlib.import_module(submodule)
        return getattr(_real_nltk()[self.__name__], attribute)


class _DeferredAttribute:
    """`from nltk.corpus import stopwords` (snowball.py) without importing nltk.corpus,
    or `from pycountry import languages` (sumy.utils) without importing pycountry: the
    real object is looked up in the module `load` returns when it is first used."""

    def __init__(self, load: Callable[[], types.ModuleType], name: str) -> None:
        self._load = load
        self._name = name

    def _real(self) -> Any:
        return getattr(self._load(), self._name)

    def __getattr__(self, attribute: str) -> Any:
        return getattr(self._real(), attribute)

    # (what Python looks up on the type, not through `__getattr__`)
    def __iter__(self) -> Any:
        return iter(self._real())

    def __len__(self) -> int:
        return len(self._real())

    def __contains__(self, item: object) -> bool:
        return item in self._real()

    def __getitem__(self, key: Any) -> Any:
        return self._real()[key]

    def __repr__(self) -> str:
        return repr(self._real())


def _real_nltk() -> dict[str, types.ModuleType]:
    """Import NLTK in full, once, in its own order: the hollow packages and the modules
    loaded under them leave `sys.modules` first (what imported them keeps working copies)."""
    if not _real_packages:
        lean = {name: module for name, module in sys.modules.items() if _is_nltk(name)}
        for name in lean:
            del sys.modules[name]
        try:
            importlib.import_module(NLTK)
        except BaseException:
            sys.modules.update(lean)
            raise
        _real_packages.update({name: sys.modules[name] for name in HOLLOW_NLTK_PACKAGES})
        for name, module in lean.items():
            if isinstance(module, _HollowPackage):  # now a copy of the real namespace
                module.__dict__.update(vars(_real_packages[name]))
    return _real_packages


def _real_package(name: str) -> types.ModuleType:
    return _real_nltk()[name]


def _is_nltk(name: str) -> bool:
    return name == NLTK or name.startswith(NLTK + ".")


def _hollow_package(name: str, spec: importlib.machinery.ModuleSpec) -> types.ModuleType:
    module = importlib.util.module_from_spec(spec)
    module.__class__ = _HollowPackage
    sys.modules[name] = module
    return module


def hollow_nltk() -> None:
    """Put hollow `nltk`, `nltk.stem` and `nltk.corpus` in `sys.modules`; nothing when
    NLTK is imported already or is not installed as a package of that shape."""
    if any(_is_nltk(name) for name in sys.modules):
        return
    top = importlib.util.find_spec(NLTK)
    if top is None or not top.submodule_search_locations:
        return
    locations = list(top.submodule_search_locations)
    specs = {
        name: importlib.machinery.PathFinder.find_spec(name, locations)
        for name in HOLLOW_NLTK_PACKAGES[1:]
    }
    if any(spec is None or not spec.submodule_search_locations for spec in specs.values()):
        return
    root = _hollow_package(NLTK, top)
    for name, spec in specs.items():
        assert spec is not None
        setattr(root, name.rpartition(".")[2], _hollow_package(name, spec))
    corpus = partial(_real_package, "nltk.corpus")
    sys.modules["nltk.corpus"].stopwords = _DeferredAttribute(corpus, "stopwords")


def install() -> None:
    """Leave `requests`, `pycountry` and most of NLTK out until something uses them."""
    import_on_first_use("requests")
    import_on_first_use("pycountry", deferred=("languages",))
    hollow_nltk()
