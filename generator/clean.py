"""Clean one pasted article: find its title, drop web-page debris, keep the story paragraphs.

Debris is recognised by its shape (short `Key: value` runs, headline lists under a widget
heading, a sentence followed by a bare agency credit, ...) and by the wording that page
widgets share across sites ("Leave a Reply", "Join our Telegram channel"), never by the
exact strings of particular pages.  Every removed piece is returned as a `DroppedLine`
with a human reason; what the debris says about the article (author, date, place,
outlet) fills the metadata the front matter left empty.

The pass runs in this order: title -> units (hard-wrapped lines joined) -> debris ->
paragraphs -> standfirst -> dateline -> sign-off codes -> repeated text.
"""

from __future__ import annotations

import difflib
import re
from collections import Counter
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import NamedTuple

from generator.model import ArticleMeta, Block, CleanArticle, DroppedLine, PartialDate, RawArticle

# --------------------------------------------------------------------------- reasons

REASON_REPEATS_TITLE = "repeats title"
REASON_REPEATS_LATER = "repeats later text"
REASON_EMPTY_BYLINE = "empty byline template"
REASON_BYLINE = "byline (kept as author)"
REASON_RELATED = "related-headlines list"
REASON_RELATED_LINK = "related link"
REASON_FIELDS = "tracking fields"
REASON_PROMPT = "social/newsletter prompt"
REASON_COMMENTS = "comment form"
REASON_CAPTION = "photo caption with credit"
REASON_CREDIT = "reporting credit (kept as author)"
REASON_CONTRIBUTOR = "contributor credit"
REASON_SIGNOFF = "sign-off code"
REASON_TRANSLATION = "machine-translation notice"
REASON_NAVIGATION = "navigation link"
REASON_ADVERT = "advertisement label"
REASON_COPYRIGHT = "copyright notice"
REASON_DATE_LINE = "date line (kept as published date)"
REASON_DATELINE = "dateline (kept as metadata)"
REASON_SECTION_LABEL = "section label"
REASON_VIDEO = "video player text"

# --------------------------------------------------------------------------- shapes

# How a text may end, then followed only by closing quotes and brackets.
_CLOSERS = "\"'”’)]"
_SENTENCE_ENDS = (".", "!", "?", "…")
_ELLIPSIS_ENDS = ("…", "...")
_CLAUSE_ENDS = (",", ";", ":")
_QUOTE_ENDS = ('"', "”", "’")  # then only ) and ]
_WORD = re.compile(r"[\w’'-]+")
# _WORD in ASCII text, lower-cased: each ASCII character as itself in lower case if it is
# a word character ([A-Za-z0-9_'-], as \w is [A-Za-z0-9_] there), else as a space.
_ASCII_WORDS = str.maketrans(
    {code: chr(code).lower() if _WORD.fullmatch(chr(code)) else " " for code in range(128)}
)
# Non-ASCII characters common in news text, as ASCII with the same word boundaries: ’ as '
# (both word characters, and ’ is written ' in the words anyway), and punctuation that is
# never part of a word as a space.
_ASCII_STAND_INS = (("’", "'"), *((char, " ") for char in "“”‘—–…«»\u00a0"))

_HEADLINE_MAX_WORDS = 20
_QUESTION_HEADLINE_MAX_WORDS = 16
_TEASER_MAX_WORDS = 60
_TITLE_MAX_WORDS = 30
_STANDFIRST_MAX_WORDS = 45
_STANDFIRST_MIN_WORDS = 4
_SECTION_LABEL_MAX_WORDS = 3
_SHORT_LINE_MAX_WORDS = 30
_REPEAT_MIN_WORDS = 8
_REPEAT_MIN_SHARE = 0.9


def _word_count(text: str) -> int:
    """`len(text.split())`; counted without building the words when single spaces between
    words are its only white space (no other white space character is printable)."""
    if text.isprintable() and "  " not in text and text[:1] != " " and text[-1:] != " ":
        return text.count(" ") + 1 if text else 0
    return len(text.split())


def _collapse_spaces(text: str) -> str:
    return " ".join(text.split())


def _ends_with(text: str, marks: tuple[str, ...], closers: str = _CLOSERS) -> bool:
    """What the regex `(?:marks)[closers]*$` finds, without scanning the whole text: one
    of `marks` (none ends with a closer), then only `closers` up to the end or to a final
    newline."""
    body = text[:-1] if text.endswith("\n") else text
    return body.rstrip(closers).endswith(marks)


def _ends_sentence(text: str) -> bool:
    """True when the text ends like a sentence (., !, ?, … possibly inside quotes)."""
    return _ends_with(text, _SENTENCE_ENDS)


def _is_headline_shaped(text: str) -> bool:
    """A headline or teaser: short and unpunctuated, a short question, or cut off with '…'."""
    words = _word_count(text)
    if _ends_with(text, _ELLIPSIS_ENDS):
        return words <= _TEASER_MAX_WORDS
    if _ends_with(text, _CLAUSE_ENDS):
        return False
    if text.rstrip("\"'”’)]").endswith("?"):
        return words <= _QUESTION_HEADLINE_MAX_WORDS
    if _ends_sentence(text):
        return False
    return words <= _HEADLINE_MAX_WORDS


class _Line:
    """A line as the classifiers see it: what several of them ask is worked out once."""

    __slots__ = ("lowered", "text", "words")

    def __init__(self, text: str) -> None:
        self.text = text
        self.words = _word_count(text)
        self.lowered = text.lower()


def _is_heading_shaped(line: _Line, max_words: int = 8) -> bool:
    return line.words <= max_words and not _ends_sentence(line.text.rstrip(":»>›"))


# --------------------------------------------------------------------------- dates

