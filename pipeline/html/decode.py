"""Bytes of a web page to NFC text, finding the charset like a browser would; the one decoder of crawl and read.

Precedence:
1. a byte-order mark;
2. UTF-8, when the non-ASCII bytes are valid UTF-8: whatever a header or <meta> says (real legacy text is
   practically never valid UTF-8, while wrong declarations are common);
3. UTF-8 with U+FFFD for the bad bytes, with a warning, when the bytes are UTF-8 but for a few bad ones (a
   truncated sequence, one stray byte): one bad byte must not turn the whole page into mojibake;
4. a declared charset that decodes the bytes: the one an earlier pass chose (the crawler's
   `WARC-Chiso-Charset`), then the Content-Type charset, then <meta charset> / http-equiv near the top;
5. the Vietnamese legacy charsets (windows-1258, and VISCII / TCVN3 / VNI if a package registers a codec for them)
   when the text they give reads as Vietnamese;
6. a Latin declaration (iso-8859-1, windows-1252, ascii) that decodes: it is weak, because Latin-1 cannot spell
   Vietnamese and such a label is almost always a server default;
7. charset-normalizer's guess when it is confident;
8. windows-1258 as a last resort, bytes that do not fit replaced.

Only real text encodings count: labels naming codecs such as `unicode_escape`, `base64` or `utf-7`, or an
ASCII-incompatible one in <meta>, are ignored. The output is NFC because windows-1258 spells many Vietnamese
letters as base letter + combining tone mark.

`decode_page` never fails (the crawler needs some text for every page); `decode_html` is the strict form for the
readers: it raises UndecodableError when only the last-resort guess or a lossy decoding was left (UTF-8 with a few
bad bytes excepted: that is returned, and its warning handed to `on_warning`).
"""
from __future__ import annotations

import codecs
import re
import unicodedata
from dataclasses import dataclass
from typing import Callable

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
# Python codecs that turn bytes into text but are not charsets a page can be written in.
_NOT_CHARSETS = {"unicode-escape", "raw-unicode-escape", "punycode", "idna", "utf-7", "undefined", "charmap",
                 "mbcs", "oem"}
# Vietnamese legacy charsets, most common first; codecs Python does not have are skipped.
_VIETNAMESE_LABELS = ("cp1258", "viscii", "tcvn3", "tcvn", "vni")
# A page is UTF-8 with a few bad bytes when it has at least this many valid multi-byte characters per bad byte
# (legacy 8-bit text has far fewer: nearly every non-ASCII byte of it is a bad UTF-8 byte); fewer needed when
# the page says it is UTF-8.
_UTF8_PER_BAD_BYTE = 4
_UTF8_PER_BAD_BYTE_DECLARED = 1
_VIETNAMESE_SHARE = 0.9  # share of non-ASCII letters that must be Vietnamese letters
# WARC record header in which the crawler keeps the charset it decoded a page with (read back by read_warc).
CHOSEN_CHARSET_HEADER = "WARC-Chiso-Charset"


def _vietnamese_letters() -> frozenset[str]:
    vowels = "aăâeêioôơuưy"
    tones = ("", "\u0300", "\u0301", "\u0303", "\u0309", "\u0323")
    letters = {unicodedata.normalize("NFC", v + t) for v in vowels + vowels.upper() for t in tones}
    return frozenset(letters | {"đ", "Đ"})


_VIETNAMESE = _vietnamese_letters()


class UndecodableError(ValueError):
    """Bytes that no declared or detected charset decodes."""


@dataclass(frozen=True)
class Decoded:
    """NFC text, the codec used and where it came from (bom, warc, header, meta, utf-8, detected, fallback).

    `exact` is False when some bytes did not fit the codec and became U+FFFD; `warning` then says so, and
    `repaired` is True when that was only a few bad bytes in an otherwise UTF-8 page (the text can be trusted).
    """

    text: str
    charset: str
    source: str
    exact: bool = True
    warning: str | None = None
    repaired: bool = False


def _codec(label: str | None) -> str | None:
    """The Python codec name for a charset label, or None if unknown or not a real text encoding."""
    if not label or label.strip().lower() == "x-user-defined":
        return None
    try:
        info = codecs.lookup(label.strip().lower())
    except LookupError:
        return None
    if not getattr(info, "_is_text_encoding", True) or info.name in _NOT_CHARSETS:
        return None
    if info.name.startswith(("utf-16", "utf-32")):
        return info.name
    # Anything else must spell ASCII as ASCII (no EBCDIC): the markup around the text is ASCII.
    try:
        return info.name if b"<meta charset=x>".decode(info.name) == "<meta charset=x>" else None
    except (ValueError, LookupError):
        return None


def charset_from_content_type(content_type: str | None) -> str | None:
    """The charset parameter of an HTTP Content-Type header value."""
    match = _HEADER_CHARSET.search(content_type or "")
    return match.group(1) if match else None


def meta_charset(body: bytes) -> str | None:
    """The charset declared by <meta charset> or <meta http-equiv content="...charset=..."> near the top."""
    match = _META_CHARSET.search(body[:_SNIFF_BYTES])
    return match.group(1).decode("ascii", "replace") if match else None


