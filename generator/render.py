"""Render: briefings to HTML and JSON bytes with Jinja2 (autoescape, StrictUndefined).

The only module that knows about templates (`generator.theme` finds a theme's folders
and static files).  It returns a mapping of site-relative paths to file contents;
writing them is `write`'s job.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable, Iterable, Sequence
from contextlib import suppress
from dataclasses import dataclass
from functools import lru_cache, partial
from pathlib import Path
from typing import Any

from jinja2 import (
    ChoiceLoader,
    Environment,
    FileSystemBytecodeCache,
    FileSystemLoader,
    StrictUndefined,
    TemplateError,
)
from markupsafe import Markup

from generator import __version__
from generator.config import Settings, site_url
from generator.errors import BriefingError, Problem
from generator.feeds import (
    atom_feed,
    lead_text,
    robots_txt,
    search_entries,
    search_json,
    search_script,
    sitemap,
    tag_slug,
    tag_url,
)
from generator.load import commonmark, has_markdown_syntax
from generator.model import (
    ArticleMeta,
    Briefing,
    Difference,
    FactsResult,
    KeyFact,
    LeadSentence,
    PartialDate,
    ProcessedArticle,
    SentenceRef,
    SourceSection,
)
from generator.theme import Theme, static_files


def note_html(note_markdown: str) -> Markup | str:
    """The editor's note as HTML: Markdown with raw HTML disabled (as text).  A note of
    plain paragraphs is made here, as markdown-it makes it, without importing it."""
    if not note_markdown:
        return ""
    if not has_markdown_syntax(note_markdown):
        return Markup(_plain_note_html(note_markdown))
    return Markup(commonmark().render(note_markdown))


# What markdown-it escapes in text (not "'", which markupsafe also escapes).
_NOTE_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;"})


def _plain_note_html(note: str) -> str:
    """markdown-it's HTML for text without Markdown syntax (`has_markdown_syntax`): each
    run of non-empty lines a paragraph, its lines kept apart by line breaks."""
    paragraphs = [part for part in re.split(r"\n{2,}", note.strip("\n")) if part]
    return "".join(f"<p>{part.translate(_NOTE_ESCAPES)}</p>\n" for part in paragraphs)


# Names a dict has as attributes (`items`, `values`, ...): `{{ d.values }}` is the method.
_DICT_ATTRIBUTES = frozenset(dir(dict))


class ViewEnvironment(Environment):
    """Jinja's environment, with `{{ view.name }}` on the dicts the views are made of
    looked up without an exception.

    Jinja's `getattr` tries `getattr(obj, name)` first and, on AttributeError, `obj[name]`:
    for a dict key that is an exception raised and caught at every use, about a third of
    the time of a briefing page.  For a plain dict and a name that is not one of dict's
    own attributes, `getattr` fails for certain, so this looks the key up at once; the
    result is Jinja's own in every case (tests/unit/test_render.py)."""

    def getattr(self, obj: Any, attribute: str) -> Any:
        if type(obj) is dict and attribute not in _DICT_ATTRIBUTES:
            try:
                return obj[attribute]
            except KeyError:
                return self.undefined(obj=obj, name=attribute)
        return super().getattr(obj, attribute)


def make_environment(theme: Theme, auto_reload: bool = True) -> Environment:
    """The theme's Jinja environment.  With `auto_reload` every use of a template checks
    its file's modification time (the preview keeps one environment across edits); a
    build's environment lives for one build and reads each template once."""
    loaders = [FileSystemLoader(str(folder)) for folder in theme.folders]
    return ViewEnvironment(
        loader=ChoiceLoader(loaders),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=auto_reload,
    )


# --- view models: plain dicts of strings for the templates --------------------------


@lru_cache(maxsize=1 << 12)  # (dates repeat: the preview's index asks for every briefing's)
def _date_fields(date: PartialDate | None) -> tuple[str, str]:
    if date is None:
        return "", ""
    return date.human(), date.iso() if date.year is not None else ""


def source_anchor(source_id: str) -> str:
    return f"source-{source_id}"


def sentence_anchor(index: int) -> str:
    return f"s{index}"


def _words(text: str) -> set[str]:
    return set(re.findall(r"\w+", text.lower()))


