"""`chiso crawl`: collect news pages politely into WARC files plus a JSON Lines index."""
from __future__ import annotations

import argparse
import re
import sys

from pipeline.crawl import Seed, crawl, read_urls_file
from pipeline.crawl.options import DEFAULT_USER_AGENT, CrawlOptions
from pipeline.crawl.scope import load_site_rules

DEFAULTS = CrawlOptions()

DESCRIPTION = f"""\
Crawl news pages from seed URLs, URL files, sitemaps and RSS/Atom feeds, following links within scope.
Output goes to OUT/: warc/*.warc.gz (request + response records), index.jsonl (one line per URL: url, final_url,
status, fetched_at, content_type, charset, sha1, warc_file, warc_offset, error...), summary.json and
state.sqlite (the frontier: running the same command again resumes an interrupted crawl; nothing already
fetched is fetched again). Ctrl-C stops cleanly after the pages in flight; Ctrl-C twice stops at once.

Politeness by default: robots.txt obeyed (with Crawl-delay), {DEFAULTS.per_host} requests at a time and
{DEFAULTS.delay:g} s between requests per host, retries with exponential backoff honouring Retry-After.
Scope: the seeds' hosts (and their subdomains), with include/exclude patterns from rules/crawl_sites.yaml
(the entry matching the host, or the one named by --site) plus --allow/--deny.

examples:
  chiso crawl https://dantri.com.vn/kinh-doanh.htm --out crawl/ --max-pages 200 --max-depth 2
  chiso crawl --sitemap https://vnexpress.net/sitemap.xml --out crawl/ --max-depth 0
  chiso crawl --feed https://vnexpress.net/rss/kinh-doanh.rss --out crawl/ --max-depth 0
  chiso crawl --urls-file urls.txt --out crawl/ --max-depth 0 --deny '/video/'
  chiso crawl https://dantri.com.vn/ --out crawl/ --recrawl      # re-check pages (If-None-Match / 304)
  chiso crawl https://dantri.com.vn/ --out crawl/                # after Ctrl-C: resumes where it stopped
"""


