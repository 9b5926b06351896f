"""Read documents from files, directories, JSON Lines (optionally gzipped), HTML, WARC or stdin.

Everything streams: only one document is held in memory at a time. A document that cannot be read
is reported through an ErrorLog ("chiso: skipped FILE:LINE: reason") and skipped; the run goes on.
"""
from __future__ import annotations

import gzip
import io
import json
import sys
import zlib
from pathlib import Path
from typing import IO, Any, Iterable, Iterator

from pipeline.document import Document, normalize_text, refuse_lone_surrogates
from pipeline.errors import ErrorLog, InputError

STDIN = "-"

# Input formats by file name ending (longest endings first, so ".jsonl.gz" wins over ".gz").
FORMATS = (
    (".jsonl.gz", "jsonl"), (".ndjson.gz", "jsonl"), (".warc.gz", "warc"),
    (".jsonl", "jsonl"), (".ndjson", "jsonl"), (".txt", "text"),
    (".html", "html"), (".htm", "html"), (".warc", "warc"),
)

# The skip reason of a JSON Lines file without a single record.
EMPTY_JSONL = "empty file (no JSON records)"
# JSON fields that carry the publishing date, in order of preference.
DATE_FIELDS = ("published", "date")


def input_format(path: str | Path) -> str | None:
    """The reader for `path` by its name ending: text, jsonl, html, warc, or None if unknown."""
    name = str(path).lower()
    for ending, fmt in FORMATS:
        if name.endswith(ending):
            return fmt
    return None


def expand_inputs(inputs: Iterable[str | Path], errors: ErrorLog | None = None) -> Iterator[str | Path]:
    """Files (and "-") named by `inputs`: directories recursively, sorted, only files of a known format.

    Hidden files and directories (names starting with ".") inside a directory are left out.
    A file named explicitly with an unknown ending is read as plain text; a missing path is reported.
    """
    errors = errors if errors is not None else ErrorLog()
    for item in inputs:
        if str(item) == STDIN:
            yield STDIN
            continue
        path = Path(item)
        if path.is_dir():
            yield from directory_inputs(path)
        elif path.is_file():
            yield path
        else:
            errors.skip(str(path), "no such file or directory")


def directory_inputs(directory: Path) -> list[Path]:
    """The input files below `directory`, sorted: known formats only, hidden files and directories left out."""
    return sorted(p for p in directory.rglob("*") if p.is_file() and input_format(p)
                  and not _hidden(p.relative_to(directory)))


def _hidden(relative: Path) -> bool:
    """A dotted file or directory (.git, an editor's or a writer's temporary file) is not an input."""
    return any(part.startswith(".") for part in relative.parts)


def document_meta(path: str | Path) -> dict[str, Any]:
    """The provenance kept with every document read from a file."""
    return {"source": str(path)}


