"""Read documents from files, directories, JSON Lines (optionally gzipped), HTML, WARC, tables or stdin.

Everything streams: only one document is held in memory at a time, and none larger than
ReadOptions.max_doc_bytes. A document that cannot be read, or whose id was already read in the run,
is reported through an ErrorLog ("chiso: skipped FILE:LINE: reason") and skipped; the run goes on.
"""
from __future__ import annotations

import gzip
import io
import json
import os
import sys
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, Iterable, Iterator

from pipeline.document import Document, normalize_text
from pipeline.errors import ErrorLog, InputError
# DATE_FIELDS and date_text are re-exported: the API reads dates with the same rule.
from pipeline.read_record import DATE_FIELDS, FieldNames, date_text, document_from_record  # noqa: F401

STDIN = "-"

# Input formats by file name ending (longest endings first, so ".jsonl.gz" wins over ".gz").
FORMATS = (
    (".jsonl.gz", "jsonl"), (".ndjson.gz", "jsonl"), (".warc.gz", "warc"), (".csv.gz", "table"),
    (".tsv.gz", "table"), (".jsonl", "jsonl"), (".ndjson", "jsonl"), (".txt", "text"),
    (".html", "html"), (".htm", "html"), (".warc", "warc"), (".csv", "table"), (".tsv", "table"),
    (".parquet", "table"),
)

# The skip reason of a JSON Lines file without a single record.
EMPTY_JSONL = "empty file (no JSON records)"
# The largest document (or JSON line), in bytes once decompressed: a small .gz can expand to gigabytes.
DEFAULT_MAX_DOC_BYTES = 50_000_000
_SKIP_CHUNK = 1 << 20  # bytes read at a time while passing over an oversized line


@dataclass(frozen=True)
class ReadOptions:
    """How inputs are read: the size limit of one document or line (bytes after decompression), and the
    fields (JSON Lines) or columns (tables) holding the id and the text (None: "id"/"text" or an alias)."""

    max_doc_bytes: int = DEFAULT_MAX_DOC_BYTES
    id_field: str | None = None
    text_field: str | None = None

    def too_big(self, what: str) -> str:
        """The skip reason of a `what` ("line", "page", "file") above the size limit."""
        return f"{what} larger than {self.max_doc_bytes:,} bytes once decompressed (limit: --max-doc-bytes)"


DEFAULT_OPTIONS = ReadOptions()


class SeenIds:
    """The doc_ids read so far in a run and where each was first read: a second one is a duplicate.

    Two documents with one id would mix their records (every record is keyed by doc_id), so the
    first is kept and the others are reported and skipped, within a file and across files.
    """

    def __init__(self) -> None:
        self.first: dict[str, str] = {}

    def duplicate(self, doc_id: str, location: str) -> str | None:
        """The skip reason if `doc_id` was read before; otherwise None, and `location` is remembered."""
        first = self.first.get(doc_id)
        if first is None:
            self.first[doc_id] = location
            return None
        file, _, line = first.rpartition(":")
        if file and file == location.rpartition(":")[0]:  # same file: "line 5" (JSON Lines), "row 5" (a table)
            where = f"line {line}" if line.isdigit() else line
        else:
            where = first
        return f"duplicate id {doc_id!r} (first at {where})"

    def admit(self, doc: Document, errors: ErrorLog, location: str | None = None) -> bool:
        """True for a document whose id is new; a duplicate is reported to `errors`."""
        location = location or doc.location
        reason = self.duplicate(doc.doc_id, location)
        if reason is not None:
            errors.skip(location, reason)
        return reason is None


def input_format(path: str | Path) -> str | None:
    """The reader for `path` by its name ending: text, jsonl, html, warc, table, or None if unknown."""
    name = str(path).lower()
    for ending, fmt in FORMATS:
        if name.endswith(ending):
            return fmt
    return None


