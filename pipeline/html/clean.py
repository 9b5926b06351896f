"""clean_html: the article (title, lead, body, date, author) of a news page."""
from __future__ import annotations

import re

from bs4 import BeautifulSoup, Tag

from .article import Article
from .decode import decode_html
from .dom import (clean_line, drop_elements, element_text, element_value, innermost_blocks, is_caption,
                  is_heading, parse, select_first, select_value)
from .generic import density_paragraphs, looks_like_listing, trafilatura_paragraphs
from .metadata import (byline_name, date_from_url, json_ld_article, meta_author, meta_description,
                       find_author, meta_title, normalize_date, page_url, plausible_author, published_date)
from .site_rules import CleaningRules, Layout, Site, cleaning_rules, host_of

_NAME_SEPARATORS = re.compile(r"\s*[-–,&]\s*|\s+")
_BYLINE_MAX_CHARS = 80
_TRAILING_ELLIPSIS = re.compile(r"(\.\.\.|…)$")


def clean_html(html: str | bytes, url: str | None = None, *, use_site_rules: bool = True,
               body_extractor: str | None = None) -> Article | None:
    """The article of a news page, or None for pages that are not articles (listings, empty pages).

    `use_site_rules=False` and `body_extractor` ("trafilatura" / "density") exist for the benchmark.
    """
    text = html if isinstance(html, str) else decode_html(html)
    rules = cleaning_rules()
    soup = parse(text)
    own_url = page_url(soup)
    url = url or own_url
    if use_site_rules:
        site = rules.site_for(host_of(url)) or rules.site_for(host_of(own_url))
        if site is not None:
            article = _clean_with_site(soup, site, url, rules)
            if article is not None:
                return article
    extractor = body_extractor or rules.generic.get("body_extractor", "density")
    return _clean_generic(text, soup, url, rules, extractor)


def _clean_with_site(soup: BeautifulSoup, site: Site, url: str | None,
                     rules: CleaningRules) -> Article | None:
    """Apply the first layout of `site` whose body selector matches; None if none does."""
    for layout in site.layouts:
        body = select_first(soup, layout.body)
        if body is None:
            continue
        title = select_value(soup, layout.title) or meta_title(soup)
        lead = _take_lead(soup, body, layout.lead)
        drop_elements(body, rules.drop + layout.drop)
        captions: set[str] = set()
        headings: set[str] = set()
        lines, bylines = _body_lines(body, layout, rules, captions, headings)
        if layout.byline_in_text:
            lines.extend(bylines)
        paragraphs = finish_paragraphs(lines, title, lead, rules, headings)
        author = (find_author(soup, layout.author, rules)
                  or next((n for n in map(byline_name, bylines) if plausible_author(n, rules)), None)
                  or meta_author(soup, rules))
        return Article(title=title, lead=lead, paragraphs=paragraphs,
                       published=published_date(soup, layout.published, url, rules),
                       author=author, url=url, site=host_of(url) or site.hosts[0], method=f"site:{site.name}",
                       is_article=bool(paragraphs), captions=_caption_indexes(paragraphs, captions))
    return None


def _take_lead(soup: BeautifulSoup, body: Tag, selectors: tuple[str, ...]) -> str | None:
    """The lead's text; a lead element inside the body is removed so that it is not a paragraph too."""
    for selector in selectors:
        for el in soup.select(selector):
            text = element_value(el)
            if text:
                if any(parent is body for parent in el.parents):
                    el.decompose()
                return text
    return None


def _body_lines(body: Tag, layout: Layout, rules: CleaningRules, captions: set[str],
                headings: set[str]) -> tuple[list[str], list[str]]:
    """Text of the body blocks, with the trailing byline blocks split off.

    Texts of photo captions are added to `captions`, texts of subheadings to `headings`.
    """
    byline_ids = {id(el) for selector in layout.byline for el in body.select(selector)}
    blocks = [(el, element_text(el)) for el in innermost_blocks(body, rules.items)]
    blocks = [(el, text) for el, text in blocks if text]
    captions.update(text for el, text in blocks if is_caption(el))
    headings.update(text for el, text in blocks if is_heading(el))
    bylines: list[str] = []
    while blocks and _is_byline_block(blocks[-1][0], byline_ids) and len(blocks[-1][1]) <= _BYLINE_MAX_CHARS:
        bylines.insert(0, blocks.pop()[1])
    return [text for _, text in blocks], bylines


def _caption_indexes(paragraphs: list[str], captions: set[str]) -> list[int]:
    """Indexes of the paragraphs that are photo captions."""
    return [i for i, text in enumerate(paragraphs) if text in captions]


def _is_byline_block(el: Tag, byline_ids: set[int]) -> bool:
    """True if the block or one of its ancestors was selected as a byline."""
    return id(el) in byline_ids or any(id(parent) in byline_ids for parent in el.parents)


def finish_paragraphs(lines: list[str], title: str | None, lead: str | None, rules: CleaningRules,
                      headings: set[str] | None = None) -> list[str]:
    """Drop furniture, repeats of the lead and headings repeating the title; stop at a glued-on article."""
    lead_key = clean_line(lead).casefold() if lead else None
    title_key = clean_line(title).casefold() if title else None
    headings = headings or set()
    kept = []
    for line in lines:
        if any(p.fullmatch(line) for p in rules.stop_at):
            break
        key = line.casefold()
        if key == lead_key or (key == title_key and line in headings):
            continue
        if any(p.fullmatch(line) for p in rules.furniture):
            continue
        kept.append(line)
    return kept


