"""Unit tests of the crawler's pure parts: URLs, scope rules, charset, Retry-After, robots, links, fixture site."""
from __future__ import annotations

import gzip
import unicodedata
from datetime import datetime, timedelta, timezone
from email.utils import format_datetime

import pytest

from fixture_site import build_site, encode_cp1258
from pipeline.crawl.fetch import BodyTooLarge, _Decoder, backoff_delay, retry_after_seconds
from pipeline.crawl.links import html_links, maybe_gunzip, xml_links
from pipeline.crawl.robots import parse_robots
from pipeline.crawl.scope import Scope, load_site_rules
from pipeline.crawl.urls import canonicalize
from pipeline.html.decode import UndecodableError, decode_html, decode_page

STRIP = ("utm_*", "fbclid")


# ----------------------------------------------------------------------------------------------------------- urls
@pytest.mark.parametrize("raw, expected", [
    ("HTTP://VnExpress.NET:80/a/../kinh-doanh/./x.html#comments", "http://vnexpress.net/kinh-doanh/x.html"),
    ("https://dantri.com.vn:443/?b=2&a=1&utm_source=fb&fbclid=XYZ", "https://dantri.com.vn/?a=1&b=2"),
    ("https://x.vn/tìm kiếm?q=giá vàng", "https://x.vn/t%C3%ACm%20ki%E1%BA%BFm?q=gi%C3%A1+v%C3%A0ng"),
    ("http://127.0.0.1:8080/p%41th/", "http://127.0.0.1:8080/pAth/"),
    ("mailto:toasoan@dantri.com.vn", None),
    ("javascript:void(0)", None),
    ("http:///nohost", None),
    # RFC 3986: percent-encoded dots are dots, decoded before dot segments are removed
    ("http://x.vn/%2e%2e/x", "http://x.vn/x"),
    ("http://x.vn/a/%2E%2E/b", "http://x.vn/b"),
    ("http://x.vn/a/.%2e/b/%2e/c", "http://x.vn/b/c"),
    ("http://x.vn/a/b/..", "http://x.vn/a/"),
    ("http://x.vn/%7euser/t%c3%acm", "http://x.vn/~user/t%C3%ACm"),
    ("http://x.vn/a%2fb/50%", "http://x.vn/a%2Fb/50%25"),  # an encoded slash is not a separator
    ("http://x.vn/%E1p", "http://x.vn/%E1p"),  # not UTF-8: kept as it is, not replaced
])
def test_canonicalize(raw, expected):
    assert canonicalize(raw, STRIP) == expected


def test_canonicalize_is_idempotent():
    for raw in ("https://X.vn/a b/?z=1&a=%20#f", "http://x.vn:8080//a//b/../c?utm_medium=x"):
        once = canonicalize(raw, STRIP)
        assert canonicalize(once, STRIP) == once


# ---------------------------------------------------------------------------------------------------------- scope
def test_site_rules_cover_the_main_vietnamese_sites():
    default, sites, strip = load_site_rules()
    names = {s.name for s in sites}
    assert {"vnexpress.net", "dantri.com.vn", "tuoitre.vn", "thanhnien.vn", "vietnamnet.vn", "baodaklak.vn"} <= names
    assert "utm_*" in strip and default.exclude


def test_scope_hosts_patterns_and_articles():
    scope = Scope.build(["https://dantri.com.vn/kinh-doanh.htm"], deny=["/the-thao/"])
    art = "https://dantri.com.vn/kinh-doanh/vinamilk-lot-top-1000-20201001163534963.htm"
    assert scope.why_out(art) is None and scope.is_article(art)
    assert not scope.is_article("https://dantri.com.vn/kinh-doanh.htm")
    assert scope.why_out("https://m.dantri.com.vn/xa-hoi.htm") is None  # subdomain of a seed host
    assert "not in scope" in scope.why_out("https://vnexpress.net/x-4954454.html")
    assert "--deny" in scope.why_out("https://dantri.com.vn/the-thao/a.htm")
    assert "excluded" in scope.why_out("https://dantri.com.vn/video/clip-1.htm")
    assert "excluded" in scope.why_out("https://dantri.com.vn/anh/a.jpg")


