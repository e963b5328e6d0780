"""Untrusted content: odd encodings, odd shapes, hostile front matter and files, saved
web pages, corrupt caches and leftovers of killed builds. Nothing crashes, every error
names its file, and nothing from content runs in the output."""

from __future__ import annotations

import json
import os
import re
import shutil
import time
from html.parser import HTMLParser
from pathlib import Path

import pytest

from generator.cache import FileIndex
from generator.errors import BriefingError, Problem
from generator.load import MAX_ARTICLE_CHARS, discover, read_article
from generator.model import BriefingMeta, PartialDate
from generator.pipeline import BuildOptions, BuildReport, build
from generator.write import publish
from tests.conftest import REPO_ROOT, write_file

HOSTILE = REPO_ROOT / "tests" / "fixtures" / "hostile" / "content"
BODY = (
    "RIVERTON (Herald) - The council approved the riverside park on Tuesday after a long "
    "debate. The park will cost $1.2 million and open next spring, the mayor said.\n\n"
    "Residents had asked for more green space for years, and most welcomed the plan.\n"
)
STORY = f"Park plan wins council vote\n\n{BODY}"


def read(path: Path):
    return read_article(path, path.name)


def texts(path: Path) -> list[str]:
    return [block.text for block in read(path)[0].blocks]


def run_build(site: Path, *, cache: bool = False, keep_going: bool = False) -> BuildReport:
    options = BuildOptions(
        content_dir=site / "content",
        output_dir=site / "output",
        config_path=site / "site.toml",
        keep_going=keep_going,
        use_cache=cache,
        base_dir=site,
    )
    return build(options)


