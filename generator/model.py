"""The plain, frozen values that flow from one build stage to the next.

load -> RawArticle; clean -> CleanArticle; split -> Sentence; summarize -> indices;
merge/facts -> Briefing.  Nothing here knows about files, HTML or sumy.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field


@dataclass(frozen=True)
class PartialDate:
    """A calendar date whose year may be unknown (datelines such as "Oct 21")."""

    month: int
    day: int
    year: int | None = None

    def iso(self) -> str:
        """`2021-10-21`, or `--10-21` (ISO 8601 without year) when the year is unknown."""
        if self.year is None:
            return f"--{self.month:02d}-{self.day:02d}"
        return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"

    def to_date(self) -> dt.date | None:
        if self.year is None:
            return None
        try:
            return dt.date(self.year, self.month, self.day)
        except ValueError:
            return None

    def human(self) -> str:
        """`20 Oct 2021`, or `20 Oct` without a year."""
        month_name = dt.date(2000, self.month, 1).strftime("%b")
        text = f"{self.day} {month_name}"
        return f"{text} {self.year}" if self.year is not None else text

    def with_year(self, year: int) -> PartialDate:
        return PartialDate(self.month, self.day, year)

    @classmethod
    def from_date(cls, value: dt.date) -> PartialDate:
        return cls(value.month, value.day, value.year)


@dataclass(frozen=True)
class Block:
    """One unit of an article's body: a line of pasted text or a Markdown paragraph.

    `line` is the 1-based line in the source file where the block starts.
    `kind` is "line" (plain text), "paragraph" or "heading" (Markdown).
    """

    line: int
    text: str
    kind: str = "line"


@dataclass(frozen=True)
class ArticleMeta:
    """What is known about an article besides its text; empty string = unknown."""

    title: str = ""
    outlet: str = ""
    url: str = ""
    published: PartialDate | None = None
    author: str = ""
    language: str = ""
    place: str = ""
    standfirst: str = ""


@dataclass(frozen=True)
class RawArticle:
    """An article as read from disk: metadata from front matter, body as blocks."""

    path: str  # path as shown to the user (relative to the content folder's parent)
    file_name: str  # e.g. "reuters.txt"
    kind: str  # "md" or "txt"
    meta: ArticleMeta
    blocks: tuple[Block, ...]
    digest: str  # sha256 of the file's bytes


@dataclass(frozen=True)
class DroppedLine:
    """A piece of text the cleaner removed, where it was and why."""

    line: int
    text: str
    reason: str


@dataclass(frozen=True)
class CleanArticle:
    """An article after debris removal; `meta` is completed from datelines and credits."""

    meta: ArticleMeta
    paragraphs: tuple[Block, ...]
    dropped: tuple[DroppedLine, ...]


@dataclass(frozen=True)
class Sentence:
    """One sentence of an article; `index` is its position in the whole article."""

    text: str
    index: int
    paragraph: int
    line: int


@dataclass(frozen=True)
class ProcessedArticle:
    """Everything the per-article stages produce; cached by content hash."""

    source_id: str  # stable id within its briefing, e.g. "reuters"
    path: str
    meta: ArticleMeta
    paragraphs: tuple[Block, ...]
    dropped: tuple[DroppedLine, ...]
    sentences: tuple[Sentence, ...]
    summary: tuple[int, ...]  # indices into `sentences`, in original order

    @property
    def display_outlet(self) -> str:
        return self.meta.outlet or self.source_id


@dataclass(frozen=True)
class SentenceRef:
    """Where a statement is made: a source and the index of its sentence."""

    source_id: str
    sentence: int


@dataclass(frozen=True)
class LeadSentence:
    """A sentence of the briefing's lead, credited to every source that reports it."""

    text: str
    sources: tuple[str, ...]
    refs: tuple[SentenceRef, ...] = ()


@dataclass(frozen=True)
class KeyFact:
    """A short checkable item: kind is "number", "date", "person", "organisation" or "quote".

    `sources` lists source ids; `refs` point at the sentences that state it;
    `when` is set for dated events (the timeline).
    """

    kind: str
    text: str
    sources: tuple[str, ...]
    refs: tuple[SentenceRef, ...] = ()
    when: PartialDate | None = None
    speaker: str = ""


@dataclass(frozen=True)
class DifferingValue:
    value: str
    sources: tuple[str, ...]


@dataclass(frozen=True)
class Difference:
    """Sources disagree about one thing; each value is listed with who gives it."""

    subject: str
    values: tuple[DifferingValue, ...]


@dataclass(frozen=True)
class FactsResult:
    key_facts: tuple[KeyFact, ...]
    differences: tuple[Difference, ...] = ()


@dataclass(frozen=True)
class SourceSection:
    """One source as shown on the briefing page."""

    article: ProcessedArticle
    summary: tuple[str, ...]
    only_here: tuple[str, ...] = ()


@dataclass(frozen=True)
class BriefingMeta:
    """From the briefing's optional index.md."""

    title: str = ""
    date: PartialDate | None = None
    lead_words: int | None = None
    note_markdown: str = ""
    tags: tuple[str, ...] = ()


@dataclass(frozen=True)
class Briefing:
    slug: str
    title: str
    date: PartialDate | None
    note_markdown: str
    lead: tuple[LeadSentence, ...]
    facts: FactsResult
    sources: tuple[SourceSection, ...]
    warnings: tuple[str, ...] = field(default=())
    tags: tuple[str, ...] = ()  # from index.md, as written; pages per tag slug
