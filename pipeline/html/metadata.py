"""Page metadata: canonical URL, title, description, publishing date and author."""
from __future__ import annotations

import json
import re
from datetime import datetime
from typing import Any, Iterable, Iterator

from bs4 import BeautifulSoup

from pipeline.dates import iso_date

from .dom import clean_line, element_value, select_value
from .site_rules import CleaningRules

# JSON-LD types that mark a page as one article.
ARTICLE_TYPES = frozenset({
    "NewsArticle", "Article", "ReportageNewsArticle", "AnalysisNewsArticle", "BlogPosting",
    "OpinionNewsArticle", "LiveBlogPosting", "Report",
})
_DMY = re.compile(
    r"(?P<d>\d{1,2})[/.-](?P<m>\d{1,2})[/.-](?P<y>\d{4})(?:\D{1,5}(?P<H>\d{1,2})[:hg](?P<M>\d{2})(?::(?P<S>\d{2}))?)?")
_HMDMY = re.compile(
    r"(?P<H>\d{1,2})[:hg](?P<M>\d{2})(?::(?P<S>\d{2}))?\D{1,12}(?P<d>\d{1,2})[/.-](?P<m>\d{1,2})[/.-](?P<y>\d{4})")
_BYLINE_PREFIX = re.compile(r"^(theo|bài và ảnh|bài, ảnh|bài|tác giả|phóng viên|pv|nhóm pv)\s*[:.]?\s+",
                            re.IGNORECASE)


def json_ld_objects(soup: BeautifulSoup) -> Iterator[dict[str, Any]]:
    """Every JSON-LD object of the page (lists and @graph flattened); broken JSON is ignored."""
    for script in soup.find_all("script", attrs={"type": "application/ld+json"}):
        try:
            data = json.loads(script.string or script.get_text() or "")
        except (json.JSONDecodeError, TypeError):
            continue
        stack = [data]
        while stack:
            item = stack.pop()
            if isinstance(item, list):
                stack.extend(reversed(item))
            elif isinstance(item, dict):
                yield item
                if isinstance(item.get("@graph"), list):
                    stack.extend(reversed(item["@graph"]))


def json_ld_article(soup: BeautifulSoup) -> dict[str, Any] | None:
    """The page's JSON-LD NewsArticle (or another article type), if any."""
    for obj in json_ld_objects(soup):
        types = obj.get("@type")
        types = types if isinstance(types, list) else [types]
        if any(t in ARTICLE_TYPES for t in types):
            return obj
    return None


def page_url(soup: BeautifulSoup) -> str | None:
    """The page's own absolute URL from og:url or the canonical link."""
    for value in (select_value(soup, ["meta[property='og:url']"]),
                  (soup.select_one("link[rel=canonical]") or {}).get("href")):
        if value and value.strip().startswith(("http://", "https://")):
            return value.strip()
    return None


def normalize_date(value: str | None) -> str | None:
    """An ISO 8601 date or datetime string from ISO or Vietnamese dd/mm/yyyy [hh:mm] text."""
    if not value:
        return None
    value = value.strip()
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
        return parsed.isoformat() if ("T" in value or " " in value.strip()) else parsed.date().isoformat()
    except ValueError:
        pass
    for pattern in (_HMDMY, _DMY):
        match = pattern.search(value)
        if match:
            return _iso_from_groups(match.groupdict())
    # Other written forms ("ngày 1 tháng 10 năm 2020", "Oct 1, 2020", an epoch), dated in Vietnam; only a
    # whole day counts here, so that a bare year in a date line does not win over JSON-LD or the URL.
    day = iso_date(value)
    return day if day is not None and len(day) == 10 else None


def _iso_from_groups(groups: dict[str, str | None]) -> str | None:
    """ISO string from regex groups y, m, d and optional H, M, S; None if not a real date."""
    try:
        if groups.get("H") is None:
            return datetime(int(groups["y"]), int(groups["m"]), int(groups["d"])).date().isoformat()
        return datetime(int(groups["y"]), int(groups["m"]), int(groups["d"]), int(groups["H"]),
                        int(groups["M"] or 0), int(groups.get("S") or 0)).isoformat()
    except (ValueError, TypeError):
        return None


