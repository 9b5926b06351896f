"""Gold annotations and predictions loaded from disk, every bad record reported as FILE:LINE."""
from __future__ import annotations

import gzip
import json
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Iterator

from pipeline.document import normalize_text
from pipeline.errors import InputError
from pipeline.readers import decode_utf8
from pipeline.records import FLOAT_FIELDS, INT_FIELDS, REQUIRED_FIELDS, RULES_FIELD, Record, RecordError
from pipeline.writers import csv_rules, output_format, read_records


class GoldError(ValueError):
    """Invalid annotation data; `problems` holds one `FILE:LINE: problem` string per bad record."""

    def __init__(self, problems: list[str]):
        self.problems = list(problems)
        head = f"{len(self.problems)} problem(s) in annotation data:"
        super().__init__("\n".join([head, *self.problems]))


@dataclass
class GoldSet:
    """Gold records and the documents they evaluate (a document may have no record)."""

    records: list[Record] = field(default_factory=list)
    doc_ids: set[str] = field(default_factory=set)


@dataclass
class _Row:
    """One raw record with where it came from."""

    location: str
    data: Any


def load_gold(path: Path | str, texts: dict[str, str] | None = None) -> GoldSet:
    """Load gold from a directory of <doc_id>.jsonl files, from one .jsonl/.csv/.parquet file, or from a batch
    output directory (`chiso extract -o DIR/`)."""
    path = Path(path)
    problems: list[str] = []
    doc_ids: set[str] = set()
    rows: list[_Row] = []
    batch = batch_parts(path) is not None
    if batch:  # a batch run's records (a model as annotator B of `chiso agree`): its documents are those with records
        rows = [row for file in prediction_files(path, problems) for row in _read_rows(file, problems)]
    elif path.is_dir():
        files = sorted(path.glob("*.jsonl"))
        if not files:
            raise GoldError([f"{path}: no *.jsonl gold file in this directory"])
        for file in files:
            doc_ids.add(file.stem)
            rows.extend(_read_rows(file, problems))
    elif path.is_file():
        rows.extend(_read_rows(path, problems))
    else:
        raise GoldError([f"{path}: no such file or directory"])
    records = _records_from_rows(rows, problems, texts, stem_is_doc_id=path.is_dir() and not batch)
    if problems:
        raise GoldError(problems)
    doc_ids.update(r.doc_id for r in records)
    return GoldSet(records=records, doc_ids=doc_ids)


def load_predictions(path: Path | str) -> list[Record]:
    """Load predicted records from a .jsonl[.gz]/.csv/.parquet file, a batch output directory (`chiso extract
    -o DIR/`) or a directory of .jsonl files."""
    path = Path(path)
    problems: list[str] = []
    if path.is_dir():
        rows = [row for file in prediction_files(path, problems) for row in _read_rows(file, problems)]
    elif path.is_file():
        rows = list(_read_rows(path, problems))
    else:
        raise GoldError([f"{path}: no such file or directory"])
    records = _records_from_rows(rows, problems, texts=None, stem_is_doc_id=False, check_duplicates=False)
    if problems:
        raise GoldError(problems)
    return records


def iter_record_rows(path: Path | str, errors) -> Iterator[tuple[Record, dict[str, Any]]]:
    """Each valid record of a record file or directory (as load_predictions reads them) with its raw data (fields
    the Record does not know included); a bad record or file is skipped and reported in ERRORS (an ErrorLog)."""
    path = Path(path)
    problems: list[str] = []
    if path.is_dir():
        files = prediction_files(path, problems)
    elif path.is_file():
        files = [path]
    else:
        files = []
        problems.append(f"{path}: no such file or directory")
    for problem in problems:
        errors.skip(*_location_reason(problem))
    for file in files:
        problems = []
        for row in _read_rows(file, problems):
            record = _record_or_problem(row, problems, texts=None)
            for problem in problems:
                errors.skip(*_location_reason(problem))
            problems.clear()
            if record is not None:
                yield record, row.data
        for problem in problems:
            errors.skip(*_location_reason(problem))


def _location_reason(problem: str) -> tuple[str, str]:
    """("FILE:LINE", "reason") of a "FILE:LINE: reason" problem."""
    location, _, reason = problem.partition(": ")
    return (location, reason) if location else (problem, "unreadable")


def batch_parts(path: Path | str) -> list[Path] | None:
    """The part files of a batch output directory (`chiso extract -o DIR/`), None for any other path."""
    if not Path(path).is_dir():
        return None
    from pipeline.batch.output import output_parts  # pyarrow and the batch engine: only for directories

    return output_parts(path)


def prediction_files(directory: Path, problems: list[str]) -> list[Path]:
    """The record files of a directory: the parts of a batch output, else its *.jsonl files (none is a problem)."""
    parts = batch_parts(directory)
    if parts is not None:
        missing = [part for part in parts if not part.is_file()]
        if missing:
            problems.append(f"{directory}: {len(missing)} of {len(parts)} part file(s) missing ({missing[0].name}"
                            f"{', ...' if len(missing) > 1 else ''}): the batch run has not finished; run the same "
                            "`chiso extract` again to complete it")
        return [part for part in parts if part.is_file()]
    files = sorted(path for path in directory.glob("*.jsonl") if not path.name.startswith("_"))
    if not files:
        problems.append(f"{directory}: no record files here (*.jsonl, or the part files of a batch output)")
    return files


