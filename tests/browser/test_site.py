"""The built sample site in headless Chromium: no console errors under a strict
Content-Security-Policy, no horizontal scroll on a phone or a desktop, dark mode, the
search box, a 404 page at depth, and no serious or critical axe-core violations.
Plus a crawl of output/: every relative link and its #fragment exist.

Chromium is Debian's /usr/bin/chromium driven by Playwright (never `playwright
install`); axe-core comes from `.ci/node_modules` (`.ci/run` installs it). Without
them these tests skip with a reason; the crawl needs neither.
"""

from __future__ import annotations

import functools
import http.server
import shutil
import threading
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import pytest

from generator.cli import main

REPO = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
AXE = REPO / ".ci" / "node_modules" / "axe-core" / "axe.min.js"
FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]  # fmt: skip
CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
    "connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
)
SLUG = "harlow-ferry-bridge"
PAGES = ["index.html", f"{SLUG}/index.html", f"{SLUG}/sources/valley-wire.html",
         "tags/bridges/index.html", "tags/index.html"]  # fmt: skip


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample briefing with tags and search on, built into a temporary folder."""
    root = tmp_path_factory.mktemp("site")
    shutil.copytree(REPO / "content", root / "content")
    index = root / "content" / SLUG / "index.md"
    text = index.read_text(encoding="utf-8")
    index.write_text(text.replace("date:", "tags: [Bridges, Harlow Ferry]\ndate:", 1))
    (root / "site.toml").write_text('title = "Briefing demo"\nsearch = true\n')
    arguments = ["build", "--content", str(root / "content"), "--output", str(root / "output"),
                 "--config", str(root / "site.toml"), "--no-cache"]  # fmt: skip
    assert main(arguments) == 0
    return root / "output"


# --- every internal link resolves (no browser needed) ---------------------------------


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name == "id" and value:
                self.ids.add(value)
            if name in ("href", "src", "action") and value is not None:
                self.links.append(value)


@functools.cache
def _parse(path: Path) -> _Links:
    parser = _Links()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def test_every_internal_link_and_fragment_exists(site: Path) -> None:
    broken: list[str] = []
    pages = sorted(site.rglob("*.html"))
    assert len(pages) >= 10
    for page in pages:
        for link in _parse(page).links:
            parts = urlsplit(link)
            if parts.scheme or parts.netloc:
                continue  # outbound: the sources' own addresses
            base = site if parts.path.startswith("/") else page.parent  # 404.html: root-relative
            target = (base / unquote(parts.path).lstrip("/")).resolve() if parts.path else page
            if target.is_dir():
                target = target / "index.html"
            if not target.is_file() or site.resolve() not in target.parents:
                broken.append(f"{page.relative_to(site)}: {link}")
            elif (
                parts.fragment
                and target.suffix == ".html"
                and (parts.fragment not in _parse(target).ids)
            ):
                broken.append(f"{page.relative_to(site)}: {link} (no such id)")
    assert broken == []


# --- in Chromium ------------------------------------------------------------------------


class _Handler(http.server.SimpleHTTPRequestHandler):
    """Serves output/ with a strict CSP; a missing path gets 404.html, as hosts do."""

    def end_headers(self) -> None:
        self.send_header("Content-Security-Policy", CSP)
        super().end_headers()

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        page = Path(self.directory) / "404.html"
        if code != 404 or not page.is_file():
            super().send_error(code, message, explain)
            return
        body = page.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture(scope="module")
def server(site: Path) -> Iterator[str]:
    handler = functools.partial(_Handler, directory=str(site))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
    if not CHROMIUM.is_file():
        pytest.skip("chromium is not installed at /usr/bin/chromium")
    with sync_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=FLAGS)
        yield launched
        launched.close()


class Tab:
    """A page that records console errors, uncaught exceptions and failed requests."""

    def __init__(self, browser: Any, width: int, dark: bool = False, axe: bool = False) -> None:
        self.context = browser.new_context(
            viewport={"width": width, "height": 800},
            color_scheme="dark" if dark else "light",
            bypass_csp=axe,  # axe-core is injected as an inline script
        )
        self.page = self.context.new_page()
        self.errors: list[str] = []
        self.page.on("console", self._console)
        self.page.on("pageerror", lambda error: self.errors.append(f"exception: {error}"))
        self.page.on("requestfailed", self._failed)

    def _failed(self, request: Any) -> None:
        if "ERR_ABORTED" not in (request.failure or ""):  # not: cancelled by the next goto
            self.errors.append(f"failed: {request.url} {request.failure}")

    def _console(self, message: Any) -> None:
        if message.type in ("error", "warning"):
            self.errors.append(f"console {message.type}: {message.text}")

    def open(self, url: str) -> Any:
        return self.page.goto(url, wait_until="load")

    def close(self) -> None:
        self.context.close()


@pytest.fixture
def tabs(browser: Any) -> Iterator[list[Tab]]:
    opened: list[Tab] = []
    yield opened
    for tab in opened:
        tab.close()


def new_tab(
    tabs: list[Tab], browser: Any, width: int, dark: bool = False, axe: bool = False
) -> Tab:
    tab = Tab(browser, width, dark, axe)
    tabs.append(tab)
    return tab


@pytest.mark.parametrize("width", [390, 1280])
def test_pages_have_no_errors_and_no_horizontal_scroll(
    browser: Any, tabs: list[Tab], server: str, width: int
) -> None:
    tab = new_tab(tabs, browser, width)
    for path in PAGES:
        response = tab.open(server + path)
        assert response.status == 200, path
        overflow = tab.page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0, f"{path} scrolls sideways by {overflow}px at {width}px"
    assert tab.errors == []


def _luminance(css_color: str) -> float:
    numbers = [float(x) for x in css_color[css_color.index("(") + 1 : -1].split(",")[:3]]
    return sum(
        weight * value for weight, value in zip((0.2126, 0.7152, 0.0722), numbers, strict=True)
    )


def test_dark_mode_follows_the_system_setting(browser: Any, tabs: list[Tab], server: str) -> None:
    colours = {}
    for dark in (False, True):
        tab = new_tab(tabs, browser, 1280, dark)
        tab.open(server + f"{SLUG}/index.html")
        colours[dark] = tab.page.evaluate(
            "[getComputedStyle(document.body).backgroundColor,"
            " getComputedStyle(document.body).color]"
        )
        assert tab.errors == []
    assert _luminance(colours[False][0]) > 200 > 60 > _luminance(colours[True][0])
    assert _luminance(colours[True][1]) > 200


def test_search_filters_briefings_from_file_urls(browser: Any, tabs: list[Tab], site: Path) -> None:
    tab = new_tab(tabs, browser, 390)
    tab.open((site / "index.html").as_uri() + "?q=harl")
    cards = tab.page.locator("[data-slug]")
    assert cards.count() == 1 and cards.first.is_visible()
    assert "1 of 1" in tab.page.locator("[data-search-status]").inner_text()
    tab.page.fill("[data-search-input]", "bridges zzzqqq")
    assert not cards.first.is_visible()
    assert "0 of 1" in tab.page.locator("[data-search-status]").inner_text()
    tab.page.fill("[data-search-input]", "")
    assert cards.first.is_visible()
    assert tab.errors == []


@pytest.fixture(scope="module")
def paged_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample briefing and an older one, one briefing to a page, search on."""
    root = tmp_path_factory.mktemp("paged")
    shutil.copytree(REPO / "content", root / "content")
    older = root / "content" / "library-hours"
    older.mkdir()
    (older / "index.md").write_text("---\ntitle: Library hours\ndate: 2020-01-05\n"
                                    "tags: [Libraries]\n---\n")  # fmt: skip
    (older / "post.md").write_text(
        "---\noutlet: Town Post\n---\n\nThe town library will open until nine on weekdays.\n"
    )
    (root / "site.toml").write_text('title = "Paged"\nsearch = true\nper_page = 1\n')
    arguments = ["build", "--content", str(root / "content"), "--output", str(root / "output"),
                 "--config", str(root / "site.toml"), "--no-cache"]  # fmt: skip
    assert main(arguments) == 0
    return root / "output"


