"""`make bench`: speed per core, speed-up of 2 workers, peak memory, and the ratio to a tokenize-first baseline.

Measured over ../shared/corpus-unc/dantri-unc.jsonl (and a 4x copy of it with distinct ids, generated in a
temporary directory):
  1. per-char speed of our extractor vs the baseline (underthesea.word_tokenize of the whole document, then
     the same extraction) on the same sample (the first --sample documents), in this process;
  2. the baseline and our run give the same records on the gold set (corpus/ documents that have gold/),
     so the speed is not bought with F1;
  3. batch runs in subprocesses (`python -m pipeline.batch`): 1 and 2 workers on 1x, 2 workers on 4x;
     wall time (process start and model loading included), documents/s, characters/s per core, and the
     peak RSS of the whole process tree (psutil, sampled every 50 ms).
Prints a table and the targets with PASS/FAIL, and writes bench/results.json.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, Callable

import regex

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pipeline.batch.manifest import MANIFEST  # noqa: E402
from pipeline.batch.worker import DEFAULT_EXTRACTOR  # noqa: E402
from pipeline.records import FLOAT_FIELDS  # noqa: E402

UNC = ROOT.parent / "shared" / "corpus-unc" / "dantri-unc.jsonl"
RESULTS = ROOT / "bench" / "results.json"

# Targets (the brief's): speed per core vs the baseline, 2-worker speed-up, memory.
TARGET_BASELINE_RATIO = 5.0
TARGET_MB_PER_S = 1.0      # issue 8: the extractor per core, MB of UTF-8 text per CPU second
TARGET_SPEEDUP_2 = 1.7
TARGET_RSS_MB = 1024.0
TARGET_RSS_GROWTH = 1.25  # "flat": peak RSS at 4x at most 25 % above 1x


def load_documents(path: Path, limit: int | None = None) -> list:
    """The first `limit` documents of a JSON Lines file (all when None)."""
    from pipeline.errors import ErrorLog
    from pipeline.readers import iter_json_lines

    docs = []
    with open(path, "rb") as fh:
        for doc in iter_json_lines(fh, str(path), ErrorLog(stream=None)):
            docs.append(doc)
            if limit is not None and len(docs) >= limit:
                break
    return docs


def resolve(spec: str) -> Callable:
    """The function named by "module:function"."""
    from pipeline.batch.worker import load_extractor

    return load_extractor(spec)


def sample_speed(docs: list, extractor: str) -> dict[str, Any]:
    """Per-char speed of ours and of the baseline on the same documents, in this process."""
    from copy import deepcopy

    from underthesea import word_tokenize

    extract = resolve(extractor)
    extract(deepcopy(docs[0]), clean=True)  # load rules and models before timing
    word_tokenize(docs[0].text)
    chars = sum(len(d.text) for d in docs)

    fresh = [deepcopy(d) for d in docs]  # extraction sets doc.body: each timing gets untouched documents
    started = time.process_time()  # CPU time: fair to both sides when other work shares the cores
    for doc in fresh:
        extract(doc, clean=True)
    ours = time.process_time() - started

    fresh = [deepcopy(d) for d in docs]
    started = time.process_time()
    for doc in fresh:
        word_tokenize(doc.text)
        extract(doc, clean=True)
    baseline = time.process_time() - started

    # The floor no extractor beats: one regex pass over the same text for digits alone (issue 8's reference).
    digits = regex.compile(r"\d+")
    started = time.process_time()
    for doc in docs:
        for _ in digits.finditer(doc.text):
            pass
    scan = max(time.process_time() - started, 1e-9)
    size_mb = sum(len(d.text.encode("utf-8")) for d in docs) / 1e6
    return {"documents": len(docs), "chars": chars, "mb": round(size_mb, 3), "ours_seconds": round(ours, 3),
            "baseline_seconds": round(baseline, 3), "ours_chars_per_s": round(chars / ours),
            "baseline_chars_per_s": round(chars / baseline), "ratio": round(baseline / ours, 2),
            "ours_mb_per_s": round(size_mb / ours, 3), "digit_scan_mb_per_s": round(size_mb / scan, 1)}


def gold_check(extractor: str) -> dict[str, Any]:
    """Our batch run and the baseline give the same records on the gold documents, hence the same F1."""
    from underthesea import word_tokenize

    from pipeline.batch.output import iter_output_rows
    from pipeline.batch.runner import run_batch
    from pipeline.gold import load_gold
    from pipeline.readers import read_text_file
    from pipeline.records import Record
    from pipeline.scoring import score

    gold = load_gold(ROOT / "gold")
    paths = sorted(p for p in (ROOT / "corpus").glob("*.txt") if p.stem in gold.doc_ids)
    with tempfile.TemporaryDirectory(prefix="chiso-bench-gold-") as tmp:
        run_batch(paths, Path(tmp) / "out", progress=False, fmt="jsonl", extractor=extractor)
        ours = [Record.from_dict(row) for row in iter_output_rows(Path(tmp) / "out")]
    extract = resolve(extractor)
    baseline = []
    for path in paths:
        doc = read_text_file(path)
        word_tokenize(doc.text)
        baseline.extend(extract(doc, clean=True))

    def key(r: Record) -> str:
        row = {k: float(v) if k in FLOAT_FIELDS and v is not None else v
               for k, v in r.to_dict().items()}
        return json.dumps(row, sort_keys=True, ensure_ascii=False)

    f1_ours = score(gold.records, ours, gold.doc_ids, bootstrap=0).value.f1
    f1_base = score(gold.records, baseline, gold.doc_ids, bootstrap=0).value.f1
    return {"documents": len(paths), "records": len(ours),
            "same_records": sorted(map(key, ours)) == sorted(map(key, baseline)),
            "value_f1_ours": round(f1_ours, 4), "value_f1_baseline": round(f1_base, 4)}


def code_stamp() -> str:
    """A digest of the extraction code and rules (paths, sizes, mtimes): tells if they changed during the bench."""
    import hashlib

    digest = hashlib.sha256()
    for folder in ("extractors", "rules", "pipeline"):
        for path in sorted((ROOT / folder).rglob("*")):
            if path.is_file() and path.suffix in (".py", ".yaml", ".yml", ".txt", ".tsv"):
                st = path.stat()
                digest.update(f"{path}:{st.st_size}:{st.st_mtime_ns}".encode())
    return digest.hexdigest()


def make_copies(src: Path, times: int, dest: Path) -> Path:
    """`times` copies of a JSON Lines file in one file, ids made distinct with a "~k" suffix."""
    with open(dest, "w", encoding="utf-8") as out:
        for k in range(times):
            with open(src, encoding="utf-8") as fh:
                for line in fh:
                    if not line.strip():
                        continue
                    data = json.loads(line)
                    data["id"] = f"{data['id']}~{k}"
                    out.write(json.dumps(data, ensure_ascii=False) + "\n")
    return dest


class TreeSampler:
    """Samples a process tree: peak of the summed RSS, and CPU seconds of every process seen (last sample)."""

    def __init__(self, pid: int):
        import psutil

        self.root = psutil.Process(pid)
        self.peak_rss = 0
        self.cpu: dict[int, float] = {}

    def sample(self) -> None:
        """Read RSS and CPU times of the root and all its descendants now."""
        import psutil

        try:
            procs = [self.root, *self.root.children(recursive=True)]
        except psutil.Error:
            return
        rss = 0
        for p in procs:
            try:
                with p.oneshot():
                    rss += p.memory_info().rss
                    t = p.cpu_times()
                    self.cpu[p.pid] = t.user + t.system
            except psutil.Error:
                pass
        self.peak_rss = max(self.peak_rss, rss)


def batch_run(inputs: Path, out: Path, workers: int, shard_docs: int, extractor: str) -> dict[str, Any]:
    """One `python -m pipeline.batch` run in a subprocess: wall and CPU time, summary, peak RSS of the tree."""
    cmd = [sys.executable, "-m", "pipeline.batch", str(inputs), "-o", str(out), "--workers", str(workers),
           "--shard-docs", str(shard_docs), "--quiet", "--overwrite", "--extractor", extractor]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, cwd=ROOT)
    sampler = TreeSampler(proc.pid)
    while proc.poll() is None:
        sampler.sample()
        time.sleep(0.05)
    seconds = time.perf_counter() - started
    stdout, stderr = proc.communicate()
    if proc.returncode != 0:
        raise RuntimeError(f"batch run failed ({proc.returncode}): {stderr.decode()[-2000:]}")
    summary = json.loads(stdout.decode().strip().splitlines()[-1])
    return {"workers": workers, "seconds": round(seconds, 2), "cpu_seconds": round(sum(sampler.cpu.values()), 2),
            "documents": summary["documents"], "records": summary["records"], "skipped": summary["skipped"],
            "parts": summary["parts_total"], "peak_rss_mb": round(sampler.peak_rss / 2**20, 1),
            "output_sha256": output_digest(out)}


def output_digest(out: Path) -> str:
    """sha256 over the part files in manifest order: equal digests mean byte-identical output."""
    import hashlib

    digest = hashlib.sha256()
    for shard in json.loads((out / MANIFEST).read_text())["shards"]:
        digest.update((out / shard["part"]).read_bytes())
    return digest.hexdigest()


def best_of(runs: list[dict[str, Any]]) -> dict[str, Any]:
    """The fastest of repeated runs (the least disturbed by other work on the machine)."""
    best = dict(min(runs, key=lambda r: r["seconds"]))
    best["all_seconds"] = [r["seconds"] for r in runs]
    best["all_records"] = [r["records"] for r in runs]
    best["all_output_sha256"] = [r["output_sha256"] for r in runs]
    return best


def with_rates(run: dict[str, Any], chars: int) -> dict[str, Any]:
    """Add documents/s, characters/s and characters/s per core to a run."""
    run = dict(run)
    run["chars"] = chars
    run["docs_per_s"] = round(run["documents"] / run["seconds"], 1)
    run["chars_per_s"] = round(chars / run["seconds"])
    run["chars_per_s_per_core"] = round(chars / run["seconds"] / run["workers"])
    # Per CPU-second of the whole tree: the per-core speed even when other work shares the cores.
    run["chars_per_cpu_s"] = round(chars / run["cpu_seconds"]) if run["cpu_seconds"] else None
    return run


def verdict(ok: bool) -> str:
    """PASS or FAIL."""
    return "PASS" if ok else "FAIL"


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark, print the tables and the targets, write bench/results.json."""
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--corpus", type=Path, default=UNC, help="JSON Lines corpus (default: %(default)s)")
    p.add_argument("--sample", type=int, default=300, help="documents in the baseline comparison")
    p.add_argument("--shard-docs", type=int, default=1000,
                   help="shard_docs of the batch runs (default: run_batch's; small inputs are cut into ~32 shards)")
    p.add_argument("--extractor", default=DEFAULT_EXTRACTOR, help="module:function (default: the real one)")
    p.add_argument("--repeat", type=int, default=3, help="1x runs per worker count; the fastest is kept")
    p.add_argument("--no-4x", dest="four", action="store_false", help="skip the 4x corpus run")
    p.add_argument("--out", type=Path, default=RESULTS, help="results file (default: %(default)s)")
    args = p.parse_args(argv)
    if not args.corpus.exists():
        print(f"bench: {args.corpus} not found; nothing to measure", file=sys.stderr)
        return 0

    load_before = os.getloadavg()
    print(f"chiso bench: {args.corpus} ({platform.python_version()}, {os.cpu_count()} cores,"
          f" load average {load_before[0]:.2f})", flush=True)
    all_docs = load_documents(args.corpus)
    total_chars = sum(len(d.text) for d in all_docs)
    print(f"corpus: {len(all_docs)} documents, {total_chars:,} characters", flush=True)

    print(f"[1/4] baseline comparison on the first {args.sample} documents ...", flush=True)
    sample = sample_speed(all_docs[:args.sample], args.extractor)
    del all_docs
    print("[2/4] same records as the baseline on the gold documents ...", flush=True)
    gold = gold_check(args.extractor)

    runs: dict[str, dict[str, Any]] = {}
    with tempfile.TemporaryDirectory(prefix="chiso-bench-") as tmp:
        tmp = Path(tmp)
        print(f"[3/4] batch runs on 1x: 1 worker, 2 workers ({args.repeat} times each) ...", flush=True)
        tries: dict[int, list[dict[str, Any]]] = {1: [], 2: []}
        clean_pairs: list[bool] = []  # per repeat: 1 and 2 workers ran on unchanged code and rules
        for _ in range(args.repeat):  # interleaved, so a burst of load hits both alike
            stamp = code_stamp()
            for w in (1, 2):
                tries[w].append(batch_run(args.corpus, tmp / f"o{w}", w, args.shard_docs, args.extractor))
            clean_pairs.append(code_stamp() == stamp)
        code_changed = not all(clean_pairs)
        runs["1x_w1"] = with_rates(best_of(tries[1]), total_chars)
        runs["1x_w2"] = with_rates(best_of(tries[2]), total_chars)
        if args.four:
            print("[4/4] batch run on 4x (generated in a temporary directory), 2 workers ...", flush=True)
            big = make_copies(args.corpus, 4, tmp / "corpus-4x.jsonl")
            runs["4x_w2"] = with_rates(batch_run(big, tmp / "o4", 2, args.shard_docs, args.extractor),
                                       4 * total_chars)
            big.unlink()

    load_after = os.getloadavg()
    speedup = runs["1x_w1"]["seconds"] / runs["1x_w2"]["seconds"]
    peak = max(r["peak_rss_mb"] for r in runs.values())
    growth = runs["4x_w2"]["peak_rss_mb"] / runs["1x_w2"]["peak_rss_mb"] if "4x_w2" in runs else None
    cpu_ratio = (runs["1x_w2"]["cpu_seconds"] / runs["1x_w1"]["cpu_seconds"]) if runs["1x_w1"]["cpu_seconds"] else 0.0
    # 1 and 2 workers must write the same bytes; a pair is judged only if the code and rules did not change
    # while it ran (other work may be editing them).
    judged = [i for i, ok in enumerate(clean_pairs) if ok]
    same_output = bool(judged) and all(tries[1][i]["output_sha256"] == tries[2][i]["output_sha256"] for i in judged)
    if not judged:
        identity = "not judged: the code or rules changed during every pair of runs; rerun"
    else:
        identity = f"{'identical' if same_output else 'DIFFERENT'} in {len(judged)} of {len(clean_pairs)} pairs" + (
            " (the others ran while the code changed)" if len(judged) < len(clean_pairs) else "")
    targets = [
        (f"extractor speed per core >= {TARGET_MB_PER_S:g} MB/s of UTF-8 text (issue 8's aim)",
         f"{sample['ours_mb_per_s']:.2f} MB/s", sample["ours_mb_per_s"] >= TARGET_MB_PER_S),
        (f"speed per core >= {TARGET_BASELINE_RATIO:g}x the tokenize-first baseline (same {sample['documents']}-doc"
         f" sample, per char)", f"{sample['ratio']:.2f}x", sample["ratio"] >= TARGET_BASELINE_RATIO),
        ("same records as the baseline on the gold documents (no F1 lost)",
         f"{gold['records']} records, {gold['documents']} docs, value F1 {gold['value_f1_ours']:.3f} vs"
         f" {gold['value_f1_baseline']:.3f}", gold["same_records"]),
        (f"2 workers >= {TARGET_SPEEDUP_2:g}x 1 worker (1x corpus)", f"{speedup:.2f}x", speedup >= TARGET_SPEEDUP_2),
        ("1 and 2 workers write byte-identical parts", identity, same_output),
        (f"peak RSS of the process tree < {TARGET_RSS_MB:g} MB", f"{peak:.0f} MB", peak < TARGET_RSS_MB),
    ]
    if growth is not None:
        targets.append((f"RSS flat from 1x to 4x (2 workers, growth <= {TARGET_RSS_GROWTH:g}x)",
                        f"{growth:.2f}x", growth <= TARGET_RSS_GROWTH))

    print()
    print(f"Baseline comparison (in-process, first {sample['documents']} documents, {sample['chars']:,} chars):")
    print("  (CPU seconds of this process)")
    print(f"  ours      {sample['ours_seconds']:8.2f} s  {sample['ours_chars_per_s']:>10,} chars/s")
    print(f"  baseline  {sample['baseline_seconds']:8.2f} s  {sample['baseline_chars_per_s']:>10,} chars/s"
          "  (underthesea.word_tokenize of the whole document, then extract)")
    print(f"  ratio     {sample['ratio']:.2f}x")
    print(f"  per core  {sample['ours_mb_per_s']:.2f} MB/s of UTF-8 text ({sample['mb']:.1f} MB); a regex pass for digits"
          f" alone: {sample['digit_scan_mb_per_s']:.0f} MB/s")
    print()
    print(f"Batch runs (subprocess `python -m pipeline.batch`, shard_docs={args.shard_docs},"
          " start-up and model loading included, fastest of the repeats):")
    header = f"  {'run':<7} {'workers':>7} {'docs':>6} {'records':>8} {'seconds':>8} {'CPU s':>7} {'docs/s':>8}" \
             f" {'chars/s':>10} {'chars/s/core':>12} {'chars/CPU-s':>11} {'peak RSS MB':>11}"
    print(header)
    for name, r in runs.items():
        print(f"  {name:<7} {r['workers']:>7} {r['documents']:>6} {r['records']:>8} {r['seconds']:>8.2f}"
              f" {r['cpu_seconds']:>7.1f} {r['docs_per_s']:>8.1f} {r['chars_per_s']:>10,}"
              f" {r['chars_per_s_per_core']:>12,} {r['chars_per_cpu_s'] or 0:>11,} {r['peak_rss_mb']:>11.0f}")
    print(f"  CPU per character, 2 workers vs 1: {cpu_ratio:.2f}x (1.00 = no parallel overhead; the wall-clock"
          " speed-up can only reach 2x if nothing else runs on the 2 cores)")
    print(f"  load average before/after: {load_before[0]:.2f} / {load_after[0]:.2f}"
          f" on {os.cpu_count()} cores (other processes skew the speed-up)")
    print()
    print("Targets:")
    for label, value, ok in targets:
        print(f"  [{verdict(ok)}] {label}: {value}")

    results = {
        "date": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "machine": {"python": platform.python_version(), "cores": os.cpu_count(), "platform": platform.platform(),
                    # Other work on the machine skews the figures (the speed-up above all): recorded here.
                    "load_average_before": round(load_before[0], 2), "load_average_after": round(load_after[0], 2)},
        "corpus": {"path": str(args.corpus), "chars": total_chars},
        "extractor": args.extractor, "shard_docs": args.shard_docs,
        "baseline_comparison": sample, "gold_check": gold, "runs": runs,
        "code_changed_during_runs": code_changed,
        "speedup_2_workers": round(speedup, 2), "cpu_ratio_2_workers": round(cpu_ratio, 2), "peak_rss_mb": peak,
        "rss_growth_1x_to_4x": round(growth, 2) if growth is not None else None,
        "targets": [{"target": label, "value": value, "pass": ok} for label, value, ok in targets],
    }
    args.out.write_text(json.dumps(results, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"\nwritten {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
