"""URL canonicalization: one spelling per page, so that dedup and "fetched once" hold."""
from __future__ import annotations

import fnmatch
import posixpath
import re
from urllib.parse import parse_qsl, quote, urlencode, urlsplit, urlunsplit

DEFAULT_PORTS = {"http": 80, "https": 443}
SAFE_PATH = "/:@!$&'()*+,;=-._~%"
# RFC 3986 section 2.3: percent-encoded unreserved characters mean the same as the characters themselves.
UNRESERVED = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
_ESCAPE = re.compile(r"%([0-9A-Fa-f]{2})")
_LONE_PERCENT = re.compile(r"%(?![0-9A-Fa-f]{2})")


def canonicalize(url: str, strip_params: tuple[str, ...] = ()) -> str | None:
    """Canonical form of an absolute http(s) URL, or None when it is not one.

    Lowercases scheme and host, drops the fragment, default ports and params matching `strip_params`
    (fnmatch patterns such as "utm_*"), sorts the query, normalizes percent-escapes (RFC 3986 section 6.2.2:
    unreserved characters decoded, `%2e` included, others upper-case) and then removes dot segments.
    """
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError:
        return None
    scheme = parts.scheme.lower()
    if scheme not in DEFAULT_PORTS or not parts.hostname:
        return None
    host = parts.hostname.lower().rstrip(".")
    try:
        host = host.encode("idna").decode("ascii") if not host.isascii() else host
    except UnicodeError:
        return None
    if ":" in host:  # IPv6 literal
        host = f"[{host}]"
    netloc = host if port in (None, DEFAULT_PORTS[scheme]) else f"{host}:{port}"
    path = normalize_escapes(parts.path or "/")  # before dot segments, so that "/%2e%2e/" is "/../"
    trailing = path.endswith("/") or path.rsplit("/", 1)[-1] in (".", "..")  # "/a/b/.." is "/a/"
    path = posixpath.normpath(path)
    if path.startswith("//"):
        path = "/" + path.lstrip("/")
    if trailing and path != "/":
        path += "/"
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)
             if not any(fnmatch.fnmatchcase(k.lower(), pat) for pat in strip_params)]
    return urlunsplit((scheme, netloc, path, urlencode(sorted(query)), ""))


def normalize_escapes(path: str) -> str:
    """A URL path with percent-escapes normalized: unreserved characters decoded, other escapes upper-case,
    characters that must be escaped (spaces, non-ASCII as UTF-8, a lone "%") escaped; "%2F" stays an escape."""
    path = _LONE_PERCENT.sub("%25", path)
    path = _ESCAPE.sub(lambda m: chr(int(m.group(1), 16)) if chr(int(m.group(1), 16)) in UNRESERVED
                       else "%" + m.group(1).upper(), path)
    return quote(path, safe=SAFE_PATH)


def host_of(url: str) -> str:
    """Host name (lowercase, no port) of a URL."""
    return (urlsplit(url).hostname or "").lower()


def netloc_of(url: str) -> str:
    """host[:port] of a URL, as it is spelled in the (canonical) URL."""
    return urlsplit(url).netloc


def origin_of(url: str) -> str:
    """scheme://host[:port] of a URL (robots.txt and politeness are per origin)."""
    p = urlsplit(url)
    return f"{p.scheme}://{p.netloc}"
