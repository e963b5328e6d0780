"""The `briefing` command: parse arguments, run the build, print the report, set the
exit code (0 built, 1 content errors, 2 usage errors)."""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import threading
import time
import traceback
from collections.abc import Callable, Sequence
from contextlib import suppress
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn, TextIO

from generator import __version__
from generator.config import ALGORITHMS, base_url_problem
from generator.errors import BriefingError

if TYPE_CHECKING:  # the pipeline pulls in sumy and NLTK: `--help` should not wait for them
    from generator.pipeline import BuildOptions, BuildReport

EXIT_OK, EXIT_CONTENT_ERROR, EXIT_USAGE = 0, 1, 2
PROGRESS_DELAY_SECONDS = 0.5

DESCRIPTION = """\
Briefing turns folders of news articles about one story into a static briefing site:
each article is cleaned of web-page debris and summarized, and all sources of a story
are merged into one page with a lead summary credited to its outlets, key facts and a
section per source."""

BUILD_EPILOG = """\
content layout:
  content/<slug>/index.md     optional: title, date, lead_words; body = editor's note
  content/<slug>/*.md         an article with YAML front matter
                              (title, outlet, url, published, author, language)
  content/<slug>/*.txt        an article pasted from a web page (title = first line)

exit codes: 0 every briefing built, 1 content or configuration errors, 2 usage errors.
With errors nothing is written (the previous output stays as it was) unless
--keep-going is given, which writes what it can and still exits 1."""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="briefing",
        description=DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"briefing {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    commands.required = True
    build_command = commands.add_parser(
        "build",
        help="build the site from the content folder",
        description="Build the briefing site: content/ -> output/.",
        epilog=BUILD_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    add_site_arguments(build_command)
    build_command.add_argument(
        "--keep-going", action="store_true",
        help="skip broken articles, write the rest, still exit 1",
    )  # fmt: skip
    build_command.add_argument(
        "--algorithm", choices=ALGORITHMS, default=None,
        help="summarizer for each source (overrides site.toml; default lexrank)",
    )  # fmt: skip
    build_command.add_argument(
        "--explain", action="store_true",
        help="list every line the cleaner dropped from each article, and why",
    )  # fmt: skip
    add_no_cache_argument(build_command)
    add_debug_argument(build_command)
    add_base_url_argument(build_command)
    add_serve_parser(commands)
    add_clean_parser(commands)
    add_new_parsers(commands)
    return parser


def base_url_type(value: str) -> str:
    problem = base_url_problem(value)
    if problem:
        raise argparse.ArgumentTypeError(problem)
    return value


def add_base_url_argument(command: argparse.ArgumentParser) -> None:
    command.add_argument(
        "--base-url", type=base_url_type, default=None, metavar="URL",
        help="public address of the site, e.g. https://example.org/news/ (overrides site.toml)",
    )  # fmt: skip


def add_new_parsers(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    new = commands.add_parser(
        "new",
        help="start a briefing: content/<slug>/index.md and an article template",
        description="Create content/<slug>/ with index.md (title, date) and article.md.",
    )
    new.add_argument("name", help="the briefing's folder name (made into a slug)")
    new.add_argument(
        "--content", type=Path, default=Path("content"), metavar="DIR",
        help="folder of briefings (default: content)",
    )  # fmt: skip
    add_debug_argument(new)
    new_site = commands.add_parser(
        "new-site",
        help="start a site: site.toml, content/ with an example briefing, themes/",
        description="Create a site folder that `briefing build` can build straight away.",
    )
    new_site.add_argument("directory", type=Path, help="the folder to create (new or empty)")
    add_debug_argument(new_site)


def add_debug_argument(command: argparse.ArgumentParser) -> None:
    command.add_argument(
        "--debug", action="store_true", help="show tracebacks for unexpected failures"
    )


def add_no_cache_argument(command: argparse.ArgumentParser) -> None:
    command.add_argument(
        "--no-cache", action="store_true", help="ignore and do not write the article cache"
    )


def add_site_arguments(command: argparse.ArgumentParser) -> None:
    command.add_argument(
        "--content", type=Path, default=Path("content"), metavar="DIR",
        help="folder of briefings, one sub-folder per story (default: content)",
    )  # fmt: skip
    command.add_argument(
        "--output", type=Path, default=Path("output"), metavar="DIR",
        help="where the site is written (default: output)",
    )  # fmt: skip
    command.add_argument(
        "--config", type=Path, default=None, metavar="FILE",
        help="site settings (default: site.toml in the current folder, if present)",
    )  # fmt: skip


def add_serve_parser(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    serve = commands.add_parser(
        "serve",
        help="build, serve the site and rebuild and reload the browser on every change",
        description=(
            "Build the site, serve output/ over HTTP and watch content/, the theme and "
            "site.toml: every save rebuilds what changed and reloads open browser tabs."
        ),
    )
    add_site_arguments(serve)
    add_base_url_argument(serve)
    serve.add_argument(
        "--port", type=int, default=8000,
        help="port to listen on; 0 picks a free one (default 8000)",
    )  # fmt: skip
    serve.add_argument(
        "--host", default="127.0.0.1", help="address to bind (default 127.0.0.1: this machine only)"
    )
    serve.add_argument("--open", action="store_true", help="open the site in a web browser")
    add_no_cache_argument(serve)
    add_debug_argument(serve)


def add_clean_parser(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    clean = commands.add_parser(
        "clean",
        help="delete the output folder and the article cache",
        description="Delete the output folder and the .briefing-cache folder beside it.",
    )
    clean.add_argument(
        "--output", type=Path, default=Path("output"), metavar="DIR",
        help="the output folder (default: output)",
    )  # fmt: skip
    add_debug_argument(clean)


class ProgressLine:
    """`articles 12/40` on a terminal, after a short delay; nothing when piped."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self.enabled = stream.isatty()
        self.started = time.perf_counter()
        self.shown = False

    def __call__(self, done: int, total: int) -> None:
        if not self.enabled or time.perf_counter() - self.started < PROGRESS_DELAY_SECONDS:
            return
        self.stream.write(f"\rarticles {done}/{total}")
        self.stream.flush()
        self.shown = True

    def finish(self) -> None:
        if self.shown:
            self.stream.write("\r\033[K")
            self.stream.flush()


def summary_line(report: BuildReport, output: Path) -> str:
    plural = "" if report.briefings == 1 else "s"
    counts = (
        f"{report.briefings} briefing{plural}, {report.articles} articles, "
        f"{report.seconds:.2f} s, {len(report.warnings)} warnings"
    )
    if report.errors and not report.written:
        return f"failed: {len(report.errors)} errors; {output}/ left as it was ({counts})"
    if report.errors:
        return f"built with {len(report.errors)} errors skipped: {counts}; wrote {output}/"
    return f"built {counts}; wrote {output}/ ({report.changed_files} files changed)"


def print_explanations(report: BuildReport, stream: TextIO) -> None:
    for explanation in report.explanations:
        stream.write(f"{explanation.path}: {len(explanation.dropped)} lines dropped\n")
        for dropped in explanation.dropped:
            stream.write(f"  line {dropped.line}: {dropped.reason}: {dropped.text}\n")


def build_options(arguments: argparse.Namespace, **extra: Any) -> BuildOptions | None:
    """The build's options from the site arguments, or None (after saying why) for a
    usage error: a content folder or a named settings file that does not exist."""
    from generator.pipeline import BuildOptions

    if not arguments.content.is_dir():
        sys.stderr.write(f"briefing: error: content folder '{arguments.content}' does not exist\n")
        return None
    config_path: Path = arguments.config or Path("site.toml")
    if arguments.config is not None and not config_path.is_file():
        sys.stderr.write(f"briefing: error: config file '{config_path}' does not exist\n")
        return None
    return BuildOptions(
        content_dir=arguments.content,
        output_dir=arguments.output,
        config_path=config_path,
        use_cache=not arguments.no_cache,
        base_url=arguments.base_url,
        **extra,
    )


def run_build(arguments: argparse.Namespace) -> int:
    from generator.pipeline import build

    options = build_options(
        arguments,
        keep_going=arguments.keep_going,
        algorithm=arguments.algorithm,
        explain=arguments.explain,
    )
    if options is None:
        return EXIT_USAGE
    progress = ProgressLine(sys.stderr)
    report = build(options, progress)
    progress.finish()
    if arguments.explain:
        print_explanations(report, sys.stdout)
    for problem in report.warnings + report.errors:
        sys.stderr.write(f"{problem}\n")
    print(summary_line(report, arguments.output))
    return EXIT_CONTENT_ERROR if report.errors else EXIT_OK


def run_clean(arguments: argparse.Namespace) -> int:
    """Delete output/ and .briefing-cache/ beside it; say what went."""
    output = arguments.output
    cache = output.resolve().parent / ".briefing-cache"
    removed = []
    for folder, shown in ((output, f"{output}/"), (cache, f"{cache}/")):
        if folder.is_symlink() or folder.is_file():
            folder.unlink()
        elif folder.is_dir():
            shutil.rmtree(folder)
        else:
            continue
        removed.append(shown)
    print(f"removed {', '.join(removed)}" if removed else "nothing to remove")
    return EXIT_OK


def run_serve(arguments: argparse.Namespace) -> int:
    """Build, serve and watch until Ctrl-C."""
    from generator.serve import PortInUse, Preview, ServeOptions

    options = build_options(arguments)
    if options is None:
        return EXIT_USAGE
    preview = Preview(ServeOptions(options, arguments.host, arguments.port), sys.stderr)
    try:
        preview.start()
        print(f"serving {preview.url} (Ctrl-C to stop)", flush=True)
        if arguments.open:
            import webbrowser

            webbrowser.open(preview.url)
        threading.Event().wait()
    except PortInUse as error:
        sys.stderr.write(f"briefing: error: {error}\n")
        return EXIT_CONTENT_ERROR
    except KeyboardInterrupt:
        print("stopped", flush=True)
    finally:
        preview.stop()
    return EXIT_OK


def run_new(arguments: argparse.Namespace) -> int:
    from generator.scaffold import new_briefing

    return _scaffold(lambda: new_briefing(arguments.content, arguments.name))


def run_new_site(arguments: argparse.Namespace) -> int:
    from generator.scaffold import new_site

    code = _scaffold(lambda: new_site(arguments.directory))
    if code == EXIT_OK:
        print(f"next: cd {arguments.directory} && briefing build")
    return code


def _scaffold(make: Callable[[], list[Path]]) -> int:
    try:
        written = make()
    except BriefingError as error:
        for problem in error.problems:
            sys.stderr.write(f"{problem}\n")
        return EXIT_CONTENT_ERROR
    for path in written:
        print(f"created {path}")
    return EXIT_OK


COMMANDS = {
    "build": run_build,
    "serve": run_serve,
    "clean": run_clean,
    "new": run_new,
    "new-site": run_new_site,
}


def main(argv: Sequence[str] | None = None) -> int:
    return run(build_parser().parse_args(argv))


def command() -> NoReturn:
    """The `briefing` program: `main`, then the process ends at once, without Python
    freeing, one by one, every object the command left behind (the indexes it read, the
    caches of stems and tokens): after a one-article edit of 5,000 articles that took
    0.1 s of a 0.7 s `briefing build`.  Every file is written and closed, and the worker
    processes joined, before a command returns; `serve` (with threads of its own) ends as
    Python ends."""
    arguments = build_parser().parse_args()
    code = run(arguments)
    if arguments.command == "serve":
        sys.exit(code)
    for stream in (sys.stdout, sys.stderr):
        with suppress(OSError, ValueError):  # (a closed pipe: nothing more can be said)
            stream.flush()
    os._exit(code)


def run(arguments: argparse.Namespace) -> int:
    """Run the parsed command; its exit code."""
    try:
        return COMMANDS[arguments.command](arguments)
    except KeyboardInterrupt:
        sys.stderr.write("briefing: interrupted; output left as it was\n")
        return 130
    except Exception as error:  # an unexpected failure is a bug: one line unless --debug
        if arguments.debug:
            traceback.print_exc()
        else:
            sys.stderr.write(
                f"briefing: internal error: {type(error).__name__}: {error} "
                "(run with --debug for the traceback)\n"
            )
        return EXIT_CONTENT_ERROR