_MONTHS = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6,
    "jul": 7, "aug": 8, "sep": 9, "oct": 10, "nov": 11, "dec": 12,
}  # fmt: skip
_MONTH = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?"
    r"|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
)
_DAY = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?"
_YEAR = r"(?:19|20)\d\d"
_DATE_FORMS = (
    re.compile(rf"(?P<month>{_MONTH})\s+(?P<day>{_DAY})\b(?:,?\s+(?P<year>{_YEAR})\b)?", re.I),
    re.compile(rf"(?P<day>{_DAY})\s+(?P<month>{_MONTH})(?:,?\s+(?P<year>{_YEAR})\b)?", re.I),
    re.compile(r"(?P<year>(?:19|20)\d\d)-(?P<month>[01]\d)-(?P<day>[0-3]\d)\b"),
    re.compile(r"(?P<day>[0-3]?\d)\.(?P<month>[01]?\d)\.(?P<year>(?:19|20)\d\d)\b"),
)
_WEEKDAY = re.compile(
    r"(?:Mon|Tues?|Wed(?:nes)?|Thu(?:rs?)?|Fri|Sat(?:ur)?|Sun)(?:day)?\.?,?\s+", re.I
)
_TIME_TAIL = re.compile(
    r"(?:\s*(?:,|\||-|–|—|·|at|@)?\s*\d{1,2}(?:[:.]\d\d)?\s*(?:[ap]\.?m\.?)?"
    r"(?:\s*\(?(?:[A-Z]{2,5}|GMT|UTC)(?:\s?[+-]\s?\d{1,2}(?::?\d\d)?)?\)?)?)?\s*\.?",
    re.I,
)
_DATE_LABEL = re.compile(
    r"(?P<label>(?:last\s+)?updated|(?:first\s+)?published|posted|modified|last\s+modified"
    r"|created|date|dated)(?:\s+(?:on|at))?\s*[:|\-–—]?\s*",
    re.I,
)
_DATE_SEPARATOR = re.compile(r"\s+[|·]\s+")
# How a date segment starts: a label, a weekday, a month or a digit.
_DATE_SEGMENT_START = re.compile(
    r"(?:last|updated|first|published|posted|modified|created|date"
    rf"|Mon|Tue|Wed|Thu|Fri|Sat|Sun|{_MONTH}|\d)",
    re.I,
)
_RELATIVE_TIME = re.compile(
    r"(?:\d+|an?|one)\s+(?:second|minute|min|hour|hr|day|week|month)s?\s+ago\.?", re.I
)


def _month_number(token: str) -> int:
    if token.isdigit():
        return int(token)
    return _MONTHS[token.casefold()[:3]]  # (casefold: the pattern matches "ſept" too)


def _date_at(text: str, start: int = 0) -> tuple[PartialDate, int] | None:
    """The calendar date that begins at `start`, and where it ends."""
    for form in _DATE_FORMS:
        found = form.match(text, start)
        if found is None:
            continue
        month = _month_number(found["month"])
        day = int(re.sub(r"\D", "", found["day"]))
        if not 1 <= month <= 12 or not 1 <= day <= 31:
            continue
        year = int(found["year"]) if found["year"] else None
        return PartialDate(month, day, year), found.end()
    return None


@dataclass(frozen=True)
class _DateLine:
    date: PartialDate | None
    is_update: bool


def _date_segments(text: str) -> list[str]:
    """The parts of "Published Oct 20 | Updated Oct 21" (no separator, no split)."""
    parts = _DATE_SEPARATOR.split(text) if "|" in text or "·" in text else [text]
    return [part.strip() for part in parts if part.strip()]


def _date_line(text: str) -> _DateLine | None:
    """A line that is only a (labelled) date and time, e.g. "Updated: Oct 20, 2021, 4:07 PM"."""
    parsed: list[_DateLine] = []
    for segment in _date_segments(text):
        item = _date_segment(segment)
        if item is None:
            return None
        parsed.append(item)
    if not parsed:
        return None
    dated = [item for item in parsed if item.date is not None]
    published = [item for item in dated if not item.is_update]
    return (published or dated or [parsed[0]])[0]


def _date_segment(text: str) -> _DateLine | None:
    if not _DATE_SEGMENT_START.match(text):
        return None
    label = _DATE_LABEL.match(text)
    rest = text[label.end() :] if label else text
    is_update = bool(label and re.search(r"updated|modified", label["label"], re.I))
    if label and _RELATIVE_TIME.fullmatch(rest):
        return _DateLine(None, is_update)
    weekday = _WEEKDAY.match(rest)
    if weekday:
        rest = rest[weekday.end() :]
    found = _date_at(rest)
    if found is None:
        return None
    date, end = found
    if not _TIME_TAIL.fullmatch(rest[end:]):
        return None
    return _DateLine(date, is_update)


def _with_inferred_year(date: PartialDate, reference: PartialDate | None) -> PartialDate:
    """Give a year-less dateline date the year of a dated line found elsewhere in the page."""
    if date.year is not None or reference is None or reference.year is None:
        return date
    # A dateline of late December on a page dated January belongs to the previous year.
    year = reference.year - 1 if date.month > reference.month + 1 else reference.year
    return date.with_year(year)


# --------------------------------------------------------------------------- findings


@dataclass
class _Findings:
    """Metadata found in the debris of one article; the first value found wins."""

    author: str = ""
    place: str = ""
    outlet: str = ""
    published: PartialDate | None = None
    updated: PartialDate | None = None
    dateline_date: PartialDate | None = None

    def offer_author(self, author: str) -> None:
        self.author = self.author or author

    def offer_date_line(self, date_line: _DateLine) -> None:
        if date_line.date is None:
            return
        if date_line.is_update:
            self.updated = self.updated or date_line.date
        else:
            self.published = self.published or date_line.date

    def best_published(self) -> PartialDate | None:
        """Published line, else the dateline (year taken from a dated line), else updated."""
        if self.published is not None:
            return self.published
        if self.dateline_date is not None:
            return _with_inferred_year(self.dateline_date, self.updated)
        return self.updated


@dataclass
class _Verdict:
    """Why a line is debris, and what it tells about the article."""

    reason: str
    author: str = ""
    date_line: _DateLine | None = None
    starts_list: bool = False


# --------------------------------------------------------------------------- line classes

