"""Documents: the text every offset points into, and where it came from."""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

from pipeline.errors import InputError


# A surrogate code point alone in a str: the JSON escape "\ud800" makes one, and it has no UTF-8 encoding.
_SURROGATE = re.compile("[\ud800-\udfff]")


def lone_surrogate(text: str) -> str | None:
    """Where `text` holds a lone surrogate ("\\ud800 at character 12"), None if it holds none."""
    found = _SURROGATE.search(text)
    return None if found is None else f"\\u{ord(found.group()):04x} at character {found.start()}"


def refuse_lone_surrogates(location: str, fields: dict[str, Any]) -> None:
    """Raise InputError for the first of `fields` (name: value) holding a lone surrogate: no UTF-8 for it."""
    for name, value in fields.items():
        where = lone_surrogate(value) if isinstance(value, str) else None
        if where:
            raise InputError(location, f"'{name}' holds a lone surrogate {where} (a broken \\u escape, "
                                       "not valid Unicode)")


def normalize_text(text: str) -> str:
    """Normalize text as ANNOTATION.md section 1 says: NFC, and \\r\\n / \\r turned into \\n."""
    return unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))


@dataclass
class Document:
    """One article: its id, its normalized text, and metadata (url, date, source location...)."""

    doc_id: str
    text: str
    meta: dict[str, Any] = field(default_factory=dict)
    # Character ranges of the article body inside `text` (set by the cleaner); None = whole text.
    body: list[tuple[int, int]] | None = None

    @property
    def location(self) -> str:
        """Where the document was read (meta "source", e.g. FILE:LINE), else its doc_id: for skip messages."""
        return str(self.meta.get("source") or self.doc_id)

    @classmethod
    def from_raw(cls, doc_id: str, raw_text: str, **meta: Any) -> "Document":
        """Build a document from undecoded-but-str text, normalizing it first."""
        return cls(doc_id=doc_id, text=normalize_text(raw_text), meta=dict(meta))
