"""Edit-to-reload latency of `briefing serve`.

From the write of one file to the `reload` event reaching a connected event-stream
client, for an article edit and a template edit, on the sample site and on a generated
site of 200 briefings x 5 articles.  The first (cold) build of the generated site takes a
while; the edits after it are what is measured.

    python bench/reload.py [--edits 9] [--briefings 200] [--articles 5] [--sample-only]
"""

from __future__ import annotations

import argparse
import io
import json
import multiprocessing
import shutil
import socket
import statistics
import sys
import tempfile
import threading
import time
from multiprocessing.connection import Connection
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT))

from bench.corpus import generated_site  # noqa: E402
from generator.pipeline import BuildOptions  # noqa: E402
from generator.serve import Preview, ServeOptions  # noqa: E402
from generator.theme import BUILTIN_THEMES  # noqa: E402

TARGETS_MS = {"article": 150.0, "template": 50.0}


def sample_site(root: Path) -> None:
    shutil.copytree(REPO_ROOT / "content", root / "content")


def add_theme(root: Path) -> Path:
    """A site theme overriding briefing.html, so template edits stay inside the temp dir."""
    template = root / "themes" / "bench" / "briefing.html"
    template.parent.mkdir(parents=True)
    shutil.copy(BUILTIN_THEMES / "default" / "briefing.html", template)
    (root / "site.toml").write_text('title = "Reload bench"\ntheme = "bench"\n')
    return template


# --- measuring ------------------------------------------------------------------------


def _read_events(host: str, port: int, page: str, events: Connection) -> None:
    """In a process of its own: read the event stream and send each event's name with
    the moment it arrived (`time.perf_counter` is the system's monotonic clock on Linux,
    the same in every process)."""
    sock = socket.create_connection((host, port))
    sock.sendall(f"GET /__briefing/events?page={page} HTTP/1.1\r\n\r\n".encode())
    try:
        for raw in sock.makefile("rb"):
            if raw.startswith(b"event: "):
                events.send((raw[7:].decode().strip(), time.perf_counter()))
    except OSError:
        return


class EventClient:
    """Reads the event stream in a process of its own, as a browser does (in the
    preview's process, the reading thread waited for the interpreter while the preview
    rendered the rest of the site, and measured that too); `wait(name)` returns when the
    event arrived."""

    def __init__(self, url: str, page: str) -> None:
        host, port = url.removeprefix("http://").rstrip("/").rsplit(":", 1)
        receiving, sending = multiprocessing.Pipe(duplex=False)
        context = multiprocessing.get_context("spawn")  # (the preview runs threads)
        self.reader = context.Process(
            target=_read_events, args=(host, int(port), page, sending), daemon=True
        )
        self.reader.start()
        sending.close()
        self.condition = threading.Condition()
        self.seen: list[tuple[str, float]] = []
        threading.Thread(target=self._receive, args=(receiving,), daemon=True).start()

    def _receive(self, events: Connection) -> None:
        try:
            while True:
                name, arrived = events.recv()
                with self.condition:
                    self.seen.append((name, arrived))
                    self.condition.notify_all()
        except (EOFError, OSError):
            return

    def wait(self, name: str, after: int, timeout: float = 120.0) -> float:
        """The arrival time of the first `name` event after the first `after` events."""
        with self.condition:
            found = self.condition.wait_for(
                lambda: any(n == name for n, _ in self.seen[after:]), timeout
            )
            if not found:
                raise TimeoutError(f"no {name} event")
            return next(t for n, t in self.seen[after:] if n == name)

    def close(self) -> None:
        self.reader.terminate()
        self.reader.join()


def measure(preview: Preview, client: EventClient, path: Path, edits: int) -> list[float]:
    original = path.read_text(encoding="utf-8")
    latencies = []
    for number in range(edits):
        preview.wait_idle(600)
        if path.suffix == ".html":
            text = original.replace("<h1>", f'<h1 data-edit="{number}">')
        else:
            text = original.replace(".", f" (revision {number}).", 1)
        before = len(client.seen)
        started = time.perf_counter()
        path.write_text(text, encoding="utf-8")
        latencies.append((client.wait("reload", before) - started) * 1000)
        if any(name == "errors" for name, _ in client.seen[before:]):
            raise RuntimeError(f"the edit of {path} broke the build")
    preview.wait_idle(600)
    return latencies


def bench_site(name: str, root: Path, edits: int) -> list[tuple[str, str, list[float], float]]:
    template = add_theme(root)
    options = BuildOptions(root / "content", root / "output", root / "site.toml", base_dir=root)
    log = io.StringIO()
    preview = Preview(ServeOptions(options, port=0), log)
    started = time.perf_counter()
    preview.start()
    cold = time.perf_counter() - started
    slugs = sorted(path.name for path in (root / "content").iterdir() if path.is_dir())
    viewed = slugs[len(slugs) // 2]
    client = EventClient(preview.url, f"/{viewed}/index.html")
    try:
        client.wait("ready", 0, 10)
        article = sorted(p for p in (root / "content" / viewed).glob("*") if p.name != "index.md")
        rows = [
            (name, "article", measure(preview, client, article[0], edits), cold),
            (name, "template", measure(preview, client, template, edits), cold),
        ]
    except Exception:
        print(log.getvalue()[-3000:], file=sys.stderr)
        raise
    finally:
        client.close()
        preview.stop()
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--edits", type=int, default=9)
    parser.add_argument("--briefings", type=int, default=200)
    parser.add_argument("--articles", type=int, default=5)
    parser.add_argument("--sample-only", action="store_true")
    arguments = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory(prefix="briefing-reload-") as temporary:
        sample = Path(temporary) / "sample"
        sample_site(sample)
        rows += bench_site("sample (1 x 5)", sample, arguments.edits)
        if not arguments.sample_only:
            big = Path(temporary) / "generated"
            generated_site(big, arguments.briefings, arguments.articles)
            label = f"generated ({arguments.briefings} x {arguments.articles})"
            print(f"building {label} cold; this takes a while...", file=sys.stderr)
            rows += bench_site(label, big, arguments.edits)
    print(f"{'site':<24} {'edit':<9} {'cold build':>10} {'median':>9} {'p90':>9} {'max':>9}"
          f" {'target':>8}")  # fmt: skip
    for site, kind, latencies, cold in rows:
        ordered = sorted(latencies)
        p90 = ordered[min(len(ordered) - 1, round(0.9 * (len(ordered) - 1)))]
        median = statistics.median(latencies)
        verdict = "ok" if median < TARGETS_MS[kind] else "MISSED"
        target = f"<{TARGETS_MS[kind]:.0f}ms"
        print(f"{site:<24} {kind:<9} {cold:>9.1f}s {median:>7.1f}ms {p90:>7.1f}ms "
              f"{max(latencies):>7.1f}ms {target:>8} {verdict}")  # fmt: skip
    print(json.dumps({f"{s}/{k}": round(statistics.median(v), 1) for s, k, v, _ in rows}))


if __name__ == "__main__":
    main()
