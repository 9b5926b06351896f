"""The crawler against a real local HTTP server (tests/fault_server.py) serving the fixture site, with faults."""
from __future__ import annotations

import asyncio
import hashlib
import json
import time
from pathlib import Path

import pytest
from warcio.archiveiterator import ArchiveIterator

from fault_server import FaultServer
from fixture_site import encode_cp1258
from pipeline.crawl import Seed, crawl, crawl_async

FAST = dict(delay=0.0, concurrency=6, per_host=4, timeout=3.0, retries=2, backoff_base=0.05, site="fixture")


@pytest.fixture
def server():
    with FaultServer() as srv:
        yield srv


def read_index(out: Path) -> list[dict]:
    """The lines of OUT/index.jsonl."""
    return [json.loads(line) for line in (out / "index.jsonl").read_text(encoding="utf-8").splitlines()]


def record_at(out: Path, warc_file: str, offset: int):
    """(record type, target URI, payload bytes, headers) of the WARC record at `offset`."""
    with open(out / "warc" / warc_file, "rb") as fh:
        fh.seek(offset)
        record = next(iter(ArchiveIterator(fh)))
        return (record.rec_type, record.rec_headers.get_header("WARC-Target-URI"), record.content_stream().read(),
                record.rec_headers)


def assert_each_once(srv: FaultServer, paths) -> None:
    """Every path in `paths` was requested exactly once."""
    assert {p: srv.count(p) for p in paths} == {p: 1 for p in paths}


# ------------------------------------------------------------------------------------------- the whole site
def test_crawl_gets_every_allowed_page_once_and_nothing_disallowed(server, tmp_path):
    summary = crawl([server.url("/")], tmp_path, **FAST)
    expected = server.site.crawlable_paths()
    assert_each_once(server, expected)
    assert set(server.counts) == expected  # nothing else: no /private/, no /tim-kiem, no images
    assert server.count("/private/noi-bo.htm") == 0
    assert summary.failed == 0 and summary.disallowed == 1 and summary.duplicates == 1
    assert summary.disallowed_urls == [server.url("/private/noi-bo.htm")]
    assert summary.out_of_scope > 0  # the external partner link


def test_index_points_to_the_right_warc_records(server, tmp_path):
    crawl([server.url("/")], tmp_path, **FAST)
    entries = read_index(tmp_path)
    article_urls = {server.url(a.path) for a in server.site.articles}
    assert {e["url"] for e in entries if e["article"]} == article_urls
    for e in entries:
        rtype, uri, payload, _ = record_at(tmp_path, e["warc_file"], e["warc_offset"])
        assert uri == e["final_url"]
        if e.get("duplicate_of"):
            assert rtype == "revisit"
            continue
        assert rtype == "response"
        assert hashlib.sha1(payload).hexdigest() == e["sha1"]
        path = e["final_url"][len(server.base_url):]
        assert payload == server.pages[path][2]


def test_warc_is_standard_and_has_request_records(server, tmp_path):
    crawl([server.url("/")], tmp_path, **FAST)
    types, uris = [], set()
    for warc in sorted((tmp_path / "warc").glob("*.warc.gz")):
        with open(warc, "rb") as fh:
            for record in ArchiveIterator(fh):
                types.append(record.rec_type)
                if record.rec_type == "response":
                    uris.add(record.rec_headers.get_header("WARC-Target-URI"))
                    assert record.rec_headers.get_header("WARC-Date")
                    assert record.http_headers.get_statuscode() == "200"
    assert types[0] == "warcinfo"
    assert types.count("request") == types.count("response") + types.count("revisit")
    assert server.url("/robots.txt") in uris and server.url("/") in uris


def test_warc_rotates_by_size(server, tmp_path):
    crawl([server.url("/")], tmp_path, warc_max_bytes=15_000, **FAST)
    files = sorted((tmp_path / "warc").glob("*.warc.gz"))
    assert len(files) > 3
    entries = read_index(tmp_path)
    assert len({e["warc_file"] for e in entries}) > 3
    for e in entries:
        assert record_at(tmp_path, e["warc_file"], e["warc_offset"])[1] == e["final_url"]