_COMMENT_FORM = re.compile(
    r"(?:leave a (?:reply|comment)(?: to .{1,60})?|(?:post|add|write|submit) a comment"
    r"|(?:\d+\s+)?comments?(?:\s*\(\d+\))?|join the (?:discussion|conversation)"
    r"|your email address will not be published\.?(?:\s*required fields are marked \*)?"
    r"|required fields are marked\s*\*?\.?|cancel reply|save my name, email.*"
    r"|(?:name|e-?mail|website|comment)\s*\*|you must be logged in to post a comment\.?"
    r"|(?:be the first to|log in to|sign in to) comment\.?|comments are closed\.?"
    r"|(?:view|show|hide|read) (?:all )?comments?(?:\s*\(\d+\))?|this site uses akismet.*)",
    re.I,
)
_TRANSLATION_NOTICE = re.compile(
    r"(?:powered by (?:automated|automatic|machine) translation.*"
    r"|(?:this|the) (?:article|story|page|text|content|post|report) (?:was|has been|is|may have"
    r" been) (?:automatically |machine[- ]|auto-)?translated\b.*"
    r"|(?:automatically|machine[- ]|auto-)translated\b.*|(?:automated|machine) translation\b.*"
    r"|translated (?:by|with|using) (?:google|deepl|bing|microsoft|machine|an? (?:automated|ai)"
    r"|ai\b|automatic).*)",
    re.I,
)
_PROMPT_START = re.compile(
    r"^(?:join|follow(?!-)|subscribe|sign[\s-]?up|register|share|download|get|like|click|tap"
    r"|stay (?:informed|updated|connected|up to date)|never miss|don'?t miss|want|receive"
    r"|enter your e-?mail|read or share)\b",
    re.I,
)
_PROMPT_STRONG_START = re.compile(
    r"^(?:subscribe|sign[\s-]?up|register|never miss|don'?t miss|stay|read or share"
    r"|follow us|join us|enter your)\b",
    re.I,
)
_PROMPT_TARGET = re.compile(
    r"\b(?:telegram|whatsapp|signal|newsletters?|channels?|facebook|twitter|instagram|linkedin"
    r"|youtube|tiktok|google\s?news|google\+|apps?|alerts?|notifications?|podcasts?|e-?mails?"
    r"|inbox|updates|rss|feeds?|this (?:story|article|page|post)|x)\b",
    re.I,
)
_PROMPT_CUE = re.compile(
    r"\b(?:our|us|you|your|free|now|here|today|latest|this (?:story|article|page|post))\b", re.I
)
_PROMPT_ANYWHERE = re.compile(
    r"\b(?:follow us on|our (?:newsletters?|telegram|whatsapp|channel|app|podcast)"
    r"|thanks for subscribing|thank you for subscribing|you can unsubscribe at any time"
    r"|click to (?:share|email|print)|opens in (?:a )?new window|tweet with a location"
    r"|add a location to your tweets|as an interest to stay up to date"
    r"|a friend wanted you to see|appears in the .{3,40} issue of .{2,40}\. subscribe)\b",
    re.I,
)
_SHARE_BUTTONS = re.compile(
    r"(?:share|tweet|e-?mail|print|copy link|pin|play|whatsapp|facebook|twitter|linkedin|reddit"
    r"|share (?:this|on)(?: \w+){0,3}:?)(?:\s*[,|/·]?\s*(?:share|tweet|e-?mail|print|copy link"
    r"|pin|whatsapp|facebook|twitter|linkedin|reddit|more))*",
    re.I,
)
_CREDIT_START = re.compile(
    r"^[(\[]?\s*(?:[-–—]+\s*)?(?:(?:additional\s+)?reporting|writing|written|editing|edited"
    r"|compiled|research|graphics|fact-checking|production)\s+by\s",
    re.I,
)
_CREDIT_SEGMENT = re.compile(
    r"(?P<role>(?:additional\s+)?reporting|writing|written|editing|edited|compiled|research"
    r"|graphics|fact-checking|production)\s+by\s+(?P<names>.+)",
    re.I,
)
_CONTRIBUTOR = re.compile(
    r".{2,150}\bcontributed(?: additional)? (?:reporting|to this (?:report|story|article))"
    r"(?: from [A-Z][\w .,]+)?\.?",
)
_NAME_TOKEN = r"(?:[A-Z][\w’'.-]*|(?:van|von|de|der|den|da|di|du|le|la|bin|al|el)(?= [A-Z]))"
_NAME = rf"{_NAME_TOKEN}(?:\s+{_NAME_TOKEN}){{0,3}}"
_BYLINE = re.compile(rf"^By:?\s+(?P<names>{_NAME}(?:\s*(?:,|\band\b|&)\s*{_NAME})*)(?P<rest>.*)$")
_NOT_NAMES = re.compile(
    rf"^(?:{_MONTH}|(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day|The\s+(?:end|time|way)|This|That"
    r"|Then|Now|Late|Early|Last|Next|Noon|Midnight|Contrast|Comparison|Law|Far|Some|Many"
    r"|Most|All|Each|Both)\b",
    re.I,
)
_BYLINE_REST_WORDS = frozenset(
    {
        "in", "on", "at", "and", "for", "the", "of", "via", "with", "staff", "writer", "writers",
        "correspondent", "correspondents", "reporter", "reporters", "editor", "senior", "chief",
        "news", "agency", "updated", "published", "posted",
    }
)  # fmt: skip
_EMPTY_TEMPLATE_START = re.compile(
    r"^(?:by|posted|published|updated|written|author|filed|date|last updated)\b", re.I
)
_EMPTY_TEMPLATE_HOLE = re.compile(
    r"^\w+(?: \w+)?\s*[:.]?\s*$|^by\s*[,.:|]|\b(?:by|on|in|at|under)\s*[,.|]"
    r"|\b(?:by|on|in|at|under)\s*$|:\s*[.,|]?\s*$",
    re.I,
)
_CAPTION_AGENCY = (
    r"(?:AFP|AP|AP Photo|Reuters|REUTERS|EPA|EPA-EFE|Getty Images|Getty|Bloomberg|Xinhua|TASS"
    r"|DPA|dpa|PA|PA Wire|PA Media|ANSA|Anadolu Agency|Anadolu|Sputnik|RIA Novosti|Shutterstock"
    r"|Alamy|AAP|Yonhap|Kyodo|NurPhoto|SOPA Images|ANP|Belga|BELGA|ZUMA Press|Zuma|SIPA|Sipa|UPI"
    r"|IANS|PTI|ANI|Antara|ANTARA|Scanpix|Imago|Handout|HANDOUT|Pool|POOL|File|FILE|Supplied"
    r"|Courtesy(?: of [A-Z][\w .]{1,40})?|Staff Photographer|Staff Photo)"
)
_PHOTO_AGENCY = (
    r"(?:Getty Images|Getty|Shutterstock|Alamy|NurPhoto|SOPA Images|ZUMA Press|Zuma|Imago|Scanpix"
    r"|EPA|EPA-EFE|WireImage|FilmMagic|Invision|Handout|HANDOUT)"
)
_PERSON = r"[A-Z][\w’'.-]*(?:\s[A-Z][\w’'.-]*){0,3}"
_CAPTION_CREDIT = (
    rf"(?:(?:{_PERSON}\s?/\s?)?{_CAPTION_AGENCY}(?:\s?/\s?{_PERSON})*(?:\s+via\s+{_PERSON})?)"
)
# "... more than ever. AFP", "... 2021. REUTERS/Yves Herman", "... ever. Photo: Jane Roe/AP"
_CAPTION_CREDIT_END = re.compile(
    rf"[.!?”\"]\s+(?:(?:Photo|Picture|Credit)s?:\s*)?{_CAPTION_CREDIT}\s*$"
)
# The other caption patterns, each with a piece of text it cannot match without.
_CAPTION_PATTERNS = (
    (
        "/",
        re.compile(r"[.!?”\"]\s+[A-Z]{2,}[A-Z-]*/[A-Z][\w’'.-]*(?:\s[A-Z][\w’'.-]*){0,3}\s*$"),
    ),
    # "(Getty Images)", "(AP Photo/Virginia Mayo)", "(David M Warren / Staff Photographer)";
    # a bare wire name "(Reuters)" is a source tag on a story paragraph, not a photo credit.
    (
        "(",
        re.compile(
            rf"(?:^|[.!?”\"]\s*)\((?:(?:Photo|Image|Picture)s?(?: credit| by)?:?\s*"
            rf"{_CAPTION_CREDIT}|{_PERSON}\s?/\s?{_CAPTION_CREDIT}|{_CAPTION_CREDIT}\s?/\s?"
            rf"{_PERSON}|{_PHOTO_AGENCY}"
            r"|AP Photo[^()]*|File photo|(?:Photo|Image)s?(?: by|:)[^()]{1,60})\)\s*\.?$"
        ),
    ),
    # "Photo: Jane Roe/AP" at the start or after a sentence, "Credit: Rick Loomis / LA Times"
    (
        ":",
        re.compile(
            r"(?:^|[.!?”\"]\s+)(?:Photo|Photograph|Picture|Pictured|Image|Credit|Photo credit"
            r"|Image credit|Caption)s?\s*:\s*(?:\b[A-Z]\.|[^.!?]){1,80}$"
        ),
    ),
    (
        "",
        re.compile(
            r"^(?:(?i:Image copyright|Image caption|Photo caption|FILE PHOTO:|File photo\b"
            r"|Photos?$|Image$|(?:Enlarge this image\s*)?(?:i\s*)*toggle caption\b"
            r"|Media caption\b)"
            r"|\d+ of \d+\.?\s"  # gallery captions "1 of 6. The camp is seen ..."
            r"|Photograph(?:ed)? by [A-Z][\w .'-]{1,60}$)"
        ),
    ),
)
_CAPTION_MAX_WORDS = 60
_VIDEO_PLAYER = re.compile(
    r"(?:^CLOSE [A-Z]|^Embed\b|\bautoplay\b|media playback is unsupported|enable javascript to"
    r" (?:watch|view|play)|your browser does not support|^replay\b|^play video\b)",
    re.I,
)
_NAVIGATION_PHRASES = frozenset(
    {
        "all news", "home", "homepage", "back to top", "skip to content", "skip to main content",
        "menu", "main menu", "search", "previous article", "next article", "previous story",
        "next story", "previous", "next", "back", "close", "open menu", "toggle navigation",
        "sign in", "log in", "watch", "listen", "listen to this article", "play", "video",
        "photos", "gallery", "view gallery", "continue reading", "read full article",
        "read the full story", "full story", "breaking news", "news", "world news",
        "all stories", "load more", "show more", "see more", "more", "read more", "expand",
        "collapse", "enlarge this image", "toggle caption", "hide caption", "font size",
        "text size", "print this page", "email this page",
    }
)  # fmt: skip
_ADVERT = re.compile(
    r"(?:advertisement|advertising|ad|sponsored(?: content)?|paid content|promoted"
    r"|story continues below(?: advertisement)?|scroll to continue(?: with content)?"
    r"|(?:photo )?advertisement continue reading the main story|continue reading below"
    r"|article continues below(?: advertisement)?)\.?",
    re.I,
)
_CRUMB = r"[A-Za-z][\w’'&.-]*(?: [\w’'&.-]+){0,3}"
_BREADCRUMB = re.compile(rf"{_CRUMB}(?:\s*[>»›/|]\s*{_CRUMB}){{2,}}")
_CRUMB_SEPARATOR = re.compile(r"[>»›/|]")  # a breadcrumb has two or more
_BARE_LINK = re.compile(r"(?:https?://|www\.)\S+", re.I)
_COPYRIGHT = re.compile(
    r"^(?:©|\(c\)\s|copyright\b).{0,160}$|.{0,160}\ball rights reserved\b.{0,160}"
    r"|this material may not be published, broadcast, rewritten,? or redistributed\.?",
    re.I,
)
_WIDGET_HEADING = re.compile(
    r"(?:recommended(?: (?:articles?|stories|reading|for you|videos?|links))?"
    r"|related(?: (?:articles?|stories|news|content|coverage|topics|posts|links?|reading|videos?"
    r"|stories on .{1,30}))?"
    r"|read (?:more|also|next)(?: (?:on|about|from) .{1,40})?|also read|see also"
    r"|further reading|what to read next|up next|next up|full coverage|next in .{1,30}"
    r"|check (?:also|this out)|others? (?:also )?read|(?:people|readers) also (?:read|viewed)"
    r"|more (?:from|on|in|about) .{1,40}"
    r"|more (?:news|stories|articles|headlines|videos)(?: .{1,30})?"
    r"|most (?:read|popular|viewed|shared|commented|recent)(?: .{1,30})?"
    r"|(?:you|we think you) (?:may|might|will|would) (?:also )?(?:like|enjoy|be interested in)"
    r"|top (?:stories|news|headlines|picks)|trending(?: now| stories| news| topics)?"
    r"|latest (?:news|stories|headlines|articles|videos)(?: .{1,30})?|editor'?s'? picks?"
    r"|popular(?: now| stories| articles| posts)?|in other news|in case you missed it"
    r"|suggested (?:articles|reading|stories)|sponsored (?:stories|content|links)"
    r"|around the web|from the web|more stories)\s*[:»>›]?",
    re.I,
)
_INLINE_RELATED = re.compile(
    r"^(?:read more(?: about| on| from)?|read also|also read|related(?: \w+)?|see also"
    r"|recommended|watch|listen"
    r"|photos?|videos?|gallery|more|full coverage|update|must read)\s*[:|»>›]\s*(?P<rest>.+)$",
    re.I,
)
_SIGNOFF_CODE = (
    r"(?:\[[a-z]{1,4}(?:/[a-z]{1,4})+\]|\((?:[Ee]nds?|END|ENDS)\)|-{1,3}\s*ENDS?\s*-{1,3}"
    r"|#{3}|-30-|\bENDS\b\.?)"
)
_SIGNOFF_TAIL = re.compile(rf"(?<=[.!?\"”’)\]])\s*(?P<code>{_SIGNOFF_CODE})\s*$")
# How a sign-off code ends: a text ending otherwise (before white space) has none.
_SIGNOFF_CODE_ENDS = ("]", ")", "-", "#", "ENDS", "ENDS.")
# A line that is only a sign-off code, or a reporter's sign-off "-- Jane Roe in Brussels".
_SIGNOFF_LINE = re.compile(
    rf"{_SIGNOFF_CODE}|^[-–—]{{1,2}}\s*{_NAME}(?:\s*(?:,|\band\b)\s*{_NAME})*"
    r"(?:\s+(?:in|at) [A-Z][\w .]{1,40})?$"
)
_FIELD = re.compile(r"^(?P<key>[A-Z][\w’'-]*(?: [\w’'-]+){0,3})\s*:\s*(?P<value>.*)$")
_FIELD_VALUE_MAX_WORDS = 4
_FIELD_VALUE_MAX_CHARS = 40


