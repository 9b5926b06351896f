"""The cleaning rules of rules/html_sites.yaml, compiled and matched by host."""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from rules import load_rules, per_rules

RULES_NAME = "html_sites"


@dataclass(frozen=True)
class Layout:
    """One page layout of a site: where title, lead, body, byline, author and date are."""

    body: tuple[str, ...]
    title: tuple[str, ...] = ()
    lead: tuple[str, ...] = ()
    drop: tuple[str, ...] = ()
    byline: tuple[str, ...] = ()
    byline_in_text: bool = False
    author: tuple[str, ...] = ()
    published: tuple[str, ...] = ()


@dataclass(frozen=True)
class Site:
    """A news site: its name, host names and layouts."""

    name: str
    hosts: tuple[str, ...]
    layouts: tuple[Layout, ...]


@dataclass(frozen=True)
class CleaningRules:
    """Everything html_sites.yaml says, ready to use."""

    items: str
    drop: tuple[str, ...]
    furniture: tuple[re.Pattern, ...]
    stop_at: tuple[re.Pattern, ...]
    publisher_names: frozenset[str]
    published: tuple[str, ...]
    author: tuple[str, ...]
    url_dates: tuple[re.Pattern, ...]
    generic: dict[str, Any]
    sites: tuple[Site, ...]

    def site_for(self, host: str | None) -> Site | None:
        """The site whose hosts include `host` or a parent domain of it."""
        if not host:
            return None
        host = host.lower().removeprefix("www.")
        for site in self.sites:
            for known in site.hosts:
                if host == known or host.endswith("." + known):
                    return site
        return None

    def is_publisher(self, name: str) -> bool:
        """True if `name` is a publisher (not a person) by the configured list."""
        return name.casefold().strip() in self.publisher_names


def _layout(raw: dict[str, Any]) -> Layout:
    """Build a Layout from its YAML mapping."""
    lists = {key: tuple(raw.get(key) or ()) for key in
             ("body", "title", "lead", "drop", "byline", "author", "published")}
    return Layout(byline_in_text=bool(raw.get("byline_in_text", False)), **lists)


def _patterns(raw: list[str] | None) -> tuple[re.Pattern, ...]:
    """Compile case-insensitive regexes."""
    return tuple(re.compile(p, re.IGNORECASE) for p in raw or ())


@per_rules  # per rules overlay: a researcher's html_sites.yaml (--rules DIR) applies
def cleaning_rules() -> CleaningRules:
    """Load and compile rules/html_sites.yaml (cached)."""
    raw = load_rules(RULES_NAME)
    sites = tuple(
        Site(name=name, hosts=tuple(h.lower() for h in spec["hosts"]),
             layouts=tuple(_layout(layout) for layout in spec["layouts"]))
        for name, spec in (raw.get("sites") or {}).items()
    )
    return CleaningRules(
        items=raw["items"],
        drop=tuple(raw.get("drop") or ()),
        furniture=_patterns(raw.get("furniture")),
        stop_at=_patterns(raw.get("stop_at")),
        publisher_names=frozenset(n.casefold() for n in raw.get("publisher_names") or ()),
        published=tuple(raw.get("published") or ()),
        author=tuple(raw.get("author") or ()),
        url_dates=_patterns(raw.get("url_dates")),
        generic=dict(raw.get("generic") or {}),
        sites=sites,
    )


def host_of(url: str | None) -> str | None:
    """The lower-case host of an absolute URL, without `www.`; None for relative URLs."""
    if not url:
        return None
    host = urlsplit(url.strip()).hostname
    return host.removeprefix("www.") if host else None