def test_sitemap_index_with_gzipped_sitemap_and_feed_seeds(server, tmp_path):
    summary = crawl([Seed(server.url("/sitemap.xml"), "sitemap")], tmp_path / "a", max_depth=0, **FAST)
    assert_each_once(server, [a.path for a in server.site.articles])
    assert server.count("/sitemaps/news-1.xml.gz") == 1 and server.count("/xa-hoi.htm") == 0
    assert summary.failed == 0
    server.reset_counts()
    crawl([Seed(server.url("/rss/tin-moi-nhat.rss"), "feed")], tmp_path / "b", max_depth=0, **FAST)
    assert_each_once(server, [a.path for a in server.site.articles] + ["/rss/tin-moi-nhat.rss"])


def test_deny_pattern_and_max_depth(server, tmp_path):
    crawl([server.url("/")], tmp_path, max_depth=1, deny=("/xa-hoi",), **FAST)
    assert not any(p.startswith("/xa-hoi") for p in server.counts)
    assert server.count("/kinh-doanh.htm") == 1
    assert server.count("/kinh-doanh/trang-2.htm") == 0  # two hops from the seed


# ---------------------------------------------------------------------------------------------- default bounds
def test_calendar_trap_is_bounded_by_default(server, tmp_path):
    server.calendar("/lich/")
    summary = crawl([server.url("/lich/2024/05")], tmp_path, **FAST)  # no limit given: the defaults hold
    months = [p for p in server.counts if p.startswith("/lich/")]
    assert len(months) == 21  # the seed and 10 months each way (--max-same-shape 10)
    assert summary.traps == 2 and summary.queued_left == 0
    assert "look like a crawler trap" in summary.report() and "/lich/#/#" in summary.report()


def test_depth_has_a_default_limit(server, tmp_path):
    server.calendar("/lich/")
    crawl([server.url("/lich/2024/05")], tmp_path, **{**FAST, "max_same_shape": 0})  # trap guard off
    depths = [e["depth"] for e in read_index(tmp_path)]
    assert max(depths) == 20 and len(depths) == 41


def test_repeated_path_segments_are_not_followed(server, tmp_path):
    server.page("/loop.htm", '<a href="/a/b/a/b/a/b/a/b/x.htm">x</a><a href="/xa-hoi.htm">ok</a>')
    summary = crawl([server.url("/loop.htm")], tmp_path, max_depth=1, **FAST)
    assert server.count("/a/b/a/b/a/b/a/b/x.htm") == 0 and server.count("/xa-hoi.htm") == 1
    assert summary.traps == 1 and "repeated 4 times" in summary.trap_examples[0][1]


def test_max_pages_per_host_leaves_the_rest_queued(server, tmp_path):
    first = crawl([server.url("/")], tmp_path, max_per_host=5, **FAST)
    assert first.fetched == 5 and first.host_limited == {f"127.0.0.1:{server.port}": first.queued_left}
    assert "max 5 pages per host" in first.report()
    second = crawl([server.url("/")], tmp_path, max_per_host=5, **FAST)
    assert second.fetched == 5 and len({e["url"] for e in read_index(tmp_path)}) == 10


