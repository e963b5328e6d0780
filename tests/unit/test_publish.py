"""Publishing outputs: feed, sitemap, robots.txt, 404, canonical and social tags, tags
pages, search index, and where themes are found."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from dataclasses import replace
from pathlib import Path

import pytest

from generator.cli import main
from generator.config import Settings, settings_from_table
from generator.errors import BriefingError
from generator.feeds import script_safe_json, xml_text
from generator.load import read_index
from generator.model import (
    ArticleMeta,
    Block,
    Briefing,
    FactsResult,
    LeadSentence,
    PartialDate,
    ProcessedArticle,
    Sentence,
    SourceSection,
)
from generator.render import render_site
from generator.theme import find_theme, theme_search_path
from tests.conftest import write_file

ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
HOSTILE = "</script><script>alert(1)</script>\u2028&amp;"


def article(source_id: str, url: str = "") -> ProcessedArticle:
    sentence = Sentence("The bridge closed on Monday.", 0, 0, 1)
    return ProcessedArticle(
        source_id=source_id,
        path=f"content/s/{source_id}.txt",
        meta=ArticleMeta(title=f"{source_id} headline", outlet=source_id.title(), url=url),
        paragraphs=(Block(1, sentence.text),),
        dropped=(),
        sentences=(sentence,),
        summary=(0,),
    )


def briefing(
    slug: str, date: PartialDate | None, tags: tuple[str, ...] = (), lead: str = "Lead."
) -> Briefing:
    return Briefing(
        slug=slug,
        title=f"Title of {slug}",
        date=date,
        note_markdown="",
        lead=(LeadSentence(lead, ("wire",)),),
        facts=FactsResult(()),
        sources=(SourceSection(article("wire", "https://example.org/a"), ("Summary.",)),),
        tags=tags,
    )


STORIES = [
    briefing("old", PartialDate(3, 1, 2024), ("Bridges", "Council")),
    briefing("new", PartialDate(3, 14, 2025), ("bridges",), lead=f"Lead {HOSTILE}."),
    briefing("undated", None),
]


def render(tmp_path: Path, **settings: object) -> dict[str, bytes]:
    return render_site(STORIES, replace(Settings(), **settings), find_theme("default", tmp_path))


def page(files: dict[str, bytes], path: str) -> str:
    return files[path].decode("utf-8")


# --- feed ---------------------------------------------------------------------------


def test_feed_has_one_entry_per_briefing_newest_first_with_absolute_links(
    tmp_path: Path,
) -> None:
    files = render(tmp_path, base_url="https://example.org/news")
    feed = ET.fromstring(files["feed.xml"])
    assert feed.tag == f"{ATOM}feed"
    assert feed.findtext(f"{ATOM}id") == "https://example.org/news/"
    assert feed.findtext(f"{ATOM}updated") == "2025-03-14T00:00:00Z"
    entries = feed.findall(f"{ATOM}entry")
    assert [e.findtext(f"{ATOM}id") for e in entries] == [
        "https://example.org/news/new/",
        "https://example.org/news/old/",
        "https://example.org/news/undated/",
    ]
    first = entries[0]
    assert first.findtext(f"{ATOM}summary") == f"Lead {HOSTILE}."  # text, escaped by XML
    link = first.find(f"{ATOM}link")
    assert link is not None and link.get("href") == "https://example.org/news/new/index.html"
    assert first.find(f"{ATOM}category").get("term") == "bridges"  # type: ignore[union-attr]
    # an undated briefing still has the required <updated>: the feed's newest date
    assert entries[2].findtext(f"{ATOM}updated") == "2025-03-14T00:00:00Z"
    assert entries[2].find(f"{ATOM}published") is None


def test_feed_without_base_url_has_urn_ids_and_relative_links(tmp_path: Path) -> None:
    feed = ET.fromstring(render(tmp_path)["feed.xml"])
    ids = [entry.findtext(f"{ATOM}id") for entry in feed.findall(f"{ATOM}entry")]
    assert all(re.fullmatch(r"urn:uuid:[0-9a-f-]{36}", id_ or "") for id_ in ids)
    assert len(set(ids)) == 3
    assert ids == [  # stable from build to build
        entry.findtext(f"{ATOM}id")
        for entry in ET.fromstring(render(tmp_path)["feed.xml"]).findall(f"{ATOM}entry")
    ]
    hrefs = [link.get("href") for link in feed.iter(f"{ATOM}link")]
    assert "new/index.html" in hrefs and not any(h and "://" in h for h in hrefs)
    assert not [link for link in feed.iter(f"{ATOM}link") if link.get("rel") == "self"]


def test_feed_holds_the_newest_feed_entries_briefings(tmp_path: Path) -> None:
    feed = ET.fromstring(
        render(tmp_path, base_url="https://example.org", feed_entries=2)["feed.xml"]
    )
    ids = [entry.findtext(f"{ATOM}id") for entry in feed.findall(f"{ATOM}entry")]
    assert ids == ["https://example.org/new/", "https://example.org/old/"]
    with pytest.raises(BriefingError, match="'feed_entries' must be between 1 and 100000"):
        settings_from_table({"feed_entries": 0}, "site.toml")


def test_characters_xml_cannot_carry_are_dropped() -> None:
    assert xml_text("a\x00b\x0bc\ufffed\tok\n") == "abcd\tok\n"


# --- sitemap, robots.txt, 404 ----------------------------------------------------------


def test_sitemap_only_with_base_url_and_robots_points_at_it(tmp_path: Path) -> None:
    plain = render(tmp_path)
    assert "sitemap.xml" not in plain
    assert plain["robots.txt"] == b"User-agent: *\nAllow: /\n"
    files = render(tmp_path, base_url="https://example.org/news/")
    urls = ET.fromstring(files["sitemap.xml"]).findall(f"{SITEMAP}url")
    locs = [url.findtext(f"{SITEMAP}loc") for url in urls]
    assert locs == [
        "https://example.org/news/",
        "https://example.org/news/new/",
        "https://example.org/news/old/",
        "https://example.org/news/undated/",
        "https://example.org/news/tags/",
        "https://example.org/news/tags/bridges/",
        "https://example.org/news/tags/council/",
    ]
    assert urls[1].findtext(f"{SITEMAP}lastmod") == "2025-03-14"
    assert urls[3].find(f"{SITEMAP}lastmod") is None
    assert b"Sitemap: https://example.org/news/sitemap.xml\n" in files["robots.txt"]


def test_404_page_links_work_at_any_depth(tmp_path: Path) -> None:
    without = page(render(tmp_path), "404.html")
    assert 'href="/static/style.css"' in without and 'href="/index.html"' in without
    with_base = page(render(tmp_path, base_url="https://example.org/news"), "404.html")
    assert 'href="https://example.org/news/static/style.css"' in with_base
    assert 'href="https://example.org/news/index.html"' in with_base
    assert 'name="robots" content="noindex"' in with_base


# --- page metadata ----------------------------------------------------------------------


def test_canonical_and_social_tags_follow_base_url(tmp_path: Path) -> None:
    plain = page(render(tmp_path), "new/index.html")
    assert 'rel="canonical"' not in plain and "og:url" not in plain
    assert '<meta property="og:title" content="Title of new">' in plain
    files = render(tmp_path, base_url="https://example.org/news")
    html = page(files, "new/index.html")
    assert '<link rel="canonical" href="https://example.org/news/new/">' in html
    assert '<meta property="og:url" content="https://example.org/news/new/">' in html
    assert '<meta property="og:type" content="article">' in html
    assert '<meta property="article:published_time" content="2025-03-14">' in html
    assert '<meta name="twitter:card" content="summary">' in html
    assert "<script>alert" not in html  # the lead in content="" is escaped
    assert "&lt;/script&gt;&lt;script&gt;" in html
    source = page(files, "new/sources/wire.html")
    assert 'name="robots" content="noindex, follow"' in source
    assert 'href="https://example.org/news/new/sources/wire.html"' in source


def test_outbound_source_links_are_noopener(tmp_path: Path) -> None:
    html = page(render(tmp_path), "new/index.html")
    outbound = re.findall(r'<a [^>]*href="https://example\.org/a"[^>]*>', html)
    assert outbound and all('rel="noopener"' in link for link in outbound)


# --- tags -------------------------------------------------------------------------------


def test_tag_pages_group_briefings_by_tag_slug(tmp_path: Path) -> None:
    files = render(tmp_path)
    assert {name for name in files if name.startswith("tags/")} == {
        "tags/index.html",
        "tags/bridges/index.html",
        "tags/council/index.html",
    }
    bridges = page(files, "tags/bridges/index.html")
    assert bridges.index('href="../../new/index.html"') < bridges.index(
        'href="../../old/index.html"'
    )
    assert "undated/index.html" not in bridges
    assert 'href="../../static/style.css"' in bridges
    briefing_page = page(files, "old/index.html")
    assert 'href="../tags/council/index.html"' in briefing_page
    tag_index = page(files, "tags/index.html")
    # named by the spelling of the newest briefing that uses it; sorted by name
    assert tag_index.index(">bridges<") < tag_index.index(">Council<")


def test_no_tag_pages_without_tags(tmp_path: Path) -> None:
    files = render_site([briefing("plain", None)], Settings(), find_theme("default", tmp_path))
    assert not [name for name in files if name.startswith("tags/")]


def test_index_md_tags_are_read_deduplicated_with_warnings(tmp_path: Path) -> None:
    path = write_file(
        tmp_path / "index.md", "---\ntags: [Bridges, bridges, '!!', Council]\n---\nNote.\n"
    )
    meta, warnings = read_index(path, "index.md")
    assert meta.tags == ("Bridges", "Council")
    assert [w.line for w in warnings] == [2] and "'!!'" in warnings[0].message
    write_file(path, "---\ntags: roads, rail\n---\n")
    assert read_index(path, "index.md")[0].tags == ("roads", "rail")
    write_file(path, "---\ntags: {a: 1}\n---\n")
    with pytest.raises(BriefingError, match="'tags' must be a list"):
        read_index(path, "index.md")


# --- search -----------------------------------------------------------------------------


def test_search_is_off_by_default_and_on_writes_the_index(tmp_path: Path) -> None:
    plain = render(tmp_path)
    assert "search.json" not in plain and "search-index.js" not in plain
    assert "<script" not in page(plain, "index.html") and "<form" not in page(plain, "index.html")
    files = render(tmp_path, search=True)
    entries = json.loads(files["search.json"])
    assert [entry["slug"] for entry in entries] == ["new", "old", "undated"]
    assert entries[0]["tags"] == ["bridges"] and HOSTILE in entries[0]["text"]
    script = files["search-index.js"].decode()
    assert "</script>" not in script and "<" not in script and "\u2028" not in script
    prefix, suffix = "window.briefingSearchIndex = ", ";\n"
    assert json.loads(script.removeprefix(prefix).removesuffix(suffix)) == entries
    index = page(files, "index.html")
    assert '<script src="search-index.js" defer></script>' in index
    assert '<script src="static/search.js" defer></script>' in index
    assert re.search(r"<script>|<script [^>]*>[^<]", index) is None  # no inline code
    assert 'role="search"' in page(files, "new/index.html")


def test_script_safe_json_round_trips() -> None:
    value = {"a": "</script><!-- & \u2028 \u2029 > ok"}
    text = script_safe_json(value)
    assert not set("<>&\u2028\u2029") & set(text)
    assert json.loads(text) == value


def test_search_key_must_be_true_or_false() -> None:
    assert settings_from_table({"search": True}, "site.toml").search is True
    with pytest.raises(BriefingError, match="'search' must be true or false"):
        settings_from_table({"search": "yes"}, "site.toml")


# --- themes -----------------------------------------------------------------------------


def test_theme_search_order_site_then_package_then_defaults(tmp_path: Path) -> None:
    site, builtin = tmp_path / "site", tmp_path / "installed"
    assert theme_search_path("mine", site, builtin) == [
        site / "themes" / "mine",
        builtin / "mine",
        site / "themes" / "default",
        builtin / "default",
    ]
    (builtin / "default").mkdir(parents=True)
    (builtin / "mine").mkdir()
    assert find_theme("mine", site, builtin).folders == (builtin / "mine", builtin / "default")
    (site / "themes" / "mine").mkdir(parents=True)
    (site / "themes" / "default").mkdir(parents=True)
    assert find_theme("mine", site, builtin).folders == (
        site / "themes" / "mine",
        site / "themes" / "default",
        builtin / "default",
    )
    with pytest.raises(BriefingError, match="theme 'other' not found"):
        find_theme("other", site, builtin)


def test_site_copy_of_a_template_wins_over_the_built_in_one(tmp_path: Path) -> None:
    write_file(tmp_path / "themes" / "default" / "404.html", "custom {{ site.title }}\n")
    files = render_site(STORIES, Settings(title="T"), find_theme("default", tmp_path))
    assert files["404.html"] == b"custom T\n"
    assert b"<h1>" in files["index.html"]  # every other template still comes from the package


# --- command line -------------------------------------------------------------------------


def test_base_url_flag_overrides_site_toml(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_file(tmp_path / "content" / "story" / "a.md", "---\ntitle: A\n---\nThe bridge shut.\n")
    config = write_file(tmp_path / "site.toml", 'base_url = "https://wrong.example/"\n')
    arguments = ["build", "--content", str(tmp_path / "content"), "--config", str(config),
                 "--output", str(tmp_path / "out"), "--no-cache"]  # fmt: skip
    assert main([*arguments, "--base-url", "https://right.example/sub/"]) == 0
    html = (tmp_path / "out" / "story" / "index.html").read_text()
    assert 'href="https://right.example/sub/story/"' in html and "wrong.example" not in html
    with pytest.raises(SystemExit) as exit_info:
        main([*arguments, "--base-url", "javascript:alert(1)"])
    assert exit_info.value.code == 2
    assert "--base-url: must be an http" in capsys.readouterr().err


def test_per_page_splits_the_home_and_tag_pages_and_the_sitemap_lists_them(
    tmp_path: Path,
) -> None:
    files = render(tmp_path, base_url="https://example.org/news/", per_page=1)
    assert {"index.html", "page/2/index.html", "page/3/index.html"} <= set(files)
    assert "page/4/index.html" not in files
    # newest first, one to a page; "bridges" (two briefings) gets two pages of its own
    assert 'data-slug="new"' in page(files, "index.html")
    assert 'data-slug="undated"' in page(files, "page/3/index.html")
    assert 'data-slug="old"' in page(files, "tags/bridges/page/2/index.html")
    second = page(files, "page/2/index.html")
    assert '<link rel="canonical" href="https://example.org/news/page/2/">' in second
    assert "<title>Briefings · page 2</title>" in second
    assert 'href="../../static/style.css"' in second
    locations = [loc.text for loc in ET.fromstring(files["sitemap.xml"]).iter(f"{SITEMAP}loc")]
    for path in ("page/2/", "page/3/", "tags/bridges/page/2/"):
        assert f"https://example.org/news/{path}" in locations
    assert "tags/council/page/2/" not in " ".join(str(loc) for loc in locations)


def test_per_page_zero_lists_every_briefing_on_one_page(tmp_path: Path) -> None:
    files = render(tmp_path, per_page=0)
    assert page(files, "index.html").count('class="card"') == 3
    assert not any(path.startswith("page/") for path in files)
    assert 'class="pager"' not in page(files, "index.html")
    with pytest.raises(BriefingError, match="'per_page' must be between 0"):
        settings_from_table({"per_page": -1}, "site.toml")


def test_search_entries_carry_what_a_card_shows(tmp_path: Path) -> None:
    entries = json.loads(render(tmp_path, search=True)["search.json"])
    newest = entries[0]
    assert newest["slug"] == "new" and newest["date_human"] == "14 Mar 2025"
    assert newest["sources"] == 1 and newest["lead"] == f"Lead {HOSTILE}."
    assert newest["tag_urls"] == ["tags/bridges/index.html"]
    assert entries[-1]["date_human"] == ""
