"""Reading articles out of WARC files written here with warcio: good pages, a 404, a binary, broken data."""
from __future__ import annotations

import gzip
import hashlib
import io
from pathlib import Path

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from fixture_site import encode_cp1258

from pipeline.errors import ErrorLog
from pipeline.read_warc import doc_id_for_url, iter_warc

SENTENCE = ("Năm 2023, sản lượng điện thương phẩm của tỉnh đạt 1.250 triệu kWh, tăng 8,5% so với năm trước, "
            "trong đó điện cho sản xuất công nghiệp chiếm 45%.")


def article_page(title: str, n: int, charset: str = "utf-8") -> str:
    """A small news page of an unknown site with JSON-LD article markup."""
    paragraphs = "".join(f"<p>{SENTENCE} Đoạn số {i}.</p>" for i in range(n))
    return (f'<html><head><meta charset="{charset}"><title>{title}</title>'
            '<script type="application/ld+json">{"@type": "NewsArticle", "datePublished": "2024-03-05T09:00:00+07:00"}'
            f"</script></head><body><nav><a href='/'>Trang chủ</a></nav><div class='article'><h1>{title}</h1>"
            f"{paragraphs}</div><div class='comment-list'><p>Bình luận (4)</p></div></body></html>")


def _response(writer: WARCWriter, url: str, body: bytes, status: str = "200 OK",
              content_type: str = "text/html; charset=utf-8", chosen_charset: str | None = None) -> None:
    """Write one HTTP response record; `chosen_charset` goes in WARC-Chiso-Charset as our crawler writes it."""
    headers = StatusAndHeaders(status, [("Content-Type", content_type), ("Content-Length", str(len(body)))],
                               protocol="HTTP/1.1")
    warc_headers = {"WARC-Chiso-Charset": chosen_charset} if chosen_charset else None
    record = writer.create_warc_record(url, "response", payload=io.BytesIO(body), http_headers=headers,
                                       warc_headers_dict=warc_headers)
    writer.write_record(record)


def write_warc(path: Path, gz: bool = True) -> list[str]:
    """A WARC with 2 articles, a 404, a PNG, a request, a listing and an undecodable page; returns article URLs."""
    good = ["https://tin.example.vn/kinh-te/dien-1.html", "https://tin.example.vn/kinh-te/dien-2.html"]
    with path.open("wb") as fh:
        writer = WARCWriter(fh, gzip=gz)
        writer.write_record(writer.create_warcinfo_record(path.name, {"software": "test"}))
        _response(writer, good[0], article_page("Điện thương phẩm tăng 8,5%", 4).encode("utf-8"))
        _response(writer, "https://tin.example.vn/khong-co.html", article_page("Không tìm thấy", 4).encode(),
                  status="404 Not Found")
        _response(writer, "https://tin.example.vn/anh.png", b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8,
                  content_type="image/png")
        request = writer.create_warc_record("https://tin.example.vn/kinh-te/dien-1.html", "request",
                                            payload=io.BytesIO(b"GET /kinh-te/dien-1.html HTTP/1.1\r\n\r\n"))
        writer.write_record(request)
        _response(writer, "https://tin.example.vn/", "<html><body><p>Trang chủ</p></body></html>".encode())
        _response(writer, "https://tin.example.vn/hong.html", bytes(range(128, 256)) * 40 + b"\x00\x01" * 80,
                  content_type="text/html")
        _response(writer, good[1], encode_cp1258(article_page("Điện cho sản xuất", 5, "windows-1258")),
                  content_type="text/html")
    return good


def test_warc_gz_yields_articles_and_skips_the_rest(tmp_path):
    path = tmp_path / "crawl.warc.gz"
    good = write_warc(path)
    errors = ErrorLog(stream=None)
    docs = list(iter_warc(path, errors))
    assert [d.meta["url"] for d in docs] == good
    assert [d.doc_id for d in docs] == [hashlib.sha1(u.encode()).hexdigest()[:16] for u in good]
    assert docs[0].text.startswith("Điện thương phẩm tăng 8,5%\n" + SENTENCE)
    assert "Bình luận" not in docs[0].text and "Trang chủ" not in docs[0].text
    assert docs[0].meta["published"] == "2024-03-05"  # the page says 2024-03-05T09:00:00+07:00
    assert docs[1].text.split("\n")[0] == "Điện cho sản xuất"  # decoded from windows-1258, NFC
    assert docs[0].meta["warc_file"] == str(path) and docs[0].meta["source"].startswith(f"{path}#")
    assert docs[0].meta["warc_offset"] < docs[1].meta["warc_offset"]
    # Only the undecodable HTML page is an error; 404, PNG, request and the short home page are silent.
    assert len(errors) == 1
    assert errors.skipped[0].location.startswith(f"{path}#") and "decode" in errors.skipped[0].reason


