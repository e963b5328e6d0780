"""Facts: the "Key facts" box and "Where sources differ", from all sources of one story at once.

`extract_facts(articles)` finds short checkable items in the articles' sentences and credits
each to every source that states it:

* "number"       — a count with what it counts ("NATO expelled eight Russian diplomats");
* "date"         — a dated event (`KeyFact.when`), relative days resolved against the
                   article's own date ("on Monday" in an article of Wed 20 Oct 2021 -> 18 Oct);
* "person"       — a person with the role the sources give ("Foreign Minister Sergei Lavrov");
* "organisation" — an organisation (acronyms merged case-insensitively with their expansion);
* "quote"        — a direct quote with its speaker, merged across sources quoting the same words
                   and credited to sources that paraphrase it closely.

Differences are reported, never resolved: the same statement placed on different days, the same
counted thing with different counts, one name spelt differently.

Returned key facts are ordered by kind group (number, date, person, organisation, quote) and by
rank within a group; rank = number of sources, then centrality (share of the item's content words
found in the story's sources), then mentions.  Everything is heuristic, English-only and offline
(sumy's Snowball stemmer and stop-word list); the functions are pure.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from difflib import SequenceMatcher
from functools import cache, lru_cache
from typing import TypeVar

from sumy.nlp.stemmers import Stemmer
from sumy.utils import get_stop_words

from generator.model import (
    Difference,
    DifferingValue,
    FactsResult,
    KeyFact,
    PartialDate,
    ProcessedArticle,
    Sentence,
    SentenceRef,
)

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


@dataclass(frozen=True)
class Tok:
    """A word of a sentence with its character span."""

    text: str
    start: int
    end: int

    @property
    def low(self) -> str:
        return bare(self.text).lower()


def tokens(text: str) -> list[Tok]:
    return list(_tokens(text))


@lru_cache(maxsize=1 << 15)
def _tokens(text: str) -> tuple[Tok, ...]:
    """A sentence's words, found once: every extractor walks the same sentences."""
    return tuple(Tok(m.group(), m.start(), m.end()) for m in TOKEN_RE.finditer(text))


POSSESSIVE_RE = re.compile(r"['’]s?$")
HYPHEN_RE = re.compile(r"[-‑]")
ROLE_SPLIT_RE = re.compile(r"[\s\-‑]+")
QUOTE_WORD_SPLIT_RE = re.compile(r"[^a-z0-9']+")
ACRONYM_AFTER_RE = re.compile(r"\s*\(([A-Z]{2,6})\)")
WORD_RE = re.compile(r"\w+")
SPOKE_AFTER_RE = re.compile(r"\b(?:said|says|told|added|speaking|spoke)\b")
SPOKE_BEFORE_RE = re.compile(r"\b(?:said|told)\s+(?:\w+\s+){0,2}$")
ROLE_SAID_RE = re.compile(r"\bthe\s+((?:[\w-]+\s+){1,4}?)(?:said|told|added)\b", re.I)
SPEECH_VERB_RE = re.compile(rf"\b(?:{'|'.join(sorted(SPEECH_VERBS))})\b")


@lru_cache(maxsize=1 << 15)
def bare(word: str) -> str:
    """The word without a possessive ending: "NATO’s" -> "NATO"."""
    return POSSESSIVE_RE.sub("", word)


def punct_between(text: str, left: Tok, right: Tok) -> bool:
    return bool(PUNCT_GAP_RE.search(text[left.end : right.start]))


@cache
def stem(word: str) -> str:
    return _stemmer()(word)


@cache
def _stemmer() -> Stemmer:
    return Stemmer("english")


@cache
def stop_words() -> frozenset[str]:
    numbers = set(NUMBER_WORDS) | {"one", "half"}
    return (frozenset(get_stop_words("english")) | EXTRA_STOP) - numbers


@lru_cache(maxsize=1 << 15)
def content_stems(text: str) -> frozenset[str]:
    """Stems of the words that carry content (no stop words), numbers included."""
    stems: set[str] = set()
    ignored = stop_words()
    for token in TOKEN_RE.findall(text):
        for part in HYPHEN_RE.split(bare(token).lower()):
            if part and part not in ignored and (len(part) > 1 or part.isdigit()):
                stems.add(stem(part))
    return frozenset(stems)


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


def ordered_sources(articles: Sequence[ProcessedArticle], ids: Iterable[str]) -> tuple[str, ...]:
    wanted = set(ids)
    return tuple(a.source_id for a in articles if a.source_id in wanted)


def sorted_refs(refs: Iterable[SentenceRef]) -> tuple[SentenceRef, ...]:
    return tuple(sorted(set(refs), key=lambda r: (r.source_id, r.sentence)))


# ---------------------------------------------------------------------------------------------
# Dates

MONTH_PATTERN = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?"
    r"|Sept?(?:ember)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)"
)
MONTH_RE = re.compile(MONTH_PATTERN)
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
YEAR = r"(?P<year>(?:19|20)\d{2})"
MDY_RE = re.compile(
    rf"\b(?P<mon>{MONTH_PATTERN})\.?\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\b(?:,?\s+{YEAR}\b)?"
)
DMY_RE = re.compile(
    rf"\b(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<mon>{MONTH_PATTERN})\b\.?"
    rf"(?:,?\s+{YEAR}\b)?"
)
NUMERIC_RE = re.compile(r"\(\s*(?P<day>\d{1,2})/(?P<mon>\d{1,2})(?:/(?P<year>\d{4}|\d{2}))?\s*\)")
WEEKDAY_RE = re.compile(
    r"\b(?P<wd>Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b"
    r"(?:[’']s)?(?:\s+(?:morning|afternoon|evening|night))?"
)
RELATIVE_RE = re.compile(r"\b(?P<rel>yesterday|today|tomorrow)\b", re.IGNORECASE)
VAGUE_RE = re.compile(
    rf"\b(?P<this>(?i:earlier|later|early|late) this month)\b"
    rf"|\b(?:early|mid|late)[- ](?P<mon>{MONTH_PATTERN})\b"
    rf"|\b(?:in|during) (?P<mon2>{MONTH_PATTERN})\b(?!\.?\s+\d)"
)
PREP_RE = re.compile(
    r"\b(on|from|starting(?: on| from)?|since|until|till|by|before|after|earlier on|later on"
    r"|as of|last|next|this|earlier|early|in)\s+(?:the\s+)?$",
    re.IGNORECASE,
)
NOT_EVENT_PREPS = frozenset({"since", "until", "till", "by", "before", "after"})
RELATIVE_OFFSETS = {"yesterday": -1, "today": 0, "tomorrow": 1}


@dataclass(frozen=True)
class DateMention:
    """A date expression in a sentence; `kind` is exact, weekday, relative or vague."""

    start: int
    end: int
    kind: str
    month: int = 0
    day: int = 0
    year: int | None = None
    weekday: int = -1
    offset: int = 0
    prep: str = ""
    prep_start: int = -1  # where the preposition ("on", "from") starts, else `start`
    part: str = ""  # vague mentions: "early", "late", "earlier" (this month) or ""


@dataclass(frozen=True)
class ArticleDates:
    """What an article's relative dates are resolved against."""

    year: int | None
    reference: dt.date | None
    weekday_dates: dict[int, PartialDate]


def month_number(name: str) -> int:
    return (
        ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
    ).index(name[:3].lower()) + 1


