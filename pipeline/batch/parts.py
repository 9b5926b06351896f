"""Part files and their done-markers, both written to a temporary name and renamed into place."""
from __future__ import annotations

import hashlib
import json
import os
import uuid
from pathlib import Path
from typing import Any, Iterable

import pyarrow as pa
import pyarrow.parquet as pq

from pipeline.records import Record
from pipeline.writers import parquet_schema

FORMATS = ("parquet", "jsonl")
# The run's bookkeeping lives in a hidden directory: readers of a Parquet or JSON directory (pyarrow,
# pandas, Spark, Hugging Face `datasets` with data_dir=OUT) skip hidden paths, so they see only the parts.
META_DIR = ".chiso"
DONE_DIR = f"{META_DIR}/done"
TMP_MARK = ".tmp-"  # every temporary file name contains it; a restart deletes them all

SCHEMA = parquet_schema()  # the one record schema (pipeline.writers), so parts and -o FILE.parquet agree
_ROW_GROUP = 20_000  # records buffered before a parquet row group is written: bounds memory per worker


def temp_path(final: Path) -> Path:
    """A unique temporary name next to `final`, hidden and marked so a restart can remove it."""
    return final.with_name(f".{final.name}{TMP_MARK}{os.getpid()}-{uuid.uuid4().hex[:8]}")


class PartWriter:
    """Streams records to a temporary part file; `commit()` renames it to its final name."""

    def __init__(self, final: Path, fmt: str):
        if fmt not in FORMATS:
            raise ValueError(f"format {fmt!r} not in {FORMATS}")
        self.final, self.fmt, self.rows = final, fmt, 0
        self.tmp = temp_path(final)
        self._buffer: list[dict[str, Any]] = []
        self._parquet = pq.ParquetWriter(self.tmp, SCHEMA) if fmt == "parquet" else None
        self._jsonl = open(self.tmp, "w", encoding="utf-8") if fmt == "jsonl" else None

    def write(self, records: Iterable[Record]) -> None:
        """Append records (in order) to the part."""
        for record in records:
            row = record.to_dict(provenance=True)
            self.rows += 1
            if self._jsonl is not None:
                self._jsonl.write(json.dumps(row, ensure_ascii=False) + "\n")
            else:
                self._buffer.append(row)
                if len(self._buffer) >= _ROW_GROUP:
                    self._flush()

    def _flush(self) -> None:
        if self._parquet is not None:
            self._parquet.write_table(pa.Table.from_pylist(self._buffer, schema=SCHEMA))
        self._buffer.clear()

    def commit(self) -> dict[str, Any]:
        """Close, fsync and rename into place; returns rows, bytes and sha256 of the final file."""
        if self._parquet is not None:
            if self._buffer:
                self._flush()
            self._parquet.close()
        else:
            assert self._jsonl is not None
            self._jsonl.flush()
            os.fsync(self._jsonl.fileno())
            self._jsonl.close()
        _fsync(self.tmp)
        os.replace(self.tmp, self.final)
        return {"rows": self.rows, "bytes": self.final.stat().st_size, "sha256": sha256_of(self.final)}

    def abort(self) -> None:
        """Close and delete the temporary file (the part is left unwritten)."""
        try:
            if self._parquet is not None:
                self._parquet.close()
            if self._jsonl is not None:
                self._jsonl.close()
        finally:
            self.tmp.unlink(missing_ok=True)


def write_json_atomic(path: Path, data: Any) -> None:
    """Write JSON to `path` through a temporary file, so a reader sees the old or the new content."""
    tmp = temp_path(path)
    with open(tmp, "w", encoding="utf-8") as fh:
        json.dump(data, fh, ensure_ascii=False, indent=1)
        fh.write("\n")
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)


def read_json(path: Path) -> Any:
    """The JSON content of `path`, None if it is missing or unreadable (a marker half written by a crash)."""
    try:
        with open(path, encoding="utf-8") as fh:
            return json.load(fh)
    except (OSError, ValueError):
        return None


def count_rows(path: Path, fmt: str) -> int | None:
    """Rows of a part file, None when it is missing or unreadable."""
    try:
        if fmt == "parquet":
            return pq.ParquetFile(path).metadata.num_rows
        with open(path, "rb") as fh:
            return sum(1 for _ in fh)
    except (OSError, ValueError, pa.ArrowException):
        return None


def sha256_of(path: Path) -> str:
    """Hex sha256 of a file's bytes."""
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        while chunk := fh.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
