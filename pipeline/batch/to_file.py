"""Batch extraction into one record file: parts are written to a hidden work directory beside the file,
then merged, in the order of the inputs, into the file, atomically.

`chiso extract big.jsonl -o records.jsonl --workers 4` runs here. The work directory
(`.records.jsonl.chiso-parts/`) is an ordinary batch output directory: a killed run leaves it, the same
command resumes from its finished parts, and it is deleted once the file is written.
"""
from __future__ import annotations

import gzip
import os
import shutil
from pathlib import Path
from typing import Any, Sequence

from pipeline.batch.manifest import MANIFEST, ManifestMismatch
from pipeline.batch.inputs import expand_inputs
from pipeline.batch.parts import META_DIR, read_json
from pipeline.batch.runner import BatchSummary, OutputInUse, exclusive, run_batch
from pipeline.errors import ErrorLog
from pipeline.writers import atomic_path, jsonl_rows, output_format, write_records

WORK_SUFFIX = ".chiso-parts"
# Held for the whole run and merge: a second run into the same file stops at once ("in use") instead of
# merging or deleting the work directory under the first.
FILE_LOCK = f"{META_DIR}/file-lock"
# Parts are JSON Lines: the merged file then holds the very values (1426, not 1426.0) a one-process run writes.
PART_FORMAT = "jsonl"


class NothingToWrite(Exception):
    """Every input failed: the output file is neither created nor replaced."""


def work_dir_for(out_file: str | Path) -> Path:
    """The hidden work directory of a batch run into `out_file`: .NAME.chiso-parts beside the file (links followed)."""
    real = Path(os.path.realpath(out_file))
    return real.parent / f".{real.name}{WORK_SUFFIX}"


def run_batch_to_file(inputs: Sequence[str | Path], out_file: str | Path, *, csv_bom: bool = False,
                      errors: ErrorLog | None = None, overwrite: bool = False,
                      **batch_options: Any) -> tuple[BatchSummary, int]:
    """Extract `inputs` with the batch engine into the record file `out_file`; returns the summary and the
    number of records written. `batch_options` are those of run_batch (workers, engine, shard_docs...).

    Raises NothingToWrite (after deleting the work directory) when every input failed.
    """
    work = work_dir_for(out_file)
    (work / META_DIR).mkdir(parents=True, exist_ok=True)
    batch_options["fmt"] = PART_FORMAT
    with exclusive(work, FILE_LOCK):
        try:
            summary = run_batch(inputs, work, errors=errors, overwrite=overwrite, **batch_options)
        except OutputInUse:
            raise
        except ManifestMismatch:
            # The work directory holds the unfinished parts of another job (other inputs or options):
            # they are a cache of this output, not a result of their own, so start again.
            summary = run_batch(inputs, work, errors=errors, overwrite=True, **batch_options)
        if summary.documents == 0 and summary.skipped > 0:
            shutil.rmtree(work)
            raise NothingToWrite(f"every input failed: {out_file} not written")
        parts = parts_in_input_order(work, inputs)
        if output_format(out_file) == "jsonl":
            written = _concatenate(parts, Path(out_file))
        else:
            rows = (row for part in parts for row in jsonl_rows(part))
            written = write_records(rows, out_file, csv_bom=csv_bom)
    shutil.rmtree(work)
    return summary, written


def parts_in_input_order(work: Path, inputs: Sequence[str | Path]) -> list[Path]:
    """The parts of `work` in the order a one-process run reads the inputs: the inputs as given (a directory
    sorted), where the shard plan sorts them all. Files grouped into one shard keep the plan's order."""
    rank: dict[str, int] = {}
    for given in inputs:
        for f in expand_inputs([given]):
            rank.setdefault(f.path, len(rank))
    shards = read_json(work / MANIFEST)["shards"]
    ordered = sorted(shards, key=lambda s: (rank.get(s["pieces"][0]["path"], len(rank)), s["index"]))
    return [work / s["part"] for s in ordered]


def _concatenate(parts: Sequence[Path], out_file: Path) -> int:
    """Copy JSON Lines parts, in order, into `out_file` (gzipped if so named); returns the lines.

    A part line is exactly the line write_records writes for that record, so bytes are copied as they are.
    """
    lines = 0
    with atomic_path(out_file) as tmp:
        opener = gzip.open if str(out_file).lower().endswith(".gz") else open
        with opener(tmp, "wb") as sink:
            for path in parts:
                with open(path, "rb") as part:
                    while chunk := part.read(1 << 20):
                        lines += chunk.count(b"\n")
                        sink.write(chunk)
    return lines