def attach_differences(
    facts: Sequence[KeyFact], differences: Sequence[Difference]
) -> dict[KeyFact, Difference]:
    """Which key fact each disagreement belongs beside: the fact whose text is, or holds,
    one of the values ("Sergei Lavrov"), else the fact that covers most of the difference's
    subject ("When Stoltenberg said 'The relationship ...'" goes with that quote)."""
    attached: dict[KeyFact, Difference] = {}
    fact_words = [_words(fact.text) for fact in facts]
    for difference in differences:
        best = _best_fact(facts, fact_words, difference)
        if best is not None and facts[best] not in attached:
            attached[facts[best]] = difference
    return attached


def _best_fact(
    facts: Sequence[KeyFact], fact_words: Sequence[set[str]], difference: Difference
) -> int | None:
    values = {value.value for value in difference.values}
    for position, fact in enumerate(facts):
        if fact.text in values or any(value in fact.text for value in values):
            return position
    subject_words = _words(difference.subject)
    scored = [
        (len(subject_words & words) / max(len(subject_words), 1), position)
        for position, words in enumerate(fact_words)
    ]
    share, position = max(scored, default=(0.0, -1))
    return position if share >= 0.5 else None


_LEADING_LETTERS = re.compile(r"[^\W\d_]+")


def label_case(text: str) -> str:
    """A key fact's words as a label of their own: a clause taken from inside a sentence
    ("alliance began a two-day meeting") starts with a capital; a first word spelt with
    capitals ("iPhone", "eBay") and a quote's words are left as written."""
    first_letters = _LEADING_LETTERS.match(text)
    if first_letters is not None and first_letters.group().islower():
        return text[0].upper() + text[1:]
    return text


class SourceRefs(list[dict[str, Any]]):
    """The markers of the sources that report something (`id`, `outlet`, `anchor`,
    `number`, `href` each), with `outlets`: their outlets' names joined by ", ", which
    every marker group's label shows (a filter chain in the template cost a fifth of a
    briefing page)."""

    def __init__(self, refs: Iterable[dict[str, Any]]) -> None:
        super().__init__(refs)
        self.outlets = ", ".join(ref["outlet"] for ref in self)


class BriefingView:
    """Builds the template context of one briefing."""

    def __init__(self, briefing: Briefing) -> None:
        self.briefing = briefing
        self.number_of = {
            section.article.source_id: number
            for number, section in enumerate(briefing.sources, start=1)
        }
        self.outlet_of = {
            section.article.source_id: section.article.display_outlet
            for section in briefing.sources
        }
        self.differences_beside = attach_differences(
            briefing.facts.key_facts, briefing.facts.differences
        )

    def refs(self, source_ids: Iterable[str], where: Iterable[SentenceRef] = ()) -> SourceRefs:
        """Markers for sources; with `where`, each links to the sentence that says it."""
        first_sentence: dict[str, int] = {}
        for ref in where:
            first_sentence.setdefault(ref.source_id, ref.sentence)
        return SourceRefs(
            {
                "id": source_id,
                "outlet": self.outlet_of[source_id],
                "anchor": source_anchor(source_id),
                "number": self.number_of[source_id],
                "href": (
                    f"sources/{source_id}.html#{sentence_anchor(first_sentence[source_id])}"
                    if source_id in first_sentence
                    else f"#{source_anchor(source_id)}"
                ),
            }
            for source_id in sorted(set(source_ids), key=self.number_of.__getitem__)
            if source_id in self.number_of
        )

    def source(self, section: SourceSection) -> dict[str, Any]:
        article = section.article
        published_human, published_iso = _date_fields(article.meta.published)
        return {
            "id": article.source_id,
            "anchor": source_anchor(article.source_id),
            "number": self.number_of[article.source_id],
            "outlet": article.display_outlet,
            "title": article.meta.title,
            "standfirst": article.meta.standfirst,
            "url": article.meta.url or f"sources/{article.source_id}.html",
            "external": bool(article.meta.url),
            "text_url": f"sources/{article.source_id}.html",
            "published_human": published_human,
            "published_iso": published_iso,
            "author": article.meta.author,
            "place": article.meta.place,
            "summary": list(section.summary),
            "only_here": list(section.only_here),
            "dropped_count": len(article.dropped),
        }

    def fact(self, fact: KeyFact) -> dict[str, Any]:
        when_human, when_iso = _date_fields(fact.when)
        difference = self.differences_beside.get(fact)
        return {
            "kind": fact.kind,
            "text": fact.text if fact.kind == "quote" else label_case(fact.text),
            "sources": self.refs(fact.sources, fact.refs),
            "when_human": when_human,
            "when_iso": when_iso,
            "speaker": fact.speaker,
            "difference": self.difference(difference) if difference else None,
        }

    def difference(self, difference: Difference) -> dict[str, Any]:
        return {
            "subject": difference.subject,
            "values": [
                {"value": value.value, "sources": self.refs(value.sources)}
                for value in difference.values
            ],
        }

    def context(self) -> dict[str, Any]:
        briefing = self.briefing
        date_human, date_iso = _date_fields(briefing.date)
        dated = sorted(
            (fact for fact in briefing.facts.key_facts if fact.when is not None),
            key=lambda fact: fact.when.iso() if fact.when else "",
        )
        return {
            "slug": briefing.slug,
            "path": f"{briefing.slug}/",
            "title": briefing.title,
            "date_human": date_human,
            "date_iso": date_iso,
            "description": lead_text(briefing),
            "tags": tag_links(briefing.tags),
            "note_html": note_html(briefing.note_markdown),
            "lead": [
                {"text": sentence.text, "sources": self.refs(sentence.sources)}
                for sentence in briefing.lead
            ],
            "key_facts": [self.fact(fact) for fact in briefing.facts.key_facts],
            "timeline": [
                {**self.fact(fact), "when_iso": fact.when.iso() if fact.when else ""}
                for fact in dated
            ],
            "differences": [self.difference(d) for d in briefing.facts.differences],
            "sources": [self.source(section) for section in briefing.sources],
        }