# ------------------------------------------------------------------------------------------------------ faults
def test_faults_are_reported_with_reasons(server, tmp_path):
    page = server.pages["/kinh-doanh.htm"][2]
    for path in ("/reset.htm", "/loop-a.htm", "/huge.htm", "/bomb.htm", "/slow.htm"):
        server.page(path, page)
    server.fault("/reset.htm", "reset")
    server.fault("/loop-a.htm", "redirect", location="/loop-b.htm")
    server.fault("/loop-b.htm", "redirect", location=server.url("/loop-a.htm"))
    server.fault("/huge.htm", "huge", size=20_000_000)
    server.fault("/bomb.htm", "bomb", size=50_000_000)
    server.fault("/slow.htm", "slow", seconds=1.2)
    seeds = [server.url(p) for p in ("/reset.htm", "/loop-a.htm", "/huge.htm", "/bomb.htm", "/slow.htm")]
    summary = crawl(seeds, tmp_path, max_depth=0, max_bytes=1_000_000,
                    **{**FAST, "timeout": 0.5, "retries": 1})
    reasons = dict(summary.failures)
    assert set(reasons) == set(seeds)
    assert "reset" in reasons[server.url("/reset.htm")] and "gave up after 2 attempts" in reasons[seeds[0]]
    assert "redirect loop" in reasons[server.url("/loop-a.htm")]
    assert "too large" in reasons[server.url("/huge.htm")]
    assert "decompression bomb" in reasons[server.url("/bomb.htm")]
    assert "timeout" in reasons[server.url("/slow.htm")]
    # bounded: retries only where retrying can help, never for size limits or loops
    assert server.count("/reset.htm") == 2 and server.count("/slow.htm") == 2
    assert server.count("/huge.htm") == 1 and server.count("/bomb.htm") == 1
    assert server.count("/loop-a.htm") == 1 and server.count("/loop-b.htm") == 1
    errors = {e["url"]: e["error"] for e in read_index(tmp_path)}
    assert all(errors[u] for u in seeds)
    assert "failed (5)" in summary.report() and "redirect loop" in summary.report()


def test_retries_succeed_after_429_and_503(server, tmp_path):
    page = server.pages["/kinh-doanh.htm"][2]
    server.page("/busy.htm", page)
    server.page("/flaky.htm", page)
    server.fault("/busy.htm", "status", status=429, times=1, retry_after="1")
    server.fault("/flaky.htm", "status", status=503, times=2)
    summary = crawl([server.url("/busy.htm"), server.url("/flaky.htm")], tmp_path, max_depth=0,
                    **{**FAST, "retries": 3})
    assert summary.failed == 0 and summary.ok == 2
    assert server.count("/busy.htm") == 2 and server.count("/flaky.htm") == 3
    times = [t for t, _, path, _ in server.log if path == "/busy.htm"]
    assert times[1] - times[0] >= 0.9  # waited for Retry-After: 1
    attempts = {e["url"]: e["attempts"] for e in read_index(tmp_path)}
    assert attempts[server.url("/flaky.htm")] == 3


def test_retry_after_too_long_gives_up(server, tmp_path):
    server.page("/later.htm", "<p>x</p>")
    server.fault("/later.htm", "status", status=503, retry_after="3600")
    summary = crawl([server.url("/later.htm")], tmp_path, max_depth=0, **FAST)
    assert "Retry-After 3600" in summary.failures[0][1] and server.count("/later.htm") == 1


def test_encoded_dot_segments_do_not_fetch_a_page_twice(server, tmp_path):
    server.page("/dots.htm", '<a href="/%2e%2e/xa-hoi.htm">a</a> <a href="/tin/%2E%2E/xa-hoi.htm">b</a> '
                             '<a href="/xa-hoi.htm">c</a> <a href="/./%78a-hoi.htm">d</a>')
    crawl([server.url("/dots.htm")], tmp_path, max_depth=1, **FAST)
    assert server.count("/xa-hoi.htm") == 1
    assert not [p for p in server.counts if "%" in p or ".." in p]


def test_redirect_is_followed_once(server, tmp_path):
    server.fault("/old-url.htm", "redirect", location="/kinh-doanh.htm?utm_source=redirect", status=301)
    crawl([server.url("/old-url.htm")], tmp_path, max_depth=0, **FAST)
    entry = read_index(tmp_path)[0]
    assert entry["status"] == 200 and entry["final_url"] == server.url("/kinh-doanh.htm")
    assert server.count("/old-url.htm") == 1 and server.count("/kinh-doanh.htm") == 1


