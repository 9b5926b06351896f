"""`chiso dataset`: the indicator x place x period table of a corpus (or of records already extracted)."""
from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path
from typing import Iterator

from pipeline.commands.extract import _positive_int, add_reader_options, read_options
from pipeline.errors import ErrorLog, os_error_text
from pipeline.overlay import add_rules_argument, rules_in_force

DESCRIPTION = """\
Build the dataset a researcher writes down from press coverage: one row per figure (indicator or
subject, place, period, modality, value, unit), the same figure stated by several articles (or
several times in one) merged into one row that counts its sources, and the figures on which the
press disagrees (same key, other value) kept apart and marked `conflict`. Each row quotes one
sentence as evidence and lists its documents and URLs. See docs/dataset.md.
"""

EPILOG = """\
inputs:
  articles (files, directories, JSON Lines, HTML, WARC: anything chiso extract reads) are
  extracted first; record files (.jsonl, .csv, .parquet with doc_id, start, end, kind) and
  batch output directories (chiso extract -o DIR/) are read as they are.

output by extension: .parquet, .csv (--csv-bom for spreadsheets), .jsonl; another is refused.

examples:
  chiso dataset corpus/ -o out/dataset.csv --csv-bom
  chiso dataset batch-out/ -o dataset.parquet --linked-only
  chiso dataset news.jsonl -o dataset.jsonl --period-fallback published --report dataset.html --workers 2
"""


