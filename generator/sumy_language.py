"""sumy's stemmer and stop words for a language given by its full English name.

`sumy.nlp.stemmers.Stemmer(name)` and `sumy.utils.get_stop_words(name)` first pass the
name through `sumy.utils.normalize_language`, which asks pycountry whether it is an
ISO 639 alpha-2 or alpha-3 code; pycountry's first lookup loads its whole language
database (about 65 ms, paid again by every fresh `briefing build`). A name longer than
three letters is neither code, so `normalize_language` only lower-cases it: for those
names the two functions below do what sumy does without the lookup, and codes still go
through sumy (tests/unit/test_summarize.py compares both with sumy for every language).

sumy and NLTK's Snowball stemmers are imported on first use, not with this module: a
build that summarizes nothing (nothing changed, or only a template) need not pay for
them (and `generator.lean_imports` keeps the rest of NLTK out even then).
"""

from __future__ import annotations

import pkgutil
from collections.abc import Callable

ISO_CODE_LENGTH = 3


def sumy_stemmer(language: str) -> Callable[[str], str]:
    """What `Stemmer(language)` stems with; LookupError where sumy has no stemmer."""
    import nltk.stem.snowball as snowball
    from sumy.nlp.stemmers import Stemmer

    if len(language) <= ISO_CODE_LENGTH:
        return Stemmer(language)
    name = language.lower()
    special = Stemmer.SPECIAL_STEMMERS.get(name)
    if special is not None:
        return special
    stemmer_class = getattr(snowball, name.capitalize() + "Stemmer", None)
    if stemmer_class is None:
        raise LookupError(f"Stemmer is not available for language {name}.")
    return stemmer_class().stem


def sumy_stop_words(language: str) -> frozenset[str]:
    """`frozenset(get_stop_words(language))`; LookupError where sumy has none."""
    from sumy.utils import get_stop_words, parse_stop_words

    if len(language) <= ISO_CODE_LENGTH:
        return frozenset(get_stop_words(language))
    try:
        data = pkgutil.get_data("sumy", f"data/stopwords/{language.lower()}.txt")
    except OSError as error:
        raise LookupError(f"Stop-words are not available for language {language}.") from error
    if data is None:
        raise LookupError(f"Stop-words are not available for language {language}.")
    return frozenset(parse_stop_words(data))
