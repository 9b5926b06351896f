"""Find URLs to crawl in fetched bodies: links in HTML pages, <loc> in sitemaps, item links in RSS/Atom feeds."""
from __future__ import annotations

import gzip
import io
from urllib.parse import urljoin

import lxml.etree as etree
import lxml.html

XML_PARSER = dict(resolve_entities=False, no_network=True, recover=True, huge_tree=False)
FOLLOW_REL_SKIP = {"stylesheet", "icon", "preload", "prefetch", "dns-prefetch", "preconnect", "manifest",
                   "apple-touch-icon", "shortcut"}


def html_links(text: str, base_url: str) -> list[str]:
    """Absolute URLs of the links of an HTML page (<a>, <area>, <link rel=next/prev/alternate>), in page order.

    Honors <base href> and <meta name="robots" content="nofollow"> (no links then).
    """
    try:
        doc = lxml.html.document_fromstring(text)
    except (etree.ParserError, ValueError):
        return []
    for meta in doc.xpath('//meta[@name]'):
        if meta.get("name", "").lower() in ("robots", "chiso") and "nofollow" in meta.get("content", "").lower():
            return []
    base = next(iter(doc.xpath("//base/@href")), None)
    base_url = urljoin(base_url, base) if base else base_url
    out = []
    for el in doc.xpath("//a[@href] | //area[@href] | //link[@href]"):
        if el.tag == "link":
            rels = set((el.get("rel") or "").lower().split())
            if not rels or rels & FOLLOW_REL_SKIP or not rels & {"next", "prev", "alternate"}:
                continue
        if "nofollow" in (el.get("rel") or "").lower():
            continue
        href = el.get("href", "").strip()
        if href and not href.startswith(("#", "javascript:", "mailto:", "tel:", "data:")):
            out.append(urljoin(base_url, href))
    return out


def maybe_gunzip(body: bytes, limit: int) -> bytes:
    """Gunzip a body that is a gzip file (a .xml.gz sitemap served as is), reading at most `limit` bytes."""
    if not body.startswith(b"\x1f\x8b"):
        return body
    with gzip.GzipFile(fileobj=io.BytesIO(body)) as fh:
        data = fh.read(limit + 1)
    if len(data) > limit:
        raise ValueError(f"gzipped sitemap inflates past {limit} bytes")
    return data


def xml_links(body: bytes, base_url: str) -> tuple[str, list[str]] | None:
    """(kind, urls) for a sitemap index ("sitemapindex"), sitemap ("urlset"), RSS or Atom feed ("feed"),
    or None when the body is none of these."""
    head = body[:1024].lstrip()
    if not head.startswith(b"<"):
        return None
    try:
        root = etree.fromstring(body, etree.XMLParser(**XML_PARSER))
    except etree.XMLSyntaxError:
        return None
    if root is None:
        return None
    tag = etree.QName(root).localname.lower()
    if tag in ("sitemapindex", "urlset"):
        locs = [el.text.strip() for el in root.iter() if _local(el) == "loc" and el.text]
        return tag, [urljoin(base_url, u) for u in locs]
    if tag in ("rss", "rdf"):
        urls = [el.text.strip() for el in root.iter() if _local(el) == "link" and el.text
                and _local(el.getparent()) == "item"]
        return "feed", [urljoin(base_url, u) for u in urls]
    if tag == "feed":
        urls = [el.get("href") for el in root.iter() if _local(el) == "link" and el.get("href")
                and _local(el.getparent()) == "entry" and el.get("rel", "alternate") == "alternate"]
        return "feed", [urljoin(base_url, u) for u in urls]
    return None


def _local(el) -> str:
    if el is None or not isinstance(el.tag, str):
        return ""
    return etree.QName(el).localname.lower()
