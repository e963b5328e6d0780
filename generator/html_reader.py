"""Saved web pages (`.html`): the article's main text and the page's own metadata.

The main text comes from trafilatura (boilerplate removal: menus, related-story lists,
comment sections, cookie banners); its paragraphs then go through the same cleaner as
every other article.  Title, outlet, date, author, canonical URL and language come
from the page's tags (`og:*`, `article:*`, `<link rel=canonical>`, `<html lang>`).
"""

from __future__ import annotations

import re

import lxml.html
from lxml import etree

from generator.config import LANGUAGES
from generator.errors import BriefingError, Problem
from generator.load import check_url, parse_date_value
from generator.model import ArticleMeta, Block, PartialDate

TITLE_KEYS = ("og:title", "twitter:title", "headline", "dc.title")
OUTLET_KEYS = ("og:site_name", "application-name", "publisher", "dc.publisher")
DATE_KEYS = (
    "article:published_time",
    "datepublished",
    "date",
    "pubdate",
    "publishdate",
    "dc.date",
    "dc.date.issued",
    "og:published_time",
    "sailthru.date",
)
AUTHOR_KEYS = ("author", "article:author", "dc.creator", "byl")
URL_KEYS = ("og:url",)
ISO_DATE = re.compile(r"^\s*(\d{4})-(\d{2})-(\d{2})")
MAX_META_CHARS = 300


def read_html_page(text: str, shown: str) -> tuple[ArticleMeta, tuple[Block, ...], list[Problem]]:
    """Metadata and main-text paragraphs of a saved page."""
    tree = _parse(text, shown)
    meta, warnings = page_meta(tree, shown)
    return meta, main_text_blocks(text), warnings


def _parse(text: str, shown: str) -> lxml.html.HtmlElement:
    parser = lxml.html.HTMLParser(encoding="utf-8", remove_comments=True)
    try:
        tree = lxml.html.document_fromstring(text.encode("utf-8"), parser=parser)
    except (etree.ParserError, ValueError) as error:
        raise BriefingError(Problem(shown, f"not a readable HTML page: {error}")) from None
    return tree


def _meta_values(tree: lxml.html.HtmlElement) -> dict[str, str]:
    """`<meta property|name|itemprop=... content=...>`, first of each key, lower-cased."""
    values: dict[str, str] = {}
    for element in tree.iter("meta"):
        key = element.get("property") or element.get("name") or element.get("itemprop")
        content = element.get("content")
        if key and content and content.strip():
            values.setdefault(key.strip().lower(), _plain(content))
    return values


def _plain(value: str) -> str:
    """One line of text, control characters removed, length bounded."""
    text = re.sub(r"[\x00-\x1f\x7f]+", " ", value)
    return re.sub(r"\s+", " ", text).strip()[:MAX_META_CHARS]


def _first(values: dict[str, str], keys: tuple[str, ...]) -> str:
    return next((values[key] for key in keys if values.get(key)), "")


def page_meta(tree: lxml.html.HtmlElement, shown: str) -> tuple[ArticleMeta, list[Problem]]:
    values = _meta_values(tree)
    warnings: list[Problem] = []
    url = _canonical(tree) or _first(values, URL_KEYS)
    if url and not check_url(url):
        message = f"page's canonical address {url[:60]!r} is not http(s); it is not linked"
        warnings.append(Problem(shown, message, severity="warning"))
        url = ""
    author = _first(values, AUTHOR_KEYS)
    meta = ArticleMeta(
        title=_first(values, TITLE_KEYS) or _element_text(tree, "h1") or _title(tree),
        outlet=_first(values, OUTLET_KEYS),
        url=url,
        published=_date(_first(values, DATE_KEYS) or _time_datetime(tree)),
        author="" if author.startswith(("http://", "https://")) else author,
        language=_language(tree.get("lang", "")),
    )
    return meta, warnings


def _canonical(tree: lxml.html.HtmlElement) -> str:
    for link in tree.iter("link"):
        if "canonical" in (link.get("rel") or "").lower().split():
            return _plain(link.get("href") or "")
    return ""


def _element_text(tree: lxml.html.HtmlElement, tag: str) -> str:
    element = next(tree.iter(tag), None)
    return _plain(element.text_content()) if element is not None else ""


def _title(tree: lxml.html.HtmlElement) -> str:
    """`<title>` without a trailing ` | Outlet` or ` - Outlet`."""
    title = _element_text(tree, "title")
    return re.split(r"\s+[|–—-]\s+(?=[^|–—-]+$)", title, maxsplit=1)[0] if title else ""


def _time_datetime(tree: lxml.html.HtmlElement) -> str:
    element = next((e for e in tree.iter("time") if e.get("datetime")), None)
    return element.get("datetime", "") if element is not None else ""


def _date(value: str) -> PartialDate | None:
    match = ISO_DATE.match(value)
    if match is None:
        return parse_date_value(value) if value else None
    year, month, day = (int(part) for part in match.groups())
    date = PartialDate(month, day, year)
    return date if date.to_date() is not None else None


def _language(value: str) -> str:
    code = re.split(r"[-_]", value.strip().lower(), maxsplit=1)[0]
    return code if code in LANGUAGES else ""


def main_text_blocks(text: str) -> tuple[Block, ...]:
    """The page's main text, one paragraph block per extracted paragraph."""
    import trafilatura

    extracted = trafilatura.extract(
        text, include_comments=False, include_tables=False, include_images=False
    )
    if not extracted:
        return ()
    blocks = []
    for paragraph in extracted.split("\n"):
        paragraph = re.sub(r"[\x00-\x1f\x7f]", "", paragraph).strip()
        if paragraph:
            blocks.append(Block(_line_of(text, paragraph), paragraph, "paragraph"))
    return tuple(blocks)


def _line_of(text: str, paragraph: str) -> int:
    """The page line where the paragraph's first words appear, else 1."""
    words = paragraph.split()[:4]
    if not words:
        return 1
    position = text.find(" ".join(words))
    return text.count("\n", 0, position) + 1 if position >= 0 else 1
