"""On-disk caches, all JSON, written atomically and checked when read:

* the article cache: the result of clean -> split -> summarize, keyed by the file's
  content hash, the settings that affect it and the code version;
* the briefing cache: a story's merged `Briefing`, keyed by everything it is made from
  (the article keys, index.md, the lead settings, the code version);
* the file index: per article file, its stat signature with its content hash, warnings
  and dropped lines, so that a rebuild does not read a file that did not change.
"""

from __future__ import annotations

import functools
import hashlib
import json
import marshal
import os
import re
import sys
import tempfile
from collections.abc import Callable, Mapping, Sequence
from contextlib import suppress
from dataclasses import dataclass, fields, is_dataclass
from pathlib import Path
from typing import Any

from generator import __version__
from generator.errors import Problem
from generator.load import BriefingFolder, Listing
from generator.model import (
    ArticleMeta,
    Block,
    Briefing,
    BriefingMeta,
    Difference,
    DifferingValue,
    DroppedLine,
    FactsResult,
    KeyFact,
    LeadSentence,
    PartialDate,
    ProcessedArticle,
    Sentence,
    SentenceRef,
    SourceSection,
)

CACHE_FORMAT = 3  # 3: a header line (key, kind, sha256), then the JSON body


@functools.cache
def code_fingerprint() -> str:
    """A hash of the package's own source, so that any change to the code that cleans,
    splits or summarizes invalidates what it cached (not only a version bump)."""
    package = Path(__file__).resolve().parent
    digest = hashlib.sha256(__version__.encode())
    for source in sorted(package.rglob("*.py")):  # subpackages too (generator/facts/)
        digest.update(source.relative_to(package).as_posix().encode())
        digest.update(source.read_bytes())
    return digest.hexdigest()


@functools.lru_cache(maxsize=1 << 16)  # (a build asks for each article's key more than once)
def cache_key(digest: str, path: str, settings_fingerprint: str) -> str:
    material = f"{CACHE_FORMAT}|{code_fingerprint()}|{digest}|{path}|{settings_fingerprint}"
    return hashlib.sha256(material.encode("utf-8")).hexdigest()


_FIELD_NAMES: dict[type, tuple[str, ...]] = {}


def plain_data(value: Any) -> Any:
    """`dataclasses.asdict` for the model's values (dataclasses, tuples, lists, dicts
    and scalars), several times faster: no deep copies, field names looked up once per
    class.  Every build writes thousands of cache entries made this way."""
    kind = type(value)
    if kind in _SCALARS:
        return value
    names = _FIELD_NAMES.get(kind)
    if names is None and is_dataclass(kind):
        names = _field_names(kind)
    if names is not None:  # (a scalar, most values, is taken without a further call)
        return {
            name: item if type(item := getattr(value, name)) in _SCALARS else plain_data(item)
            for name in names
        }
    if kind is tuple or kind is list:
        return kind([item if type(item) in _SCALARS else plain_data(item) for item in value])
    if kind is dict:
        return {key: plain_data(item) for key, item in value.items()}
    raise TypeError(f"cannot store a {kind.__name__} in the cache")


_SCALARS = frozenset({str, int, float, bool, type(None)})


class ArticleCache:
    """A folder of `<key>.json` files; unreadable or foreign entries count as misses."""

    def __init__(self, folder: Path | None) -> None:
        self.folder = folder
        self.hits = 0
        self.misses = 0

    def get(self, key: str) -> ProcessedArticle | None:
        if self.folder is None:
            return None
        article = _load_entry(self.folder / f"{key}.json", key)
        if article is None:
            self.misses += 1
        else:
            self.hits += 1
        return article

    def put(self, key: str, article: ProcessedArticle) -> None:
        if self.folder is None:
            return
        body = json.dumps(plain_data(article), ensure_ascii=False, sort_keys=True)
        write_entry(self.folder / f"{key}.json", key, body, "article")


ENTRY_NAME = re.compile(r"[0-9a-f]{64}\.json")  # an article or briefing entry: <sha256>.json


def prune_entries(folder: Path | None, keep: set[str]) -> int:
    """Delete every entry `<key>.json` directly in `folder` whose key is not in `keep`
    (what a build did not use: an article since edited, a briefing since changed,
    anything made by an older version of the code); how many were deleted."""
    if folder is None:
        return 0
    try:
        names = os.listdir(folder)
    except OSError:
        return 0
    removed = 0
    for name in names:  # (thousands, nearly all kept: the cheap test first)
        if name[: -len(".json")] not in keep and ENTRY_NAME.fullmatch(name):
            with suppress(OSError):
                os.unlink(os.path.join(folder, name))
                removed += 1
    return removed