def _clean_generic(html: str, soup: BeautifulSoup, url: str | None, rules: CleaningRules,
                   extractor: str) -> Article | None:
    """Meta tags, JSON-LD and a body extractor for a site without rules; None if not an article."""
    has_markup = _has_article_markup(soup, url, rules)
    if not has_markup and looks_like_listing(soup, int(rules.generic.get("max_teasers", 3))):
        return None
    title = _strip_site_suffix(meta_title(soup), soup)
    min_chars = int(rules.generic.get("min_chars", 400))
    captions: set[str] = set()
    headings: set[str] = set()
    used, lines = _body_lines_generic(html, url, rules, extractor, min_chars, captions, headings)
    lines, byline_author = _split_generic_byline(lines, rules)
    lead, lines = _merge_lead(meta_description(soup), lines)
    paragraphs = finish_paragraphs(lines, title, lead, rules, headings)
    if sum(len(p) for p in paragraphs) < min_chars or \
            len(paragraphs) < int(rules.generic.get("min_paragraphs", 2)):
        return None
    long_chars = int(rules.generic.get("long_paragraph_chars", 150))
    if not has_markup and sum(len(p) >= long_chars for p in paragraphs) < int(
            rules.generic.get("min_long_paragraphs", 2)):
        return None
    published = published_date(soup, (), url, rules) or _htmldate(html, url)
    return Article(title=title, lead=lead, paragraphs=paragraphs, published=published,
                   author=meta_author(soup, rules) or byline_author, url=url, site=host_of(url),
                   method=used, captions=_caption_indexes(paragraphs, captions))


def _body_lines_generic(html: str, url: str | None, rules: CleaningRules, extractor: str, min_chars: int,
                        captions: set[str], headings: set[str]) -> tuple[str, list[str]]:
    """(extractor used, body lines): the configured extractor, or the other one when it finds too little."""
    extractors = {"density": lambda: density_paragraphs(parse(html), rules, captions, headings),
                  "trafilatura": lambda: trafilatura_paragraphs(html, url)}
    order = [extractor] + [name for name in extractors if name != extractor]
    found: list[tuple[str, list[str]]] = []
    for name in order:
        lines = extractors[name]()
        if sum(len(line) for line in lines) >= min_chars:
            return name, lines
        found.append((name, lines))
    return max(found, key=lambda item: sum(len(line) for line in item[1]))


def _has_article_markup(soup: BeautifulSoup, url: str | None, rules: CleaningRules) -> bool:
    """Page-level evidence of a single article: JSON-LD article, publish-time meta, URL timestamp."""
    if json_ld_article(soup) is not None:
        return True
    if soup.select_one("meta[property='article:published_time'], meta[itemprop=datePublished], "
                       "[itemprop=articleBody]"):
        return True
    return date_from_url(url, rules) is not None


def _strip_site_suffix(title: str | None, soup: BeautifulSoup) -> str | None:
    """Remove a trailing " - Site name" / " | Site name" from a title."""
    if not title:
        return title
    site_name = select_value(soup, ["meta[property='og:site_name']"])
    if site_name:
        for sep in (" - ", " | ", " – "):
            if title.endswith(sep + site_name):
                return title[: -len(sep + site_name)].strip()
    return title


def _split_generic_byline(lines: list[str], rules: CleaningRules) -> tuple[list[str], str | None]:
    """Take a trailing name-only line (the usual Vietnamese byline) off the body as the author."""
    if lines and len(lines[-1]) <= 40 and _looks_like_names(lines[-1]):
        name = plausible_author(byline_name(lines[-1]), rules)
        if name:
            return lines[:-1], name
    return lines, None


def _looks_like_names(line: str) -> bool:
    """True for a line of one to six capitalised words without digits or sentence punctuation."""
    words = [w for w in _NAME_SEPARATORS.split(line.strip()) if w]
    return (0 < len(words) <= 6 and all(w[0].isupper() and w.isalpha() for w in words)
            and not line.rstrip().endswith((".", ":", "?", "!")))


def _merge_lead(lead: str | None, lines: list[str]) -> tuple[str | None, list[str]]:
    """Avoid the lead twice: keep it once, from the body when the description is truncated."""
    if not lead:
        return None, lines
    probe = _TRAILING_ELLIPSIS.sub("", lead).strip()[:60].casefold()
    for i, line in enumerate(lines[:3]):
        if line.casefold() == lead.casefold():
            return lead, lines[:i] + lines[i + 1:]
        if probe and line.casefold().startswith(probe):
            return line, lines[:i] + lines[i + 1:]
    return lead, lines


def _htmldate(html: str, url: str | None) -> str | None:
    """htmldate's guess of the original publishing date, last resort."""
    try:
        from htmldate import find_date
    except ImportError:
        return None
    try:
        return normalize_date(find_date(html, url=url, original_date=True, extensive_search=False))
    except Exception:  # htmldate raises on odd markup; a missing date is not an error
        return None