def register(sub) -> None:
    """Add the `crawl` subcommand."""
    p = sub.add_parser("crawl", help="collect articles politely from news sites (WARC + index)",
                       description=DESCRIPTION, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("urls", nargs="*", metavar="URL", help="seed page URLs")
    p.add_argument("--out", "-o", required=True, metavar="DIR", help="output directory (created; reused to resume)")
    g = p.add_argument_group("seeds")
    g.add_argument("--urls-file", action="append", default=[], metavar="FILE",
                   help="file of seed URLs, one per line (# comments allowed); repeatable")
    g.add_argument("--sitemap", action="append", default=[], metavar="URL",
                   help="sitemap or sitemap index URL (.xml or .xml.gz); repeatable")
    g.add_argument("--feed", action="append", default=[], metavar="URL", help="RSS or Atom feed URL; repeatable")
    g = p.add_argument_group("limits")
    g.add_argument("--max-pages", type=int, metavar="N", help="stop after fetching N pages in this run")
    g.add_argument("--max-depth", type=_limit, default=DEFAULTS.max_depth, metavar="N",
                   help=f"follow links at most N hops from a seed (default {DEFAULTS.max_depth}; 0: seeds and "
                        "sitemap/feed entries only; none: no limit)")
    g.add_argument("--max-per-host", type=_limit, default=DEFAULTS.max_per_host, metavar="N",
                   help=f"fetch at most N pages per host in one run (default {DEFAULTS.max_per_host}; none: no "
                        "limit); the rest stay queued for the next run")
    g.add_argument("--max-same-shape", type=int, default=DEFAULTS.max_same_shape, metavar="N",
                   help="crawler-trap guard: do not follow more than N links in a row between URLs of the same "
                        "shape, digits ignored (calendars, endless pagination; default "
                        f"{DEFAULTS.max_same_shape}; 0: off); URLs that are too long (over 2000 characters), too "
                        "deep (over 20 path segments) or repeat a path segment more than 3 times are never followed")
    g.add_argument("--timeout", type=float, default=DEFAULTS.timeout, metavar="S",
                   help=f"read timeout per request, seconds (default {DEFAULTS.timeout:g}; connect: min(S, 10))")
    g.add_argument("--retries", type=int, default=DEFAULTS.retries, metavar="N",
                   help=f"retries on timeouts, resets, 429 and 5xx (default {DEFAULTS.retries})")
    g.add_argument("--max-bytes", type=int, default=DEFAULTS.max_bytes, metavar="N",
                   help=f"largest body kept, after decompression (default {DEFAULTS.max_bytes}); larger ones fail")
    g = p.add_argument_group("politeness")
    g.add_argument("--concurrency", type=int, default=DEFAULTS.concurrency, metavar="N",
                   help=f"requests in flight overall (default {DEFAULTS.concurrency})")
    g.add_argument("--per-host", type=int, default=DEFAULTS.per_host, metavar="N",
                   help=f"requests in flight per host (default {DEFAULTS.per_host})")
    g.add_argument("--delay", type=float, default=DEFAULTS.delay, metavar="S",
                   help=f"seconds between requests to one host (default {DEFAULTS.delay:g}; "
                        "a larger robots.txt Crawl-delay wins)")
    g.add_argument("--user-agent", default=DEFAULT_USER_AGENT, metavar="UA",
                   help="User-Agent header; please add a contact URL or e-mail (default: %(default)r)")
    g.add_argument("--no-robots", action="store_true",
                   help="IGNORE robots.txt (only for sites you own or may crawl; prints a warning)")
    g = p.add_argument_group("scope")
    g.add_argument("--site", metavar="NAME", help="use this entry of rules/crawl_sites.yaml "
                   f"({', '.join(s.name for s in load_site_rules()[1])})")
    g.add_argument("--allow", action="append", default=[], metavar="REGEX",
                   help="only URLs matching one of these patterns (repeatable)")
    g.add_argument("--deny", action="append", default=[], metavar="REGEX", help="never URLs matching (repeatable)")
    g.add_argument("--host", action="append", default=[], metavar="HOST", help="another host in scope (repeatable)")
    g = p.add_argument_group("re-crawl and output")
    g.add_argument("--recrawl", action="store_true",
                   help="fetch already-fetched pages again with If-None-Match/If-Modified-Since (304 keeps the copy)")
    g.add_argument("--warc-size", type=int, default=DEFAULTS.warc_max_bytes, metavar="BYTES",
                   help=f"start a new WARC file past this size (default {DEFAULTS.warc_max_bytes})")
    g.add_argument("--no-progress", action="store_true", help="no progress bar on stderr")
    p.set_defaults(func=_run)


def _limit(value: str) -> int | None:
    """A non-negative count, or None for "none" (no limit)."""
    if value.strip().lower() in ("none", "no", "unlimited"):
        return None
    number = int(value)
    if number < 0:
        raise argparse.ArgumentTypeError(f"must be 0 or more, or 'none': {value!r}")
    return number


def _run(args) -> int:
    seeds = [Seed(u) for u in args.urls]
    try:
        for path in args.urls_file:
            seeds += [Seed(u) for u in read_urls_file(path)]
    except OSError as e:
        print(f"chiso crawl: cannot read URL file: {e}", file=sys.stderr)
        return 2
    seeds += [Seed(u, "sitemap") for u in args.sitemap] + [Seed(u, "feed") for u in args.feed]
    if not seeds:
        print("chiso crawl: no seeds: give URLs, --urls-file, --sitemap or --feed", file=sys.stderr)
        return 2
    try:
        summary = crawl(
            seeds, args.out, max_pages=args.max_pages, max_depth=args.max_depth, max_per_host=args.max_per_host,
            max_same_shape=args.max_same_shape, concurrency=args.concurrency,
            per_host=args.per_host, delay=args.delay, timeout=args.timeout, retries=args.retries,
            max_bytes=args.max_bytes, user_agent=args.user_agent, obey_robots=not args.no_robots, site=args.site,
            allow=tuple(args.allow), deny=tuple(args.deny), hosts=tuple(args.host), recrawl=args.recrawl,
            warc_max_bytes=args.warc_size, progress=not args.no_progress, log=sys.stderr, handle_signals=True)
    except (ValueError, re.error) as e:  # bad --site or pattern
        print(f"chiso crawl: {e}", file=sys.stderr)
        return 2
    if summary.interrupted:
        return 130
    nothing_fetched = not summary.ok and not summary.not_modified
    return 1 if nothing_fetched and (summary.failed or summary.robots_waiting) else 0