def write_entry(path: Path, key: str, body: str, field: str) -> None:
    """Write the JSON text `body` atomically (a temporary file renamed over), after a
    first line naming its key, its kind (`field`) and its sha256.  (The body is not
    itself a JSON string inside a JSON object: the index files run to megabytes, and
    escaping and unescaping them again cost as much as encoding them.)"""
    _write_checked(path, body.encode("utf-8"), {"key": key, "field": field})


def _write_checked(path: Path, data: bytes, header: dict[str, str]) -> bool:
    """Write `header` (with the sha256 of `data` added) as a JSON line, then `data`;
    False when the file could not be written."""
    header["sha256"] = hashlib.sha256(data).hexdigest()
    try:  # a cache that cannot be written only makes the next build slower
        replace_file(path, json.dumps(header).encode("ascii") + b"\n" + data)
    except OSError:
        return False
    return True


def _checked_body(path: Path, key: str, field: str, form: str | None = None) -> bytes | None:
    """The body of a file `_write_checked` wrote with this key, kind and format (None
    for JSON entries, whose header names none) when its checksum holds, else None;
    OSError, ValueError or AttributeError when it cannot be read or has no header."""
    return _checked(path, key, field, form)[1]


def _checked(
    path: Path, key: str, field: str, form: str | None = None
) -> tuple[dict[str, Any], bytes | None]:
    """`_checked_body`, with the file's header."""
    first, _, data = path.read_bytes().partition(b"\n")
    header = json.loads(first)
    if (header.get("key"), header.get("field"), header.get("format")) != (key, field, form):
        return header, None
    if header.get("sha256") != hashlib.sha256(data).hexdigest():
        return header, None
    return header, data


def replace_file(path: Path, content: bytes, mode: int | None = None) -> None:
    """Write `content` to a new hidden file in `path`'s folder (made if missing) and
    rename it over `path`, so that a reader sees the old file or the new one, never a
    part; `mode`: the file's permissions (else mkstemp's 0600).  (The folder is made only
    when the file cannot be created: on some disks even a `mkdir` of a folder that
    exists costs as much as writing a file.)"""
    temporary_name = {"dir": path.parent, "prefix": f".{path.name}.", "suffix": ".tmp"}
    try:
        handle, temporary = tempfile.mkstemp(**temporary_name)
    except FileNotFoundError:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(**temporary_name)
    try:
        if mode is not None:
            os.fchmod(handle, mode)
        with os.fdopen(handle, "wb") as stream:
            stream.write(content)
        os.replace(temporary, path)
    except BaseException:
        with suppress(OSError):
            os.unlink(temporary)
        raise


# The site-wide indexes (the file index, the render cache, the output manifest) run to
# megabytes and are read by every build: in marshal's format, which Python reads three
# times and writes twenty times as fast as JSON.  They hold plain values only (dicts,
# lists, strings, numbers), are checksummed like the entries, and name the format's
# version and Python's, whose marshal writes them.  A build that changed a few entries
# does not rewrite one whole: it writes what differs from the file as last written whole
# (its *base*) to `<name>.delta` beside it, which names the base by its sha256; the base
# is written whole again (and the delta removed) once the delta holds an eighth of it.
INDEX_FORMAT = f"marshal-{marshal.version}-py{sys.version_info[0]}.{sys.version_info[1]}"
DELTA_SUFFIX = ".delta"
_DELTA_SHARE = 8  # a base is written whole once its delta holds 1/8 of its entries


@dataclass
class _IndexRead:
    """What `read_index` found at a path: the base's stat and sha256, and the delta it
    applied (as stored: a reader may change the values it was given)."""

    base_stat: tuple[int, int, int] | None
    base_sha256: str
    delta: bytes
    entries: int  # in the sections of the value read


_index_reads: dict[str, _IndexRead] = {}


def write_index(
    path: Path,
    key: str,
    value: Any,
    field: str,
    legacy: Path | None = None,
    base: Mapping[str, Any] | None = None,
) -> None:
    """Write the plain `value` atomically, after a header line as `write_entry`'s (with
    the format); `legacy`: the file that held it in JSON before, removed.  `base`: the
    value `read_index` gave for `path` (none of its dicts changed in place since): then
    only what `value` changes in its dicts and other items is written, as a delta, while
    that stays small and the file read is the one still there."""
    read = _index_reads.pop(os.fspath(path), None)
    if base is not None and read is not None and isinstance(value, dict):
        delta = _delta(read, base, value)
        if delta is not None and read.base_stat == _file_stat(path):
            _write_delta(path, key, field, read.base_sha256, delta)
            return
    try:
        data = marshal.dumps(value)
    except ValueError:  # (not plain values: never written so)
        return
    header = {"key": key, "field": field, "format": INDEX_FORMAT}
    if _write_checked(path, data, header):
        with suppress(OSError):
            _delta_path(path).unlink(missing_ok=True)
        if legacy is not None:
            with suppress(OSError):
                legacy.unlink(missing_ok=True)


