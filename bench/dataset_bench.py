"""Peak memory of `chiso dataset` over a batch output (Parquet parts): 1x and 4x the records.

The dantri corpus is extracted once into a batch output directory (2 workers); the 4x input is that directory
plus three copies of each part file with the doc ids made distinct ("~k"), given as record files. Each dataset
run is a subprocess whose peak RSS is read by psutil. The copies state the same figures as the original, so they
fold into the same rows: this measures that records stream through (memory flat in their number), not how the
table grows with new figures.

    .venv/bin/python bench/dataset_bench.py [--corpus ../shared/corpus-unc/dantri-unc.jsonl]
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHISO = [sys.executable, "-m", "pipeline.cli"]


def peak_rss_mb(cmd: list[str]) -> tuple[float, float]:
    """(peak RSS of the process tree in MB, seconds) of a command, sampled every 50 ms."""
    import psutil

    started = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    root = psutil.Process(proc.pid)
    peak = 0
    while proc.poll() is None:
        try:
            peak = max(peak, sum(p.memory_info().rss for p in [root, *root.children(recursive=True)]))
        except psutil.Error:
            pass
        time.sleep(0.05)
    if proc.returncode:
        raise SystemExit(f"{cmd}: exit {proc.returncode}: {proc.stderr.read().decode()[-500:]}")
    return peak / 2 ** 20, time.perf_counter() - started


def copies(parts: list[Path], times: int, dest: Path) -> list[Path]:
    """TIMES - 1 copies of each part file, doc ids suffixed with ~k."""
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    out = []
    for k in range(1, times):
        for part in parts:
            table = pq.read_table(part)
            ids = pc.binary_join_element_wise(table["doc_id"], pa.scalar(f"~{k}"), "")
            table = table.set_column(table.schema.get_field_index("doc_id"), "doc_id", ids)
            path = dest / f"{part.stem}-copy{k}.parquet"
            pq.write_table(table, path)
            out.append(path)
    return out


def main(argv: list[str] | None = None) -> int:
    """Run the measure and print it (and write bench/dataset_results.json)."""
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--corpus", type=Path, default=ROOT.parent / "shared/corpus-unc/dantri-unc.jsonl")
    args = p.parse_args(argv)
    from pipeline.gold import batch_parts

    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        subprocess.run([*CHISO, "extract", str(args.corpus), "-o", f"{tmp}/parts/", "--workers", "2", "-q"],
                       cwd=ROOT, check=True)
        parts = batch_parts(tmp / "parts")
        extra = copies(parts, 4, tmp)
        results = {}
        for name, inputs in (("1x", [f"{tmp}/parts"]), ("4x", [f"{tmp}/parts", *map(str, extra)])):
            mb, seconds = peak_rss_mb([*CHISO, "dataset", *inputs, "-o", f"{tmp}/{name}.parquet"])
            import pandas as pd

            frame = pd.read_parquet(f"{tmp}/{name}.parquet")
            results[name] = {"peak_rss_mb": round(mb, 1), "seconds": round(seconds, 1), "rows": len(frame),
                             "records": int(frame["n_mentions"].sum())}
            print(f"{name}: {results[name]}", flush=True)
    results["growth_4x_over_1x"] = round(results["4x"]["peak_rss_mb"] / results["1x"]["peak_rss_mb"], 2)
    print(f"peak RSS 4x / 1x: {results['growth_4x_over_1x']}x")
    (ROOT / "bench" / "dataset_results.json").write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
