"""Reading text out of parsed HTML: selector values and article blocks."""
from __future__ import annotations

import re
import unicodedata
from typing import Iterable

from bs4 import BeautifulSoup, Tag

_SPACE = re.compile(r"\s+")
# Zero-width characters and soft hyphens that pages sprinkle into text.
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"), None)


def parse(html: str) -> BeautifulSoup:
    """Parse an HTML string with lxml."""
    return BeautifulSoup(html, "lxml")


def clean_line(text: str | None) -> str:
    """Collapse whitespace (newlines included) and NFC-normalize one block of text."""
    if not text:
        return ""
    text = text.translate(_INVISIBLE).replace("\xa0", " ")
    return unicodedata.normalize("NFC", _SPACE.sub(" ", text).strip())


def element_text(el: Tag) -> str:
    """The visible text of an element as one clean line (<br> counts as a space)."""
    for br in el.find_all("br"):
        br.replace_with(" ")
    return clean_line(el.get_text())


def element_value(el: Tag) -> str:
    """A selector hit's value: `content` of a meta, `datetime` of a time, else its text."""
    for attr in ("content", "datetime"):
        if el.has_attr(attr) and el[attr].strip():
            return clean_line(el[attr])
    return element_text(el)


def select_value(root: Tag, selectors: Iterable[str]) -> str | None:
    """The first non-empty value found by the selectors, tried in order."""
    for selector in selectors or ():
        for el in root.select(selector):
            value = element_value(el)
            if value:
                return value
    return None


def select_first(root: Tag, selectors: Iterable[str]) -> Tag | None:
    """The first element found by the selectors, tried in order."""
    for selector in selectors or ():
        el = root.select_one(selector)
        if el is not None:
            return el
    return None


def drop_elements(root: Tag, selectors: Iterable[str]) -> None:
    """Remove every element matched by the selectors from `root` (in place)."""
    for selector in selectors or ():
        for el in root.select(selector):
            if el is not root:
                el.decompose()


def innermost_blocks(root: Tag, items: str) -> list[Tag]:
    """Elements matching `items` that contain no other match, in document order."""
    hits = root.select(items)
    hit_ids = {id(el) for el in hits}
    inner_ids = set()
    for el in hits:
        for parent in el.parents:
            if id(parent) in hit_ids:
                inner_ids.add(id(parent))
            if parent is root:
                break
    return [el for el in hits if id(el) not in inner_ids]


def link_density(el: Tag) -> float:
    """Share of an element's text that sits inside links."""
    total = len(clean_line(el.get_text()))
    if not total:
        return 0.0
    linked = sum(len(clean_line(a.get_text())) for a in el.find_all("a"))
    return linked / total


_CAPTION_HINTS = ("caption", "image", "photo")


def is_caption(el: Tag) -> bool:
    """True for a photo caption block: a <figcaption> or a block inside one, or a caption-classed block."""
    for node in (el, *el.parents):
        if getattr(node, "name", None) is None:
            break
        if node.name == "figcaption":
            return True
        classes = " ".join(node.get("class") or ()).lower()
        if node is el and any(hint in classes for hint in _CAPTION_HINTS):
            return True
    return False


def is_heading(el: Tag) -> bool:
    """True for a subheading block (h1-h6, or a block inside one)."""
    return any(getattr(node, "name", "") in _HEADINGS for node in (el, *el.parents))


_HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