def read_index(path: Path, key: str, field: str) -> Any:
    """The value written by `write_index` (its delta applied), or None when it is missing,
    corrupt, of another kind, key or format.  A delta that is corrupt or made for another
    base is left out: the value is then an older one, which every index tells from the
    files it describes (their signatures, hashes and keys)."""
    _index_reads.pop(os.fspath(path), None)
    try:
        header, data = _checked(path, key, field, INDEX_FORMAT)
        if data is None:
            return None
        stat = os.stat(path)
        value = marshal.loads(data)
    except (OSError, ValueError, KeyError, TypeError, AttributeError, EOFError):
        return None
    read = _IndexRead((stat.st_ino, stat.st_size, stat.st_mtime_ns), header["sha256"], b"", 0)
    if isinstance(value, dict):
        read.delta = _read_delta(path, key, field, read.base_sha256)
        value = _applied(value, read.delta)
        read.entries = sum(len(item) for item in value.values() if isinstance(item, dict))
    _index_reads[os.fspath(path)] = read
    return value


def as_read(value: dict[str, Any]) -> dict[str, Any]:
    """A copy of an index's value as `write_index` wants it for `base`: its dicts copied
    (not what is in them), so that the caller may change those in place."""
    return {name: dict(item) if isinstance(item, dict) else item for name, item in value.items()}


def index_stat(path: Path) -> tuple[object, ...]:
    """What changes whenever `write_index` writes `path` (its base or its delta)."""
    return (_file_stat(path), _file_stat(_delta_path(path)))


def _file_stat(path: Path) -> tuple[int, int, int] | None:
    try:
        stat = os.stat(path)
    except OSError:
        return None
    return (stat.st_ino, stat.st_size, stat.st_mtime_ns)


def _delta_path(path: Path) -> Path:
    return path.with_name(path.name + DELTA_SUFFIX)


# A delta: {"sections": {name: [changed entries, removed names]}, "items": {name: value}}
# for the value's dicts and its other items.  Applied: each section's removed names are
# taken out of the base's dict, then its changed entries put in; then the items.


def _delta(read: _IndexRead, base: Mapping[str, Any], value: dict[str, Any]) -> bytes | None:
    """The delta from the base file to `value`, given `base` (the value as read, the
    base file with `read.delta` applied); None when it would not be small."""
    try:
        delta = marshal.loads(read.delta) if read.delta else {"sections": {}, "items": {}}
    except (ValueError, EOFError, TypeError):
        return None
    sections, items = delta["sections"], delta["items"]
    size = 0
    for name, new in value.items():
        old = base.get(name)
        if isinstance(new, dict) and isinstance(old, dict):
            changed, removed = sections.get(name, ({}, []))
            changed, removed = dict(changed), set(removed)
            for entry, content in new.items():
                known = old.get(entry, _MISSING)
                if known is not content and known != content:
                    changed[entry] = content
            gone = old.keys() - new.keys()
            removed |= gone
            for entry in gone:
                changed.pop(entry, None)
            sections[name] = (changed, sorted(removed))
            size += len(changed) + len(removed)
        elif old is not new and old != new:
            items[name] = new
            size += 1
    if base.keys() - value.keys() or size * _DELTA_SHARE > read.entries:
        return None
    try:
        return marshal.dumps(delta)
    except ValueError:
        return None


_MISSING = object()


def _applied(value: dict[str, Any], delta: bytes) -> dict[str, Any]:
    if not delta:
        return value
    changes = marshal.loads(delta)
    for name, (changed, removed) in changes["sections"].items():
        section = value.get(name)
        if not isinstance(section, dict):
            continue
        for entry in removed:
            section.pop(entry, None)
        section.update(changed)
    value.update(changes["items"])
    return value


def _write_delta(path: Path, key: str, field: str, base_sha256: str, delta: bytes) -> None:
    header = {"key": key, "field": field, "format": INDEX_FORMAT, "base": base_sha256}
    _write_checked(_delta_path(path), delta, header)


def _read_delta(path: Path, key: str, field: str, base_sha256: str) -> bytes:
    """The delta stored for the base with this sha256 (checked and well formed), or b""."""
    try:
        header, data = _checked(_delta_path(path), key, field, INDEX_FORMAT)
        if data is None or header.get("base") != base_sha256:
            return b""
        changes = marshal.loads(data)
        sections, items = changes["sections"], changes["items"]
        well_formed = (
            isinstance(sections, dict)
            and isinstance(items, dict)
            and all(
                isinstance(changed, dict) and isinstance(removed, list)
                for changed, removed in sections.values()
            )
        )
    except (OSError, ValueError, KeyError, TypeError, AttributeError, EOFError):
        return b""
    return data if well_formed else b""