def _is_field_shaped(text: str) -> bool:
    """A short `Key: value` line such as "User Status:" or "Campaign ID: 46"."""
    found = _FIELD.match(text) if ":" in text else None
    if found is None:
        return False
    value = found["value"].strip()
    return (
        _word_count(value) <= _FIELD_VALUE_MAX_WORDS
        and len(value) <= _FIELD_VALUE_MAX_CHARS
        and not _ends_sentence(value)
    )


@dataclass(frozen=True)
class _Cues:
    """Pieces of text that every match of a case-insensitive pattern contains: when the
    lower-cased line holds none of them the pattern cannot match, and is not run.

    Under re.IGNORECASE an ASCII letter other than i and s matches only itself in either
    case, and both lower-case to it (i also matches ı and İ, s matches ſ), digits and
    signs match only themselves: a cue made of those is in `text.lower()` wherever the
    pattern matches.  So cues never contain i or s (the tests check it).
    """

    starts: tuple[str, ...] = ()  # for alternatives anchored at the start
    anywhere: tuple[str, ...] = ()

    def found_in(self, line: _Line) -> bool:
        lowered = line.lowered
        return lowered.startswith(self.starts) or any(map(lowered.__contains__, self.anywhere))


_PROMPT_ANYWHERE_CUES = _Cues(
    anywhere=(
        "follow u", "our ne", "our te", "our wh", "our ch", "our ap", "our po", "thank",
        "you can un", "ck to ", "new w", "tweet w", "add a loc", "up to date", "wanted you",
        "appear",
    )
)  # fmt: skip
_VIDEO_CUES = _Cues(
    starts=("clo", "embed", "replay", "play v"),
    anywhere=("autoplay", "playback", "enable java", "your brow"),
)
_COPYRIGHT_CUES = _Cues(starts=("©", "(c)", "copyr"), anywhere=("all r", "mater"))
# A date line holds a date (always with an ASCII digit) or says "... ago".
_ASCII_DIGIT = re.compile(r"[0-9]")
_RELATIVE_TIME_CUES = _Cues(anywhere=("ago",))
_NAVIGATION_MAX_CHARS = max(len(phrase) for phrase in _NAVIGATION_PHRASES)


