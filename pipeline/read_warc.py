"""Stream the articles of a WARC file (.warc or .warc.gz) as Documents."""
from __future__ import annotations

import gzip
import hashlib
import sqlite3
import zlib
from pathlib import Path
from typing import Iterator

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed

from pipeline.document import Document
from pipeline.errors import ErrorLog
from pipeline.html import UndecodableError, clean_html, decode_html
from pipeline.html.decode import CHOSEN_CHARSET_HEADER
from pipeline.read_html import article_document
from pipeline.readers import DEFAULT_OPTIONS, GZIP_MAGIC, ReadOptions

_HTML_TYPES = ("text/html", "application/xhtml+xml")
_DRAIN_BYTES = 1 << 16
# Errors that mean the archive itself is broken from here on (truncated gzip, bad record header; warcio
# raises AttributeError/TypeError on some malformed headers, e.g. a response without WARC-Target-URI).
_BROKEN_ARCHIVE = (ArchiveLoadFailed, zlib.error, EOFError, OSError, ValueError, AttributeError, TypeError,
                   KeyError, IndexError)


# How `chiso crawl` names its WARC files (OUT/warc/chiso-00001.warc.gz) and its state file (OUT/state.sqlite).
_CRAWL_WARC_PREFIX = "chiso-"
_CRAWL_STATE = "state.sqlite"


class _LineTooLong(ValueError):
    """A WARC or HTTP header line above the size limit: the archive is not read further."""


def doc_id_for_url(url: str) -> str:
    """A stable document id for a page URL: the first 16 hex digits of its SHA-1."""
    return hashlib.sha1(url.encode("utf-8")).hexdigest()[:16]


def iter_warc(path: str | Path, errors: ErrorLog | None = None,
              options: ReadOptions = DEFAULT_OPTIONS) -> Iterator[Document]:
    """Article Documents of the HTML 200 responses in a WARC; broken records are reported and skipped.

    Non-HTML, non-200 and non-article records are skipped silently. A corrupt or truncated archive
    is reported once and ends this file without raising. A page larger than `options.max_doc_bytes`
    once decompressed (HTTP gzip inside a gzipped WARC can expand a few kilobytes to gigabytes) is skipped.
    In a `chiso crawl` output directory only the latest
    capture of each URL is read (an older one, stored before `--recrawl` found the page changed, is skipped), so
    that a doc_id stands for one page.
    """
    path = Path(path)
    errors = errors if errors is not None else ErrorLog()
    offset = 0
    try:
        if not _starts_like_warc(path):
            errors.skip(f"{path}#0", "not a WARC file (no WARC/ version line at the start)")
            return
        latest = latest_captures(path)
        with path.open("rb") as fh:
            records = ArchiveIterator(fh)
            _bound_header_lines(records.reader, options)
            for record in records:
                # Start of this record (get_record_offset() would consume the payload first).
                offset = records.offset
                location = f"{path}#{offset}"
                if record.rec_type is None or record.length is None:
                    # Garbage after a WARC/ line parses as a record without headers: the framing is lost.
                    errors.skip(location, "corrupt WARC: a record without WARC-Type or Content-Length, "
                                          "rest of file skipped")
                    return
                superseded = latest is not None and offset not in latest
                doc = None if superseded else _record_document(record, path, offset, location, errors, options)
                if _is_truncated(record):
                    errors.skip(location, "corrupt or truncated WARC: record shorter than its Content-Length, "
                                          "rest of file skipped")
                    return
                if doc is not None:
                    yield doc
            offset = records.offset
            if _has_unread_tail(fh, offset):
                errors.skip(f"{path}#{offset}", "corrupt or truncated WARC: unreadable data at the end")
    except _LineTooLong as err:
        errors.skip(f"{path}#{offset}", f"{err}, rest of file skipped")
    except _BROKEN_ARCHIVE as err:
        errors.skip(f"{path}#{offset}", f"corrupt or truncated WARC, rest of file skipped: "
                                        f"{type(err).__name__}: {err}")