def year_value(text: str | None) -> int | None:
    if not text:
        return None
    return int(text) + 2000 if len(text) == 2 else int(text)


def exact_mentions(sentence: str) -> list[DateMention]:
    found: list[DateMention] = []
    for pattern in (NUMERIC_RE, MDY_RE, DMY_RE):
        for m in pattern.finditer(sentence):
            mon = m.group("mon")
            month = int(mon) if mon.isdecimal() else month_number(mon)
            day = int(m.group("day"))
            if month > 12 and day <= 12:
                month, day = day, month
            if not (1 <= month <= 12 and 1 <= day <= 31):
                continue
            found.append(
                DateMention(m.start(), m.end(), "exact", month, day, year_value(m.group("year")))
            )
    return found


def other_mentions(sentence: str) -> list[DateMention]:
    found = [
        DateMention(m.start(), m.end(), "weekday", weekday=WEEKDAYS.index(m.group("wd").lower()))
        for m in WEEKDAY_RE.finditer(sentence)
    ]
    found += [
        DateMention(m.start(), m.end(), "relative", offset=RELATIVE_OFFSETS[m.group().lower()])
        for m in RELATIVE_RE.finditer(sentence)
    ]
    for m in VAGUE_RE.finditer(sentence):
        mon = m.group("mon") or m.group("mon2")
        part = next(
            (p for p in ("earlier", "early", "late", "mid") if m.group().lower().startswith(p)), ""
        )
        month = month_number(mon) if mon else 0
        found.append(DateMention(m.start(), m.end(), "vague", month, part=part))
    return found


def date_mentions(sentence: str) -> list[DateMention]:
    """Date expressions in a sentence; "Thursday (21/10)" is one exact mention with a weekday."""
    chosen: list[DateMention] = []
    for mention in exact_mentions(sentence) + other_mentions(sentence):
        if all(mention.end <= c.start or mention.start >= c.end for c in chosen):
            chosen.append(mention)
    chosen.sort(key=lambda m: m.start)
    merged: list[DateMention] = []
    for mention in chosen:
        previous = merged[-1] if merged else None
        gap = sentence[previous.end : mention.start] if previous else ""
        if previous and previous.kind == "weekday" and mention.kind == "exact" and len(gap) <= 3:
            merged[-1] = DateMention(
                previous.start, mention.end, "exact", mention.month, mention.day,
                mention.year, previous.weekday,
            )  # fmt: skip
            continue
        merged.append(mention)
    return [_with_prep(sentence, m) for m in merged]


def _with_prep(sentence: str, mention: DateMention) -> DateMention:
    window_start = max(0, mention.start - 24)
    found = PREP_RE.search(sentence[window_start : mention.start])
    if not found:
        return replace(mention, prep_start=mention.start)
    return replace(mention, prep=found.group(1).lower(), prep_start=window_start + found.start())


def story_year(articles: Sequence[ProcessedArticle]) -> int | None:
    years = Counter(
        a.meta.published.year for a in articles if a.meta.published and a.meta.published.year
    )
    return years.most_common(1)[0][0] if years else None


def article_dates(article: ProcessedArticle, fallback_year: int | None) -> ArticleDates:
    """Year and reference day of an article; weekdays it pins to explicit dates."""
    published = article.meta.published
    year = (published.year if published else None) or fallback_year
    weekday_dates: dict[int, PartialDate] = {}
    for sentence in article.sentences:
        for m in date_mentions(sentence.text):
            if m.kind == "exact" and m.weekday >= 0:
                weekday_dates[m.weekday] = PartialDate(m.month, m.day, m.year or year)
    reference = PartialDate(published.month, published.day, year).to_date() if published else None
    if reference is None:
        pinned = [d for d in (p.to_date() for p in weekday_dates.values()) if d is not None]
        reference = max(pinned) if pinned else None
    return ArticleDates(year, reference, weekday_dates)


def resolve(mention: DateMention, context: ArticleDates) -> PartialDate | None:
    """The calendar day a mention names, or None (vague, or relative without a reference)."""
    if mention.kind == "exact":
        return PartialDate(mention.month, mention.day, mention.year or context.year)
    if mention.kind == "weekday" and mention.weekday in context.weekday_dates:
        return context.weekday_dates[mention.weekday]
    ref = context.reference
    if ref is None or mention.kind == "vague":
        return None
    if mention.kind == "relative":
        return PartialDate.from_date(ref + dt.timedelta(days=mention.offset))
    if mention.prep == "next":
        return PartialDate.from_date(
            ref + dt.timedelta(days=(mention.weekday - ref.weekday()) % 7 or 7)
        )
    return PartialDate.from_date(ref - dt.timedelta(days=(ref.weekday() - mention.weekday) % 7))


def describe_date(when: PartialDate) -> str:
    """ "Wednesday 20 Oct 2021" (weekday only when the year is known)."""
    day = when.to_date()
    return f"{day:%A} {when.human()}" if day else when.human()


# ---------------------------------------------------------------------------------------------
# Clauses (short event descriptions around a date or a number)


def event_clause(
    sentence: str, masked_spans: list[tuple[int, int]], start: int, local: bool = False
) -> tuple[str, str]:
    """A short description of what the date at `start` is about: its clause, dates removed.

    `masked_spans` are the sentence's date expressions with their prepositions; `local` keeps
    the words just before the date when it closes a long clause ("... in early October").
    Returns the short description and the whole clause (whose words identify the event).
    """
    masked = sentence
    spans = [*masked_spans, *((m.start(), m.end()) for m in CLOCK_TIME_RE.finditer(sentence))]
    for s, e in spans:
        masked = masked[:s] + " " * (e - s) + masked[e:]
    toks = tokens(masked)
    pos = sum(1 for t in toks if t.start < start)
    lo, hi = _left_bound(masked, toks, pos, start), _right_bound(masked, toks, pos, start)
    if hi - lo < 4 and hi < len(toks):
        hi = _right_bound(masked, toks, hi + 1, toks[hi].end)
    if lo < hi and toks[lo].text[0].islower() and lo > 0:
        lo2 = _left_bound(masked, toks, lo - 1, toks[lo - 1].start)
        lo = lo2 if lo - lo2 <= 4 else lo
    that = [k for k in range(lo, min(pos, hi)) if toks[k].low == "that"]
    if that and hi - that[-1] > 4:
        lo = that[-1] + 1
    words = [t.text for t in toks[lo:hi]]
    if local and pos - lo > SHORT_EVENT_WORDS:
        words = words[pos - lo - SHORT_EVENT_WORDS : pos - lo]
    words = _with_subject(sentence, toks, lo, words)
    return tidy_phrase(shorten(words)), " ".join(words)


def _with_subject(sentence: str, toks: list[Tok], lo: int, words: list[str]) -> list[str]:
    """A clause that starts with its verb ("closed to all traffic") gets the sentence's
    subject back when an apposition separated them ("The bridge, built in 1938, closed")."""
    if lo == 0 or not words or not words[0][:1].islower() or not _verbish(words[0].lower()):
        return words
    head = sentence.split(",", 1)[0]
    subject = [tok.text for tok in tokens(head)]
    if not 1 <= len(subject) <= 6 or not subject[0][:1].isupper():
        return words
    return [*subject, *words]


def _left_bound(masked: str, toks: list[Tok], pos: int, cursor: int) -> int:
    lo = pos
    while lo > 0 and not PUNCT_GAP_RE.search(masked[toks[lo - 1].end : cursor]):
        if toks[lo - 1].low in CLAUSE_WORDS:
            break
        lo -= 1
        cursor = toks[lo].start
    return lo


