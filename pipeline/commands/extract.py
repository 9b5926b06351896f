"""`chiso extract`: files, directories, JSON Lines, HTML, WARC or stdin in; a record file out."""
from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path
from typing import Iterable, Iterator

from pipeline.errors import ErrorLog, os_error_text
from pipeline.overlay import add_rules_argument, rules_in_force
from pipeline.read_record import ID_ALIASES, TEXT_ALIASES
from pipeline.readers import DEFAULT_MAX_DOC_BYTES, ReadOptions

# How many skipped locations the summary line names.
SHOWN_SKIPS = 3

DESCRIPTION = """\
Extract indicator mentions from documents and write one record per mention.

Inputs (any mix, several allowed):
  FILE.txt                 one article per file (doc_id = file name without .txt)
  FILE.jsonl / .jsonl.gz   one JSON object per line with "id" and "text" (.ndjson too;
                           other names: --id-field, --text-field); "url" and
                           "date"/"published" are kept as provenance
  FILE.csv / .tsv / .parquet  an article table, one row per document, with id and text
                           columns as for JSON Lines (.csv.gz and .tsv.gz too)
  FILE.html / .htm         a saved news page (the article is extracted from the markup)
  FILE.warc / .warc.gz     web archive records
  DIRECTORY                every file of a known type below it, recursively, in sorted order
  -                        stdin: JSON Lines if it starts with "{", else one plain-text document

A document that cannot be read (bad UTF-8, bad JSON line, missing id/text, duplicate id,
empty file, larger than --max-doc-bytes once decompressed) is reported as
"chiso: skipped FILE:LINE: reason" and skipped; the run goes on. So is what cannot be
walked in a directory (unreadable directory, broken link, link loop) and a file named twice.
A document the extractor raises on (a bug) is reported as "chiso: failed DOC_ID: Error: message",
left out and counted as failed in the summary; the run goes on.
"""

EPILOG = """\
examples:
  chiso extract corpus/ -o out/records.jsonl        a directory of .txt files to JSON Lines
  chiso extract articles.jsonl.gz -o records.parquet
  chiso extract articles.csv --id-field article_id --text-field noi_dung -o records.csv
  chiso extract page.html --no-clean -o -           print records of one page to stdout
  cat article.txt | chiso extract - -o records.csv
  chiso extract big.jsonl -o records.jsonl --workers 4
                                                    one file, extracted by 4 processes (resumable)
  chiso extract big.jsonl -o out/ --workers 4       batch mode: partitioned, resumable output
  chiso extract big.jsonl -o out/ --engine dask --scheduler tcp://127.0.0.1:8786
  chiso extract corpus/ -o out.jsonl --rules my-rules/   a researcher's rules over the built-in ones

exit status: 0 if at least one document was processed, 1 if every input failed, 2 on usage errors
or a bad rules file.
"""


