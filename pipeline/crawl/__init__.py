"""Polite, resumable crawler for news sites: `crawl(seeds, out_dir, **options) -> CrawlSummary`.

Modules: urls (canonical URLs), scope (site rules), robots, politeness (per-host slots), fetch (retries, size
caps), links (HTML, sitemaps, feeds), state (SQLite frontier), warc (output), options and
summary (what goes in and out), crawler (the loop).
"""
from .crawler import crawl, crawl_async, read_urls_file
from .options import CrawlOptions, Seed
from .summary import CrawlSummary

__all__ = ["CrawlOptions", "CrawlSummary", "Seed", "crawl", "crawl_async", "read_urls_file"]
