"""run_batch: plan shards, reuse finished parts, run the rest on an engine, write the run's bookkeeping."""
from __future__ import annotations

import fcntl
import json
import sys
import time
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Iterator, Sequence

from tqdm import tqdm

from pipeline.batch.duplicates import drop_repeated_ids
from pipeline.batch.engines import ENGINES, run_engine
from pipeline.batch.inputs import InputFile, expand_inputs
from pipeline.batch.manifest import MANIFEST, ManifestMismatch, build_manifest, check_restart
from pipeline.batch.parts import (DONE_DIR, FORMATS, META_DIR, TMP_MARK, count_rows, read_json, temp_path,
                                  write_json_atomic)
from pipeline.batch.shards import Shard, part_name, plan_shards
from pipeline.batch.worker import DEFAULT_EXTRACTOR, BatchOptions, marker_path
from pipeline.errors import ErrorLog
from pipeline.overlay import check_overlay, overlay_dirs
from pipeline.readers import ReadOptions

ERRORS_FILE = f"{META_DIR}/errors.jsonl"
SUCCESS_FILE = f"{META_DIR}/SUCCESS"
LOCK_FILE = f"{META_DIR}/lock"
# What chiso before layout 2 wrote beside the parts (Hugging Face `datasets` tried to read them as data).
OLD_LAYOUT = ("_manifest.json", "_errors.jsonl", "_SUCCESS", "_lock", "_done/*.json", "_done/.*")


@dataclass
class BatchSummary:
    """What a batch run produced (counts over every part, reused ones included)."""

    documents: int
    records: int
    skipped: int
    parts_written: int
    parts_reused: int
    seconds: float
    parts_total: int = 0
    out_dir: str = ""
    failed: int = 0  # documents the extractor raised on (counted in documents)

    @property
    def complete(self) -> bool:
        """True when every part is done (and .chiso/SUCCESS written)."""
        return self.parts_written + self.parts_reused == self.parts_total

    def describe(self) -> str:
        """One line for the end of a run."""
        rate = self.documents / self.seconds if self.seconds > 0 else 0.0
        failed = f", {self.failed} failed" if self.failed else ""
        return (f"chiso: {self.documents} documents, {self.records} records, {self.skipped} skipped{failed}; "
                f"parts {self.parts_written} written + {self.parts_reused} reused of {self.parts_total}; "
                f"{self.seconds:.1f} s ({rate:.1f} documents/s) -> {self.out_dir}"
                + (f" (skips listed in {Path(self.out_dir) / ERRORS_FILE})" if self.skipped else ""))

    def to_dict(self) -> dict[str, Any]:
        """The summary as a JSON-ready dict."""
        return {**asdict(self), "complete": self.complete}


