"""Fallback for pages without a site rule: find the article body by trafilatura or text density."""
from __future__ import annotations

from bs4 import BeautifulSoup, Tag

from .dom import (clean_line, drop_elements, element_text, innermost_blocks, is_caption, is_heading,
                  link_density)
from .site_rules import CleaningRules

# Paragraphs shorter than this do not vote for their container (menus, labels).
_MIN_VOTE_CHARS = 25
_CONTAINERS = ("div", "article", "section", "main", "td", "body")


def trafilatura_paragraphs(html: str, url: str | None = None) -> list[str]:
    """Body paragraphs as trafilatura extracts them (comments and tables left out), one per block."""
    import trafilatura  # heavy import, only needed when our own extractor finds too little

    xml = trafilatura.extract(html, url=url, output_format="xml", include_comments=False,
                              include_tables=False, include_images=False, include_links=False,
                              include_formatting=False, deduplicate=False)
    if not xml:
        return []
    # XML output keeps one element per block; the plain-text output breaks lines where the source did.
    main = BeautifulSoup(xml, "xml").find("main")
    blocks = main.find_all(["p", "head", "item", "quote"]) if main else []
    lines = [clean_line(block.get_text(" ")) for block in blocks if not block.find(["p", "item"])]
    return [line for line in lines if line]


def main_container(soup: BeautifulSoup, rules: CleaningRules) -> Tag | None:
    """The element holding most paragraph text (readability-style voting, parents get half)."""
    scores: dict[int, float] = {}
    nodes: dict[int, Tag] = {}
    max_links = float(rules.generic.get("max_link_density", 0.35))
    for p in soup.find_all(["p", "h2", "h3", "h4", "figcaption", "li"]):
        text = clean_line(p.get_text())
        if len(text) < _MIN_VOTE_CHARS or link_density(p) > max_links:
            continue
        weight = float(len(text))
        for depth, parent in enumerate(p.parents):
            if depth > 2 or parent is None or getattr(parent, "name", None) is None:
                break
            if parent.name in _CONTAINERS:
                scores[id(parent)] = scores.get(id(parent), 0.0) + weight / (1 + depth)
                nodes[id(parent)] = parent
    if not scores:
        return None
    best = max(scores, key=lambda key: scores[key] * (1 - link_density(nodes[key])))
    return nodes[best]


def density_paragraphs(soup: BeautifulSoup, rules: CleaningRules, captions: set[str] | None = None,
                       headings: set[str] | None = None) -> list[str]:
    """Body paragraphs found by our own text-density heuristic.

    Texts of photo captions are added to `captions`, texts of subheadings to `headings`.
    """
    drop_elements(soup, rules.drop)
    container = main_container(soup, rules)
    if container is None:
        return []
    max_links = float(rules.generic.get("max_link_density", 0.35))
    lines = []
    for block in innermost_blocks(container, rules.items):
        if link_density(block) > max_links:
            continue
        text = element_text(block)
        if text:
            lines.append(text)
            if captions is not None and is_caption(block):
                captions.add(text)
            if headings is not None and is_heading(block):
                headings.add(text)
    return lines


def looks_like_listing(soup: BeautifulSoup, max_teasers: int) -> bool:
    """True when the page lists teasers: at least `max_teasers` article cards or headline links."""
    cards = len(soup.find_all("article"))
    headline_links = len(soup.select("h2 a[href], h3 a[href], h4 a[href]"))
    return cards >= max_teasers or headline_links >= max_teasers