def test_charsets_are_decoded_right(server, tmp_path):
    text = "Giá xăng tăng 1.200 đồng/lít, người dân Đắk Lắk lo lắng"
    meta_1258 = '<meta http-equiv="Content-Type" content="text/html; charset=windows-1258">'
    server.page("/cp1258.htm", encode_cp1258(f"<html><head>{meta_1258}</head><body><p>{text}</p></body></html>"),
                {"Content-Type": "text/html"})
    server.page("/latin1-header.htm", f'<html><head><meta charset="utf-8"></head><p>{text}</p>'.encode(),
                {"Content-Type": "text/html; charset=iso-8859-1"})
    server.page("/bom.htm", b"\xef\xbb\xbf" + f"<p>{text}</p>".encode(),
                {"Content-Type": "text/html; charset=windows-1258"})
    utf8 = f"<p>{text}</p>".encode()
    server.page("/one-bad-byte.htm", utf8[:10] + utf8[11:], {"Content-Type": "text/html; charset=utf-8"})
    seeds = [server.url(p) for p in ("/cp1258.htm", "/latin1-header.htm", "/bom.htm")]
    crawl(seeds + [server.url("/one-bad-byte.htm")], tmp_path, max_depth=0, **FAST)
    by_url = {e["url"]: e for e in read_index(tmp_path)}
    assert [by_url[u]["charset"] for u in seeds] == ["cp1258", "utf-8", "utf-8"]
    assert not any(by_url[u].get("charset_warning") for u in seeds)
    bad = by_url[server.url("/one-bad-byte.htm")]
    assert bad["charset"] == "utf-8" and "1 invalid UTF-8" in bad["charset_warning"]
    from pipeline.html.decode import decode_page
    for url in seeds:
        e = by_url[url]
        _, _, payload, headers = record_at(tmp_path, e["warc_file"], e["warc_offset"])
        assert headers.get_header("WARC-Chiso-Charset") == e["charset"]
        assert text in decode_page(payload, e["content_type"]).text


# --------------------------------------------------------------------------------------------------- politeness
def test_robots_crawl_delay_spaces_requests(server, tmp_path):
    server.page("/robots.txt", "User-agent: *\nCrawl-delay: 1\nDisallow: /private/\n", {"Content-Type": "text/plain"})
    seeds = [server.url(a.path) for a in server.site.articles[:3]]
    crawl(seeds, tmp_path, max_depth=0, **FAST)
    starts = sorted(t for t, _, path, _ in server.log if path != "/robots.txt")
    assert len(starts) == 3
    assert all(b - a >= 0.9 for a, b in zip(starts, starts[1:]))


def test_user_agent_and_no_robots(server, tmp_path):
    crawl([server.url("/private/noi-bo.htm")], tmp_path / "a", max_depth=0, **FAST)
    assert server.count("/private/noi-bo.htm") == 0
    ua = server.log[0][3]["User-Agent"]
    assert ua.startswith("chiso/0.1") and "research crawler" in ua
    import io
    log = io.StringIO()
    crawl([server.url("/private/noi-bo.htm")], tmp_path / "b", max_depth=0, obey_robots=False, log=log, **FAST)
    assert server.count("/private/noi-bo.htm") == 1 and "IGNORED" in log.getvalue()


# ------------------------------------------------------------------------------------------- resume and re-crawl
def test_resume_after_max_pages(server, tmp_path):
    first = crawl([server.url("/")], tmp_path, max_pages=7, **FAST)
    assert first.fetched == 7 and first.queued_left > 0
    second = crawl([server.url("/")], tmp_path, **FAST)
    assert second.queued_left == 0
    assert_each_once(server, server.site.crawlable_paths() - {"/robots.txt"})
    assert server.count("/robots.txt") == 2  # once per run
    urls = [e["url"] for e in read_index(tmp_path)]
    assert len(urls) == len(set(urls)) == len(server.site.crawlable_paths()) - 1


def test_resume_after_cancellation(server, tmp_path):
    for a in server.site.articles:
        server.fault(a.path, "slow", seconds=0.15)  # so that fetches are in flight when the crawl is cancelled

    async def cancelled_run():
        seen = []
        task = None

        def on_page(entry):
            seen.append(entry)
            if len(seen) == 6:
                task.cancel()

        task = asyncio.create_task(crawl_async([server.url("/")], tmp_path, on_page=on_page, **FAST))
        return await task

    summary = asyncio.run(cancelled_run())
    assert summary.interrupted and summary.queued_left > 0
    done_first = len(read_index(tmp_path))
    assert done_first >= 6  # pages in flight at the cancel were finished and kept
    crawl([server.url("/")], tmp_path, **FAST)
    assert_each_once(server, server.site.crawlable_paths() - {"/robots.txt"})
    entries = read_index(tmp_path)
    assert len(entries) == len({e["url"] for e in entries}) == len(server.site.crawlable_paths()) - 1
    for e in entries:  # everything written before the cancel is readable
        assert record_at(tmp_path, e["warc_file"], e["warc_offset"])[1] == e["final_url"]