def test_scope_forced_site_and_unknown_site():
    scope = Scope.build(["https://example.org/"], site="vnexpress.net")
    assert scope.why_out("https://vnexpress.net/kinh-doanh") is None
    assert scope.is_article("https://vnexpress.net/gia-vang-4954454.html")
    with pytest.raises(ValueError, match="unknown site"):
        Scope.build(["https://example.org/"], site="no-such-site")


def test_scope_allow_patterns_restrict():
    scope = Scope.build(["https://tuoitre.vn/"], allow=[r"/kinh-te"])
    assert scope.why_out("https://tuoitre.vn/kinh-te/a-20240506123456789.htm") is None
    assert "include" in scope.why_out("https://tuoitre.vn/the-thao/a.htm")


# -------------------------------------------------------------------------------------------------------- charset
TEXT = "Giá vàng tăng mạnh ở Đắk Lắk, Nguyễn Văn Ước nói: lợi nhuận 12,5%"


def test_charset_windows_1258_from_meta():
    page = f'<html><head><meta http-equiv="Content-Type" content="text/html; charset=windows-1258"></head>' \
           f"<body>{TEXT}</body></html>"
    d = decode_page(encode_cp1258(page), "text/html")
    assert (d.charset, d.source) == ("cp1258", "meta")
    assert TEXT in d.text  # NFC: precomposed letters, as in UTF-8 sources


def test_charset_header_beats_meta_and_bom_beats_header():
    page = f'<meta charset="utf-8"><p>{TEXT}</p>'
    d = decode_page(encode_cp1258(page), "text/html; charset=windows-1258")
    assert d.source == "header" and TEXT in d.text
    d = decode_page(b"\xef\xbb\xbf" + page.encode(), "text/html; charset=windows-1258")
    assert (d.charset, d.source) == ("utf-8", "bom") and TEXT in d.text


def test_charset_wrong_latin1_header_on_utf8_page():
    d = decode_page(f'<meta charset="utf-8"><p>{TEXT}</p>'.encode(), "text/html; charset=ISO-8859-1")
    assert d.charset == "utf-8" and TEXT in d.text and "wrong" in d.source


def test_charset_undeclared_utf8_and_unknown_label():
    assert decode_page(TEXT.encode(), None).text == TEXT
    assert decode_page(TEXT.encode(), "text/html; charset=bogus-charset").charset == "utf-8"


def test_latin1_header_yields_to_a_meta_charset_that_fits():
    page = f'<meta charset="windows-1258"><p>{TEXT}</p>'
    d = decode_page(encode_cp1258(page), "text/html; charset=ISO-8859-1")
    assert (d.charset, d.source) == ("cp1258", "meta") and TEXT in d.text
    latin = "<p>café crème</p>".encode("latin-1")
    assert decode_page(latin, "text/html; charset=iso-8859-1").text == "<p>café crème</p>"


def test_chosen_charset_beats_header_but_not_bom():
    page = encode_cp1258(f"<p>{TEXT}</p>")
    d = decode_page(page, "text/html; charset=utf-8", chosen_charset="cp1258")
    assert (d.charset, d.source) == ("cp1258", "warc") and TEXT in d.text
    d = decode_page(b"\xef\xbb\xbf" + TEXT.encode(), None, chosen_charset="cp1258")
    assert (d.source, d.text) == ("bom", TEXT)


def test_strict_decode_refuses_what_the_lenient_one_guesses():
    garbage = bytes(range(128, 256)) * 40 + b"\x00\x01\x02" * 50
    assert decode_page(garbage).source == "fallback"  # the crawler still gets text for link discovery
    with pytest.raises(UndecodableError):
        decode_html(garbage)
    broken_bom = b"\xef\xbb\xbf" + encode_cp1258(TEXT)  # says UTF-8, is not: refused, not repaired
    assert not decode_page(broken_bom).exact
    with pytest.raises(UndecodableError, match="not utf-8"):
        decode_html(broken_bom)
    nearly = b"\xef\xbb\xbf" + TEXT.encode() + b"\xff"  # UTF-8 but for one stray byte: repaired
    assert decode_page(nearly).repaired and decode_html(nearly) == TEXT + "\ufffd"