def date_from_url(url: str | None, rules: CleaningRules) -> str | None:
    """The publishing timestamp written in an article URL (Dân trí style), if any."""
    if not url:
        return None
    path = url.split("?", 1)[0].split("#", 1)[0]
    for pattern in rules.url_dates:
        match = pattern.search(path)
        if match:
            return _iso_from_groups(match.groupdict())
    return None


def published_date(soup: BeautifulSoup, site_selectors: tuple[str, ...], url: str | None,
                   rules: CleaningRules) -> str | None:
    """The publishing date: site markup, meta tags, JSON-LD, then the URL timestamp."""
    for selectors in (site_selectors, rules.published):
        for selector in selectors:
            for el in soup.select(selector):
                found = normalize_date(el.get("content") or el.get("datetime") or el.get_text(" "))
                if found:
                    return found
    ld = json_ld_article(soup)
    if ld:
        found = normalize_date(str(ld.get("datePublished") or ""))
        if found:
            return found
    return date_from_url(url, rules)


def byline_name(text: str) -> str | None:
    """A person's name from a byline line ("Theo Thanh Xuân" → "Thanh Xuân")."""
    name = _BYLINE_PREFIX.sub("", clean_line(text)).strip(" -–—:.,")
    if not name or len(name) > 80 or any(ch.isdigit() for ch in name):
        return None
    return name


def plausible_author(value: str | None, rules: CleaningRules) -> str | None:
    """`value` if it names a person: not a URL, not a publisher, not too long."""
    if not value:
        return None
    value = clean_line(value)
    if not value or value.startswith(("http://", "https://", "/")) or "@" in value:
        return None
    if rules.is_publisher(value) or len(value) > 80:
        return None
    return value


def find_author(soup: BeautifulSoup, selectors: Iterable[str], rules: CleaningRules) -> str | None:
    """The first plausible author name among all hits of the selectors, tried in order."""
    for selector in selectors:
        for el in soup.select(selector):
            found = plausible_author(element_value(el), rules)
            if found:
                return found
    return None


def meta_author(soup: BeautifulSoup, rules: CleaningRules) -> str | None:
    """The author from JSON-LD (a Person), byline markup or author meta tags, publishers excluded."""
    ld = json_ld_article(soup)
    if ld:
        authors = ld.get("author")
        authors = authors if isinstance(authors, list) else [authors]
        names = [a.get("name") for a in authors
                 if isinstance(a, dict) and a.get("@type", "Person") == "Person" and a.get("name")]
        names = [n for n in (plausible_author(n, rules) for n in names) if n]
        if names:
            return ", ".join(names)
    return find_author(soup, rules.author + ("meta[property='article:author']", "meta[name=author]"), rules)


def meta_title(soup: BeautifulSoup) -> str | None:
    """The headline: an <h1> that the page title contains, else og:title, JSON-LD, <h1>, <title>."""
    ld = json_ld_article(soup) or {}
    page_title = (select_value(soup, ["meta[property='og:title']"]) or clean_line(str(ld.get("headline") or ""))
                  or select_value(soup, ["title"]))
    if page_title:
        for h1 in soup.find_all("h1"):
            text = clean_line(h1.get_text())
            if len(text) >= 10 and text.casefold() in page_title.casefold():
                return text
        return page_title
    return select_value(soup, ["h1"])


def meta_description(soup: BeautifulSoup) -> str | None:
    """The summary from og:description, JSON-LD or the description meta tag."""
    ld = json_ld_article(soup) or {}
    return (select_value(soup, ["meta[property='og:description']"])
            or clean_line(str(ld.get("description") or ""))
            or select_value(soup, ["meta[name=description]"]))