def read_entry(path: Path, key: str, field: str) -> Any:
    """The decoded body of an entry written by `write_entry`, or None when it is missing,
    corrupt, of another kind or another key's."""
    try:
        data = _checked_body(path, key, field)
        return None if data is None else json.loads(data)
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None


def _load_entry(path: Path, key: str) -> ProcessedArticle | None:
    """The cached article, or None for anything missing, corrupt, foreign or malformed:
    the entry must name its key, match its checksum and have the shape we write."""
    data = read_entry(path, key, "article")
    if data is None:
        return None
    try:
        article = article_from_json(data)
    except (ValueError, KeyError, TypeError, AttributeError):
        return None
    return article if well_formed(article) else None


def well_formed(article: ProcessedArticle) -> bool:
    """Every field has the type the later stages expect, and indices point in range."""
    meta = article.meta
    texts = (article.source_id, article.path, meta.title, meta.outlet, meta.url, meta.author)
    texts += (meta.language, meta.place, meta.standfirst)
    blocks = (*article.paragraphs, *article.dropped)
    return (
        all(isinstance(text, str) for text in texts)
        and all(isinstance(b.text, str) and _is_int(b.line) for b in blocks)
        and all(_is_int(value) for value in (*article.summary,))
        and all(
            isinstance(s.text, str) and s.index == position and _is_int(s.paragraph)
            for position, s in enumerate(article.sentences)
        )
        and all(0 <= index < len(article.sentences) for index in article.summary)
        and (meta.published is None or _valid_date(meta.published))
    )


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _valid_date(date: PartialDate) -> bool:
    return (
        _is_int(date.month)
        and _is_int(date.day)
        and 1 <= date.month <= 12
        and 1 <= date.day <= 31
        and (date.year is None or _is_int(date.year))
    )


def _date(value: dict[str, Any] | None) -> PartialDate | None:
    return PartialDate(**value) if value is not None else None


def article_from_json(data: dict[str, Any]) -> ProcessedArticle:
    meta = dict(data["meta"])
    meta["published"] = _date(meta.get("published"))
    return ProcessedArticle(
        source_id=data["source_id"],
        path=data["path"],
        meta=ArticleMeta(**meta),
        paragraphs=tuple(Block(**block) for block in data["paragraphs"]),
        dropped=tuple(DroppedLine(**line) for line in data["dropped"]),
        sentences=tuple(Sentence(**sentence) for sentence in data["sentences"]),
        summary=tuple(int(index) for index in data["summary"]),
    )


# --- merged briefings ----------------------------------------------------------------


class BriefingCache:
    """A folder of `briefings/<key>.json` files; like `ArticleCache`, misses on anything odd.

    The articles themselves are not stored again: `get` is given them (from the article
    cache, years resolved as the merge saw them) and puts them back in place.
    """

    def __init__(self, folder: Path | None) -> None:
        self.folder = folder / "briefings" if folder is not None else None

    def get(self, key: str, articles: Sequence[ProcessedArticle]) -> Briefing | None:
        if self.folder is None:
            return None
        data = read_entry(self.folder / f"{key}.json", key, "briefing")
        if data is None:
            return None
        try:
            by_id = {article.source_id: article for article in articles}
            briefing = briefing_from_json(data, by_id)
        except (ValueError, KeyError, TypeError, AttributeError):
            return None
        return briefing if briefing_well_formed(briefing) else None

    def put(self, key: str, briefing: Briefing) -> None:
        if self.folder is None:
            return
        data = briefing_json(briefing)
        body = json.dumps(data, ensure_ascii=False, sort_keys=True)
        write_entry(self.folder / f"{key}.json", key, body, "briefing")


def briefing_json(briefing: Briefing) -> dict[str, Any]:
    """`plain_data(briefing)`, each source's article by its id only (the article cache
    holds it): converting the articles only to drop them was most of the work."""
    data = {
        name: plain_data(getattr(briefing, name))
        for name in _field_names(Briefing)
        if name != "sources"
    }
    data["sources"] = [
        {
            **{
                name: plain_data(getattr(section, name))
                for name in _field_names(SourceSection)
                if name != "article"
            },
            "source_id": section.article.source_id,
        }
        for section in briefing.sources
    ]
    return data


def _field_names(kind: type) -> tuple[str, ...]:
    names = _FIELD_NAMES.get(kind)
    if names is None:
        names = _FIELD_NAMES[kind] = tuple(field.name for field in fields(kind))
    return names


def _refs(items: list[dict[str, Any]]) -> tuple[SentenceRef, ...]:
    return tuple(SentenceRef(**item) for item in items)


