"""Cleaning news pages: the article text and metadata of an HTML page (see docs/html.md)."""
from __future__ import annotations

from .article import Article
from .clean import clean_html
from .decode import UndecodableError, charset_from_content_type, decode_html

__all__ = ["Article", "clean_html", "decode_html", "charset_from_content_type", "UndecodableError"]
