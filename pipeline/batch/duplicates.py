"""Ids repeated across shards: once every part is done, the first document (in input order) keeps its id.

A worker only sees its own shard, so it catches a repeated id inside the shard; an id repeated in
a later shard is found here from the done-markers ("ids": [doc_id, location] of every document
read), reported like any skip, and its records are removed from the later part, which is rewritten
(through a temporary file) before its marker, so a crash in between only makes the part redone.
"""
from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from pipeline.batch.parts import SCHEMA, sha256_of, temp_path, write_json_atomic
from pipeline.batch.worker import marker_path
from pipeline.errors import ErrorLog
from pipeline.readers import SeenIds


def drop_repeated_ids(out_dir: Path, done: dict[int, dict[str, Any]], fmt: str,
                      errors: ErrorLog | None = None) -> int:
    """Remove from later parts the documents whose id an earlier part already has; returns how many."""
    seen = SeenIds()
    repeated: dict[int, dict[str, str]] = {}  # part index -> {doc_id: skip reason}
    for index in sorted(done):
        for doc_id, location in done[index].get("ids", []):
            reason = seen.duplicate(doc_id, location)
            if reason is not None:
                repeated.setdefault(index, {})[doc_id] = reason
    for index, reasons in repeated.items():
        _drop_from_part(out_dir, index, done[index], reasons, fmt, errors)
    return sum(len(r) for r in repeated.values())


def _drop_from_part(out_dir: Path, index: int, marker: dict[str, Any], reasons: dict[str, str], fmt: str,
                    errors: ErrorLog | None) -> None:
    """Rewrite part `index` without the records of the ids in `reasons`, then update its marker in place."""
    part = out_dir / marker["part"]
    tmp = temp_path(part)
    rows = _filter_parquet(part, tmp, set(reasons)) if fmt == "parquet" else _filter_jsonl(part, tmp, set(reasons))
    with open(tmp, "rb") as fh:
        os.fsync(fh.fileno())
    tmp.replace(part)
    skips = [{"location": location, "reason": reasons[doc_id]}
             for doc_id, location in marker["ids"] if doc_id in reasons]
    marker.update(
        records=rows, bytes=part.stat().st_size, sha256=sha256_of(part),
        documents=marker["documents"] - len(skips), skipped=marker["skipped"] + skips,
        ids=[pair for pair in marker["ids"] if pair[0] not in reasons])
    write_json_atomic(marker_path(out_dir, index), marker)
    for skip in skips:
        if errors is not None:
            errors.skip(skip["location"], skip["reason"])


def _filter_parquet(part: Path, tmp: Path, drop: set[str]) -> int:
    table = pq.read_table(part, schema=SCHEMA)
    kept = table.filter(pc.invert(pc.is_in(table["doc_id"], value_set=pa.array(sorted(drop), pa.string()))))
    pq.write_table(kept, tmp)
    return kept.num_rows


def _filter_jsonl(part: Path, tmp: Path, drop: set[str]) -> int:
    rows = 0
    with open(part, encoding="utf-8") as src, open(tmp, "w", encoding="utf-8") as out:
        for line in src:
            if json.loads(line)["doc_id"] not in drop:
                out.write(line)
                rows += 1
    return rows