def _comment_form(line: _Line) -> _Verdict | None:
    return _Verdict(REASON_COMMENTS) if _COMMENT_FORM.fullmatch(line.text) else None


def _translation_notice(line: _Line) -> _Verdict | None:
    if line.words <= 25 and _TRANSLATION_NOTICE.fullmatch(line.text):
        return _Verdict(REASON_TRANSLATION)
    return None


def _social_prompt(line: _Line) -> _Verdict | None:
    text = line.text
    if line.words > _SHORT_LINE_MAX_WORDS + 20:
        return None
    if _SHARE_BUTTONS.fullmatch(text) or (
        _PROMPT_ANYWHERE_CUES.found_in(line) and _PROMPT_ANYWHERE.search(text)
    ):
        return _Verdict(REASON_PROMPT)
    if line.words > _SHORT_LINE_MAX_WORDS or not _PROMPT_START.match(text):
        return None
    if not _PROMPT_TARGET.search(text):
        return None
    if _PROMPT_STRONG_START.match(text) or _PROMPT_CUE.search(text):
        return _Verdict(REASON_PROMPT)
    return None


def _names_in(text: str) -> list[str]:
    """Names in "Robin Emmott in Brussels and Jane Roe" -> ["Robin Emmott", "Jane Roe"]."""
    names = []
    for part in re.split(r",|\band\b|&|/", text):
        name = re.sub(r"\s+(?:in|at|from)\s+[A-Z].*$", "", part.strip(" .)(]"))
        if name and name[0].isupper() and _word_count(name) <= 4:
            names.append(_collapse_spaces(name))
    return names


def _reporting_credit(line: _Line) -> _Verdict | None:
    """ "(Reporting by A; Editing by B)": reporters, then writers, become the author."""
    if line.words > 50 or not _CREDIT_START.match(line.text):
        return None
    inner = line.text.strip().strip("()[]").lstrip("-–— ")
    reporters: list[str] = []
    writers: list[str] = []
    for segment in inner.split(";"):
        found = _CREDIT_SEGMENT.match(segment.strip())
        if found is None:
            continue
        role = found["role"].lower()
        if role == "reporting":
            reporters += _names_in(found["names"])
        elif role in ("writing", "written"):
            writers += _names_in(found["names"])
    authors = list(dict.fromkeys(reporters + writers))
    return _Verdict(REASON_CREDIT, author=", ".join(authors))


def _contributor_credit(line: _Line) -> _Verdict | None:
    text = line.text
    if line.words <= 25 and "contributed" in text and _CONTRIBUTOR.fullmatch(text):
        return _Verdict(REASON_CONTRIBUTOR)
    return None


def _byline(line: _Line) -> _Verdict | None:
    """ "By Jane Doe, Reuters | Oct 20, 2021" -> author; "By , in World on ." -> template."""
    if line.words > 16:
        return None
    text = line.text
    found = _BYLINE.match(text)
    if found and not _NOT_NAMES.match(found["names"]) and _is_byline_rest(found["rest"]):
        names = _names_in(found["names"].split("/")[0])
        author = ", ".join(name.title() if name.isupper() else name for name in names)
        return _Verdict(REASON_BYLINE, author=author, date_line=_date_in(found["rest"]))
    if (
        _EMPTY_TEMPLATE_START.match(text)
        and _EMPTY_TEMPLATE_HOLE.search(text)
        and not re.search(r"\d", text)
        and not _ends_sentence(text.rstrip(". "))
    ):
        return _Verdict(REASON_EMPTY_BYLINE)
    return None


def _date_in(text: str) -> _DateLine | None:
    for index in range(len(text)):
        if index == 0 or not text[index - 1].isalnum():
            found = _date_at(text, index)
            if found is not None:
                return _DateLine(found[0], is_update=False)
    return None


def _is_byline_rest(rest: str) -> bool:
    """What may follow the names of a byline: outlet, section, date, separators."""
    for word in _WORD.findall(rest):
        if word[0].isupper() or word[0].isdigit() or word.lower() in _BYLINE_REST_WORDS:
            continue
        if re.fullmatch(r"\d{1,2}(?::\d\d)?(?:am|pm)?", word, re.I):
            continue
        return False
    return not re.search(r"[.!?]\s+[A-Z]", rest)


def _date_line_verdict(line: _Line) -> _Verdict | None:
    if not _ASCII_DIGIT.search(line.text) and not _RELATIVE_TIME_CUES.found_in(line):
        return None
    date_line = _date_line(line.text)
    if date_line is None:
        return None
    return _Verdict(REASON_DATE_LINE, date_line=date_line)


def _may_end_with_credit(text: str) -> bool:
    """False when `_CAPTION_CREDIT_END` cannot match.  A credit ends with a capitalised
    name or agency word (or "dpa"), after white space or "/" (or after "Photo:" and the
    like, which is capitalised too), unless it is a "Courtesy of ..." credit."""
    chunks = text.rsplit(maxsplit=1)
    last = chunks[-1].rsplit("/", 1)[-1] if chunks else ""
    return "A" <= last[:1] <= "Z" or last == "dpa" or "Courtesy" in text


