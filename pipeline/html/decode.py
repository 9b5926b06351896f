"""Bytes of a web page to NFC text, finding the charset like a browser would; the one decoder of crawl and read.

Precedence: a byte-order mark wins; then a charset an earlier pass already chose (the crawler's
`WARC-Chiso-Charset`); then the Content-Type charset; then <meta charset> / http-equiv near the top; then UTF-8
if the bytes are valid UTF-8; then charset-normalizer's guess when it is confident; then windows-1258 (the
Vietnamese legacy code page) as a last resort. A declaration is used only if the bytes decode under it.

A Latin declaration (iso-8859-1, windows-1252, ascii) is weak: Latin-1 cannot spell Vietnamese, so it is almost
always a server default. Bytes that are valid non-ASCII UTF-8 are read as UTF-8, and another declaration that
decodes (e.g. <meta charset="windows-1258">) beats it. The output is NFC because windows-1258 spells many
Vietnamese letters as base letter + combining tone mark.

`decode_page` never fails (the crawler needs some text for every page); `decode_html` is the strict form for the
readers: it raises UndecodableError when only the last-resort guess or a lossy decoding was left.
"""
from __future__ import annotations

import codecs
import re
import unicodedata
from dataclasses import dataclass

_BOMS = ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF32_LE, "utf-32-le"), (codecs.BOM_UTF32_BE, "utf-32-be"),
         (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"))
_HEADER_CHARSET = re.compile(r"""charset\s*=\s*["']?([\w.:-]+)""", re.IGNORECASE)
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([\w.:-]+)""", re.IGNORECASE)
# How far into the page a <meta charset> is looked for (the HTML spec says 1024 bytes; be lenient).
_SNIFF_BYTES = 8192
# charset-normalizer is slow on big pages and a sample decides as well as the whole.
_DETECT_BYTES = 200_000
_MAX_CHAOS = 0.2  # above this charset-normalizer's guess is noise, not a charset
_WEAK = {"iso8859-1", "cp1252", "ascii"}
_LAST_RESORT = "cp1258"
# WARC record header in which the crawler keeps the charset it decoded a page with (read back by read_warc).
CHOSEN_CHARSET_HEADER = "WARC-Chiso-Charset"


class UndecodableError(ValueError):
    """Bytes that no declared or detected charset decodes."""


@dataclass(frozen=True)
class Decoded:
    """NFC text, the codec used and where it came from (bom, warc, header, meta, utf-8, detected, fallback).

    `exact` is False when some bytes did not fit the codec and became U+FFFD.
    """

    text: str
    charset: str
    source: str
    exact: bool = True


def _codec(label: str | None) -> str | None:
    """The Python codec name for a charset label, or None if unknown."""
    if not label or label.strip().lower() == "x-user-defined":
        return None
    try:
        return codecs.lookup(label.strip().lower()).name
    except LookupError:
        return None


def charset_from_content_type(content_type: str | None) -> str | None:
    """The charset parameter of an HTTP Content-Type header value."""
    match = _HEADER_CHARSET.search(content_type or "")
    return match.group(1) if match else None


def meta_charset(body: bytes) -> str | None:
    """The charset declared by <meta charset> or <meta http-equiv content="...charset=..."> near the top."""
    match = _META_CHARSET.search(body[:_SNIFF_BYTES])
    return match.group(1).decode("ascii", "replace") if match else None


def decode_page(body: bytes, content_type: str | None = None, *, chosen_charset: str | None = None) -> Decoded:
    """Decode page bytes given the Content-Type header value; never raises (see the module docstring)."""
    for bom, codec in _BOMS:
        if body.startswith(bom):
            return _decoded(body[len(bom):], codec, "bom")
    utf8 = _utf8(body)
    weak: tuple[str, str] | None = None
    for source, label in (("warc", chosen_charset), ("header", charset_from_content_type(content_type)),
                          ("meta", meta_charset(body))):
        codec = _codec(label)
        if source == "meta" and codec and codec.startswith("utf-16"):
            codec = "utf-8"  # ASCII-compatible bytes cannot truthfully declare UTF-16 inside themselves
        if codec in _WEAK:
            if utf8 is not None and not body.isascii():
                return _done(utf8, "utf-8", f"utf-8 (declared {label} in {source} is wrong)")
            weak = weak or (codec, source)
            continue
        text = _strict(body, codec)
        if text is not None:
            return _done(text, codec, source)
    if weak is not None and (text := _strict(body, weak[0])) is not None:
        return _done(text, *weak)
    if utf8 is not None:
        return _done(utf8, "utf-8", "utf-8")
    guessed = _detect(body)
    if guessed:
        return _decoded(body, guessed, "detected")
    return _decoded(body, _LAST_RESORT, "fallback")


def decode_html(data: bytes, declared: str | None = None, *, content_type: str | None = None,
                chosen_charset: str | None = None) -> str:
    """Decode page bytes strictly; `declared` is a bare header charset. Raises UndecodableError."""
    if declared and not content_type:
        content_type = f"text/html; charset={declared}"
    decoded = decode_page(data, content_type, chosen_charset=chosen_charset)
    if decoded.source == "fallback":
        raise UndecodableError("not UTF-8, no charset declared that fits, none detected")
    if not decoded.exact:
        raise UndecodableError(f"bytes that are not {decoded.charset} (from {decoded.source})")
    return decoded.text


def _utf8(body: bytes) -> str | None:
    """The body as UTF-8, or None if it is not valid UTF-8."""
    return _strict(body, "utf-8")


def _strict(body: bytes, codec: str | None) -> str | None:
    """The body decoded with `codec`, or None if the codec is unknown or some bytes do not fit."""
    if not codec:
        return None
    try:
        return body.decode(codec)
    except (ValueError, LookupError):  # UnicodeDecodeError, or a non-text codec such as base64
        return None


def _detect(body: bytes) -> str | None:
    """The codec charset-normalizer is confident about, or None (also when it is not installed)."""
    try:
        from charset_normalizer import from_bytes
    except ImportError:
        return None
    best = from_bytes(body[:_DETECT_BYTES]).best()
    if best is None or best.chaos > _MAX_CHAOS:
        return None
    return _codec(best.encoding)


def _decoded(body: bytes, codec: str, source: str) -> Decoded:
    """Decode with `codec`, replacing bytes that do not fit (and saying so)."""
    text = _strict(body, codec)
    if text is not None:
        return _done(text, codec, source)
    return _done(body.decode(codec, "replace"), codec, source, exact=False)


def _done(text: str, codec: str, source: str, exact: bool = True) -> Decoded:
    return Decoded(unicodedata.normalize("NFC", text), codec, source, exact)
