"""Compare the HTML cleaner's modes against trafilatura: token F1 per page.

Pages: the real VnExpress / Dân trí pages of ../shared/html-vn (against expected/NAME.txt) and, when
tests/fixture_site.py exists, the fixture site's article pages (against their `.text`, which leaves photo
captions out, so our modes are scored without captions there). Columns:
  site_rules           clean_html as the pipeline runs it (site rules, generic fallback when none match)
  generic_density      no site rules: meta tags / JSON-LD + our text-density body extractor
  generic_trafilatura  no site rules: meta tags / JSON-LD + trafilatura as body extractor
  trafilatura_raw      trafilatura.extract alone (its own title-less text)
Usage:  python bench/html_cleaner_compare.py [HTML_DIR]
"""
from __future__ import annotations

import sys
from pathlib import Path
from typing import Callable, Iterator

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from pipeline.html_clean import clean_html  # noqa: E402
from pipeline.textmetrics import token_f1  # noqa: E402

DEFAULT_DIR = ROOT.parent / "shared" / "html-vn"
MODES = ("site_rules", "generic_density", "generic_trafilatura", "trafilatura_raw")


def article_text(html: bytes, url: str | None, mode: str, captions: bool = True) -> str:
    """The text one mode extracts from a page ("" when it finds no article)."""
    if mode == "trafilatura_raw":
        import trafilatura

        return trafilatura.extract(html.decode("utf-8"), url=url, include_comments=False,
                                   include_tables=False) or ""
    if mode == "site_rules":
        article = clean_html(html, url)
    else:
        article = clean_html(html, url, use_site_rules=False, body_extractor=mode.split("_", 1)[1])
    if article is None or not article.is_article:
        return ""
    return article.text if captions else article.text_without_captions()


def real_pages(html_dir: Path) -> Iterator[tuple[str, bytes, str | None, str]]:
    """(name, html, url, expected text) of the html-vn pages that have an expected text."""
    for expected in sorted((html_dir / "expected").glob("*.txt")):
        page = html_dir / f"{expected.stem}.html"
        if page.exists():
            yield expected.stem, page.read_bytes(), None, expected.read_text(encoding="utf-8")


def fixture_pages() -> Iterator[tuple[str, bytes, str | None, str]]:
    """(name, html, url, expected text) of the fixture site's article pages, if the fixture exists."""
    try:
        from fixture_site import build_site
    except ImportError:
        return
    site = build_site()
    for article in site.articles:
        yield f"fixture{article.path}", site.pages[article.path][2], site.url(article.path), article.text


def score_table(title: str, pages: Iterator[tuple[str, bytes, str | None, str]], captions: bool) -> None:
    """Print token F1 per page and mode, then the mean per mode."""
    totals: dict[str, list[float]] = {mode: [] for mode in MODES}
    print(f"\n## {title}\n{'page':46} " + " ".join(f"{m:>20}" for m in MODES))
    for name, html, url, gold in pages:
        scores = {mode: token_f1(article_text(html, url, mode, captions), gold) for mode in MODES}
        for mode, score in scores.items():
            totals[mode].append(score)
        print(f"{name[:46]:46} " + " ".join(f"{scores[m]:20.4f}" for m in MODES))
    if totals[MODES[0]]:
        print(f"{'MEAN':46} " + " ".join(f"{sum(v) / len(v):20.4f}" for v in totals.values()))
        print(f"{'MIN':46} " + " ".join(f"{min(v):20.4f}" for v in totals.values()))


def listing_check(pages: list[tuple[str, bytes, str | None]], is_article: Callable[[bytes, str | None, str], bool]) -> None:
    """Print, per listing page and mode, whether the mode wrongly finds an article."""
    print(f"\n## Listing pages (should be 'not article')\n{'page':46} " + " ".join(f"{m:>20}" for m in MODES))
    for name, html, url in pages:
        flags = [("ARTICLE?!" if is_article(html, url, mode) else "not article") for mode in MODES]
        print(f"{name[:46]:46} " + " ".join(f"{flag:>20}" for flag in flags))


def main(argv: list[str]) -> int:
    """Run every table."""
    html_dir = Path(argv[1]) if len(argv) > 1 else DEFAULT_DIR
    if (html_dir / "expected").is_dir():
        score_table(f"Real pages ({html_dir})", real_pages(html_dir), captions=True)
    score_table("Fixture site article pages (captions left out of our text)", fixture_pages(), captions=False)
    listings = [(p.stem, p.read_bytes(), None) for p in sorted(html_dir.glob("*LISTING*.html"))]
    try:
        from fixture_site import build_site

        site = build_site()
        paths = {a.path for a in site.articles}
        listings += [(f"fixture{p}", body, site.url(p)) for p, (_, _, body) in site.pages.items()
                     if p not in paths and (p.endswith(".htm") or p == "/")]
    except ImportError:
        pass
    listing_check(listings, lambda html, url, mode: bool(article_text(html, url, mode)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