def run_batch(inputs: Sequence[str | Path], out_dir: Path, *, workers: int = 1, engine: str = "local",
              scheduler: str | None = None, fmt: str = "parquet", progress: bool = True,
              errors: ErrorLog | None = None, clean: bool = True, shard_docs: int = 1000,
              overwrite: bool = False, extractor: str = DEFAULT_EXTRACTOR, rules=None,
              read_options: ReadOptions | None = None) -> BatchSummary:
    """Extract every document of `inputs` into OUT/part-NNNNN.<fmt>, resuming a previous run of the same job.

    `rules`: rule directories laid over the built-in rules in every worker (default: the overlay in force),
    checked before any document is read (rules.RuleError). `read_options`: how inputs are read (size limit,
    field names).
    """
    started = time.perf_counter()
    if fmt not in FORMATS:
        raise ValueError(f"format {fmt!r} not in {FORMATS}")
    if engine not in ENGINES or workers < 1 or (scheduler and engine != "dask"):
        raise ValueError(f"bad engine options: engine={engine!r} (one of {ENGINES}), workers={workers} (>= 1),"
                         f" scheduler={scheduler!r} (only with engine 'dask')")
    out_dir = Path(out_dir)
    options = BatchOptions(fmt=fmt, clean=clean, shard_docs=shard_docs, extractor=extractor,
                           rules=overlay_dirs(rules), read=read_options or ReadOptions())
    check_overlay(options.rules)
    files, unreadable = _readable(expand_inputs(inputs, errors))
    for skip in unreadable:
        if errors is not None:
            errors.skip(skip["location"], skip["reason"])
    shards = plan_shards(files, shard_docs)
    manifest = build_manifest(files, shards, options)
    (out_dir / META_DIR).mkdir(parents=True, exist_ok=True)
    with exclusive(out_dir):
        _prepare(out_dir, manifest, overwrite)
        done, pending = _split_done(out_dir, shards, fmt)
        reused = len(done)
        bar = _progress_bar(shards, done, progress)
        in_process = engine == "local" and workers <= 1
        try:
            results = run_engine(engine, pending, out_dir, options, workers, scheduler,
                                 on_document=(lambda: bar.update(1)) if in_process else None)
            for result in results:
                done[result["shard"]["index"]] = result
                if errors is not None:
                    for skip in result["skipped"]:
                        errors.skip(skip["location"], skip["reason"])
                    for failure in result.get("failed", []):
                        errors.fail(failure["doc_id"], failure["error"], failure["location"])
                for note in result.get("notes", []):
                    if errors is not None:
                        errors.note(note["location"], note["reason"])
                if not in_process:
                    bar.update(result["documents"])
                bar.set_postfix(parts=f"{len(done)}/{len(shards)}", refresh=False)
            if len(done) == len(shards):
                drop_repeated_ids(out_dir, done, fmt, errors)  # an id repeated across shards: keep the first
        finally:
            bar.close()
            _write_errors(out_dir, done, unreadable)
        if len(done) == len(shards):
            write_json_atomic(out_dir / SUCCESS_FILE, {"parts": len(shards)})
    summary = BatchSummary(
        documents=sum(m["documents"] for m in done.values()),
        records=sum(m["records"] for m in done.values()),
        skipped=len(unreadable) + sum(len(m["skipped"]) for m in done.values()),
        failed=sum(len(m.get("failed", [])) for m in done.values()),
        parts_written=len(done) - reused, parts_reused=reused,
        seconds=round(time.perf_counter() - started, 3), parts_total=len(shards), out_dir=str(out_dir))
    if progress:
        print(summary.describe(), file=sys.stderr)
    return summary


class OutputInUse(ManifestMismatch):
    """Another chiso run holds the output directory."""


@contextmanager
def exclusive(out_dir: Path, lock_file: str = LOCK_FILE) -> Iterator[None]:
    """Hold a lock on OUT/.chiso/lock: two runs writing one directory would delete each other's temp files."""
    with open(out_dir / lock_file, "a") as fh:
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise OutputInUse(f"{out_dir} is in use by another chiso batch run") from None
        yield


def _prepare(out_dir: Path, manifest: dict[str, Any], overwrite: bool) -> None:
    """Check the previous run (or clear it), remove temp files and SUCCESS, write the new manifest."""
    old = read_json(out_dir / MANIFEST)
    if overwrite:
        clear_output(out_dir)
        old = None
    elif (out_dir / OLD_LAYOUT[0]).exists():
        raise ManifestMismatch(f"{out_dir} holds the output of an older chiso (with {OLD_LAYOUT[0]}); "
                               "use another output directory, or --overwrite to replace it")
    elif old is None and any(out_dir.glob("part-*")):
        raise ManifestMismatch(f"{out_dir} holds part files but no {MANIFEST}; "
                               "use another output directory, or --overwrite to replace them")
    check_restart(out_dir, old, manifest)
    for tmp in [*out_dir.glob(f".*{TMP_MARK}*"), *out_dir.glob(f"{META_DIR}/.*{TMP_MARK}*"),
                *out_dir.glob(f"{DONE_DIR}/.*{TMP_MARK}*")]:
        tmp.unlink(missing_ok=True)  # left by a killed run: never a finished part
    (out_dir / SUCCESS_FILE).unlink(missing_ok=True)
    (out_dir / DONE_DIR).mkdir(exist_ok=True)
    write_json_atomic(out_dir / MANIFEST, manifest)


