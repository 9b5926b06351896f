"""A deterministic fixture news site built from real Vietnamese article texts.

`build_site(base_url)` returns a `Site`: every page the site serves (path -> status, headers, body bytes) and the
articles with the exact text an HTML cleaner should recover from each article page (title, lead, paragraphs).

Layout (all links are site-relative, feeds and sitemaps use absolute URLs under `base_url`):
  /                         home page: nav menu, latest articles, a link into /private/ (disallowed by robots.txt)
  /robots.txt               disallows /private/ and /tim-kiem, points to the sitemap
  /sitemap.xml              sitemap index -> /sitemaps/news-1.xml.gz (gzipped) and /sitemaps/news-2.xml
  /rss/tin-moi-nhat.rss     RSS 2.0 feed of every article
  /CATEGORY.htm             category listing, page 1 (3 articles) -> /CATEGORY/trang-2.htm (pagination)
  /CATEGORY/trang-1.htm     same bytes as /CATEGORY.htm (a content-hash duplicate under another URL)
  article pages             two templates, alternating: "dantri-like" (/CATEGORY/SLUG-TIMESTAMP.htm) and
                            "vnexpress-like" (/SLUG-7DIGITS.html); each with header nav, breadcrumb, h1, lead,
                            paragraphs, a photo with caption, related articles, share widget, view counter,
                            comments and footer, which are all boilerplate except title, lead and paragraphs.
  /tac-gia/phong-vien.htm   author page (linked from the dantri-like bylines): a listing, not an article
  /private/noi-bo.htm       exists, but robots.txt disallows it: a polite crawler never requests it.

`FixtureArticle.text` is title, lead and body paragraphs only: photo captions, bylines ("Minh Anh" closing the
dantri-like body, "Ngọc Thành" as the last <p class="Normal"> of the vnexpress-like one), view counters, share
widgets, related articles and comments are page furniture a cleaner should leave out.
`encode_cp1258(text)` gives windows-1258 bytes (legacy Vietnamese pages) for charset tests.

Article texts come from /work/shared/corpus-unc/dantri-unc.jsonl (4 articles from each of 3 categories); when that
file is absent, from the project's embedded seed articles in corpus/*.txt.
"""
from __future__ import annotations

import gzip
import hashlib
import html
import json
import re
from dataclasses import dataclass, field
from email.utils import format_datetime
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
UNC = ROOT.parent / "shared" / "corpus-unc" / "dantri-unc.jsonl"
SEEDS = ROOT / "corpus"

CATEGORIES = (("kinh-doanh", "Kinh doanh"), ("xa-hoi", "Xã hội"), ("suc-khoe", "Sức khỏe"))
PER_CATEGORY = 4
PAGE_SIZE = 3
DEFAULT_BASE = "http://fixture.test"
# Fixed so that the site (and every ETag) is byte-identical across runs.
LAST_MODIFIED = format_datetime(datetime(2024, 5, 6, 7, 8, 9, tzinfo=timezone.utc), usegmt=True)


@dataclass(frozen=True)
class FixtureArticle:
    """One article page and the text a cleaner should extract from it."""

    path: str
    title: str
    lead: str
    paragraphs: tuple[str, ...]
    text: str  # title, lead and paragraphs joined by "\n"
    template: str  # "dantri" or "vnexpress"
    category: str
    published: str  # ISO date-time


@dataclass
class Site:
    """Every page of the fixture site and its articles."""

    base_url: str
    pages: dict[str, tuple[int, dict[str, str], bytes]] = field(default_factory=dict)
    articles: list[FixtureArticle] = field(default_factory=list)
    disallowed: tuple[str, ...] = ("/private/noi-bo.htm",)

    def url(self, path: str) -> str:
        """Absolute URL of a site path."""
        return self.base_url + path

    def crawlable_paths(self) -> set[str]:
        """Every path a polite crawler starting at "/" should fetch (all HTML pages reachable by links, plus robots)."""
        return {p for p in self.pages if p not in self.disallowed and not p.startswith(("/sitemap", "/rss"))}


# --------------------------------------------------------------------------------------------------- source texts
def _source_articles() -> list[dict]:
    """Up to 12 {category, title, lead, paragraphs, published, slug} dicts, deterministic."""
    if UNC.exists():
        return _from_unc(UNC)
    return _from_seeds(sorted(SEEDS.glob("*.txt")))