def _right_bound(masked: str, toks: list[Tok], pos: int, cursor: int) -> int:
    hi = pos
    while hi < len(toks) and not PUNCT_GAP_RE.search(masked[cursor : toks[hi].start]):
        if toks[hi].low in CLAUSE_WORDS:
            break
        cursor = toks[hi].end
        hi += 1
    return hi


def shorten(words: list[str]) -> list[str]:
    """At most MAX_EVENT_WORDS words, cut before a trailing prepositional phrase when too long."""
    if len(words) <= SHORT_EVENT_WORDS:
        return words
    breaks = [k for k in range(5, len(words)) if words[k].lower() in BREAK_WORDS]
    breaks = [k for k in breaks if k <= MAX_EVENT_WORDS]
    return words[: breaks[0]] if breaks else words[:MAX_EVENT_WORDS]


def tidy_phrase(words: list[str]) -> str:
    """Join words; drop leading linkers and trailing stop words; capitalise the first letter."""
    while words and words[0].lower() in {"that", "and", "but", "so", "then", "also", "as"}:
        words = words[1:]
    while words and bare(words[-1]).lower() in stop_words() and not words[-1][0].isdigit():
        words = words[:-1]
    text = " ".join(words).strip(" ,;:")
    return text[:1].upper() + text[1:]


# ---------------------------------------------------------------------------------------------
# Dated events


@dataclass(frozen=True)
class Event:
    source: str
    sentence: int
    when: PartialDate | None  # None for vague mentions
    month: int
    year: int | None
    text: str
    stems: frozenset[str]
    mention: DateMention
    days: tuple[int, int] = (1, 31)  # for vague mentions: the days of the month it may mean


def article_events(article: ProcessedArticle, context: ArticleDates) -> list[Event]:
    events: list[Event] = []
    for sentence in article.sentences:
        mentions = date_mentions(sentence.text)
        spans = [(m.prep_start, m.end) for m in mentions]
        for mention in mentions:
            if mention.prep in NOT_EVENT_PREPS:
                continue
            vague = mention.kind == "vague"
            text, clause = event_clause(sentence.text, spans, mention.prep_start, local=vague)
            if len(text.split()) >= 3:
                stems = content_stems(clause)
                events.extend(_event(article.source_id, sentence, mention, context, text, stems))
    return events


def _event(
    source: str,
    sentence: Sentence,
    mention: DateMention,
    ctx: ArticleDates,
    text: str,
    stems: frozenset[str],
) -> list[Event]:
    if mention.kind != "vague":
        when = resolve(mention, ctx)
        if when is None:
            return []
        return [Event(source, sentence.index, when, when.month, when.year, text, stems, mention)]
    ref = ctx.reference
    if mention.month:
        days = {"early": (1, 10), "mid": (10, 20), "late": (20, 31)}.get(mention.part, (1, 31))
        return [Event(source, sentence.index, None, mention.month, ctx.year, text, stems, mention,
                      days)]  # fmt: skip
    if ref is None:
        return []
    days = (1, ref.day - 1) if mention.part == "earlier" else (1, 31)
    return [Event(source, sentence.index, None, ref.month, ref.year, text, stems, mention, days)]


def date_facts(
    articles: Sequence[ProcessedArticle], events: list[Event]
) -> list[tuple[KeyFact, list[Event]]]:
    """Events merged across sources: same day and shared content words."""
    dated = [e for e in events if e.when is not None]
    groups = cluster(
        len(dated),
        lambda i, j: dated[i].when == dated[j].when and len(dated[i].stems & dated[j].stems) >= 2,
    )
    merged = [[dated[i] for i in group] for group in groups]
    for vague in (e for e in events if e.when is None):
        _attach_vague(vague, merged)
    facts = []
    for members in merged:
        when = members[0].when
        text = representative([m.text for m in members], [m.stems for m in members])
        fact = KeyFact(
            "date", text, ordered_sources(articles, (m.source for m in members)),
            sorted_refs(SentenceRef(m.source, m.sentence) for m in members), when=when,
        )  # fmt: skip
        facts.append((fact, members))
    return facts


def _attach_vague(vague: Event, groups: list[list[Event]]) -> None:
    """Credit "earlier this month" to the best matching exact event of that month."""
    best, best_overlap = None, 2
    for group in groups:  # the group with the member sharing most words wins
        when = group[0].when
        if when is None or when.month != vague.month or (vague.year and when.year != vague.year):
            continue
        if not vague.days[0] <= when.day <= vague.days[1]:
            continue
        overlap = max(len(vague.stems & m.stems) for m in group)
        if overlap > best_overlap:
            best, best_overlap = group, overlap
    if best is not None:
        best.append(vague)


def representative(texts: Sequence[str], stems: Sequence[frozenset[str]]) -> str:
    """The text sharing most content words with the others (shorter wins ties)."""

    def score(i: int) -> tuple[float, int]:
        shared = sum(len(stems[i] & stems[j]) for j in range(len(texts)) if j != i)
        return (shared - 0.2 * len(texts[i].split()), -len(texts[i]))

    return texts[max(range(len(texts)), key=score)]


# ---------------------------------------------------------------------------------------------
# Numbers


@dataclass(frozen=True)
class NumberMention:
    source: str
    sentence: int
    values: tuple[float, ...]  # one value, or (from, to) for "from 20 to 10"
    text: str
    head: str  # stem of the counted noun
    stems: frozenset[str]
    head_word: str = ""  # the counted noun as written


def number_at(toks: list[Tok], i: int, text: str) -> tuple[float, int] | None:
    """The value of a number starting at token i and the index after it, or None."""
    tok = toks[i]
    low = tok.text.lower()
    nxt = toks[i + 1] if i + 1 < len(toks) else None
    value: float | None = None
    if tok.text[0].isdecimal():
        value = _digit_value(tok, nxt, text)
    elif low.split("-")[0] in NUMBER_WORDS:
        value = _word_value(low)
    elif low == "one" and nxt and (i == 0 or toks[i - 1].low not in NOT_BEFORE_ONE):
        value = 1.0 if nxt.low not in stop_words() else None
    elif low == "half" and nxt and nxt.low in {"of", "a"}:
        value = 0.5
    if value is None:
        return None
    end = i + 1
    if "-" not in low and end < len(toks) and toks[end].low in MULTIPLIERS:
        value *= MULTIPLIERS[toks[end].low]
        end += 1
    return value, end


def _digit_value(tok: Tok, nxt: Tok | None, text: str) -> float | None:
    before = text[tok.start - 1] if tok.start else " "
    after = text[tok.end] if tok.end < len(text) else " "
    if before in "-/‑" or before.isalpha() or after in ":/" or after.isalpha():
        return None
    try:
        value = float(tok.text.replace(",", ""))
    except ValueError:  # digits that are not decimal ("²") or odd separators
        return None
    if "," not in tok.text and "." not in tok.text and 1800 <= value <= 2100:
        return None  # a year
    if nxt and nxt.low in {"am", "pm", "gmt", "utc", "percent"}:
        return None if nxt.low != "percent" else value
    return value


def _word_value(low: str) -> float | None:
    parts = low.split("-")
    if len(parts) == 2 and parts[1] in NUMBER_WORDS and NUMBER_WORDS[parts[1]] < 10:
        return float(NUMBER_WORDS[parts[0]] + NUMBER_WORDS[parts[1]])
    return float(NUMBER_WORDS[parts[0]])