def _photo_caption(line: _Line) -> _Verdict | None:
    if line.words > _CAPTION_MAX_WORDS:
        return None
    text = line.text
    if _may_end_with_credit(text) and _CAPTION_CREDIT_END.search(text):
        return _Verdict(REASON_CAPTION)
    for needed, pattern in _CAPTION_PATTERNS:
        if needed in text and pattern.search(text):
            return _Verdict(REASON_CAPTION)
    return None


def _video_player(line: _Line) -> _Verdict | None:
    if (
        line.words <= _CAPTION_MAX_WORDS
        and _VIDEO_CUES.found_in(line)
        and _VIDEO_PLAYER.search(line.text)
    ):
        return _Verdict(REASON_VIDEO)
    return None


def _navigation(line: _Line) -> _Verdict | None:
    text = line.text
    plain = text.strip(" >»›|·•")
    # Lower-casing never shortens a text: a longer line is no navigation phrase.
    if len(plain) <= _NAVIGATION_MAX_CHARS and plain.lower() in _NAVIGATION_PHRASES:
        return _Verdict(REASON_NAVIGATION)
    stripped = text.strip()
    if _ADVERT.fullmatch(stripped):
        return _Verdict(REASON_ADVERT)
    if _BARE_LINK.fullmatch(stripped):
        return _Verdict(REASON_NAVIGATION)
    if (
        not _ends_sentence(text)
        and len(_CRUMB_SEPARATOR.findall(text)) >= 2
        and _BREADCRUMB.fullmatch(text)
    ):
        return _Verdict(REASON_NAVIGATION)
    return None


def _copyright(line: _Line) -> _Verdict | None:
    if line.words <= 40 and _COPYRIGHT_CUES.found_in(line) and _COPYRIGHT.fullmatch(line.text):
        return _Verdict(REASON_COPYRIGHT)
    return None


def _widget_heading(line: _Line) -> _Verdict | None:
    text = line.text
    if _is_heading_shaped(line) and _WIDGET_HEADING.fullmatch(text):
        return _Verdict(REASON_RELATED, starts_list=True)
    found = _INLINE_RELATED.match(text)
    if found and _is_headline_shaped(found["rest"]):
        return _Verdict(REASON_RELATED_LINK)
    return None


def _signoff_line(line: _Line) -> _Verdict | None:
    if _SIGNOFF_LINE.fullmatch(line.text):
        return _Verdict(REASON_SIGNOFF)
    return None


# Most specific first: a comment-form line is also headline-shaped, a credit is also short.
_LINE_CLASSIFIERS = (
    _comment_form,
    _translation_notice,
    _reporting_credit,
    _contributor_credit,
    _copyright,
    _social_prompt,
    _byline,
    _date_line_verdict,
    _photo_caption,
    _video_player,
    _navigation,
    _widget_heading,
    _signoff_line,
)


def _line_verdict(text: str) -> _Verdict | None:
    """Why this line, on its own, is debris; None when it may be story text."""
    line = _Line(text)
    for classify in _LINE_CLASSIFIERS:
        verdict = classify(line)
        if verdict is not None:
            return verdict
    return None


class _LineVerdicts:
    """`_line_verdict` of each distinct text, worked out once per article."""

    def __init__(self) -> None:
        self._known: dict[str, _Verdict | None] = {}

    def of(self, text: str) -> _Verdict | None:
        if text not in self._known:
            self._known[text] = _article_line_verdict(text)
        return self._known[text]


def _article_line_verdict(text: str) -> _Verdict | None:
    """`_line_verdict(text)` for one article: a verdict that carries only its reason is
    shared by every article holding the line; one with an author or a date line is made
    anew, so that no article shares those strings with another (as before any caching)."""
    verdict = _shared_line_verdict(text)
    if verdict is not None and (verdict.author or verdict.date_line is not None):
        return _line_verdict(text)
    return verdict


@lru_cache(maxsize=1 << 15)
def _shared_line_verdict(text: str) -> _Verdict | None:
    """`_line_verdict`, once per line text in a process (syndicated copy and a site's
    boilerplate repeat the same lines across articles)."""
    return _line_verdict(text)


# --------------------------------------------------------------------------- units


class _Unit(NamedTuple):
    """One line (or hard-wrapped run of lines) of the body; `group` is its paragraph."""

    line: int
    text: str
    kind: str
    group: int


def _continues_previous(previous: _Unit, current: _Unit, previous_last_line: int) -> bool:
    """A hard wrap: the previous line ends mid-sentence and this one starts in lowercase."""
    plain_lines = previous.kind == current.kind == "line"
    return (
        current.line == previous_last_line + 1
        and (plain_lines or current.group == previous.group)
        and not _ends_sentence(previous.text)
        and not _ends_with(previous.text, _QUOTE_ENDS, ")]")
        and current.text[:1].islower()
    )


def _units_from_blocks(blocks: tuple[Block, ...]) -> list[_Unit]:
    """One unit per line (hard wraps joined); all lines of a Markdown block share its group."""
    pieces = [
        _Unit(block.line + offset, _collapse_spaces(text), block.kind, group)
        for group, block in enumerate(blocks)
        for offset, text in enumerate(block.text.splitlines())
        if text.strip()
    ]
    units: list[_Unit] = []
    last_line = -1
    for piece in pieces:
        if units and _continues_previous(units[-1], piece, last_line):
            units[-1] = units[-1]._replace(text=f"{units[-1].text} {piece.text}")
        else:
            units.append(piece)
        last_line = piece.line
    return units


# --------------------------------------------------------------------------- title


def _take_title(
    raw: RawArticle,
    units: list[_Unit],
    verdicts: _LineVerdicts,
    findings: _Findings,
    dropped: list[DroppedLine],
) -> tuple[str, list[_Unit]]:
    """The headline: front matter, else the first non-debris line (txt) or heading (md)."""
    index = 0
    while index < len(units) and verdicts.of(units[index].text) is not None:
        index += 1
    if index == len(units):
        return raw.meta.title, units
    candidate = units[index]
    if raw.meta.title:
        if _normalized_words(candidate.text) == _normalized_words(raw.meta.title):
            dropped.append(DroppedLine(candidate.line, candidate.text, REASON_REPEATS_TITLE))
            return raw.meta.title, units[:index] + units[index + 1 :]
        return raw.meta.title, units
    if not _is_title_candidate(raw.kind, candidate):
        return "", units
    _drop_leading_debris(units[:index], verdicts, findings, dropped)
    return candidate.text, units[index + 1 :]


def _is_title_candidate(kind: str, unit: _Unit) -> bool:
    """A headline is short and does not end with a full stop; md titles are headings."""
    if kind == "md":
        return unit.kind == "heading"
    return (
        _word_count(unit.text) <= _TITLE_MAX_WORDS
        and not re.search(r"[.…,;:][\"'”’)\]]*$", unit.text)
        and _dateline_at(unit.text) is None
    )