def _bound_header_lines(reader, options: ReadOptions) -> None:
    """Make warcio's reader refuse a line above the size limit.

    warcio reads each WARC and HTTP header line whole, with no limit: a gzipped header line of
    gigabytes would be held in memory. Every line read goes through `reader.readline` (the HTTP
    headers through a LimitReader over it), so bounding it there bounds them all.
    """
    limit = options.max_doc_bytes
    readline = reader.readline

    def bounded(length=None):
        if length is not None and 0 <= length <= limit:
            return readline(length)
        # Piece by piece: warcio's readline(n) may stop short of n bytes inside a long line.
        parts, total = [], 0
        while piece := readline(limit):
            total += len(piece)
            if total > limit:
                raise _LineTooLong(f"a header line larger than {limit:,} bytes once decompressed "
                                   "(limit: --max-doc-bytes)")
            parts.append(piece)
            if piece.endswith(b"\n"):
                break
        return b"".join(parts)

    reader.readline = bounded


def latest_captures(path: Path) -> set[int] | None:
    """Offsets of the records in `path` that are the latest capture of their URL, per the state of the crawl
    that wrote it (OUT/state.sqlite beside OUT/warc/); None when `path` is not part of a crawl output directory."""
    state = path.parent.parent / _CRAWL_STATE
    if path.parent.name != "warc" or not path.name.startswith(_CRAWL_WARC_PREFIX) or not state.is_file():
        return None
    # Read-only; `immutable` as a fallback for a state file on read-only storage (no -shm file can be made there).
    for mode in ("mode=ro", "immutable=1"):
        try:
            db = sqlite3.connect(f"{state.resolve().as_uri()}?{mode}", uri=True)
            try:
                rows = db.execute("SELECT warc_offset FROM urls WHERE warc_file=? AND warc_offset IS NOT NULL",
                                  (path.name,)).fetchall()
            finally:
                db.close()
            return {row[0] for row in rows}
        except sqlite3.Error:
            continue
    return None


def _is_truncated(record) -> bool:
    """True if the record's block ended before its declared Content-Length (a cut-off file)."""
    stream = record.raw_stream
    while stream.read(_DRAIN_BYTES):
        pass
    return getattr(stream, "limit", 0) > 0


def _has_unread_tail(fh, offset: int) -> bool:
    """True if bytes other than whitespace follow `offset`, where the archive iterator stopped."""
    fh.seek(offset)
    while True:
        chunk = fh.read(_DRAIN_BYTES)
        if not chunk:
            return False
        if chunk.strip():
            return True


def _starts_like_warc(path: Path) -> bool:
    """True if the (possibly gzipped) file begins with a WARC version line."""
    with path.open("rb") as fh:
        head = fh.read(2)
        fh.seek(0)
        if head == GZIP_MAGIC:
            with gzip.GzipFile(fileobj=fh) as gz:
                return gz.read(5) == b"WARC/"
        return fh.read(5) == b"WARC/"


def _record_document(record, path: Path, offset: int, location: str, errors: ErrorLog,
                     options: ReadOptions) -> Document | None:
    """The Document of one WARC record, or None when it is not an HTML article."""
    if record.rec_type != "response" or record.http_headers is None:
        return None
    if record.http_headers.get_statuscode() != "200":
        return None
    content_type = record.http_headers.get_header("Content-Type") or ""
    if content_type.lower().split(";")[0].strip() not in _HTML_TYPES:
        return None
    url = record.rec_headers.get_header("WARC-Target-URI")
    data = record.content_stream().read(options.max_doc_bytes + 1)
    if len(data) > options.max_doc_bytes:
        errors.skip(location, options.too_big("page"))
        return None
    try:
        # The crawler's own charset decision (WARC-Chiso-Charset) first, then the same rules it applied.
        html = decode_html(data, content_type=content_type,
                           chosen_charset=record.rec_headers.get_header(CHOSEN_CHARSET_HEADER),
                           on_warning=lambda reason: errors.warn(location, reason))
    except UndecodableError as err:
        errors.skip(location, f"cannot decode page: {err}")
        return None
    try:
        article = clean_html(html, url=url)
    except Exception as err:  # one odd page must not stop the archive
        errors.skip(location, f"cannot clean page: {type(err).__name__}: {err}")
        return None
    if article is None or not article.is_article or not article.text.strip():
        return None
    doc_id = doc_id_for_url(url) if url else (record.rec_headers.get_header("WARC-Record-ID") or location)
    return article_document(doc_id, article, source=location, warc_file=str(path), warc_offset=offset)
