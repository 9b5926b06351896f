"""doccano JSON Lines (sequence labeling): one line per document.

  {"doc_id": ID, "text": TEXT, "label": [[START, END, KIND], ...],
   "chiso": [{"start", "end", "kind", "value", "value_max", "denominator", "unit", "qualifier",
              "modality", "change", "subject", "time", "location"[, "period", "place"][, "url", "published",
              "rules"]}, ...]}   (period and place when the record carries them, null included)

doccano shows `label` and keeps unknown keys (`doc_id`, `chiso`) as metadata; on reading, each label is
matched to the `chiso` entry with the same start, end and kind (a label an annotator added has no entry: its
value is read from its text by the number parser; an entry whose label was deleted is dropped). See docs/interop.md.
"""
from __future__ import annotations

from typing import Any, Iterable

from pipeline.errors import ErrorLog
from pipeline.interop.common import (
    CHOICE_FIELDS, NUMBER_FIELDS, TEXT_FIELDS, by_document, fields_of, make_record, provenance_of, report,
    resolve_span, rules_of,
)
from pipeline.records import Record

EXTRA_KEY = "chiso"
SPAN_KEYS = ("start", "end", "kind")
ENTRY_FIELDS = NUMBER_FIELDS + ("unit",) + CHOICE_FIELDS + TEXT_FIELDS[1:]


def entry(record: Record) -> dict[str, Any]:
    """The `chiso` entry of a record: its span key and every field doccano cannot hold."""
    data = fields_of(record, SPAN_KEYS + ENTRY_FIELDS)
    data.update(provenance_of(record))
    data.update(rules_of(record))
    return data


def to_doccano(records: Iterable[Record], texts: dict[str, str]) -> list[dict[str, Any]]:
    """One doccano line (a dict) per document of `texts`."""
    lines = []
    for doc_id, doc_records in by_document(records, texts).items():
        lines.append({"doc_id": doc_id, "text": texts[doc_id],
                      "label": [[r.start, r.end, r.kind] for r in doc_records],
                      EXTRA_KEY: [entry(r) for r in doc_records]})
    return lines


def from_doccano(lines: Iterable[dict[str, Any]], errors: ErrorLog | None = None,
                 source: str = "doccano") -> tuple[list[Record], dict[str, str]]:
    """Records and texts of doccano lines (ours, or doccano's export with `label` or `entities`)."""
    records: list[Record] = []
    texts: dict[str, str] = {}
    for number, line in enumerate(lines, 1):
        where = f"{source}:{number}"
        doc_id = line.get("doc_id", line.get("id"))
        text = line.get("text")
        if doc_id is None or not isinstance(text, str):
            report(errors, where, "a line needs doc_id (or id) and text")
            continue
        doc_id = str(doc_id)
        if doc_id in texts:
            report(errors, where, f"duplicate doc_id {doc_id!r}")
            continue
        texts[doc_id] = text
        entries = list(line.get(EXTRA_KEY) or [])
        for label in labels_of(line):
            here = f"{where} label {label}"
            try:
                start, end, kind = label
                start, end = resolve_span(text, start, end, None, here)
            except (TypeError, ValueError) as err:
                report(errors, here, str(err))
                continue
            # A label the annotator added has no entry: its value is read from its text (make_record).
            fields = _take_entry(entries, start, end, kind) or {}
            record = make_record(dict(fields, doc_id=doc_id, start=start, end=end, kind=kind), texts, here, errors)
            if record is not None:
                records.append(record)
    return records, texts


def labels_of(line: dict[str, Any]) -> list[list[Any]]:
    """[start, end, kind] triples of a line: `label` (or `labels`) lists, or doccano's `entities` objects."""
    if "entities" in line:
        return [[e.get("start_offset"), e.get("end_offset"), e.get("label")] for e in line["entities"]]
    return [list(label) for label in line.get("label", line.get("labels", []))]


def _take_entry(entries: list[dict[str, Any]], start: int, end: int, kind: str) -> dict[str, Any] | None:
    """Remove and return the first entry with this span and kind (identical duplicates pair up in order)."""
    for index, item in enumerate(entries):
        if (item.get("start"), item.get("end"), item.get("kind")) == (start, end, kind):
            del entries[index]
            return {k: v for k, v in item.items() if k not in SPAN_KEYS}
    return None