def counted_phrase(toks: list[Tok], i: int, text: str) -> list[Tok]:
    """The noun phrase a number counts: "Russian diplomats", "members of the Russian mission"."""
    phrase: list[Tok] = []
    while i < len(toks) and len(phrase) < 7:
        tok = toks[i]
        if (phrase or i > 0) and i > 0 and punct_between(text, toks[i - 1], tok):
            break
        low = tok.low
        if (low in {"of", "in", "from", "out"} and phrase) or (
            low == "the" and phrase and phrase[-1].low in {"of", "in", "from"}
        ):
            phrase.append(tok)
        elif low in stop_words() or (phrase and _verbish(low) and phrase[-1].low != "of"):
            break
        else:
            phrase.append(tok)
        i += 1
    while phrase and phrase[-1].low in stop_words() | {"of", "in", "from", "out"}:
        phrase.pop()
    return phrase


def _verbish(low: str) -> bool:
    return low.endswith(("ing", "ed")) or low in SPEECH_VERBS


def leading_words(toks: list[Tok], i: int, text: str) -> list[Tok]:
    """Up to four words before a number, within its clause, without leading stop words."""
    lo = i
    while lo > 0 and i - lo < 4 and not punct_between(text, toks[lo - 1], toks[lo]):
        if toks[lo - 1].low in CLAUSE_WORDS | SPEECH_VERBS | {"that", "and"}:
            break
        lo -= 1
    words = toks[lo:i]
    while words and words[0].low in stop_words() and not _qualifier_run(words):
        words = words[1:]
    return words


def _qualifier_run(words: list[Tok]) -> bool:
    return all(w.low in QUALIFIERS for w in words)


def sentence_numbers(source: str, sentence: Sentence) -> list[NumberMention]:
    text = sentence.text
    toks = tokens(text)
    dates = date_mentions(text)
    found: list[NumberMention] = []
    i = 0
    while i < len(toks):
        parsed = None if _in_date(toks[i], dates) else number_at(toks, i, text)
        if parsed is None:
            i += 1
            continue
        mention, i = _number_mention(source, sentence, toks, i, parsed)
        if mention is not None:
            found.append(mention)
    return found


def _in_date(tok: Tok, dates: list[DateMention]) -> bool:
    return any(d.start <= tok.start < d.end for d in dates)


def _number_mention(
    source: str, sentence: Sentence, toks: list[Tok], i: int, parsed: tuple[float, int]
) -> tuple[NumberMention | None, int]:
    text = sentence.text
    values, end = (parsed[0],), parsed[1]
    if end + 1 < len(toks) and toks[end].low == "to":
        upper = number_at(toks, end + 1, text)
        if upper is not None:
            values, end = (parsed[0], upper[0]), upper[1]
    compound = toks[i].text.split("-", 1)[1:] if "-" in toks[i].text else []
    currency = text[toks[i].start - 1] if toks[i].start and text[toks[i].start - 1] in "$€£" else ""
    if currency:
        return _money_mention(source, sentence, toks, i, values, end, currency), end
    phrase = counted_phrase(toks, end, text)
    if not phrase and not compound and len(values) == 1:
        return None, end
    before = leading_words(toks, i, text)
    first = before[0] if before else toks[i]
    last = phrase[-1] if phrase else toks[end - 1]
    head_words = [t.low for t in phrase if t.low not in {"of", "in", "from", "out", "the"}]
    head_tok = _head(phrase) or (compound[0].lower() if compound else "")
    words = text[first.start : last.end]
    stems = content_stems(" ".join([*(t.text for t in before), *head_words, *compound]))
    mention = NumberMention(source, sentence.index, values, words, stem(head_tok), stems, head_tok)
    return mention, end


def _money_mention(
    source: str,
    sentence: Sentence,
    toks: list[Tok],
    i: int,
    values: tuple[float, ...],
    end: int,
    currency: str,
) -> NumberMention | None:
    """An amount of money; what it pays for comes from the words before it."""
    text = sentence.text
    lo = i
    while lo > 0 and i - lo < 8 and not punct_between(text, toks[lo - 1], toks[lo]):
        lo -= 1
    before = [tok for tok in toks[lo:i] if tok.low not in stop_words()]
    if not before:
        return None
    words = text[toks[lo].start : toks[end - 1].end]
    stems = content_stems(" ".join(tok.text for tok in before)) - {"estim", "expect", "put"}
    return NumberMention(source, sentence.index, values, words, currency, stems, "money")


def _head(phrase: list[Tok]) -> str:
    """The counted noun: the last word before "of"/"in", else the last word."""
    for k, tok in enumerate(phrase):
        if tok.low in {"of", "in", "from", "out"} and k > 0:
            return phrase[k - 1].low
    return phrase[-1].low if phrase else ""


def same_count(a: NumberMention, b: NumberMention) -> bool:
    if a.values != b.values:
        return False
    if len(a.values) == 2:
        return True
    shared = (a.stems & b.stems) - {stem(w) for w in NUMBER_WORDS} - {"one", "half"}
    return a.head == b.head or bool(shared - {_number_stem(a)})


def _number_stem(mention: NumberMention) -> str:
    return mention.text.split()[0].lower()


def number_facts(
    articles: Sequence[ProcessedArticle], mentions: list[NumberMention]
) -> list[tuple[KeyFact, list[NumberMention]]]:
    groups = cluster(len(mentions), lambda i, j: same_count(mentions[i], mentions[j]))
    facts = []
    for group in groups:
        members = [mentions[i] for i in group]
        counted = [m for m in members if m.head] or members
        text = representative([m.text for m in counted], [m.stems for m in counted])
        fact = KeyFact(
            "number", text, ordered_sources(articles, (m.source for m in members)),
            sorted_refs(SentenceRef(m.source, m.sentence) for m in members),
        )  # fmt: skip
        facts.append((fact, members))
    return facts


def count_differences(
    articles: Sequence[ProcessedArticle], facts: list[tuple[KeyFact, list[NumberMention]]]
) -> list[Difference]:
    """Different counts of the same counted thing from different sources."""
    differences = []
    for (fact_a, ms_a), (fact_b, ms_b) in _pairs(facts):
        a, b = ms_a[0], ms_b[0]
        if a.values == b.values or len(a.values) != len(b.values) or not a.head or a.head != b.head:
            continue
        if len((a.stems & b.stems) - {a.head}) < 1:
            continue
        only_a = set(fact_a.sources) - set(fact_b.sources)
        only_b = set(fact_b.sources) - set(fact_a.sources)
        if only_a and only_b:
            values = (
                DifferingValue(fact_a.text, fact_a.sources),
                DifferingValue(fact_b.text, fact_b.sources),
            )
            differences.append(Difference(_count_subject(a, b), values))
    return differences


def _count_subject(a: NumberMention, b: NumberMention) -> str:
    if a.head_word != "money":
        return f"Number of {a.head_word or a.head}"
    shared = a.stems & b.stems
    words = [tok.text for tok in tokens(a.text) if stem(tok.low) in shared]
    return f"Amount for {words[0].lower()}" if words else "Amount of money"


def _pairs(items: list[T]) -> Iterable[tuple[T, T]]:
    for i, first in enumerate(items):
        for second in items[i + 1 :]:
            yield first, second


# ---------------------------------------------------------------------------------------------
# People and organisations


