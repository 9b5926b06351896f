"""Article tables as documents, one per row: .csv, .tsv (gzipped too) and .parquet, read in chunks.

A table needs a column for the id and one for the text ("id"/"text", an alias such as article_id /
content / body, or the columns named by --id-field / --text-field); the other columns are kept as
metadata (a "published" or "date" column gives the records' date). Memory stays bounded: CSV is read
ROWS_PER_CHUNK rows at a time, Parquet one record batch at a time.
"""
from __future__ import annotations

import zlib
from pathlib import Path
from typing import Any, Iterator

from pipeline.document import Document
from pipeline.errors import ErrorLog, InputError
from pipeline.read_record import FieldNames, document_from_record
from pipeline.readers import DEFAULT_OPTIONS, ReadOptions, SeenIds

ROWS_PER_CHUNK = 1000


def is_parquet(path: Path) -> bool:
    """True for a .parquet file (else the table is CSV or TSV text)."""
    return path.name.lower().endswith(".parquet")


def iter_table(path: str | Path, errors: ErrorLog, options: ReadOptions = DEFAULT_OPTIONS,
               seen: SeenIds | None = None) -> Iterator[Document]:
    """The documents of a table, one per row ("FILE:row N" in messages); bad rows are reported and skipped."""
    path = Path(path)
    name = str(path)
    seen = seen if seen is not None else SeenIds()
    number = 0
    try:
        chunks = _parquet_chunks(path) if is_parquet(path) else _text_chunks(path)
        fields = None
        for columns, rows in chunks:
            if fields is None:
                fields = _fields(columns, name, options, errors)
                if fields is None:
                    return
            for row in rows:
                number += 1
                location = f"{name}:row {number}"
                doc = _row_document(row, location, fields, options, errors)
                if doc is not None and seen.admit(doc, errors, location):
                    doc.meta.setdefault("source", location)
                    yield doc
    except InputError as err:
        errors.skip_error(err)
        return
    except (OSError, EOFError, zlib.error, UnicodeDecodeError, ValueError) as err:
        # pandas' ParserError and EmptyDataError and pyarrow's ArrowInvalid are ValueErrors.
        what = "not valid UTF-8" if isinstance(err, UnicodeDecodeError) else f"{type(err).__name__}: {err}"
        where = f"{name}:row {number + 1}" if number else name
        errors.skip(where, f"cannot read {'the rest of ' if number else ''}the table: {what}")
        return
    if number == 0:
        errors.skip(name, "empty table (no rows)")


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


def _row_document(row: dict[str, Any], location: str, fields: FieldNames, options: ReadOptions,
                  errors: ErrorLog) -> Document | None:
    """The document of one row, or None when it is reported as a skip."""
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


def _text_chunks(path: Path) -> Iterator[tuple[list[str], list[dict[str, Any]]]]:
    """(columns, rows) of a CSV/TSV file, ROWS_PER_CHUNK rows at a time; every cell is text."""
    import pandas as pd

    name = path.name.lower().removesuffix(".gz")
    sep = "\t" if name.endswith(".tsv") else ","
    # dtype=str and no NA values: an id "007" stays "007", an empty cell is "" (never NaN).
    reader = pd.read_csv(path, sep=sep, dtype=str, keep_default_na=False, na_values=[], chunksize=ROWS_PER_CHUNK,
                         encoding="utf-8-sig", compression="infer")
    with reader:
        for chunk in reader:
            yield [str(c) for c in chunk.columns], chunk.to_dict("records")


def _parquet_chunks(path: Path) -> Iterator[tuple[list[str], list[dict[str, Any]]]]:
    """(columns, rows) of a Parquet file, one record batch at a time."""
    import pyarrow.parquet as pq

    table = pq.ParquetFile(path)
    columns = list(table.schema_arrow.names)
    yielded = False
    for batch in table.iter_batches(batch_size=ROWS_PER_CHUNK):
        yielded = True
        yield columns, batch.to_pylist()
    if not yielded:
        yield columns, []
