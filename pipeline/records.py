"""The record schema of ANNOTATION.md section 3, validated before anything is written.

A record is the extractor's mention (extractors.Mention, whose fields it takes in order) of one document,
plus where the document came from. `rules` (the ids of the rules that made the mention, docs/rules.md),
`url` and `published` are provenance: predictions carry them, gold records need not. `sentence_start` /
`sentence_end` are context (the sentence that quotes the evidence), not annotation.

`period` and `place` (v1.2) are keyed fields: a gold record may leave the key out (not annotated, as in
every gold file written before v1.2) or carry it, null included (annotated: "no period"). A record read by
`from_dict` remembers which keyed fields its data lacked (`has_field`); the scorer counts only the others.
"""
from __future__ import annotations

import calendar
import dataclasses
import datetime
import math
import re
from dataclasses import asdict, fields
from typing import Any, Iterable

from extractors import Mention
from pipeline.document import lone_surrogate

KINDS = ("count", "percent", "ratio", "rank", "money", "measure", "number")
QUALIFIERS = ("eq", "approx", "gt", "ge", "lt", "le")
MODALITIES = ("actual", "target")
CHANGES = (None, "increase", "decrease")

# The extractor's mention fields, in its order (start ... location, period, place, sentence_start,
# sentence_end, rules).
MENTION_FIELDS = tuple(f.name for f in fields(Mention))
# The ids of the rules behind a prediction: a list in JSON Lines and Parquet, space-separated in CSV.
RULES_FIELD = "rules"
PROVENANCE_FIELDS = ("url", "published")
# Where the mention's sentence lies in the document (code points, like start/end): context, not annotation.
CONTEXT_FIELDS = ("sentence_start", "sentence_end")
# Fields a gold record may leave out (not annotated) or set, null included (annotated); module doc.
KEYED_FIELDS = ("period", "place", "indicator")
# Column order of every writer: doc_id, the mention fields, then the document's provenance.
COLUMNS = ("doc_id",) + MENTION_FIELDS + PROVENANCE_FIELDS
# The annotation schema (what gold files hold): every column but the provenance and context ones.
SCHEMA_FIELDS = tuple(c for c in COLUMNS if c != RULES_FIELD and c not in PROVENANCE_FIELDS + CONTEXT_FIELDS)
# Fields that every record has (never null), and the numeric fields by type.
REQUIRED_FIELDS = ("doc_id", "start", "end", "text", "kind", "value")
INT_FIELDS = ("start", "end") + CONTEXT_FIELDS
FLOAT_FIELDS = ("value", "value_max", "denominator")
# Free-text fields (string or null).
TEXT_FIELDS = ("unit", "subject", "time", "location", "period", "place", "url", "published")
# A period (ANNOTATION.md section 7): YYYY, YYYY-MM or YYYY-MM-DD, or START/END of those.
_ISO_POINT = r"\d{4}(?:-\d{2}(?:-\d{2})?)?"
PERIOD_PATTERN = re.compile(rf"({_ISO_POINT})(?:/({_ISO_POINT}))?")
# The plain defaults of the mention fields that have one (qualifier "eq", period None...).
_MENTION_DEFAULTS = {f.name: f.default for f in fields(Mention) if f.default is not dataclasses.MISSING}
_ABSENT = "_absent_fields"  # instance attribute: the keyed fields a record's data lacked


class RecordError(ValueError):
    """A record that breaks the schema or the offset invariant."""