def test_utf8_page_under_a_latin1_header_is_not_garbled(tmp_path):
    path = tmp_path / "latin1.warc.gz"
    with path.open("wb") as fh:
        _response(WARCWriter(fh, gzip=True), "https://tin.example.vn/a.html",
                  article_page("Điện thương phẩm tăng 8,5%", 4).encode("utf-8"),
                  content_type="text/html; charset=iso-8859-1")
    errors = ErrorLog(stream=None)
    docs = list(iter_warc(path, errors))
    assert len(docs) == 1 and len(errors) == 0
    assert docs[0].text.startswith("Điện thương phẩm tăng 8,5%\n" + SENTENCE)


def test_chiso_charset_header_is_honoured(tmp_path):
    # windows-1258 bytes, no <meta>, an HTTP header that names a wrong charset: the crawler's record decides.
    body = encode_cp1258(article_page("Điện cho sản xuất", 5).replace('<meta charset="utf-8">', ""))
    titles = {}
    for chosen in ("cp1258", None):
        path = tmp_path / f"chosen-{chosen}.warc"
        with path.open("wb") as fh:
            _response(WARCWriter(fh, gzip=False), "https://tin.example.vn/b.html", body,
                      content_type="text/html; charset=iso-8859-2", chosen_charset=chosen)
        titles[chosen] = [d.text.split("\n")[0] for d in iter_warc(path, ErrorLog(stream=None))]
    assert titles["cp1258"] == ["Điện cho sản xuất"]
    assert titles[None] != ["Điện cho sản xuất"]  # without it the header's charset garbles the page


def test_utf8_page_with_one_bad_byte_is_read_with_a_warning(tmp_path):
    page = article_page("Điện thương phẩm tăng 8,5%", 4).encode("utf-8")
    cut = page.index("sản".encode()) + 1
    path = tmp_path / "bad-byte.warc.gz"
    with path.open("wb") as fh:
        _response(WARCWriter(fh, gzip=True), "https://tin.example.vn/a.html", page[:cut] + page[cut + 1:],
                  content_type="text/html; charset=utf-8")
    errors = ErrorLog(stream=None)
    docs = list(iter_warc(path, errors))
    assert len(docs) == 1 and len(errors) == 0
    assert docs[0].text.startswith("Điện thương phẩm tăng 8,5%\n") and "Đoạn số 3." in docs[0].text
    assert len(errors.warnings) == 1 and errors.warnings[0].location.startswith(f"{path}#")
    assert "U+FFFD" in errors.warnings[0].reason


def test_plain_warc_reads_the_same(tmp_path):
    path = tmp_path / "crawl.warc"
    good = write_warc(path, gz=False)
    assert [d.meta["url"] for d in iter_warc(path, ErrorLog(stream=None))] == good


def test_doc_id_is_stable():
    assert doc_id_for_url("https://a.vn/x") == doc_id_for_url("https://a.vn/x") != doc_id_for_url("https://a.vn/y")
    assert len(doc_id_for_url("https://a.vn/x")) == 16


@pytest.mark.parametrize("gz", [True, False])
@pytest.mark.parametrize("keep", [0.5, 0.95])
def test_truncated_warc_reports_and_stops_without_raising(tmp_path, gz, keep):
    whole = tmp_path / "whole.warc"
    good = write_warc(whole, gz=gz)
    data = whole.read_bytes()
    cut = tmp_path / "cut.warc"
    cut.write_bytes(data[: int(len(data) * keep)])  # a record (the last one at 95%) is cut short
    errors = ErrorLog(stream=None)
    docs = list(iter_warc(cut, errors))
    assert [d.meta["url"] for d in docs] == good[:1]  # the first article survives, the cut one does not
    assert errors.skipped[-1].reason.startswith("corrupt or truncated WARC")


def test_garbage_tail_after_good_records(tmp_path):
    path = tmp_path / "tail.warc.gz"
    write_warc(path)
    with path.open("ab") as fh:
        fh.write(gzip.compress(b"this is not a WARC record\r\n\r\n") + b"\x00garbage" * 20)
    errors = ErrorLog(stream=None)
    docs = list(iter_warc(path, errors))
    assert len(docs) == 2
    assert errors.skipped[-1].reason.startswith("corrupt or truncated WARC")


def test_not_a_warc_at_all(tmp_path):
    path = tmp_path / "fake.warc"
    path.write_bytes(b"hello, this is just text\n" * 10)
    errors = ErrorLog(stream=None)
    assert list(iter_warc(path, errors)) == []
    assert len(errors) == 1 and errors.skipped[0].location == f"{path}#0"


