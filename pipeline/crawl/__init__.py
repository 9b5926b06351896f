"""Polite, resumable crawler for news sites: `crawl(seeds, out_dir, **options) -> CrawlSummary`.

Modules: urls (canonical URLs), scope (site rules), robots, politeness (per-host slots), fetch (retries, size
caps), charset (decoding), links (HTML, sitemaps, feeds), state (SQLite frontier), warc (output), crawler (loop).
"""
from .crawler import CrawlOptions, CrawlSummary, Seed, crawl, crawl_async, read_urls_file

__all__ = ["CrawlOptions", "CrawlSummary", "Seed", "crawl", "crawl_async", "read_urls_file"]
