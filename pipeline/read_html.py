"""Read one saved HTML page as a Document (the cleaned article)."""
from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from pipeline.document import Document, normalize_text
from pipeline.errors import InputError
from pipeline.html import Article, UndecodableError, clean_html, decode_html


def article_document(doc_id: str, article: Article, **meta: Any) -> Document:
    """A Document holding the article text, with url/published/title/author/site and extra `meta`."""
    info = {"url": article.url, "published": article.published, "title": article.title,
            "author": article.author, "site": article.site}
    info.update(meta)
    return Document(doc_id=doc_id, text=normalize_text(article.text), meta=info)


def read_html_file(path: str | Path) -> Document:
    """The article of an HTML file; InputError if it cannot be decoded or is not an article."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as err:
        raise InputError(str(path), f"cannot read: {err.strerror or err}") from err
    try:
        # A few bad bytes in a UTF-8 page are replaced, not fatal: say so on stderr like the other readers.
        html = decode_html(data, on_warning=lambda reason: print(f"chiso: warning {path}: {reason}", file=sys.stderr))
    except UndecodableError as err:
        raise InputError(str(path), f"cannot decode page: {err}") from err
    article = clean_html(html)
    if article is None or not article.is_article or not article.text.strip():
        raise InputError(str(path), "not an article (listing, index or empty page)")
    return article_document(path.stem, article, source=str(path))
