"""Load: find briefings in the content folder and read each file into a `RawArticle`.

One reader per file extension (`.md` with YAML front matter, `.txt` pasted text).
Every problem is a `Problem` naming the file and, where it has one, the line.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from markdown_it import MarkdownIt
from markdown_it.token import Token

from generator.errors import BriefingError, Problem
from generator.model import ArticleMeta, Block, BriefingMeta, PartialDate, RawArticle

ARTICLE_KEYS = ("title", "outlet", "url", "published", "author", "language")
INDEX_KEYS = ("title", "date", "lead_words")
INDEX_NAME = "index.md"
EDITOR_TEMP = re.compile(r"(^\.|^#|~$|\.swp$|\.swo$|\.swx$|\.tmp$|\.bak$|^4913$)")


@dataclass(frozen=True)
class BriefingFolder:
    """One `content/<slug>/` folder: where its files are, before anything is read."""

    slug: str
    folder: Path
    index_path: Path | None
    article_paths: tuple[Path, ...]


@dataclass(frozen=True)
class Discovery:
    briefings: tuple[BriefingFolder, ...]
    warnings: tuple[Problem, ...]


def slugify(name: str) -> str:
    """A clean ASCII slug: `Café Bridge 2` -> `cafe-bridge-2`."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")


def display_path(path: Path, base: Path) -> str:
    """The path as the user should see it in messages (relative where possible)."""
    try:
        return str(path.relative_to(base))
    except ValueError:
        return str(path)


def discover(content_dir: Path, base: Path) -> Discovery:
    """List the briefing folders under `content_dir` and their article files."""
    briefings: list[BriefingFolder] = []
    warnings: list[Problem] = []
    slugs_seen: dict[str, Path] = {}
    for folder in sorted(content_dir.iterdir()):
        if folder.name.startswith(".") or folder.is_symlink() or not folder.is_dir():
            if folder.is_file() and not folder.name.startswith("."):
                warnings.append(_warning(folder, base, "ignored: not inside a briefing folder"))
            continue
        slug = slugify(folder.name) or "briefing"
        if slug in slugs_seen:
            other = display_path(slugs_seen[slug], base)
            raise BriefingError(
                Problem(display_path(folder, base), f"slug '{slug}' is already used by {other}")
            )
        slugs_seen[slug] = folder
        briefings.append(_briefing_folder(folder, slug, base, warnings))
    return Discovery(tuple(briefings), tuple(warnings))


def _briefing_folder(
    folder: Path, slug: str, base: Path, warnings: list[Problem]
) -> BriefingFolder:
    articles: list[Path] = []
    index_path: Path | None = None
    for path in sorted(folder.iterdir()):
        if EDITOR_TEMP.search(path.name):
            continue
        if path.is_symlink():
            warnings.append(_warning(path, base, "ignored: symbolic links are not followed"))
        elif path.is_dir():
            warnings.append(_warning(path, base, "ignored: sub-folders are not read"))
        elif path.name == INDEX_NAME:
            index_path = path
        elif path.suffix.lower() in READERS:
            articles.append(path)
        else:
            known = ", ".join(sorted(READERS))
            warnings.append(_warning(path, base, f"ignored: not an article ({known})"))
    return BriefingFolder(slug, folder, index_path, tuple(articles))


def _warning(path: Path, base: Path, message: str) -> Problem:
    return Problem(display_path(path, base), message, severity="warning")


# --- reading one file -------------------------------------------------------------


def read_text(path: Path, shown: str) -> tuple[str, bytes]:
    """Decode a file as UTF-8 (BOM allowed) or BOM-marked UTF-16; newlines become `\\n`."""
    try:
        data = path.read_bytes()
    except OSError as error:
        raise BriefingError(Problem(shown, f"cannot be read: {error.strerror}")) from None
    text = _decode(data, shown)
    return text.replace("\r\n", "\n").replace("\r", "\n"), data