def load_texts(corpus: Path | str) -> dict[str, str]:
    """Document texts by doc_id: `*.txt` files of a directory by stem, or a JSON Lines file of {id, text}."""
    corpus = Path(corpus)
    if corpus.is_file() and corpus.suffix == ".jsonl":
        texts = {}
        with corpus.open(encoding="utf-8") as fh:
            for line in fh:
                if line.strip():
                    item = json.loads(line)
                    texts[str(item["id"])] = normalize_text(item["text"])
        return texts
    if not corpus.is_dir():
        raise GoldError([f"{corpus}: corpus directory not found"])
    return {p.stem: _corpus_text(p) for p in sorted(corpus.glob("*.txt"))}


def _corpus_text(path: Path) -> str:
    """A corpus file's text exactly as the extractor reads it (BOM dropped, normalized): offsets point into it."""
    try:
        return normalize_text(decode_utf8(path.read_bytes(), str(path)))
    except InputError as err:
        raise GoldError([f"{err.location}: {err.reason}"]) from None


def _read_rows(path: Path, problems: list[str]) -> Iterator[_Row]:
    """Raw rows of one file; unreadable lines go to `problems`."""
    if output_format(path) != "jsonl":
        yield from _read_table(path, problems)
        return
    try:
        if path.suffix == ".gz":
            content = gzip.decompress(path.read_bytes()).decode("utf-8")
        else:
            content = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError, EOFError) as exc:
        problems.append(f"{path}: cannot read: {exc}")
        return
    for lineno, line in enumerate(content.splitlines(), 1):
        if not line.strip():
            continue
        location = f"{path}:{lineno}"
        try:
            data = json.loads(line)
        except json.JSONDecodeError as exc:
            problems.append(f"{location}: not valid JSON ({exc.msg} at column {exc.colno})")
            continue
        yield _Row(location, data)


def _read_table(path: Path, problems: list[str]) -> Iterator[_Row]:
    """Rows of a CSV or parquet file; CSV rows are numbered as file lines (header = line 1)."""
    try:
        frame = _read_frame(path)
    except Exception as exc:  # any reader failure is a problem of this file, reported with the others
        problems.append(f"{path}: cannot read: {exc}")
        return
    first = 2 if output_format(path) == "csv" else 1
    for i, data in enumerate(frame):
        yield _Row(f"{path}:{i + first}", data)


def _read_frame(path: Path) -> list[dict[str, Any]]:
    """Table rows as plain dicts, read by pipeline.writers.read_records (pandas when a row is malformed)."""
    try:
        return [r.to_dict() for r in read_records(path)]
    except Exception:  # a malformed row: read it again row by row so every bad row gets its line
        pass
    import pandas as pd

    if output_format(path) == "csv":
        # keep_default_na=False: the string "NA" stays a string; empty cells become None below.
        frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    else:
        frame = pd.read_parquet(path)
    return [_plain_table_row(row) for row in frame.to_dict(orient="records")]


def _plain_table_row(row: dict[str, Any]) -> dict[str, Any]:
    """Turn a table row (strings, numpy scalars, NaN, empty cells) into JSON-like Python values."""
    out: dict[str, Any] = {}
    for key, value in row.items():
        if key == RULES_FIELD:
            out[key] = csv_rules(value) if isinstance(value, str) or value is None else [str(x) for x in value]
            continue
        if hasattr(value, "item"):
            value = value.item()  # numpy scalar -> Python scalar
        if value is None or value == "" or (isinstance(value, float) and math.isnan(value)):
            out[key] = None
        elif key in INT_FIELDS:
            out[key] = _to_int(value)
        elif key in FLOAT_FIELDS:
            out[key] = _to_float(value)
        else:
            out[key] = value
    return out


def _to_int(value: Any) -> Any:
    """An int when the cell holds a whole number, else the raw value (validation reports it)."""
    try:
        number = float(value)
    except (TypeError, ValueError):
        return value
    return int(number) if number.is_integer() else value


def _to_float(value: Any) -> Any:
    """A float when the cell holds a number, else the raw value (validation reports it)."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return value
    try:
        return float(value)
    except (TypeError, ValueError):
        return value


def _records_from_rows(rows: Iterable[_Row], problems: list[str], texts: dict[str, str] | None,
                       stem_is_doc_id: bool, check_duplicates: bool = True) -> list[Record]:
    """Validate rows into records, appending one problem per bad row to `problems`."""
    records: list[Record] = []
    seen: dict[tuple[str, int, int], str] = {}
    for row in rows:
        record = _record_or_problem(row, problems, texts)
        if record is None:
            continue
        if stem_is_doc_id:
            stem = Path(row.location.rsplit(":", 1)[0]).stem
            if record.doc_id != stem:
                problems.append(f"{row.location}: doc_id {record.doc_id!r} differs from the file name {stem!r}")
                continue
        key = (record.doc_id, record.start, record.end)
        if check_duplicates and key in seen:
            problems.append(f"{row.location}: duplicate record (same doc_id and span as {seen[key]})")
            continue
        seen.setdefault(key, row.location)
        records.append(record)
    return records


def _record_or_problem(row: _Row, problems: list[str], texts: dict[str, str] | None) -> Record | None:
    """The validated record of a row, or None after appending its problem."""
    data = row.data
    if not isinstance(data, dict):
        problems.append(f"{row.location}: a record must be a JSON object, got {type(data).__name__}")
        return None
    missing = [name for name in REQUIRED_FIELDS if data.get(name) is None]
    if missing:
        problems.append(f"{row.location}: missing field(s) {', '.join(missing)}")
        return None
    try:
        record = Record.from_dict(data)
        record.validate(texts.get(record.doc_id) if texts else None)
    except (RecordError, TypeError) as exc:
        problems.append(f"{row.location}: {exc}")
        return None
    return record
