"""A real HTTP server on 127.0.0.1 serving the fixture site, with faults injectable per path.

    with FaultServer() as srv:                      # ephemeral port, background thread
        srv.fault("/slow.htm", "slow", seconds=0.3)
        srv.fault("/busy.htm", "status", status=429, times=1, retry_after="1")
        ...crawl srv.url("/")...
        assert srv.count("/kinh-doanh.htm") == 1

Fault kinds (each applies to one path, query string ignored):
  slow        sleep `seconds` before answering
  status      answer `status` (429, 503...) for the first `times` requests (all if times=None), optional
              `retry_after` header value, then serve the page normally
  reset       send the headers and part of the body, then reset the TCP connection (RST)
  redirect    302 to `location` (two paths redirecting to each other make a loop)
  huge        stream `size` bytes of HTML (chunked, no Content-Length), stopping if the client goes away
  bomb        a gzip body that is small on the wire and `size` bytes once decompressed (Content-Encoding: gzip)
`calendar(prefix)` serves an endless calendar under a path prefix (a crawler trap): PREFIX/YYYY/MM links to the
previous and the next month, forever.
Pages can also be added or replaced with `page(path, body, headers, status)` (e.g. a page in windows-1258 or a
robots.txt with Crawl-delay). Conditional requests (If-None-Match / If-Modified-Since) get 304 when they match.
Every request is counted per path (`count`, `counts`) and logged with its time (`log`); `max_inflight` is the
largest number of requests served at once.
"""
from __future__ import annotations

import gzip
import socket
import struct
import threading
import time
from collections import Counter
from email.utils import parsedate_to_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

from fixture_site import Site, build_site

SOCKET_TIMEOUT = 5.0  # server side: an idle or stuck client never holds a thread for long