def _fact(data: dict[str, Any]) -> KeyFact:
    return KeyFact(
        data["kind"], data["text"], tuple(data["sources"]), _refs(data["refs"]),
        _date(data["when"]), data["speaker"],
    )  # fmt: skip


def _difference(data: dict[str, Any]) -> Difference:
    values = tuple(DifferingValue(v["value"], tuple(v["sources"])) for v in data["values"])
    return Difference(data["subject"], values)


def briefing_from_json(
    data: dict[str, Any], articles: dict[str, ProcessedArticle] | None = None
) -> Briefing:
    """The briefing `plain_data` (or `briefing_json`, given the `articles` by source id,
    which are used as they are) made of it."""
    facts = data["facts"]
    return Briefing(
        slug=data["slug"],
        title=data["title"],
        date=_date(data["date"]),
        note_markdown=data["note_markdown"],
        lead=tuple(
            LeadSentence(item["text"], tuple(item["sources"]), _refs(item["refs"]))
            for item in data["lead"]
        ),
        facts=FactsResult(
            tuple(_fact(item) for item in facts["key_facts"]),
            tuple(_difference(item) for item in facts["differences"]),
        ),
        sources=tuple(
            SourceSection(
                articles[item["source_id"]]
                if articles is not None
                else article_from_json(item["article"]),
                tuple(item["summary"]),
                tuple(item["only_here"]),
            )
            for item in data["sources"]
        ),
        warnings=tuple(data["warnings"]),
        tags=tuple(data["tags"]),
    )


def briefing_well_formed(briefing: Briefing) -> bool:
    """Every text is a string, every number an int, every date valid.  (Its articles
    are the ones `BriefingCache.get` was given: processed, or read back by
    `ArticleCache.get`, which checks them.)"""
    facts = briefing.facts.key_facts
    texts: list[object] = [briefing.slug, briefing.title, briefing.note_markdown]
    texts += [*briefing.warnings, *briefing.tags]
    texts += [item.text for item in briefing.lead]
    texts += [source for item in briefing.lead for source in item.sources]
    texts += [ref.source_id for item in briefing.lead for ref in item.refs]
    texts += [value for fact in facts for value in (fact.kind, fact.text, fact.speaker)]
    texts += [source for fact in facts for source in fact.sources]
    texts += [ref.source_id for fact in facts for ref in fact.refs]
    for difference in briefing.facts.differences:
        texts.append(difference.subject)
        texts += [v.value for v in difference.values]
        texts += [source for v in difference.values for source in v.sources]
    for section in briefing.sources:
        texts += [*section.summary, *section.only_here]
    numbers = [ref.sentence for item in briefing.lead for ref in item.refs]
    numbers += [ref.sentence for fact in facts for ref in fact.refs]
    dates = [briefing.date, *(fact.when for fact in facts)]
    return (
        all(isinstance(text, str) for text in texts)
        and all(_is_int(number) for number in numbers)
        and all(date is None or _valid_date(date) for date in dates)
    )


# --- what each article file held when last read --------------------------------------

FileSignature = tuple[int, int, int, int]  # inode, size, mtime_ns, ctime_ns
_PROBLEM_FIELDS = tuple(field.name for field in fields(Problem))


@dataclass(frozen=True)
class FileRecord:
    """An article file as last read: its content hash and warnings.  (The lines the
    cleaner dropped are in the article cache, read for `--explain` only.)"""

    digest: str
    warnings: tuple[Problem, ...]


