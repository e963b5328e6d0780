"""Build speed at scale: cold, warm, one article edited, one template edited.

For each size (briefings x articles) a generated site (bench/corpus.py) is built four
times through the same code as `briefing build`, and each build's wall time, CPU time
(this process and its workers), peak memory (resident set of this process and of its
largest worker), articles per second and the share of time in each stage are printed.
Beside them, in the same run and on the same articles: sumy alone (its PlaintextParser
with our Punkt tokenizer, LexRank, one article after another in one process) and Pelican
building the same articles as plain Markdown pages with no summarizing.  Last, the
rebuild `briefing serve` makes after an article is edited (the median of five edits).

    python bench/speed.py [--sizes 20x5,200x5,1000x5] [--no-baselines] [--repeat N]

On a shared machine whose speed comes and goes, `--repeat 3` takes the cold build and
both baselines three times each, in turn, and keeps each one's fastest run.  Every
measurement starts with the disk's pending writes flushed (`os.sync`).
"""

from __future__ import annotations

import argparse
import io
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from functools import partial
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT))

from bench.corpus import article_files, generated_site  # noqa: E402
from generator.load import read_article  # noqa: E402
from generator.pipeline import STAGES, Builder, BuildOptions, BuildReport  # noqa: E402
from generator.serve import EventHub, LiveSite  # noqa: E402
from generator.theme import BUILTIN_THEMES  # noqa: E402


@dataclass
class Figures:
    label: str
    wall: float
    cpu: float
    peak_mb: float
    articles: int
    stages: dict[str, float]


def cpu_seconds() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def peak_mb() -> float:
    """The larger resident peak of this process and of its largest finished child (KiB)."""
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return max(own, children) / 1024


def measure(label: str, action: Callable[[], object], articles: int) -> tuple[Figures, object]:
    """Run and time `action`, after the disk has written out what earlier steps left
    (`os.sync`): on this machine the writeback of a cold build's hundreds of megabytes
    slows the next builds' file operations for seconds, which is the disk catching up,
    not the build (an editor edits long after the first build)."""
    os.sync()
    cpu, started = cpu_seconds(), time.perf_counter()
    result = action()
    wall = time.perf_counter() - started
    stages = result.stages if isinstance(result, BuildReport) else {}
    return Figures(label, wall, cpu_seconds() - cpu, peak_mb(), articles, stages), result


def run_build(root: Path) -> BuildReport:
    options = BuildOptions(root / "content", root / "output", root / "site.toml", base_dir=root)
    report = Builder(options).run()
    if report.errors:
        raise RuntimeError(f"build failed: {report.errors[:3]}")
    return report


def prepare_site(root: Path) -> None:
    """A site.toml naming a theme of one template (copied from the default), for the
    template edit."""
    theme = root / "themes" / "bench"
    theme.mkdir(parents=True)
    shutil.copy(BUILTIN_THEMES / "default" / "briefing.html", theme / "briefing.html")
    (root / "site.toml").write_text('title = "Speed bench"\ntheme = "bench"\n')


