"""Write and read record files: JSON Lines, CSV or Parquet, chosen by the file name.

Every writer is atomic: it writes a temporary file in the target directory and renames it at the
end, so a crash never leaves a partial file that looks whole (a FIFO or a device is written in place,
a link is followed). "-" writes JSON Lines to stdout.
Columns are `pipeline.records.COLUMNS`; nulls stay null, floats round-trip exactly, text is UTF-8.
The rule ids (`rules`) are a list in JSON Lines and Parquet, one space-separated cell in CSV.
"""
from __future__ import annotations

import ast
import contextlib
import csv
import fcntl
import glob
import gzip
import json
import os
import stat
import sys
import tempfile
from pathlib import Path
from typing import IO, Any, Iterable, Iterator

from pipeline.records import COLUMNS, FLOAT_FIELDS, INT_FIELDS, REQUIRED_FIELDS, RULES_FIELD, Record

STDOUT = "-"
# Rows per Parquet row group: bounds memory while writing a large corpus.
PARQUET_BATCH = 50_000


def _current_umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


_UMASK = _current_umask()


# File endings write_records knows (a name without an ending, such as a FIFO or /dev/stdout, is JSON Lines).
RECORD_SUFFIXES = (".jsonl", ".ndjson", ".csv", ".parquet", ".pq")


def unknown_suffix(path: str | Path) -> str | None:
    """The ending of `path` when write_records has no format for it (".xlsx"), None when it has one."""
    if str(path) == STDOUT:
        return None
    name = str(path)
    suffix = Path(name[:-3] if name.lower().endswith(".gz") else name).suffix
    return suffix if suffix and suffix.lower() not in RECORD_SUFFIXES else None


def output_format(path: str | Path) -> str:
    """jsonl, csv or parquet by the file name (anything unknown is JSON Lines)."""
    name = str(path).lower().removesuffix(".gz")
    if name.endswith(".csv"):
        return "csv"
    if name.endswith(".parquet") or name.endswith(".pq"):
        return "parquet"
    return "jsonl"


def _as_record(item: Record | dict[str, Any]) -> Record:
    return item if isinstance(item, Record) else Record.from_dict(item)


def record_json(record: Record) -> str:
    """One record as a JSON line (no newline), Vietnamese kept as is."""
    return json.dumps(record.to_dict(), ensure_ascii=False)


def writes_in_place(path: Path) -> bool:
    """True when `path` must be written directly, not replaced: a FIFO, device or socket (what a link names
    counts), or a name under /dev or /proc (/dev/stdout is a link to whatever fd 1 is; /dev/shm holds files)."""
    top = Path(os.path.abspath(path)).parts[1:3]
    if top[:1] == ("proc",) or (top[:1] == ("dev",) and top != ("dev", "shm")):
        return True
    try:
        return not stat.S_ISREG(os.stat(path).st_mode)
    except FileNotFoundError:  # a new file, or a link to a file still to be made
        return False


def _remove_stale_temps(path: Path) -> None:
    """Delete temp files of earlier writes of `path` whose writer is gone (a killed run).

    A live writer holds a lock on its temp file, so only files nobody holds are removed.
    """
    for tmp in path.parent.glob(f".{glob.escape(path.name)}.*.tmp"):
        try:
            fd = os.open(tmp, os.O_RDONLY | os.O_NOFOLLOW)
        except OSError:
            continue
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            tmp.unlink(missing_ok=True)
        except OSError:
            pass  # held by a running write
        finally:
            os.close(fd)


def _locked_temp(path: Path) -> tuple[int, Path]:
    """A new temp file next to `path`, locked (see _remove_stale_temps) and still linked."""
    while True:
        fd, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
        fcntl.flock(fd, fcntl.LOCK_EX)
        if os.fstat(fd).st_nlink:  # not removed as stale by another run between mkstemp and flock
            return fd, Path(name)
        os.close(fd)


@contextlib.contextmanager
def atomic_path(path: Path) -> Iterator[Path]:
    """A temporary path next to `path` that replaces `path` only if the block finishes without error.

    A link is followed (the file it names is replaced, the link stays). A FIFO, a device or a /dev name
    is yielded as is and written in place: renaming over it would replace the node with a regular file.
    """
    if writes_in_place(path):
        yield path
        return
    path = Path(os.path.realpath(path))
    path.parent.mkdir(parents=True, exist_ok=True)
    _remove_stale_temps(path)
    fd, tmp = _locked_temp(path)
    try:
        yield tmp
        # mkstemp makes the file private (0600); give the result the usual permissions of a new file.
        os.chmod(tmp, 0o666 & ~_UMASK)
        os.fsync(fd)  # a full disk or a failing device is reported now, not lost after the rename
        os.replace(tmp, path)
    finally:
        os.close(fd)
        if tmp.exists():
            tmp.unlink()