def register(sub) -> None:
    """Add the `dataset` subcommand."""
    p = sub.add_parser("dataset", help="indicator x place x period table of a corpus, deduplicated, with sources",
                       description=DESCRIPTION, epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("inputs", nargs="+", metavar="INPUT", help="articles, record files or batch output directories")
    p.add_argument("-o", "--output", required=True, metavar="FILE",
                   help="the table: .parquet, .csv or .jsonl (written atomically)")
    p.add_argument("--csv-bom", action="store_true",
                   help="start a .csv output with a UTF-8 byte order mark (Excel, LibreOffice)")
    p.add_argument("--report", type=Path, metavar="FILE.html",
                   help="also write a self-contained HTML report: charts per indicator, coverage, conflicts, table")
    p.add_argument("--linked-only", action="store_true",
                   help="keep only figures linked to an indicator of the catalog (default: unlinked ones too, "
                        "grouped by their normalized subject)")
    p.add_argument("--period-fallback", choices=("published",),
                   help="give a figure whose period is unknown the month its article was published "
                        "(column period_source = published); default: the period stays empty")
    p.add_argument("--workers", type=_positive_int, default=1, metavar="N",
                   help="extract articles with N worker processes (the batch engine; default 1)")
    p.add_argument("--engine", choices=("local", "dask"), default="local",
                   help="dask: group Parquet records (a batch output directory, .parquet files) as a Dask "
                        "dataframe operation, on the Dask scheduler in force (articles: extract them first with "
                        "chiso extract --engine dask -o DIR/); default local: one process, records streamed")
    p.add_argument("--no-clean", dest="clean", action="store_false",
                   help="extract from the whole text, page furniture included")
    add_rules_argument(p)
    add_reader_options(p)
    p.set_defaults(func=run)


def is_record_input(path: str) -> bool:
    """True for a batch output directory or a record file (its first row has doc_id, start, end, kind)."""
    from pipeline.gold import batch_parts
    from pipeline.read_record import RECORD_FIELDS

    if path == "-":
        return False
    if batch_parts(path) is not None:
        return True
    p = Path(path)
    if not p.is_file():
        return False
    name = p.name.lower().removesuffix(".gz")
    try:
        if name.endswith((".parquet", ".pq")):
            import pyarrow.parquet as pq

            return RECORD_FIELDS <= set(pq.read_schema(p).names)
        if name.endswith((".jsonl", ".ndjson", ".csv")):
            return RECORD_FIELDS <= _first_row_keys(p, csv=name.endswith(".csv"))
    except Exception:  # noqa: BLE001 - an unreadable file is left to the article reader, which reports it
        return False
    return False


def _first_row_keys(path: Path, csv: bool) -> set[str]:
    """The field names of the first row of a JSON Lines or CSV file (gzipped or not)."""
    import csv as csv_module
    import json

    from pipeline.writers import _open_text

    with _open_text(path, "r", gzipped=path.name.lower().endswith(".gz"), encoding="utf-8-sig") as stream:
        if csv:
            return set(next(csv_module.reader(stream), []))
        for line in stream:
            if line.strip():
                data = json.loads(line)
                return set(data) if isinstance(data, dict) else set()
    return set()


def article_rows(inputs: list[str], args, errors: ErrorLog) -> Iterator[dict]:
    """Dataset rows of articles, extracted in this process (each record's sentence taken from its document)."""
    from pipeline.api import iter_documents_records
    from pipeline.dataset import dataset_row
    from pipeline.overlay import check_overlay, under_rules
    from pipeline.readers import read_documents

    check_overlay(args.rules)
    documents = read_documents(inputs, errors, read_options(args))
    pairs = iter_documents_records(documents, clean=args.clean, errors=errors)
    for doc, records in under_rules(args.rules, pairs):
        for record in records:
            yield dataset_row(record, doc.text)


def batch_rows(inputs: list[str], args, errors: ErrorLog, scratch: Path) -> Iterator[dict]:
    """Dataset rows of articles extracted by the batch engine (--workers N) into SCRATCH. Each record's sentence
    comes from its document, read again alongside: the parts hold the records in input order, so one document
    is held at a time."""
    from pipeline.batch import run_batch
    from pipeline.dataset import read_record_rows
    from pipeline.readers import read_documents

    run_batch(inputs, scratch, workers=args.workers, progress=False, errors=errors, clean=args.clean,
              rules=args.rules, read_options=read_options(args))
    documents = read_documents(inputs, ErrorLog(stream=None), read_options(args))
    current = None
    for row in read_record_rows([scratch], None, errors):
        while documents is not None and (current is None or current.doc_id != row["doc_id"]):
            current = next(documents, None)
            if current is None:  # not found in order: no sentence for the rest (their evidence falls back)
                documents = None
        if current is not None and current.doc_id == row["doc_id"]:
            row = dataset_row_with_text(row, current.text)
        yield row


def dataset_row_with_text(row: dict, text: str) -> dict:
    """ROW with its evidence taken from the document TEXT (its sentence)."""
    from pipeline.dataset import evidence_of

    row["evidence"] = evidence_of(row, text)
    return row


class _Counted:
    """An iterator that counts what passes through it."""

    def __init__(self, items):
        self.items, self.count = iter(items), 0

    def __iter__(self):
        return self

    def __next__(self):
        item = next(self.items)
        self.count += 1
        return item


def _run_dask(args, records: list[str], articles: list[str], started: float) -> int:
    """`chiso dataset --engine dask`: Parquet records grouped by Dask (pipeline.dataset.build_dataset_dask)."""
    from pipeline.dataset import build_dataset_dask, summary

    if articles:
        print(f"chiso dataset: --engine dask reads records, and {articles[0]} holds articles: extract them first "
              "(chiso extract INPUTS -o DIR/ --engine dask) and give DIR", file=sys.stderr)
        return 2
    try:
        frame = build_dataset_dask(records, linked_only=args.linked_only, period_fallback=args.period_fallback)
    except ValueError as err:
        print(f"chiso dataset: {err}", file=sys.stderr)
        return 2
    try:
        written = _write(frame, args)
    except OSError as err:
        print(f"chiso dataset: cannot write {args.output}: {os_error_text(err)}", file=sys.stderr)
        return 1
    print(f"chiso dataset: {int(frame['n_mentions'].sum())} records -> {written} rows in {args.output} (dask); "
          f"{time.perf_counter() - started:.1f} s", file=sys.stderr)
    print(f"chiso dataset: {summary(frame)}", file=sys.stderr)
    return 0


def _write(frame, args) -> int:
    """Write the table to args.output (and the HTML report when asked); the number of rows written."""
    from pipeline.writers import write_table

    written = write_table(frame, args.output, csv_bom=args.csv_bom, list_columns=("sources", "urls"))
    if args.report is not None:
        from pipeline.dataset_report import write_dataset_report

        write_dataset_report(frame, args.report)
    return written


def run(args) -> int:
    """Run `chiso dataset`; 0 on success, 1 when nothing could be read, 2 on bad usage."""
    from pipeline.dataset import dataset_frame, merge_rows, read_record_rows, summary
    from pipeline.writers import TABLE_SUFFIXES

    suffix = Path(args.output).suffix.lower()
    if suffix not in TABLE_SUFFIXES:
        print(f"chiso dataset: -o {args.output}: unknown output format {suffix or '(none)'!r}; "
              f"use {', '.join(TABLE_SUFFIXES)}", file=sys.stderr)
        return 2
    if args.report is not None and args.report.suffix.lower() not in (".html", ".htm"):
        print(f"chiso dataset: --report {args.report}: the report is an HTML file (.html)", file=sys.stderr)
        return 2
    started = time.perf_counter()
    errors = ErrorLog()
    records = [i for i in args.inputs if is_record_input(i)]
    articles = [i for i in args.inputs if i not in records]
    if args.engine == "dask":
        return _run_dask(args, records, articles, started)
    try:
        Path(args.output).parent.mkdir(parents=True, exist_ok=True)  # the scratch directory goes beside it
        with tempfile.TemporaryDirectory(prefix=".chiso-dataset-", dir=Path(args.output).parent) as scratch, \
                rules_in_force(args.rules):
            def all_rows() -> Iterator[dict]:
                if records:
                    yield from read_record_rows(records, None, errors)
                if articles:
                    yield from (batch_rows(articles, args, errors, Path(scratch)) if args.workers > 1
                                else article_rows(articles, args, errors))

            rows = _Counted(all_rows())
            merged = merge_rows(rows, linked_only=args.linked_only, period_fallback=args.period_fallback)
            if not rows.count and (len(errors) or errors.failed):
                print(f"chiso dataset: nothing could be read: {args.output} not written", file=sys.stderr)
                return 1
            frame = dataset_frame(merged)
            written = _write(frame, args)
    except OSError as err:
        print(f"chiso dataset: cannot write {args.output}: {os_error_text(err)}", file=sys.stderr)
        return 1
    skipped = f", {len(errors)} skipped" if len(errors) else ""
    failed = f", {len(errors.failed)} failed" if errors.failed else ""
    print(f"chiso dataset: {rows.count} records -> {written} rows in {args.output}{skipped}{failed}; "
          f"{time.perf_counter() - started:.1f} s", file=sys.stderr)
    print(f"chiso dataset: {summary(frame)}", file=sys.stderr)
    return 0
