"""Conversion between chiso records and annotation tools: brat, Label Studio, doccano (docs/interop.md).

Every format holds the records *and* the document texts, with the same code-point offsets as chiso,
so a round trip chiso -> tool -> chiso loses nothing. `chiso` itself is our JSON Lines of records
(no texts: those come from the corpus).
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Iterable

from pipeline.errors import ErrorLog
from pipeline.interop.brat import from_brat, to_brat
from pipeline.interop.common import InteropError
from pipeline.interop.doccano import from_doccano, to_doccano
from pipeline.interop.labelstudio import from_labelstudio, label_config, to_labelstudio
from pipeline.records import CONTEXT_FIELDS, PROVENANCE_FIELDS, RULES_FIELD, Record
from pipeline.writers import atomic_path, output_format, write_records

FORMATS = ("chiso", "brat", "labelstudio", "doccano")

__all__ = [
    "FORMATS", "InteropError", "from_brat", "to_brat", "from_labelstudio", "to_labelstudio", "label_config",
    "from_doccano", "to_doccano", "read", "write", "guess_input_format", "guess_output_format",
]


def write(fmt: str, records: Iterable[Record], texts: dict[str, str], dest: str | Path,
          doc_ids: Iterable[str] | None = None, predictions: bool = False) -> Path:
    """Write records (+ texts) to `dest` in format `fmt`; returns the path written (file or directory).

    `doc_ids` (chiso only) names the documents of a gold directory, default: those of `texts`, else of the records.
    `predictions` (Label Studio only) writes the records as predictions instead of annotations.
    """
    dest = Path(dest)
    records = list(records)
    if fmt == "brat":
        to_brat(records, texts, dest)
        return dest
    if fmt == "chiso" and (dest.is_dir() or not dest.suffix):
        names = list(doc_ids if doc_ids is not None else texts or dict.fromkeys(r.doc_id for r in records))
        write_chiso_dir(records, names, dest)
        return dest
    dest.parent.mkdir(parents=True, exist_ok=True)
    if fmt == "labelstudio":
        tasks = json.dumps(to_labelstudio(records, texts, predictions), ensure_ascii=False, indent=1) + "\n"
        with atomic_path(dest) as tmp:
            tmp.write_text(tasks, encoding="utf-8")
    elif fmt == "doccano":
        _write_jsonl(dest, to_doccano(records, texts))
    elif fmt == "chiso" and _is_table_or_gzip(dest):
        write_records(records, dest)
    elif fmt == "chiso":
        _write_jsonl(dest, chiso_lines(records))
    else:
        raise InteropError(f"unknown format {fmt!r} (one of {', '.join(FORMATS)})")
    return dest


def read(fmt: str, source: str | Path, texts: dict[str, str] | None = None,
         errors: ErrorLog | None = None) -> tuple[list[Record], dict[str, str]]:
    """Records and texts from `source` in format `fmt`; `texts` are needed (and returned) for chiso."""
    source = Path(source)
    if fmt == "brat":
        return from_brat(source, errors)
    if fmt == "labelstudio":
        return from_labelstudio(json.loads(source.read_text(encoding="utf-8")), errors)
    if fmt == "doccano":
        return from_doccano(_read_jsonl(source), errors, source=str(source))
    if fmt == "chiso":
        from pipeline.gold import load_predictions  # the shared reader of record files

        return load_predictions(source), dict(texts or {})
    raise InteropError(f"unknown format {fmt!r} (one of {', '.join(FORMATS)})")


def guess_input_format(path: str | Path) -> str:
    """The format of an existing input: a batch output directory is chiso, a directory with .ann files brat,
    .json Label Studio, .parquet/.csv/.gz chiso records, .jsonl doccano when its first line has
    `label`/`entities`, else chiso records."""
    path = Path(path)
    if path.is_dir():
        from pipeline.gold import batch_parts

        if batch_parts(path) is not None:
            return "chiso"
        if next(path.rglob("*.ann"), None) is not None:
            return "brat"
        if next(path.glob("*.jsonl"), None) is not None:
            return "chiso"
        raise InteropError(f"{path}: cannot tell the format of this directory (no .ann or .jsonl files)")
    if path.suffix == ".json":
        return "labelstudio"
    if _is_table_or_gzip(path):
        return "chiso"
    if path.suffix in (".jsonl", ".ndjson"):
        first = next((line for line in _lines(path) if line.strip()), "{}")
        data = json.loads(first)
        return "doccano" if isinstance(data, dict) and ("label" in data or "entities" in data) else "chiso"
    raise InteropError(f"{path}: cannot tell the format; give --from")


def guess_output_format(path: str | Path) -> str:
    """The format for an output name: .json Label Studio, .doccano.jsonl doccano, .jsonl (and the record files
    .parquet, .csv, .gz) chiso, else brat."""
    name = str(path).lower()
    if name.endswith(".json"):
        return "labelstudio"
    if name.endswith(".doccano.jsonl"):
        return "doccano"
    if name.endswith((".jsonl", ".ndjson")) or _is_table_or_gzip(Path(path)):
        return "chiso"
    return "brat"


def _is_table_or_gzip(path: Path) -> bool:
    """A record file name that is not plain JSON Lines: .parquet, .pq, .csv, or any of them gzipped."""
    return path.suffix.lower() == ".gz" or output_format(path) != "jsonl"


def chiso_lines(records: list[Record]) -> list[dict[str, Any]]:
    """Record dicts in column order; rules, url/published and the sentence offsets only when some record has them
    (gold files have none); period and place only in the records that carry them (pipeline.records)."""
    provenance = any(r.url is not None or r.published is not None for r in records)
    with_rules = any(r.rules for r in records)
    with_context = any(r.sentence_start is not None for r in records)
    lines = []
    for r in records:
        data = r.to_dict()
        lines.append({k: v for k, v in data.items()
                      if (k != RULES_FIELD or with_rules) and (k not in PROVENANCE_FIELDS or provenance)
                      and (k not in CONTEXT_FIELDS or with_context) and r.has_field(k)})
    return lines


def write_chiso_dir(records: list[Record], doc_ids: list[str], dest: Path) -> None:
    """The gold layout: DEST/<doc_id>.jsonl per document (empty when it has no record), records by start."""
    dest.mkdir(parents=True, exist_ok=True)
    for doc_id in dict.fromkeys([*doc_ids, *(r.doc_id for r in records)]):
        if "/" in doc_id or doc_id in (".", ".."):
            raise InteropError(f"doc_id {doc_id!r} cannot be a gold file name")
        mine = sorted((r for r in records if r.doc_id == doc_id), key=lambda r: (r.start, r.end))
        _write_jsonl(dest / f"{doc_id}.jsonl", chiso_lines(mine))


def _lines(path: Path) -> Iterable[str]:
    with path.open(encoding="utf-8") as fh:
        yield from fh


def _read_jsonl(path: Path) -> list[dict[str, Any]]:
    items = []
    for number, line in enumerate(path.read_text(encoding="utf-8").split("\n"), 1):
        if line.strip():
            try:
                items.append(json.loads(line))
            except json.JSONDecodeError as err:
                raise InteropError(f"{path}:{number}: not valid JSON ({err.msg})") from None
    return items


def _write_jsonl(path: Path, items: list[dict[str, Any]]) -> None:
    """Write JSON Lines atomically: an error midway (a NaN, a full disk) leaves no partial file behind."""
    with atomic_path(path) as tmp, tmp.open("w", encoding="utf-8", newline="\n") as fh:
        for item in items:
            fh.write(json.dumps(item, ensure_ascii=False, allow_nan=False) + "\n")
