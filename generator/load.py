"""Load: find briefings in the content folder and read each file into a `RawArticle`.

One reader per file extension (`.md` with YAML front matter, `.txt` pasted text).
Every problem is a `Problem` naming the file and, where it has one, the line.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import re
import time
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import cache, cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from generator.config import LANGUAGES
from generator.errors import BriefingError, Problem
from generator.front_matter import plain_header
from generator.model import ArticleMeta, Block, BriefingMeta, PartialDate, RawArticle

if TYPE_CHECKING:
    from markdown_it import MarkdownIt
    from markdown_it.token import Token

ARTICLE_KEYS = ("title", "outlet", "url", "published", "author", "language")
INDEX_KEYS = ("title", "date", "lead_words", "tags")
MAX_TAGS = 20
MAX_TAG_CHARS = 60
INDEX_NAME = "index.md"
MAX_FRONT_MATTER_CHARS = 16_000
# Longer articles are cut here (with a warning): cleaning and summarizing grow faster
# than linearly with length, and a news article is far shorter (see README).
MAX_ARTICLE_CHARS = 50_000
MAX_ARTICLE_BLOCKS = 300
EDITOR_TEMP = re.compile(r"(^\.|^#|~$|\.swp$|\.swo$|\.swx$|\.tmp$|\.bak$|^4913$)")


@dataclass(frozen=True)
class BriefingFolder:
    """One `content/<slug>/` folder: where its files are, before anything is read.

    Files are kept by name: a build of thousands of briefings that finds most of them
    unchanged never needs their `Path`s (`article_paths`, `index_path` make them)."""

    slug: str
    location: str  # the folder's path, as listed
    index_name: str | None
    article_names: tuple[str, ...]

    @cached_property
    def folder(self) -> Path:
        return Path(self.location)

    @cached_property
    def name(self) -> str:
        return os.path.basename(self.location)

    @cached_property
    def article_paths(self) -> tuple[Path, ...]:
        return tuple(self.folder / name for name in self.article_names)

    @cached_property
    def index_path(self) -> Path | None:
        return None if self.index_name is None else self.folder / self.index_name


FolderSignature = tuple[int, int, int]  # a folder's inode, mtime_ns and ctime_ns
# A folder's listing is used again, instead of listing it, only while the folder keeps
# the signature it had when listed, and only when it had not changed for this long by
# then: an entry added within the file system's timestamp tick of the listing would
# leave the times as they were ("racy git").  Adding, removing or renaming an entry
# changes a folder's times; rewriting a file in it does not (its own stat tells).
SETTLED_NS = 2_000_000_000


@dataclass(frozen=True)
class Listing:
    """A briefing folder as listed, with its warnings and the folder's signature then
    (None when it had changed too recently to be trusted again)."""

    signature: FolderSignature | None
    folder: BriefingFolder
    warnings: tuple[Problem, ...]


@dataclass(frozen=True)
class Discovery:
    briefings: tuple[BriefingFolder, ...]
    warnings: tuple[Problem, ...]
    listings: dict[str, Listing] = field(default_factory=dict)  # by the folder's path


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


def discover(
    content_dir: Path, base: Path, known: Mapping[str, Listing] | None = None
) -> Discovery:
    """List the briefing folders under `content_dir` and their article files; `known`:
    the listings of an earlier discovery (`Discovery.listings`), used again for each
    folder whose signature is the one recorded."""
    briefings: list[BriefingFolder] = []
    warnings: list[Problem] = []
    slugs_seen: dict[str, Path] = {}
    listings: dict[str, Listing] = {}
    for entry in _list_folder(content_dir, base):
        if entry.name.startswith("."):
            continue
        folder = Path(entry.path)
        skipped = _skip_reason(entry) or (
            None if _is_dir(entry) else "ignored: not inside a briefing folder"
        )
        if skipped:
            warnings.append(_warning(folder, base, skipped))
            continue
        slug = slugify(folder.name) or "briefing"
        if slug in slugs_seen:
            other = display_path(slugs_seen[slug], base)
            raise BriefingError(
                Problem(display_path(folder, base), f"slug '{slug}' is already used by {other}")
            )
        slugs_seen[slug] = folder
        listing = _listing(entry, slug, base, known or {})
        briefings.append(listing.folder)
        warnings.extend(listing.warnings)
        listings[entry.path] = listing
    return Discovery(tuple(briefings), tuple(warnings), listings)


def _listing(
    entry: os.DirEntry[str], slug: str, base: Path, known: Mapping[str, Listing]
) -> Listing:
    """The briefing folder of `entry`: as `known` has it when its signature is unchanged
    (one `stat` instead of a listing), else listed."""
    signature = _folder_signature(entry)  # (before listing: a later change shows)
    found = known.get(entry.path)
    if (
        found is not None
        and signature is not None
        and found.signature == signature
        and found.folder.slug == slug
    ):
        return found
    warnings: list[Problem] = []
    folder = _briefing_folder(Path(entry.path), slug, base, warnings)
    settled = signature is not None and time.time_ns() - signature[1] > SETTLED_NS
    return Listing(signature if settled else None, folder, tuple(warnings))


def _folder_signature(entry: os.DirEntry[str]) -> FolderSignature | None:
    try:
        stat = entry.stat()
    except OSError:
        return None
    return (stat.st_ino, stat.st_mtime_ns, stat.st_ctime_ns)


def _briefing_folder(
    folder: Path, slug: str, base: Path, warnings: list[Problem]
) -> BriefingFolder:
    articles: list[str] = []
    index_name: str | None = None
    for entry in _list_folder(folder, base):
        if EDITOR_TEMP.search(entry.name):
            continue
        skipped = _skip_reason(entry)
        if skipped is None and _is_dir(entry):
            skipped = "ignored: sub-folders are not read"
        elif skipped is None and not _is_file(entry):
            skipped = "ignored: not a regular file"
        if skipped is not None:
            warnings.append(_warning(Path(entry.path), base, skipped))
        elif entry.name == INDEX_NAME:
            index_name = entry.name
        elif os.path.splitext(entry.name)[1].lower() in READERS:  # (the path's suffix)
            articles.append(entry.name)
        else:
            known = ", ".join(sorted(READERS))
            message = f"ignored: not an article ({known})"
            warnings.append(_warning(Path(entry.path), base, message))
    return BriefingFolder(slug, os.fspath(folder), index_name, tuple(articles))


def _list_folder(folder: Path, base: Path) -> list[os.DirEntry[str]]:
    """The folder's entries by name (a directory entry knows its type without a stat:
    listing 1,000 files stays cheap for `briefing serve`'s rebuilds)."""
    try:
        with os.scandir(folder) as entries:
            return sorted(entries, key=lambda entry: entry.name)
    except OSError as error:
        message = f"folder cannot be read: {error.strerror} (check its permissions)"
        raise BriefingError(Problem(display_path(folder, base), message)) from None