def expand_inputs(inputs: Iterable[str | Path], errors: ErrorLog | None = None) -> Iterator[str | Path]:
    """Files (and "-") named by `inputs`: directories recursively, sorted, only files of a known format.

    Hidden files and directories (names starting with ".") inside a directory are left out.
    A file named explicitly with an unknown ending is read as plain text; a missing path is reported,
    and so is a file met a second time (named twice, or named and inside a directory named too): it is read once.
    """
    errors = errors if errors is not None else ErrorLog()
    given: set[Path] = set()
    for item in inputs:
        if str(item) == STDIN:
            yield STDIN
            continue
        path = Path(item)
        if path.is_dir():
            files = directory_inputs(path, errors)
        elif path.is_file():
            files = [path]
        else:
            errors.skip(str(path), "no such file or directory")
            continue
        for file in files:
            real = file.resolve()
            if real in given:
                errors.skip(str(file), "the same file is already among the inputs (read once)")
                continue
            given.add(real)
            yield file


def directory_inputs(directory: Path, errors: ErrorLog | None = None) -> list[Path]:
    """The input files below `directory`, sorted: known formats only, hidden files and directories left out.

    Links to files and directories are followed. What cannot be walked is reported to `errors`: an
    unreadable directory, a broken link, a link back to a directory already walked (a loop).
    """
    errors = errors if errors is not None else ErrorLog()
    files: list[Path] = []
    walked: set[tuple[int, int]] = set()
    pending = [directory]
    while pending:
        folder = pending.pop()
        try:
            status = folder.stat()
            if (status.st_dev, status.st_ino) in walked:
                errors.skip(str(folder), "link to a directory already read (a loop?): not followed")
                continue
            walked.add((status.st_dev, status.st_ino))
            with os.scandir(folder) as scan:
                entries = sorted(scan, key=lambda e: e.name)
        except OSError as err:
            errors.skip(str(folder), f"cannot read directory: {err.strerror or err}")
            continue
        folders = []
        for entry in entries:
            if entry.name.startswith("."):  # .git, an editor's or a writer's temporary file: not an input
                continue
            path = Path(entry.path)
            try:
                if entry.is_dir():
                    folders.append(path)
                elif entry.is_file():
                    if input_format(path):
                        files.append(path)
                elif entry.is_symlink():
                    errors.skip(str(path), f"broken link (to {os.readlink(path)})")
            except OSError as err:
                errors.skip(str(path), f"cannot read: {err.strerror or err}")
        pending.extend(reversed(folders))  # depth first, in name order: problems are reported in path order
    return sorted(files)


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


def read_bounded(stream: IO[bytes], options: ReadOptions, location: str, what: str = "file") -> bytes:
    """All the bytes of `stream`, or InputError past the size limit (never more than limit + 1 bytes held)."""
    data = stream.read(options.max_doc_bytes + 1)
    if len(data) > options.max_doc_bytes:
        raise InputError(location, options.too_big(what))
    return data


def read_text_file(path: str | Path, options: ReadOptions = DEFAULT_OPTIONS) -> Document:
    """One plain-text file as one document; doc_id is the file stem. Raises InputError."""
    path = Path(path)
    location = str(path)
    try:
        with path.open("rb") as fh:
            data = read_bounded(fh, options, location)
    except OSError as err:
        raise InputError(location, f"cannot read: {err.strerror or err}") from None
    text = normalize_text(decode_utf8(data, location))
    if not text.strip():
        raise InputError(location, "empty file")
    return Document(doc_id=path.stem, text=text, meta=document_meta(path))


def bounded_lines(stream: IO[bytes], limit: int, size: int | None = None) -> Iterator[tuple[bytes | None, int]]:
    """(line, length) for each line of a binary stream, up to `size` bytes if given.

    A line longer than `limit` bytes comes as (None, length): it is read past in chunks, never held
    whole, so a gzipped line of gigabytes costs time but no memory.
    """
    read = 0
    while size is None or read < size:
        raw = stream.readline(limit + 1)
        if not raw:
            return
        length = len(raw)
        if length > limit and not raw.endswith(b"\n"):
            while raw and not raw.endswith(b"\n"):
                raw = stream.readline(_SKIP_CHUNK)
                length += len(raw)
            raw = None
        read += length
        yield raw, length


