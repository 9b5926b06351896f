"""`python -m pipeline.batch INPUT... -o OUT`: run a batch directly (benchmarks, tests, debugging)."""
from __future__ import annotations

import argparse
import json
import sys

from pipeline.batch.runner import run_batch
from pipeline.batch.worker import DEFAULT_EXTRACTOR
from pipeline.errors import ErrorLog


def main(argv: list[str] | None = None) -> int:
    """Parse the arguments, run the batch, print the summary as JSON on stdout."""
    p = argparse.ArgumentParser(prog="python -m pipeline.batch", description=__doc__)
    p.add_argument("inputs", nargs="+", help="files, directories or globs (.txt .html .jsonl[.gz] .warc[.gz])")
    p.add_argument("-o", "--out", required=True, help="output directory")
    p.add_argument("--workers", type=int, default=1)
    p.add_argument("--engine", choices=("local", "dask"), default="local")
    p.add_argument("--scheduler", default=None, help="dask scheduler address (engine dask)")
    p.add_argument("--format", dest="fmt", choices=("parquet", "jsonl"), default="parquet")
    p.add_argument("--shard-docs", type=int, default=1000, help="documents per shard")
    p.add_argument("--no-clean", dest="clean", action="store_false", help="extract from the whole text")
    p.add_argument("--overwrite", action="store_true", help="replace the output of a different run")
    p.add_argument("--extractor", default=DEFAULT_EXTRACTOR, help="module:function extracting one document")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.add_argument("--rules", action="append", metavar="DIR", help="rule directory laid over rules/ (repeatable)")
    args = p.parse_args(argv)
    summary = run_batch(args.inputs, args.out, workers=args.workers, engine=args.engine,
                        scheduler=args.scheduler, fmt=args.fmt, progress=not args.quiet,
                        errors=ErrorLog(stream=None if args.quiet else sys.stderr), clean=args.clean,
                        shard_docs=args.shard_docs, overwrite=args.overwrite, extractor=args.extractor,
                        rules=args.rules)
    print(json.dumps(summary.to_dict()))
    return 0 if summary.complete else 1


if __name__ == "__main__":
    sys.exit(main())