def clear_output(out_dir: Path) -> None:
    """Delete what a batch run writes in `out_dir` (and nothing else)."""
    patterns = ("part-*.parquet", "part-*.jsonl", f".*{TMP_MARK}*", f"{META_DIR}/.*{TMP_MARK}*", f"{DONE_DIR}/*",
                f"{DONE_DIR}/.*", MANIFEST, ERRORS_FILE, SUCCESS_FILE, *OLD_LAYOUT)
    for pattern in patterns:
        for path in out_dir.glob(pattern):
            if path.is_file():
                path.unlink()
    if (out_dir / "_done").is_dir() and not any((out_dir / "_done").iterdir()):
        (out_dir / "_done").rmdir()  # the old layout's marker directory, now empty


def _split_done(out_dir: Path, shards: Sequence[Shard], fmt: str,
                ) -> tuple[dict[int, dict[str, Any]], list[Shard]]:
    """Markers of the finished parts, and the shards to (re)do, whose stale part and marker are deleted."""
    done: dict[int, dict[str, Any]] = {}
    pending: list[Shard] = []
    for shard in shards:
        marker = finished_marker(out_dir, shard, fmt)
        if marker is not None:
            done[shard.index] = marker
            continue
        (out_dir / part_name(shard.index, fmt)).unlink(missing_ok=True)
        marker_path(out_dir, shard.index).unlink(missing_ok=True)
        pending.append(shard)
    return done, pending


def finished_marker(out_dir: Path, shard: Shard, fmt: str) -> dict[str, Any] | None:
    """The shard's done-marker when its part is complete: marker for this shard, part present, rows and size right."""
    marker = read_json(marker_path(out_dir, shard.index))
    part = out_dir / part_name(shard.index, fmt)
    if not isinstance(marker, dict) or marker.get("shard") != shard.to_dict() or not part.is_file():
        return None
    if part.stat().st_size != marker.get("bytes") or count_rows(part, fmt) != marker.get("records"):
        return None
    return marker


def _progress_bar(shards: Sequence[Shard], done: dict[int, dict[str, Any]], progress: bool) -> tqdm:
    """A documents bar; its total (hence the ETA) is known unless a WARC shard is to do."""
    counts = [s.docs for s in shards]
    total = None if None in counts else sum(counts)  # type: ignore[arg-type]
    initial = sum(m["documents"] for m in done.values())
    return tqdm(total=total, initial=initial, unit="doc", desc="chiso batch", disable=not progress,
                dynamic_ncols=True, smoothing=0.05, file=sys.stderr, mininterval=1.0)


def _readable(files: Sequence[InputFile]) -> tuple[list[InputFile], list[dict[str, Any]]]:
    """The input files that can be opened, and a skip for each other one (as `chiso extract` without batch does)."""
    readable, skipped = [], []
    for f in files:
        try:
            with open(f.path, "rb"):
                pass
        except OSError as err:
            skipped.append({"location": f.path, "reason": f"cannot read: {err.strerror or err}"})
        else:
            readable.append(f)
    return readable, skipped


def _write_errors(out_dir: Path, done: dict[int, dict[str, Any]], unreadable: Sequence[dict[str, Any]]) -> None:
    """OUT/.chiso/errors.jsonl from scratch: unreadable inputs (part null), then each done part's skips and
    failures, in part order."""
    lines: list[dict[str, Any]] = [{**skip, "part": None} for skip in unreadable]
    for index in sorted(done):
        part = done[index]["part"]
        lines.extend({**skip, "part": part} for skip in done[index]["skipped"])
        lines.extend({**failure, "failed": True, "part": part} for failure in done[index].get("failed", []))
    tmp = temp_path(out_dir / ERRORS_FILE)
    with open(tmp, "w", encoding="utf-8") as fh:
        fh.writelines(json.dumps(line, ensure_ascii=False) + "\n" for line in lines)
    tmp.replace(out_dir / ERRORS_FILE)
