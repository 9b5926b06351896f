"""Batch extraction at scale: streaming shards, local processes or Dask, partitioned resumable output.

    from pipeline.batch import run_batch
    summary = run_batch(["articles.jsonl"], Path("out/"), workers=4)

See docs/batch.md for the output layout and the resume rules.
"""
from __future__ import annotations

from pipeline.batch.inputs import BatchInputError
from pipeline.batch.manifest import ManifestMismatch
from pipeline.batch.runner import BatchSummary, run_batch

__all__ = ["BatchInputError", "BatchSummary", "ManifestMismatch", "run_batch"]
