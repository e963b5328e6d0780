"""Shared pieces of fact extraction: thresholds, words and stems, clustering."""

from __future__ import annotations

import re
import string
from collections import defaultdict
from collections.abc import Callable, Hashable, Iterable, Sequence
from functools import cache, lru_cache
from itertools import chain
from typing import NamedTuple, TypeVar

from generator.model import (
    ProcessedArticle,
    SentenceRef,
)
from generator.sumy_language import sumy_stop_words
from generator.textsim import stem_word

T = TypeVar("T")

KIND_ORDER = ("number", "date", "person", "organisation", "quote")
# Per-kind share of a 15-item box: at least FLOOR (when available), at most CAP.
KIND_FLOOR = {"number": 2, "date": 2, "person": 3, "organisation": 1, "quote": 2}
KIND_CAP = {"number": 4, "date": 4, "person": 5, "organisation": 2, "quote": 3}
MIN_BOX = 8
MIN_QUOTE_WORDS = 5
MAX_QUOTE_WORDS = 45
MAX_EVENT_WORDS = 16
SHORT_EVENT_WORDS = 12  # longer event clauses are cut before a prepositional phrase
QUOTE_SAME_SCORE = 0.8  # share of the shorter quote's words found in the longer one
PARAPHRASE_SHARE = 0.6  # share of a quote's content stems a paraphrasing sentence must hold
PARAPHRASE_MIN_STEMS = 4


# ---------------------------------------------------------------------------------------------
# Words

TOKEN_RE = re.compile(
    r"\d+(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|[^\W\d_]+(?:[-‑][^\W_]+)*(?:['’][^\W\d_]+)?"
)
CLOCK_TIME_RE = re.compile(
    r"\b(?:at\s+)?\d{1,2}(?::\d{2})?\s*(?:a\.m\.?|p\.m\.?|am\b|pm\b)|\bnoon\b|\bmidnight\b",
    re.IGNORECASE,
)
PUNCT_GAP_RE = re.compile(r"[,.;:!?()\[\]—–\"“”…]")
NUMBER_WORDS = {
    "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
    "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
    "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30,
    "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90,
    "dozen": 12,
}  # fmt: skip
MULTIPLIERS = {"hundred": 100, "thousand": 1_000, "million": 1_000_000, "billion": 10**9}
NOT_BEFORE_ONE = frozenset({"no", "any", "every", "each", "the", "this", "that", "which", "only"})
QUALIFIERS = frozenset(
    {"more", "than", "less", "fewer", "at", "least", "about", "around", "nearly", "almost",
     "over", "some", "up", "to", "roughly", "approximately", "just", "under", "by"}
)  # fmt: skip
EXTRA_STOP = frozenset({"said", "says", "told", "added", "also", "would", "could", "mr", "ms"})
SPEECH_VERBS = frozenset(
    {"said", "says", "say", "told", "tells", "added", "adds", "stated", "speaking", "spoke",
     "announced", "insisted", "stressed", "noted", "warned", "explained", "declared", "wrote"}
)  # fmt: skip
BREAK_WORDS = frozenset({"in", "for", "with", "after", "over", "as", "because", "while", "and"})
CLAUSE_WORDS = frozenset(
    {"after", "because", "while", "although", "but", "when", "despite", "whereas", "which"}
)
ROLE_WORDS = frozenset(
    {"minister", "secretary", "secretary-general", "general", "spokesperson", "spokesman",
     "spokeswoman", "president", "chancellor", "commander", "chief", "director", "ambassador",
     "envoy", "senator", "governor", "mayor", "chairman", "chairwoman", "chair", "head",
     "deputy", "leader", "agent", "officer", "official", "prime", "king", "queen", "prince",
     "premier", "pope", "judge", "professor", "mr", "mrs", "ms", "dr", "sir", "colonel",
     "captain", "admiral", "sergeant", "lieutenant", "ceo", "founder", "spokesmen", "adviser",
     "advisor", "representative", "commissioner", "lawmaker", "staff", "coach", "analyst"}
)  # fmt: skip
ORG_WORDS = frozenset(
    {"council", "ministry", "office", "mission", "organisation", "organization", "alliance",
     "agency", "commission", "union", "party", "committee", "bank", "court", "parliament",
     "government", "department", "army", "navy", "forces", "institute", "university",
     "foundation", "company", "corporation", "group", "assembly", "senate", "congress",
     "federation", "association", "fund", "police", "service", "authority"}
)  # fmt: skip
NOT_NAME_WORDS = frozenset(
    {"war", "cold", "world", "western", "eastern", "northern", "southern", "treaty", "act"}
)
PLACE_WORDS = frozenset(
    {"school", "station", "bridge", "street", "road", "river", "town", "city", "county",
     "hall", "hospital", "airport", "park", "square", "district", "village", "harbour",
     "harbor", "port", "valley", "region", "province", "state"}
)  # fmt: skip
NEWS_AGENCIES = frozenset({"afp", "ap", "tass", "reuters", "upi", "dpa", "efe", "xinhua", "ria"})
NON_ORG_ACRONYMS = frozenset({"us", "uk", "usa", "am", "pm", "gmt", "utc", "tv", "ok", "ii", "iii"})
PRONOUN_ATTRIBUTION_RE = re.compile(
    r"\b(?:he|she)\s+(?:also\s+)?(?:said|added|told|says|stressed|noted|continued|insisted)\b"
    r"|\b(?:said|added)\s+(?:he|she)\b",
    re.IGNORECASE,
)