class FileIndex:
    """`files/files.index` in the cache folder: path -> (stat signature, `FileRecord`),
    and per briefing folder its record (`FolderRecord`).

    A file whose inode, size, modification and change times are all as recorded is not
    read again.  The whole index is keyed by the code's hash and checksummed; an entry
    is checked when it is looked up, and anything odd counts as a miss (the file is then
    simply read).  Entries stay in their stored form: a build that changes one file does
    not convert thousands.
    """

    NAME = "files.index"
    LEGACY_NAME = "files.json"  # (the JSON of earlier builds)

    def __init__(self, folder: Path | None) -> None:
        self.folder = folder / "files" if folder is not None else None
        self.entries: dict[str, Any] = {}  # shown path -> [signature, digest, warnings]
        self.folders: dict[str, Any] = {}  # a briefing folder's shown path -> its record
        self.changed = False
        self.read: dict[str, Any] | None = None
        if self.folder is not None:
            data = read_index(self.folder / self.NAME, code_fingerprint(), "files")
            if isinstance(data, dict):
                files, folders = data.get("files"), data.get("folders")
                self.entries = files if isinstance(files, dict) else {}
                self.folders = folders if isinstance(folders, dict) else {}
                self.read = as_read(data)  # (for `save`: the dicts above change in place)

    def lookup(self, shown: str, signature: FileSignature | None) -> FileRecord | None:
        found = self.entries.get(shown)
        if signature is None or found is None:
            return None
        entry = _file_entry(found, signature)
        return entry[1] if entry is not None else None

    def record(self, shown: str, signature: FileSignature | None, record: FileRecord) -> None:
        if signature is None:
            return
        value = [list(signature), record.digest, [_problem_json(w) for w in record.warnings]]
        if self.entries.get(shown) != value:
            self.entries[shown] = value
            self.changed = True

    def lookup_meta(
        self, shown: str, signature: FileSignature | None
    ) -> tuple[BriefingMeta, tuple[Problem, ...]] | None:
        """An index.md's values and warnings as read when it had this signature."""
        found = self.entries.get(shown)
        if signature is None or found is None:
            return None
        return _meta_entry(found, signature)

    def record_meta(
        self,
        shown: str,
        signature: FileSignature | None,
        meta: BriefingMeta,
        warnings: Sequence[Problem],
    ) -> None:
        if signature is None:
            return
        values = {
            "title": meta.title,
            "date": plain_data(meta.date),
            "lead_words": meta.lead_words,
            "note_markdown": meta.note_markdown,
            "tags": list(meta.tags),
        }
        value = [list(signature), values, [_problem_json(w) for w in warnings]]
        if self.entries.get(shown) != value:
            self.entries[shown] = value
            self.changed = True

    def lookup_folder(
        self,
        shown: str,
        stamp: str,
        files: tuple[str | None, tuple[str, ...]],
        signature_of: Signer,
    ) -> FolderRecord | None:
        """The record of the briefing folder `shown` when made with the settings `stamp`,
        well formed, of the same `files` (index.md's name or None, the articles' names),
        and each file's signature (`signature_of(name)`) the recorded one."""
        found = self.folders.get(shown)
        return _folder_entry(found, stamp, files, signature_of) if found is not None else None

    def record_folder(self, shown: str, stamp: str, key: str, files: FolderFiles) -> None:
        """Record a briefing folder whose files all were read without an error: its
        briefing key and the entries of its files (recorded before) as they are now.
        `files`: its index.md's shown path (or None), and each article's name, source
        id and shown path."""
        index_shown, articles = files
        index_entry = self.entries.get(index_shown) if index_shown is not None else None
        if index_shown is not None and index_entry is None:
            return  # (an index.md that could not be stat'ed is read every time)
        entries = [[name, source_id, self.entries.get(path)] for name, source_id, path in articles]
        if any(entry is None for _, _, entry in entries):
            return
        value = [stamp, key, index_entry, entries]
        if self.folders.get(shown) != value:
            self.folders[shown] = value
            self.changed = True

    def save(self, keep: set[str], keep_folders: set[str] | None = None) -> None:
        """Write the entries of the paths in `keep` (the files the build saw) and the
        records of the folders in `keep_folders`."""
        if self.folder is None:
            return
        folders = keep_folders or set()
        if not self.changed and keep == set(self.entries) and folders == set(self.folders):
            return
        files = {path: self.entries[path] for path in sorted(self.entries) if path in keep}
        records = {path: self.folders[path] for path in sorted(self.folders) if path in folders}
        body = {"files": files, "folders": records}
        legacy = self.folder / self.LEGACY_NAME
        write_index(self.folder / self.NAME, code_fingerprint(), body, "files", legacy, self.read)


FolderFiles = tuple[str | None, Sequence[tuple[str, str, str]]]  # (`record_folder`)
FolderNames = tuple[str | None, tuple[str, ...]]  # index.md's name or None, the articles'
Signer = Callable[[str], "FileSignature | None"]  # a file's name -> its signature now


@dataclass(frozen=True)
class FolderRecord:
    """A briefing folder as the last build read it, all its files without an error: a
    build that finds each file's signature as recorded plans the briefing from this."""

    key: str  # the briefing key
    index: tuple[FileSignature, BriefingMeta, tuple[Problem, ...]] | None
    # each article's name, source id, signature, content hash and warnings
    articles: tuple[tuple[str, str, FileSignature, str, tuple[Problem, ...]], ...]