def _is_dir(entry: os.DirEntry[str]) -> bool:
    try:
        return entry.is_dir()
    except OSError:
        return False


def _is_file(entry: os.DirEntry[str]) -> bool:
    try:
        return entry.is_file()
    except OSError:
        return False


def _skip_reason(entry: os.DirEntry[str]) -> str | None:
    """Why a folder entry is not read at all: symbolic links and undecodable names."""
    try:
        link = entry.is_symlink()
    except OSError:
        link = False
    if link:
        return "ignored: symbolic links are not followed (copy the file in instead)"
    try:
        entry.name.encode("utf-8")
    except UnicodeEncodeError:
        return "ignored: the name is not valid UTF-8 (rename it)"
    return None


def _warning(path: Path, base: Path, message: str) -> Problem:
    return Problem(display_path(path, base), message, severity="warning")


# --- reading one file -------------------------------------------------------------


# Bytes that never occur in text: C0 controls other than tab, line feed, form feed and
# carriage return, and DEL.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
# A Windows-1252 guess must be mostly ASCII: a file in another 8-bit encoding (Cyrillic
# cp1251, say) decodes as cp1252 too, but as a run of accented Latin letters.
MIN_ASCII_SHARE = 0.7


@dataclass(frozen=True)
class Decoded:
    text: str  # newlines are "\n"
    data: bytes
    warnings: tuple[Problem, ...] = ()


def read_text(path: Path, shown: str) -> Decoded:
    """Decode a file: UTF-8 (BOM allowed), BOM-marked UTF-16, or Windows-1252 with a
    warning; anything else is an error naming the byte offset.  Newlines become `\n`."""
    try:
        data = path.read_bytes()
    except OSError as error:
        message = f"cannot be read: {error.strerror} (check the file's permissions)"
        raise BriefingError(Problem(shown, message)) from None
    text, warnings = _decode(data, shown)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return Decoded(text, data, tuple(warnings))


def _decode(data: bytes, shown: str) -> tuple[str, list[Problem]]:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return _checked_text(_decode_utf16(data, shown), data, shown, "UTF-16")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        return _decode_cp1252(data, shown, error.start)
    return _checked_text(text, data, shown, "UTF-8")