def _write_jsonl(records: Iterable[Record | dict], stream: IO[str]) -> int:
    count = 0
    for item in records:
        stream.write(record_json(_as_record(item)) + "\n")
        count += 1
    return count


def _csv_cell(value: Any) -> Any:
    if isinstance(value, list):
        return " ".join(value)  # rule ids hold no space
    return "" if value is None else value


def _write_csv(records: Iterable[Record | dict], stream: IO[str]) -> int:
    writer = csv.writer(stream, lineterminator="\n")
    writer.writerow(COLUMNS)
    count = 0
    for item in records:
        data = _as_record(item).to_dict()
        # repr() of a float is the shortest string that reads back to the same float.
        writer.writerow([repr(v) if isinstance(v, float) else _csv_cell(v) for v in data.values()])
        count += 1
    return count


def parquet_schema():
    """The Arrow schema of every record table, single files and batch parts alike (strings, int64 offsets,
    float64 values, a list of strings for the rule ids; only the required fields are non-nullable)."""
    import pyarrow as pa

    types = {name: pa.string() for name in COLUMNS}
    types[RULES_FIELD] = pa.list_(pa.string())
    types.update({name: pa.int64() for name in INT_FIELDS})
    types.update({name: pa.float64() for name in FLOAT_FIELDS})
    return pa.schema([pa.field(name, types[name], nullable=name not in REQUIRED_FIELDS) for name in COLUMNS])


def _parquet_batch(rows: list[dict[str, Any]], schema):
    import pyarrow as pa

    columns = {name: [row[name] for row in rows] for name in COLUMNS}
    for name in FLOAT_FIELDS:
        columns[name] = [None if v is None else float(v) for v in columns[name]]
    return pa.Table.from_pydict(columns, schema=schema)


def _write_parquet(records: Iterable[Record | dict], path: Path) -> int:
    import pyarrow.parquet as pq

    schema = parquet_schema()
    count = 0
    with pq.ParquetWriter(path, schema) as writer:
        rows: list[dict[str, Any]] = []
        for item in records:
            rows.append(_as_record(item).to_dict())
            if len(rows) >= PARQUET_BATCH:
                writer.write_table(_parquet_batch(rows, schema))
                count += len(rows)
                rows = []
        if rows or count == 0:
            writer.write_table(_parquet_batch(rows, schema))
            count += len(rows)
    return count


def write_records(records: Iterable[Record | dict], path: str | Path, csv_bom: bool = False) -> int:
    """Write records to `path` (.jsonl, .csv, .parquet, optionally .gz; "-" = stdout) atomically; returns the count.

    A name with another ending (.xlsx, .json) raises ValueError. `csv_bom` starts a CSV file with a UTF-8
    byte order mark, so that spreadsheet programs read it as UTF-8.
    """
    suffix = unknown_suffix(path)
    if suffix:
        raise ValueError(f"{path}: unknown output format {suffix!r} (use .jsonl, .csv or .parquet, optionally "
                         f"with .gz, or - for stdout)")
    if str(path) == STDOUT:
        count = _write_jsonl(records, sys.stdout)
        sys.stdout.flush()
        return count
    path = Path(path)
    fmt = output_format(path)
    with atomic_path(path) as tmp:
        if fmt == "parquet":
            return _write_parquet(records, tmp)
        encoding = "utf-8-sig" if fmt == "csv" and csv_bom else "utf-8"
        with _open_text(tmp, "w", gzipped=str(path).lower().endswith(".gz"), encoding=encoding) as stream:
            return _write_csv(records, stream) if fmt == "csv" else _write_jsonl(records, stream)


TABLE_SUFFIXES = (".parquet", ".csv", ".jsonl")


