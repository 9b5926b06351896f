"""The record schema of ANNOTATION.md section 3, validated before anything is written."""
from __future__ import annotations

import math
from dataclasses import asdict, dataclass, fields
from typing import Any, Iterable

from pipeline.document import lone_surrogate

KINDS = ("count", "percent", "ratio", "rank", "money", "measure", "number")
QUALIFIERS = ("eq", "approx", "gt", "ge", "lt", "le")
MODALITIES = ("actual", "target")
CHANGES = (None, "increase", "decrease")

# Column order of every writer (schema fields, then the optional provenance fields).
SCHEMA_FIELDS = (
    "doc_id", "start", "end", "text", "kind", "value", "value_max", "denominator",
    "unit", "qualifier", "modality", "change", "subject", "time", "location",
)
PROVENANCE_FIELDS = ("url", "published")
COLUMNS = SCHEMA_FIELDS + PROVENANCE_FIELDS
# Fields that every record has (never null), and the numeric fields by type.
REQUIRED_FIELDS = ("doc_id", "start", "end", "text", "kind", "value")
INT_FIELDS = ("start", "end")
FLOAT_FIELDS = ("value", "value_max", "denominator")


class RecordError(ValueError):
    """A record that breaks the schema or the offset invariant."""


@dataclass
class Record:
    """One indicator mention of one document (ANNOTATION.md section 3), plus provenance."""

    doc_id: str
    start: int
    end: int
    text: str
    kind: str
    value: float
    value_max: float | None = None
    denominator: float | None = None
    unit: str | None = None
    qualifier: str = "eq"
    modality: str = "actual"
    change: str | None = None
    subject: str | None = None
    time: str | None = None
    location: str | None = None
    url: str | None = None
    published: str | None = None

    @classmethod
    def from_mention(cls, doc_id: str, mention: Any, url: str | None = None,
                     published: str | None = None) -> "Record":
        """Wrap an extractors.Mention (or any object with the schema attributes) as a record."""
        data = {f.name: getattr(mention, f.name) for f in fields(cls)
                if f.name not in ("doc_id", "url", "published")}
        return cls(doc_id=doc_id, url=url, published=published, **data)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "Record":
        """Build a record from a dict (a JSON line); unknown keys are ignored, missing optional ones default."""
        known = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in data.items() if k in known})

    def to_dict(self, provenance: bool = True) -> dict[str, Any]:
        """The record as a dict in column order; without provenance, only the schema fields."""
        data = asdict(self)
        keys = COLUMNS if provenance else SCHEMA_FIELDS
        return {k: data[k] for k in keys}

    def validate(self, document_text: str | None = None) -> "Record":
        """Raise RecordError if a field breaks the schema or text != document_text[start:end]."""
        problems = list(_problems(self, document_text))
        if problems:
            raise RecordError(f"{self.doc_id}@{self.start}-{self.end} {self.text!r}: " + "; ".join(problems))
        return self


def _is_number(x: Any) -> bool:
    return isinstance(x, (int, float)) and not isinstance(x, bool) and math.isfinite(x)


def _problems(r: Record, document_text: str | None) -> Iterable[str]:
    if not isinstance(r.doc_id, str) or not r.doc_id:
        yield "doc_id must be a non-empty string"
    if not (isinstance(r.start, int) and isinstance(r.end, int) and 0 <= r.start < r.end):
        yield f"bad span start={r.start!r} end={r.end!r}"
    elif document_text is not None:
        if r.end > len(document_text):
            yield f"end {r.end} beyond document length {len(document_text)}"
        elif document_text[r.start:r.end] != r.text:
            yield f"text != document[start:end] ({document_text[r.start:r.end]!r})"
    if not isinstance(r.text, str) or not r.text:
        yield "text must be a non-empty string"
    if r.kind not in KINDS:
        yield f"kind {r.kind!r} not in {KINDS}"
    if not _is_number(r.value):
        yield f"value {r.value!r} is not a finite number"
    for name in ("value_max", "denominator"):
        v = getattr(r, name)
        if v is not None and not _is_number(v):
            yield f"{name} {v!r} is not a finite number or null"
    if r.qualifier not in QUALIFIERS:
        yield f"qualifier {r.qualifier!r} not in {QUALIFIERS}"
    if r.modality not in MODALITIES:
        yield f"modality {r.modality!r} not in {MODALITIES}"
    if r.change not in CHANGES:
        yield f"change {r.change!r} not in {CHANGES}"
    for name in ("unit", "subject", "time", "location", "url", "published"):
        v = getattr(r, name)
        if v is not None and not isinstance(v, str):
            yield f"{name} must be a string or null"
    for name in ("doc_id", "text", "unit", "subject", "time", "location", "url", "published"):
        v = getattr(r, name)
        where = lone_surrogate(v) if isinstance(v, str) else None
        if where:  # it has no UTF-8 encoding: the writer would fail on it
            yield f"{name} holds a lone surrogate {where}"
