"""Engines run the pending shards and yield each finished shard's result, in completion order.

- local, workers=1: in this process, one shard after the other;
- local, workers>1: a ProcessPoolExecutor (forkserver processes, the extractor preloaded);
- dask: one task per shard on a dask.distributed cluster (an existing scheduler, or a LocalCluster).
Every engine calls the same `process_shard`, so they write the same part files.
"""
from __future__ import annotations

import logging
import multiprocessing
import os
import threading
import uuid
from concurrent.futures import ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from typing import Any, Callable, Iterator, Sequence

from pipeline.batch.shards import Shard
from pipeline.batch.worker import BatchOptions, process_shard

ENGINES = ("local", "dask")
Result = dict[str, Any]


def run_engine(engine: str, shards: Sequence[Shard], out_dir: Path, options: BatchOptions, workers: int,
               scheduler: str | None, on_document: Callable[[], None] | None) -> Iterator[Result]:
    """Results of `shards` processed by `engine`; `on_document` is called per document where it can be."""
    if engine not in ENGINES:
        raise ValueError(f"engine {engine!r} not in {ENGINES}")
    if not shards:
        return iter(())
    if engine == "dask":
        return _run_dask(shards, out_dir, options, workers, scheduler)
    if scheduler:
        raise ValueError("a scheduler address needs engine='dask'")
    if workers <= 1:
        return (process_shard(s, out_dir, options, on_document) for s in shards)
    return _run_processes(shards, out_dir, options, workers)


def _run_processes(shards: Sequence[Shard], out_dir: Path, options: BatchOptions, workers: int,
                   ) -> Iterator[Result]:
    # forkserver: workers start from a clean process (no inherited threads or locks), and the
    # preloaded extractor module is imported once in the server, then shared by every worker.
    context = multiprocessing.get_context("forkserver")
    # (A module that fails to import here is just not preloaded; the worker then reports the error.)
    context.set_forkserver_preload([options.extractor.partition(":")[0], "pipeline.batch.worker",
                                    "pipeline.api", "extractors"])
    with ProcessPoolExecutor(max_workers=min(workers, len(shards)), mp_context=context,
                             initializer=_die_with_parent) as pool:
        futures = [pool.submit(process_shard, s, out_dir, options) for s in shards]
        try:
            for future in as_completed(futures):
                yield future.result()
        except BrokenProcessPool as err:
            raise BrokenProcessPool(
                "a batch worker process died (killed, out of memory, or started from a script without the "
                "`if __name__ == '__main__':` guard); finished parts are kept, rerun to resume") from err
        finally:
            for future in futures:  # on error or interrupt, do not start the remaining shards
                future.cancel()


def _die_with_parent() -> None:
    """Pool worker initializer: end the worker when the process that started it dies, even by kill -9.

    A pool worker holds both ends of its task queue, so it would never see the end of a killed parent
    and would linger; the parent's sentinel tells it (the half-done part stays a temp file, removed on rerun).
    """
    parent = multiprocessing.parent_process()
    if parent is None:
        return

    def watch() -> None:
        parent.join()
        os._exit(1)

    threading.Thread(target=watch, name="chiso-parent-watch", daemon=True).start()


def _run_dask(shards: Sequence[Shard], out_dir: Path, options: BatchOptions, workers: int,
              scheduler: str | None) -> Iterator[Result]:
    from dask.distributed import Client, LocalCluster, as_completed as dask_completed

    cluster = None
    if scheduler:
        client = Client(scheduler)
    else:
        cluster = LocalCluster(n_workers=max(1, workers), threads_per_worker=1, processes=True,
                               dashboard_address=None, silence_logs=logging.ERROR)
        client = Client(cluster)
    try:
        # pure=False: a task always runs (its output is a side effect on disk); keys name the part,
        # with a run token so two runs on one shared scheduler never collide.
        token = uuid.uuid4().hex[:8]
        futures = client.map(process_shard, list(shards), out_dir=str(out_dir), options=options,
                             pure=False, retries=1, key=[f"chiso-part-{s.index:05d}-{token}" for s in shards])
        try:
            for future in dask_completed(futures):
                yield future.result()
        finally:
            client.cancel(futures)
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