def test_charset_one_truncated_utf8_sequence_keeps_the_page_utf8():
    page = f'<meta charset="utf-8"><p>{TEXT}</p>'.encode()
    cut = page.index("Đắk".encode()) + 1  # drop the second byte of "Đ": a truncated sequence
    broken = page[:cut] + page[cut + 1:]
    for content_type in ("text/html; charset=utf-8", "text/html"):
        d = decode_page(broken, content_type)
        assert (d.charset, d.exact, d.repaired) == ("utf-8", False, True)
        assert "1 invalid UTF-8" in d.warning
        assert d.text.count("\ufffd") == 1 and "ắk Lắk, Nguyễn Văn Ước" in d.text
    warnings = []
    assert "Nguyễn Văn Ước" in decode_html(broken, "utf-8", on_warning=warnings.append)
    assert len(warnings) == 1 and "U+FFFD" in warnings[0]
    with pytest.raises(UndecodableError):  # declared UTF-8 but really another charset: refused, not repaired
        decode_html(b"\xef\xbb\xbf" + encode_cp1258(f"<p>{TEXT}</p>"))


@pytest.mark.parametrize("text", ["Sáng nay 23/4, Ngân hàng TMCP Tiên Phong", "Người dân Đắk Lắk",
                                  "Giá xăng tăng", TEXT])
def test_charset_undeclared_windows_1258_is_tried_first(text):
    d = decode_page(encode_cp1258(f"<html><body><p>{text}</p></body></html>"), "text/html")
    assert d.charset == "cp1258" and text in d.text


@pytest.mark.parametrize("label", ["windows-1251", "koi8-r", "iso-8859-15", "unicode_escape", "windows-1258"])
def test_charset_valid_utf8_beats_any_declaration(label):
    page = f'<html><head><meta charset="{label}"></head><p>{TEXT}</p></html>'.encode()
    for d in (decode_page(page, "text/html"), decode_page(page, f"text/html; charset={label}")):
        assert d.charset == "utf-8" and TEXT in d.text and "wrong" in d.source


@pytest.mark.parametrize("label", ["unicode_escape", "raw_unicode_escape", "utf-7", "punycode", "base64", "rot13",
                                   "cp037"])
def test_charset_only_real_text_encodings_are_accepted(label):
    page = f'<meta charset="{label}"><p>caf\\u00e9 +AGEAYgBj- Z2Fy</p>'.encode()
    d = decode_page(page, f"text/html; charset={label}")
    assert d.charset in ("utf-8", "ascii") and d.text == page.decode("ascii")


@pytest.mark.parametrize("codec, text", [("cp1251", "Съешь же ещё этих мягких французских булок, да выпей чаю"),
                                         ("cp1250", "Příliš žluťoučký kůň úpěl ďábelské ódy, zažółć gęślą jaźń")])
def test_charset_other_legacy_pages_are_still_detected(codec, text):
    d = decode_page(f"<p>{text}</p>".encode(codec), "text/html")
    assert text in d.text and d.charset != "cp1258"


@pytest.mark.parametrize("text", ["Việt Nam phát triển",
                                  "ậ ặ ệ ộ ợ ự ỵ Ậ Ặ Ệ Ộ Ợ Ự Ỵ ẫ ẵ ễ ỗ ỡ ữ ỹ ầ ằ ề ồ ờ ừ ỳ ẩ ẳ ể ổ ở ử ỷ đ Đ"])
def test_encode_cp1258_round_trips_stacked_marks(text):
    data = encode_cp1258(text)
    assert unicodedata.normalize("NFC", data.decode("windows-1258")) == text
    assert decode_page(data, "text/html; charset=windows-1258").text == text


# ------------------------------------------------------------------------------------------------- retries, body
def test_retry_after_seconds_and_http_date():
    now = datetime(2024, 5, 6, 7, 8, 9, tzinfo=timezone.utc)
    assert retry_after_seconds("3") == 3.0
    assert retry_after_seconds(format_datetime(now + timedelta(seconds=90), usegmt=True), now) == 90.0
    assert retry_after_seconds(format_datetime(now - timedelta(seconds=5), usegmt=True), now) == 0.0
    assert retry_after_seconds("soon") is None and retry_after_seconds(None) is None


def test_backoff_grows_and_is_capped():
    import random
    rng = random.Random(1)
    delays = [backoff_delay(a, 1.0, 8.0, rng) for a in range(1, 8)]
    assert 0.5 <= delays[0] <= 1.0 and 2.0 <= delays[2] <= 4.0
    assert all(d <= 8.0 for d in delays) and delays[-1] >= 4.0