def tree(folder: Path) -> dict[str, bytes]:
    return {
        path.relative_to(folder).as_posix(): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def html_pages(folder: Path) -> dict[str, str]:
    return {
        name: data.decode("utf-8") for name, data in tree(folder).items() if name.endswith(".html")
    }


class _Elements(HTMLParser):
    """Every element and attribute the browser would see, to find active content."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "iframe", "object", "embed", "svg", "img", "base", "form"):
            self.found.append(f"<{tag}>")
        for name, value in attrs:
            if name.startswith("on"):
                self.found.append(f"{tag} {name}=")
            if name in ("href", "src", "action", "formaction") and not SAFE_URL.match(value or ""):
                self.found.append(f"{tag} {name}={value}")


SAFE_URL = re.compile(r"(https?://|[\w./#-]*$)", re.IGNORECASE)


def active_content(page: str) -> list[str]:
    """Script elements, event-handler attributes and non-http(s) links in an HTML page."""
    parser = _Elements()
    parser.feed(page)
    parser.close()
    return parser.found


# --- encodings ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "data",
    [
        "Café owners cheer\nThe park “opens” soon.\n".encode(),
        "\ufeffCafé owners cheer\nThe park “opens” soon.\n".encode(),
        "Café owners cheer\nThe park “opens” soon.\n".encode("utf-16"),
        "Café owners cheer\nThe park “opens” soon.\n".encode("utf-16-be").join([b"\xfe\xff", b""]),
        "Café owners cheer\r\nThe park “opens” soon.\r\n".encode(),
        "Café owners cheer\rThe park “opens” soon.\r".encode(),
    ],
    ids=["utf8", "utf8-bom", "utf16-le-bom", "utf16-be-bom", "crlf", "lone-cr"],
)
def test_unicode_encodings_and_line_ends_read_the_same(tmp_path: Path, data: bytes) -> None:
    path = write_file(tmp_path / "a.txt", data)
    article, warnings = read(path)
    assert [block.text for block in article.blocks] == [
        "Café owners cheer",
        "The park “opens” soon.",
    ]
    assert warnings == []


def test_windows_1252_is_decoded_with_a_warning(tmp_path: Path) -> None:
    path = write_file(
        tmp_path / "a.txt", "Café owners cheer\nThe park “opens” soon.\n".encode("cp1252")
    )
    article, warnings = read(path)
    assert [block.text for block in article.blocks] == [
        "Café owners cheer",
        "The park “opens” soon.",
    ]
    (warning,) = warnings
    assert warning.severity == "warning" and warning.path == "a.txt"
    assert "decoded as windows-1252" in warning.message and "byte offset 3" in warning.message


@pytest.mark.parametrize(
    ("data", "offset"),
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", 6),  # an image saved as .md
        (b"GIF89a\x01\x00\x01\x00\x80\x00\x00", 6),  # not UTF-8, controls
        (b"Title\nText \x00 with a NUL byte\n", 11),
        ("Привет, мир. Это текст.".encode("cp1251") * 5, 0),  # another 8-bit encoding
    ],
    ids=["png", "gif", "nul", "cp1251"],
)
def test_binary_data_is_an_error_naming_file_and_offset(
    tmp_path: Path, data: bytes, offset: int
) -> None:
    with pytest.raises(BriefingError) as caught:
        read(write_file(tmp_path / "photo.md", data))
    (problem,) = caught.value.problems
    assert problem.path == "photo.md" and problem.severity == "error"
    assert f"byte offset {offset}" in problem.message
    assert problem.line == data[:offset].count(b"\n") + 1


def test_control_characters_in_utf8_text_are_removed_with_a_warning(tmp_path: Path) -> None:
    path = write_file(tmp_path / "a.txt", "Title\x1b[31m red\nBody\x07 text.\n")
    assert texts(path) == ["Title[31m red", "Body text."]
    assert "2 control character" in read(path)[1][0].message


# --- shapes ---------------------------------------------------------------------------


@pytest.mark.parametrize("content", ["", "   \n\t\n", "\ufeff\r\n"])
def test_empty_and_blank_files_are_errors(tmp_path: Path, content: str) -> None:
    with pytest.raises(BriefingError, match="empty file"):
        read(write_file(tmp_path / "a.txt", content))


def test_only_debris_is_an_error_pointing_at_explain(tmp_path: Path) -> None:
    write_file(
        tmp_path / "content" / "s" / "debris.txt",
        "Leave a Reply\nYour email address will not be published.\nSign up for our newsletter\n",
    )
    report = run_build(tmp_path)
    (problem,) = report.errors
    assert problem.path == "content/s/debris.txt"
    assert "no article text left" in problem.message and "--explain" in problem.message
    assert not (tmp_path / "output").exists()


def test_a_20_mb_article_is_capped_with_a_warning_and_builds_fast(tmp_path: Path) -> None:
    paragraph = " ".join(
        f"The council met on day {number} and the mayor said the park plan is on track."
        for number in range(20)
    )
    text = "Huge report on the park\n\n" + "\n\n".join([paragraph] * 14_000)
    assert len(text) > 20_000_000
    write_file(tmp_path / "content" / "big" / "huge.txt", text)
    started = time.perf_counter()
    report = run_build(tmp_path)
    seconds = time.perf_counter() - started
    assert report.errors == [] and report.written
    assert seconds < 30, f"a 20 MB article took {seconds:.1f} s"
    (warning,) = report.warnings
    assert "very long" in warning.message and warning.path == "content/big/huge.txt"
    data = json.loads((tmp_path / "output" / "big" / "briefing.json").read_text("utf-8"))
    assert len(data["sources"][0]["summary"]) == 3


def test_one_huge_paragraph_without_punctuation(tmp_path: Path) -> None:
    words = " ".join(["council", "park", "river", "bridge", "mayor"] * 200_000)
    path = write_file(tmp_path / "a.txt", f"Title\n\n{words}")
    article, warnings = read(path)
    (title, body) = article.blocks
    assert title.text == "Title"
    assert len(body.text) <= MAX_ARTICLE_CHARS and body.text.endswith(
        ("council", "park", "river", "bridge", "mayor")
    )
    assert "very long" in warnings[0].message
    write_file(tmp_path / "content" / "s" / "a.txt", path.read_bytes())
    assert run_build(tmp_path).written


def test_ten_thousand_one_line_paragraphs(tmp_path: Path) -> None:
    lines = "\n".join(
        f"Line {n}: the council said the park opens in spring." for n in range(10_000)
    )
    write_file(tmp_path / "content" / "s" / "lines.txt", f"Many lines\n{lines}\n")
    started = time.perf_counter()
    report = run_build(tmp_path)
    assert report.written and report.errors == []
    assert time.perf_counter() - started < 20
    assert "300 paragraphs" in report.warnings[0].message


def test_article_in_another_language_uses_its_models(tmp_path: Path) -> None:
    german = (
        "---\ntitle: Brücke gesperrt\nlanguage: de-DE\n---\n"
        "Die Brücke in der Stadt wurde am Dienstag gesperrt. Der Bürgermeister sagte, die "
        "Reparatur dauere bis zum Frühjahr. Die Kosten betragen 4,2 Mio. Euro. Anwohner "
        "müssen Umwege fahren. Der Stadtrat berät am Donnerstag über eine Fähre.\n"
    )
    article, warnings = read(write_file(tmp_path / "de.md", german))
    assert article.meta.language == "de" and warnings == []
    write_file(tmp_path / "content" / "s" / "de.md", german)
    report = run_build(tmp_path)
    assert report.errors == []
    data = json.loads((tmp_path / "output" / "s" / "briefing.json").read_text("utf-8"))
    # German Punkt knows "Mio." is an abbreviation: the sentence is not cut there
    assert any("4,2 Mio. Euro" in sentence for sentence in data["sources"][0]["summary"])


def test_unknown_language_is_a_clear_warning(tmp_path: Path) -> None:
    article, warnings = read(write_file(tmp_path / "a.md", "---\nlanguage: klingon\n---\nText.\n"))
    assert article.meta.language == ""
    (warning,) = warnings
    assert (warning.line, warning.severity) == (2, "warning")
    assert "language 'klingon' is not supported" in warning.message


@pytest.mark.parametrize("count", [0, 1, 200])
def test_briefing_folders_with_none_one_and_many_articles(tmp_path: Path, count: int) -> None:
    story = tmp_path / "content" / "story"
    story.mkdir(parents=True)
    for number in range(count):
        write_file(
            story / f"outlet-{number}.md",
            f"---\ntitle: Park report {number}\noutlet: Outlet {number}\n---\n"
            f"The council approved the park on Tuesday, outlet {number} said.\n\n"
            f"It will cost ${number}.5 million and open in spring.\n",
        )
    report = run_build(tmp_path)
    assert report.errors == [] and report.written
    if count == 0:
        assert [w.message for w in report.warnings] == ["no articles: briefing skipped"]
        assert not (tmp_path / "output" / "story").exists()
    else:
        data = json.loads((tmp_path / "output" / "story" / "briefing.json").read_text("utf-8"))
        assert len(data["sources"]) == count
        assert len({source["id"] for source in data["sources"]}) == count


# --- front matter ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("header", "line", "message"),
    [
        ("title: [unclosed", 2, "invalid YAML"),
        ("- a\n- b", 2, "not a YAML list"),
        ("just text", 2, "not a YAML str"),
        ("published: yes", 2, "'published' must be a date"),
        ("title: {a: 1}", 2, "'title' must be text"),
        ("url: ../../etc/passwd", 2, "'url' must be an http"),
        ("url: /etc/passwd", 2, "'url' must be an http"),
        ("url: javascript:alert(1)", 2, "'url' must be an http"),
        ("url: JaVaScRiPt:alert(1)", 2, "'url' must be an http"),
        ('url: https://x.org/"><script>', 2, "'url' must be an http"),
        ('title: "bad \\ud800 escape"', 2, "invalid escape"),
        ("x: !!python/object/apply:os.system ['echo hi']", 2, "invalid YAML"),
        ("a: &a [1, 2]\nb: *a", 2, "anchors and aliases"),
        ("title: " + "x" * 20_000, 1, "front matter is"),
    ],
)
def test_bad_front_matter_is_one_error_with_a_line(
    tmp_path: Path, header: str, line: int, message: str
) -> None:
    with pytest.raises(BriefingError) as caught:
        read(write_file(tmp_path / "a.md", f"---\n{header}\n---\nBody text.\n"))
    (problem,) = caught.value.problems
    assert (problem.path, problem.line) == ("a.md", line)
    assert message in problem.message


def test_billion_laughs_is_refused_quickly(tmp_path: Path) -> None:
    layers = ['a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for name, previous in zip("bcdefghi", "abcdefgh", strict=True):
        layers.append(f"{name}: &{name} [{', '.join([f'*{previous}'] * 9)}]")
    started = time.perf_counter()
    with pytest.raises(BriefingError, match="anchors and aliases"):
        read(write_file(tmp_path / "a.md", "---\n" + "\n".join(layers) + "\n---\nText.\n"))
    assert time.perf_counter() - started < 1


def test_opening_dashes_never_closed_is_an_error_at_line_1(tmp_path: Path) -> None:
    with pytest.raises(BriefingError) as caught:
        read(write_file(tmp_path / "a.md", "---\ntitle: x\n" + "Body line.\n" * 1000))
    assert caught.value.problems[0].line == 1


@pytest.mark.parametrize(
    "value",
    [
        "2021-10-20",
        "2021-10-20T09:30:00Z",
        "2021-10-20 09:30:00",
        "20 October 2021",
        "20 Oct 2021",
        "October 20, 2021",
        "Oct. 20, 2021",
        "20th October 2021",
        "Wednesday, 20 October 2021",
        "20.10.2021",
        "2021/10/20",
        "'2021-10-20'",
    ],
)
def test_dates_in_several_formats(tmp_path: Path, value: str) -> None:
    article, _ = read(write_file(tmp_path / "a.md", f"---\npublished: {value}\n---\nText.\n"))
    assert article.meta.published == PartialDate(10, 20, 2021)


def test_unknown_keys_such_as_slug_are_warnings_and_change_nothing(tmp_path: Path) -> None:
    write_file(
        tmp_path / "content" / "story" / "a.md",
        f"---\nslug: ../../../outside\ntemplate: ../../etc/passwd\n---\n{BODY}",
    )
    report = run_build(tmp_path)
    assert report.errors == []
    assert sorted(w.line for w in report.warnings) == [2, 3]
    assert sorted(tree(tmp_path / "output")) == [
        "404.html",
        "feed.xml",
        "index.html",
        "robots.txt",
        "static/favicon.svg",
        "static/search.js",
        "static/style.css",
        "story/briefing.json",
        "story/index.html",
        "story/sources/a.html",
    ]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["content", "output"]


# --- files ----------------------------------------------------------------------------


def test_symlinks_pointing_outside_are_not_followed(tmp_path: Path) -> None:
    secret = write_file(tmp_path / "secret.txt", "Secret title\n\nThe secret text.\n")
    story = tmp_path / "content" / "story"
    write_file(story / "real.txt", STORY)
    (story / "link.txt").symlink_to(secret)
    (tmp_path / "content" / "linked-story").symlink_to(tmp_path)
    report = run_build(tmp_path)
    assert report.errors == []
    warned = {w.path: w.message for w in report.warnings}
    assert "symbolic links are not followed" in warned["content/story/link.txt"]
    assert "symbolic links are not followed" in warned["content/linked-story"]
    site = b"".join(tree(tmp_path / "output").values())
    assert b"secret" not in site.lower()


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads files whatever their mode")
def test_unreadable_file_is_an_error_naming_it(tmp_path: Path) -> None:
    path = write_file(tmp_path / "a.txt", STORY)
    path.chmod(0)
    try:
        with pytest.raises(BriefingError, match="cannot be read: Permission denied"):
            read(path)
    finally:
        path.chmod(0o644)


def test_folders_and_special_files_named_like_articles_are_skipped(tmp_path: Path) -> None:
    story = tmp_path / "content" / "story"
    write_file(story / "x.md" / "inner.txt", STORY)
    write_file(story / "real.txt", STORY)
    os.mkfifo(story / "pipe.txt")  # reading it would block the build forever
    for name in (".hidden.md", ".#lock.md", "a.md~", ".a.md.swp", "4913"):
        write_file(story / name, "---\nnot: [closed\n")
    discovery = discover(tmp_path / "content", tmp_path)
    assert [path.name for path in discovery.briefings[0].article_paths] == ["real.txt"]
    assert {w.path: w.message for w in discovery.warnings} == {
        "content/story/pipe.txt": "ignored: not a regular file",
        "content/story/x.md": "ignored: sub-folders are not read",
    }


def test_names_with_spaces_and_accents_give_clean_unique_stable_ids(tmp_path: Path) -> None:
    story = tmp_path / "content" / "Ça va, Zürich!"
    for name in ("Über Blick.txt", "uber blick.txt", "uber-blick.txt", "日本.txt", "!!.txt"):
        write_file(story / name, STORY)
    write_file(tmp_path / "content" / "ca-va-zurich" / "a.txt", STORY)
    (collision,) = run_build(tmp_path).errors
    assert "slug 'ca-va-zurich' is already used" in collision.message
    shutil.rmtree(tmp_path / "content" / "ca-va-zurich")
    first = run_build(tmp_path)
    assert first.errors == []
    ids = [
        s["id"]
        for s in json.loads((tmp_path / "output/ca-va-zurich/briefing.json").read_text())["sources"]
    ]
    assert sorted(ids) == ["source", "source-2", "uber-blick", "uber-blick-2", "uber-blick-3"]
    assert all(re.fullmatch(r"[a-z0-9-]+", source_id) for source_id in ids)
    run_build(tmp_path)
    again = json.loads((tmp_path / "output/ca-va-zurich/briefing.json").read_text())["sources"]
    assert [s["id"] for s in again] == ids


# --- saved web pages --------------------------------------------------------------------


def test_saved_web_page_main_text_and_metadata(tmp_path: Path) -> None:
    page = (HOSTILE / "Café Ünïcode Story" / "page.html").read_bytes()
    article, warnings = read(write_file(tmp_path / "page.html", page))
    meta = article.meta
    assert meta.title == "Riverside park opens next spring"
    assert meta.outlet == "Riverside Times<script>alert(1)</script>"  # text, escaped later
    assert meta.published == PartialDate(5, 3, 2024)
    assert meta.url == ""  # the canonical link is javascript:
    assert "not http(s)" in warnings[0].message
    joined = " ".join(block.text for block in article.blocks)
    assert "will open next spring" in joined and "Residents welcomed" in joined
    for debris in ("Home", "Library hours change", "Leave a Reply", "page script"):
        assert debris not in joined


def test_saved_web_page_canonical_url_and_language(tmp_path: Path) -> None:
    page = (
        '<html lang="de-AT"><head><meta property="og:site_name" content="Wiener Blatt">'
        '<link rel="canonical" href="https://example.at/a?x=1&amp;y=2">'
        '<meta name="date" content="20.10.2021"></head><body><article><h1>Brücke</h1>'
        "<p>Die Brücke wurde am Dienstag gesperrt, sagte der Bürgermeister der Stadt.</p>"
        "<p>Die Reparatur dauert bis zum Frühjahr, und Anwohner müssen Umwege fahren.</p>"
        "</article></body></html>"
    )
    article, warnings = read(write_file(tmp_path / "a.html", page))
    assert (article.meta.outlet, article.meta.url) == (
        "Wiener Blatt",
        "https://example.at/a?x=1&y=2",
    )
    assert (article.meta.language, article.meta.published) == ("de", PartialDate(10, 20, 2021))
    assert warnings == []


# --- cache and leftovers ----------------------------------------------------------------


@pytest.mark.parametrize(
    "corrupt",
    [
        lambda text: text[: len(text) // 2],
        lambda text: "",
        lambda text: "\x00\xff" * 10,
        lambda text: text.replace("council", "COUNCIL"),  # checksum no longer matches
        lambda text: json.dumps({"key": "someone else", "article": "{}"}),
        lambda text: json.dumps([1, 2, 3]),
    ],
    ids=["truncated", "empty", "garbage", "edited", "foreign", "wrong-shape"],
)
def test_corrupt_cache_entries_are_ignored_and_rebuilt(tmp_path: Path, corrupt) -> None:
    write_file(tmp_path / "content" / "story" / "a.txt", STORY)
    write_file(tmp_path / "content" / "story" / "b.md", f"---\ntitle: B\n---\n{BODY}")
    assert run_build(tmp_path, cache=True).errors == []
    good = tree(tmp_path / "output")
    entries = sorted((tmp_path / ".briefing-cache").glob("*.json"))
    assert len(entries) == 2
    for entry in entries:
        entry.write_text(corrupt(entry.read_text("utf-8")), "utf-8", errors="surrogateescape")
    shutil.rmtree(tmp_path / "output")
    assert run_build(tmp_path, cache=True).errors == []
    assert tree(tmp_path / "output") == good
    for entry in entries:
        header = entry.read_text("utf-8").partition("\n")[0]
        assert json.loads(header)["sha256"]  # rewritten whole


GOOD_META = {"title": "T", "date": {"month": 3, "day": 14, "year": 2025}, "lead_words": 90,
             "note_markdown": "Note", "tags": ["bridges"]}  # fmt: skip


@pytest.mark.parametrize(
    "change",
    [
        {"title": 5},
        {"date": {"month": "3", "day": 14, "year": 2025}},
        {"date": {"month": 3, "day": 14, "year": True}},
        {"date": {"month": 3}},
        {"date": "2025-03-14"},
        {"lead_words": True},
        {"lead_words": "90"},
        {"tags": "bridges"},
        {"tags": [1]},
        {"note_markdown": None},
        {"title": None, "extra": 1},
    ],
)
def test_malformed_index_md_entries_of_the_file_index_are_misses(
    tmp_path: Path, change: dict
) -> None:
    """A checksummed file index whose index.md entry is not what the build writes is
    read as if the entry were not there (the file is read again)."""
    index = FileIndex(tmp_path)
    signature = (1, 2, 3, 4)
    meta = BriefingMeta("T", PartialDate(3, 14, 2025), 90, "Note", ("bridges",))
    index.record_meta("content/a/index.md", signature, meta, [Problem("x", "warned", 2)])
    assert index.lookup_meta("content/a/index.md", signature) == (
        meta, (Problem("x", "warned", 2),)
    )  # fmt: skip
    assert index.lookup_meta("content/a/index.md", (1, 2, 3, 5)) is None
    index.entries["content/a/index.md"][1] = {**GOOD_META, **change}
    assert index.lookup_meta("content/a/index.md", signature) is None


def _first(mapping: dict) -> object:
    return mapping[sorted(mapping)[0]]


# What a forged (checksummed, well-keyed) index may hold instead of what a build writes.
FORGED_INDEXES = {
    "folder record key": ("files/files.index", lambda d: _first(d["folders"]).__setitem__(1, 7)),
    "folder record files": ("files/files.index", lambda d: _first(d["folders"]).__setitem__(3, 5)),
    "folder record entry": (
        "files/files.index",
        lambda d: _first(d["folders"])[3].__setitem__(0, ["a.txt", None, [None, 1]]),
    ),
    "folder record index": ("files/files.index", lambda d: _first(d["folders"]).__setitem__(2, 1)),
    "folders": ("files/files.index", lambda d: d.__setitem__("folders", [1])),
    "listing names": ("files/listings.index", lambda d: _first(d["folders"]).__setitem__(3, 3)),
    "listing warnings": (
        "files/listings.index",
        lambda d: _first(d["folders"]).__setitem__(4, [{"path": 1}]),
    ),
    "listing slug": ("files/listings.index", lambda d: _first(d["folders"]).__setitem__(1, None)),
    "manifest entry": (
        "output/output-manifest.index",
        lambda d: d["files"].__setitem__("index.html", ["x", [1, 2, 3]]),
    ),
    "manifest files": ("output/output-manifest.index", lambda d: d.__setitem__("files", 4)),
}


@pytest.mark.parametrize("forged", sorted(FORGED_INDEXES))
def test_forged_indexes_of_the_wrong_shape_are_not_used(tmp_path: Path, forged: str) -> None:
    """An index whose checksum and key are right but whose entries are not what a build
    writes is not trusted: no traceback, and the same bytes as a clean build."""
    from generator.cache import code_fingerprint, read_index, write_index
    from generator.write import MANIFEST_KEY

    write_file(tmp_path / "content" / "story" / "a.txt", STORY)
    write_file(tmp_path / "content" / "story" / "index.md", "---\ntitle: Park\n---\n")
    folder = tmp_path / "content" / "story"
    os.utime(folder, ns=(folder.stat().st_atime_ns, folder.stat().st_mtime_ns - 60 * 10**9))
    assert run_build(tmp_path, cache=True).errors == []
    good = tree(tmp_path / "output")
    name, forge = FORGED_INDEXES[forged]
    path = tmp_path / ".briefing-cache" / name
    key, field = (MANIFEST_KEY, "files") if "manifest" in name else (code_fingerprint(), "")
    field = field or ("listings" if "listings" in name else "files")
    data = read_index(path, key, field)
    assert data is not None, "the build wrote the index"
    forge(data)
    write_index(path, key, data, field)
    report = run_build(tmp_path, cache=True)
    assert report.errors == [] and tree(tmp_path / "output") == good


def test_leftovers_of_a_killed_build_are_removed(tmp_path: Path) -> None:
    write_file(tmp_path / "content" / "story" / "a.txt", STORY)
    assert run_build(tmp_path).written
    good = tree(tmp_path / "output")
    write_file(tmp_path / ".output.new-abc123" / "index.html", "half")
    write_file(tmp_path / ".output.old-def456" / "index.html", "older")
    write_file(tmp_path / "content" / "story" / "broken.md", "---\ntitle: x\n")
    report = run_build(tmp_path)  # a failing build tidies too
    assert report.errors and not report.written
    assert sorted(p.name for p in tmp_path.iterdir()) == ["content", "output"]
    assert tree(tmp_path / "output") == good


def test_kill_between_the_two_renames_is_recovered(tmp_path: Path) -> None:
    publish({"index.html": b"previous"}, tmp_path / "output")
    (tmp_path / "output").rename(tmp_path / ".output.old-xyz")  # the state after rename 1
    write_file(tmp_path / ".output.new-abc" / "index.html", "next, maybe half")
    publish({"index.html": b"previous", "new.html": b"new"}, tmp_path / "output")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["output"]
    assert tree(tmp_path / "output") == {"index.html": b"previous", "new.html": b"new"}


def test_published_site_is_readable_by_everyone(tmp_path: Path) -> None:
    publish({"index.html": b"x"}, tmp_path / "output")
    assert (tmp_path / "output").stat().st_mode & 0o755 == 0o755


# --- the hostile fixture ----------------------------------------------------------------

EXPECTED_ERRORS = {
    ("content/Café Ünïcode Story/aliases.md", 2),
    ("content/Café Ünïcode Story/photo.md", 2),
    ("content/script-story/javascript-url.md", 3),
}


def test_hostile_fixture_builds_and_nothing_from_content_runs(tmp_path: Path) -> None:
    shutil.copytree(HOSTILE, tmp_path / "content", symlinks=True)
    report = run_build(tmp_path, keep_going=True)
    assert {(problem.path, problem.line) for problem in report.errors} == EXPECTED_ERRORS
    assert report.written and report.briefings == 2
    pages = html_pages(tmp_path / "output")
    assert "cafe-unicode-story/index.html" in pages and "script-story/index.html" in pages
    for name, page in pages.items():
        assert active_content(page) == [], name
    story = pages["script-story/index.html"]
    assert "&lt;script&gt;alert(&#39;title&#39;)&lt;/script&gt; &amp; friends" in story
    assert "{{ 7*7 }}" in pages["script-story/sources/herald.html"]  # not a template
    data = json.loads((tmp_path / "output" / "script-story" / "briefing.json").read_text())
    assert data["title"] == "<script>alert('title')</script> & friends"  # data, as written
