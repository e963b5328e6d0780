"""Dates and dated events: date mentions, resolution against the article's date, event clauses."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import chain

from generator.facts.common import (
    BREAK_WORDS,
    CLAUSE_WORDS,
    CLOCK_TIME_RE,
    MAX_EVENT_WORDS,
    PUNCT_GAP_RE,
    SHORT_EVENT_WORDS,
    SPEECH_VERBS,
    Tok,
    bare,
    cluster_by,
    content_stems,
    fold_ascii,
    ordered_sources,
    sorted_refs,
    stop_words,
    tokens,
    verbish,
)
from generator.model import (
    KeyFact,
    PartialDate,
    ProcessedArticle,
    Sentence,
    SentenceRef,
)

# ---------------------------------------------------------------------------------------------
# Dates

MONTH_PATTERN = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?"
    r"|Sept?(?:ember)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)"
)
MONTH_RE = re.compile(MONTH_PATTERN)
DIGIT_RE = re.compile(r"\d")
CLOCK_HINT_RE = re.compile(r"\d(?::\d\d)?\s*[apAP]")  # "6 a.m.", "10:30pm"
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
    ).index(fold_ascii(name[:3])) + 1


def year_value(text: str | None) -> int | None:
    if not text:
        return None
    return int(text) + 2000 if len(text) == 2 else int(text)


def _exact_patterns(sentence: str) -> tuple[re.Pattern[str], ...]:
    """The exact-date patterns that may match: each needs a digit, and "/" or a month."""
    if DIGIT_RE.search(sentence) is None:
        return ()
    numeric = (NUMERIC_RE,) if "/" in sentence else ()
    return (*numeric, MDY_RE, DMY_RE) if MONTH_RE.search(sentence) else numeric


def exact_mentions(sentence: str) -> list[DateMention]:
    found: list[DateMention] = []
    for pattern in _exact_patterns(sentence):
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


def _other_patterns(sentence: str) -> frozenset[re.Pattern[str]]:
    """The weekday, relative and vague patterns that may match: every weekday ends in "day";
    the relative days hold "day" or are "tomorrow" (in any case: no letter of theirs matches
    a non-ASCII one ignoring case); a vague mention holds "this month" or a month."""
    lowered = sentence.lower()
    weekday = (WEEKDAY_RE,) if "day" in sentence else ()
    relative = (RELATIVE_RE,) if "day" in lowered or "tomorrow" in lowered else ()
    vague = "this month" in sentence or MONTH_RE.search(sentence) is not None
    return frozenset((*weekday, *relative, *((VAGUE_RE,) if vague else ())))


def other_mentions(sentence: str) -> list[DateMention]:
    patterns = _other_patterns(sentence)
    found = [
        DateMention(
            m.start(), m.end(), "weekday", weekday=WEEKDAYS.index(fold_ascii(m.group("wd")))
        )
        for m in (WEEKDAY_RE.finditer(sentence) if WEEKDAY_RE in patterns else ())
    ]
    found += [
        DateMention(m.start(), m.end(), "relative", offset=RELATIVE_OFFSETS[fold_ascii(m.group())])
        for m in (RELATIVE_RE.finditer(sentence) if RELATIVE_RE in patterns else ())
    ]
    vague = VAGUE_RE in patterns
    for m in VAGUE_RE.finditer(sentence) if vague else ():
        mon = m.group("mon") or m.group("mon2")
        part = next(
            (p for p in ("earlier", "early", "late", "mid") if fold_ascii(m.group()).startswith(p)),
            "",
        )
        month = month_number(mon) if mon else 0
        found.append(DateMention(m.start(), m.end(), "vague", month, part=part))
    return found


def date_mentions(sentence: str) -> list[DateMention]:
    """Date expressions in a sentence; "Thursday (21/10)" is one exact mention with a weekday."""
    return list(sentence_dates(sentence))


@lru_cache(maxsize=1 << 15)
def sentence_dates(sentence: str) -> tuple[DateMention, ...]:
    """`date_mentions`, found once per sentence: dates, events, numbers and statements
    all look at the same sentences' dates."""
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
    return tuple(_with_prep(sentence, m) for m in merged)


def _with_prep(sentence: str, mention: DateMention) -> DateMention:
    window_start = max(0, mention.start - 24)
    found = PREP_RE.search(sentence[window_start : mention.start])
    if not found:
        return _with_preposition(mention, "", mention.start)
    return _with_preposition(mention, found.group(1).lower(), window_start + found.start())


