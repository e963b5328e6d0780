"""Per-article cache: the result of clean -> split -> summarize, stored as JSON and keyed
by the file's content hash, the settings that affect it and the code version."""

from __future__ import annotations

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

CACHE_FORMAT = 1


def cache_key(digest: str, path: str, settings_fingerprint: str) -> str:
    material = f"{CACHE_FORMAT}|{__version__}|{digest}|{path}|{settings_fingerprint}"
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
        try:
            data = json.loads((self.folder / f"{key}.json").read_text(encoding="utf-8"))
            article = article_from_json(data["article"]) if data.get("key") == key else None
        except (OSError, ValueError, KeyError, TypeError):
            article = None
        if article is None:
            self.misses += 1
        else:
            self.hits += 1
        return article

    def put(self, key: str, article: ProcessedArticle) -> None:
        if self.folder is None:
            return
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            payload = json.dumps({"key": key, "article": asdict(article)}, ensure_ascii=False)
            handle, temporary = tempfile.mkstemp(dir=self.folder, suffix=".tmp")
            with os.fdopen(handle, "w", encoding="utf-8") as stream:
                stream.write(payload)
            os.replace(temporary, self.folder / f"{key}.json")
        except OSError:
            return  # a cache that cannot be written only makes the next build slower


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
