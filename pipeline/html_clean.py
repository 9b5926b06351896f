"""Public entry point of the HTML cleaner (the implementation is the pipeline.html package)."""
from __future__ import annotations

from pipeline.html import Article, UndecodableError, clean_html, decode_html

__all__ = ["Article", "clean_html", "decode_html", "UndecodableError"]