# --- JSON -------------------------------------------------------------------------


def briefing_json(briefing: Briefing) -> dict[str, Any]:
    """The machine-readable briefing (format documented in the README)."""
    return {
        "slug": briefing.slug,
        "title": briefing.title,
        "date": briefing.date.iso() if briefing.date else None,
        "lead": [{"text": s.text, "sources": list(s.sources)} for s in briefing.lead],
        "key_facts": [
            {
                "kind": fact.kind,
                "text": fact.text,
                "sources": list(fact.sources),
                "when": fact.when.iso() if fact.when else None,
                "speaker": fact.speaker or None,
                "where": [{"source": ref.source_id, "sentence": ref.sentence} for ref in fact.refs],
            }
            for fact in briefing.facts.key_facts
        ],
        "differences": [
            {
                "subject": difference.subject,
                "values": [
                    {"value": value.value, "sources": list(value.sources)}
                    for value in difference.values
                ],
            }
            for difference in briefing.facts.differences
        ],
        "sources": [_source_json(section) for section in briefing.sources],
    }


def _source_json(section: SourceSection) -> dict[str, Any]:
    meta = section.article.meta
    return {
        "id": section.article.source_id,
        "outlet": section.article.display_outlet,
        "title": meta.title,
        "url": meta.url or None,
        "published": meta.published.iso() if meta.published else None,
        "author": meta.author or None,
        "summary": list(section.summary),
        "only_here": list(section.only_here),
    }


_compact_json = json.JSONEncoder(ensure_ascii=False, separators=(", ", ": ")).encode


def _json_bytes(value: dict[str, Any]) -> bytes:
    """An object as readable JSON: one line per field, and one per item of a list field
    (each item on one line).  Laid out here because `json.dumps(indent=...)` runs in
    pure Python, several times slower than its compact C encoder."""
    fields: list[str] = []
    for key, item in value.items():
        if isinstance(item, list) and item:
            items = ",\n".join(f"    {_compact_json(element)}" for element in item)
            fields.append(f"  {_compact_json(key)}: [\n{items}\n  ]")
        else:
            fields.append(f"  {_compact_json(key)}: {_compact_json(item)}")
    return ("{\n" + ",\n".join(fields) + "\n}\n").encode("utf-8")


# --- pages ------------------------------------------------------------------------


