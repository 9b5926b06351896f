"""One task: read a shard, extract its documents, write its part and then its done-marker."""
from __future__ import annotations

import importlib
import time
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable

from pipeline.batch.parts import DONE_DIR, PartWriter, write_json_atomic
from pipeline.batch.read_shard import iter_shard
from pipeline.batch.shards import Shard, part_name
from pipeline.document import Document
from pipeline.errors import ErrorLog, exception_text
from pipeline.readers import ReadOptions, SeenIds
from rules import use_rules

# pipeline.api.extract_document, lenient: an invalid record is dropped, not the whole document.
DEFAULT_EXTRACTOR = "pipeline.batch.worker:extract_document"


@dataclass(frozen=True)
class BatchOptions:
    """What decides the content of the output (recorded in the manifest and compared on restart)."""

    fmt: str = "parquet"
    clean: bool = True
    shard_docs: int = 1000
    extractor: str = DEFAULT_EXTRACTOR  # "module:function", called as function(doc, clean=clean)
    rules: tuple[str, ...] = ()  # absolute paths of the rule directories laid over rules/ (--rules DIR)
    read: ReadOptions = field(default_factory=ReadOptions)  # how inputs are read (size limit, field names)

    def to_dict(self) -> dict[str, Any]:
        """The options as a JSON-ready dict."""
        return {**asdict(self), "rules": list(self.rules)}


def extract_document(doc, clean: bool = True) -> list:
    """pipeline.api.extract_document with strict=False (the batch default extractor)."""
    from pipeline.api import extract_document as extract_one

    return extract_one(doc, clean=clean, strict=False)


@lru_cache(maxsize=None)
def load_extractor(spec: str) -> Callable[..., list]:
    """The function named by "module:function"."""
    module, _, name = spec.partition(":")
    return getattr(importlib.import_module(module), name or "extract_document")


def marker_path(out_dir: Path, index: int) -> Path:
    """Where the done-marker of part `index` goes."""
    return out_dir / DONE_DIR / f"part-{index:05d}.json"


def process_shard(shard: Shard, out_dir: str | Path, options: BatchOptions,
                  on_document: Callable[[], None] | None = None) -> dict[str, Any]:
    """Extract the shard into its part file, then write the marker; returns the marker's content."""
    started = time.perf_counter()
    out_dir = Path(out_dir)
    extract = load_extractor(options.extractor)
    errors = ErrorLog(stream=None, failures=None)  # skips and failures travel back in the result
    writer = PartWriter(out_dir / part_name(shard.index, options.fmt), options.fmt)
    documents = 0
    seen = SeenIds()
    try:
        # The run's rule directories, in this process too (a pool worker or a Dask worker starts without them).
        with use_rules(options.rules):
            for doc in iter_shard(shard, errors, options.read, seen):
                documents += 1
                writer.write(_extract_valid(extract, doc, options.clean, errors))
                if on_document is not None:
                    on_document()
        written = writer.commit()
    except BaseException:
        writer.abort()
        raise
    marker = {
        "part": part_name(shard.index, options.fmt),
        "shard": shard.to_dict(),
        "documents": documents,
        "records": written["rows"],
        "bytes": written["bytes"],
        "sha256": written["sha256"],
        "skipped": [{"location": s.location, "reason": s.reason} for s in errors.skipped],
        "failed": [{"doc_id": f.doc_id, "location": f.location, "error": f.error} for f in errors.failed],
        "notes": [{"location": n.location, "reason": n.reason} for n in errors.notes],
        # [doc_id, location] of every document read: ids repeated across shards are found from these.
        "ids": [[doc_id, location] for doc_id, location in seen.first.items()],
        "seconds": round(time.perf_counter() - started, 3),
    }
    # The marker comes after the part: a marker on disk always means a complete part.
    write_json_atomic(marker_path(out_dir, shard.index), marker)
    return marker


def _extract_valid(extract: Callable[..., list], doc: Document, clean: bool, errors: ErrorLog) -> list:
    """The document's records; a document the extractor raises on is a failure, a record breaking the schema a skip."""
    location = doc.location
    try:
        records = extract(doc, clean=clean)
    except Exception as exc:  # a bug on one document is reported and must not stop a long run...
        if _is_fatal(exc):  # ...but a broken install would fail every document: stop at once
            raise
        errors.fail(doc.doc_id, exception_text(exc), location)
        return []
    valid = []
    for record in records:
        try:
            valid.append(record.validate(doc.text))
        except ValueError as exc:
            errors.skip(f"{location} record {record.start}-{record.end}", f"invalid record dropped: {exc}")
    return valid


def _is_fatal(exc: Exception) -> bool:
    """True for errors that are not about the document (missing extractor, missing module)."""
    from pipeline.api import ExtractorMissing

    return isinstance(exc, (ImportError, MemoryError, ExtractorMissing))