@pytest.mark.parametrize("gz", [True, False])
def test_reader_dispatch_reads_warc(tmp_path, gz):
    readers = pytest.importorskip("pipeline.readers")
    path = tmp_path / ("crawl.warc.gz" if gz else "crawl.warc")
    good = write_warc(path, gz=gz)
    errors = ErrorLog(stream=None)
    docs = list(readers.read_file(path, errors))
    assert [d.meta["url"] for d in docs] == good
    assert len(errors) == 1


def test_page_above_the_size_limit_is_skipped_without_being_held(tmp_path):
    # An HTTP gzip body inside a gzipped WARC: 120 MB of page from a few kilobytes (a decompression bomb).
    import zlib

    from pipeline.readers import ReadOptions

    packer = zlib.compressobj(1, zlib.DEFLATED, 31)  # gzip framing, fed in chunks to keep this test small
    bomb = packer.compress(b"<html><body><p>") + b"".join(packer.compress(b"a" * 1_000_000) for _ in range(120))
    bomb += packer.compress(b"</p></body></html>") + packer.flush()
    path = tmp_path / "bomb.warc.gz"
    with path.open("wb") as fh:
        writer = WARCWriter(fh, gzip=True)
        headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8"),
                                              ("Content-Encoding", "gzip"), ("Content-Length", str(len(bomb)))],
                                   protocol="HTTP/1.1")
        writer.write_record(writer.create_warc_record("https://tin.example.vn/bom.html", "response",
                                                      payload=io.BytesIO(bomb), http_headers=headers))
        _response(writer, "https://tin.example.vn/kinh-te/dien-1.html", article_page("Điện tăng", 4).encode())
    errors = ErrorLog(stream=None)
    docs = []
    import tracemalloc

    tracemalloc.start()
    try:
        docs.extend(iter_warc(path, errors, ReadOptions(max_doc_bytes=1_000_000)))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert [d.meta["url"] for d in docs] == ["https://tin.example.vn/kinh-te/dien-1.html"]
    assert len(errors) == 1 and "larger than 1,000,000 bytes" in errors.skipped[0].reason
    assert errors.skipped[0].location.startswith(f"{path}#")
    # warcio inflates a 16 KB block at a time (at most ~17 MB): bounded, far below the page's 120 MB.
    assert peak < 80_000_000


@pytest.mark.parametrize("gz", [True, False])
def test_garbage_after_the_first_line_is_reported(tmp_path, gz):
    data = b"WARC/1.0\r\nthis is not a header\x00\x01\nnor this\n" + bytes(range(256)) * 4
    path = tmp_path / ("junk.warc.gz" if gz else "junk.warc")
    path.write_bytes(gzip.compress(data) if gz else data)
    errors = ErrorLog(stream=None)
    assert list(iter_warc(path, errors)) == []
    assert len(errors) == 1 and errors.skipped[0].reason.startswith("corrupt WARC")


def test_malformed_record_headers_do_not_stop_the_run(tmp_path):
    # A response without WARC-Target-URI makes warcio raise AttributeError: a located skip, not a crash.
    path = tmp_path / "nouri.warc"
    path.write_bytes(b"WARC/1.0\r\nWARC-Type: response\r\nContent-Length: 5\r\n\r\nhello\r\n\r\n")
    errors = ErrorLog(stream=None)
    assert list(iter_warc(path, errors)) == []
    assert len(errors) == 1 and errors.skipped[0].location == f"{path}#0"


@pytest.mark.parametrize("gz", [True, False])
def test_header_line_above_the_size_limit_stops_the_file(tmp_path, gz):
    from pipeline.readers import ReadOptions

    path = tmp_path / ("long.warc.gz" if gz else "long.warc")
    with path.open("wb") as fh:
        _response(WARCWriter(fh, gzip=gz), "https://tin.example.vn/kinh-te/dien-1.html",
                  article_page("Điện tăng", 4).encode())
    bad = b"WARC/1.0\r\nWARC-Type: response\r\nX-Long: " + b"a" * 300_000 + b"\r\nContent-Length: 0\r\n\r\n\r\n\r\n"
    with path.open("ab") as fh:
        fh.write(gzip.compress(bad) if gz else bad)
    errors = ErrorLog(stream=None)
    docs = list(iter_warc(path, errors, ReadOptions(max_doc_bytes=100_000)))
    assert len(docs) == 1
    assert len(errors) == 1 and errors.skipped[0].reason.startswith("a header line larger than 100,000 bytes")
