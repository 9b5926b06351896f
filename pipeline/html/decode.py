"""Bytes of a web page to text: charset from BOM, HTTP header, <meta>, else UTF-8, else a detector."""
from __future__ import annotations

import codecs
import re

_BOMS = ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"))
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([a-zA-Z0-9_.:-]+)""", re.IGNORECASE)
_HEADER_CHARSET = re.compile(r"charset\s*=\s*[\"']?([a-zA-Z0-9_.:-]+)", re.IGNORECASE)
# How far into the page a <meta charset> is looked for (the HTML spec says 1024 bytes; be lenient).
_SNIFF_BYTES = 8192


class UndecodableError(ValueError):
    """Bytes that no declared or detected charset decodes."""


def _codec(name: str | None) -> str | None:
    """The Python codec name for a charset label, or None if unknown."""
    if not name:
        return None
    try:
        return codecs.lookup(name.strip().lower()).name
    except LookupError:
        return None


def charset_from_content_type(content_type: str | None) -> str | None:
    """The charset parameter of an HTTP Content-Type header value."""
    match = _HEADER_CHARSET.search(content_type or "")
    return match.group(1) if match else None


def decode_html(data: bytes, declared: str | None = None) -> str:
    """Decode page bytes; `declared` is the HTTP header charset if known. Raises UndecodableError."""
    for bom, codec in _BOMS:
        if data.startswith(bom):
            return data[len(bom):].decode(codec, errors="strict")
    meta = _META_CHARSET.search(data[:_SNIFF_BYTES])
    candidates = [_codec(declared), _codec(meta.group(1).decode("ascii", "ignore") if meta else None), "utf-8"]
    for codec in dict.fromkeys(c for c in candidates if c):
        try:
            return data.decode(codec, errors="strict")
        except (UnicodeDecodeError, LookupError):
            continue
    detected = _detect(data)
    if detected is None:
        raise UndecodableError("cannot decode page: not UTF-8 and no charset detected")
    return detected


def _detect(data: bytes) -> str | None:
    """Decode with charset-normalizer when it is installed and confident; None otherwise."""
    try:
        from charset_normalizer import from_bytes
    except ImportError:
        return None
    best = from_bytes(data).best()
    if best is None or best.chaos > 0.2:
        return None
    return str(best)