def write_table(frame, path: str | Path, csv_bom: bool = False, list_columns: tuple[str, ...] = ()) -> int:
    """Write a pandas DataFrame (a derived table, not records) to `path` by its ending (.parquet, .csv, .jsonl)
    atomically; returns the row count. LIST_COLUMNS hold lists: kept in Parquet and JSON Lines, one
    space-separated cell in CSV. Another ending raises ValueError."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in TABLE_SUFFIXES:
        raise ValueError(f"{path}: unknown output format {suffix or '(none)'!r} (use .parquet, .csv or .jsonl)")
    with atomic_path(path) as tmp:
        if suffix == ".parquet":
            frame.to_parquet(tmp, index=False)
        elif suffix == ".csv":
            flat = frame.copy()
            for name in list_columns:
                flat[name] = flat[name].map(lambda items: " ".join(items) if items is not None else "")
            with _open_text(tmp, "w", gzipped=False, encoding="utf-8-sig" if csv_bom else "utf-8") as stream:
                flat.to_csv(stream, index=False, lineterminator="\n")
        else:
            with _open_text(tmp, "w", gzipped=False) as stream:
                for row in frame.to_dict(orient="records"):
                    stream.write(json.dumps({k: _json_cell(v) for k, v in row.items()}, ensure_ascii=False) + "\n")
    return len(frame)


def _json_cell(value: Any) -> Any:
    """A table cell as JSON: numpy scalars unwrapped, NaN and NA as null, lists as they are."""
    if isinstance(value, (list, tuple)):
        return list(value)
    if hasattr(value, "tolist"):
        value = value.tolist()
    if isinstance(value, list):
        return value
    try:
        return None if value is None or value != value else value
    except TypeError:  # pandas.NA
        return None


def _open_text(path: Path, mode: str, gzipped: bool, encoding: str = "utf-8") -> IO[str]:
    """A text stream on `path` (UTF-8 by default), gzip-compressed when asked."""
    if gzipped:
        return gzip.open(path, mode + "t", encoding=encoding, newline="")
    return path.open(mode, encoding=encoding, newline="")


def _number(text: str) -> int | float | None:
    if text == "":
        return None
    try:
        return int(text)
    except ValueError:
        return float(text)


def _csv_rows(path: Path) -> Iterator[dict[str, Any]]:
    # utf-8-sig: a byte order mark (written by --csv-bom or a spreadsheet program) is not part of the header.
    with _open_text(path, "r", gzipped=str(path).lower().endswith(".gz"), encoding="utf-8-sig") as stream:
        for row in csv.DictReader(stream):
            data: dict[str, Any] = {k: (None if v == "" else v) for k, v in row.items() if k in COLUMNS}
            for name in INT_FIELDS + FLOAT_FIELDS:
                if name in row:
                    data[name] = _number(row[name])
            if RULES_FIELD in row:
                data[RULES_FIELD] = csv_rules(row[RULES_FIELD])
            yield data


def csv_rules(cell: str | None) -> list[str]:
    """The rule ids of a CSV cell: space-separated (ours), or a list as pandas' to_csv writes it; empty = none."""
    cell = (cell or "").strip()
    if cell.startswith("[") and cell.endswith("]"):
        try:
            items = ast.literal_eval(cell)
        except (ValueError, SyntaxError):
            items = None
        if isinstance(items, (list, tuple)):
            return [str(x) for x in items]
    return cell.split()


def jsonl_rows(path: Path) -> Iterator[dict[str, Any]]:
    """The objects of a JSON Lines file (gzipped when its name ends with .gz), blank lines skipped."""
    with _open_text(path, "r", gzipped=str(path).lower().endswith(".gz")) as stream:
        for line in stream:
            if line.strip():
                yield json.loads(line)


def _parquet_rows(path: Path) -> Iterator[dict[str, Any]]:
    import pyarrow.parquet as pq

    for row in pq.read_table(path).to_pylist():
        for name in INT_FIELDS:
            if row.get(name) is not None:
                row[name] = int(row[name])
        yield row


def read_records(path: str | Path) -> list[Record]:
    """Read a record file written by `write_records` (.jsonl, .csv, .parquet, .jsonl.gz, .csv.gz)."""
    path = Path(path)
    fmt = output_format(path)
    rows = _parquet_rows(path) if fmt == "parquet" else _csv_rows(path) if fmt == "csv" else jsonl_rows(path)
    return [Record.from_dict(row) for row in rows]


def records_frame(records: Iterable[Record | dict]):
    """A pandas DataFrame with one row per record and the columns COLUMNS (in that order)."""
    import pandas as pd

    rows = [_as_record(item).to_dict() for item in records]
    frame = pd.DataFrame(rows, columns=list(COLUMNS))
    for name in INT_FIELDS:  # the sentence offsets may be null: pandas' nullable integers keep them whole
        frame[name] = frame[name].astype("int64" if name in REQUIRED_FIELDS else "Int64")
    for name in FLOAT_FIELDS:
        frame[name] = frame[name].astype("float64")
    return frame