def _drop_leading_debris(
    units: list[_Unit], verdicts: _LineVerdicts, findings: _Findings, dropped: list[DroppedLine]
) -> None:
    for unit in units:
        verdict = verdicts.of(unit.text)
        if verdict is not None:
            _record(unit, verdict, findings, dropped)


# --------------------------------------------------------------------------- debris pass


def _record(
    unit: _Unit, verdict: _Verdict, findings: _Findings, dropped: list[DroppedLine]
) -> None:
    dropped.append(DroppedLine(unit.line, unit.text, verdict.reason))
    if verdict.author:
        findings.offer_author(verdict.author)
    if verdict.date_line is not None:
        findings.offer_date_line(verdict.date_line)


def _field_run_lines(units: list[_Unit]) -> set[int]:
    """Lines of runs of two or more adjacent `Key: value` lines (paywall/tracking fields)."""
    in_runs: set[int] = set()
    run: list[_Unit] = []
    for unit in [*units, None]:
        if unit is not None and _is_field_shaped(unit.text):
            if run and unit.line != run[-1].line + 1:
                in_runs.update(u.line for u in run if len(run) >= 2)
                run = []
            run.append(unit)
            continue
        if len(run) >= 2:
            in_runs.update(u.line for u in run)
        run = []
    return in_runs


def _drop_debris(
    units: list[_Unit], verdicts: _LineVerdicts, findings: _Findings, dropped: list[DroppedLine]
) -> list[_Unit]:
    """Keep the units that are not debris; a widget heading drops the headlines after it."""
    field_lines = _field_run_lines(units)
    kept: list[_Unit] = []
    in_list = False
    for unit in units:
        verdict = verdicts.of(unit.text)
        if verdict is None and unit.line in field_lines:
            verdict = _Verdict(REASON_FIELDS)
        if verdict is None and in_list and _is_headline_shaped(unit.text):
            verdict = _Verdict(REASON_RELATED)
        if verdict is None:
            in_list = False
            kept.append(unit)
            continue
        in_list = in_list or verdict.starts_list
        _record(unit, verdict, findings, dropped)
    return kept


def _paragraphs_from_units(units: list[_Unit]) -> list[Block]:
    paragraphs: list[Block] = []
    groups: list[int] = []
    for unit in units:
        if groups and groups[-1] == unit.group:
            last = paragraphs[-1]
            paragraphs[-1] = replace(last, text=f"{last.text} {unit.text}")
        else:
            paragraphs.append(Block(unit.line, unit.text, unit.kind))
            groups.append(unit.group)
    return paragraphs


# --------------------------------------------------------------------------- standfirst


def _drop_section_labels(paragraphs: list[Block], dropped: list[DroppedLine]) -> list[Block]:
    """One- to three-word labels ("World", "Analysis") before the first story paragraph."""
    kept = list(paragraphs)
    while len(kept) > 1 and _is_section_label(kept[0].text):
        dropped.append(DroppedLine(kept[0].line, kept[0].text, REASON_SECTION_LABEL))
        kept.pop(0)
    return kept


def _is_section_label(text: str) -> bool:
    return _word_count(text) <= _SECTION_LABEL_MAX_WORDS and not _ends_sentence(text)


def _take_standfirst(paragraphs: list[Block]) -> tuple[Block | None, list[Block]]:
    """A sub-headline right after the title: short, unpunctuated, and followed by the body."""
    if len(paragraphs) < 2:
        return None, paragraphs
    first = paragraphs[0]
    words = _word_count(first.text)
    if (
        _STANDFIRST_MIN_WORDS <= words <= _STANDFIRST_MAX_WORDS
        and not _ends_sentence(first.text)
        and not _ends_with(first.text, _CLAUSE_ENDS)
        and not _ends_with(first.text, _QUOTE_ENDS, ")]")
        and _dateline_at(first.text) is None
    ):
        return first, paragraphs[1:]
    return None, paragraphs


# --------------------------------------------------------------------------- dateline

_PLACE_CAPS = r"[A-Z][A-Z.'’-]+(?:\s+[A-Z][A-Z.'’-]+){0,3}"
_PLACE_TITLE = r"[A-Z][a-z.'’-]+(?:\s+[A-Z][a-z.'’-]+){0,2}"
_REGION = r"(?:,\s*(?P<region>[A-Z][A-Za-z.]+(?:\s+[A-Z][A-Za-z.]+){0,2}))?"
_DASH = r"\s*(?:-{1,2}|–|—)\s*"
_DATELINE_OUTLET_SLASHED = re.compile(
    rf"^(?P<place>{_PLACE_CAPS}|{_PLACE_TITLE}){_REGION},\s*(?P<date>[^/]{{3,24}}?)\.?\s*"
    r"/(?P<outlet>[A-Za-z][\w .&-]{0,20})/\.?\s*"
)
_DATELINE_OUTLET_PAREN = re.compile(
    rf"^(?P<place>{_PLACE_CAPS}|{_PLACE_TITLE}){_REGION}(?:,\s*(?P<date>[^()]{{3,24}}?))?\s*"
    rf"\((?P<outlet>[A-Z][\w .&'-]{{0,30}})\){_DASH}"
)
_DATELINE_DATED = re.compile(
    rf"^(?P<place>{_PLACE_CAPS}|{_PLACE_TITLE}){_REGION},\s*(?P<date>[^,—–]{{3,24}}?)\.?{_DASH}"
)
_DATELINE_PLACE_ONLY = re.compile(rf"^(?P<place>{_PLACE_CAPS}){_REGION}\s*(?:--|–|—)\s*")
_DATELINE_PLACE_MIN_LETTERS = 5


@dataclass(frozen=True)
class _Dateline:
    text: str
    place: str
    outlet: str
    date: PartialDate | None


def _dateline_at(text: str) -> _Dateline | None:
    """`BRUSSELS (Reuters) - `, `BRUSSELS, October 18. /TASS/. `, `BRUSSELS, Oct 21 — `."""
    for pattern in (_DATELINE_OUTLET_SLASHED, _DATELINE_OUTLET_PAREN, _DATELINE_DATED):
        found = pattern.match(text)
        if found is None:
            continue
        date_text = found.groupdict().get("date")
        date = _dateline_date(date_text) if date_text else None
        if date_text and date is None:
            continue
        return _Dateline(
            found.group(0), _place_name(found), found.groupdict().get("outlet") or "", date
        )
    found = _DATELINE_PLACE_ONLY.match(text)
    if found and len(re.sub(r"\W", "", found["place"])) >= _DATELINE_PLACE_MIN_LETTERS:
        return _Dateline(found.group(0), _place_name(found), "", None)
    return None


def _dateline_date(text: str) -> PartialDate | None:
    found = _date_at(text.strip())
    if found is None or not _TIME_TAIL.fullmatch(text.strip()[found[1] :]):
        return None
    return found[0]