class FaultServer:
    """The fixture site on an ephemeral loopback port, with per-path faults and request counts."""

    def __init__(self, site_builder=build_site):
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        self._httpd.daemon_threads = True
        self._httpd.owner = self
        self.port = self._httpd.server_address[1]
        self.base_url = f"http://127.0.0.1:{self.port}"
        self.site: Site = site_builder(self.base_url)
        self.pages = dict(self.site.pages)
        self.faults: dict[str, dict] = {}
        self.calendars: list[str] = []
        self.counts: Counter[str] = Counter()
        self.log: list[tuple[float, str, str, dict[str, str]]] = []
        self.inflight = 0
        self.max_inflight = 0  # most requests served at the same time (per-host concurrency checks)
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None

    # -- control
    def start(self) -> "FaultServer":
        """Serve in a background thread."""
        self._thread = threading.Thread(target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05},
                                        daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving and close the socket."""
        self._httpd.shutdown()
        self._httpd.server_close()

    def __enter__(self) -> "FaultServer":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    def url(self, path: str) -> str:
        """Absolute URL of a path on this server."""
        return self.base_url + path

    def fault(self, path: str, kind: str, **params) -> None:
        """Inject a fault on `path` (see the module docstring for kinds and parameters)."""
        if kind == "bomb":
            _bomb_bytes(params.get("size", 50_000_000))  # build it now, not while the client waits
        self.faults[path] = {"kind": kind, **params}

    def page(self, path: str, body: bytes | str, headers: dict[str, str] | None = None, status: int = 200) -> None:
        """Add or replace a page."""
        data = body.encode("utf-8") if isinstance(body, str) else body
        self.pages[path] = (status, headers or {"Content-Type": "text/html; charset=utf-8"}, data)

    def calendar(self, prefix: str = "/lich/") -> None:
        """Serve an endless month-by-month calendar under `prefix` (see the module docstring)."""
        self.calendars.append(prefix)

    def count(self, path: str) -> int:
        """How many requests `path` received."""
        with self._lock:
            return self.counts[path]

    def reset_counts(self) -> None:
        """Forget counts and the request log."""
        with self._lock:
            self.counts.clear()
            self.log.clear()

    def _record(self, method: str, path: str, headers: dict[str, str]) -> int:
        with self._lock:
            self.counts[path] += 1
            self.log.append((time.monotonic(), method, path, headers))
            return self.counts[path]


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    timeout = SOCKET_TIMEOUT
    server_version = "FixtureNews/1.0"

    def log_message(self, *args) -> None:  # keep test output quiet
        pass

    def do_HEAD(self) -> None:
        self.do_GET()

    def do_GET(self) -> None:
        srv: FaultServer = self.server.owner
        with srv._lock:
            srv.inflight += 1
            srv.max_inflight = max(srv.max_inflight, srv.inflight)
        try:
            self._answer(srv)
        finally:
            with srv._lock:
                srv.inflight -= 1

    def _answer(self, srv: "FaultServer") -> None:
        path = urlsplit(self.path).path
        n = srv._record(self.command, path, dict(self.headers.items()))
        fault = srv.faults.get(path)
        kind = fault["kind"] if fault else None
        if kind == "slow":
            time.sleep(fault.get("seconds", 0.3))
        elif kind == "status" and (fault.get("times") is None or n <= fault["times"]):
            extra = {"Retry-After": str(fault["retry_after"])} if fault.get("retry_after") is not None else {}
            return self._send(fault["status"], {"Content-Type": "text/plain", **extra}, b"try again later\n")
        elif kind == "redirect":
            return self._send(fault.get("status", 302), {"Location": fault["location"]}, b"")
        elif kind == "huge":
            return self._stream_huge(fault.get("size", 10_000_000))
        elif kind == "bomb":
            return self._bomb(fault.get("size", 50_000_000))
        page = srv.pages.get(path) or _calendar_page(srv, path)
        if page is None:
            return self._send(404, {"Content-Type": "text/html; charset=utf-8"}, b"<h1>404</h1>")
        status, headers, body = page
        if kind == "reset":
            return self._reset(headers, body)
        if status == 200 and self._not_modified(headers):
            return self._send(304, {k: v for k, v in headers.items() if k in ("ETag", "Last-Modified")}, b"")
        self._send(status, headers, body)

    # -- responses
    def _send(self, status: int, headers: dict[str, str], body: bytes) -> None:
        self.send_response(status)
        for k, v in headers.items():
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD" and status != 304:
            self.wfile.write(body)

    def _not_modified(self, headers: dict[str, str]) -> bool:
        inm, ims = self.headers.get("If-None-Match"), self.headers.get("If-Modified-Since")
        if inm is not None and "ETag" in headers:
            return headers["ETag"] in [t.strip() for t in inm.split(",")] or inm.strip() == "*"
        if ims and "Last-Modified" in headers:
            try:
                return parsedate_to_datetime(headers["Last-Modified"]) <= parsedate_to_datetime(ims)
            except (TypeError, ValueError):
                return False
        return False

    def _reset(self, headers: dict[str, str], body: bytes) -> None:
        self.send_response(200)
        for k, v in headers.items():
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body[: len(body) // 3])
        self.wfile.flush()
        # SO_LINGER with a zero timeout makes close() send RST instead of FIN: a real "connection reset by peer".
        self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self.connection.close()
        self.close_connection = True

    def _stream_huge(self, size: int) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        chunk = b"<p>" + "Dữ liệu rất lớn. ".encode() * 3000 + b"</p>\n"
        sent = 0
        try:
            while sent < size:
                piece = chunk[: size - sent]
                self.wfile.write(b"%x\r\n%s\r\n" % (len(piece), piece))
                sent += len(piece)
            self.wfile.write(b"0\r\n\r\n")
        except OSError:  # the client aborted past its limit, as it should
            pass
        self.close_connection = True

    def _bomb(self, size: int) -> None:
        body = _bomb_bytes(size)
        self._send(200, {"Content-Type": "text/html; charset=utf-8", "Content-Encoding": "gzip"}, body)


def _calendar_page(srv: FaultServer, path: str) -> tuple[int, dict[str, str], bytes] | None:
    """The month page of a calendar trap, or None when `path` is not one."""
    prefix = next((p for p in srv.calendars if path.startswith(p)), None)
    parts = path[len(prefix):].strip("/").split("/") if prefix else []
    if len(parts) != 2 or not all(p.isdigit() for p in parts):
        return None
    month = int(parts[0]) * 12 + int(parts[1]) - 1
    links = "".join(f'<a href="{prefix}{m // 12}/{m % 12 + 1:02d}">{m // 12}-{m % 12 + 1}</a> '
                    for m in (month - 1, month + 1))
    body = f"<html><body><h1>Lịch tháng {parts[1]}/{parts[0]}</h1>{links}</body></html>".encode()
    return 200, {"Content-Type": "text/html; charset=utf-8"}, body


_BOMBS: dict[int, bytes] = {}


def _bomb_bytes(size: int) -> bytes:
    """A gzip stream of `size` zero bytes (about 1000x smaller), cached."""
    if size not in _BOMBS:
        _BOMBS[size] = gzip.compress(b"\0" * size, compresslevel=6, mtime=0)
    return _BOMBS[size]