def decode_utf8(data: bytes, location: str, base_offset: int = 0) -> str:
    """Strict UTF-8 decoding; the error names the byte offset (from the start of the file) of the bad byte."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as err:
        raise InputError(location, f"not valid UTF-8 at byte {base_offset + err.start} "
                                   f"(byte 0x{data[err.start]:02x})") from None
    return text[1:] if text.startswith("\ufeff") else text


def read_text_file(path: str | Path) -> Document:
    """One plain-text file as one document; doc_id is the file stem. Raises InputError."""
    path = Path(path)
    location = str(path)
    try:
        data = path.read_bytes()
    except OSError as err:
        raise InputError(location, f"cannot read: {err.strerror or err}") from None
    text = normalize_text(decode_utf8(data, location))
    if not text.strip():
        raise InputError(location, "empty file")
    return Document(doc_id=path.stem, text=text, meta=document_meta(path))


def document_from_json_line(line: str, location: str) -> Document:
    """One JSON Lines record ({"id": ..., "text": ..., other fields kept as meta}) as a document."""
    try:
        data = json.loads(line)
    except json.JSONDecodeError as err:
        raise InputError(location, f"bad JSON ({err.msg} at column {err.colno})") from None
    if not isinstance(data, dict):
        raise InputError(location, f"a JSON object is required, got {type(data).__name__}")
    doc_id = data.get("id")
    if isinstance(doc_id, int) and not isinstance(doc_id, bool):
        doc_id = str(doc_id)
    if not isinstance(doc_id, str) or not doc_id.strip():
        raise InputError(location, "missing or empty 'id' (a string is required)")
    if "text" not in data:
        raise InputError(location, f"record {doc_id!r} has no 'text'")
    text = data["text"]
    if not isinstance(text, str):
        raise InputError(location, f"record {doc_id!r}: 'text' must be a string, got {type(text).__name__}")
    text = normalize_text(text)
    if not text.strip():
        raise InputError(location, f"record {doc_id!r} has an empty 'text'")
    meta = {k: v for k, v in data.items() if k not in ("id", "text")}
    refuse_lone_surrogates(location, {"id": doc_id, "text": text, "url": meta.get("url"),
                                      **{f: meta.get(f) for f in DATE_FIELDS}})
    if "published" not in meta:
        date = next((meta[f] for f in DATE_FIELDS if meta.get(f) is not None), None)
        if date is not None:
            meta["published"] = str(date)
    return Document(doc_id=doc_id, text=text, meta=meta)


def iter_json_lines(stream: IO[bytes], name: str, errors: ErrorLog, first_line_number: int = 1,
                    counts: dict[str, int] | None = None, first_byte: int = 0) -> Iterator[Document]:
    """Documents of a binary JSON Lines stream; bad lines and duplicate ids are reported and skipped.

    A stream that starts inside a file (a shard) passes the line number and byte offset it starts
    at, so errors still name FILE:LINE and the byte offset in the whole file.
    `counts` (if given) receives "lines", the number of non-blank lines seen, and "broken" = 1 if the
    stream could not be read to its end.
    """
    counts = counts if counts is not None else {}
    counts.setdefault("lines", 0)
    seen: dict[str, int] = {}
    offset = first_byte
    number = first_line_number - 1
    try:
        for raw in stream:
            number += 1
            location = f"{name}:{number}"
            line_offset, offset = offset, offset + len(raw)
            if not raw.strip():
                continue
            counts["lines"] += 1
            try:
                doc = document_from_json_line(decode_utf8(raw, location, line_offset), location)
            except InputError as err:
                errors.skip_error(err)
                continue
            if doc.doc_id in seen:
                errors.skip(location, f"duplicate id {doc.doc_id!r} (first at line {seen[doc.doc_id]})")
                continue
            seen[doc.doc_id] = number
            doc.meta.setdefault("source", f"{name}:{number}")
            yield doc
    except (OSError, EOFError, zlib.error) as err:
        # A truncated or corrupt gzip stream: what was read stays, the rest of the file is lost.
        counts["broken"] = 1
        errors.skip(f"{name}:{number + 1}", f"cannot read the rest of the file: {err}")


def read_jsonl_file(path: str | Path, errors: ErrorLog) -> Iterator[Document]:
    """Documents of a .jsonl / .ndjson file, gzipped when the name ends with .gz."""
    path = Path(path)
    opener = gzip.open if str(path).lower().endswith(".gz") else open
    try:
        stream = opener(path, "rb")
    except OSError as err:
        errors.skip(str(path), f"cannot read: {err.strerror or err}")
        return
    counts: dict[str, int] = {}
    with stream:
        yield from iter_json_lines(stream, str(path), errors, counts=counts)
    if counts["lines"] == 0 and not counts.get("broken"):
        errors.skip(str(path), EMPTY_JSONL)


GZIP_MAGIC = b"\x1f\x8b"


def read_stdin(errors: ErrorLog, stream: IO[bytes] | None = None) -> Iterator[Document]:
    """stdin: JSON Lines if the first non-blank character is "{", else one plain-text document "stdin".

    Gzipped input (`zcat`-able) is decompressed on the fly.
    """
    stream = stream if stream is not None else sys.stdin.buffer
    if not hasattr(stream, "peek"):
        stream = io.BufferedReader(stream)
    if stream.peek(2)[:2] == GZIP_MAGIC:
        stream = gzip.GzipFile(fileobj=stream, mode="rb")
    name = "<stdin>"
    blank: list[bytes] = []
    for raw in stream:
        if not raw.strip():
            blank.append(raw)
            continue
        if raw.lstrip().startswith(b"{"):
            yield from iter_json_lines(_chain([raw], stream), name, errors, first_line_number=len(blank) + 1)
            return
        # Plain text: the whole input is the document, leading blank lines included (offsets count them).
        try:
            data = b"".join(blank) + raw + stream.read()
            text = normalize_text(decode_utf8(data, name))
        except InputError as err:
            errors.skip_error(err)
            return
        except (OSError, EOFError, zlib.error) as err:
            errors.skip(name, f"cannot read: {err}")
            return
        yield Document(doc_id="stdin", text=text, meta={"source": name})
        return
    errors.skip(name, "empty input")


def _chain(first: list[bytes], rest: IO[bytes]) -> Iterator[bytes]:
    yield from first
    yield from rest


def _read_html(path: Path) -> Iterator[Document]:
    # Imported on first use: the HTML cleaner (bs4, lxml) is slow to load and plain-text runs never need it.
    from pipeline.read_html import read_html_file

    yield read_html_file(path)


def _read_warc(path: Path, errors: ErrorLog) -> Iterator[Document]:
    from pipeline.read_warc import iter_warc  # imported on first use, like the HTML reader

    yield from iter_warc(path, errors)


def read_file(path: str | Path, errors: ErrorLog) -> Iterator[Document]:
    """The documents of one file, by its format; unreadable documents are reported and skipped."""
    path = Path(path)
    fmt = input_format(path) or "text"
    try:
        if fmt == "text":
            yield read_text_file(path)
        elif fmt == "jsonl":
            yield from read_jsonl_file(path, errors)
        elif fmt == "html":
            yield from _read_html(path)
        elif fmt == "warc":
            yield from _read_warc(path, errors)
    except InputError as err:
        errors.skip_error(err)
    except ImportError as err:
        errors.skip(str(path), f"no reader for {fmt} input ({err})")
    except (OSError, ValueError) as err:
        errors.skip(str(path), f"cannot read {fmt}: {err}")


def read_documents(inputs: Iterable[str | Path], errors: ErrorLog | None = None) -> Iterator[Document]:
    """Stream the documents of files, directories (recursive, sorted) and "-" (stdin), skipping bad ones."""
    errors = errors if errors is not None else ErrorLog()
    if isinstance(inputs, (str, Path)):
        inputs = [inputs]
    for item in expand_inputs(inputs, errors):
        if item == STDIN:
            yield from read_stdin(errors)
        else:
            yield from read_file(item, errors)
