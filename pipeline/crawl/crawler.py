"""The crawl loop: frontier in SQLite, polite concurrent fetching, WARC + index output, clean stop and resume."""
from __future__ import annotations

import asyncio
import hashlib
import json
import signal
import sys
import time
from collections import Counter
from pathlib import Path
from urllib.parse import urljoin

import httpx

from pipeline.html.decode import decode_page
from pipeline.writers import atomic_path
from .fetch import Fetched, Fetcher, FetchOptions
from .links import html_links, maybe_gunzip, xml_links
from .options import CrawlOptions, Seed
from .politeness import HostGate
from .robots import ALLOW, DISALLOW, ROBOTS_MAX_BYTES, WAIT, RobotsCache, RobotsEntry, cut_to_limit
from .scope import Scope
from .state import CrawlState, Pending
from .summary import CrawlSummary
from .traps import TrapLimits, same_shape_run, static_trap, url_shape
from .urls import canonicalize, netloc_of, origin_of
from .warc import WarcSink, payload_digest, warc_date

REDIRECTS = frozenset({301, 302, 303, 307, 308})
TEXT_TYPES = ("text/", "html", "xml", "json", "rss", "atom")


class _Crawl:
    """One crawl run over an output directory (state, WARC, index)."""

    def __init__(self, seeds: list[Seed], out_dir: Path, opts: CrawlOptions, client: httpx.AsyncClient):
        self.opts = opts
        self.out = out_dir
        self.summary = CrawlSummary(out_dir)
        self.scope = Scope.build([s.url for s in seeds], opts.site, list(opts.allow), list(opts.deny),
                                 list(opts.hosts))
        self.state = CrawlState(out_dir / "state.sqlite")
        self.warc = WarcSink(out_dir / "warc", opts.warc_max_bytes, software=opts.user_agent.split(" ")[0])
        self.index = open(out_dir / "index.jsonl", "a", encoding="utf-8")
        self.robots = RobotsCache(opts.user_agent, self._fetch_robots, opts.obey_robots, opts.robots_retry)
        self.robots_seen: dict[str, RobotsEntry] = {}  # the robots entry each origin's notes were taken from
        self.gate = HostGate(opts.per_host, self._delay_for)
        self.crawl_delays: dict[str, float] = {}
        self.host_pages: Counter[str] = Counter()  # pages fetched per host:port in this run (max_per_host)
        self.trap_limits = TrapLimits(max_same_shape=opts.max_same_shape)
        self.summary.max_per_host = opts.max_per_host
        self.fetcher = Fetcher(client, FetchOptions(opts.timeout, opts.retries, opts.max_bytes, opts.backoff_base,
                                                    max_retry_after=opts.max_retry_after),
                               self.gate.slot, self.gate.hold_off)
        self.inflight: set[str] = set()
        self.stopping = asyncio.Event()
        self.hard_stop = False
        self.progress = None
        for seed in seeds:
            url = canonicalize(seed.url, self.scope.strip_params)
            if url is None:
                self._warn(f"ignoring seed {seed.url!r}: not an http(s) URL")
                continue
            if not self.state.add(url, 0, seed.kind) and opts.recrawl:
                self.state.requeue_seed(url)
        if opts.recrawl:
            self.state.requeue_for_recrawl()
        self.state.requeue_disallowed()  # robots.txt is read afresh each run (and --no-robots ignores it)

    # ------------------------------------------------------------------ politeness
    def _delay_for(self, origin: str) -> float:
        return max(self.opts.delay, min(self.crawl_delays.get(origin, 0.0), self.opts.max_crawl_delay))

    async def _fetch_robots(self, robots_url: str) -> tuple[int | None, str, str | None]:
        """(status, text, error) of an origin's robots.txt, following redirects; recorded in the WARC."""
        url = robots_url
        for _ in range(5):  # RFC 9309: follow at least five redirects (http -> https, www.)
            result = await self.fetcher.get(url, max_bytes=ROBOTS_MAX_BYTES, truncate=True)
            if result.status is not None and result.error is None:
                self._write_warc(result, url, None)
            location = result.header("Location")
            if result.error is not None or result.status not in REDIRECTS or not location:
                break
            url = urljoin(url, location)
        text = ""
        if result.status == 200 and result.error is None:
            text = cut_to_limit(decode_page(result.body, "text/plain").text, result.truncated)
            if result.truncated:
                self._warn(f"{url}: robots.txt is larger than {ROBOTS_MAX_BYTES} bytes; only its first "
                           f"{ROBOTS_MAX_BYTES} bytes are read (RFC 9309)")
        return result.status if result.error is None else None, text, result.error

    async def _robots_verdict(self, url: str) -> str:
        """ALLOW, DISALLOW or WAIT for `url`; each new robots.txt of an origin also gives its note and Crawl-delay."""
        verdict = await self.robots.verdict(url)
        origin = origin_of(url)
        entry = self.robots.entries.get(origin)
        if entry is not None and self.robots_seen.get(origin) is not entry:
            self.robots_seen[origin] = entry
            self.summary.robots_notes[origin] = entry.note
            if entry.unreachable:
                self._warn(f"robots.txt of {origin} {entry.note}: its URLs wait in the queue")
            delay = await self.robots.crawl_delay(url)
            if delay:
                self.crawl_delays[origin] = delay
                self.gate.hold_off(url, self._delay_for(origin))  # the robots.txt request itself counts
        return verdict

    # ------------------------------------------------------------------ main loop
    async def run(self) -> CrawlSummary:
        """Fetch until the frontier is empty, the page budget is spent, or a stop is requested."""
        start = time.monotonic()
        pending: set[asyncio.Task] = set()
        budget = self.opts.max_pages
        self._open_progress()
        try:
            while True:
                room = self.opts.concurrency - len(pending)
                if budget is not None:
                    room = min(room, budget - self.summary.fetched - len(pending))
                if room > 0 and not self.stopping.is_set():
                    for item in self.state.next_batch(room, self.inflight, self._held_origins()):
                        self.state.claim(item.url)
                        self.inflight.add(item.url)
                        pending.add(asyncio.create_task(self._process(item)))
                if not pending:
                    break
                stop_wait = asyncio.ensure_future(self.stopping.wait())
                done, pending = await asyncio.wait(pending | {stop_wait}, return_when=asyncio.FIRST_COMPLETED)
                pending.discard(stop_wait)
                stop_wait.cancel()
                if self.stopping.is_set() and pending:
                    await self._drain(pending)
                    pending = set()
                    self.summary.interrupted = True
        except asyncio.CancelledError:
            # Cancelled (Ctrl-C in asyncio.run, or task.cancel()): let fetches in flight finish and be recorded,
            # unless this is the second Ctrl-C of the CLI, which means "now".
            self.summary.interrupted = True
            await self._drain(pending, 0.0 if self.hard_stop else self.opts.stop_grace)
        finally:
            self._close(start)
        return self.summary

    def _held_origins(self) -> set[str]:
        """Origins whose URLs are not fetched now: robots.txt unreachable, or their host reached max_per_host."""
        held = self.robots.deferred()
        limit = self.opts.max_per_host
        if limit is not None:
            held |= {f"{scheme}://{host}" for host, n in self.host_pages.items() if n >= limit
                     for scheme in ("http", "https")}
        return held

    async def _drain(self, pending: set[asyncio.Task], grace: float | None = None) -> None:
        """Wait up to `grace` seconds for fetches in flight, then cancel the rest (they are queued again)."""
        pending = {t for t in pending if not t.done()}
        if not pending:
            return
        grace = self.opts.stop_grace if grace is None else grace
        done, late = await asyncio.wait(pending, timeout=grace) if grace > 0 else (set(), pending)
        for task in late:
            task.cancel()
        if late:
            await asyncio.gather(*late, return_exceptions=True)

    def _close(self, start: float) -> None:
        self.summary.elapsed = time.monotonic() - start
        self.summary.queued_left = self.state.queued() + len(self.inflight)
        for origin, entry in self.robots.unreachable().items():
            waiting = self.state.queued_under(origin)
            if waiting:
                self.summary.robots_waiting[origin] = waiting
        if self.opts.max_per_host is not None:
            for host, n in self.host_pages.items():
                left = sum(self.state.queued_under(f"{s}://{host}") for s in ("http", "https"))
                if n >= self.opts.max_per_host and left:
                    self.summary.host_limited[host] = left
        self.summary.interrupted = self.summary.interrupted or self.stopping.is_set()
        self.summary.warc_files = list(self.warc.files)
        self.warc.close()
        self.index.close()
        self.state.close(self.summary.interrupted)
        if self.progress is not None:
            self.progress.close()
        data = {k: v for k, v in self.summary.__dict__.items() if k != "out_dir"}
        # Atomic: a crawl killed while closing leaves the previous summary, never half of one.
        with atomic_path(self.out / "summary.json") as tmp:
            tmp.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
        if self.opts.log is not None:
            print(self.summary.report(), file=self.opts.log, flush=True)

    # ------------------------------------------------------------------ one URL
    async def _process(self, item: Pending) -> None:
        handled = True
        try:
            handled = await self._crawl_one(item)
        except asyncio.CancelledError:
            self.state.requeue(item.url)  # nothing was recorded for it: the next run fetches it
            raise
        except Exception as e:  # a bug must not kill the crawl: record it against the URL
            self._fail(item.url, item.url, f"internal error: {e!r}", None)
        finally:
            self.inflight.discard(item.url)
            if handled:
                self._tick()

    async def _crawl_one(self, item: Pending) -> bool:
        """Fetch and record one URL; False when it was put back in the queue instead (robots.txt, host limit)."""
        verdict = await self._robots_verdict(item.url)
        if verdict == WAIT:  # robots.txt unreachable (RFC 9309): nothing fetched now, the URL stays queued
            self.state.requeue(item.url)
            return False
        if verdict == DISALLOW:
            self.state.finish(item.url, "disallowed", error="disallowed by robots.txt")
            self.summary.disallowed += 1
            self.summary.disallowed_urls.append(item.url)
            return True
        host = netloc_of(item.url)
        if self.opts.max_per_host is not None and self.host_pages[host] >= self.opts.max_per_host:
            self.state.requeue(item.url)  # left for the next run, like pages past --max-pages
            return False
        self.host_pages[host] += 1
        self.summary.fetched += 1
        headers = {}
        if item.etag:
            headers["If-None-Match"] = item.etag
        if item.last_modified:
            headers["If-Modified-Since"] = item.last_modified
        chain = [item.url]
        try:
            await self._follow(item, chain, headers)
        except asyncio.CancelledError:
            for url in chain[1:]:
                self.state.requeue(url)
            raise
        finally:
            self.inflight.difference_update(chain[1:])
        return True

    async def _follow(self, item: Pending, chain: list[str], headers: dict[str, str]) -> None:
        """Fetch item.url, following redirects by hand (scope, robots, loops and already-known targets)."""
        current = item.url
        while True:
            result = await self.fetcher.get(current, headers if current == item.url else None)
            if result.error is not None:
                return self._fail(item.url, current, result.error, result)
            location = result.header("Location")
            if result.status not in REDIRECTS or not location:
                break
            self._write_warc(result, current, None)
            target = canonicalize(urljoin(current, location), self.scope.strip_params)
            problem = self._redirect_problem(chain, target)
            if problem:
                return self._fail(item.url, current, problem, result)
            known = "fetching" if target in self.inflight else self.state.state_of(target)
            verdict = await self._robots_verdict(target) if known in (None, "queued") else None
            if verdict != ALLOW:
                # Another task has (or will have) fetched that page, or we may not (yet): record the redirect only;
                # a target waiting for its robots.txt stays queued.
                if verdict is not None:
                    self.state.add(target, item.depth, item.kind, item.url)
                if verdict == DISALLOW:
                    self.state.finish(target, "disallowed", error="disallowed by robots.txt")
                self.state.finish(item.url, "done", http_status=result.status, final_url=target,
                                  fetched_at=result.fetched_at)
                self.summary.ok += 1
                return self._index(item, result, target, extra={"redirect_to_known": True})
            self.state.claim(target, item.depth, item.kind, item.url)
            self.inflight.add(target)
            chain.append(target)
            current = target
        await self._record(item, current, chain, result)

    def _redirect_problem(self, chain: list[str], target: str | None) -> str | None:
        if target is None:
            return "redirect to a non-http URL"
        if target in chain:
            return "redirect loop: " + " -> ".join(chain + [target])
        if len(chain) > self.opts.max_redirects:
            return f"too many redirects (more than {self.opts.max_redirects})"
        why = self.scope.why_out(target)
        return f"redirect out of scope to {target} ({why})" if why else None

    async def _record(self, item: Pending, final: str, chain: list[str], result: Fetched) -> None:
        entry_extra: dict = {}
        if result.status == 304 and item.warc_file:
            return self._keep_stored(item, final, chain, result)
        body = result.body
        content_type = result.header("Content-Type") or ""
        textual = not content_type or any(t in content_type.lower() for t in TEXT_TYPES)
        decoded = decode_page(body, content_type) if textual and body else None
        sha1 = hashlib.sha1(body).hexdigest()
        stored_sha1, stored_at = self.state.stored(item.url) if item.warc_file else (None, None)
        if stored_sha1 == sha1 and 200 <= (result.status or 0) < 300 and body:
            # Re-crawled without validators, same bytes: a revisit record notes the visit, the stored copy stays
            # the page's one capture (so that reading the WARCs back gives it once).
            self._write_warc(result, final, decoded.charset if decoded else None,
                             (final, warc_date(stored_at), payload_digest(body)))
            return self._keep_stored(item, final, chain, result, {"same_content": True})
        first = self.state.seen_hash(sha1, item.url) if 200 <= (result.status or 0) < 300 and body else None
        revisit = None
        if first is not None:
            self.summary.duplicates += 1
            entry_extra["duplicate_of"] = first
            revisit = (first, warc_date(self.state.stored(first)[1]), payload_digest(body))
        warc = self._write_warc(result, final, decoded.charset if decoded else None, revisit)
        self.summary.bytes += len(body)
        ok = result.status is not None and result.status < 400
        if ok:
            self.summary.ok += 1
        else:
            self.summary.failed += 1
            self.summary.failures.append((item.url, f"HTTP {result.status}"))
        fields = dict(http_status=result.status, final_url=final, sha1=sha1, warc_file=warc[0], warc_offset=warc[1],
                      fetched_at=result.fetched_at, etag=result.header("ETag"),
                      last_modified=result.header("Last-Modified"), error=None if ok else f"HTTP {result.status}")
        for url in chain:
            self.state.finish(url, "done" if ok else "failed", **fields)
        if decoded is not None:
            entry_extra["charset_source"] = decoded.source
            if decoded.warning:
                entry_extra["charset_warning"] = decoded.warning
        self._index(item, result, final, warc=warc, sha1=sha1, charset=decoded.charset if decoded else None,
                    error=fields["error"], extra=entry_extra)
        if ok and first is None and body:
            self._discover(item, final, body, decoded.text if decoded else "", content_type)

    def _keep_stored(self, item: Pending, final: str, chain: list[str], result: Fetched,
                     extra: dict | None = None) -> None:
        """Record a re-crawled page that did not change (304, or the same bytes): its stored copy stays."""
        self.summary.not_modified += 1
        for url in chain:
            self.state.finish(url, "done", fetched_at=result.fetched_at)
        extra = {"not_modified": True, **(extra or {})}
        sha1, _ = self.state.stored(item.url)
        first = self.state.seen_hash(sha1, item.url) if sha1 else None
        if first:
            extra["duplicate_of"] = first  # the stored copy is a revisit record of that page
        self._index(item, result, final, warc=(item.warc_file, item.warc_offset), sha1=sha1, extra=extra)

    def _discover(self, item: Pending, url: str, body: bytes, text: str, content_type: str) -> None:
        found: list[tuple[str, int, str]] = []
        xml = None
        if "html" not in content_type.lower() or item.kind in ("sitemap", "feed") or body[:2] == b"\x1f\x8b":
            try:
                xml = xml_links(maybe_gunzip(body, self.opts.max_bytes), url)
            except (ValueError, OSError, EOFError) as e:
                self._warn(f"{url}: {e}")
        if xml is not None:
            kind, urls = xml
            child_kind = "sitemap" if kind == "sitemapindex" else "page"
            found = [(u, item.depth, child_kind) for u in urls]  # sitemaps and feeds do not add depth
        elif "html" in content_type.lower() or text.lstrip()[:1] == "<":
            if self.opts.max_depth is None or item.depth < self.opts.max_depth:
                found = [(u, item.depth + 1, "page") for u in html_links(text, url)]
        run: int | None = None  # same-shape links in a row that led to this page, computed when first needed
        for raw, depth, kind in found:
            link = canonicalize(raw, self.scope.strip_params)
            if link is None:
                continue
            if self.scope.why_out(link) and kind != "sitemap":
                self.summary.out_of_scope += 1
                continue
            if kind == "page" and self.state.state_of(link) is None:
                if run is None:
                    run = same_shape_run(url, self.state.parent_of, self.trap_limits.max_same_shape)
                why = self._trap(link, url, run)
                if why:
                    self.summary.traps += 1
                    if len(self.summary.trap_examples) < 20:
                        self.summary.trap_examples.append((link, why))
                    continue
            self.state.add(link, depth, kind, url)

    def _trap(self, link: str, parent: str, run: int) -> str | None:
        """Why a newly found link looks like a crawler trap, or None."""
        why = static_trap(link, self.trap_limits)
        limit = self.trap_limits.max_same_shape
        if why is None and limit and url_shape(link) == url_shape(parent) and run + 1 > limit:
            why = f"{run + 1} links in a row between URLs shaped like {url_shape(link)} (over {limit})"
        return why

    # ------------------------------------------------------------------ output
    def _write_warc(self, result: Fetched, url: str, charset: str | None, revisit=None) -> tuple[str, int]:
        return self.warc.write_exchange(url, result.fetched_at, result.status, result.reason, result.http_version,
                                        result.headers, result.body, result.request_headers, charset, revisit)

    def _fail(self, url: str, where: str, reason: str, result: Fetched | None) -> None:
        self.summary.failed += 1
        if where != url:
            reason = f"{reason} (at {where})"
        self.summary.failures.append((url, reason))
        self.state.finish(url, "failed", error=reason, http_status=result.status if result else None)
        if where != url:
            self.state.finish(where, "failed", error=reason, http_status=result.status if result else None)
        self._index(Pending(url, 0, "page", None, None, None, None), result, where, error=reason)

    def _index(self, item: Pending, result: Fetched | None, final: str, warc=(None, None), sha1=None, charset=None,
               error=None, extra: dict | None = None) -> None:
        entry = {
            "url": item.url, "final_url": final, "status": result.status if result else None,
            "fetched_at": result.fetched_at if result else None,
            "content_type": result.header("Content-Type") if result else None, "charset": charset, "sha1": sha1,
            "bytes": len(result.body) if result else 0, "warc_file": warc[0], "warc_offset": warc[1],
            "depth": item.depth, "article": self.scope.is_article(final), "attempts": result.attempts if result else 0,
            "error": error, **(extra or {}),
        }
        self.index.write(json.dumps(entry, ensure_ascii=False) + "\n")
        self.index.flush()
        if self.opts.on_page is not None:
            self.opts.on_page(entry)

    def _warn(self, message: str) -> None:
        if self.opts.log is not None:
            print(f"chiso crawl: {message}", file=self.opts.log, flush=True)

    def _open_progress(self) -> None:
        if self.opts.progress:
            from tqdm import tqdm
            self.progress = tqdm(total=self.opts.max_pages, unit="page", file=sys.stderr, dynamic_ncols=True)

    def _tick(self) -> None:
        if self.progress is not None:
            self.progress.update(1)
            self.progress.set_postfix(ok=self.summary.ok, failed=self.summary.failed,
                                      queue=self.state.queued(), refresh=False)