@dataclass(frozen=True)
class NameMention:
    source: str
    sentence: int
    first: str  # "" for a surname-only mention
    last: str
    role: str
    role_before: bool  # role written before the name ("Foreign Minister Sergei Lavrov")


@dataclass
class Person:
    last: str
    mentions: list[NameMention]

    @property
    def sources(self) -> set[str]:
        return {m.source for m in self.mentions}

    def first_names(self) -> Counter[str]:
        return Counter(m.first for m in self.mentions if m.first)

    def full_name(self) -> str:
        firsts = self.first_names()
        return f"{firsts.most_common(1)[0][0]} {self.last}" if firsts else self.last

    def role_words(self) -> set[str]:
        return {w for m in self.mentions for w in role_key(m.role).split()}


class Vocabulary:
    """Which capitalised words of a story behave like names."""

    def __init__(self, articles: Sequence[ProcessedArticle]) -> None:
        self.lower: set[str] = set()
        self.inner_capitals: set[str] = set()
        for article in articles:
            for sentence in article.sentences:
                self._read(sentence.text)
        self.lower_stems = {stem(w) for w in self.lower}

    def _read(self, text: str) -> None:
        for k, tok in enumerate(tokens(text)):
            word = bare(tok.text)
            if word.islower():
                self.lower.update(word.split("-"))
            elif k > 0 and word[:1].isupper():
                self.inner_capitals.add(word)

    def name_like(self, word: str) -> bool:
        word = bare(word)
        low = word.lower()
        return (
            word[:1].isupper()
            and not word.isupper()
            and "-" not in word
            and word in self.inner_capitals
            and low not in self.lower
            and stem(low) not in self.lower_stems
            and low not in ROLE_WORDS | ORG_WORDS | NOT_NAME_WORDS | stop_words()
            and low not in WEEKDAYS
            and not MONTH_RE.fullmatch(word)
        )


def capital_runs(toks: list[Tok], text: str) -> list[tuple[int, int]]:
    """Token ranges of consecutive capitalised words not separated by punctuation."""
    runs: list[tuple[int, int]] = []
    k = 0
    while k < len(toks):
        if not toks[k].text[:1].isupper():
            k += 1
            continue
        end = k + 1
        while (
            end < len(toks)
            and toks[end].text[:1].isupper()
            and not punct_between(text, toks[end - 1], toks[end])
        ):
            end += 1
        runs.append((k, end))
        k = end
    return runs


def sentence_names(
    source: str, sentence: Sentence, vocab: Vocabulary
) -> tuple[list[NameMention], list[tuple[str, int]]]:
    """Full names (two or three name-like words) and single capitalised words with positions."""
    text = sentence.text
    toks = tokens(text)
    names: list[NameMention] = []
    singles: list[tuple[str, int]] = []
    for lo, hi in capital_runs(toks, text):
        if toks[hi - 1].low in ORG_WORDS:
            continue  # "North Atlantic Treaty Organisation" names no person
        k = lo
        while k < hi:
            if not vocab.name_like(toks[k].text):
                k += 1
                continue
            end = k
            while end < hi and end - k < 3 and vocab.name_like(toks[end].text):
                end += 1
            if end < hi and toks[end].low in ORG_WORDS:
                k = end
                continue
            if end - k >= 2:
                names.append(_name_mention(source, sentence.index, toks, k, end, lo, text))
            else:
                singles.append((bare(toks[k].text), k))
            k = end
    return names, singles


def _name_mention(
    source: str, index: int, toks: list[Tok], k: int, end: int, run_start: int, text: str
) -> NameMention:
    first, last = " ".join(bare(t.text) for t in toks[k : end - 1]), bare(toks[end - 1].text)
    title = toks[run_start:k]
    if title and any(_is_role(t.low) for t in title):
        return NameMention(source, index, first, last, text[title[0].start : title[-1].end], True)
    role = _role_before(toks, k, text) or _role_after(toks, end, text)
    return NameMention(source, index, first, last, role, False)


def _is_role(low: str) -> bool:
    return low in ROLE_WORDS or any(part in ROLE_WORDS for part in low.split("-"))


def _role_before(toks: list[Tok], k: int, text: str) -> str:
    """ "Russia’s chief of general staff, Valery Gerasimov" / "double agent Sergei Skripal"."""
    lo = k
    while lo > 0 and k - lo < 6:
        prev = toks[lo - 1]
        if punct_between(text, prev, toks[lo]) and lo != k:
            break
        if prev.low in stop_words() and prev.low not in {"of", "the"}:
            break
        lo -= 1
    words = toks[lo:k]
    while words and words[0].low in {"of", "the"}:
        words = words[1:]
    if words and any(_is_role(t.low) for t in words):
        return text[words[0].start : words[-1].end]
    return ""


def _role_after(toks: list[Tok], end: int, text: str) -> str:
    """ "Tod Wolters, NATO’s Supreme Allied Commander Europe"."""
    if end >= len(toks) or "," not in text[toks[end - 1].end : toks[end].start]:
        return ""
    hi = end
    while hi < len(toks) and hi - end < 6:
        if hi > end and punct_between(text, toks[hi - 1], toks[hi]):
            break
        if toks[hi].low in stop_words() and toks[hi].low not in {"of", "the"}:
            break
        hi += 1
    words = toks[end:hi]
    if words and any(_is_role(t.low) for t in words):
        return text[words[0].start : words[-1].end]
    return ""


@lru_cache(maxsize=1 << 14)
def role_key(role: str) -> str:
    words = [bare(w).lower() for w in ROLE_SPLIT_RE.split(role) if w]
    return " ".join(w for w in words if w not in {"the", "of"})


def similar_first_names(a: str, b: str) -> bool:
    return a == b or SequenceMatcher(None, a.lower(), b.lower()).ratio() >= 0.6


def gather_people(articles: Sequence[ProcessedArticle], vocab: Vocabulary) -> list[Person]:
    """People named with at least a first name and surname, plus their surname-only mentions."""
    people: list[Person] = []
    singles: list[tuple[str, int, str, list[Tok], int]] = []
    for article in articles:
        for sentence in article.sentences:
            names, words = sentence_names(article.source_id, sentence, vocab)
            for name in names:
                _add_to_people(people, name)
            toks = tokens(sentence.text)
            singles += [(w, pos, article.source_id, toks, sentence.index) for w, pos in words]
    for word, pos, source, toks, index in singles:
        matches = [p for p in people if p.last == word]
        if len(matches) == 1:
            role = toks[pos - 1].text if pos and toks[pos - 1].low in {"mr", "ms", "mrs"} else ""
            matches[0].mentions.append(NameMention(source, index, "", word, role, False))
    return [p for p in people if _has_evidence(p, articles) and not _is_place(p, articles)]


def _is_place(person: Person, articles: Sequence[ProcessedArticle]) -> bool:
    """A name written after a locative preposition ("in Harlow Ferry") or before a
    building or body ("Harlow Ferry Middle School") names a place, not a person."""
    name = re.escape(person.full_name())
    places = "|".join(sorted(PLACE_WORDS))
    pattern = re.compile(
        rf"\b(?:in|at|from|near|across|outside|inside)\s+{name}\b"
        rf"|\b{name}(?:['’]s)?\s+(?:\w+\s+)?(?:{places})\b",
        re.IGNORECASE,
    )
    return any(pattern.search(s.text) for a in articles for s in a.sentences)