class _RecordMethods:
    """The behaviour of Record (its fields come from extractors.Mention, see Record below)."""

    @classmethod
    def from_mention(cls, doc_id: str, mention: Any, url: str | None = None,
                     published: str | None = None) -> "Record":
        """Wrap an extractors.Mention (or any object with the mention attributes) as a record; an attribute the
        object lacks that has a default (period, place, sentence offsets of an older mention-like) takes it."""
        data = {name: getattr(mention, name, _MENTION_DEFAULTS[name]) if name in _MENTION_DEFAULTS
                else getattr(mention, name) for name in MENTION_FIELDS if name != RULES_FIELD}
        data[RULES_FIELD] = list(getattr(mention, RULES_FIELD, None) or [])  # a copy: records outlive mentions
        return cls(doc_id=doc_id, url=url, published=published, **data)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "Record":
        """Build a record from a dict (a JSON line); unknown keys are ignored, missing or null optional ones default."""
        known = {f.name for f in fields(cls)}
        values = {k: v for k, v in data.items() if k in known}
        if values.get(RULES_FIELD) is None:
            values.pop(RULES_FIELD, None)  # files written before rule ids, and gold files: no rules
        record = cls(**values)
        absent = frozenset(name for name in KEYED_FIELDS if name not in data)
        if absent:
            setattr(record, _ABSENT, absent)
        return record

    def has_field(self, name: str) -> bool:
        """False for a keyed field (period, place) that the data this record was read from left out.

        A record built any other way (from a mention, by Record(...) or dataclasses.replace) carries them all.
        """
        return name not in getattr(self, _ABSENT, ())

    def to_dict(self, provenance: bool = True) -> dict[str, Any]:
        """The record as a dict in column order; without provenance, only the annotation schema fields
        (keyed fields the record was read without are left out, so a gold file keeps its keys)."""
        data = asdict(self)
        if provenance:
            return {k: data[k] for k in COLUMNS}
        return {k: data[k] for k in SCHEMA_FIELDS if self.has_field(k)}

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
    if r.period is not None:
        problem = period_problem(r.period)
        if problem:
            yield problem
    if r.place is not None and (not isinstance(r.place, str) or not r.place.strip()):
        yield f"place {r.place!r} must be a non-empty string or null"
    yield from _sentence_problems(r, document_text)
    rules = getattr(r, RULES_FIELD)
    if not isinstance(rules, list) or not all(isinstance(x, str) and x and not x.isspace() for x in rules):
        yield f"{RULES_FIELD} must be a list of non-empty strings (rule ids), got {rules!r}"
    for name in TEXT_FIELDS:
        v = getattr(r, name)
        if v is not None and not isinstance(v, str):
            yield f"{name} must be a string or null"
    for name in ("doc_id", "text") + TEXT_FIELDS:
        v = getattr(r, name)
        where = lone_surrogate(v) if isinstance(v, str) else None
        if where:  # it has no UTF-8 encoding: the writer would fail on it
            yield f"{name} holds a lone surrogate {where}"


def period_problem(period: Any) -> str | None:
    """Why `period` is not an ISO period of ANNOTATION.md section 7 (YYYY, YYYY-MM, YYYY-MM-DD, START/END), or None."""
    match = PERIOD_PATTERN.fullmatch(period) if isinstance(period, str) else None
    if match is None:
        return f"period {period!r} is not YYYY, YYYY-MM, YYYY-MM-DD or START/END of those"
    bounds = [_bounds(point) for point in match.groups() if point is not None]
    if None in bounds:
        return f"period {period!r} is not a real date"
    if len(bounds) == 2 and bounds[0][0] > bounds[1][1]:
        return f"period {period!r} starts after it ends"
    return None


def _bounds(point: str) -> tuple[datetime.date, datetime.date] | None:
    """First and last day of an ISO year, month or day; None for a month or day that does not exist."""
    parts = [int(x) for x in point.split("-")]
    try:
        if len(parts) == 3:
            day = datetime.date(*parts)
            return day, day
        if len(parts) == 2:
            last_day = calendar.monthrange(parts[0], parts[1])[1] if 1 <= parts[1] <= 12 else 0
            return datetime.date(parts[0], parts[1], 1), datetime.date(parts[0], parts[1], last_day)
        return datetime.date(parts[0], 1, 1), datetime.date(parts[0], 12, 31)
    except ValueError:  # month 13, 30 February, year 0000
        return None


def _is_offset(x: Any) -> bool:
    return isinstance(x, int) and not isinstance(x, bool)


def _sentence_problems(r: Record, document_text: str | None) -> Iterable[str]:
    """sentence_start <= start < end <= sentence_end, both set or both null, within the document."""
    lo, hi = r.sentence_start, r.sentence_end
    if lo is None and hi is None:
        return
    if lo is None or hi is None:
        yield "sentence_start and sentence_end must be both set or both null"
    elif not (_is_offset(lo) and _is_offset(hi)):
        yield f"sentence offsets must be integers, got {lo!r}, {hi!r}"
    elif _is_offset(r.start) and _is_offset(r.end) and not 0 <= lo <= r.start < r.end <= hi:
        yield f"sentence {lo}-{hi} does not hold the span {r.start}-{r.end}"
    elif document_text is not None and hi > len(document_text):
        yield f"sentence_end {hi} beyond document length {len(document_text)}"