def _from_unc(path: Path) -> list[dict]:
    picked: dict[str, list[dict]] = {c: [] for c, _ in CATEGORIES}
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            row = json.loads(line)
            cat = row["url"].split("/")[3]
            lines = [ln.strip() for ln in row["text"].split("\n") if ln.strip()]
            if cat not in picked or len(picked[cat]) >= PER_CATEGORY or len(lines) < 5:
                continue
            slug = row["url"].rstrip("/").rsplit("/", 1)[-1].rsplit(".", 1)[0]
            slug = re.sub(r"-\d{10,}$", "", slug)[:60].rstrip("-")
            d = row.get("date") or "20200101"
            picked[cat].append({"category": cat, "title": lines[0], "lead": lines[1], "paragraphs": lines[2:],
                                "published": f"{d[:4]}-{d[4:6]}-{d[6:8]}T08:{len(lines):02d}:00+07:00", "slug": slug})
            if all(len(v) >= PER_CATEGORY for v in picked.values()):
                break
    return [a for c, _ in CATEGORIES for a in picked[c]]


def _from_seeds(paths: list[Path]) -> list[dict]:
    out = []
    for i, p in enumerate(paths):
        lines = [ln.strip() for ln in p.read_text(encoding="utf-8").split("\n") if ln.strip()]
        if len(lines) < 3:
            continue
        cat = CATEGORIES[i % len(CATEGORIES)][0]
        out.append({"category": cat, "title": lines[0], "lead": lines[1], "paragraphs": lines[2:],
                    "published": f"2023-10-0{1 + i % 9}T08:25:00+07:00", "slug": f"bai-viet-{i}"})
    return out


# ------------------------------------------------------------------------------------------------------- markup
E = html.escape
NAV = "".join(f'<li class="nav-item"><a href="/{c}.htm" title="{E(n)}">{E(n)}</a></li>' for c, n in CATEGORIES)
CAT_NAME = dict(CATEGORIES)


def _head(title: str, description: str, canonical: str, extra: str = "") -> str:
    return (f'<!DOCTYPE html>\n<html lang="vi">\n<head>\n<meta charset="utf-8">\n'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f"<title>{E(title)}</title>\n<meta name=\"description\" content=\"{E(description)}\">\n"
            f'<meta property="og:title" content="{E(title)}">\n<link rel="canonical" href="{E(canonical)}">\n'
            f"{extra}<style>body{{font-family:Arial}} .hidden{{display:none}}</style>\n"
            f"<script>window.dataLayer=window.dataLayer||[];dataLayer.push({{'page':'{E(canonical)}','views':1234}});"
            f"</script>\n</head>\n")