def _decode_utf16(data: bytes, shown: str) -> str:
    try:
        return data.decode("utf-16")
    except UnicodeDecodeError as error:
        message = f"invalid UTF-16 text at byte offset {error.start} (save the file as UTF-8)"
        raise BriefingError(Problem(shown, message)) from None


def _checked_text(text: str, data: bytes, shown: str, encoding: str) -> tuple[str, list[Problem]]:
    """Unicode text: a NUL means binary data; other control characters are removed."""
    if "\x00" in text:
        raise _binary_error(data, shown, data.find(b"\x00"), "a NUL byte")
    controls = _CONTROL.findall(text)
    if not controls:
        return text, []
    message = (
        f"removed {len(controls)} control character(s) such as {controls[0]!r} "
        f"from the {encoding} text"
    )
    return _CONTROL.sub("", text), [Problem(shown, message, severity="warning")]


def _decode_cp1252(data: bytes, shown: str, utf8_offset: int) -> tuple[str, list[Problem]]:
    """Pasted text saved in Windows-1252 (or Latin-1): accepted with a warning."""
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError as error:
        raise _binary_error(data, shown, error.start, "a byte no text encoding uses") from None
    control = _CONTROL.search(text)
    if control is not None:
        raise _binary_error(data, shown, control.start(), "a control byte")
    ascii_share = len(data.translate(None, bytes(range(128, 256)))) / len(data)
    if ascii_share < MIN_ASCII_SHARE:
        raise _binary_error(data, shown, utf8_offset, "mostly non-ASCII bytes that are not UTF-8")
    line = data[:utf8_offset].count(b"\n") + 1
    message = (
        f"not UTF-8: decoded as windows-1252 (first non-UTF-8 byte 0x{data[utf8_offset]:02x} "
        f"at byte offset {utf8_offset}, line {line}); save the file as UTF-8 to be sure"
    )
    return text, [Problem(shown, message, severity="warning")]


def _binary_error(data: bytes, shown: str, offset: int, what: str) -> BriefingError:
    line = data[:offset].count(b"\n") + 1
    message = (
        f"not text: {what} (0x{data[offset]:02x}) at byte offset {offset}; "
        "save the article as UTF-8 text (images and other binary files cannot be read)"
    )
    return BriefingError(Problem(shown, message, line))


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
    """The front matter's values: read here when they are plain (`generator.front_matter`),
    else by `generator.yaml_header`, imported then (PyYAML takes about 0.03 s to import)."""
    if len(header) > MAX_FRONT_MATTER_CHARS:
        message = (
            f"front matter is {len(header):,} characters; at most "
            f"{MAX_FRONT_MATTER_CHARS:,} are allowed (it holds a few short values)"
        )
        raise BriefingError(Problem(shown, message, 1))
    plain = plain_header(header)
    if plain is not None:
        return plain
    from generator.yaml_header import parse_yaml

    return parse_yaml(header, shown)


# --- front-matter values ----------------------------------------------------------

DATE_FORMATS = (
    "%Y-%m-%d",
    "%d %B %Y",
    "%d %b %Y",
    "%B %d, %Y",
    "%b %d, %Y",
    "%B %d %Y",
    "%b %d %Y",
    "%d %B, %Y",
    "%A, %d %B %Y",
    "%A, %B %d, %Y",
    "%Y/%m/%d",
    "%d.%m.%Y",
)


def parse_date_value(value: object) -> PartialDate | None:
    """A front-matter date: a YAML date, or text in a few common formats."""
    if isinstance(value, dt.datetime):
        return PartialDate.from_date(value.date())
    if isinstance(value, dt.date):
        return PartialDate.from_date(value)
    if isinstance(value, str):
        text = re.sub(r"(?<=[A-Za-z])\.(?=\s)|(?<=\d)(st|nd|rd|th)\b", "", value.strip())
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


