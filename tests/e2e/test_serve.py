"""`briefing serve` end to end: a real server on a free loopback port, a real event-stream
client, real files changed on disk."""

from __future__ import annotations

import contextlib
import http.client
import io
import json
import os
import queue
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from generator.cli import main
from generator.pipeline import BuildOptions
from generator.serve import (
    EventHub,
    PortInUse,
    Preview,
    ServeOptions,
    inject_script,
    resolve_request,
)
from generator.theme import BUILTIN_THEMES
from generator.write import publish, publish_changes
from tests.conftest import REPO_ROOT, write_file

ARTICLE = (
    "---\ntitle: Council approves riverside park\noutlet: Town Post\npublished: 2024-05-02\n"
    "---\n\nThe town council approved a new riverside park on Tuesday after a long debate.\n\n"
    "The park will cost $1.2 million and open next spring, the mayor said.\n\n"
    "Residents had asked for more green space for years.\n"
)
TIMEOUT = 10.0


@pytest.fixture
def site(tmp_path: Path) -> Path:
    write_file(tmp_path / "content" / "park" / "post.md", ARTICLE)
    write_file(tmp_path / "content" / "fair" / "post.md", ARTICLE.replace("park", "fair"))
    write_file(tmp_path / "site.toml", 'title = "Test site"\ntheme = "mine"\n')
    template = (BUILTIN_THEMES / "default" / "briefing.html").read_text(encoding="utf-8")
    write_file(tmp_path / "themes" / "mine" / "briefing.html", template)
    write_file(tmp_path / "themes" / "mine" / "static" / "style.css", "body { color: black }\n")
    return tmp_path


@pytest.fixture
def preview(site: Path) -> Iterator[Preview]:
    options = BuildOptions(
        content_dir=site / "content",
        output_dir=site / "output",
        config_path=site / "site.toml",
        base_dir=site,
    )
    running = Preview(ServeOptions(options, port=0), io.StringIO())
    outcome = running.start()
    assert not outcome.report.errors
    yield running
    running.stop()


class EventClient:
    """A minimal text/event-stream reader on its own thread."""

    def __init__(self, url: str, page: str) -> None:
        host, port = url.removeprefix("http://").rstrip("/").rsplit(":", 1)
        self.sock = socket.create_connection((host, int(port)), timeout=TIMEOUT)
        request = f"GET /__briefing/events?page={page} HTTP/1.1\r\nHost: {host}\r\n\r\n"
        self.sock.sendall(request.encode())
        self.events: queue.Queue[tuple[str, object]] = queue.Queue()
        self.thread = threading.Thread(target=self._read, daemon=True)
        self.thread.start()
        assert self.next("ready")[0] == "ready"

    def _read(self) -> None:
        stream = self.sock.makefile("rb")
        name, data = "", ""
        try:
            for raw in stream:
                line = raw.decode().rstrip("\r\n")
                if line.startswith("event: "):
                    name = line[7:]
                elif line.startswith("data: "):
                    data = line[6:]
                elif not line and name:
                    self.events.put((name, json.loads(data)))
                    name, data = "", ""
        except OSError:
            return

    def next(self, *names: str, timeout: float = TIMEOUT) -> tuple[str, object]:
        """The next event whose name is in `names` (others are skipped)."""
        deadline = time.monotonic() + timeout
        while True:
            remaining = deadline - time.monotonic()
            assert remaining > 0, f"no {names} event within {timeout} s"
            try:
                event = self.events.get(timeout=remaining)
            except queue.Empty:
                continue
            if event[0] in names:
                return event

    def close(self) -> None:
        with contextlib.suppress(OSError):
            self.sock.shutdown(socket.SHUT_RDWR)
        self.sock.close()


@pytest.fixture
def events(preview: Preview) -> Iterator[EventClient]:
    client = EventClient(preview.url, "/park/index.html")
    yield client
    client.close()


def fetch(url: str) -> tuple[int, dict[str, str], bytes]:
    host, port = url.removeprefix("http://").split("/", 1)[0].rsplit(":", 1)
    path = "/" + url.removeprefix("http://").split("/", 1)[1]
    connection = http.client.HTTPConnection(host, int(port), timeout=TIMEOUT)
    connection.request("GET", path)
    response = connection.getresponse()
    body = response.read()
    connection.close()
    return response.status, dict(response.getheaders()), body