def _index_entry(briefing: Briefing) -> dict[str, Any]:
    date_human, date_iso = _date_fields(briefing.date)
    return {
        "slug": briefing.slug,
        "title": briefing.title,
        "date_human": date_human,
        "date_iso": date_iso,
        "lead_sentence": briefing.lead[0].text if briefing.lead else "",
        "source_count": len(briefing.sources),
        "url": f"{briefing.slug}/index.html",
        "tags": tag_links(briefing.tags),
    }


def tag_links(tags: Sequence[str]) -> list[dict[str, str]]:
    """Tags with their pages' paths relative to the site root."""
    return [{"name": tag, "slug": tag_slug(tag), "url": tag_url(tag_slug(tag))} for tag in tags]


def tag_groups(ordered: Sequence[Listed]) -> list[TagGroup]:
    """Every tag (by slug; the first spelling met names it) with its briefings, newest
    first (`ordered` is in `newest_first` order); the tags sorted by name."""
    groups: dict[str, TagGroup] = {}
    for item in ordered:
        for tag in item.tags:
            slug = tag_slug(tag)
            group = groups.get(slug)
            if group is None:  # (made once a tag: the first spelling met names it)
                group = groups[slug] = TagGroup(tag, slug, [])
            group.members.append(item)
    return sorted(groups.values(), key=lambda group: (group.name.casefold(), group.slug))


@dataclass(frozen=True)
class TagGroup:
    name: str
    slug: str
    members: list[Listed]

    def summary(self) -> dict[str, Any]:
        """The tag as the list of topics sees it: name, slug, url and count."""
        return {
            "name": self.name,
            "slug": self.slug,
            "url": tag_url(self.slug),
            "count": len(self.members),
        }

    def view(self, shown: Sequence[Listed]) -> dict[str, Any]:
        """The tag as its own page sees it: `summary` and the index entries of the
        briefings on that page (`shown`)."""
        return {**self.summary(), "briefings": [_index_entry(item.briefing) for item in shown]}


def newest_first(listed: Sequence[Listed]) -> list[Listed]:
    by_slug = sorted(listed, key=lambda item: item.slug)
    return sorted(by_slug, key=lambda item: _date_order(item.date), reverse=True)


@lru_cache(maxsize=1 << 12)
def _date_order(date: PartialDate | None) -> str:
    return date.iso() if date else ""


def common_context(settings: Settings) -> dict[str, Any]:
    """What every template sees: `site.url` is the base_url ending in `/`, or ""."""
    return {
        "site": {
            "title": settings.title,
            "language": settings.language,
            "base_url": settings.base_url,
            "url": site_url(settings.base_url) if settings.base_url else "",
            "search": settings.search,
        },
        "generator": f"Briefing {__version__}",
    }


def render_site(
    briefings: Sequence[Briefing], settings: Settings, theme: Theme
) -> dict[str, bytes]:
    """Every file of the site, keyed by its path relative to the output folder."""
    pages = PageMaker(settings, theme)
    files = static_files(theme)
    for briefing in briefings:
        files.update(pages.briefing(briefing))
    files.update(pages.site(briefings))
    return files


def _is_template(name: str) -> bool:
    return not name.startswith("static/") and name.endswith(".html")


def compile_templates(environment: Environment) -> None:
    """Compile every template of the theme that is not compiled yet (or changed since);
    a template with an error is left for the render to report, with its file and line."""
    for name in environment.list_templates(filter_func=_is_template):
        with suppress(TemplateError, OSError):
            environment.get_template(name)