def _folder_entry(
    value: Any, stamp: str, files: FolderNames, signature_of: Signer
) -> FolderRecord | None:
    """A folder record read back when it is well formed, made with `stamp`, of `files`,
    and each file's signature the recorded one (files are stat'ed until one is not)."""
    index_name, names = files
    try:
        recorded_stamp, key, index_entry, entries = value
        if recorded_stamp != stamp or not isinstance(key, str) or len(entries) != len(names):
            return None
        index = None
        if (index_entry is None) != (index_name is None):
            return None
        if index_name is not None:
            signature = signature_of(index_name)
            meta = _meta_entry(index_entry, signature) if signature is not None else None
            if signature is None or meta is None:
                return None
            index = (signature, *meta)
        articles = []
        for name, (recorded_name, source_id, entry) in zip(names, entries, strict=True):
            signature = signature_of(name)
            if recorded_name != name or not isinstance(source_id, str) or signature is None:
                return None
            recorded, digest, warnings = entry
            if tuple(recorded) != signature or not isinstance(digest, str):
                return None
            if warnings:  # (rare: checked in full)
                found = _file_entry(entry, signature)
                if found is None:
                    return None
                warnings = found[1].warnings
            articles.append((name, source_id, signature, digest, warnings or ()))
    except (ValueError, TypeError, IndexError):
        return None
    return FolderRecord(key, index, tuple(articles))


def _problem_json(problem: Problem) -> dict[str, Any]:
    return {name: getattr(problem, name) for name in _PROBLEM_FIELDS}


def _file_entry(value: Any, signature: FileSignature) -> tuple[FileSignature, FileRecord] | None:
    """An index entry read back when it is well formed and records `signature`, else
    None.  (The signature is compared first: most entries of a build match it, and one
    with no warnings, the usual case, needs no further checks than its digest's type.)"""
    try:
        recorded, digest, warnings = value
        if tuple(recorded) != signature:  # (a stat's ints: the recorded ones are used no further)
            return None
        if not isinstance(digest, str):
            return None
        if not warnings:
            return signature, FileRecord(digest, ())
        record = FileRecord(digest, tuple(Problem(**warning) for warning in warnings))
    except (ValueError, TypeError):
        return None
    texts = [*(w.path for w in record.warnings), *(w.message for w in record.warnings)]
    if all(isinstance(text, str) for text in texts):
        return signature, record
    return None


def _meta_entry(
    value: Any, signature: FileSignature
) -> tuple[BriefingMeta, tuple[Problem, ...]] | None:
    """An index.md entry read back when it is well formed and records `signature`."""
    try:
        recorded, values, warnings = value
        if tuple(recorded) != signature:  # (a stat's ints: the recorded ones are used no further)
            return None
        tags = values["tags"]
        if not isinstance(tags, list):
            return None
        meta = BriefingMeta(
            title=values["title"],
            date=_date(values["date"]),
            lead_words=values["lead_words"],
            note_markdown=values["note_markdown"],
            tags=tuple(tags),
        )
        problems = tuple(Problem(**warning) for warning in warnings)
    except (ValueError, TypeError, KeyError, AttributeError):
        return None
    texts = [meta.title, meta.note_markdown, *meta.tags]
    texts += [*(w.path for w in problems), *(w.message for w in problems)]
    day = meta.date
    if (
        all(isinstance(text, str) for text in texts)
        and (meta.lead_words is None or _is_int(meta.lead_words))
        and (day is None or (_is_int(day.month) and _is_int(day.day)))
        and (day is None or day.year is None or _is_int(day.year))
        and all(w.line is None or _is_int(w.line) for w in problems)
    ):
        return meta, problems
    return None


# --- briefing folders as last listed -------------------------------------------------


class ListingIndex:
    """`listings.index` in the file index's folder: each briefing folder's `Listing`
    (its files by name, the warnings listing it gave, the folder's signature), for the
    next discovery of the same content folder, shown from the same base folder, to use
    instead of listing folders that did not change.  Checksummed like the other
    indexes; an entry that is not well formed is simply not used."""

    NAME = "listings.index"

    def __init__(self, folder: Path | None, root: tuple[str, str]) -> None:
        self.folder = folder / "files" if folder is not None else None
        self.root = list(root)  # the content folder and the base folder, as given
        self.raw: dict[str, Any] = {}  # folder path -> the entry as stored
        self.known: dict[str, Listing] = {}  # folder path -> the entry read back
        self.read: dict[str, Any] | None = None  # (for `save`)
        if self.folder is None:
            return
        data = read_index(self.folder / self.NAME, code_fingerprint(), "listings")
        self.read = as_read(data) if isinstance(data, dict) else None
        if isinstance(data, dict) and data.get("root") == self.root:
            folders = data.get("folders")
            for path, value in folders.items() if isinstance(folders, dict) else ():
                listing = _listing_entry(path, value)
                if listing is not None:
                    self.raw[path], self.known[path] = value, listing

    def save(self, listings: Mapping[str, Listing]) -> None:
        """Keep `listings` (a discovery's) for the next build: those with a signature."""
        if self.folder is None:
            return
        body: dict[str, Any] = {}
        for path, listing in sorted(listings.items()):
            if listing.signature is None:
                continue
            same = self.known.get(path) is listing
            body[path] = self.raw[path] if same else _listing_json(listing)
        if body == self.raw:
            return
        value = {"root": self.root, "folders": body}
        write_index(self.folder / self.NAME, code_fingerprint(), value, "listings", None, self.read)