def tree(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()
    }


def page(preview: Preview, path: str) -> str:
    status, _, body = fetch(preview.url + path)
    assert status == 200
    return body.decode("utf-8")


def test_article_edit_reloads_with_the_new_text(
    preview: Preview, events: EventClient, site: Path
) -> None:
    article = site / "content" / "park" / "post.md"
    article.write_text(ARTICLE.replace("long debate", "stormy debate about herons"))
    events.next("reload")
    assert "stormy debate about herons" in page(preview, "park/index.html")
    assert "herons" not in page(preview, "fair/index.html")


def test_only_the_edited_article_is_processed_again(preview: Preview, site: Path) -> None:
    preview.watcher.stop()  # this test runs the rebuild itself
    fair_before = (site / "output" / "fair" / "index.html").stat().st_mtime_ns
    article = site / "content" / "park" / "post.md"
    article.write_text(ARTICLE.replace("long debate", "short debate"))
    memory = preview.live.memory
    kept = dict(memory.articles)
    outcome = preview.live.rebuild()
    assert not outcome.report.errors
    changed_articles = [key for key in memory.articles if key not in kept]
    assert [key[0] for key in changed_articles] == ["content/park/post.md"]
    assert "park/index.html" in outcome.changed
    assert not any(path.startswith("fair/") for path in outcome.changed)
    assert (site / "output" / "fair" / "index.html").stat().st_mtime_ns == fair_before