def looks_vietnamese(text: str) -> bool:
    """True when (nearly) all non-ASCII letters of NFC `text` are letters of the Vietnamese alphabet.

    A stray combining tone mark (one that found no vowel to sit on) counts against.
    """
    letters = [ch for ch in text if ord(ch) > 127 and unicodedata.category(ch)[0] in "LM"]
    if not letters:
        return False
    return sum(ch in _VIETNAMESE for ch in letters) >= _VIETNAMESE_SHARE * len(letters)


def decode_page(body: bytes, content_type: str | None = None, *, chosen_charset: str | None = None) -> Decoded:
    """Decode page bytes given the Content-Type header value; never raises (see the module docstring)."""
    for bom, codec in _BOMS:
        if body.startswith(bom):
            return _decoded(body[len(bom):], codec, "bom")
    declared = [(source, label, _codec(label)) for source, label in (
        ("warc", chosen_charset), ("header", charset_from_content_type(content_type)), ("meta", meta_charset(body)))]
    if not body.isascii():
        utf8 = _strict(body, "utf-8")
        wrong = next(((s, label) for s, label, codec in declared if label and codec != "utf-8"), None)
        if utf8 is not None:
            note = f"utf-8 (declared {wrong[1]} in {wrong[0]} is wrong)" if wrong else "utf-8"
            return _done(utf8, "utf-8", note)
        said_utf8 = next((s for s, _, codec in declared if codec == "utf-8"), None)
        nearly = _mostly_utf8(body, _UTF8_PER_BAD_BYTE_DECLARED if said_utf8 else _UTF8_PER_BAD_BYTE)
        if nearly is not None:
            text, warning = nearly
            return _done(text, "utf-8", said_utf8 or "utf-8", exact=False, warning=warning, repaired=True)
    weak: tuple[str, str] | None = None
    for source, _, codec in declared:
        if source == "meta" and codec and codec.startswith(("utf-16", "utf-32")):
            codec = "utf-8"  # ASCII-compatible bytes cannot truthfully declare UTF-16 inside themselves
        if codec in _WEAK:
            weak = weak or (codec, source)
            continue
        text = _strict(body, codec)
        if text is not None:
            return _done(text, codec, source)
    for codec in filter(None, map(_codec, _VIETNAMESE_LABELS)):
        text = _strict(body, codec)
        if text is not None and looks_vietnamese(unicodedata.normalize("NFC", text[:_DETECT_BYTES])):
            return _done(text, codec, "detected")
    if weak is not None and (text := _strict(body, weak[0])) is not None:
        return _done(text, *weak)
    if (text := _strict(body, "utf-8")) is not None:
        return _done(text, "utf-8", "utf-8")
    guessed = _detect(body)
    if guessed:
        return _decoded(body, guessed, "detected")
    return _decoded(body, _LAST_RESORT, "fallback")


def decode_html(data: bytes, declared: str | None = None, *, content_type: str | None = None,
                chosen_charset: str | None = None, on_warning: Callable[[str], None] | None = None) -> str:
    """Decode page bytes strictly; `declared` is a bare header charset. Raises UndecodableError.

    UTF-8 with a few bad bytes is accepted (they become U+FFFD) and its warning passed to `on_warning`.
    """
    if declared and not content_type:
        content_type = f"text/html; charset={declared}"
    decoded = decode_page(data, content_type, chosen_charset=chosen_charset)
    if decoded.source == "fallback":
        raise UndecodableError("not UTF-8, no charset declared that fits, none detected")
    if not decoded.exact and not decoded.repaired:
        raise UndecodableError(f"bytes that are not {decoded.charset} (from {decoded.source})")
    if decoded.warning and on_warning is not None:
        on_warning(decoded.warning)
    return decoded.text


def _mostly_utf8(body: bytes, per_bad: int = _UTF8_PER_BAD_BYTE) -> tuple[str, str] | None:
    """(text, warning) when `body` is UTF-8 but for a few bad bytes (replaced by U+FFFD), else None."""
    text = body.decode("utf-8", "replace")
    bad = text.count("\ufffd") - body.count("\ufffd".encode())
    multibyte = sum(1 for ch in text if ord(ch) > 127) - bad
    if bad <= 0 or multibyte < per_bad * bad:
        return None
    return text, f"{bad} invalid UTF-8 byte sequence(s) replaced by U+FFFD (the rest of the page is UTF-8)"


def _strict(body: bytes, codec: str | None) -> str | None:
    """The body decoded with `codec`, or None if the codec is unknown or some bytes do not fit."""
    if not codec:
        return None
    try:
        return body.decode(codec)
    except (ValueError, LookupError):  # UnicodeDecodeError, or a codec that needs other input
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
    if codec == "utf-8" and (nearly := _mostly_utf8(body, _UTF8_PER_BAD_BYTE_DECLARED)) is not None:
        return _done(nearly[0], codec, source, exact=False, warning=nearly[1], repaired=True)
    return _done(body.decode(codec, "replace"), codec, source, exact=False,
                 warning=f"bytes that are not {codec} replaced by U+FFFD")


def _done(text: str, codec: str, source: str, exact: bool = True, warning: str | None = None,
          repaired: bool = False) -> Decoded:
    return Decoded(unicodedata.normalize("NFC", text), codec, source, exact, warning, repaired)