def test_decoder_caps_decompressed_size():
    bomb = gzip.compress(b"\0" * 5_000_000)
    dec = _Decoder("gzip", 100_000)
    with pytest.raises(BodyTooLarge):
        dec.feed(bomb)
    assert len(dec.out) <= 100_001  # never inflated beyond the cap
    ok = _Decoder("gzip", 100_000)
    ok.feed(gzip.compress(TEXT.encode()))
    assert ok.finish() == TEXT.encode()


# --------------------------------------------------------------------------------------------------------- robots
def test_robots_rules_and_crawl_delay_for_our_agent():
    rp = parse_robots("User-agent: *\nDisallow: /private/\nCrawl-delay: 2\n\nUser-agent: badbot\nDisallow: /\n")
    ua = "chiso/0.1 (+research crawler)"
    assert rp.can_fetch(ua, "https://x.vn/kinh-doanh.htm")
    assert not rp.can_fetch(ua, "https://x.vn/private/a.htm")
    assert rp.crawl_delay(ua) == 2


# ---------------------------------------------------------------------------------------------------------- links
def test_html_links_resolve_and_skip_non_links():
    page = ('<html><head><base href="https://x.vn/tin/"><link rel="stylesheet" href="/s.css">'
            '<link rel="next" href="trang-2.htm"></head><body><a href="a.htm#c">A</a> <a href="mailto:x@y">M</a>'
            '<a href="/b.htm" rel="nofollow">B</a><a href="https://y.vn/c">C</a></body></html>')
    assert html_links(page, "https://x.vn/") == ["https://x.vn/tin/trang-2.htm", "https://x.vn/tin/a.htm#c",
                                                 "https://y.vn/c"]
    assert html_links('<meta name="robots" content="noindex, nofollow"><a href="/a">a</a>', "https://x.vn/") == []


def test_sitemap_index_gz_sitemap_and_feeds():
    site = build_site("http://fixture.test")
    kind, urls = xml_links(site.pages["/sitemap.xml"][2], site.base_url)
    assert kind == "sitemapindex" and urls[0].endswith("/sitemaps/news-1.xml.gz")
    kind, urls = xml_links(maybe_gunzip(site.pages["/sitemaps/news-1.xml.gz"][2], 10**6), site.base_url)
    assert kind == "urlset" and urls[0] == site.url(site.articles[0].path)
    kind, urls = xml_links(site.pages["/rss/tin-moi-nhat.rss"][2], site.base_url)
    assert kind == "feed" and urls == [site.url(a.path) for a in site.articles]
    atom = (b'<feed xmlns="http://www.w3.org/2005/Atom"><entry><link rel="alternate" href="https://x.vn/a.htm"/>'
            b'</entry></feed>')
    assert xml_links(atom, "https://x.vn/") == ("feed", ["https://x.vn/a.htm"])
    assert xml_links(b"<html><body>hi</body></html>", "https://x.vn/") is None


def test_xml_parser_does_not_expand_entities():
    evil = (b'<?xml version="1.0"?><!DOCTYPE u [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
            b'<urlset><url><loc>https://x.vn/&x;</loc></url></urlset>')
    result = xml_links(evil, "https://x.vn/")
    assert result is None or all("root:" not in u for u in result[1])


# ---------------------------------------------------------------------------------------------------- fixture site
def test_fixture_site_articles_are_in_their_pages():
    import html as htmlmod
    site = build_site()
    assert len(site.articles) >= 10
    assert {a.template for a in site.articles} == {"dantri", "vnexpress"}
    for a in site.articles:
        status, headers, body = site.pages[a.path]
        page = htmlmod.unescape(body.decode("utf-8"))
        assert status == 200 and "ETag" in headers
        assert a.text == "\n".join((a.title, a.lead, *a.paragraphs))
        assert all(p in page for p in (a.title, a.lead, *a.paragraphs))
        assert "lượt xem" in page and ("Bình luận" in page or "Ý kiến" in page)  # boilerplate is there too


def test_fixture_site_is_deterministic():
    assert build_site("http://a").pages == build_site("http://a").pages


from hypothesis import given, settings, strategies as st  # noqa: E402

URL_PART = st.text(alphabet=st.sampled_from(list("abcXYZ019-._~%/?&=#:@ ăđê")), max_size=30)


@settings(max_examples=200, deadline=None)
@given(host=st.sampled_from(["Dantri.com.vn", "vnexpress.net:443", "127.0.0.1:8080", "x.vn:80"]),
       scheme=st.sampled_from(["http", "https", "HTTPS"]), rest=URL_PART)