def _with_preposition(mention: DateMention, prep: str, prep_start: int) -> DateMention:
    """`dataclasses.replace(mention, prep=prep, prep_start=prep_start)`, made directly."""
    m = mention
    return DateMention(
        m.start, m.end, m.kind, m.month, m.day, m.year, m.weekday, m.offset, prep, prep_start,
        m.part,
    )  # fmt: skip


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
        for m in sentence_dates(sentence.text):
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
    words = _day_words(when)
    return f"{words[0]} {words[1]}" if words else when.human()  # a new string each time


@lru_cache(maxsize=1 << 10)
def _day_words(when: PartialDate) -> tuple[str, str] | None:
    """The weekday and `human()` of a calendar day; None for a date without a year."""
    day = when.to_date()
    return (f"{day:%A}", when.human()) if day else None


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
    masked = masked_sentence(sentence, tuple(masked_spans))
    words = clause_words(sentence, masked, start, local)
    return tidy_phrase(shorten(words)), " ".join(words)


def masked_sentence(sentence: str, masked_spans: tuple[tuple[int, int], ...]) -> str:
    """The sentence with `masked_spans` and clock times blanked out."""
    masked = sentence
    clock_times = CLOCK_TIME_RE.finditer(sentence) if _may_tell_time(sentence) else ()
    spans = [*masked_spans, *((m.start(), m.end()) for m in clock_times)]
    for s, e in spans:
        masked = masked[:s] + " " * (e - s) + masked[e:]
    return masked


def _may_tell_time(sentence: str) -> bool:
    """False where CLOCK_TIME_RE cannot match: it needs a digit and "a" or "p" after it,
    "noon" or "midnight" (in any case: "ght" then, as "i" also matches "ı" and "İ")."""
    if CLOCK_HINT_RE.search(sentence):
        return True
    lowered = sentence.lower()
    return "noon" in lowered or "ght" in lowered


def clause_words(sentence: str, masked: str, start: int, local: bool) -> list[str]:
    """The words of the clause around `start` in the masked sentence (see `event_clause`)."""
    toks = masked_tokens(sentence, masked)
    pos = sum(1 for t in toks if t.start < start)
    main = _main_clause_after_opener(masked, toks, pos, start)
    if main is not None:
        return main
    lo, hi = _left_bound(masked, toks, pos, start), _right_bound(masked, toks, pos, start)
    if hi - lo < 4 and hi < len(toks):
        hi = _right_bound(masked, toks, hi + 1, toks[hi].end)
    if lo < hi and toks[lo].text[0].islower() and lo > 0:
        lo2 = _left_bound(masked, toks, lo - 1, toks[lo - 1].start)
        opener = lo2 == 0 and _participle_opens(toks)  # ("Speaking slowly, the mayor …")
        lo = lo2 if lo - lo2 <= 4 and not opener else lo
    that = [k for k in range(lo, min(pos, hi)) if toks[k].low == "that"]
    if that and hi - that[-1] > 4:
        lo = that[-1] + 1
    words = [t.text for t in toks[lo:hi]]
    if local and pos - lo > SHORT_EVENT_WORDS:
        words = words[pos - lo - SHORT_EVENT_WORDS : pos - lo]
    return _with_subject(sentence, toks, lo, words)


def masked_tokens(sentence: str, masked: str) -> tuple[Tok, ...]:
    """`tokens(masked)`, taken from the sentence's own tokens when the blanks fall between
    tokens or cover whole ones: each word character stays in its token then, and the
    blanked tokens are all that goes."""
    kept = []
    for tok in tokens(sentence):
        written = masked[tok.start : tok.end]
        if written == tok.text:
            kept.append(tok)
        elif not written.isspace():  # a token partly blanked reads otherwise
            return tokens(masked)
    return tuple(kept)


def _main_clause_after_opener(
    masked: str, toks: Sequence[Tok], pos: int, start: int
) -> list[str] | None:
    """The words of the main clause when the date stands in a participle phrase opening
    the sentence ("Speaking to reporters on Thursday, Stoltenberg said he regretted the
    decision"): that phrase only sets the scene, the event is the clause after its comma
    ("Stoltenberg said he regretted the decision").  None when the sentence opens
    otherwise; no words when the main clause is only a speaker and a verb (what was said
    follows in quotation marks: "the secretary general said “…”")."""
    if pos == 0 or pos >= len(toks) or not _participle_opens(toks):
        return None
    if PUNCT_GAP_RE.search(masked[:start]):
        return None  # the date is not inside the opening phrase
    after = PUNCT_GAP_RE.search(masked, start)
    if after is None or after.group() != ",":
        return None
    first = next((k for k, tok in enumerate(toks) if tok.start > after.start()), len(toks))
    last = _right_bound(masked, toks, first, toks[first].start) if first < len(toks) else first
    words = [tok.text for tok in toks[first:last]]
    if len(words) < 3 or words[-1].lower() in SPEECH_VERBS:
        return []
    return words