def test_recrawl_uses_etags_and_gets_304(server, tmp_path):
    crawl([server.url("/")], tmp_path, **FAST)
    n_first = len(read_index(tmp_path))
    server.reset_counts()
    summary = crawl([server.url("/")], tmp_path, recrawl=True, **FAST)
    with_etag = [p for p, (_, h, _) in server.pages.items() if "ETag" in h and p in server.site.crawlable_paths()]
    # "/" has no validators: fetched in full, it has the same bytes, so its stored copy stays too
    assert summary.not_modified == len(with_etag) + 1 and summary.ok == 0
    for _, _, path, headers in server.log:
        if path in with_etag:
            assert headers.get("If-None-Match") == server.pages[path][1]["ETag"]
    assert_each_once(server, server.site.crawlable_paths())
    entries = read_index(tmp_path)[n_first:]
    for e in entries:
        if e.get("not_modified") and not e.get("duplicate_of"):
            _, uri, payload, _ = record_at(tmp_path, e["warc_file"], e["warc_offset"])  # the stored copy
            assert uri == e["final_url"]
            assert payload == server.pages[e["final_url"][len(server.base_url):]][2]
    stored = [e for e in entries if e.get("not_modified")]
    assert stored and all(e["warc_file"].endswith("00001.warc.gz") for e in stored)
    home = next(e for e in entries if e["url"] == server.url("/"))
    assert home["same_content"] and home["status"] == 200
    with open(next((tmp_path / "warc").glob("*00002.warc.gz")), "rb") as fh:
        second = [(r.rec_type, r.rec_headers.get_header("WARC-Target-URI")) for r in ArchiveIterator(fh)]
    assert ("revisit", server.url("/")) in second and ("response", server.url("/")) not in second


def test_recrawl_of_a_changed_page_reads_back_as_one_document(server, tmp_path):
    from pipeline.errors import ErrorLog
    from pipeline.readers import read_documents
    article = server.site.articles[0]
    _, headers, body = server.pages[article.path]
    seeds = [server.url(a.path) for a in server.site.articles[:3]]
    crawl(seeds, tmp_path, max_depth=0, **FAST)
    changed = body.replace(article.title.encode(), "Tin đã cập nhật".encode())
    server.page(article.path, changed, {**headers, "ETag": '"v2"'})
    summary = crawl(seeds, tmp_path, max_depth=0, recrawl=True, **FAST)
    assert summary.ok == 1 and summary.not_modified == 2  # the changed page is stored again
    assert len(list((tmp_path / "warc").glob("*.warc.gz"))) == 2
    errors = ErrorLog(stream=None)
    docs = list(read_documents([tmp_path / "warc"], errors))
    ids = [d.doc_id for d in docs]
    assert len(ids) == len(set(ids)) == 3 and len(errors) == 0
    latest = next(d for d in docs if d.meta["url"] == server.url(article.path))
    assert latest.text.startswith("Tin đã cập nhật") and latest.meta["warc_file"].endswith("chiso-00002.warc.gz")


def test_cli_crawl_and_help(server, tmp_path, capsys):
    from pipeline.cli import main
    with pytest.raises(SystemExit):
        main(["crawl", "--help"])
    help_text = capsys.readouterr().out
    assert "--max-pages" in help_text and "--max-per-host" in help_text and "--max-same-shape" in help_text
    assert "default 20" in help_text and "default 10000" in help_text
    code = main(["crawl", server.url("/"), "--out", str(tmp_path), "--delay", "0", "--per-host", "4",
                 "--site", "fixture", "--no-progress", "--max-pages", "5"])
    assert code == 0 and len(read_index(tmp_path)) == 5
    assert "still queued" in capsys.readouterr().err