def _dantri_article(a: dict, url: str, related: list[tuple[str, str]], n: int) -> str:
    paras = a["paragraphs"]
    mid = max(1, len(paras) // 2)
    body = "".join(f"<p>{E(p)}</p>\n" for p in paras[:mid])
    body += (f'<figure class="image align-center"><img data-src="/images/{n}.jpg" src="/images/{n}.jpg" '
             f'alt="{E(a["title"])}" width="680" height="453">'
             f"<figcaption><p>Ảnh minh họa: {n + 3} người tại hiện trường (Ảnh: Dân trí).</p></figcaption></figure>\n")
    body += "".join(f"<p>{E(p)}</p>\n" for p in paras[mid:])
    rel = "".join(f'<article class="article-item"><h3 class="article-title"><a href="{p}">{E(t)}</a></h3></article>'
                  for p, t in related)
    cat = a["category"]
    return (_head(a["title"] + " | Báo Dân trí", a["lead"], url,
                  f'<meta property="article:published_time" content="{a["published"]}">\n')
            + '<body>\n<header id="header" class="site-header"><div class="logo"><a href="/">Dân trí</a></div>\n'
            f'<nav class="menu-wrap"><ul class="menu-main"><li><a href="/">Trang chủ</a></li>{NAV}</ul></nav>'
            '<div class="header-right"><a href="/tim-kiem.htm">Tìm kiếm</a><span class="weather">Hà Nội 28°C</span>'
            "</div></header>\n"
            '<main class="body"><div class="singular-wrap"><article class="singular-container">\n'
            f'<ul class="dt-breadcrumb breadcrumbs"><li><a href="/">Trang chủ</a></li>'
            f'<li><a href="/{cat}.htm">{E(CAT_NAME[cat])}</a></li></ul>\n'
            f'<h1 class="title-page detail">{E(a["title"])}</h1>\n'
            f'<div class="author-wrap"><div class="author-name"><a href="/tac-gia/phong-vien.htm">Phóng viên</a>'
            f'</div><time class="author-time" datetime="{a["published"]}">{a["published"][:10]}</time></div>\n'
            f'<h2 class="singular-sapo">{E(a["lead"])}</h2>\n'
            f'<div class="singular-content">\n{body}</div>\n'
            f'<div class="author-name text-right"><b>Minh Anh</b></div>\n'
            f'<div class="singular-share"><a class="share-fb" href="#">Chia sẻ</a> <span class="like-count">'
            f"{(n * 37) % 500} thích</span></div>\n"
            f'<div class="singular-view"><span class="view-count">{10000 + n * 1234} lượt xem</span></div>\n'
            f'</article>\n<aside class="singular-sidebar"><div class="article-related"><h3>Tin liên quan</h3>'
            f"{rel}</div></aside>\n"
            f'<section class="dt-comment" id="comment"><h3>Bình luận ({n + 2})</h3>'
            f'<div class="comment-item"><b>Độc giả Hùng</b><p>Giá tăng {n + 5}% mà lương chẳng tăng đồng nào.</p></div>'
            f'<div class="comment-item"><b>Lan Nguyễn</b><p>Bài viết hay, cảm ơn tác giả.</p></div></section>\n'
            "</div></main>\n" + _footer("Dân trí"))


def _vnexpress_article(a: dict, url: str, related: list[tuple[str, str]], n: int) -> str:
    paras = a["paragraphs"]
    body = "".join(f'<p class="Normal">{E(p)}</p>\n' for p in paras[:1])
    body += (f'<figure data-size="true" itemprop="associatedMedia image" class="tplCaption action_thumb_added">'
             f'<div class="fig-picture"><picture><img itemprop="contentUrl" alt="{E(a["title"][:40])}" '
             f'src="/images/{n}.jpg"></picture></div><figcaption itemprop="description">'
             f'<p class="Image">Khung cảnh ngày {n % 28 + 1}/10. Ảnh: <em>Ngọc Thành</em></p></figcaption></figure>\n')
    body += "".join(f'<p class="Normal">{E(p)}</p>\n' for p in paras[1:])
    rel = "".join(f'<li><a href="{p}" data-medium="Item-{i}">{E(t)}</a></li>' for i, (p, t) in enumerate(related))
    cat = a["category"]
    return (_head(a["title"] + " - VnExpress", a["lead"], url,
                  f'<meta itemprop="datePublished" content="{a["published"]}">\n')
            + '<body class="page-detail">\n<header class="section header"><div class="container">'
            '<a class="logo" href="/" title="VnExpress">VnExpress</a>'
            f'<nav class="main-nav"><ul class="parent"><li class="home"><a href="/">Trang chủ</a></li>{NAV}'
            '</ul></nav></div></header>\n'
            '<section class="section page-detail top-detail"><div class="container"><div class="sidebar-1">\n'
            f'<div class="header-content width_common"><ul class="breadcrumb"><li><a href="/{cat}.htm" '
            f'title="{E(CAT_NAME[cat])}">{E(CAT_NAME[cat])}</a></li></ul>'
            f'<span class="date">{a["published"][:10]}, 08:25 (GMT+7)</span></div>\n'
            f'<h1 class="title-detail">{E(a["title"])}</h1>\n'
            f'<p class="description">{E(a["lead"])}</p>\n'
            f'<article class="fck_detail ">\n{body}'
            f'<p class="Normal" style="text-align:right;"><strong>Ngọc Thành</strong></p>\n</article>\n'
            f'<div class="footer-content"><div class="social_share"><a class="btn_facebook" href="#">Chia sẻ</a>'
            f'<a class="btn_twitter" href="#">Tweet</a></div><span class="view-count" data-v="{n * 911}">'
            f"{n * 911} lượt xem</span></div>\n"
            f'<div class="box-tinlienquan width_common"><h3 class="title-box">Tin liên quan</h3><ul>{rel}</ul></div>\n'
            f'<div class="box_comment_vne width_common" id="box_comment_vne"><h3>Ý kiến ({n + 1})</h3>'
            f'<div class="comment_item"><p class="full_content"><b>minh.tran</b> Năm nay chắc tăng {n + 2} lần.</p>'
            f'<span class="reactions-total">{n * 3} thích</span></div></div>\n'
            "</div></div></section>\n" + _footer("VnExpress"))


def _footer(name: str) -> str:
    return (f'<footer id="footer" class="footer"><nav class="footer-menu"><ul>{NAV}</ul></nav>'
            f"<p>© Copyright 1997-2024 {E(name)}. Giấy phép số 548/GP-BTTTT ngày 24/08/2021.</p>"
            '<p>Tổng biên tập: Nguyễn Văn A. Hotline: 0973 567 567.</p></footer>\n</body>\n</html>\n')


def _listing(title: str, items: list[FixtureArticle], canonical: str, prev_next: str, extra: str = "") -> str:
    lis = "".join(f'<article class="article-item"><h3 class="article-title"><a href="{a.path}">{E(a.title)}</a>'
                  f'</h3><div class="article-excerpt">{E(a.lead[:120])}</div></article>\n' for a in items)
    return (_head(title, title, canonical) + '<body>\n<header class="site-header"><nav class="menu-wrap">'
            f'<ul><li><a href="/">Trang chủ</a></li>{NAV}</ul></nav></header>\n<main><h1 class="page-title">'
            f'{E(title)}</h1>\n<div class="article-list">\n{lis}</div>\n{extra}<div class="pagination">{prev_next}'
            "</div></main>\n" + _footer("Fixture"))


# --------------------------------------------------------------------------------------------------------- site
def _html_page(body: str, last_modified: bool = True) -> tuple[int, dict[str, str], bytes]:
    data = body.encode("utf-8")
    headers = {"Content-Type": "text/html; charset=utf-8"}
    if last_modified:
        headers["ETag"] = '"' + hashlib.sha1(data).hexdigest()[:16] + '"'
        headers["Last-Modified"] = LAST_MODIFIED
    return 200, headers, data


def build_site(base_url: str = DEFAULT_BASE) -> Site:
    """Build the whole fixture site with absolute URLs (sitemaps, feed, canonical links) under `base_url`."""
    base_url = base_url.rstrip("/")
    site = Site(base_url=base_url)
    sources = _source_articles()
    for n, a in enumerate(sources):
        template = "dantri" if n % 2 == 0 else "vnexpress"
        if template == "dantri":
            stamp = a["published"][:10].replace("-", "") + f"{n:09d}"
            path = f"/{a['category']}/{a['slug']}-{stamp}.htm"
        else:
            path = f"/{a['slug']}-{4900000 + n * 7:07d}.html"
        paras = tuple(a["paragraphs"])
        text = "\n".join((a["title"], a["lead"], *paras))
        site.articles.append(FixtureArticle(path, a["title"], a["lead"], paras, text, template, a["category"],
                                            a["published"]))
    arts = site.articles
    for n, (art, src) in enumerate(zip(arts, sources)):
        related = [(arts[(n + k) % len(arts)].path, arts[(n + k) % len(arts)].title) for k in (1, 2, 5)]
        render = _dantri_article if art.template == "dantri" else _vnexpress_article
        site.pages[art.path] = _html_page(render(src, site.url(art.path), related, n))

    for cat, name in CATEGORIES:
        items = [a for a in arts if a.category == cat]
        chunks = [items[i:i + PAGE_SIZE] for i in range(0, len(items), PAGE_SIZE)] or [[]]
        for i, chunk in enumerate(chunks, start=1):
            path = f"/{cat}.htm" if i == 1 else f"/{cat}/trang-{i}.htm"
            links = []
            if i > 1:
                links.append(f'<a class="prev" href="{"/" + cat + ".htm" if i == 2 else f"/{cat}/trang-{i - 1}.htm"}">'
                             "Trang trước</a>")
            if i < len(chunks):
                links.append(f'<a class="next" href="/{cat}/trang-{i + 1}.htm">Trang sau</a>')
            page = _html_page(_listing(f"{name} - Tin tức {name.lower()} mới nhất", chunk,
                                       site.url(f"/{cat}.htm" if i == 1 else path), " ".join(links)))
            site.pages[path] = page
            if i == 1 and cat == CATEGORIES[0][0]:
                site.pages[f"/{cat}/trang-1.htm"] = page  # same bytes under another URL: content-hash dedup

    first = CATEGORIES[0][0]
    home_extra = (f'<div class="more"><a href="/{first}.htm?utm_source=home&amp;utm_medium=box#top">Xem thêm</a> '
                  f'<a href="/{first}/trang-1.htm">Trang 1</a> '
                  '<a href="/private/noi-bo.htm">Nội bộ</a> <a href="/tim-kiem?q=gia+vang">Tìm kiếm</a> '
                  '<a href="mailto:toasoan@example.vn">Liên hệ</a> <a href="https://external.example.com/x">Đối tác</a>'
                  "</div>\n")
    site.pages["/"] = _html_page(_listing("Tin tức mới nhất", arts[:6], site.url("/"), "", home_extra), False)
    site.pages["/tac-gia/phong-vien.htm"] = _html_page(_listing(
        "Phóng viên - Tác giả", [a for a in arts if a.template == "dantri"], site.url("/tac-gia/phong-vien.htm"), ""))
    site.pages["/private/noi-bo.htm"] = _html_page(_listing("Nội bộ", [], site.url("/private/noi-bo.htm"), ""))
    site.pages["/robots.txt"] = (200, {"Content-Type": "text/plain; charset=utf-8"}, (
        "# fixture robots.txt\nUser-agent: *\nDisallow: /private/\nDisallow: /tim-kiem\n\n"
        f"Sitemap: {base_url}/sitemap.xml\n").encode())

    half = len(arts) // 2
    site.pages["/sitemap.xml"] = (200, {"Content-Type": "application/xml"}, _sitemap_index(
        [site.url("/sitemaps/news-1.xml.gz"), site.url("/sitemaps/news-2.xml")]))
    site.pages["/sitemaps/news-1.xml.gz"] = (200, {"Content-Type": "application/x-gzip"},
                                             gzip.compress(_urlset(site, arts[:half]), mtime=0))
    site.pages["/sitemaps/news-2.xml"] = (200, {"Content-Type": "application/xml; charset=utf-8"},
                                          _urlset(site, arts[half:]))
    site.pages["/rss/tin-moi-nhat.rss"] = (200, {"Content-Type": "application/rss+xml; charset=utf-8"}, _rss(site))
    return site


def _sitemap_index(urls: list[str]) -> bytes:
    items = "".join(f"<sitemap><loc>{E(u)}</loc><lastmod>2024-05-06</lastmod></sitemap>\n" for u in urls)
    return ('<?xml version="1.0" encoding="UTF-8"?>\n<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
            f"\n{items}</sitemapindex>\n").encode()


def _urlset(site: Site, arts: list[FixtureArticle]) -> bytes:
    items = "".join(f"<url><loc>{E(site.url(a.path))}</loc><lastmod>{a.published}</lastmod></url>\n" for a in arts)
    return ('<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
            f"{items}</urlset>\n").encode()


def _rss(site: Site) -> bytes:
    items = "".join(f"<item><title>{E(a.title)}</title><link>{E(site.url(a.path))}</link>"
                    f"<description>{E(a.lead)}</description><guid>{E(site.url(a.path))}</guid></item>\n"
                    for a in site.articles)
    return ('<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"><channel><title>Tin mới nhất</title>'
            f"<link>{E(site.base_url)}/</link><description>Fixture</description>\n{items}</channel></rss>\n").encode()


def encode_cp1258(text: str) -> bytes:
    """Encode Vietnamese text in windows-1258 the way legacy sites did: precomposed base letter + tone mark."""
    import unicodedata

    out = bytearray()
    for ch in text:
        try:
            out += ch.encode("cp1258")
            continue
        except UnicodeEncodeError:
            pass
        base, *marks = unicodedata.normalize("NFD", ch)
        # Recompose the base with its vowel mark when cp1258 has that letter (â, ê, ô, ơ, ư, ă); the tone mark
        # (which may come first in canonical order, e.g. the dot below of "ậ") stays combining.
        for i, mark in enumerate(marks):
            composed = unicodedata.normalize("NFC", base + mark)
            if len(composed) == 1 and composed.encode("cp1258", "ignore"):
                base, marks = composed, marks[:i] + marks[i + 1:]
                break
        out += (base + "".join(marks)).encode("cp1258")
    return bytes(out)
