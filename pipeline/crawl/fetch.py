"""Fetch one URL: bounded retries with backoff, Retry-After, timeouts and a cap on (decompressed) body size.

Redirects are not followed here (the crawler follows them itself to apply scope, robots and loop checks).
The body is read raw from the wire and decompressed here with a hard cap on the output, so neither a huge body
nor a small compression bomb can use more than `max_bytes` of memory.
"""
from __future__ import annotations

import asyncio
import random
import zlib
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass, field
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime
from typing import Callable

import httpx

_RNG = random.Random()
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504, 507, 508, 509, 520, 521, 522, 523, 524})


class BodyTooLarge(Exception):
    """The body (or its decompressed form) went past the size limit."""


class UnsupportedEncoding(Exception):
    """A Content-Encoding this crawler cannot decode."""


@dataclass
class FetchOptions:
    """Network limits and retry policy of a crawl."""

    timeout: float = 20.0  # read timeout, seconds; connect timeout is min(timeout, 10)
    retries: int = 3
    max_bytes: int = 10_000_000
    backoff_base: float = 1.0
    backoff_max: float = 60.0
    max_retry_after: float = 120.0  # a longer Retry-After gives up on the URL instead of waiting


@dataclass
class Fetched:
    """The outcome of fetching one URL (no redirects followed)."""

    url: str
    status: int | None = None
    reason: str = ""
    http_version: str = "HTTP/1.1"
    headers: list[tuple[str, str]] = field(default_factory=list)
    request_headers: list[tuple[str, str]] = field(default_factory=list)
    body: bytes = b""
    wire_bytes: int = 0
    error: str | None = None
    attempts: int = 0
    fetched_at: str = ""
    retry_log: list[str] = field(default_factory=list)
    truncated: bool = False  # the body was cut at the size limit (only when the caller asked to truncate)

    def header(self, name: str) -> str | None:
        """First value of a response header (case-insensitive)."""
        name = name.lower()
        return next((v for k, v in self.headers if k.lower() == name), None)


