"""Batch runs with the real extractor give the records of pipeline.api, whatever the engine."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from pipeline.batch import run_batch
from pipeline.batch.output import iter_output_rows
from pipeline.errors import ErrorLog

from conftest import CORPUS


def _real_extractor_available() -> bool:
    try:
        import extractors
    except ImportError:
        return False
    return callable(getattr(extractors, "extract_mentions", None))


pytestmark = pytest.mark.skipif(not _real_extractor_available(), reason="extractors.extract_mentions not there yet")


def _key(row: dict) -> str:
    """A comparable form of a record row (numbers as floats: parquet stores value as double)."""
    row = {k: float(v) if k in ("value", "value_max", "denominator") and v is not None else v
           for k, v in row.items()}
    return json.dumps(row, sort_keys=True, ensure_ascii=False)


def test_batch_equals_direct_extraction_on_the_seed_corpus(tmp_path: Path):
    from pipeline.api import iter_records

    seeds = sorted(CORPUS.glob("*.txt"))
    if not seeds:
        pytest.skip("no seed corpus")
    direct = sorted(_key(r.to_dict()) for r in iter_records(seeds, errors=ErrorLog(stream=None)))
    one = run_batch([CORPUS], tmp_path / "w1", progress=False, shard_docs=2)
    two = run_batch([CORPUS], tmp_path / "w2", progress=False, shard_docs=2, workers=2)
    assert one.documents == two.documents == len(seeds) and one.records == len(direct) > 0
    assert sorted(_key(r) for r in iter_output_rows(tmp_path / "w1")) == direct
    assert sorted(_key(r) for r in iter_output_rows(tmp_path / "w2")) == direct
