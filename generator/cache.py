"""Per-article cache: the result of clean -> split -> summarize, stored as JSON and keyed
by the file's content hash, the settings that affect it and the code version."""

from __future__ import annotations

import functools
import hashlib
import json
import os
import tempfile
from dataclasses import asdict
from pathlib import Path
from typing import Any

from generator import __version__
from generator.model import (
    ArticleMeta,
    Block,
    DroppedLine,
    PartialDate,
    ProcessedArticle,
    Sentence,
)

CACHE_FORMAT = 2  # 2: the article is a checksummed JSON string


@functools.cache
def code_fingerprint() -> str:
    """A hash of the package's own source, so that any change to the code that cleans,
    splits or summarizes invalidates what it cached (not only a version bump)."""
    package = Path(__file__).resolve().parent
    digest = hashlib.sha256(__version__.encode())
    for source in sorted(package.glob("*.py")):
        digest.update(source.name.encode())
        digest.update(source.read_bytes())
    return digest.hexdigest()


def cache_key(digest: str, path: str, settings_fingerprint: str) -> str:
    material = f"{CACHE_FORMAT}|{code_fingerprint()}|{digest}|{path}|{settings_fingerprint}"
    return hashlib.sha256(material.encode("utf-8")).hexdigest()


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
        body = json.dumps(asdict(article), ensure_ascii=False, sort_keys=True)
        payload = json.dumps({"key": key, "sha256": _sha256(body), "article": body})
        temporary: str | None = None
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(dir=self.folder, suffix=".tmp")
            with os.fdopen(handle, "w", encoding="utf-8") as stream:
                stream.write(payload)
            os.replace(temporary, self.folder / f"{key}.json")
        except OSError:
            pass  # a cache that cannot be written only makes the next build slower
        finally:
            if temporary is not None:
                Path(temporary).unlink(missing_ok=True)


def _sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _load_entry(path: Path, key: str) -> ProcessedArticle | None:
    """The cached article, or None for anything missing, corrupt, foreign or malformed:
    the entry must name its key, match its checksum and have the shape we write."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        body = data["article"]
        if data.get("key") != key or data.get("sha256") != _sha256(body):
            return None
        article = article_from_json(json.loads(body))
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
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
