"""Compare the records of two extractor versions over the shared corpora (the rulebook's "same output" check).

    python bench/compare_records.py run OUT.jsonl           # extract both shared corpora and the seeds into OUT
    python bench/compare_records.py diff OLD.jsonl NEW.jsonl  # what changed, by field, with examples

Run `run` on the old checkout and on the new one, then `diff`. The `rules` field (provenance) is ignored.
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
INPUTS = [SHARED / "corpus-unc" / "dantri-unc.jsonl", SHARED / "corpus-multi" / "multi-unc.jsonl", ROOT / "corpus"]
IGNORED = {"rules"}


def run(out: Path) -> None:
    """Extract every input with this checkout's chiso into OUT (JSON Lines)."""
    chiso = Path(sys.executable).with_name("chiso")
    cmd = [str(chiso), "extract", *[str(p) for p in INPUTS if p.exists()], "-o", str(out), "--no-progress", "-q"]
    subprocess.run(cmd, check=True)


def _load(path: Path) -> dict[tuple, dict]:
    out = {}
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            r = json.loads(line)
            out[(r["doc_id"], r["start"], r["end"])] = {k: v for k, v in r.items() if k not in IGNORED}
    return out


def diff(old_path: Path, new_path: Path, show: int = 5) -> int:
    """Print the records only in OLD, only in NEW, and the field changes of shared spans; return the difference count."""
    old, new = _load(old_path), _load(new_path)
    gone = sorted(set(old) - set(new))
    added = sorted(set(new) - set(old))
    changed = Counter()
    examples: dict[str, list] = {}
    for key in set(old) & set(new):
        for field, v in old[key].items():
            if new[key].get(field) != v:
                changed[field] += 1
                examples.setdefault(field, []).append((key, v, new[key].get(field)))
    print(f"old {len(old)} records, new {len(new)}: {len(gone)} gone, {len(added)} added, "
          f"{sum(changed.values())} field changes on shared spans")
    for name, keys, src in (("gone", gone, old), ("added", added, new)):
        for key in keys[:show]:
            print(f"  {name}: {key[0]} {src[key]['text']!r} ({src[key]['kind']}, {src[key]['value']})")
    for field, n in changed.most_common():
        print(f"  {field}: {n} changed")
        for key, a, b in examples[field][:show]:
            print(f"    {key[0]}@{key[1]} {old[key]['text']!r}: {a!r} -> {b!r}")
    return len(gone) + len(added) + sum(changed.values())


def main(argv: list[str] | None = None) -> int:
    """Command line: run or diff."""
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    r = sub.add_parser("run", help="extract the shared corpora and the seeds")
    r.add_argument("out", type=Path)
    d = sub.add_parser("diff", help="compare two runs")
    d.add_argument("old", type=Path)
    d.add_argument("new", type=Path)
    d.add_argument("--show", type=int, default=5, help="examples shown per difference (default 5)")
    a = ap.parse_args(argv)
    if a.cmd == "run":
        run(a.out)
        return 0
    return 1 if diff(a.old, a.new, a.show) else 0


if __name__ == "__main__":
    sys.exit(main())