class PageMaker:
    """Renders a site in parts: one briefing's own files (`briefing`: its index.html,
    briefing.json and sources/*.html, which depend on nothing but that briefing, the
    settings, the theme and the code), and the site-wide files (`site`: the index, feed,
    404 page, tag pages, search index, sitemap), which read only what `briefing_summary`
    keeps of each briefing.  `render_site` is `static_files` plus both."""

    def __init__(
        self, settings: Settings, theme: Theme, template_cache: Path | None = None
    ) -> None:
        self.settings = settings
        self.theme = theme
        self.environment = make_environment(theme, auto_reload=False)
        if template_cache is not None:  # compiled templates, checked against their source
            try:
                template_cache.mkdir(parents=True, exist_ok=True)
                self.environment.bytecode_cache = FileSystemBytecodeCache(str(template_cache))
            except OSError:
                pass
        self.common = common_context(settings)

    def warm(self) -> None:
        """Compile the theme's templates now (and into the template cache, for the
        workers' first pages), not on first use."""
        compile_templates(self.environment)

    def briefing(self, briefing: Briefing) -> dict[str, bytes]:
        try:
            return _briefing_files(self.environment, self.common, briefing)
        except TemplateError as error:
            raise BriefingError(_template_problem(error, self.theme)) from None

    def site(self, briefings: Sequence[Briefing]) -> dict[str, bytes]:
        """Every site-wide file."""
        listed = [Listed.of(briefing) for briefing in briefings]
        return {page.path: page.make() for page in self.site_pages(listed)}

    def site_pages(self, listed: Sequence[Listed]) -> list[SitePage]:
        """Every site-wide file, each with its key, to be made on demand (`make` raises
        `BriefingError` for a template error)."""
        theme = self.theme

        def guarded(make: Callable[[], bytes]) -> Callable[[], bytes]:
            def make_or_explain() -> bytes:
                try:
                    return make()
                except TemplateError as error:
                    raise BriefingError(_template_problem(error, theme)) from None

            return make_or_explain

        pages = site_pages(self.environment, listed, self.settings)
        return [SitePage(page.path, page.key, guarded(page.make)) for page in pages]


def briefing_summary(briefing: Briefing) -> dict[str, Any]:
    """What the site-wide files read of a briefing, as JSON: slug, title, date, lead,
    tags, key facts' texts and the sources' outlets (see `summary_briefing`)."""
    date = briefing.date
    return {
        "slug": briefing.slug,
        "title": briefing.title,
        "date": [date.month, date.day, date.year] if date is not None else None,
        "lead": [sentence.text for sentence in briefing.lead],
        "tags": list(briefing.tags),
        "facts": [fact.text for fact in briefing.facts.key_facts],
        "outlets": [section.article.display_outlet for section in briefing.sources],
    }


def summary_briefing(data: dict[str, Any]) -> Briefing:
    """A `Briefing` holding only what `briefing_summary` kept: the site-wide files made
    from it are the bytes made from the full briefing.  Raises ValueError, KeyError or
    TypeError on a malformed summary."""
    date = summary_date(data)
    return Briefing(
        slug=data["slug"],
        title=data["title"],
        date=date,
        note_markdown="",
        lead=tuple(LeadSentence(text, ()) for text in data["lead"]),
        facts=FactsResult(tuple(KeyFact("", text, ()) for text in data["facts"])),
        sources=tuple(map(_outlet_section, data["outlets"])),
        tags=tuple(data["tags"]),
    )


def summary_date(data: dict[str, Any]) -> PartialDate | None:
    """The summary's date, once its texts and date are checked to be what
    `briefing_summary` writes (ValueError, KeyError or TypeError when not)."""
    date = data["date"]
    texts = [data["slug"], data["title"], *data["lead"], *data["tags"], *data["facts"]]
    texts += data["outlets"]
    if not set(map(type, texts)) <= {str}:
        raise TypeError("summary texts must be strings")
    if date is None:
        return None
    month, day, year = date
    if not all(isinstance(n, int) for n in (month, day)) or not (
        year is None or isinstance(year, int)
    ):
        raise TypeError("summary date must be numbers")
    return PartialDate(month, day, year)


class Listed:
    """A briefing as the site-wide pages see it: its summary (`briefing_summary`, checked
    when listed), a digest that changes whenever the summary does, and the briefing,
    made from the summary when a page needs it.  Pages are keyed by their briefings'
    digests, so an unchanged page is found unchanged without making any briefing."""

    __slots__ = ("_briefing", "date", "digest", "slug", "summary", "tags")

    def __init__(
        self, summary: dict[str, Any], digest: str | None = None, briefing: Briefing | None = None
    ) -> None:
        self.date = summary_date(summary)
        self.summary = summary
        self.slug: str = summary["slug"]
        self.tags: list[str] = summary["tags"]
        self.digest = digest if digest is not None else summary_digest(summary)
        self._briefing = briefing

    @classmethod
    def of(cls, briefing: Briefing) -> Listed:
        return cls(briefing_summary(briefing), None, briefing)

    @property
    def briefing(self) -> Briefing:
        if self._briefing is None:
            self._briefing = summary_briefing(self.summary)
        return self._briefing