def document_from_json_line(line: str, location: str, errors: ErrorLog | None = None,
                            options: ReadOptions = DEFAULT_OPTIONS) -> Document:
    """One JSON Lines record ({"id": ..., "text": ..., other fields kept as meta}) as a document.

    The id and text fields are options.id_field / options.text_field, else "id" / "text", else a common
    alias (article_id, content, body...) with a note. A date that is no date is left out with a note.
    """
    try:
        data = json.loads(line)
    except json.JSONDecodeError as err:
        raise InputError(location, f"bad JSON ({err.msg} at column {err.colno})") from None
    if not isinstance(data, dict):
        raise InputError(location, f"a JSON object is required, got {type(data).__name__}")
    fields = FieldNames.of(data, options.id_field, options.text_field, location, errors)
    return document_from_record(data, location, fields, errors)


def iter_json_lines(stream: IO[bytes], name: str, errors: ErrorLog, first_line_number: int = 1,
                    counts: dict[str, int] | None = None, first_byte: int = 0, size: int | None = None,
                    options: ReadOptions = DEFAULT_OPTIONS, seen: SeenIds | None = None) -> Iterator[Document]:
    """Documents of a binary JSON Lines stream; bad, oversized lines and duplicate ids are reported and skipped.

    A stream that starts inside a file (a shard) passes the line number and byte offset it starts
    at, so errors still name FILE:LINE and the byte offset in the whole file, and reads `size` bytes.
    `counts` (if given) receives "lines", the number of non-blank lines seen, and "broken" = 1 if the
    stream could not be read to its end. `seen` holds the ids of the run read before (default: this stream's).
    """
    counts = counts if counts is not None else {}
    counts.setdefault("lines", 0)
    seen = seen if seen is not None else SeenIds()
    offset = first_byte
    number = first_line_number - 1
    try:
        for raw, length in bounded_lines(stream, options.max_doc_bytes, size):
            number += 1
            location = f"{name}:{number}"
            line_offset, offset = offset, offset + length
            if raw is None:
                counts["lines"] += 1
                errors.skip(location, options.too_big("line"))
                continue
            if not raw.strip():
                continue
            counts["lines"] += 1
            try:
                doc = document_from_json_line(decode_utf8(raw, location, line_offset), location, errors, options)
            except InputError as err:
                errors.skip_error(err)
                continue
            if not seen.admit(doc, errors, location):
                continue
            doc.meta.setdefault("source", f"{name}:{number}")
            yield doc
    except (OSError, EOFError, zlib.error) as err:
        # A truncated or corrupt gzip stream: what was read stays, the rest of the file is lost.
        counts["broken"] = 1
        errors.skip(f"{name}:{number + 1}", f"cannot read the rest of the file: {err}")


def read_jsonl_file(path: str | Path, errors: ErrorLog, options: ReadOptions = DEFAULT_OPTIONS,
                    seen: SeenIds | None = None) -> Iterator[Document]:
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
        yield from iter_json_lines(stream, str(path), errors, counts=counts, options=options, seen=seen)
    if counts["lines"] == 0 and not counts.get("broken"):
        errors.skip(str(path), EMPTY_JSONL)


GZIP_MAGIC = b"\x1f\x8b"


def read_stdin(errors: ErrorLog, stream: IO[bytes] | None = None, options: ReadOptions = DEFAULT_OPTIONS,
               seen: SeenIds | None = None) -> Iterator[Document]:
    """stdin: JSON Lines if the first non-blank character is "{", else one plain-text document "stdin".

    Gzipped input (`zcat`-able) is decompressed on the fly.
    """
    stream = stream if stream is not None else sys.stdin.buffer
    if not hasattr(stream, "peek"):
        stream = io.BufferedReader(stream)
    if stream.peek(2)[:2] == GZIP_MAGIC:
        stream = gzip.GzipFile(fileobj=stream, mode="rb")
    name = "<stdin>"
    limit = options.max_doc_bytes
    lead = bytearray()  # the leading blank lines, kept (up to the limit) for a plain-text document
    lead_lines = lead_bytes = 0
    try:
        while raw := stream.readline(limit + 1):
            if not raw.strip():
                lead_lines, lead_bytes = lead_lines + 1, lead_bytes + len(raw)
                if len(lead) <= limit:
                    lead += raw
                continue
            if raw.lstrip().startswith(b"{"):
                yield from iter_json_lines(_Replay(raw, stream), name, errors, first_line_number=lead_lines + 1,
                                           first_byte=lead_bytes, options=options, seen=seen)
                return
            # Plain text: the whole input is the document, leading blank lines included (offsets count them).
            data = bytes(lead) + raw
            if lead_bytes + len(raw) <= limit:
                data += stream.read(limit + 1 - len(data))
            if lead_bytes + len(raw) > limit or len(data) > limit:
                raise InputError(name, options.too_big("input"))
            doc = Document(doc_id="stdin", text=normalize_text(decode_utf8(data, name)), meta={"source": name})
            if seen is None or seen.admit(doc, errors):
                yield doc
            return
    except InputError as err:
        errors.skip_error(err)
        return
    except (OSError, EOFError, zlib.error) as err:
        errors.skip(name, f"cannot read: {err}")
        return
    errors.skip(name, "empty input")