def counted_stats(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """The files the builds from now on `stat` for their signature."""
    import generator.pipeline as pipeline

    stated: list[Path] = []
    original = pipeline.file_signature

    def counting(path: Path):  # type: ignore[no-untyped-def]
        stated.append(path)
        return original(path)

    monkeypatch.setattr(pipeline, "file_signature", counting)
    return stated


def test_a_rebuild_told_what_changed_looks_at_those_files_only(
    preview: Preview, site: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    preview.watcher.stop()  # this test runs the rebuilds itself, saying what changed
    stated = counted_stats(monkeypatch)
    article = site / "content" / "park" / "post.md"
    article.write_text(ARTICLE.replace("long debate", "short debate"))
    outcome = preview.live.rebuild({str(article.resolve())})
    assert not outcome.report.errors and "park/index.html" in outcome.changed
    assert set(stated) == {site / "content" / "park" / "post.md"}  # (stat, then read)
    assert "short debate" in page(preview, "park/index.html")
    # a file the watcher saw come and go (an editor's temporary file) changes nothing
    stated.clear()
    assert not preview.live.rebuild({str(site / "content" / "park" / "post.md.tmp")}).changed
    assert stated == []


@pytest.mark.parametrize("change", ["new article", "deleted article", "new briefing"])
def test_a_rebuild_told_of_a_new_or_deleted_file_lists_the_content_again(
    preview: Preview, site: Path, change: str
) -> None:
    preview.watcher.stop()
    if change == "new article":
        path = write_file(site / "content" / "park" / "second.md", ARTICLE.replace("Town", "City"))
    elif change == "deleted article":
        path = site / "content" / "fair" / "post.md"
        path.unlink()
    else:
        path = write_file(site / "content" / "zoo" / "post.md", ARTICLE.replace("park", "zoo"))
    outcome = preview.live.rebuild({str(path.resolve())})
    assert outcome.report.errors == []
    output = site / "output"
    if change == "new article":
        assert (output / "park" / "sources" / "second.html").is_file()
    elif change == "deleted article":
        assert not (output / "fair").exists()
    else:
        assert (output / "zoo" / "index.html").is_file()


def test_template_edit_reloads_with_the_new_markup(
    preview: Preview, events: EventClient, site: Path
) -> None:
    template = site / "themes" / "mine" / "briefing.html"
    template.write_text(template.read_text().replace("<h1>", '<h1 class="edited-heading">'))
    events.next("reload")
    assert 'class="edited-heading"' in page(preview, "park/index.html")
    assert 'class="edited-heading"' in page(preview, "fair/index.html")


def test_template_edit_renders_without_processing_again(preview: Preview, site: Path) -> None:
    preview.watcher.stop()  # this test runs the rebuild itself
    assert preview.live.site is not None
    briefings = preview.live.site.briefings
    articles = dict(preview.live.memory.articles)
    template = site / "themes" / "mine" / "briefing.html"
    template.write_text(template.read_text().replace("<h1>", '<h1 class="again">'))
    outcome = preview.live.rebuild()
    assert preview.live.site.briefings == briefings
    assert all(new is old for new, old in zip(preview.live.site.briefings, briefings, strict=True))
    assert all(preview.live.memory.articles[key][0] is value[0] for key, value in articles.items())
    assert {"park/index.html", "fair/index.html"} <= set(outcome.changed)


def test_stylesheet_edit_sends_a_css_event(
    preview: Preview, events: EventClient, site: Path
) -> None:
    (site / "themes" / "mine" / "static" / "style.css").write_text("body { color: teal }\n")
    name, data = events.next("css", "reload")
    assert name == "css" and data == {"paths": ["static/style.css"]}
    assert "teal" in page(preview, "static/style.css")


def test_atomic_rename_over_save(preview: Preview, events: EventClient, site: Path) -> None:
    folder = site / "content" / "park"
    temporary = folder / ".post.md.swp"
    temporary.write_text(ARTICLE.replace("long debate", "debate saved by rename"))
    os.replace(temporary, folder / "post.md")
    events.next("reload")
    assert "debate saved by rename" in page(preview, "park/index.html")


def test_broken_save_shows_errors_then_a_fix_clears_them(
    preview: Preview, events: EventClient, site: Path
) -> None:
    article = site / "content" / "park" / "post.md"
    good = page(preview, "park/index.html")
    article.write_text("---\ntitle: [unclosed <script>\n---\nText.\n")
    _name, problems = events.next("errors")
    assert isinstance(problems, list) and problems[0]["path"] == "content/park/post.md"
    assert problems[0]["line"] == 2 and "YAML" in problems[0]["message"]
    assert page(preview, "park/index.html") == good  # the last good page stays served
    late = EventClient(preview.url, "/park/index.html")  # a tab opened now sees them too
    assert late.next("errors")[1] == problems
    late.close()
    article.write_text(ARTICLE.replace("long debate", "debate after the fix"))
    events.next("clear")
    events.next("reload")
    assert "debate after the fix" in page(preview, "park/index.html")


def test_an_article_with_no_text_is_an_error_event(
    preview: Preview, events: EventClient, site: Path
) -> None:
    (site / "content" / "park" / "empty.txt").write_text("")
    _, problems = events.next("errors")
    assert problems == [
        {"path": "content/park/empty.txt", "line": None,
         "message": "empty file: there is no article text"}
    ]  # fmt: skip


def test_no_rebuild_for_temp_files_or_for_its_own_output(
    preview: Preview, events: EventClient, site: Path
) -> None:
    rebuilds: list[int] = []
    original = preview.debouncer.action

    def counted(kinds: frozenset[str]) -> None:
        rebuilds.append(1)
        original(kinds)

    preview.debouncer.action = counted
    folder = site / "content" / "park"
    (folder / "post.md").write_text(ARTICLE.replace("long debate", "one rebuild only"))
    events.next("reload")  # this rebuild writes output/ and .briefing-cache/
    for name in (".post.md.swp", "post.md~", ".#post.md", "4913"):
        (folder / name).write_text("scratch")
    time.sleep(0.3)  # longer than the debounce: a rebuild would have started by now
    assert preview.wait_idle(TIMEOUT)
    assert rebuilds == [1]


def test_the_build_writes_no_reload_script(preview: Preview, site: Path) -> None:
    served = page(preview, "park/index.html")
    on_disk = (site / "output" / "park" / "index.html").read_text(encoding="utf-8")
    assert "/__briefing/events" in served
    assert "__briefing" not in on_disk
    assert served.replace(inject_script(b"").decode(), "") == on_disk


def test_serve_pages_equal_build_pages(preview: Preview, site: Path) -> None:
    served = tree(site / "output")
    assert main(["build", "--content", str(site / "content"), "--output", str(site / "built"),
                 "--config", str(site / "site.toml")]) == 0  # fmt: skip
    built = tree(site / "built")
    assert served == built


def test_serving_rules(preview: Preview, site: Path) -> None:
    status, headers, body = fetch(preview.url)
    assert status == 200 and headers["Content-Type"] == "text/html; charset=utf-8"
    assert b"/__briefing/events" in body
    status, headers, _ = fetch(preview.url + "park")
    assert status == 301 and headers["Location"] == "/park/"
    assert fetch(preview.url + "park/")[0] == 200
    assert fetch(preview.url + "static/style.css")[1]["Content-Type"] == "text/css; charset=utf-8"
    json_type = fetch(preview.url + "park/briefing.json")[1]["Content-Type"]
    assert json_type == "application/json; charset=utf-8"
    status, _, body = fetch(preview.url + "no/such/page.html")
    assert status == 404 and b"not found" in body


@pytest.mark.parametrize(
    "path", ["/../site.toml", "/%2e%2e/site.toml", "/park/..%2f..%2fsite.toml", "/..\\site.toml"]
)
def test_no_path_leaves_the_output_folder(preview: Preview, path: str) -> None:
    host, port = preview.url.removeprefix("http://").rstrip("/").rsplit(":", 1)
    connection = http.client.HTTPConnection(host, int(port), timeout=TIMEOUT)
    connection.putrequest("GET", path, skip_host=False, skip_accept_encoding=True)
    connection.endheaders()
    response = connection.getresponse()
    assert response.status == 404 and b"Test site" not in response.read()
    connection.close()


def test_symlinks_out_of_the_output_folder_are_refused(tmp_path: Path) -> None:
    root = tmp_path / "output"
    write_file(root / "index.html", "ok")
    write_file(tmp_path / "secret.txt", "secret")
    (root / "leak.txt").symlink_to(tmp_path / "secret.txt")
    assert resolve_request(root, "/leak.txt") is None
    assert resolve_request(root, "/index.html") == (root / "index.html").resolve()
    assert resolve_request(root, "/") == (root / "index.html").resolve()


def test_a_port_in_use_is_a_clear_message(preview: Preview, site: Path) -> None:
    taken = int(preview.url.rstrip("/").rsplit(":", 1)[1])
    options = ServeOptions(preview.live.options, port=taken)
    with pytest.raises(PortInUse, match=f"port {taken} on 127.0.0.1 is already in use"):
        Preview(options, io.StringIO()).start()


def test_stop_leaves_no_thread_and_no_temp_file(site: Path) -> None:
    before = set(threading.enumerate())
    options = BuildOptions(site / "content", site / "output", site / "site.toml", base_dir=site)
    running = Preview(ServeOptions(options, port=0), io.StringIO())
    running.start()
    client = EventClient(running.url, "/")
    (site / "content" / "park" / "post.md").write_text(ARTICLE.replace("long", "brief"))
    client.next("reload")
    running.stop()
    client.close()
    deadline = time.monotonic() + TIMEOUT
    while set(threading.enumerate()) - before and time.monotonic() < deadline:
        time.sleep(0.02)
    assert set(threading.enumerate()) - before == set()
    leftovers = [p.name for p in site.rglob("*") if p.name.startswith(".") and p.is_file()]
    assert leftovers == []
    assert sorted(p.name for p in site.iterdir()) == [
        ".briefing-cache", "content", "output", "site.toml", "themes"
    ]  # fmt: skip


def test_clean_removes_output_and_cache(site: Path, capsys: pytest.CaptureFixture[str]) -> None:
    output = site / "output"
    assert main(["build", "--content", str(site / "content"), "--output", str(output),
                 "--config", str(site / "site.toml")]) == 0  # fmt: skip
    assert (site / ".briefing-cache").is_dir()
    capsys.readouterr()
    assert main(["clean", "--output", str(output)]) == 0
    said = capsys.readouterr().out
    assert "removed" in said and str(output) in said and ".briefing-cache" in said
    assert not output.exists() and not (site / ".briefing-cache").exists()
    assert main(["clean", "--output", str(output)]) == 0
    assert capsys.readouterr().out.strip() == "nothing to remove"


def test_serve_command_prints_the_url_and_stops_on_ctrl_c(site: Path) -> None:
    process = subprocess.Popen(
        [sys.executable, "-m", "generator", "serve", "--port", "0", "--no-cache"],
        cwd=site, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        env={**os.environ, "PYTHONPATH": str(REPO_ROOT)},
    )  # fmt: skip
    try:
        assert process.stdout is not None
        line = process.stdout.readline()
        assert line.startswith("serving http://127.0.0.1:")
        url = line.split()[1]
        assert b"Test site" in urllib.request.urlopen(url, timeout=TIMEOUT).read()
        process.send_signal(signal.SIGINT)
        _out, err = process.communicate(timeout=TIMEOUT)
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode == 0, err
    assert "Traceback" not in err
    assert not (site / ".briefing-cache").exists()


# --- a real browser -----------------------------------------------------------------

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"


def devtools_port(profile: Path, process: subprocess.Popen[bytes]) -> int:
    active = profile / "DevToolsActivePort"
    deadline = time.monotonic() + TIMEOUT
    while not active.is_file() or not active.read_text().strip():
        assert process.poll() is None and time.monotonic() < deadline, "chromium did not start"
        time.sleep(0.05)
    return int(active.read_text().split()[0])


def tab_titles(port: int) -> list[str]:
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/json/list", timeout=TIMEOUT) as reply:
        return [tab.get("title", "") for tab in json.load(reply) if tab.get("type") == "page"]


def wait_for_title(port: int, text: str) -> None:
    deadline = time.monotonic() + TIMEOUT
    while not any(text in title for title in tab_titles(port)):
        assert time.monotonic() < deadline, f"no tab titled {text!r}: {tab_titles(port)}"
        time.sleep(0.05)


@pytest.mark.skipif(not Path(CHROMIUM).is_file(), reason="chromium is not installed")
def test_browser_page_updates_by_itself(preview: Preview, site: Path) -> None:
    profile = Path(tempfile.mkdtemp(prefix="briefing-chromium-"))
    flags = [
        "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        f"--user-data-dir={profile}", "--remote-debugging-port=0",
    ]  # fmt: skip
    process = subprocess.Popen(
        [CHROMIUM, *flags, preview.url + "park/index.html"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        port = devtools_port(profile, process)
        wait_for_title(port, "Council approves riverside park")
        deadline = time.monotonic() + TIMEOUT
        while len(preview.hub) == 0:  # the page's script has connected
            assert time.monotonic() < deadline, "the page never opened the event stream"
            time.sleep(0.05)
        article = site / "content" / "park" / "post.md"
        article.write_text(ARTICLE.replace("Council approves riverside park", "Herons win"))
        wait_for_title(port, "Herons win")
    finally:
        process.terminate()
        try:
            process.wait(timeout=TIMEOUT)
        except subprocess.TimeoutExpired:
            process.kill()
        shutil.rmtree(profile, ignore_errors=True)


def test_publish_changes_rewrites_only_what_it_is_given(tmp_path: Path) -> None:
    output = tmp_path / "output"
    publish({"index.html": b"one", "a/b.html": b"two", "a/c.html": b"three"}, output)
    os.utime(output / "index.html", (1_000_000_000, 1_000_000_000))
    publish_changes({"a/b.html": b"TWO", "new/d.html": b"four"}, ["a/c.html"], output)
    assert tree(output) == {"index.html": b"one", "a/b.html": b"TWO", "new/d.html": b"four"}
    assert (output / "index.html").stat().st_mtime == 1_000_000_000
    publish_changes({}, ["new/d.html"], output)
    assert not (output / "new").exists()  # an emptied folder goes too
    assert sorted(p.name for p in tmp_path.iterdir()) == ["output"]


def test_publish_changes_writes_pages_everyone_can_read_and_leaves_no_temporary(
    tmp_path: Path,
) -> None:
    output = tmp_path / "output"
    publish({"index.html": b"one"}, output)
    publish_changes({"index.html": b"ONE", "deep/new/page.html": b"two"}, [], output)
    for page in (output / "index.html", output / "deep" / "new" / "page.html"):
        assert page.stat().st_mode & 0o777 == 0o644  # (a temporary file is made 0600)
    assert tree(output) == {"index.html": b"ONE", "deep/new/page.html": b"two"}


def test_the_hub_tells_when_every_stream_has_written_what_it_was_sent() -> None:
    hub = EventHub()
    assert hub.wait_written(0.0)  # nothing sent
    first, second = hub.connect("/a/"), hub.connect("/b/")
    hub.send("reload", {"paths": ["a/index.html"]})
    assert not hub.wait_written(0.05)  # neither stream has written it yet
    assert first.get_nowait().startswith(b"event: reload")
    hub.written()
    assert not hub.wait_written(0.05)  # the second still holds it
    threading.Timer(0.05, hub.written).start()  # its stream writes it a little later
    assert hub.wait_written(TIMEOUT)
    hub.send("clear", {})
    hub.disconnect(second)  # a browser gone with a message still queued
    first.get_nowait()
    hub.written()
    assert hub.wait_written(0.0)


def test_a_template_edit_renders_the_open_page_first(preview: Preview, site: Path) -> None:
    preview.watcher.stop()  # the test drives the renderer itself
    live = preview.live
    live.renderer.small_change = 1  # as if the site had many briefings
    template = site / "themes" / "mine" / "briefing.html"
    template.write_text(template.read_text().replace("<h1>", '<h1 class="big">'))
    assert live.site is not None
    plan = live.renderer.plan(live.site, {"fair/index.html"})
    assert {"#static", "index.html", "fair/index.html"} <= set(plan.first)
    assert not any(unit.startswith("park/") for unit in plan.first)
    assert "park/index.html" in plan.rest and "fair/sources/post.html" in plan.rest
    assert not any(unit.endswith("briefing.json") for unit in plan.first + plan.rest)


def test_a_broken_template_shows_its_line_then_the_fix_reloads(
    preview: Preview, events: EventClient, site: Path
) -> None:
    template = site / "themes" / "mine" / "briefing.html"
    good = template.read_text()
    template.write_text(good.replace("<h1>", "<h1>{{ briefing.title ", 1))  # unclosed
    _, problems = events.next("errors")
    assert isinstance(problems, list) and problems[0]["path"].endswith("briefing.html")
    assert problems[0]["line"] == good[: good.index("<h1>")].count("\n") + 1
    assert 'class="fixed"' not in page(preview, "park/index.html")
    template.write_text(good.replace("<h1>", '<h1 class="fixed">'))
    events.next("clear")
    events.next("reload")
    assert 'class="fixed"' in page(preview, "park/index.html")


def test_an_edit_replans_only_its_folder_and_forgets_what_it_replaced(
    preview: Preview, site: Path
) -> None:
    preview.watcher.stop()  # this test runs the rebuilds itself, saying what changed
    fair = site / "content" / "fair" / "post.md"
    fair.write_text(ARTICLE.replace("park", "fair").replace("---\n\n", "colour: red\n---\n\n"))
    outcome = preview.live.rebuild({str(fair.resolve())})
    fair_warnings = [w.message for w in outcome.report.warnings if "colour" in w.message]
    assert len(fair_warnings) == 1
    memory = preview.live.memory
    fair_plan = memory.folder_plans[(site / "content" / "fair").resolve()].plan
    park = site / "content" / "park" / "post.md"
    for word in ("short", "stormy", "quiet"):
        park.write_text(ARTICLE.replace("long debate", f"{word} debate"))
        outcome = preview.live.rebuild({str(park.resolve())})
        assert not outcome.report.errors
        assert "park/index.html" in outcome.changed
        assert not any(path.startswith("fair/") for path in outcome.changed)
        assert f"{word} debate" in page(preview, "park/index.html")
        # the untouched folder's plan is kept whole, and its warning is still reported
        assert memory.folder_plans[(site / "content" / "fair").resolve()].plan is fair_plan
        assert [w.message for w in outcome.report.warnings if "colour" in w.message] == (
            fair_warnings
        )
        assert outcome.report.articles == 2
        # what the edited article's old versions were remembered by is forgotten
        assert len(memory.articles) == 2 and len(memory.briefings) == 2
    fair.write_text(ARTICLE.replace("park", "fair"))
    outcome = preview.live.rebuild({str(fair.resolve())})
    assert not [w for w in outcome.report.warnings if "colour" in w.message]
    assert memory.folder_plans[(site / "content" / "fair").resolve()].plan is not fair_plan