def read_urls_file(path: str | Path) -> list[str]:
    """URLs from a file, one per line; blank lines and # comments ignored."""
    lines = Path(path).read_text(encoding="utf-8").splitlines()
    return [ln.strip() for ln in lines if ln.strip() and not ln.lstrip().startswith("#")]


async def crawl_async(seeds, out_dir, **options) -> CrawlSummary:
    """Crawl from `seeds` (URLs, or Seed(url, kind) for sitemaps/feeds) into `out_dir`; see CrawlOptions."""
    opts = CrawlOptions(**options)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    seed_list = [s if isinstance(s, Seed) else Seed(str(s)) for s in seeds]
    if not opts.obey_robots and opts.log is not None:
        print("chiso crawl: WARNING: robots.txt is IGNORED (--no-robots). Only do this on sites you own or "
              "have permission to crawl.", file=opts.log, flush=True)
    limits = httpx.Limits(max_connections=max(opts.concurrency, 1) * 2, max_keepalive_connections=opts.concurrency)
    timeout = httpx.Timeout(opts.timeout, connect=min(opts.timeout, 10.0))
    headers = {"User-Agent": opts.user_agent, "Accept-Encoding": "gzip, deflate",
               "Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
               "Accept-Language": "vi,en;q=0.5"}
    async with httpx.AsyncClient(follow_redirects=False, timeout=timeout, limits=limits, headers=headers,
                                 trust_env=False) as client:
        job = _Crawl(seed_list, out, opts, client)
        if opts.handle_signals:
            _install_signals(job)
        try:
            return await job.run()
        finally:
            if opts.handle_signals:
                _remove_signals()


def _install_signals(job: _Crawl) -> None:
    loop = asyncio.get_running_loop()
    task = asyncio.current_task()

    def on_signal() -> None:
        if job.stopping.is_set():
            job.hard_stop = True
            task.cancel()  # second Ctrl-C: stop waiting for fetches in flight
        else:
            print("\nchiso crawl: stopping; finishing pages in flight (Ctrl-C again to stop now)",
                  file=sys.stderr, flush=True)
            job.stopping.set()

    for sig in (signal.SIGINT, signal.SIGTERM):
        try:
            loop.add_signal_handler(sig, on_signal)
        except (NotImplementedError, RuntimeError, ValueError):
            pass


def _remove_signals() -> None:
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        try:
            loop.remove_signal_handler(sig)
        except (NotImplementedError, RuntimeError, ValueError):
            pass


def crawl(seeds, out_dir, **options) -> CrawlSummary:
    """Crawl synchronously (runs its own event loop); see crawl_async and CrawlOptions for the options."""
    return asyncio.run(crawl_async(seeds, out_dir, **options))