def test_ctrl_c_stops_cleanly_and_the_next_run_resumes(server, tmp_path):
    import os
    import signal
    import subprocess
    import sys
    for a in server.site.articles:
        server.fault(a.path, "slow", seconds=0.2)
    cmd = [sys.executable, "-m", "pipeline.cli", "crawl", server.url("/"), "--out", str(tmp_path), "--delay", "0",
           "--site", "fixture", "--no-progress", "--per-host", "2"]
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parent.parent)}
    proc = subprocess.Popen(cmd, stderr=subprocess.PIPE, text=True, env=env)
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline and len(server.counts) < 8:
        time.sleep(0.05)
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=30)
    assert proc.returncode == 130, err
    assert "stopping" in err and "run the same command again to resume" in err
    kept = read_index(tmp_path)
    assert kept and all(record_at(tmp_path, e["warc_file"], e["warc_offset"])[1] == e["final_url"] for e in kept)
    assert len(kept) < len(server.site.crawlable_paths()) - 1
    proc = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert_each_once(server, server.site.crawlable_paths() - {"/robots.txt"})


def test_robots_redirect_is_followed(server, tmp_path):
    server.fault("/robots.txt", "redirect", location="/real-robots.txt", status=301)
    server.page("/real-robots.txt", "User-agent: *\nDisallow: /kinh-doanh\n", {"Content-Type": "text/plain"})
    crawl([server.url("/kinh-doanh.htm"), server.url("/xa-hoi.htm")], tmp_path / "a", max_depth=0, **FAST)
    assert server.count("/real-robots.txt") == 1
    assert server.count("/kinh-doanh.htm") == 0 and server.count("/xa-hoi.htm") == 1


def test_5xx_robots_keeps_urls_queued_and_a_later_run_fetches_them(server, tmp_path, capsys):
    from pipeline.cli import main
    server.fault("/robots.txt", "status", status=503)
    seeds = [server.url("/xa-hoi.htm"), server.url("/kinh-doanh.htm")]
    summary = crawl(seeds, tmp_path, max_depth=0, **{**FAST, "retries": 0})
    assert server.count("/xa-hoi.htm") == 0 and server.count("/kinh-doanh.htm") == 0  # disallowed for now
    assert summary.disallowed == 0 and summary.queued_left == 2
    assert summary.robots_waiting == {server.base_url: 2}
    report = summary.report()
    assert "HTTP 503" in report and "2 URLs wait in the queue" in report and "later" in report
    assert json.loads((tmp_path / "summary.json").read_text())["robots_waiting"] == {server.base_url: 2}
    # the CLI says so too, and exits 1: nothing was fetched
    assert main(["crawl", *seeds, "--out", str(tmp_path), "--no-progress", "--delay", "0", "--retries", "0",
                 "--site", "fixture"]) == 1
    assert "2 URLs wait in the queue" in capsys.readouterr().err
    del server.faults["/robots.txt"]  # the site is back
    summary = crawl(seeds, tmp_path, max_depth=0, **FAST)
    assert summary.ok == 2 and summary.queued_left == 0 and not summary.robots_waiting
    assert server.count("/xa-hoi.htm") == 1 and server.count("/kinh-doanh.htm") == 1


def test_unreachable_robots_is_asked_again_later_in_the_run(server, tmp_path):
    with FaultServer() as other:  # a second origin whose slow pages keep the crawl running meanwhile
        for a in other.site.articles[:4]:
            other.fault(a.path, "slow", seconds=0.2)
        server.fault("/robots.txt", "status", status=503, times=1)
        seeds = [server.url("/xa-hoi.htm")] + [other.url(a.path) for a in other.site.articles[:4]]
        summary = crawl(seeds, tmp_path, max_depth=0, hosts=("127.0.0.1",),
                        **{**FAST, "retries": 0, "per_host": 1, "robots_retry": 0.2})
    assert server.count("/robots.txt") == 2 and server.count("/xa-hoi.htm") == 1
    assert summary.ok == 5 and summary.queued_left == 0 and not summary.robots_waiting