def _place_name(found: re.Match[str]) -> str:
    """ "BRUSSELS" -> "Brussels"; "KYIV, Ukraine" kept whole; a weekday ("MONDAY") is no place."""
    place = found["place"].strip()
    if _WEEKDAY.fullmatch(f"{place} "):
        return ""
    place = place.title() if place.isupper() else place
    region = found["region"]
    return f"{place}, {region}" if region else place


def _strip_dateline(
    paragraphs: list[Block], findings: _Findings, dropped: list[DroppedLine]
) -> list[Block]:
    if not paragraphs:
        return paragraphs
    first = paragraphs[0]
    dateline = _dateline_at(first.text)
    if dateline is None or not first.text[len(dateline.text) :].strip():
        return paragraphs
    dropped.append(DroppedLine(first.line, dateline.text.strip(), REASON_DATELINE))
    findings.place = findings.place or dateline.place
    findings.outlet = findings.outlet or dateline.outlet
    findings.dateline_date = dateline.date
    rest = first.text[len(dateline.text) :].strip()
    return [replace(first, text=rest), *paragraphs[1:]]


# --------------------------------------------------------------------------- sign-offs


def _strip_signoffs(paragraphs: list[Block], dropped: list[DroppedLine]) -> list[Block]:
    """Remove wire sign-off codes ("[em/lt]", "(ends)", "###") from paragraph ends."""
    cleaned = []
    for paragraph in paragraphs:
        text = paragraph.text
        ends_like_code = text.rstrip().endswith(_SIGNOFF_CODE_ENDS)
        found = _SIGNOFF_TAIL.search(text) if ends_like_code else None
        if found is None:
            cleaned.append(paragraph)
            continue
        dropped.append(DroppedLine(paragraph.line, found["code"], REASON_SIGNOFF))
        cleaned.append(replace(paragraph, text=paragraph.text[: found.start()].rstrip()))
    return cleaned


# --------------------------------------------------------------------------- repeats


def _normalized_words(text: str) -> list[str]:
    """Lower-cased words with ’ as '.  Text made ASCII (`_ASCII_STAND_INS`) is translated
    (`_ASCII_WORDS`).  Other text's words are lower-cased in one call, joined by spaces:
    a space is neither cased nor case-ignorable, so each word lowers as it would alone
    (Greek final sigma included), and no lower-case form contains a space."""
    plain = text
    for char, stand_in in _ASCII_STAND_INS:
        if plain.isascii():
            break
        plain = plain.replace(char, stand_in)
    if plain.isascii():
        return plain.translate(_ASCII_WORDS).split()
    joined = " ".join(_WORD.findall(text))
    return joined.lower().replace("’", "'").split(" ") if joined else []


class _Words(NamedTuple):
    """A text's normalized words and their set, computed once per paragraph."""

    words: list[str]
    distinct: frozenset[str]

    @classmethod
    def of(cls, text: str) -> _Words:
        words = _normalized_words(text)
        return cls(words, frozenset(words))


def _is_repeated(short: _Words, long: _Words) -> bool:
    """True when (nearly) all words of `short` appear, in order, inside `long`."""
    if len(short.words) < _REPEAT_MIN_WORDS or len(long.words) < len(short.words):
        return False
    missing = len(short.distinct) - len(short.distinct & long.distinct)  # |short - long|
    if missing > len(short.words) * (1 - _REPEAT_MIN_SHARE):
        return False
    # The words matched in order cannot outnumber the words both texts hold.
    shared = sum((Counter(short.words) & Counter(long.words)).values())
    if shared < _REPEAT_MIN_SHARE * len(short.words):
        return False
    matcher = difflib.SequenceMatcher(None, short.words, long.words, autojunk=False)
    matched = sum(block.size for block in matcher.get_matching_blocks())
    return matched >= _REPEAT_MIN_SHARE * len(short.words)


def _is_repeated_in_any(short: _Words, others: list[_Words]) -> bool:
    count = len(short.words)
    return count >= _REPEAT_MIN_WORDS and any(
        _is_repeated(short, other) for other in others if len(other.words) >= count
    )


def _drop_repeats(
    standfirst: Block | None, paragraphs: list[Block], dropped: list[DroppedLine]
) -> tuple[Block | None, list[Block]]:
    """Drop a standfirst or paragraph whose text a later paragraph repeats."""
    words = [_Words.of(paragraph.text) for paragraph in paragraphs]
    if standfirst is not None and _is_repeated_in_any(_Words.of(standfirst.text), words):
        dropped.append(DroppedLine(standfirst.line, standfirst.text, REASON_REPEATS_LATER))
        standfirst = None
    kept = []
    for position, paragraph in enumerate(paragraphs):
        if _is_repeated_in_any(words[position], words[position + 1 :]):
            dropped.append(DroppedLine(paragraph.line, paragraph.text, REASON_REPEATS_LATER))
        else:
            kept.append(paragraph)
    return standfirst, kept


# --------------------------------------------------------------------------- public API


def blocks_from_text(text: str) -> tuple[Block, ...]:
    """One "line" Block per non-blank line of a plain-text article (1-based line numbers)."""
    stripped = (line.strip().lstrip("\ufeff").strip() for line in text.splitlines())
    return tuple(Block(number, line, "line") for number, line in enumerate(stripped, 1) if line)


def clean_article(raw: RawArticle) -> CleanArticle:
    """Title, standfirst and story paragraphs of `raw`, without debris; meta completed."""
    findings = _Findings()
    dropped: list[DroppedLine] = []
    units = _units_from_blocks(raw.blocks)
    verdicts = _LineVerdicts()
    title, units = _take_title(raw, units, verdicts, findings, dropped)
    kept_units = _drop_debris(units, verdicts, findings, dropped)
    paragraphs = _drop_section_labels(_paragraphs_from_units(kept_units), dropped)
    standfirst, paragraphs = _take_standfirst(paragraphs)
    paragraphs = _strip_dateline(paragraphs, findings, dropped)
    paragraphs = _strip_signoffs(paragraphs, dropped)
    standfirst, paragraphs = _drop_repeats(standfirst, paragraphs, dropped)
    paragraphs = [p for p in paragraphs if p.text]
    meta = _completed_meta(raw.meta, findings, title, standfirst)
    dropped.sort(key=lambda item: item.line)
    return CleanArticle(meta=meta, paragraphs=tuple(paragraphs), dropped=tuple(dropped))


def _completed_meta(
    meta: ArticleMeta, findings: _Findings, title: str, standfirst: Block | None
) -> ArticleMeta:
    """Front-matter values win; the cleaner only fills what is empty."""
    return replace(
        meta,
        title=meta.title or title,
        author=meta.author or findings.author,
        place=meta.place or findings.place,
        outlet=meta.outlet or findings.outlet,
        published=meta.published or findings.best_published(),
        standfirst=meta.standfirst or (standfirst.text if standfirst else ""),
    )