def _has_surrogate(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


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
                shown_key = repr(key)[:40]
                message = (
                    f"unknown front-matter key {shown_key} ignored (known: {', '.join(known)})"
                )
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
        text = str(value).strip()
        if _CONTROL.search(text) or _has_surrogate(text):
            message = f"'{key}' contains a control character or an invalid escape; remove it"
            self.problems.append(Problem(self.shown, message, self._line(key)))
            return ""
        return text

    def language(self, key: str) -> str:
        """An ISO code we have models for; `de-DE` -> `de`; unknown codes are warnings."""
        value = self.text(key)
        code = re.split(r"[-_]", value.lower(), maxsplit=1)[0]
        if not value or code in LANGUAGES:
            return code
        known = ", ".join(sorted(LANGUAGES))
        message = (
            f"language '{value}' is not supported (supported: {known}); "
            "the site language's sentence splitter and stemmer are used"
        )
        self.warnings.append(Problem(self.shown, message, self._line(key), "warning"))
        return ""

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

    def tags(self, key: str) -> tuple[str, ...]:
        """`[a, b]` or `a, b`: distinct tags in order; a tag whose slug is empty, or past
        the limits, is a warning and dropped."""
        value = self.front.get(key)
        if value is None:
            return ()
        if isinstance(value, str):
            value = value.split(",")
        if not isinstance(value, list) or not all(
            isinstance(item, str | int | float) and not isinstance(item, bool) for item in value
        ):
            self._wrong(key, "a list of words such as [bridges, council]")
            return ()
        tags: dict[str, str] = {}
        for item in value:
            tag = " ".join(str(item).split())
            if _CONTROL.search(tag) or _has_surrogate(tag):
                self.problems.append(
                    Problem(self.shown, "a tag contains a control character", self._line(key))
                )
                return ()
            if not slugify(tag) or len(tag) > MAX_TAG_CHARS:
                self._warn(key, f"tag {tag[:40]!r} ignored: needs letters or digits, at most "
                                f"{MAX_TAG_CHARS} characters")  # fmt: skip
                continue
            tags.setdefault(slugify(tag), tag)
        if len(tags) > MAX_TAGS:
            self._warn(key, f"only the first {MAX_TAGS} tags are used")
        return tuple(tags.values())[:MAX_TAGS]

    def _warn(self, key: str, message: str) -> None:
        self.warnings.append(Problem(self.shown, message, self._line(key), "warning"))

    def _wrong(self, key: str, expected: str) -> None:
        shown_value = repr(self.front[key])[:40]
        message = f"'{key}' must be {expected}, not {shown_value}"
        self.problems.append(Problem(self.shown, message, self._line(key)))


# --- readers ----------------------------------------------------------------------


@cache
def commonmark() -> MarkdownIt:
    """The CommonMark parser, without raw HTML, for articles and editor's notes
    (markdown-it is imported on first use: most articles' Markdown has no syntax, and a
    build that reads no file and renders no note needs none)."""
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark", {"html": False})


# What can make Markdown more than paragraphs of text: inline markup, character
# references, tabs and control characters anywhere; indentation, list markers, headings,
# quotes, rules and setext underlines at the start of a line; white space at the end of
# a line (a hard break).  A body with none of these is read without markdown-it.
# (Separate patterns: each one's first character lets the regex engine skip ahead.)
_MARKUP_CHARACTER = re.compile(r"[\\`*_\[\]<~\x00-\x09\x0b-\x1f\x7f]")
_CHARACTER_REFERENCE = re.compile(r"&[#\w]+;")
_BLOCK_START = re.compile(r"\n(?:[^\S\n]|[-+=#>]|\d+[.)])")
# White space (str.isspace) other than line breaks and the control characters above.
_SPACE_CHARACTERS = " \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"
_SPACE_BEFORE_BREAK = re.compile(f"[{_SPACE_CHARACTERS}]\n")


def markdown_blocks(body: str, line_offset: int) -> tuple[Block, ...]:
    """The text of each Markdown paragraph and heading, without markup."""
    if not has_markdown_syntax(body):
        return _plain_paragraphs(body, line_offset)
    return _parsed_blocks(body, line_offset)


def _parsed_blocks(body: str, line_offset: int) -> tuple[Block, ...]:
    """`markdown_blocks` by markdown-it."""
    tokens = commonmark().parse(body)
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


def has_markdown_syntax(body: str) -> bool:
    """Whether markdown-it could read `body` as more than paragraphs of text."""
    return bool(
        _MARKUP_CHARACTER.search(body)
        or _CHARACTER_REFERENCE.search(body)
        or _BLOCK_START.search(f"\n{body}")
        or _SPACE_BEFORE_BREAK.search(f"{body}\n")
    )


def _plain_paragraphs(body: str, line_offset: int) -> tuple[Block, ...]:
    """What markdown-it makes of a body without Markdown syntax: each run of non-empty
    lines is a paragraph, its lines joined by spaces (soft breaks)."""
    lines = body.split("\n")
    blocks: list[Block] = []
    start = -1
    for number, line in enumerate([*lines, ""]):
        if line and start < 0:
            start = number
        elif not line and start >= 0:
            text = _collapse_spaces(" ".join(lines[start:number]))
            if text:
                blocks.append(Block(start + line_offset + 1, text, "paragraph"))
            start = -1
    return tuple(blocks)


def _inline_text(children: list[Token]) -> str:
    parts: list[str] = []
    for child in children:
        if child.type in ("text", "code_inline"):
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append(" ")
    return _collapse_spaces("".join(parts))


def _collapse_spaces(text: str) -> str:
    """`re.sub(r"\\s+", " ", text).strip()`: str.split and re's \\s know the same spaces."""
    return " ".join(text.split())


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
        language=reader.language("language"),
    )
    if reader.problems:
        raise BriefingError(reader.problems)
    return meta, markdown_blocks(front.body, front.body_offset), reader.warnings