def test_canonicalize_idempotent_property(host, scheme, rest):
    once = canonicalize(f"{scheme}://{host}/{rest}", STRIP)
    if once is not None:
        assert canonicalize(once, STRIP) == once
        assert "#" not in once and "utm_" not in once


def test_cli_needs_seeds_and_reads_url_files(tmp_path, capsys):
    from pipeline.cli import main
    assert main(["crawl", "--out", str(tmp_path)]) == 2
    assert "no seeds" in capsys.readouterr().err
    urls = tmp_path / "urls.txt"
    urls.write_text("# comment\n\nhttp://127.0.0.1:9/a\n", encoding="utf-8")
    from pipeline.crawl import read_urls_file
    assert read_urls_file(urls) == ["http://127.0.0.1:9/a"]
    assert main(["crawl", "--out", str(tmp_path / "o"), "--site", "nope", "http://127.0.0.1:9/"]) == 2
    assert "unknown site" in capsys.readouterr().err


def test_fractional_crawl_delay_and_agent_groups():
    from pipeline.crawl.robots import fractional_crawl_delay
    text = "User-agent: *\nCrawl-delay: 0.5 # half a second\n\nUser-agent: googlebot\nUser-agent: chiso\nCrawl-delay: 3\n"
    assert fractional_crawl_delay(text, "chiso/0.1 (+research crawler)") == 3.0
    assert fractional_crawl_delay(text, "otherbot/1.0") == 0.5
    assert fractional_crawl_delay("User-agent: *\nDisallow: /x\n", "chiso/0.1") is None


def test_robots_cache_follows_rfc9309_for_failed_fetches():
    import asyncio
    from pipeline.crawl.robots import ALLOW, MAX_TRIES_PER_RUN, WAIT, RobotsCache
    answers = {"http://a.vn": [(404, "", None)], "http://b.vn": [(None, "", "timeout")] * 5}
    calls = []
    now = [0.0]

    async def fetch(url):
        origin = url[: -len("/robots.txt")]
        calls.append(origin)
        return answers[origin].pop(0)

    async def run():
        cache = RobotsCache("chiso/0.1", fetch, retry_delay=10.0, clock=lambda: now[0])
        assert await cache.verdict("http://a.vn/x") == ALLOW  # 4xx: unavailable, everything allowed
        assert await cache.verdict("http://b.vn/x") == WAIT  # unreachable: disallowed for now
        assert cache.deferred() == {"http://b.vn"}
        assert await cache.verdict("http://b.vn/y") == WAIT and calls.count("http://b.vn") == 1  # not yet due
        for _ in range(MAX_TRIES_PER_RUN + 2):
            now[0] += 1000.0
            assert await cache.verdict("http://b.vn/x") == WAIT
        assert calls.count("http://b.vn") == MAX_TRIES_PER_RUN  # bounded within a run
        assert "timeout" in cache.unreachable()["http://b.vn"].note

    asyncio.run(run())


def test_trap_checks_on_urls_and_link_chains():
    from pipeline.crawl.traps import TrapLimits, same_shape_run, static_trap, url_shape
    assert url_shape("https://x.vn/lich/2024/05?d=1&m=2") == url_shape("https://x.vn/lich/1999/12?m=7&d=30")
    assert url_shape("https://x.vn/a-123.htm") != url_shape("https://x.vn/b-123.htm")  # slugs keep articles apart
    limits = TrapLimits()
    assert static_trap("https://x.vn/kinh-doanh/2024/05/05/a.htm", limits) is None
    assert "repeated" in static_trap("https://x.vn/a/b/a/b/a/b/a/b/", limits)
    assert "segments" in static_trap("https://x.vn/" + "/".join(f"s{i}" for i in range(25)), limits)
    assert "longer" in static_trap("https://x.vn/?q=" + "x" * 2100, limits)
    parents = {f"https://x.vn/lich/{m}": f"https://x.vn/lich/{m - 1}" for m in range(2, 30)}
    parents["https://x.vn/lich/1"] = "https://x.vn/"
    assert same_shape_run("https://x.vn/lich/5", parents.get, 10) == 4
    assert same_shape_run("https://x.vn/lich/29", parents.get, 10) == 11  # stops counting past the limit
