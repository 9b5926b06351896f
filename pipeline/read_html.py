"""Read one saved HTML page as a Document (the cleaned article)."""
from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import Any

from pipeline.dates import iso_date
from pipeline.document import Document, normalize_text
from pipeline.errors import InputError
from pipeline.html import Article, UndecodableError, clean_html, decode_html
from pipeline.readers import DEFAULT_OPTIONS, ReadOptions, read_bounded

# Tags of common HTML elements (opening, closing or self-closing): "<" in plain text ("tăng <5%") is not one.
_HTML_TAG = re.compile(r"</?(?:html|head|body|div|p|span|a|br|hr|img|meta|link|script|style|article|section|"
                       r"header|footer|nav|main|table|thead|tbody|tr|td|th|ul|ol|li|h[1-6]|strong|em|b|i|u|"
                       r"figure|figcaption|blockquote|iframe|form|input|button)(?:\s[^<>]*)?/?>", re.IGNORECASE)


def article_document(doc_id: str, article: Article, **meta: Any) -> Document:
    """A Document holding the article text, with url/published/title/author/site and extra `meta`."""
    # The article keeps its timestamp; the document's date is the ISO date in Vietnam (pipeline.dates).
    info = {"url": article.url, "published": iso_date(article.published), "title": article.title,
            "author": article.author, "site": article.site}
    info.update(meta)
    return Document(doc_id=doc_id, text=normalize_text(article.text), meta=info)


def read_html_file(path: str | Path, options: ReadOptions = DEFAULT_OPTIONS) -> Document:
    """The article of an HTML file; InputError if it cannot be decoded, is too big or is not an article."""
    path = Path(path)
    try:
        with path.open("rb") as fh:
            data = read_bounded(fh, options, str(path))
    except OSError as err:
        raise InputError(str(path), f"cannot read: {err.strerror or err}") from err
    try:
        # A few bad bytes in a UTF-8 page are replaced, not fatal: say so on stderr like the other readers.
        html = decode_html(data, on_warning=lambda reason: print(f"chiso: warning {path}: {reason}", file=sys.stderr))
    except UndecodableError as err:
        raise InputError(str(path), f"cannot decode page: {err}") from err
    return html_document(path.stem, html, str(path))


def html_document(doc_id: str, html: str, location: str, **meta: Any) -> Document:
    """The article of a decoded page as a Document; InputError(location) if the page is not an article."""
    article = clean_html(html)
    if article is None or not article.is_article or not article.text.strip():
        raise InputError(location, "not an article (listing, index or empty page)")
    return article_document(doc_id, article, source=location, **meta)


def looks_like_html(text: str) -> bool:
    """True for a string of HTML markup (a page or a fragment): a doctype or <html> first, or two HTML tags."""
    head = text.lstrip("\ufeff \t\r\n")[:15].lower()
    if head.startswith(("<!doctype html", "<html")):
        return True
    tags = _HTML_TAG.finditer(text)
    return next(tags, None) is not None and next(tags, None) is not None