def _read_plain(text: str, shown: str) -> tuple[ArticleMeta, tuple[Block, ...], list[Problem]]:
    return ArticleMeta(), text_blocks(text), []


def _read_html(text: str, shown: str) -> tuple[ArticleMeta, tuple[Block, ...], list[Problem]]:
    from generator.html_reader import read_html_page

    return read_html_page(text, shown)


Reader = Callable[[str, str], tuple[ArticleMeta, tuple[Block, ...], list[Problem]]]
READERS: dict[str, Reader] = {
    ".md": _read_markdown,
    ".markdown": _read_markdown,
    ".txt": _read_plain,
    ".html": _read_html,
    ".htm": _read_html,
}


def read_article(path: Path, shown: str) -> tuple[RawArticle, list[Problem]]:
    """Read one article file; returns it with any warnings, raises on errors."""
    decoded = read_text(path, shown)
    if not decoded.text.strip():
        raise BriefingError(Problem(shown, "empty file: there is no article text"))
    warnings = list(decoded.warnings)
    text = _precut(decoded.text)
    meta, blocks, reader_warnings = READERS[path.suffix.lower()](text, shown)
    warnings.extend(reader_warnings)
    if not blocks:
        raise BriefingError(Problem(shown, "no article text after the front matter"))
    blocks, cut = cap_blocks(blocks)
    if cut:
        warnings.append(Problem(shown, cut, severity="warning"))
    kind = "txt" if path.suffix.lower() == ".txt" else "md"
    digest = hashlib.sha256(decoded.data).hexdigest()
    return RawArticle(shown, path.name, kind, meta, blocks, digest), warnings


def _precut(text: str) -> str:
    """Drop what lies far beyond the cap before parsing (front matter stays whole)."""
    limit = 4 * MAX_ARTICLE_CHARS + MAX_FRONT_MATTER_CHARS
    return text if len(text) <= limit else text[:limit]


def cap_blocks(blocks: tuple[Block, ...]) -> tuple[tuple[Block, ...], str]:
    """At most MAX_ARTICLE_BLOCKS blocks and MAX_ARTICLE_CHARS characters, cut at a word;
    the second value is the warning to show when anything was cut."""
    if len(blocks) <= MAX_ARTICLE_BLOCKS and _characters(blocks) <= MAX_ARTICLE_CHARS:
        return blocks, ""
    kept: list[Block] = []
    room = MAX_ARTICLE_CHARS
    for block in blocks[:MAX_ARTICLE_BLOCKS]:
        if len(block.text) > room:
            window = block.text[: room + 1]
            head = window.rsplit(" ", 1)[0] if " " in window else window[:room]
            if head.strip():
                kept.append(Block(block.line, head.rstrip(), block.kind))
            break
        kept.append(block)
        room -= len(block.text)
    message = (
        f"article is very long: only its first {_characters(kept):,} characters in {len(kept)} "
        f"paragraphs are read (limits: {MAX_ARTICLE_CHARS:,} characters, "
        f"{MAX_ARTICLE_BLOCKS} paragraphs); trim it to the story"
    )
    return tuple(kept), message


def _characters(blocks: tuple[Block, ...] | list[Block]) -> int:
    return sum(len(block.text) for block in blocks)


def read_index(path: Path, shown: str) -> tuple[BriefingMeta, list[Problem]]:
    """Read a briefing's `index.md`: title, date, lead_words, tags and the editor's note."""
    decoded = read_text(path, shown)
    front = split_front_matter(decoded.text, shown)
    reader = MetaReader(front, INDEX_KEYS, shown)
    meta = BriefingMeta(
        title=reader.text("title"),
        date=reader.date("date"),
        lead_words=reader.integer("lead_words"),
        note_markdown=front.body.strip()[:MAX_ARTICLE_CHARS],
        tags=reader.tags("tags"),
    )
    if reader.problems:
        raise BriefingError(reader.problems)
    return meta, [*decoded.warnings, *reader.warnings]