def _add_to_people(people: list[Person], name: NameMention) -> None:
    for person in people:
        if person.last == name.last and all(
            similar_first_names(f, name.first) for f in person.first_names()
        ):
            person.mentions.append(name)
            return
    people.append(Person(name.last, [name]))


def _has_evidence(person: Person, articles: Sequence[ProcessedArticle]) -> bool:
    """A role, or the surname next to a speech verb, makes a name a person's."""
    if any(m.role for m in person.mentions):
        return True
    pattern = re.compile(
        rf"\b{re.escape(person.last)}\b(?:['’]s)?\s+(?:also\s+)?(?:{'|'.join(SPEECH_VERBS)})\b"
        rf"|\b(?:said|told|according to)\s+(?:\w+\s+)?{re.escape(person.last)}\b"
    )
    return any(
        pattern.search(s.text) for a in articles for s in a.sentences
        if a.source_id in person.sources
    )  # fmt: skip


def person_display(person: Person) -> str:
    roles = [m for m in person.mentions if m.role and m.first]
    if not roles:
        return person.full_name()
    keys = Counter(role_key(m.role) for m in roles)
    best_key = max(keys, key=lambda k: (keys[k], len(k)))
    forms = Counter(m.role for m in roles if role_key(m.role) == best_key)
    form = min(forms, key=lambda f: (-forms[f], "’" in f or "'" in f, len(f)))
    before = any(m.role_before for m in roles if m.role == form)
    return f"{form} {person.full_name()}" if before else f"{person.full_name()}, {form}"


def person_facts(
    articles: Sequence[ProcessedArticle], people: list[Person]
) -> list[tuple[KeyFact, int]]:
    facts = []
    for person in people:
        first_refs = {}
        for m in person.mentions:
            first_refs.setdefault(m.source, SentenceRef(m.source, m.sentence))
        fact = KeyFact(
            "person", person_display(person), ordered_sources(articles, person.sources),
            sorted_refs(first_refs.values()),
        )  # fmt: skip
        facts.append((fact, len(person.mentions)))
    return facts


def spelling_differences(
    articles: Sequence[ProcessedArticle], people: list[Person]
) -> list[Difference]:
    differences = []
    for person in people:
        by_spelling: dict[str, set[str]] = defaultdict(set)
        for m in person.mentions:
            if m.first:
                by_spelling[m.first].add(m.source)
        if len(by_spelling) > 1:
            values = tuple(
                DifferingValue(f"{first} {person.last}", ordered_sources(articles, sources))
                for first, sources in sorted(by_spelling.items())
            )
            differences.append(Difference(f"Spelling of {person.last}'s first name", values))
    return differences


def gather_organisations(articles: Sequence[ProcessedArticle]) -> list[tuple[KeyFact, int]]:
    """Acronyms and capitalised names ending in an organisation word, merged by key.

    "Nato" counts as "NATO"; "Russia-NATO Council" as "NATO-Russia Council"; a name followed by
    its acronym in brackets ("North Atlantic Treaty Organisation (NATO)") as the acronym.
    """
    excluded = NEWS_AGENCIES | {a.meta.outlet.lower() for a in articles if a.meta.outlet}
    acronyms = {
        part.lower()
        for a in articles for s in a.sentences for t in tokens(s.text)
        for part in bare(t.text).split("-") if _acronym_like(part)
    } - excluded  # fmt: skip
    mentions: dict[str, list[tuple[str, str, int]]] = defaultdict(list)
    expansions: dict[str, Counter[str]] = defaultdict(Counter)
    for article in articles:
        for sentence in article.sentences:
            for key, form in sentence_organisations(sentence.text, acronyms, expansions):
                if key not in excluded:
                    mentions[key].append((form, article.source_id, sentence.index))
    expanded = {org_key(form) for forms in expansions.values() for form in forms}
    return [
        _organisation_fact(articles, key, found, expansions.get(key))
        for key, found in mentions.items() if key not in expanded
    ]  # fmt: skip


def _organisation_fact(
    articles: Sequence[ProcessedArticle],
    key: str,
    found: list[tuple[str, str, int]],
    expansion: Counter[str] | None,
) -> tuple[KeyFact, int]:
    lowered = Counter(form.lower() for form, _, _ in found)
    forms = {form for form, _, _ in found}
    text = max(forms, key=lambda f: (lowered[f.lower()], sum(c.isupper() for c in f)))
    if expansion:
        text = f"{text} ({expansion.most_common(1)[0][0]})"
    first_refs: dict[str, SentenceRef] = {}
    for _, source, index in found:
        first_refs.setdefault(source, SentenceRef(source, index))
    sources = ordered_sources(articles, first_refs)
    fact = KeyFact("organisation", text, sources, sorted_refs(first_refs.values()))
    return fact, len(found)


def sentence_organisations(
    text: str, acronyms: set[str], expansions: dict[str, Counter[str]]
) -> list[tuple[str, str]]:
    """(key, surface form) of each organisation named in a sentence."""
    toks = tokens(text)
    found: list[tuple[str, str]] = []
    for lo, hi in capital_runs(toks, text):
        run = toks[lo:hi]
        while run and run[0].low == "the":
            run = run[1:]
        if len(run) >= 2 and run[-1].low in ORG_WORDS:
            form = bare(text[run[0].start : run[-1].end])
            found.append((org_key(form), form))
            acronym = ACRONYM_AFTER_RE.match(text[run[-1].end :])
            if acronym:
                expansions[acronym.group(1).lower()][form] += 1
        for tok in run:
            for part in bare(tok.text).split("-"):
                if part.lower() in acronyms and (part.isupper() or part == part.capitalize()):
                    found.append((part.lower(), part))
    return found


def _acronym_like(word: str) -> bool:
    if word.isupper() and 2 <= len(word) <= 6 and word.isalpha():
        return word.lower() not in NON_ORG_ACRONYMS
    return False


def org_key(form: str) -> str:
    words = (bare(w).lower() for w in ROLE_SPLIT_RE.split(form) if w)
    return " ".join(sorted(w for w in words if w != "the"))


# ---------------------------------------------------------------------------------------------
# Quotes


@dataclass(frozen=True)
class Quote:
    source: str
    text: str
    words: tuple[str, ...]
    sentences: tuple[int, ...]
    speaker: str


def quote_words(text: str) -> tuple[str, ...]:
    clean = text.lower().replace("’", "'").replace("‘", "'")
    return tuple(w for w in QUOTE_WORD_SPLIT_RE.split(clean) if w)


def quote_spans(text: str) -> list[tuple[int, int]]:
    """Character spans inside “ ” or straight double quotes; an unclosed quote runs to the end."""
    spans: list[tuple[int, int]] = []
    opened: int | None = None
    for k, char in enumerate(text):
        if char == "“" or (char == '"' and opened is None):
            opened = k + 1 if opened is None else opened
        elif char in '”"' and opened is not None:
            spans.append((opened, k))
            opened = None
    if opened is not None:
        spans.append((opened, len(text)))
    return spans


def paragraph_texts(article: ProcessedArticle) -> list[tuple[str, list[tuple[int, int, int]]]]:
    """Each paragraph's sentences joined, with (start, end, sentence index) of each sentence."""
    paragraphs: dict[int, list[Sentence]] = defaultdict(list)
    for sentence in article.sentences:
        paragraphs[sentence.paragraph].append(sentence)
    result = []
    for _, sentences in sorted(paragraphs.items()):
        text, spans = "", []
        for sentence in sentences:
            start = len(text) + (1 if text else 0)
            text = f"{text} {sentence.text}" if text else sentence.text
            spans.append((start, len(text), sentence.index))
        result.append((text, spans))
    return result