def _decode(data: bytes, shown: str) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as error:
            raise BriefingError(
                Problem(shown, f"invalid UTF-16 text at byte offset {error.start}")
            ) from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        byte = data[error.start : error.start + 1].hex()
        message = (
            f"not UTF-8 text: undecodable byte 0x{byte} at byte offset {error.start}"
            " (save the file as UTF-8)"
        )
        raise BriefingError(Problem(shown, message, line)) from None
    if "\x00" in text:
        offset = data.find(b"\x00")
        raise BriefingError(
            Problem(shown, f"binary data, not text (NUL byte at byte offset {offset})")
        )
    return text


@dataclass(frozen=True)
class FrontMatter:
    values: dict[str, Any]
    key_lines: dict[str, int]  # key -> 1-based line in the file
    body: str
    body_offset: int  # lines before the body


def split_front_matter(text: str, shown: str) -> FrontMatter:
    """Separate a leading `---` YAML block from the body."""
    lines = text.split("\n")
    if not lines or lines[0].strip() != "---":
        return FrontMatter({}, {}, text, 0)
    for number, line in enumerate(lines[1:], start=1):
        if line.strip() in ("---", "..."):
            header_lines = lines[1:number]
            key_lines = {
                match.group(1): position + 2
                for position, header_line in enumerate(header_lines)
                if (match := re.match(r"^([^\s:#][^:]*?)\s*:", header_line))
            }
            values = _parse_yaml("\n".join(header_lines), shown)
            body = "\n".join(lines[number + 1 :])
            return FrontMatter(values, key_lines, body, number + 1)
    raise BriefingError(
        Problem(shown, "front matter opened with '---' is never closed by a '---' line", 1)
    )


def _parse_yaml(header: str, shown: str) -> dict[str, Any]:
    try:
        parsed = yaml.safe_load(header)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = mark.line + 2 if mark is not None else 1
        problem = getattr(error, "problem", None) or "cannot be parsed"
        raise BriefingError(Problem(shown, f"invalid YAML front matter: {problem}", line)) from None
    if parsed is None:
        return {}
    if not isinstance(parsed, dict):
        kind = type(parsed).__name__
        raise BriefingError(
            Problem(shown, f"front matter must be 'key: value' lines, not a YAML {kind}", 2)
        )
    return parsed


# --- front-matter values ----------------------------------------------------------

DATE_FORMATS = ("%Y-%m-%d", "%d %B %Y", "%d %b %Y", "%B %d, %Y", "%b %d, %Y", "%Y/%m/%d")


def parse_date_value(value: object) -> PartialDate | None:
    """A front-matter date: a YAML date, or text in a few common formats."""
    if isinstance(value, dt.datetime):
        return PartialDate.from_date(value.date())
    if isinstance(value, dt.date):
        return PartialDate.from_date(value)
    if isinstance(value, str):
        text = value.strip()
        for date_format in DATE_FORMATS:
            try:
                return PartialDate.from_date(dt.datetime.strptime(text, date_format).date())
            except ValueError:
                continue
        try:
            return PartialDate.from_date(dt.datetime.fromisoformat(text).date())
        except ValueError:
            return None
    return None


def check_url(value: str) -> bool:
    return re.match(r"^https?://[^\s<>\"']+$", value, re.IGNORECASE) is not None


class MetaReader:
    """Collects typed front-matter values and the problems found on the way."""

    def __init__(self, front: FrontMatter, known: tuple[str, ...], shown: str) -> None:
        self.front = front.values
        self.key_lines = front.key_lines
        self.shown = shown
        self.problems: list[Problem] = []
        self.warnings: list[Problem] = []
        for key in self.front:
            if key not in known:
                message = f"unknown front-matter key '{key}' ignored (known: {', '.join(known)})"
                self.warnings.append(Problem(shown, message, self._line(key), "warning"))

    def _line(self, key: object) -> int:
        return self.key_lines.get(str(key), 1)

    def text(self, key: str) -> str:
        value = self.front.get(key)
        if value is None:
            return ""
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            self._wrong(key, "text")
            return ""
        return str(value).strip()

    def date(self, key: str) -> PartialDate | None:
        value = self.front.get(key)
        if value is None:
            return None
        parsed = parse_date_value(value)
        if parsed is None:
            self._wrong(key, "a date such as 2021-10-20")
        return parsed

    def integer(self, key: str) -> int | None:
        value = self.front.get(key)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int) or value < 10:
            self._wrong(key, "a whole number of at least 10")
            return None
        return value

    def url(self, key: str) -> str:
        value = self.text(key)
        if value and not check_url(value):
            message = f"'{key}' must be an http:// or https:// address"
            self.problems.append(Problem(self.shown, message, self._line(key)))
            return ""
        return value

    def _wrong(self, key: str, expected: str) -> None:
        shown_value = repr(self.front[key])[:40]
        message = f"'{key}' must be {expected}, not {shown_value}"
        self.problems.append(Problem(self.shown, message, self._line(key)))


