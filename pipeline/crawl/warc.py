"""WARC output: request and response records (warcio), gzipped, rotated by size, flushed after every page.

Bodies are stored decoded from their Content-Encoding (the gzip transport layer is removed, Content-Encoding and
Transfer-Encoding headers are dropped and Content-Length set to the stored length), so that every WARC reader gets
the page bytes as the server meant them, in their original charset. The charset the crawler found is in the
`WARC-Chiso-Charset` header of each response record (and in index.jsonl). Pages whose content equals an earlier
page are written as `revisit` records (identical-payload-digest profile) pointing to the first one.
"""
from __future__ import annotations

import base64
import hashlib
import io
from datetime import datetime, timezone
from pathlib import Path
from urllib.parse import urlsplit

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from pipeline.html.decode import CHOSEN_CHARSET_HEADER

DROP_HEADERS = {"content-encoding", "transfer-encoding", "content-length"}


def warc_date(iso: str | None) -> str:
    """WARC-Date (UTC, seconds) of an ISO date-time; now when None."""
    when = datetime.fromisoformat(iso) if iso else datetime.now(timezone.utc)
    return when.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def payload_digest(body: bytes) -> str:
    """The WARC-Payload-Digest value (sha1, base32) of a body."""
    return "sha1:" + base64.b32encode(hashlib.sha1(body).digest()).decode("ascii")


class WarcSink:
    """Writes records to OUT/warc/PREFIX-NNNNN.warc.gz, starting a new file past `max_file_bytes`."""

    def __init__(self, directory: Path, max_file_bytes: int = 100_000_000, prefix: str = "chiso",
                 software: str = "chiso/0.1"):
        self.directory = Path(directory)
        self.directory.mkdir(parents=True, exist_ok=True)
        self.max_file_bytes = max_file_bytes
        self.prefix = prefix
        self.software = software
        existing = sorted(self.directory.glob(f"{prefix}-*.warc.gz"))
        self.serial = max((int(p.name[len(prefix) + 1:].split(".")[0]) for p in existing
                           if p.name[len(prefix) + 1:].split(".")[0].isdigit()), default=0)
        self.fh = None
        self.writer: WARCWriter | None = None
        self.name = ""
        self.files: list[str] = []

    def _open(self) -> None:
        self.serial += 1
        self.name = f"{self.prefix}-{self.serial:05d}.warc.gz"
        self.fh = open(self.directory / self.name, "wb")  # a new file per run: never append to a finished one
        self.writer = WARCWriter(self.fh, gzip=True)
        self.files.append(self.name)
        info = self.writer.create_warcinfo_record(self.name, {"software": self.software, "format": "WARC/1.1"})
        self.writer.write_record(info)

    def _ready(self) -> None:
        if self.fh is not None and self.fh.tell() >= self.max_file_bytes:
            self.close()
        if self.fh is None:
            self._open()

    def write_exchange(self, url: str, fetched_at: str, status: int, reason: str, http_version: str,
                       headers: list[tuple[str, str]], body: bytes, request_headers: list[tuple[str, str]],
                       charset: str | None = None, revisit_of: tuple[str, str, str] | None = None) -> tuple[str, int]:
        """Write response (or revisit) + request records; returns (warc file name, offset of the response)."""
        self._ready()
        kept = [(k, v) for k, v in headers if k.lower() not in DROP_HEADERS]
        kept.append(("Content-Length", str(len(body))))
        protocol = http_version if http_version.startswith("HTTP/") else "HTTP/1.1"
        http = StatusAndHeaders(f"{status} {reason}".strip(), kept, protocol=protocol)
        warc_headers = {"WARC-Date": warc_date(fetched_at)}
        if charset:
            warc_headers[CHOSEN_CHARSET_HEADER] = charset
        if revisit_of:
            first_url, first_date, digest = revisit_of
            record = self.writer.create_revisit_record(url, digest, first_url, first_date, http_headers=http,
                                                       warc_headers_dict=warc_headers)
        else:
            # An explicit length keeps warcio from spooling the payload to a temporary file.
            record = self.writer.create_warc_record(url, "response", payload=io.BytesIO(body), length=len(body),
                                                    http_headers=http, warc_headers_dict=warc_headers)
        offset = self.fh.tell()
        self.writer.write_record(record)
        parts = urlsplit(url)
        target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        req = StatusAndHeaders(f"GET {target} HTTP/1.1", list(request_headers), is_http_request=True)
        concurrent = {"WARC-Date": warc_headers["WARC-Date"],
                      "WARC-Concurrent-To": record.rec_headers.get_header("WARC-Record-ID")}
        request = self.writer.create_warc_record(url, "request", payload=io.BytesIO(b""), length=0, http_headers=req,
                                                 warc_headers_dict=concurrent)
        self.writer.write_record(request)
        self.fh.flush()
        return self.name, offset

    def close(self) -> None:
        """Flush and close the current file."""
        if self.fh is not None:
            self.fh.flush()
            self.fh.close()
            self.fh = None
            self.writer = None