def _listing_json(listing: Listing) -> list[Any]:
    folder = listing.folder
    problems = [_problem_json(problem) for problem in listing.warnings]
    return [list(listing.signature or ()), folder.slug, folder.index_name,
            list(folder.article_names), problems]  # fmt: skip


def _listing_entry(path: str, value: Any) -> Listing | None:
    try:
        signature, slug, index_name, names, warnings = value
        problems = tuple(Problem(**warning) for warning in warnings)
        texts = [slug, *names, *(w.path for w in problems), *(w.message for w in problems)]
    except (ValueError, TypeError):
        return None
    if (
        isinstance(signature, list)
        and len(signature) == 3
        and all(map(_is_int, signature))
        and (index_name is None or isinstance(index_name, str))
        and isinstance(names, list)
        and all(isinstance(text, str) for text in texts)
        and all(w.line is None or _is_int(w.line) for w in problems)
    ):
        folder = BriefingFolder(slug, path, index_name, tuple(names))
        return Listing((signature[0], signature[1], signature[2]), folder, problems)
    return None


# --- rendered pages per briefing -----------------------------------------------------


@dataclass(frozen=True)
class RenderRecord:
    """One briefing's rendered files: each path's sha256, and its summary for the
    site-wide pages (`render.briefing_summary`)."""

    files: dict[str, str]
    summary: dict[str, Any]


class RenderCache:
    """`render/pages.index` in the cache folder: per briefing slug, the render key its
    pages were made with (its briefing key, the settings, the theme files, the code) and
    a `RenderRecord`; per site-wide file (index, feed...), its key and sha256.  A briefing
    or site-wide file whose key is unchanged need not be rendered, nor even loaded, when
    the output still holds files with those hashes (write carries them over).  Keyed by
    the code's hash and checksummed like the other entries."""

    NAME = "pages.index"
    LEGACY_NAME = "pages.json"

    def __init__(self, folder: Path | None) -> None:
        self.folder = folder / "render" if folder is not None else None
        self.entries: dict[str, tuple[str, RenderRecord]] = {}
        self.site: dict[str, tuple[str, str]] = {}  # path -> (key, sha256)
        self.read: dict[str, Any] | None = None  # (for `save`)
        if self.folder is not None:
            data = read_index(self.folder / self.NAME, code_fingerprint(), "pages")
            if isinstance(data, dict):
                self.read = as_read(data)
                self.entries = _render_entries(data.get("briefings"))
                self.site = _site_entries(data.get("site"))

    def lookup(self, slug: str, key: str) -> RenderRecord | None:
        found = self.entries.get(slug)
        if found is None or found[0] != key:
            return None
        return found[1]

    def record(self, slug: str, key: str, record: RenderRecord) -> None:
        self.entries[slug] = (key, record)

    def site_file(self, path: str, key: str) -> str | None:
        """The sha256 the site-wide file `path` had when made with `key`, if it was."""
        found = self.site.get(path)
        return found[1] if found is not None and found[0] == key else None

    def save(self, keep: set[str], site: dict[str, tuple[str, str]]) -> None:
        """Write the entries of the slugs in `keep` (the briefings the build published)
        and the site-wide files' (key, sha256)."""
        if self.folder is None:
            return
        body = {
            "briefings": {
                slug: [key, record.files, record.summary]
                for slug, (key, record) in sorted(self.entries.items())
                if slug in keep
            },
            "site": {path: list(value) for path, value in sorted(site.items())},
        }
        legacy = self.folder / self.LEGACY_NAME  # (made in sorted order:)
        write_index(self.folder / self.NAME, code_fingerprint(), body, "pages", legacy, self.read)


def _render_entries(data: object) -> dict[str, tuple[str, RenderRecord]]:
    entries: dict[str, tuple[str, RenderRecord]] = {}
    if not isinstance(data, dict):
        return entries
    for slug, value in data.items():
        try:
            key, files, summary = value
        except (ValueError, TypeError):
            continue
        if (
            isinstance(key, str)
            and isinstance(files, dict)
            and all(isinstance(k, str) and isinstance(v, str) for k, v in files.items())
            and isinstance(summary, dict)
        ):
            entries[slug] = (key, RenderRecord(files, summary))
    return entries


def _site_entries(data: object) -> dict[str, tuple[str, str]]:
    if not isinstance(data, dict):
        return {}
    return {
        path: (value[0], value[1])
        for path, value in data.items()
        if isinstance(value, list) and len(value) == 2 and all(isinstance(v, str) for v in value)
    }