def register(sub) -> None:
    """Add the `extract` subcommand."""
    p = sub.add_parser(
        "extract", help="extract indicator mentions from files, directories, JSON Lines, HTML, WARC or stdin",
        description=DESCRIPTION, epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("inputs", nargs="+", metavar="INPUT",
                   help="a file, a directory (read recursively) or - for stdin")
    p.add_argument("-o", "--output", default="-", metavar="OUT",
                   help="where to write: .jsonl (default format), .csv, .parquet (each optionally .gz), "
                        "- for stdout (default), or a directory (ends with / or exists) for partitioned batch "
                        "output; any other ending is refused")
    p.add_argument("--csv-bom", action="store_true",
                   help="start a .csv output with a UTF-8 byte order mark, so that Excel and LibreOffice show "
                        "Vietnamese correctly (off by default: most CSV readers do not expect it)")
    p.add_argument("--no-clean", dest="clean", action="store_false",
                   help="extract from the whole text: do not drop page furniture (bylines, counters, "
                        "comment boxes, related articles)")
    p.add_argument("-q", "--quiet", action="store_true",
                   help="print neither the per-document skip messages nor the summary (errors still count; "
                        "a document the extractor fails on is still reported)")
    p.add_argument("--progress", dest="progress", action="store_true", default=None,
                   help="show a progress bar on stderr (default: only when stderr is a terminal)")
    p.add_argument("--no-progress", dest="progress", action="store_false", help="never show a progress bar")
    add_rules_argument(p)
    add_reader_options(p)
    batch = p.add_argument_group(
        "batch mode", "used when --workers > 1, --engine dask, or OUT is a directory: the input is cut into "
                      "shards, and an interrupted run resumes where it stopped. Into a directory, the output is "
                      "OUT/part-NNNNN.<format> files; into a file, the parts are kept in a hidden .OUT.chiso-parts/ "
                      "beside it and merged, in input order, into OUT at the end")
    batch.add_argument("--workers", type=_positive_int, default=1, metavar="N",
                       help="number of worker processes (default 1)")
    batch.add_argument("--engine", choices=("local", "dask"), default="local",
                       help="local processes (default) or a Dask cluster")
    batch.add_argument("--scheduler", metavar="ADDRESS",
                       help="Dask scheduler address, e.g. tcp://127.0.0.1:8786 (default: a local cluster)")
    batch.add_argument("--format", dest="fmt", choices=("parquet", "jsonl"), default="parquet",
                       help="format of the part files of a directory output (default parquet)")
    batch.add_argument("--shard-docs", type=_positive_int, default=1000, metavar="N",
                       help="documents per shard, the unit of work and of resume (default 1000)")
    batch.add_argument("--overwrite", action="store_true",
                       help="replace a previous batch run in OUT instead of resuming it")
    p.set_defaults(func=run)


_SIZE_UNITS = {"": 1, "B": 1, "KB": 1000, "MB": 1000 ** 2, "GB": 1000 ** 3, "K": 1000, "M": 1000 ** 2,
               "G": 1000 ** 3, "KIB": 1024, "MIB": 1024 ** 2, "GIB": 1024 ** 3}


def byte_size(text: str) -> int:
    """A size in bytes from "50000000", "50MB", "50M" or "2GiB" (KB/MB/GB are powers of 1000)."""
    number = text.strip()
    digits = number.rstrip("kKmMgGiIbB ")
    unit = number[len(digits):].strip().upper()
    try:
        value = float(digits) * _SIZE_UNITS[unit]
    except (ValueError, KeyError):
        raise argparse.ArgumentTypeError(f"not a size: {text!r} (e.g. 50MB, 2GB, 1000000)") from None
    if value < 1:
        raise argparse.ArgumentTypeError("must be at least 1 byte")
    return int(value)


def add_reader_options(p) -> None:
    """The options that say how inputs are read (shared by `extract` and `run`)."""
    p.add_argument("--id-field", metavar="NAME",
                   help="the JSON field or table column holding the document id (default: id, else "
                        f"the first of {', '.join(ID_ALIASES)} present, with a note)")
    p.add_argument("--text-field", metavar="NAME",
                   help="the JSON field or table column holding the article text (default: text, else "
                        f"the first of {', '.join(TEXT_ALIASES)} present, with a note)")
    p.add_argument("--max-doc-bytes", type=byte_size, default=DEFAULT_MAX_DOC_BYTES, metavar="SIZE",
                   help="skip (and report) a document or JSON line larger than SIZE once decompressed, "
                        "e.g. 200MB (default 50MB): a small .gz can expand to gigabytes")


def read_options(args) -> ReadOptions:
    """The reader options of the command line."""
    return ReadOptions(max_doc_bytes=args.max_doc_bytes, id_field=args.id_field, text_field=args.text_field)


def _positive_int(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return value


def is_batch(args) -> bool:
    """True when the options ask for the batch engine (into a directory, or into one file) rather than one process."""
    return args.workers > 1 or args.engine == "dask" or is_directory_output(args.output)


def is_directory_output(output: str) -> bool:
    """True when -o names a directory (ends with / or exists as one): partitioned batch output."""
    return output.endswith("/") or (output != "-" and Path(output).is_dir())


def batch_output_problem(output: str) -> str | None:
    """Why `output` cannot receive a batch run (None if it can)."""
    from pipeline.writers import writes_in_place

    if output == "-":
        return ("--workers > 1 and --engine dask cannot write to stdout (a run must be resumable): "
                "give an output file (-o records.jsonl) or directory (-o out/)")
    path = Path(output)
    if output.endswith("/") and path.exists() and not path.is_dir():
        return f"-o {output}: {output.rstrip('/')} is a file, not a directory"
    if not is_directory_output(output) and writes_in_place(path):
        return (f"-o {output} is not a regular file: --workers > 1 and --engine dask keep their parts beside "
                "the output to resume; give an output file or directory")
    return None


def show_progress(args) -> bool:
    """--progress / --no-progress, else a bar only when stderr is a terminal (and not --quiet)."""
    if args.progress is not None:
        return args.progress
    return not args.quiet and sys.stderr.isatty()


def summary_line(documents: int, records: int, errors: ErrorLog, seconds: float, out: str,
                 skipped: int | None = None) -> str:
    """The end-of-run summary: documents read, records written, documents skipped and failed (and which), time.

    `skipped` counts skips not in `errors` too (those of parts a resumed batch run reuses).
    """
    where = "stdout" if out == "-" else out
    skipped = len(errors) if skipped is None else skipped
    line = f"chiso: {documents} documents read, {records} records written to {where}, {skipped} skipped"
    if len(errors):
        named = errors.skipped[:SHOWN_SKIPS]
        shown = ", ".join(s.location for s in named)
        more = f" and {skipped - len(named)} more" if skipped > len(named) else ""
        line += f" ({shown}{more}; reasons in the 'chiso: skipped' lines)"
    if errors.failed:
        shown = ", ".join(f.doc_id for f in errors.failed[:SHOWN_SKIPS])
        more = f" and {len(errors.failed) - SHOWN_SKIPS} more" if len(errors.failed) > SHOWN_SKIPS else ""
        line += f", {len(errors.failed)} failed ({shown}{more}; errors in the 'chiso: failed' lines)"
    return f"{line}; {seconds:.1f} s"


def exit_code(documents: int, errors: ErrorLog) -> int:
    """0 if some document was extracted (or nothing went wrong), 1 if every input was skipped or failed.

    DOCUMENTS counts the documents given to the extractor, failed ones included.
    """
    extracted = documents - len(errors.failed)
    return 1 if extracted <= 0 and (len(errors) > 0 or errors.failed) else 0


def run(args) -> int:
    """Run `chiso extract`; returns the exit code."""
    from pipeline.writers import unknown_suffix

    errors = ErrorLog(stream=None if args.quiet else sys.stderr)
    progress = show_progress(args)
    if not is_directory_output(args.output) and unknown_suffix(args.output):
        print(f"chiso extract: -o {args.output}: unknown output format {unknown_suffix(args.output)!r}; "
              "use .jsonl, .csv or .parquet (optionally .gz), a directory/ for batch output, or - for stdout",
              file=sys.stderr)
        return 2
    if is_batch(args):
        problem = batch_output_problem(args.output)
        if problem:
            print(f"chiso extract: {problem}", file=sys.stderr)
            return 2
        return _run_batch(args, errors, progress)
    from pipeline.api import ExtractorMissing, ExtractStats, iter_records
    from pipeline.writers import write_records

    started = time.perf_counter()
    stats = ExtractStats()
    records = iter_records(args.inputs, clean=args.clean, errors=errors, progress=progress, stats=stats,
                           read_options=read_options(args))
    try:
        with rules_in_force(args.rules):
            written = write_records(_unless_all_failed(records, stats, errors), args.output, csv_bom=args.csv_bom)
    except AllInputsFailed:
        # The output is not created (nor an old one replaced) by a run that read nothing.
        if not args.quiet:
            print(summary_line(0, 0, errors, time.perf_counter() - started, args.output), file=sys.stderr)
        print(f"chiso extract: every input failed: {args.output} not written", file=sys.stderr)
        return 1
    except BrokenPipeError:
        # The reader of stdout went away (`chiso extract ... | head`): stop quietly, as Unix tools do.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except OSError as err:
        where = "stdout" if args.output == "-" else args.output
        print(f"chiso extract: cannot write {where}: {os_error_text(err)}", file=sys.stderr)
        return 1
    except ExtractorMissing as err:
        print(f"chiso extract: {err}", file=sys.stderr)
        return 1
    if not args.quiet:
        print(summary_line(stats.documents, written, errors, time.perf_counter() - started, args.output),
              file=sys.stderr)
    return exit_code(stats.documents, errors)


class AllInputsFailed(Exception):
    """Raised at the end of the records when no input could be read, so the atomic writer writes nothing."""


def _unless_all_failed(records: Iterable, stats, errors: ErrorLog) -> Iterator:
    """The records, then AllInputsFailed if every input failed (an empty file would look like a result)."""
    yield from records
    if stats.documents == 0 and len(errors) > 0:
        raise AllInputsFailed


def _run_batch(args, errors: ErrorLog, progress: bool) -> int:
    from concurrent.futures.process import BrokenProcessPool

    from pipeline.api import ExtractorMissing
    from pipeline.batch import BatchInputError, ManifestMismatch, run_batch
    from pipeline.batch.to_file import NothingToWrite, run_batch_to_file

    started = time.perf_counter()
    options = dict(workers=args.workers, engine=args.engine, scheduler=args.scheduler, progress=progress,
                   errors=errors, clean=args.clean, overwrite=args.overwrite, shard_docs=args.shard_docs,
                   rules=args.rules, read_options=read_options(args))
    written = None
    try:
        if is_directory_output(args.output):
            summary = run_batch(args.inputs, Path(args.output), fmt=args.fmt, **options)
        else:
            summary, written = run_batch_to_file(args.inputs, args.output, csv_bom=args.csv_bom, **options)
    except (BatchInputError, ManifestMismatch, ExtractorMissing, BrokenProcessPool, ImportError,
            NothingToWrite) as err:
        # Finished parts stay on disk with their done-markers: a rerun resumes from them.
        print(f"chiso extract: {err}", file=sys.stderr)
        return 1
    except OSError as err:  # a read-only or full disk, a directory that cannot be made
        print(f"chiso extract: cannot write the batch output {args.output}: {os_error_text(err)} "
              "(finished parts are kept: rerun to resume)", file=sys.stderr)
        return 1
    if not args.quiet and written is not None:
        print(summary_line(summary.documents, written, errors, time.perf_counter() - started, args.output,
                           skipped=summary.skipped), file=sys.stderr)
    elif not args.quiet and not progress:
        print(summary.describe(), file=sys.stderr)
    return exit_code(summary.documents, errors)