def later_builds(root: Path, articles: int) -> list[Figures]:
    """After a cold build of the site at `root`: warm, one article edited, one template
    edited, then `briefing build` as a new process with nothing changed and after an edit."""
    rows = [measure("warm (nothing changed)", lambda: run_build(root), articles)[0]]
    edited = article_files(root)[len(article_files(root)) // 2]
    edited.write_text(edited.read_text("utf-8").replace(".", " (edited).", 1), "utf-8")
    rows.append(measure("one article edited", lambda: run_build(root), articles)[0])
    template = root / "themes" / "bench" / "briefing.html"
    template.write_text(template.read_text("utf-8").replace("<h1", '<h1 data-edited=""', 1))
    rows.append(measure("one template edited", lambda: run_build(root), articles)[0])
    # What a user waits for at the prompt: a new `briefing build` process each time,
    # Python's start-up and the imports included.
    rows.append(measure("`briefing build`, nothing changed", lambda: cli_build(root), articles)[0])
    other = article_files(root)[len(article_files(root)) // 3]
    other.write_text(other.read_text("utf-8").replace(".", " (edited).", 1), "utf-8")
    rows.append(measure("`briefing build`, one article edited", lambda: cli_build(root),
                        articles)[0])  # fmt: skip
    rows.append(serve_edits(root, articles))
    return rows


SERVE_EDITS = 5


def serve_edits(root: Path, articles: int, count: int = SERVE_EDITS) -> Figures:
    """`briefing serve`'s rebuild after one article is edited (what the live preview
    waits for, less the watcher and the browser), in this process: the median of `count`
    edits after its first build, which writes an output folder of its own."""
    options = BuildOptions(root / "content", root / "output-serve", root / "site.toml",
                           base_dir=root)  # fmt: skip
    live = LiveSite(options, EventHub(), io.StringIO())
    first = live.rebuild(None)
    if first.report.errors:
        raise RuntimeError(f"serve's first build failed: {first.report.errors[:3]}")
    files = article_files(root)
    label = f"`briefing serve`, one article edited (median of {count})"
    rows = []
    for number in range(count):
        edited = files[len(files) // 4 + number]
        edited.write_text(edited.read_text("utf-8").replace(".", " (edited).", 1), "utf-8")
        rebuild = partial(_serve_rebuild, live, {str(edited.resolve())})
        rows.append(measure(label, rebuild, articles)[0])
    rows.sort(key=lambda row: row.wall)
    return rows[len(rows) // 2]


def _serve_rebuild(live: LiveSite, changed: set[str]) -> BuildReport:
    return live.rebuild(changed).report


def cold_build(root: Path, articles: int, in_this_process: bool) -> Figures:
    """The cold build of the site at `root`, here or in a new process: every cold build
    must pay for importing the story stages, which a process does once."""
    if in_this_process:
        return measure("cold", partial(run_build, root), articles)[0]
    command = [sys.executable, __file__, "--cold-build", str(root), "--articles", str(articles)]
    done = subprocess.run(command, check=True, capture_output=True, text=True)
    return Figures(**json.loads(done.stdout.splitlines()[-1]))


def fastest(rows: list[Figures]) -> Figures:
    """The run with the least wall time, labelled with how many there were."""
    best = min(rows, key=lambda row: row.wall)
    if len(rows) > 1:
        best.label += f" (best of {len(rows)})"
    return best


def cli_build(root: Path) -> None:
    command = [sys.executable, "-m", "generator", "build"]
    subprocess.run(command, cwd=root, check=True, stdout=subprocess.DEVNULL)


def sumy_alone(root: Path) -> int:
    """sumy's own pipeline, article by article: parse the cleaned-by-nothing text with
    PlaintextParser (our Punkt tokenizer: NLTK's punkt data is not available offline)
    and summarize with LexRank to 3 sentences."""
    from sumy.nlp.stemmers import Stemmer
    from sumy.parsers.plaintext import PlaintextParser
    from sumy.summarizers.lex_rank import LexRankSummarizer
    from sumy.utils import get_stop_words

    from generator.summarize import PunktTokenizer

    summarizer = LexRankSummarizer(Stemmer("english"))
    summarizer.stop_words = get_stop_words("english")
    tokenizer = PunktTokenizer("english")
    count = 0
    for path in article_files(root):
        raw, _ = read_article(path, path.name)
        text = "\n\n".join(block.text for block in raw.blocks)
        parser = PlaintextParser.from_string(text, tokenizer)
        count += len(summarizer(parser.document, 3))
    return count


def pelican_build(root: Path) -> None:
    """Pelican building the same articles as Markdown pages, no theme fetch, no feeds."""
    project = root / "pelican"
    content = project / "content"
    content.mkdir(parents=True)
    for number, path in enumerate(article_files(root)):
        raw, _ = read_article(path, path.name)
        body = "\n\n".join(block.text for block in raw.blocks)
        title = (raw.meta.title or path.stem).replace("\n", " ")
        page = f"Title: {title}\nDate: 2024-05-01 10:{number % 60:02d}\nSlug: a{number}\n\n{body}\n"
        (content / f"a{number:05d}.md").write_text(page, "utf-8")
    (project / "pelicanconf.py").write_text(
        'SITENAME = "bench"\nRELATIVE_URLS = True\nTIMEZONE = "UTC"\nDEFAULT_LANG = "en"\n'
        "FEED_ALL_ATOM = None\nCATEGORY_FEED_ATOM = None\nTRANSLATION_FEED_ATOM = None\n"
        "AUTHOR_FEED_ATOM = None\nAUTHOR_FEED_RSS = None\nLOAD_CONTENT_CACHE = False\n"
    )
    subprocess.run(
        [sys.executable, "-m", "pelican", "content", "-o", "out", "-s", "pelicanconf.py"],
        cwd=project,
        check=True,
    )


def _spin(count: int) -> None:
    total = 0
    for number in range(count):
        total += number


def effective_cores(count: int = 5_000_000) -> float:
    """How many cores the machine gives right now: the work two processes get done side by
    side over what one gets done alone (a shared virtual machine may give fewer cores
    than it shows, and the build's wall time depends on it)."""
    import multiprocessing

    started = time.perf_counter()
    _spin(count)
    alone = time.perf_counter() - started
    context = multiprocessing.get_context("fork")
    workers = [context.Process(target=_spin, args=(count,)) for _ in range(2)]
    started = time.perf_counter()
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    return 2 * alone / (time.perf_counter() - started)


def print_table(title: str, rows: list[Figures], baseline: float | None) -> None:
    print(f"\n{title}")
    header = "| build | wall s | CPU s | peak MB | articles/s | vs sumy alone |"
    print(header + " " + " | ".join(STAGES) + " |")
    print("|---" * (6 + len(STAGES)) + "|")
    for row in rows:
        ratio = f"{row.wall / baseline:.2f}" if baseline else "-"
        total = sum(row.stages.values())
        shares = " | ".join(
            f"{100 * row.stages.get(stage, 0.0) / total:.0f}%" if total else "" for stage in STAGES
        )
        rate = row.articles / row.wall if row.wall else 0.0
        print(f"| {row.label} | {row.wall:.3f} | {row.cpu:.2f} | {row.peak_mb:.0f} | "
              f"{rate:.0f} | {ratio} | {shares} |")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="20x5,200x5,1000x5")
    parser.add_argument("--size", help="one size, in this process (what --sizes runs)")
    parser.add_argument("--no-baselines", action="store_true")
    parser.add_argument("--folder", type=Path, help="where --size makes its site")
    best_of = "cold build, sumy alone and Pelican: the fastest of this many runs"
    parser.add_argument("--repeat", type=int, default=1, help=best_of)
    parser.add_argument("--cold-build", type=Path, help=argparse.SUPPRESS)  # (cold_build)
    parser.add_argument("--articles", type=int, default=0, help=argparse.SUPPRESS)
    arguments = parser.parse_args()
    if arguments.cold_build:
        figures = measure("cold", partial(run_build, arguments.cold_build), arguments.articles)
        print(json.dumps(asdict(figures[0])))
        return
    if arguments.size:
        baselines, repeat = not arguments.no_baselines, max(1, arguments.repeat)
        if arguments.folder is None:
            with tempfile.TemporaryDirectory(prefix="briefing-speed-") as temporary:
                bench_size(arguments.size, baselines, Path(temporary), repeat)
        else:
            bench_size(arguments.size, baselines, arguments.folder, repeat)
        return
    # Every size's site stays on disk until the run ends: on ext4 without a journal (this
    # machine's disk) creating a file costs several times more for minutes after many
    # files were deleted (the allocator skips the freed inodes one by one), and deleting
    # one size's site before the next size's cold build would slow that build down.
    with tempfile.TemporaryDirectory(prefix="briefing-speed-") as temporary:
        for size in arguments.sizes.split(","):  # a fresh process each: peak memory is per size
            command = [sys.executable, __file__, "--size", size, "--folder", temporary,
                       "--repeat", str(arguments.repeat)]  # fmt: skip
            subprocess.run(command + ["--no-baselines"] * arguments.no_baselines, check=True)


def bench_size(size: str, baselines: bool, folder: Path, repeat: int = 1) -> None:
    """The cold build and the baselines (each the best of `repeat` runs, taken in turn on
    a site of their own in `folder`), then the later builds on the last site; peak memory
    is the process's peak so far."""
    briefings, articles = (int(part) for part in size.split("x"))
    total = briefings * articles
    colds: list[Figures] = []
    alone: list[Figures] = []
    pelicans: list[Figures] = []
    root = folder / size
    for run in range(repeat):
        root = folder / (size if run == 0 else f"{size}-{run + 1}")
        generated_site(root, briefings, articles)
        prepare_site(root)
        colds.append(cold_build(root, total, in_this_process=run == 0))
        if baselines:
            label = "sumy alone (LexRank, one by one)"
            alone.append(measure(label, partial(sumy_alone, root), total)[0])
        if baselines and _has_pelican():
            label = "Pelican (Markdown pages, no summaries)"
            pelicans.append(measure(label, partial(pelican_build, root), total)[0])
    rows = [fastest(colds), *later_builds(root, total)]
    baseline = None
    if alone:
        rows.append(fastest(alone))
        baseline = rows[-1].wall
    if pelicans:
        rows.append(fastest(pelicans))
    print_table(f"{briefings} briefings x {articles} articles ({total} articles)",
                rows, baseline)  # fmt: skip
    print(f"(two busy processes ran {effective_cores():.1f}x as fast as one just now)")


def _has_pelican() -> bool:
    try:
        import pelican  # noqa: F401
    except ImportError:
        return False
    return True


if __name__ == "__main__":
    main()
