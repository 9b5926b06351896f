"""URL canonicalization: one spelling per page, so that dedup and "fetched once" hold."""
from __future__ import annotations

import fnmatch
import posixpath
from urllib.parse import parse_qsl, quote, unquote, urlencode, urlsplit, urlunsplit

DEFAULT_PORTS = {"http": 80, "https": 443}
SAFE_PATH = "/:@!$&'()*+,;=-._~%"


def canonicalize(url: str, strip_params: tuple[str, ...] = ()) -> str | None:
    """Canonical form of an absolute http(s) URL, or None when it is not one.

    Lowercases scheme and host, drops the fragment, default ports and params matching `strip_params`
    (fnmatch patterns such as "utm_*"), sorts the query, normalizes percent-escapes and dot segments.
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
    path = parts.path or "/"
    trailing = path.endswith("/")
    path = posixpath.normpath(path)
    if path.startswith("//"):
        path = "/" + path.lstrip("/")
    if trailing and path != "/":
        path += "/"
    path = quote(unquote(path), safe=SAFE_PATH)
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)
             if not any(fnmatch.fnmatchcase(k.lower(), pat) for pat in strip_params)]
    return urlunsplit((scheme, netloc, path, urlencode(sorted(query)), ""))


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