class Tok(NamedTuple):
    """A word of a sentence with its character span, without its possessive ending
    (`word`) and that in lower case (`low`)."""

    text: str
    start: int
    end: int
    word: str
    low: str


def tokens(text: str) -> tuple[Tok, ...]:
    return _tokens(text)


@lru_cache(maxsize=1 << 15)
def _tokens(text: str) -> tuple[Tok, ...]:
    """A sentence's words, found once: every extractor walks the same sentences."""
    found = []
    end = 0
    for token in token_texts(text):
        # the first place at or after the last token where this token's text stands is
        # where TOKEN_RE found it: its first character would start a token anywhere
        start = text.find(token, end)
        end = start + len(token)
        found.append(_new_tok(Tok, (token, start, end, *_word_forms(token))))
    return tuple(found)


@lru_cache(maxsize=1 << 15)
def token_texts(text: str) -> tuple[str, ...]:
    """TOKEN_RE's words of a text (for its tokens and for its content stems)."""
    return tuple(TOKEN_RE.findall(text))


@lru_cache(maxsize=1 << 15)
def token_words(text: str) -> tuple[str, ...]:
    """`Tok.word` of each token of a text, without making the tokens."""
    return tuple([_word_forms(token)[0] for token in token_texts(text)])


_new_tok = tuple.__new__  # Tok(...) without NamedTuple's Python-level __new__


@lru_cache(maxsize=1 << 15)
def _word_forms(token: str) -> tuple[str, str]:
    """A token without its possessive ending, as written and in lower case."""
    word = bare(token)
    return word, word.lower()


POSSESSIVE_RE = re.compile(r"['’]s?$")
HYPHEN_RE = re.compile(r"[-‑]")
ROLE_SPLIT_RE = re.compile(r"[\s\-‑]+")
QUOTE_WORD_SPLIT_RE = re.compile(r"[^a-z0-9']+")
ACRONYM_AFTER_RE = re.compile(r"\s*\(([A-Z]{2,6})\)")
WORD_RE = re.compile(r"\w+")
SPOKE_AFTER_RE = re.compile(r"\b(?:said|says|told|added|speaking|spoke)\b")
SPOKE_BEFORE_RE = re.compile(r"\b(?:said|told)\s+(?:\w+\s+){0,2}$")
# Every word the two patterns above match, as written (they ignore no case): a text
# holding none of them has no part either pattern matches.
SPOKE_WORDS = ("said", "says", "told", "added", "speaking", "spoke")
ROLE_SAID_RE = re.compile(r"\bthe\s+((?:[\w-]+\s+){1,4}?)(?:said|told|added)\b", re.I)
SPEECH_VERB_RE = re.compile(rf"\b(?:{'|'.join(sorted(SPEECH_VERBS))})\b")


@lru_cache(maxsize=1 << 15)
def bare(word: str) -> str:
    """The word without a possessive ending: "NATO’s" -> "NATO"."""
    return POSSESSIVE_RE.sub("", word)