def test_search_finds_briefings_on_other_pages(
    browser: Any, tabs: list[Tab], paged_site: Path
) -> None:
    tab = new_tab(tabs, browser, 390)
    tab.open((paged_site / "page" / "2" / "index.html").as_uri())
    assert tab.page.locator("[data-slug]").count() == 1
    assert tab.page.locator("[data-slug='library-hours']").count() == 1
    assert tab.page.locator(".pager").is_visible()
    tab.open((paged_site / "index.html").as_uri() + "?q=library")
    found = tab.page.locator("[data-slug='library-hours']")  # on page 2, made from the index
    assert found.count() == 1 and found.is_visible()
    assert "1 of 2" in tab.page.locator("[data-search-status]").inner_text()
    assert not tab.page.locator(".pager").is_visible()
    assert "5 Jan 2020" in found.inner_text() and "1 source" in found.inner_text()
    found.locator("h2 a").click()
    assert tab.page.url == (paged_site / "library-hours" / "index.html").as_uri()
    tab.open((paged_site / "index.html").as_uri())
    assert tab.page.locator("[data-slug]").count() == 1  # the first page's own card again
    assert tab.errors == []


def test_404_page_is_styled_at_any_depth(browser: Any, tabs: list[Tab], server: str) -> None:
    tab = new_tab(tabs, browser, 390)
    response = tab.open(server + "no/such/deep/page.html")
    assert response.status == 404
    assert tab.page.locator("h1").inner_text() == "Page not found"
    family = tab.page.evaluate("getComputedStyle(document.querySelector('h1')).fontFamily")
    assert "serif" in family  # the stylesheet loaded from /static/
    tab.page.click("text=Go to the list of briefings")
    assert tab.page.url == server + "index.html"
    assert [error for error in tab.errors if "404" not in error] == []