class SpeakerFinder:
    """Resolves who speaks in a sentence: a named person, a role, or "he/she" -> last speaker."""

    def __init__(self, people: list[Person]) -> None:
        self.people = people
        self.last_speaker = ""
        self.previous_outside = ""

    def named(self, text: str) -> list[tuple[int, Person]]:
        found = []
        for person in self.people:
            for m in _word_re(person.last).finditer(text):
                found.append((m.start(), person))
        for person in self.people:
            role = _role_phrase_in(person, text)
            if role is not None:
                found.append((role, person))
        return sorted(found, key=lambda item: item[0])

    def speaker(self, outside: str) -> str:
        """Speaker named in the text outside the quotes, or "" when it has no attribution."""
        has_verb = any(w.lower() in SPEECH_VERBS for w in WORD_RE.findall(outside))
        named = self.named(outside)
        if named and has_verb:
            return named[-1][1].full_name()
        if PRONOUN_ATTRIBUTION_RE.search(outside):
            return self.last_speaker
        return ""

    def observe(self, text: str) -> None:
        """Remember the last person shown speaking in a sentence."""
        for start, person in self.named(text):
            after = text[start : start + 60]
            before = text[max(0, start - 30) : start]
            if SPOKE_AFTER_RE.search(after) or SPOKE_BEFORE_RE.search(before):
                self.last_speaker = person.full_name()


@lru_cache(maxsize=1024)
def _word_re(word: str) -> re.Pattern[str]:
    return re.compile(rf"\b{re.escape(word)}\b")


def _role_phrase_in(person: Person, text: str) -> int | None:
    """Where "the <role> said" names this person by role ("the NATO secretary general said")."""
    phrases = _role_phrases(text)
    if not phrases:
        return None
    words = person.role_words() - {"the", "of"}
    for start, phrase in phrases:
        if phrase <= words:
            return start
    return None


@lru_cache(maxsize=1 << 14)
def _role_phrases(text: str) -> tuple[tuple[int, frozenset[str]], ...]:
    """Each "the <two to four words> said" of a text: where it starts, and its role words."""
    found = (
        (m.start(), frozenset(role_key(m.group(1)).split())) for m in ROLE_SAID_RE.finditer(text)
    )
    return tuple((start, phrase) for start, phrase in found if len(phrase) >= 2)


def article_quotes(article: ProcessedArticle, finder: SpeakerFinder) -> list[Quote]:
    quotes: list[Quote] = []
    finder.last_speaker = ""
    finder.previous_outside = ""
    for text, spans in paragraph_texts(article):
        quoted = quote_spans(text)
        outside = {idx: outside_quotes(text, quoted, s, e) for s, e, idx in spans}
        for start, end in quoted:
            inside = [idx for s, e, idx in spans if s < end and e > start]
            words = quote_words(text[start:end])
            if len(words) < MIN_QUOTE_WORDS or not inside:
                continue
            speaker = _quote_speaker(inside, outside, finder)
            quote_text = _trim_quote(text[start:end])
            quotes.append(Quote(article.source_id, quote_text, words, tuple(inside), speaker))
        for _, _, idx in spans:
            finder.observe(outside[idx])
        finder.previous_outside = " ".join(outside[idx] for _, _, idx in spans)
    return quotes


def _quote_speaker(inside: list[int], outside: dict[int, str], finder: SpeakerFinder) -> str:
    """Attribution in the quote's own sentences, else the paragraph before, else "he said"."""
    own = " ".join(outside[i] for i in inside)
    speaker = finder.speaker(own)
    if speaker:
        return speaker
    before = " ".join(outside[i] for i in outside if i < inside[0]) or finder.previous_outside
    named = finder.speaker(before)
    if named and not PRONOUN_ATTRIBUTION_RE.search(before):
        return named
    return ""


def outside_quotes(text: str, quoted: list[tuple[int, int]], start: int, end: int) -> str:
    """The part of text[start:end] that is not inside any quotation."""
    pieces, cursor = [], start
    for q_start, q_end in quoted:
        if q_end <= start or q_start >= end:
            continue
        pieces.append(text[cursor : max(cursor, q_start - 1)])
        cursor = max(cursor, q_end + 1)
    pieces.append(text[cursor:end])
    return " ".join(p.strip() for p in pieces if p.strip())


def _trim_quote(text: str) -> str:
    text = text.strip().rstrip(",;:").strip()
    words = text.split()
    if len(words) > MAX_QUOTE_WORDS:
        return " ".join(words[:MAX_QUOTE_WORDS]) + " …"
    return text


def containment(shorter: tuple[str, ...], longer: tuple[str, ...]) -> float:
    """Share of `shorter`'s words matched, in order, inside `longer`."""
    if not shorter:
        return 0.0
    matcher = SequenceMatcher(None, shorter, longer, autojunk=False)
    return sum(block.size for block in matcher.get_matching_blocks()) / len(shorter)


def same_quote(a: Quote, b: Quote) -> bool:
    if a.speaker and b.speaker and a.speaker != b.speaker:
        return False
    shorter, longer = sorted((a.words, b.words), key=len)
    return containment(shorter, longer) >= QUOTE_SAME_SCORE


@dataclass(frozen=True)
class QuoteGroup:
    fact: KeyFact
    members: tuple[Quote, ...]
    paraphrases: tuple[SentenceRef, ...]


def quote_facts(articles: Sequence[ProcessedArticle], quotes: list[Quote]) -> list[QuoteGroup]:
    groups = cluster(len(quotes), lambda i, j: same_quote(quotes[i], quotes[j]))
    common = frozenset.intersection(*(article_stems(a) for a in articles))
    result = []
    for group in groups:
        members = [quotes[i] for i in group]
        best = max(
            members,
            key=lambda q: (_starts_sentence(q.text), _core_score(q, members), len(q.words)),
        )
        speakers = Counter(q.speaker for q in members if q.speaker)
        speaker = speakers.most_common(1)[0][0] if speakers else ""
        paraphrases = _paraphrases(articles, best, {q.source for q in members}, common)
        refs = [SentenceRef(q.source, i) for q in members for i in q.sentences]
        fact = KeyFact(
            "quote", best.text,
            ordered_sources(articles, {r.source_id for r in [*refs, *paraphrases]}),
            sorted_refs([*refs, *paraphrases]), speaker=speaker,
        )  # fmt: skip
        result.append(QuoteGroup(fact, tuple(members), tuple(paraphrases)))
    return result


def _starts_sentence(text: str) -> bool:
    """A quote that starts a sentence reads better than a fragment ("not going to ...")."""
    stripped = text.lstrip("\"“‘' ….")
    return stripped[:1].isupper()


def _core_score(quote: Quote, members: list[Quote]) -> float:
    return sum(containment(quote.words, other.words) for other in members if other is not quote)


def article_stems(article: ProcessedArticle) -> frozenset[str]:
    return frozenset().union(*(content_stems(s.text) for s in article.sentences))


