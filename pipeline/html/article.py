"""The cleaned article: what the cleaner keeps from a news page."""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Article:
    """Title, lead, body paragraphs and metadata of one news page."""

    title: str | None = None
    lead: str | None = None
    # Body paragraphs, subheadings and photo captions in page order, one line each.
    paragraphs: list[str] = field(default_factory=list)
    published: str | None = None
    author: str | None = None
    url: str | None = None
    site: str | None = None
    is_article: bool = True
    # Which extractor produced the body ("site:NAME", "trafilatura", "density").
    method: str | None = None
    # Indexes into `paragraphs` of the photo captions.
    captions: list[int] = field(default_factory=list)

    @property
    def text(self) -> str:
        """The document text: title, lead and paragraphs, one per line."""
        return "\n".join(part for part in (self.title, self.lead, *self.paragraphs) if part)

    def text_without_captions(self) -> str:
        """Like `text`, leaving the photo captions out."""
        skip = set(self.captions)
        body = [p for i, p in enumerate(self.paragraphs) if i not in skip]
        return "\n".join(part for part in (self.title, self.lead, *body) if part)