# Text folded so that an ASCII word, lower-cased, is found where re.IGNORECASE finds it:
# ASCII capitals, and the only other letters that match ASCII ones ignoring case.
ASCII_FOLD = str.maketrans(
    {**{c: c.lower() for c in string.ascii_uppercase},
     "\u0130": "i", "\u0131": "i", "\u212a": "k", "\u017f": "s"}  # İ ı K(elvin) ſ
)  # fmt: skip
FOLDED_APART = ("\u0130", "\u0131", "\u017f")  # İ ı ſ: `lower()` does not fold them so


def fold_ascii(text: str) -> str:
    """`text` folded by ASCII_FOLD, position for position (`lower()` does the same, and is
    quicker, where the text has none of "İ", "ı" and "ſ")."""
    if any(letter in text for letter in FOLDED_APART):
        return text.translate(ASCII_FOLD)
    return text.lower()


def punct_between(text: str, left: Tok, right: Tok) -> bool:
    return bool(PUNCT_GAP_RE.search(text[left.end : right.start]))


def stem(word: str) -> str:
    """The English stem, from the cache the similarity measure fills too."""
    return stem_word("en", word)


@cache
def stop_words() -> frozenset[str]:
    numbers = set(NUMBER_WORDS) | {"one", "half"}
    return (sumy_stop_words("english") | EXTRA_STOP) - numbers


@lru_cache(maxsize=1 << 15)
def content_stems(text: str) -> frozenset[str]:
    """Stems of the words that carry content (no stop words), numbers included."""
    return frozenset(chain.from_iterable(map(_token_stems, token_texts(text))))


@lru_cache(maxsize=1 << 16)
def _token_stems(token: str) -> tuple[str, ...]:
    """`content_stems` of one token (the parts of "NATO-Russia")."""
    ignored = stop_words()
    low = _word_forms(token)[1]
    parts = HYPHEN_RE.split(low) if "-" in low or "‑" in low else (low,)
    return tuple(
        stem(part) for part in parts
        if part and part not in ignored and (len(part) > 1 or part.isdigit())
    )  # fmt: skip


def fuzzy_overlap(wanted: Iterable[str], present: frozenset[str]) -> int:
    """How many of `wanted` stems occur in `present`, allowing a shared 5-letter prefix."""
    prefixes = {s[:5] for s in present if len(s) >= 5}
    return sum(1 for s in wanted if s in present or (len(s) >= 5 and s[:5] in prefixes))


# ---------------------------------------------------------------------------------------------
# Union-find clustering


def cluster(count: int, same: Callable[[int, int], bool]) -> list[list[int]]:
    """Single-linkage groups of range(count) under the pairwise predicate `same`."""
    parent = list(range(count))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i in range(count):
        for j in range(i + 1, count):
            if root(i) != root(j) and same(i, j):
                parent[root(j)] = root(i)
    groups: dict[int, list[int]] = defaultdict(list)
    for i in range(count):
        groups[root(i)].append(i)
    return list(groups.values())


def cluster_by(keys: Sequence[Hashable], same: Callable[[int, int], bool]) -> list[list[int]]:
    """`cluster(len(keys), same)` when items with different keys are never the same: only
    pairs within a key are compared.  The same groups, in the same order."""
    by_key: dict[Hashable, list[int]] = defaultdict(list)
    for i, key in enumerate(keys):
        by_key[key].append(i)
    group_of = list(range(len(keys)))  # each item's group, named by its first item
    for members in by_key.values():
        for group in _cluster_among(members, same):
            for i in group:
                group_of[i] = group[0]
    groups: dict[int, list[int]] = defaultdict(list)
    for i, first in enumerate(group_of):
        groups[first].append(i)
    return list(groups.values())


def _cluster_among(members: list[int], same: Callable[[int, int], bool]) -> list[list[int]]:
    local = cluster(len(members), lambda i, j: same(members[i], members[j]))
    return [[members[i] for i in group] for group in local]


def ordered_sources(articles: Sequence[ProcessedArticle], ids: Iterable[str]) -> tuple[str, ...]:
    wanted = set(ids)
    return tuple(a.source_id for a in articles if a.source_id in wanted)


def sorted_refs(refs: Iterable[SentenceRef]) -> tuple[SentenceRef, ...]:
    return tuple(sorted(set(refs), key=lambda r: (r.source_id, r.sentence)))


def verbish(low: str) -> bool:
    return low.endswith(("ing", "ed")) or low in SPEECH_VERBS