def retry_after_seconds(value: str | None, now: datetime | None = None) -> float | None:
    """Seconds to wait from a Retry-After value (delta-seconds or an HTTP date), None when absent or invalid."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    return max(0.0, (when - (now or datetime.now(timezone.utc))).total_seconds())


def backoff_delay(attempt: int, base: float, cap: float, rng: random.Random | None = None) -> float:
    """Exponential backoff with full jitter: uniform in [base*2^(attempt-1)/2, base*2^(attempt-1)], capped."""
    ceiling = min(cap, base * 2 ** (attempt - 1))
    return (rng or _RNG).uniform(ceiling / 2, ceiling)


class _Decoder:
    """Incremental Content-Encoding decoder that never produces more than `limit` bytes in total."""

    def __init__(self, encoding: str | None, limit: int):
        enc = (encoding or "identity").strip().lower()
        self.limit = limit
        self.out = bytearray()
        if enc in ("identity", ""):
            self.z = None
        elif enc in ("gzip", "x-gzip"):
            self.z = zlib.decompressobj(16 + zlib.MAX_WBITS)
        elif enc == "deflate":
            self.z, self._deflate_sniff = None, True
        else:
            raise UnsupportedEncoding(f"unsupported Content-Encoding {encoding!r}")
        self.encoding = enc

    def feed(self, data: bytes) -> None:
        if self.encoding == "deflate" and self.z is None:
            # "deflate" is zlib-wrapped per the RFC but raw deflate in practice on some servers.
            self.z = zlib.decompressobj(zlib.MAX_WBITS if data[:1] == b"\x78" else -zlib.MAX_WBITS)
        if self.z is None:
            self._append(data)
            return
        while data:
            room = self.limit - len(self.out) + 1
            chunk = self.z.decompress(data, room)
            self._append(chunk)
            data = self.z.unconsumed_tail

    def _append(self, chunk: bytes) -> None:
        self.out += chunk
        if len(self.out) > self.limit:
            raise BodyTooLarge

    def finish(self) -> bytes:
        if self.z is not None:
            self._append(self.z.flush())
        return bytes(self.out)


class Fetcher:
    """Fetches single URLs through a shared httpx.AsyncClient, one politeness slot per attempt."""

    def __init__(self, client: httpx.AsyncClient, options: FetchOptions,
                 slot: Callable[[str], AbstractAsyncContextManager], hold_off: Callable[[str, float], None]):
        self.client = client
        self.options = options
        self.slot = slot
        self.hold_off = hold_off

    async def get(self, url: str, headers: dict[str, str] | None = None, *, max_bytes: int | None = None,
                  truncate: bool = False) -> Fetched:
        """GET `url` with retries; the result has `error` set when every attempt failed.

        `max_bytes` overrides the size cap; with `truncate` a longer body is cut there (`truncated` set) instead of
        failing (robots.txt: RFC 9309 reads the first 500 KiB of a longer file).
        """
        opts = self.options
        limit = max_bytes or opts.max_bytes
        result = Fetched(url)
        for attempt in range(1, opts.retries + 2):
            result = Fetched(url, attempts=attempt, retry_log=result.retry_log)
            wait = None
            try:
                async with self.slot(url):
                    await self._once(url, headers or {}, result, limit, truncate)
            except BodyTooLarge:
                result.error = self._too_large(result, limit)
                return result
            except UnsupportedEncoding as e:
                result.error = str(e)
                return result
            except (httpx.TimeoutException, TimeoutError) as e:
                result.error = f"timeout ({type(e).__name__})"
            except (httpx.RemoteProtocolError, httpx.ReadError, httpx.WriteError, httpx.ConnectError,
                    ConnectionError) as e:
                result.error = f"connection error: {_describe(e)}"
            except httpx.HTTPError as e:
                result.error = f"http error: {_describe(e)}"
                return result
            else:
                if result.status not in RETRY_STATUSES:
                    return result
                result.error = f"HTTP {result.status}"
                wait = retry_after_seconds(result.header("Retry-After"))
                if wait is not None and wait > opts.max_retry_after:
                    result.error = (f"HTTP {result.status} with Retry-After {wait:.0f} s "
                                    f"(over {opts.max_retry_after:.0f} s)")
                    return result
            if attempt > opts.retries:
                break
            if wait is None:
                wait = backoff_delay(attempt, opts.backoff_base, opts.backoff_max)
            else:
                self.hold_off(url, wait)  # the whole host asked us to slow down, not only this URL
            result.retry_log.append(f"attempt {attempt}: {result.error}; retry in {wait:.2f} s")
            await asyncio.sleep(wait)
        result.error = f"{result.error} (gave up after {result.attempts} attempts)"
        return result

    async def _once(self, url: str, headers: dict[str, str], result: Fetched, limit: int, truncate: bool) -> None:
        opts = self.options
        request = self.client.build_request("GET", url, headers=headers)
        result.request_headers = [(k.decode("latin-1") if isinstance(k, bytes) else k,
                                   v.decode("latin-1") if isinstance(v, bytes) else v)
                                  for k, v in request.headers.raw]
        result.fetched_at = datetime.now(timezone.utc).isoformat(timespec="seconds")
        # A total deadline on top of httpx's per-read timeout: a server trickling bytes cannot hold us forever.
        async with asyncio.timeout(opts.timeout * 4):
            response = await self.client.send(request, stream=True)
            try:
                result.status = response.status_code
                result.reason = response.reason_phrase
                result.http_version = response.http_version
                result.headers = [(k.decode("latin-1"), v.decode("latin-1")) for k, v in response.headers.raw]
                length = response.headers.get("content-length")
                if length and length.isdigit() and int(length) > limit \
                        and not response.headers.get("content-encoding") and not truncate:
                    raise BodyTooLarge
                decoder = _Decoder(response.headers.get("content-encoding"), limit)
                try:
                    async for chunk in response.aiter_raw():
                        result.wire_bytes += len(chunk)
                        decoder.feed(chunk)
                    result.body = decoder.finish()
                except BodyTooLarge:
                    if not truncate:
                        raise
                    result.body, result.truncated = bytes(decoder.out[:limit]), True
            except BodyTooLarge:
                result.wire_bytes = max(result.wire_bytes, response.num_bytes_downloaded)
                raise
            finally:
                await response.aclose()

    def _too_large(self, result: Fetched, limit: int) -> str:
        encoding = result.header("Content-Encoding")
        if encoding and result.wire_bytes < limit:
            return (f"decompression bomb: {encoding} body inflates past max-bytes {limit} "
                    f"from {result.wire_bytes} bytes on the wire")
        declared = result.header("Content-Length")
        if declared and declared.isdigit() and int(declared) > limit and not encoding:
            return f"body too large: Content-Length {declared} > max-bytes {limit}"
        return f"body too large: more than max-bytes {limit} (aborted while streaming)"


def _describe(error: Exception) -> str:
    """A short reason for a network error, naming a connection reset when one is anywhere in the cause chain."""
    text = str(error) or type(error).__name__
    seen, cause = 0, error
    while cause is not None and seen < 6:
        if isinstance(cause, ConnectionResetError) or "reset by peer" in str(cause).lower():
            return f"connection reset by peer ({type(error).__name__})"
        cause, seen = cause.__cause__ or cause.__context__, seen + 1
    return text if len(text) < 200 else text[:200] + "..."
