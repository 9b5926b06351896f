"""Article tables as documents, one per row: .csv, .tsv (gzipped too) and .parquet, read as a stream.

A table needs a column for the id and one for the text ("id"/"text", an alias such as article_id /
content / body, or the columns named by --id-field / --text-field); the other columns are kept as
metadata (a "published" or "date" column gives the records' date). Memory stays bounded: CSV and TSV
are read row by row with the csv module, whose field size limit is set to --max-doc-bytes (pandas has
no such limit: one cell of a gzipped CSV could expand to gigabytes); Parquet one record batch at a time.
Every CSV cell is text, so an id "007" stays "007". Messages name FILE:LINE (CSV) or FILE:row N (Parquet).
"""
from __future__ import annotations

import csv
import gzip
import zlib
from pathlib import Path
from typing import Any, Iterator

from pipeline.document import Document
from pipeline.errors import ErrorLog, InputError
from pipeline.read_record import FieldNames, document_from_record
from pipeline.readers import DEFAULT_OPTIONS, ReadOptions, SeenIds

ROWS_PER_BATCH = 1000  # Parquet rows decoded at a time

# (location, row) pairs of a table: a row is a dict of its cells, or the InputError that makes it a skip.
Rows = Iterator[tuple[str, "dict[str, Any] | InputError"]]


class _CellTooBig(ValueError):
    """A CSV cell above the size limit: the rest of the table cannot be framed."""


def is_parquet(path: Path) -> bool:
    """True for a .parquet file (else the table is CSV or TSV text)."""
    return path.name.lower().endswith(".parquet")


def iter_table(path: str | Path, errors: ErrorLog, options: ReadOptions = DEFAULT_OPTIONS,
               seen: SeenIds | None = None) -> Iterator[Document]:
    """The documents of a table, one per row; bad rows are reported and skipped."""
    path = Path(path)
    seen = seen if seen is not None else SeenIds()
    table = _ParquetTable(path) if is_parquet(path) else _TextTable(path, options)
    count = 0
    try:
        with table:
            fields = _fields(table.columns, str(path), options, errors)
            if fields is None:
                return
            for location, row in table.rows():
                count += 1
                doc = _row_document(row, location, fields, options, errors)
                if doc is not None and seen.admit(doc, errors, location):
                    doc.meta.setdefault("source", location)
                    yield doc
    except InputError as err:
        errors.skip_error(err)
        return
    except _CellTooBig:
        errors.skip(table.where, f"{options.too_big('cell')}, rest of the table skipped")
        return
    except (OSError, EOFError, zlib.error, UnicodeDecodeError, ValueError, csv.Error) as err:
        # pyarrow's ArrowInvalid is a ValueError.
        what = "not valid UTF-8" if isinstance(err, UnicodeDecodeError) else f"{type(err).__name__}: {err}"
        errors.skip(table.where if count else str(path),
                    f"cannot read {'the rest of ' if count else ''}the table: {what}")
        return
    if count == 0:
        errors.skip(str(path), "empty table (no rows)")


def _fields(columns: list[str], name: str, options: ReadOptions, errors: ErrorLog) -> FieldNames | None:
    """The id and text columns, or None (reported) when the table has none of them; InputError for a
    table of chiso records."""
    fields = FieldNames.of(columns, options.id_field, options.text_field, name, errors)
    missing = [f"no '{c}' column" for c in (fields.id, fields.text) if c not in columns]
    if missing:
        shown = ", ".join(columns[:12]) + (", ..." if len(columns) > 12 else "")
        errors.skip(name, f"{' and '.join(missing)} (columns: {shown}); "
                          "name them with --id-field / --text-field")
        return None
    return fields


def _row_document(row: dict[str, Any] | InputError, location: str, fields: FieldNames, options: ReadOptions,
                  errors: ErrorLog) -> Document | None:
    """The document of one row, or None when it is reported as a skip."""
    if isinstance(row, InputError):
        errors.skip_error(row)
        return None
    text = row.get(fields.text)
    # A UTF-8 character takes at most 4 bytes: encode only the texts that may be too long.
    if isinstance(text, str) and len(text) * 4 > options.max_doc_bytes \
            and len(text.encode("utf-8")) > options.max_doc_bytes:
        errors.skip(location, options.too_big("text"))
        return None
    try:
        return document_from_record(row, location, fields, errors)
    except InputError as err:
        errors.skip_error(err)
        return None


class _TextTable:
    """A CSV or TSV file, opened by `with`: its column names and its rows; the csv field limit is the size limit."""

    def __init__(self, path: Path, options: ReadOptions):
        self.path, self.limit = path, options.max_doc_bytes
        self.columns: list[str] = []
        self.where = str(path)  # where reading is (FILE:LINE), for an error that ends the table

    def __enter__(self) -> "_TextTable":
        name = self.path.name.lower()
        opener = gzip.open if name.endswith(".gz") else open
        self.fh = opener(self.path, "rt", encoding="utf-8-sig", newline="")
        self.previous_limit = csv.field_size_limit(self.limit)  # process-wide: restored on exit
        delimiter = "\t" if name.removesuffix(".gz").endswith(".tsv") else ","
        self.reader = csv.reader(self.fh, delimiter=delimiter)
        self.columns = self._next() or []
        return self

    def __exit__(self, *exc) -> None:
        csv.field_size_limit(self.previous_limit)
        self.fh.close()

    def _next(self) -> list[str] | None:
        self.where = f"{self.path}:{self.reader.line_num + 1}"
        try:
            return next(self.reader, None)
        except csv.Error as err:
            if "field larger than field limit" in str(err):
                raise _CellTooBig(str(err)) from None
            raise

    def rows(self) -> Rows:
        """(FILE:LINE where the row starts, its cells by column name), blank lines left out."""
        while True:
            location = f"{self.path}:{self.reader.line_num + 1}"
            cells = self._next()
            if cells is None:
                return
            if not cells:
                continue
            if len(cells) != len(self.columns):
                yield location, InputError(location, f"{len(cells)} cells, but the header has {len(self.columns)}")
            else:
                yield location, dict(zip(self.columns, cells))


class _ParquetTable:
    """A Parquet file, opened by `with`: its column names and its rows, decoded one record batch at a time."""

    def __init__(self, path: Path):
        self.path = path
        self.columns: list[str] = []
        self.where = str(path)

    def __enter__(self) -> "_ParquetTable":
        import pyarrow.parquet as pq

        self.file = pq.ParquetFile(self.path)
        self.columns = list(self.file.schema_arrow.names)
        return self

    def __exit__(self, *exc) -> None:
        self.file.close()

    def rows(self) -> Rows:
        """(FILE:row N, the row's values by column name)."""
        number = 0
        for batch in self.file.iter_batches(batch_size=ROWS_PER_BATCH):
            for row in batch.to_pylist():
                number += 1
                self.where = f"{self.path}:row {number + 1}"
                yield f"{self.path}:row {number}", row
