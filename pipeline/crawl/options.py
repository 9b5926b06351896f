"""Options of a crawl and its seeds."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, TextIO

DEFAULT_USER_AGENT = "chiso/0.1 (+research crawler; Vietnamese news indicator dataset; polite, obeys robots.txt)"


@dataclass
class CrawlOptions:
    """Every knob of a crawl (see `chiso crawl --help` and docs/crawl.md)."""

    max_pages: int | None = None  # pages fetched in this run (robots.txt not counted); None = no limit
    max_depth: int | None = 20  # link hops from a seed; sitemaps and feeds do not add depth; None = no limit
    max_per_host: int | None = 10_000  # pages fetched per host (host:port) in this run; None = no limit
    max_same_shape: int = 10  # link hops in a row between URLs of one shape (digits ignored): a trap; 0 = no check
    concurrency: int = 8
    per_host: int = 2
    delay: float = 1.0  # seconds between request starts on one host (robots.txt Crawl-delay may raise it)
    max_crawl_delay: float = 60.0  # a Crawl-delay above this is capped
    timeout: float = 20.0
    retries: int = 3
    backoff_base: float = 1.0
    max_retry_after: float = 120.0
    max_bytes: int = 10_000_000
    max_redirects: int = 10
    user_agent: str = DEFAULT_USER_AGENT
    obey_robots: bool = True
    robots_retry: float = 60.0  # an unreachable robots.txt is asked again after this many seconds (doubling)
    site: str | None = None
    allow: tuple[str, ...] = ()
    deny: tuple[str, ...] = ()
    hosts: tuple[str, ...] = ()  # extra hosts in scope
    recrawl: bool = False
    warc_max_bytes: int = 100_000_000
    progress: bool = False
    log: TextIO | None = None  # where to print the final report and warnings (None: quiet)
    handle_signals: bool = False  # SIGINT/SIGTERM stop gracefully (CLI); a second SIGINT cancels at once
    stop_grace: float = 30.0  # seconds in-flight fetches get to finish when stopping
    on_page: Callable[[dict], None] | None = None  # called with each index entry


@dataclass(frozen=True)
class Seed:
    """A start URL and what it is (page, sitemap, feed)."""

    url: str
    kind: str = "page"
