"""Crawler traps: URLs that are endless variations of one page (calendars, session paths, endless pagination).

Two kinds of checks, both on canonical URLs found as links:
- the URL alone: too long, too many path segments, one path segment repeated again and again (`/a/b/a/b/a/b/`);
- the chain of links that led to it: too many hops in a row between URLs of the same *shape* (host, path and query
  keys with every run of digits replaced by `#`), e.g. `/lich/2024/05` -> `/lich/2024/06` -> `/lich/2024/07`...
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from typing import Callable
from urllib.parse import parse_qsl, urlsplit

_DIGITS = re.compile(r"\d+")


@dataclass(frozen=True)
class TrapLimits:
    """Limits past which a URL is taken for a crawler trap."""

    max_url_length: int = 2000
    max_segments: int = 20
    max_segment_repeats: int = 3  # the same path segment more often than this
    max_same_shape: int = 10  # hops in a row between URLs of the same shape (0: no check)


def url_shape(url: str) -> str:
    """The URL with digit runs masked and query values dropped: pages of one calendar or pager share a shape."""
    parts = urlsplit(url)
    keys = ",".join(sorted({k for k, _ in parse_qsl(parts.query, keep_blank_values=True)}))
    return _DIGITS.sub("#", f"{parts.netloc}{parts.path}?{keys}")


def static_trap(url: str, limits: TrapLimits) -> str | None:
    """Why `url` looks like a trap by itself (length, depth of path, repeated segments), or None."""
    if len(url) > limits.max_url_length:
        return f"URL longer than {limits.max_url_length} characters"
    segments = [s for s in urlsplit(url).path.split("/") if s]
    if len(segments) > limits.max_segments:
        return f"more than {limits.max_segments} path segments"
    if segments:
        segment, times = Counter(segments).most_common(1)[0]
        if times > limits.max_segment_repeats:
            return f"path segment {segment!r} repeated {times} times"
    return None


def same_shape_run(url: str, parent_of: Callable[[str], str | None], limit: int) -> int:
    """How many links in a row led to `url` from pages of its own shape (counting stops past `limit`)."""
    shape, run, current = url_shape(url), 0, url
    while run <= limit:
        parent = parent_of(current)
        if parent is None or parent == current or url_shape(parent) != shape:
            break
        run, current = run + 1, parent
    return run