def _paraphrases(
    articles: Sequence[ProcessedArticle], quote: Quote, quoting: set[str], common: frozenset[str]
) -> list[SentenceRef]:
    """Sentences of other sources holding most of the quote's distinctive content words.

    Stems every source uses (`common`: "NATO", "Russia", "dialogue") do not count.
    """
    wanted = content_stems(quote.text) - common
    needed = max(PARAPHRASE_MIN_STEMS, math.ceil(PARAPHRASE_SHARE * len(wanted)))
    refs = []
    for article in articles:
        if article.source_id in quoting:
            continue
        sentences = article.sentences
        scored = [(fuzzy_overlap(wanted, content_stems(s.text)), s.index) for s in sentences]
        best = max(scored, default=(0, -1))
        if best[0] >= needed:
            refs.append(SentenceRef(article.source_id, best[1]))
    return refs


# ---------------------------------------------------------------------------------------------
# When a statement was made


def speech_date(
    sentence: Sentence, context: ArticleDates, speaker_surname: str = ""
) -> PartialDate | None:
    """The day a sentence says someone spoke: a date near a speech verb, not "from Nov 1"."""
    text = sentence.text
    if speaker_surname and speaker_surname not in text:
        return None
    for mention in date_mentions(text):
        if mention.prep not in {"", "on", "earlier on", "last", "this"}:
            continue
        window = text[max(0, mention.start - 40) : mention.end + 40].lower()
        if SPEECH_VERB_RE.search(window):
            return resolve(mention, context)
    return None


def statement_dates(
    group: QuoteGroup,
    articles: Sequence[ProcessedArticle],
    contexts: dict[str, ArticleDates],
) -> dict[PartialDate, set[str]]:
    """For each source of a quote, the day it says the words were spoken."""
    surname = group.fact.speaker.split()[-1] if group.fact.speaker else ""
    by_source = {a.source_id: a for a in articles}
    refs_by_source: dict[str, list[int]] = defaultdict(list)
    for ref in group.fact.refs:
        refs_by_source[ref.source_id].append(ref.sentence)
    dates: dict[PartialDate, set[str]] = defaultdict(set)
    for source, indices in refs_by_source.items():
        article, context = by_source[source], contexts[source]
        own = [speech_date(s, context) for s in article.sentences if s.index in indices]
        found = next((d for d in own if d), None)
        if found is None and surname:
            anchors = (speech_date(s, context, surname) for s in article.sentences)
            found = next((d for d in anchors if d), None)
        if found is not None:
            dates[found].add(source)
    return dates


def statement_differences(
    groups: list[QuoteGroup],
    articles: Sequence[ProcessedArticle],
    contexts: dict[str, ArticleDates],
) -> list[Difference]:
    differences = []
    for group in groups:
        if len(group.fact.sources) < 2 or not group.fact.speaker:
            continue
        dates = statement_dates(group, articles, contexts)
        if len(dates) < 2:
            continue
        values = tuple(
            DifferingValue(describe_date(when), ordered_sources(articles, sources))
            for when, sources in sorted(dates.items(), key=lambda item: item[0].iso())
        )
        opening = " ".join(group.fact.text.split()[:9])
        subject = f"When {group.fact.speaker} said “{opening}…”"
        differences.append(Difference(subject, values))
    return differences


def event_differences(
    articles: Sequence[ProcessedArticle], facts: list[tuple[KeyFact, list[Event]]]
) -> list[Difference]:
    """The same event (most content words shared) placed on different days by different sources."""
    differences = []
    for (fact_a, ev_a), (fact_b, ev_b) in _pairs(facts):
        if fact_a.when == fact_b.when or not set(fact_a.sources).isdisjoint(fact_b.sources):
            continue
        stems_a = frozenset().union(*(e.stems for e in ev_a))
        stems_b = frozenset().union(*(e.stems for e in ev_b))
        shared = stems_a & stems_b
        if len(shared) >= 3 and len(shared) / min(len(stems_a), len(stems_b)) >= 0.6:
            values = tuple(
                DifferingValue(describe_date(f.when), f.sources)
                for f in (fact_a, fact_b) if f.when is not None
            )  # fmt: skip
            differences.append(Difference(f"Date: {fact_a.text}", values))
    return differences


# ---------------------------------------------------------------------------------------------
# Ranking and the box


@dataclass(frozen=True)
class Candidate:
    fact: KeyFact
    mentions: int
    centrality: float

    def rank_key(self) -> tuple[float, float, float]:
        return (-len(self.fact.sources), -self.centrality, -self.mentions)


def centrality(text: str, source_stems: list[frozenset[str]]) -> float:
    """Average share of the item's content words found in each source's text."""
    wanted = content_stems(text)
    if not wanted or not source_stems:
        return 0.0
    return sum(len(wanted & stems) / len(wanted) for stems in source_stems) / len(source_stems)


def select(candidates: list[Candidate], limit: int) -> list[Candidate]:
    """A mix of kinds: each kind's floor first, then the best multi-source items, then others."""
    scale = limit / 15
    caps = {k: max(1, math.ceil(KIND_CAP[k] * scale)) for k in KIND_ORDER}
    floors = {k: min(caps[k], round(KIND_FLOOR[k] * scale)) for k in KIND_ORDER}
    ranked = sorted(candidates, key=Candidate.rank_key)
    chosen: list[Candidate] = []
    for kind in KIND_ORDER:
        chosen += [c for c in ranked if c.fact.kind == kind][: floors[kind]]
    chosen = sorted(chosen, key=Candidate.rank_key)[:limit]
    for multi_only in (True, False):
        for cand in ranked:
            full = len(chosen) >= (limit if multi_only else min(MIN_BOX, limit))
            if full:
                break
            kind_count = sum(1 for c in chosen if c.fact.kind == cand.fact.kind)
            if cand in chosen or kind_count >= caps[cand.fact.kind]:
                continue
            if multi_only and len(cand.fact.sources) < 2:
                continue
            chosen.append(cand)
    return sorted(chosen, key=lambda c: (KIND_ORDER.index(c.fact.kind), c.rank_key()))


# ---------------------------------------------------------------------------------------------
# Entry point


def extract_facts(articles: Sequence[ProcessedArticle], limit: int = 15) -> FactsResult:
    """Key facts of a story (ordered by kind group, then rank) and where its sources differ."""
    if not articles or limit <= 0:
        return FactsResult(())
    year = story_year(articles)
    contexts = {a.source_id: article_dates(a, year) for a in articles}
    vocab = Vocabulary(articles)
    people = gather_people(articles, vocab)
    finder = SpeakerFinder(people)

    numbers = number_facts(
        articles,
        [m for a in articles for s in a.sentences for m in sentence_numbers(a.source_id, s)],
    )
    events = [e for a in articles for e in article_events(a, contexts[a.source_id])]
    dates = date_facts(articles, events)
    quotes = quote_facts(articles, [q for a in articles for q in article_quotes(a, finder)])
    organisations = gather_organisations(articles)

    source_stems = [article_stems(a) for a in articles]
    scored = [
        *((f, len(ms)) for f, ms in numbers),
        *((f, len(ms)) for f, ms in dates),
        *person_facts(articles, people),
        *organisations,
        *((g.fact, len(g.members)) for g in quotes),
    ]
    candidates = [Candidate(f, n, centrality(f.text, source_stems)) for f, n in scored]
    differences = [
        *statement_differences(quotes, articles, contexts),
        *event_differences(articles, dates),
        *count_differences(articles, numbers),
        *spelling_differences(articles, people),
    ]
    box = select(candidates, limit)
    return FactsResult(tuple(c.fact for c in box), tuple(differences))
