"""Decode fetched HTML/text bytes to str, finding the charset like a browser would (BOM, header, meta, sniffing).

Precedence: a byte-order mark wins; then the Content-Type charset; then <meta charset> / http-equiv in the first
bytes; then UTF-8 if the bytes are valid UTF-8; then charset-normalizer's guess (if installed); then windows-1258
(the Vietnamese legacy code page). One sanity rule overrides a declaration: a page declared as a Latin single-byte
charset (iso-8859-1, windows-1252, ascii) whose bytes are valid UTF-8 with non-ASCII characters is UTF-8 — a
wrong server default is far likelier than Vietnamese text that happens to be well-formed UTF-8 by accident.
"""
from __future__ import annotations

import codecs
import re
import unicodedata
from dataclasses import dataclass

BOMS = ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF32_LE, "utf-32-le"), (codecs.BOM_UTF32_BE, "utf-32-be"),
        (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"))
META_SCAN_BYTES = 4096
HEADER_CHARSET = re.compile(r"""charset\s*=\s*["']?([\w.:-]+)""", re.I)
META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([\w.:-]+)""", re.I)
LATIN_DEFAULTS = {"iso8859-1", "latin-1", "cp1252", "ascii"}


@dataclass(frozen=True)
class Decoded:
    """Decoded text, the charset used and where it came from (bom, header, meta, utf-8, detected, fallback)."""

    text: str
    charset: str
    source: str


def _codec(name: str | None) -> str | None:
    """Python codec name for a charset label, or None if unknown."""
    if not name:
        return None
    label = name.strip().lower()
    if label in ("x-user-defined",):
        return None
    try:
        return codecs.lookup(label).name
    except LookupError:
        return None


def header_charset(content_type: str | None) -> str | None:
    """The charset parameter of a Content-Type header value."""
    m = HEADER_CHARSET.search(content_type or "")
    return m.group(1) if m else None


def meta_charset(body: bytes) -> str | None:
    """The charset declared by <meta charset> or <meta http-equiv content="...charset=..."> near the top."""
    m = META_CHARSET.search(body[:META_SCAN_BYTES])
    return m.group(1).decode("ascii", "replace") if m else None


def _is_utf8_nonascii(body: bytes) -> bool:
    try:
        body.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return not body.isascii()


def _try(body: bytes, codec: str | None) -> str | None:
    if not codec:
        return None
    try:
        return body.decode(codec)
    except (UnicodeDecodeError, LookupError):
        return None


def decode_html(body: bytes, content_type: str | None = None) -> Decoded:
    """Decode an HTML/text body to NFC text (see the module docstring for the charset precedence)."""
    for bom, codec in BOMS:
        if body.startswith(bom):
            return _done(body[len(bom):].decode(codec, "replace"), codec, "bom")
    for source, label in (("header", header_charset(content_type)), ("meta", meta_charset(body))):
        codec = _codec(label)
        if codec == "utf-16" or (codec or "").startswith("utf-16"):
            codec = "utf-8"  # a meta tag cannot truthfully declare UTF-16 in ASCII-compatible bytes
        if codec in LATIN_DEFAULTS and _is_utf8_nonascii(body):
            return _done(body.decode("utf-8"), "utf-8", f"utf-8 (declared {label} in {source} is wrong)")
        text = _try(body, codec)
        if text is not None:
            return _done(text, codec, source)
    text = _try(body, "utf-8")
    if text is not None:
        return _done(text, "utf-8", "utf-8")
    guessed = _detect(body)
    if guessed:
        return _done(body.decode(guessed, "replace"), guessed, "detected")
    return _done(body.decode("cp1258", "replace"), "cp1258", "fallback")


def _detect(body: bytes) -> str | None:
    try:
        from charset_normalizer import from_bytes
    except ImportError:
        return None
    best = from_bytes(body[:200_000]).best()
    return _codec(best.encoding) if best else None


def _done(text: str, codec: str, source: str) -> Decoded:
    # windows-1258 spells many Vietnamese letters as base + combining mark: NFC makes them single code points.
    return Decoded(unicodedata.normalize("NFC", text), codec, source)
