"""Machine-readable site files: the Atom feed, sitemap.xml, robots.txt, the search index.

Pure functions from briefings and settings to bytes; `render.render_site` adds them to
the site.  XML is built with ElementTree (escaping is its job) after removing the
characters XML 1.0 cannot carry at all.
"""

from __future__ import annotations

import json
import re
import uuid
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from functools import lru_cache
from typing import Any

from generator.config import Settings, site_url
from generator.load import slugify
from generator.model import Briefing, PartialDate

ATOM = "http://www.w3.org/2005/Atom"
SITEMAP = "http://www.sitemaps.org/schemas/sitemap/0.9"
EPOCH = "1970-01-01T00:00:00Z"
# Not allowed anywhere in an XML 1.0 document, not even as a character reference.
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def xml_text(text: str) -> str:
    return _XML_INVALID.sub("", text)


@lru_cache(maxsize=8192)
def tag_slug(tag: str) -> str:
    """The tag's slug (its page's folder), remembered: every build slugs each briefing's
    tags again for the index, the tag pages and the search index."""
    return slugify(tag)


def tag_url(slug: str) -> str:
    """A tag's page relative to the site root."""
    return f"tags/{slug}/index.html"


def briefing_path(briefing: Briefing) -> str:
    """The briefing's folder relative to the site root (`story/`), as links on a host use."""
    return f"{briefing.slug}/"


def lead_text(briefing: Briefing) -> str:
    return " ".join(sentence.text for sentence in briefing.lead)


def timestamp(date: PartialDate | None) -> str | None:
    """RFC 3339 midnight UTC of a full date; None for a date without year or none."""
    if date is None or date.to_date() is None:
        return None
    return f"{date.iso()}T00:00:00Z"


def entry_id(settings: Settings, path: str) -> str:
    """A permanent IRI for a feed entry (or the feed, path ""): its address when the site
    has a base_url, else a name-based UUID URN made from the site title and the path."""
    if settings.base_url:
        return site_url(settings.base_url, path)
    return uuid.uuid5(uuid.NAMESPACE_URL, f"briefing:{settings.title}/{path}").urn


def _link(path: str, settings: Settings) -> str:
    return site_url(settings.base_url, path) if settings.base_url else path


def _sub(parent: ET.Element, name: str, text: str | None = None, **attributes: str) -> ET.Element:
    element = ET.SubElement(parent, name, attributes)
    if text is not None:
        element.text = xml_text(text)
    return element


def atom_feed(briefings: Sequence[Briefing], settings: Settings) -> bytes:
    """One entry per briefing, newest first, its lead as the summary.  Without base_url
    the links are relative to the feed (valid Atom, but feed readers want base_url)."""
    feed = ET.Element("feed", {"xmlns": ATOM, "xml:lang": settings.language})
    _sub(feed, "title", settings.title)
    _sub(feed, "id", entry_id(settings, ""))
    stamps = [stamp for stamp in (timestamp(b.date) for b in briefings) if stamp]
    newest = max(stamps, default=EPOCH)
    _sub(feed, "updated", newest)
    _sub(feed, "link", rel="alternate", type="text/html", href=_link("", settings) or "./")
    if settings.base_url:
        _sub(feed, "link", rel="self", type="application/atom+xml",
             href=site_url(settings.base_url, "feed.xml"))  # fmt: skip
    author = _sub(feed, "author")
    _sub(author, "name", settings.title)
    _sub(feed, "generator", "Briefing")
    for briefing in briefings:
        _entry(feed, briefing, settings, timestamp(briefing.date) or newest)
    ET.indent(feed)
    return ET.tostring(feed, encoding="utf-8", xml_declaration=True) + b"\n"


def _entry(feed: ET.Element, briefing: Briefing, settings: Settings, updated: str) -> None:
    path = briefing_path(briefing)
    entry = _sub(feed, "entry")
    _sub(entry, "title", briefing.title)
    _sub(entry, "id", entry_id(settings, path))
    _sub(entry, "updated", updated)
    if timestamp(briefing.date):
        _sub(entry, "published", updated)
    _sub(entry, "link", rel="alternate", type="text/html",
         href=_link(path + "index.html", settings))  # fmt: skip
    for tag in briefing.tags:
        _sub(entry, "category", term=tag_slug(tag), label=tag)
    _sub(entry, "summary", lead_text(briefing) or briefing.title, type="text")


def sitemap(paths: Sequence[tuple[str, str | None]], settings: Settings) -> bytes:
    """`<urlset>` of absolute addresses: (path, lastmod date or None) pairs."""
    urlset = ET.Element("urlset", {"xmlns": SITEMAP})
    for path, lastmod in paths:
        url = _sub(urlset, "url")
        _sub(url, "loc", site_url(settings.base_url, path))
        if lastmod:
            _sub(url, "lastmod", lastmod)
    ET.indent(urlset)
    return ET.tostring(urlset, encoding="utf-8", xml_declaration=True) + b"\n"


def robots_txt(settings: Settings) -> bytes:
    lines = ["User-agent: *", "Allow: /"]
    if settings.base_url:
        lines.append(f"Sitemap: {site_url(settings.base_url, 'sitemap.xml')}")
    return ("\n".join(lines) + "\n").encode("utf-8")


# --- search -----------------------------------------------------------------------


def search_entries(briefings: Sequence[Briefing]) -> list[dict[str, Any]]:
    """What the search box matches (title, tags, outlets, lead and key facts), and what
    it shows of each match, as the home page's cards do (`date_human`, `sources`, the
    lead's first sentence, the tags' pages): the matches may be on other pages."""
    return [
        {
            "slug": briefing.slug,
            "url": f"{briefing.slug}/index.html",
            "title": briefing.title,
            "date": briefing.date.iso() if briefing.date else None,
            "date_human": briefing.date.human() if briefing.date else "",
            "sources": len(briefing.sources),
            "lead": briefing.lead[0].text if briefing.lead else "",
            "tags": list(briefing.tags),
            "tag_urls": [tag_url(tag_slug(tag)) for tag in briefing.tags],
            "text": " ".join(
                [
                    lead_text(briefing),
                    *(fact.text for fact in briefing.facts.key_facts),
                    *(section.article.display_outlet for section in briefing.sources),
                ]
            ),
        }
        for briefing in briefings
    ]


def search_json(entries: list[dict[str, Any]]) -> bytes:
    return (json.dumps(entries, ensure_ascii=False, indent=1) + "\n").encode("utf-8")


def script_safe_json(value: Any) -> str:
    """JSON that stays inert inside JavaScript and HTML: no `<`, `>`, `&` or line
    separators appear literally, so `</script>` or `<!--` cannot end or change a script."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    for char, escaped in (
        ("<", "\\u003c"),
        (">", "\\u003e"),
        ("&", "\\u0026"),
        ("\u2028", "\\u2028"),
        ("\u2029", "\\u2029"),
    ):
        text = text.replace(char, escaped)
    return text


def search_script(entries: list[dict[str, Any]]) -> bytes:
    """The index as a script (`search-index.js`): loads from file:// where fetch cannot."""
    return f"window.briefingSearchIndex = {script_safe_json(entries)};\n".encode()
