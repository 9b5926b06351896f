"""The record schema of ANNOTATION.md section 3, validated before anything is written.

A record is the extractor's mention (extractors.Mention, whose fields it takes in order) of one document,
plus where the document came from. `rules` (the ids of the rules that made the mention, docs/rules.md),
`url` and `published` are provenance: predictions carry them, gold records need not.
"""
from __future__ import annotations

import dataclasses
import math
from dataclasses import asdict, fields
from typing import Any, Iterable

from extractors import Mention
from pipeline.document import lone_surrogate

KINDS = ("count", "percent", "ratio", "rank", "money", "measure", "number")
QUALIFIERS = ("eq", "approx", "gt", "ge", "lt", "le")
MODALITIES = ("actual", "target")
CHANGES = (None, "increase", "decrease")

# The extractor's mention fields, in its order (start ... location, rules).
MENTION_FIELDS = tuple(f.name for f in fields(Mention))
# The ids of the rules behind a prediction: a list in JSON Lines and Parquet, space-separated in CSV.
RULES_FIELD = "rules"
PROVENANCE_FIELDS = ("url", "published")
# Column order of every writer: doc_id, the mention fields, then the document's provenance.
COLUMNS = ("doc_id",) + MENTION_FIELDS + PROVENANCE_FIELDS
# The annotation schema (what gold files hold): every column but the provenance ones.
SCHEMA_FIELDS = tuple(c for c in COLUMNS if c != RULES_FIELD and c not in PROVENANCE_FIELDS)
# Fields that every record has (never null), and the numeric fields by type.
REQUIRED_FIELDS = ("doc_id", "start", "end", "text", "kind", "value")
INT_FIELDS = ("start", "end")
FLOAT_FIELDS = ("value", "value_max", "denominator")


class RecordError(ValueError):
    """A record that breaks the schema or the offset invariant."""


class _RecordMethods:
    """The behaviour of Record (its fields come from extractors.Mention, see Record below)."""

    @classmethod
    def from_mention(cls, doc_id: str, mention: Any, url: str | None = None,
                     published: str | None = None) -> "Record":
        """Wrap an extractors.Mention (or any object with the mention attributes) as a record."""
        data = {name: getattr(mention, name) for name in MENTION_FIELDS if name != RULES_FIELD}
        data[RULES_FIELD] = list(getattr(mention, RULES_FIELD, None) or [])  # a copy: records outlive mentions
        return cls(doc_id=doc_id, url=url, published=published, **data)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "Record":
        """Build a record from a dict (a JSON line); unknown keys are ignored, missing or null optional ones default."""
        known = {f.name for f in fields(cls)}
        values = {k: v for k, v in data.items() if k in known}
        if values.get(RULES_FIELD) is None:
            values.pop(RULES_FIELD, None)  # files written before rule ids, and gold files: no rules
        return cls(**values)

    def to_dict(self, provenance: bool = True) -> dict[str, Any]:
        """The record as a dict in column order; without provenance, only the annotation schema fields."""
        data = asdict(self)
        keys = COLUMNS if provenance else SCHEMA_FIELDS
        return {k: data[k] for k in keys}

    def validate(self, document_text: str | None = None) -> "Record":
        """Raise RecordError if a field breaks the schema or text != document_text[start:end]."""
        problems = list(_problems(self, document_text))
        if problems:
            raise RecordError(f"{self.doc_id}@{self.start}-{self.end} {self.text!r}: " + "; ".join(problems))
        return self


def _record_fields() -> list[tuple[str, Any, dataclasses.Field]]:
    """doc_id, then every field of extractors.Mention (type and default kept), then url and published."""
    out: list[tuple[str, Any, Any]] = [("doc_id", "str")]
    for f in fields(Mention):
        default = (dataclasses.field(default_factory=f.default_factory)
                   if f.default_factory is not dataclasses.MISSING else dataclasses.field(default=f.default))
        out.append((f.name, f.type, default))
    out += [(name, "str | None", dataclasses.field(default=None)) for name in PROVENANCE_FIELDS]
    return out


# Built from the extractor's Mention, so that a field added there reaches every writer and reader.
Record = dataclasses.make_dataclass("Record", _record_fields(), bases=(_RecordMethods,))
Record.__module__ = __name__  # where pickle (batch workers) finds it
Record.__doc__ = "One indicator mention of one document (ANNOTATION.md section 3), plus provenance."


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
    rules = getattr(r, RULES_FIELD)
    if not isinstance(rules, list) or not all(isinstance(x, str) and x and not x.isspace() for x in rules):
        yield f"{RULES_FIELD} must be a list of non-empty strings (rule ids), got {rules!r}"
    for name in ("unit", "subject", "time", "location", "url", "published"):
        v = getattr(r, name)
        if v is not None and not isinstance(v, str):
            yield f"{name} must be a string or null"
    for name in ("doc_id", "text", "unit", "subject", "time", "location", "url", "published"):
        v = getattr(r, name)
        where = lone_surrogate(v) if isinstance(v, str) else None
        if where:  # it has no UTF-8 encoding: the writer would fail on it
            yield f"{name} holds a lone surrogate {where}"