@pytest.mark.skipif(not AXE.is_file(), reason=f"axe-core not found at {AXE} (.ci/run installs it)")
@pytest.mark.parametrize("dark", [False, True])
def test_no_serious_accessibility_violations(
    browser: Any, tabs: list[Tab], server: str, dark: bool
) -> None:
    tab = new_tab(tabs, browser, 1280, dark, axe=True)
    found: list[str] = []
    for path in PAGES[1:2] if dark else PAGES[:3]:  # dark: colours only, on the richest page
        tab.open(server + path)
        tab.page.add_script_tag(path=str(AXE))
        results = tab.page.evaluate(
            "axe.run(document, {runOnly: ['wcag2a', 'wcag2aa', 'wcag21aa', 'best-practice']})"
        )
        found += [
            f"{path}: {violation['id']} ({violation['impact']}): "
            f"{[node['target'] for node in violation['nodes']][:3]}"
            for violation in results["violations"]
            if violation["impact"] in ("serious", "critical")
        ]
    assert found == []


@pytest.mark.skipif(not AXE.is_file(), reason=f"axe-core not found at {AXE} (.ci/run installs it)")
def test_the_pager_has_no_serious_accessibility_violations(
    browser: Any, tabs: list[Tab], paged_site: Path
) -> None:
    tab = new_tab(tabs, browser, 1280, axe=True)
    tab.open((paged_site / "page" / "2" / "index.html").as_uri())
    tab.page.add_script_tag(path=str(AXE))
    results = tab.page.evaluate(
        "axe.run(document, {runOnly: ['wcag2a', 'wcag2aa', 'wcag21aa', 'best-practice']})"
    )
    serious = [v["id"] for v in results["violations"] if v["impact"] in ("serious", "critical")]
    assert serious == []