# --- readers ----------------------------------------------------------------------

_MARKDOWN = MarkdownIt("commonmark", {"html": False})


def markdown_blocks(body: str, line_offset: int) -> tuple[Block, ...]:
    """The text of each Markdown paragraph and heading, without markup."""
    tokens = _MARKDOWN.parse(body)
    blocks: list[Block] = []
    for position, token in enumerate(tokens):
        if token.type not in ("paragraph_open", "heading_open"):
            continue
        inline = tokens[position + 1]
        text = _inline_text(inline.children or [])
        if not text:
            continue
        line = (token.map[0] if token.map else 0) + line_offset + 1
        kind = "heading" if token.type == "heading_open" else "paragraph"
        blocks.append(Block(line, text, kind))
    return tuple(blocks)


def _inline_text(children: list[Token]) -> str:
    parts: list[str] = []
    for child in children:
        if child.type in ("text", "code_inline"):
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append(" ")
    return re.sub(r"\s+", " ", "".join(parts)).strip()


def text_blocks(body: str) -> tuple[Block, ...]:
    """A pasted-text body: one block per non-blank line."""
    from generator.clean import blocks_from_text

    return blocks_from_text(body)


def _read_markdown(text: str, shown: str) -> tuple[ArticleMeta, tuple[Block, ...], list[Problem]]:
    front = split_front_matter(text, shown)
    reader = MetaReader(front, ARTICLE_KEYS, shown)
    meta = ArticleMeta(
        title=reader.text("title"),
        outlet=reader.text("outlet"),
        url=reader.url("url"),
        published=reader.date("published"),
        author=reader.text("author"),
        language=reader.text("language"),
    )
    if reader.problems:
        raise BriefingError(reader.problems)
    return meta, markdown_blocks(front.body, front.body_offset), reader.warnings


def _read_plain(text: str, shown: str) -> tuple[ArticleMeta, tuple[Block, ...], list[Problem]]:
    return ArticleMeta(), text_blocks(text), []


Reader = Callable[[str, str], tuple[ArticleMeta, tuple[Block, ...], list[Problem]]]
READERS: dict[str, Reader] = {
    ".md": _read_markdown,
    ".markdown": _read_markdown,
    ".txt": _read_plain,
}


def read_article(path: Path, shown: str) -> tuple[RawArticle, list[Problem]]:
    """Read one article file; returns it with any warnings, raises on errors."""
    text, data = read_text(path, shown)
    if not text.strip():
        raise BriefingError(Problem(shown, "empty file: there is no article text"))
    meta, blocks, warnings = READERS[path.suffix.lower()](text, shown)
    if not blocks:
        raise BriefingError(Problem(shown, "no article text after the front matter"))
    kind = "md" if path.suffix.lower() in (".md", ".markdown") else "txt"
    digest = hashlib.sha256(data).hexdigest()
    return RawArticle(shown, path.name, kind, meta, blocks, digest), warnings


def read_index(path: Path, shown: str) -> tuple[BriefingMeta, list[Problem]]:
    """Read a briefing's `index.md`: title, date, lead_words and the editor's note."""
    text, _ = read_text(path, shown)
    front = split_front_matter(text, shown)
    reader = MetaReader(front, INDEX_KEYS, shown)
    meta = BriefingMeta(
        title=reader.text("title"),
        date=reader.date("date"),
        lead_words=reader.integer("lead_words"),
        note_markdown=front.body.strip(),
    )
    if reader.problems:
        raise BriefingError(reader.problems)
    return meta, reader.warnings
