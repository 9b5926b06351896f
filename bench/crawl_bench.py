"""Crawler throughput against the local fixture server, politeness off: prints pages/s and MB/s.

    .venv/bin/python bench/crawl_bench.py [--pages 2000] [--concurrency 32]

The server (tests/fault_server.py, a threaded http.server on 127.0.0.1) serves the fixture site plus N article
pages (fixture articles made unique) linked from hub pages; the crawl starts at "/" with robots.txt and delays off.
Numbers measure the crawler and the local server together (both in this process): a floor, not a network figure.
"""
from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from fault_server import FaultServer  # noqa: E402
from pipeline.crawl import crawl  # noqa: E402


def add_bench_pages(server: FaultServer, n: int, per_hub: int = 100) -> None:
    """Add `n` unique article pages under /bench/, reachable from "/" through hub pages."""
    articles = server.site.articles
    hubs = []
    for h in range(0, n, per_hub):
        links = []
        for i in range(h, min(n, h + per_hub)):
            _, headers, body = server.pages[articles[i % len(articles)].path]
            path = f"/bench/bai-{i}-{4000000 + i}.html"
            server.page(path, body.replace(b"</body>", f"<!-- {i} --></body>".encode()), dict(headers))
            links.append(f'<a href="{path}">{i}</a>')
        hub = f"/bench/hub-{h // per_hub}.htm"
        server.page(hub, f"<html><body>{''.join(links)}</body></html>")
        hubs.append(f'<a href="{hub}">hub</a>')
    _, headers, home = server.pages["/"]
    server.page("/", home.replace(b"</body>", "".join(hubs).encode() + b"</body>"), dict(headers))


def main() -> None:
    """Run the benchmark and print the figures."""
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--pages", type=int, default=2000)
    ap.add_argument("--concurrency", type=int, default=32)
    args = ap.parse_args()
    with FaultServer() as server, tempfile.TemporaryDirectory() as out:
        add_bench_pages(server, args.pages)
        start = time.perf_counter()
        summary = crawl([server.url("/")], out, delay=0.0, concurrency=args.concurrency,
                        per_host=args.concurrency, obey_robots=False, site="fixture", retries=0,
                        max_per_host=None)  # the default per-host cap would end a --pages 20000 run early
        elapsed = time.perf_counter() - start
        warc_bytes = sum(p.stat().st_size for p in (Path(out) / "warc").glob("*.warc.gz"))
    print(f"pages: {summary.fetched} ({summary.ok} ok, {summary.failed} failed) in {elapsed:.2f} s")
    print(f"throughput: {summary.fetched / elapsed:.1f} pages/s, {summary.bytes / 1e6 / elapsed:.2f} MB/s "
          f"of bodies; WARC written: {warc_bytes / 1e6:.1f} MB (gzip)")


if __name__ == "__main__":
    main()
