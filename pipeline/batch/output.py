"""Read a batch output directory back: its records in part order."""
from __future__ import annotations

from pathlib import Path
from typing import Any, Iterator

import pyarrow.parquet as pq

from pipeline.batch.manifest import MANIFEST
from pipeline.batch.parts import read_json
from pipeline.writers import jsonl_rows


def iter_output_rows(out_dir: str | Path) -> Iterator[dict[str, Any]]:
    """Every record row of the parts listed in OUT/.chiso/manifest.json, part after part."""
    out_dir = Path(out_dir)
    manifest = read_json(out_dir / MANIFEST)
    if manifest is None:
        raise FileNotFoundError(f"{out_dir / MANIFEST}: not a batch output directory")
    for shard in manifest["shards"]:
        part = out_dir / shard["part"]
        if part.suffix == ".parquet":
            for batch in pq.ParquetFile(part).iter_batches():
                yield from batch.to_pylist()
        else:
            yield from jsonl_rows(part)


def read_output(out_dir: str | Path):
    """All records of a batch output directory as a pandas DataFrame."""
    from pipeline.writers import records_frame  # the dtypes of extract_corpus: int64 spans, Int64 sentence offsets

    return records_frame(iter_output_rows(out_dir))


def output_parts(out_dir: str | Path) -> list[Path] | None:
    """The part files OUT/_manifest.json lists, in order (some may be missing if the run did not finish);
    None when OUT is not a batch output directory."""
    out_dir = Path(out_dir)
    manifest = read_json(out_dir / MANIFEST)
    if manifest is None:
        return None
    return [out_dir / shard["part"] for shard in manifest["shards"]]
