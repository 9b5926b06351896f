"""The run manifest OUT/.chiso/manifest.json: inputs, options, shards and parts, compared on every restart."""
from __future__ import annotations

import hashlib
from importlib import metadata
from pathlib import Path
from typing import Any, Sequence

from pipeline.batch.inputs import InputFile
from pipeline.batch.parts import META_DIR
from pipeline.batch.shards import Shard, fingerprint, part_name
from pipeline.batch.worker import DEFAULT_EXTRACTOR, BatchOptions

MANIFEST = f"{META_DIR}/manifest.json"
LAYOUT = 2  # bump when the shard plan or the output layout changes meaning (2: bookkeeping moved into .chiso/)
# Keys that must be equal for a restart to reuse finished parts.
COMPARED = ("layout", "version", "code", "options", "inputs", "shards")
# Packages whose files decide what is extracted: a rules edit between a run and its resume would mix outputs.
CODE_PACKAGES = ("rules", "extractors")


class ManifestMismatch(RuntimeError):
    """The output directory holds a run with other inputs or options."""


def chiso_version() -> str:
    """Installed version of the chiso distribution."""
    try:
        return metadata.version("chiso")
    except metadata.PackageNotFoundError:
        return "0+unknown"


def code_fingerprint(extractor: str) -> dict[str, str]:
    """sha256 of the code that decides the records: the rules and extractors packages for the default
    extractor, else the module of the extractor given."""
    import importlib

    names = CODE_PACKAGES if extractor == DEFAULT_EXTRACTOR else (extractor.partition(":")[0],)
    prints = {}
    for name in names:
        module_file = Path(importlib.import_module(name).__file__)
        files = sorted(module_file.parent.rglob("*")) if module_file.name == "__init__.py" else [module_file]
        digest = hashlib.sha256()
        for path in files:
            if path.is_file() and path.suffix in (".py", ".yaml", ".yml", ".txt", ".tsv"):
                digest.update(path.name.encode() + b"\0" + path.read_bytes())
        prints[name] = digest.hexdigest()
    return prints


def overlay_fingerprint(dirs: Sequence[str]) -> dict[str, str]:
    """sha256 of the rules files of each rule directory laid over rules/ (an edit there changes the records too)."""
    prints = {}
    for d in dirs:
        digest = hashlib.sha256()
        for path in sorted(Path(d).glob("*.y*ml")):
            digest.update(path.name.encode() + b"\0" + path.read_bytes())
        prints[f"rules {d}"] = digest.hexdigest()
    return prints


def build_manifest(files: Sequence[InputFile], shards: Sequence[Shard], options: BatchOptions) -> dict[str, Any]:
    """The manifest of a run over `files` with `options`."""
    return {
        "layout": LAYOUT,
        "version": chiso_version(),
        "code": {**code_fingerprint(options.extractor), **overlay_fingerprint(options.rules)},
        "options": options.to_dict(),
        "inputs": [{"path": f.path, "kind": f.kind, **fingerprint(f.path)} for f in files],
        "shards": [{**s.to_dict(), "part": part_name(s.index, options.fmt), "docs": s.docs} for s in shards],
    }


def differences(old: dict[str, Any], new: dict[str, Any]) -> list[str]:
    """Human-readable list of what differs between two manifests (empty when a restart may resume)."""
    diffs = []
    for key in COMPARED:
        if old.get(key) == new.get(key):
            continue
        if key == "inputs":
            before = {i["path"]: i for i in old.get("inputs", [])}
            after = {i["path"]: i for i in new.get("inputs", [])}
            for path in sorted(before.keys() - after.keys()):
                diffs.append(f"input removed: {path}")
            for path in sorted(after.keys() - before.keys()):
                diffs.append(f"input added: {path}")
            for path in sorted(before.keys() & after.keys()):
                if before[path] != after[path]:
                    diffs.append(f"input changed: {path}")
        elif key == "options":
            o, n = old.get("options") or {}, new.get("options") or {}
            for name in sorted(set(o) | set(n)):
                if o.get(name) != n.get(name):
                    diffs.append(f"option {name}: was {o.get(name)!r}, now {n.get(name)!r}")
        elif key == "code":
            changed = [n for n in new["code"] if (old.get("code") or {}).get(n) != new["code"][n]]
            diffs.append(f"the extraction rules or code changed since that run ({', '.join(changed)})")
        elif key != "shards" or not diffs:  # a changed input already explains a changed plan
            diffs.append(f"{key} differs")
    return diffs


def check_restart(out_dir: Path, old: dict[str, Any] | None, new: dict[str, Any]) -> None:
    """Raise ManifestMismatch when `out_dir` holds a different run."""
    if old is None:
        return
    diffs = differences(old, new)
    if diffs:
        shown = "\n  ".join(diffs[:20]) + ("\n  ..." if len(diffs) > 20 else "")
        raise ManifestMismatch(
            f"{out_dir} holds the output of another run; refusing to mix it with this one:\n  {shown}\n"
            f"Use another output directory, or --overwrite (overwrite=True) to replace it.")