def summary_digest(summary: dict[str, Any]) -> str:
    text = json.dumps(summary, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@lru_cache(maxsize=4096)
def _outlet_section(outlet: str) -> SourceSection:
    """A source section holding only its outlet's name (values are immutable: sites name
    the same outlets again and again, and each is made once)."""
    article = ProcessedArticle(outlet, "", ArticleMeta(outlet=outlet), (), (), (), ())
    return SourceSection(article, ())


def _briefing_files(
    environment: Environment, common: dict[str, Any], briefing: Briefing
) -> dict[str, bytes]:
    view = BriefingView(briefing).context()
    files = {
        f"{briefing.slug}/index.html": _page(
            environment, "briefing.html", {**common, "root": "../", "briefing": view}
        ),
        f"{briefing.slug}/briefing.json": _json_bytes(briefing_json(briefing)),
    }
    for section, source_view in zip(briefing.sources, view["sources"], strict=True):
        context = {
            **common,
            "root": "../../",
            "briefing": view,
            "source": source_view,
            "paragraphs": paragraph_views(section.article),
        }
        path = f"{briefing.slug}/sources/{section.article.source_id}.html"
        files[path] = _page(environment, "source.html", context)
    return files


@dataclass(frozen=True)
class SitePage:
    """One site-wide file: `key` hashes everything it is made from besides the settings,
    the theme and the code (the same key, the same bytes); `make` makes it."""

    path: str
    key: str
    make: Callable[[], bytes]


def _site_page(path: str, material: object, make: Callable[[], bytes]) -> SitePage:
    return SitePage(path, hashlib.sha256(repr(material).encode("utf-8")).hexdigest(), make)


def site_pages(
    environment: Environment, listed: Sequence[Listed], settings: Settings
) -> list[SitePage]:
    """The index (in pages of `per_page`), feed, robots.txt, 404 page, tag pages, and
    the search index (`search = true`) and sitemap (with a base_url); each made only
    when asked.  A page's key is made of its briefings' digests: finding that a page is
    unchanged reads nothing else of them."""
    common = common_context(settings)
    ordered = newest_first(listed)
    in_feed = ordered[: settings.feed_entries]
    # The 404 page is served at any depth: its links start at the base_url, or at "/".
    missing_context = {**common, "root": common["site"]["url"] or "/"}
    pages = _listing_pages(environment, common, None, ordered, settings.per_page)
    pages += [
        _site_page(
            "feed.xml",
            _digests(in_feed),
            lambda: atom_feed([item.briefing for item in in_feed], settings),
        ),
        _site_page("robots.txt", "", lambda: robots_txt(settings)),
        _site_page("404.html", "", lambda: _page(environment, "404.html", missing_context)),
    ]
    groups = tag_groups(ordered)
    if groups:
        tags = [group.summary() for group in groups]
        tags_context = {**common, "root": "../", "tags": tags}
        pages.append(_site_page("tags/index.html", tags,
                                lambda: _page(environment, "tags.html", tags_context)))  # fmt: skip
    for group in groups:
        pages += _listing_pages(environment, common, group, group.members, settings.per_page)
    if settings.search:
        digests = _digests(ordered)

        def found() -> list[dict[str, Any]]:
            return search_entries([item.briefing for item in ordered])

        pages.append(_site_page("search.json", digests, lambda: search_json(found())))
        pages.append(_site_page("search-index.js", digests, lambda: search_script(found())))
    if settings.base_url:
        paths = sitemap_paths(ordered, groups, settings.per_page)
        pages.append(_site_page("sitemap.xml", paths, lambda: sitemap(paths, settings)))
    return pages


def _digests(listed: Sequence[Listed]) -> list[tuple[str, str]]:
    return [(item.slug, item.digest) for item in listed]


def _listing_pages(
    environment: Environment,
    common: dict[str, Any],
    tag: TagGroup | None,
    ordered: Sequence[Listed],
    per_page: int,
) -> list[SitePage]:
    """The home page (`tag` None) or a tag's page, split into pages of `per_page`
    briefings (all on one when 0): `index.html`, then `page/2/index.html`..."""
    folder = f"tags/{tag.slug}/" if tag is not None else ""
    chunks = page_chunks(ordered, per_page)
    pages = []
    for number, chunk in enumerate(chunks, 1):
        place = (folder, number, len(chunks))  # (all its `pager_view` is made from)
        pages.append(
            _site_page(
                folder + _page_folder(number) + "index.html",
                (_digests(chunk), place, tag.name if tag is not None else ""),
                partial(_listing_page, environment, common, tag, chunk, place),
            )
        )
    return pages


def _page_folder(number: int) -> str:
    """Where page `number` of a listing is, below the listing's folder."""
    return "" if number == 1 else f"page/{number}/"


def _listing_page(
    environment: Environment,
    common: dict[str, Any],
    tag: TagGroup | None,
    chunk: Sequence[Listed],
    place: tuple[str, int, int],
) -> bytes:
    pager = pager_view(*place)
    root = "../" * (pager["path"].count("/") + (2 if tag is not None else 0))
    context = {**common, "root": root, "pager": pager}
    if tag is not None:
        return _page(environment, "tag.html", {**context, "tag": tag.view(chunk)})
    entries = [_index_entry(item.briefing) for item in chunk]
    return _page(environment, "index.html", {**context, "briefings": entries})


def page_chunks(ordered: Sequence[Listed], per_page: int) -> list[Sequence[Listed]]:
    """`ordered` in runs of `per_page` (one run of all when 0; one empty run when none)."""
    if per_page <= 0 or len(ordered) <= per_page:
        return [ordered]
    return [ordered[start : start + per_page] for start in range(0, len(ordered), per_page)]


def pager_view(folder: str, number: int, count: int) -> dict[str, Any]:
    """Page `number` of `count` of a listing at `folder` (site-relative, "" for the home
    page): its own path below the folder ("" or "page/2/"), and every page's url from
    the site root, the previous and next ones' too ("" where there is none)."""

    def url(page: int) -> str:
        return folder + _page_folder(page) + "index.html"

    return {
        "number": number,
        "count": count,
        "path": _page_folder(number),
        "previous_url": url(number - 1) if number > 1 else "",
        "next_url": url(number + 1) if number < count else "",
        "pages": [
            {"number": page, "url": url(page), "current": page == number}
            for page in range(1, count + 1)
        ],
    }


def sitemap_paths(
    ordered: Sequence[Listed], groups: Sequence[TagGroup], per_page: int = 0
) -> list[tuple[str, str | None]]:
    """The home page's pages, each briefing (dated when its date is complete) and the tag
    pages.  Sources' cleaned-text pages copy other outlets' articles: they are left out
    (and marked noindex)."""
    paths: list[tuple[str, str | None]] = [("", None)]
    paths += [(path, None) for path in _later_pages("", ordered, per_page)]
    for item in ordered:
        date = item.date
        full = date is not None and date.to_date() is not None
        paths.append((f"{item.slug}/", date.iso() if full and date else None))
    if groups:
        paths.append(("tags/", None))
    for group in groups:
        folder = f"tags/{group.slug}/"
        paths.append((folder, None))
        paths += [(path, None) for path in _later_pages(folder, group.members, per_page)]
    return paths


def _later_pages(folder: str, ordered: Sequence[Listed], per_page: int) -> list[str]:
    """The folders of a listing's pages after the first."""
    pages = len(page_chunks(ordered, per_page))
    return [f"{folder}page/{number}/" for number in range(2, pages + 1)]


def paragraph_views(article: ProcessedArticle) -> list[list[dict[str, str]]]:
    """The cleaned text as paragraphs of sentences, each with its anchor (`s12`)."""
    paragraphs: list[list[dict[str, str]]] = [[] for _ in article.paragraphs]
    for sentence in article.sentences:
        paragraphs[sentence.paragraph].append(
            {"id": sentence_anchor(sentence.index), "text": sentence.text}
        )
    return [paragraph for paragraph in paragraphs if paragraph]


def _page(environment: Environment, template_name: str, context: dict[str, Any]) -> bytes:
    return environment.get_template(template_name).render(context).encode("utf-8")


def _template_problem(error: TemplateError, theme: Theme) -> Problem:
    filename = getattr(error, "filename", None) or getattr(error, "name", None) or "template"
    line = getattr(error, "lineno", None)
    return Problem(str(filename), f"template error in theme '{theme.name}': {error}", line)