class _Replay:
    """A binary stream that gives back one line already read, then the rest of `stream` (readline only)."""

    def __init__(self, head: bytes, stream: IO[bytes]):
        self.head, self.stream = head, stream

    def readline(self, size: int = -1) -> bytes:
        """The next line, at most `size` bytes (all of it if size < 0)."""
        if not self.head:
            return self.stream.readline(size)
        cut = len(self.head) if size < 0 else min(size, len(self.head))
        line, self.head = self.head[:cut], self.head[cut:]
        return line


def _read_html(path: Path, options: ReadOptions) -> Iterator[Document]:
    # Imported on first use: the HTML cleaner (bs4, lxml) is slow to load and plain-text runs never need it.
    from pipeline.read_html import read_html_file

    yield read_html_file(path, options)


def _read_warc(path: Path, errors: ErrorLog, options: ReadOptions) -> Iterator[Document]:
    from pipeline.read_warc import iter_warc  # imported on first use, like the HTML reader

    yield from iter_warc(path, errors, options)


def _read_table(path: Path, errors: ErrorLog, options: ReadOptions, seen: SeenIds) -> Iterator[Document]:
    from pipeline.read_table import iter_table  # imported on first use: pandas is slow to load

    yield from iter_table(path, errors, options, seen)


def read_file(path: str | Path, errors: ErrorLog, options: ReadOptions = DEFAULT_OPTIONS,
              seen: SeenIds | None = None) -> Iterator[Document]:
    """The documents of one file, by its format; unreadable documents (and ids in `seen`) are reported and skipped."""
    path = Path(path)
    fmt = input_format(path) or "text"
    seen = seen if seen is not None else SeenIds()
    try:
        if fmt == "jsonl":
            yield from read_jsonl_file(path, errors, options, seen)
            return
        if fmt == "table":
            yield from _read_table(path, errors, options, seen)
            return
        if fmt == "text":
            documents: Iterable[Document] = [read_text_file(path, options)]
        elif fmt == "html":
            documents = _read_html(path, options)
        else:
            documents = _read_warc(path, errors, options)
        yield from (doc for doc in documents if seen.admit(doc, errors))
    except InputError as err:
        errors.skip_error(err)
    except ImportError as err:
        errors.skip(str(path), f"no reader for {fmt} input ({err})")
    except (OSError, ValueError) as err:
        errors.skip(str(path), f"cannot read {fmt}: {err}")


def read_documents(inputs: Iterable[str | Path], errors: ErrorLog | None = None,
                   options: ReadOptions = DEFAULT_OPTIONS) -> Iterator[Document]:
    """Stream the documents of files, directories (recursive, sorted) and "-" (stdin), skipping bad ones.

    A doc_id met a second time anywhere in the run is reported and skipped: the first document keeps it.
    """
    errors = errors if errors is not None else ErrorLog()
    if isinstance(inputs, (str, Path)):
        inputs = [inputs]
    seen = SeenIds()
    for item in expand_inputs(inputs, errors):
        if item == STDIN:
            yield from read_stdin(errors, options=options, seen=seen)
        else:
            yield from read_file(item, errors, options, seen)