def _participle_opens(toks: Sequence[Tok]) -> bool:
    """The sentence opens with a capitalised "-ing" word followed by a lower-case one
    ("Speaking to", "Addressing a"; not "Reading Council").  A place such as "Beijing on
    Monday" passes too, but is rarely followed by a comma, which the opener needs."""
    first = toks[0].text
    return (
        len(toks) > 1
        and first[:1].isupper()
        and first[1:].islower()
        and first.endswith("ing")
        and len(first) > 5
        and toks[1].text[:1].islower()
    )


def _with_subject(sentence: str, toks: Sequence[Tok], lo: int, words: list[str]) -> list[str]:
    """A clause that starts with its verb ("closed to all traffic") gets the sentence's
    subject back when an apposition separated them ("The bridge, built in 1938, closed")."""
    if lo == 0 or not words or not words[0][:1].islower() or not verbish(words[0].lower()):
        return words
    subject = sentence_subject(sentence)
    if not 1 <= len(subject) <= 6 or not subject[0][:1].isupper():
        return words
    return [*subject, *words]


@lru_cache(maxsize=1 << 14)
def sentence_subject(sentence: str) -> tuple[str, ...]:
    """The words before the sentence's first comma: its tokens that end before it, unless
    a number such as "4,200" spans that comma (then the text before it is read anew)."""
    toks = tokens(sentence)
    comma = sentence.find(",")
    if comma < 0:
        return tuple(tok.text for tok in toks)
    if any(tok.start < comma < tok.end for tok in toks):
        return tuple(tok.text for tok in tokens(sentence[:comma]))
    return tuple(tok.text for tok in toks if tok.end <= comma)


def _left_bound(masked: str, toks: Sequence[Tok], pos: int, cursor: int) -> int:
    lo = pos
    while lo > 0 and not PUNCT_GAP_RE.search(masked[toks[lo - 1].end : cursor]):
        if toks[lo - 1].low in CLAUSE_WORDS:
            break
        lo -= 1
        cursor = toks[lo].start
    return lo


def _right_bound(masked: str, toks: Sequence[Tok], pos: int, cursor: int) -> int:
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


@dataclass(frozen=True)
class EventClause:
    """A date mention of a sentence that names an event: its short description's words
    and the whole clause."""

    mention: DateMention
    short_words: tuple[str, ...]
    clause: str


@lru_cache(maxsize=1 << 14)
def sentence_events(sentence: str) -> tuple[EventClause, ...]:
    """The event clauses of a sentence, found once however many sources print it."""
    mentions = sentence_dates(sentence)
    if not mentions:
        return ()
    masked = masked_sentence(sentence, tuple((m.prep_start, m.end) for m in mentions))
    found = []
    for mention in mentions:
        if mention.prep in NOT_EVENT_PREPS:
            continue
        words = clause_words(sentence, masked, mention.prep_start, mention.kind == "vague")
        short_words = shorten(words)
        if len(tidy_phrase(short_words).split()) >= 3:
            found.append(EventClause(mention, tuple(short_words), " ".join(words)))
    return tuple(found)


def article_events(article: ProcessedArticle, context: ArticleDates) -> list[Event]:
    events: list[Event] = []
    for sentence in article.sentences:
        for found in sentence_events(sentence.text):
            text = tidy_phrase(list(found.short_words))  # each event its own text
            stems = content_stems(found.clause)
            events.extend(_event(article.source_id, sentence, found.mention, context, text, stems))
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
    groups = cluster_by(  # only events of the same day can be the same
        [e.when for e in dated],
        lambda i, j: len(dated[i].stems & dated[j].stems) >= 2,  # (of one day, by the key)
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

    holding = Counter(chain.from_iterable(stems))  # how many texts hold each stem

    def score(i: int) -> tuple[float, int]:
        # the stems it shares with each other text, counted once per other text
        shared = sum(holding[stem] for stem in stems[i]) - len(stems[i])
        return (shared - 0.2 * len(texts[i].split()), -len(texts[i]))

    return texts[max(range(len(texts)), key=score)]