def test_robots_refused_connection_keeps_urls_queued(tmp_path):
    import socket
    with socket.socket() as sock:  # a port nobody listens on: connection refused
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    summary = crawl([f"http://127.0.0.1:{port}/a.htm"], tmp_path, max_depth=0, **{**FAST, "retries": 0})
    assert summary.fetched == 0 and summary.disallowed == 0 and summary.failed == 0
    assert summary.robots_waiting == {f"http://127.0.0.1:{port}": 1}
    assert "connection error" in summary.report()


def test_huge_robots_txt_is_read_up_to_the_limit(server, tmp_path):
    from pipeline.crawl.robots import ROBOTS_MAX_BYTES
    filler = "# " + "x" * 78 + "\n"
    body = "User-agent: *\nDisallow: /kinh-doanh\n" + filler * (ROBOTS_MAX_BYTES // len(filler) + 10)
    server.page("/robots.txt", body + "Disallow: /xa-hoi\n", {"Content-Type": "text/plain"})
    summary = crawl([server.url("/kinh-doanh.htm"), server.url("/xa-hoi.htm")], tmp_path, max_depth=0, **FAST)
    assert server.count("/kinh-doanh.htm") == 0 and summary.disallowed == 1  # the rule in the first 500 KiB holds
    assert server.count("/xa-hoi.htm") == 1  # the one past the limit is ignored (RFC 9309, section 2.5)
    assert not summary.robots_waiting


def test_a_url_disallowed_once_is_checked_again_by_the_next_run(server, tmp_path):
    server.page("/robots.txt", "User-agent: *\nDisallow: /xa-hoi\n", {"Content-Type": "text/plain"})
    first = crawl([server.url("/xa-hoi.htm")], tmp_path, max_depth=0, **FAST)
    assert first.disallowed == 1 and server.count("/xa-hoi.htm") == 0
    server.page("/robots.txt", "User-agent: *\nDisallow: /private/\n", {"Content-Type": "text/plain"})
    second = crawl([server.url("/xa-hoi.htm")], tmp_path, max_depth=0, **FAST)
    assert second.ok == 1 and server.count("/xa-hoi.htm") == 1
    crawl([server.url("/private/noi-bo.htm")], tmp_path / "b", max_depth=0, **FAST)
    crawl([server.url("/private/noi-bo.htm")], tmp_path / "b", max_depth=0, obey_robots=False, **FAST)
    assert server.count("/private/noi-bo.htm") == 1  # --no-robots on a directory that had it disallowed


def test_last_modified_recrawl_and_http_errors_in_index(server, tmp_path):
    body = server.pages["/xa-hoi.htm"][2]
    server.page("/lm.htm", body, {"Content-Type": "text/html; charset=utf-8",
                                  "Last-Modified": "Mon, 06 May 2024 07:08:09 GMT"})
    seeds = [server.url("/lm.htm"), server.url("/khong-co.htm")]
    crawl(seeds, tmp_path, max_depth=0, **FAST)
    summary = crawl(seeds, tmp_path, max_depth=0, recrawl=True, **FAST)
    assert summary.not_modified == 1 and server.count("/lm.htm") == 2
    first, second = [h for _, _, path, h in server.log if path == "/lm.htm"]
    assert "If-Modified-Since" not in first
    assert second["If-Modified-Since"] == "Mon, 06 May 2024 07:08:09 GMT"
    assert server.count("/khong-co.htm") == 1  # a 404 is final: not retried, not re-crawled
    missing = [e for e in read_index(tmp_path) if e["url"].endswith("/khong-co.htm")]
    assert len(missing) == 1 and missing[0]["status"] == 404 and missing[0]["error"] == "HTTP 404"


def test_per_host_limit_holds_with_higher_concurrency(server, tmp_path):
    for a in server.site.articles:
        server.fault(a.path, "slow", seconds=0.1)
    crawl([server.url(a.path) for a in server.site.articles], tmp_path, max_depth=0,
          **{**FAST, "concurrency": 8, "per_host": 2})
    assert_each_once(server, [a.path for a in server.site.articles])
    assert 1 <= server.max_inflight <= 2
