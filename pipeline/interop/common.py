"""What every interop format shares: the attribute fields, grouping by document, offset checks."""
from __future__ import annotations

from typing import Any, Iterable

from pipeline.errors import ErrorLog
from pipeline.records import (
    CHANGES, FLOAT_FIELDS, MODALITIES, PROVENANCE_FIELDS, QUALIFIERS, RULES_FIELD, Record,
)

# Fields carried as typed attributes (brat attributes, Label Studio choices) rather than in free notes.
CHOICE_FIELDS = ("qualifier", "modality", "change")
# The values a tool may offer for each choice field (null change is "no choice made").
CHOICE_VALUES = {"qualifier": QUALIFIERS, "modality": MODALITIES, "change": tuple(c for c in CHANGES if c)}
# Numeric and free-text fields of a record beyond its span, kind and choices.
NUMBER_FIELDS = FLOAT_FIELDS
TEXT_FIELDS = ("unit", "subject", "time", "location")
# Defaults of a record field that a tool left unset (Record's own defaults).
DEFAULTS: dict[str, Any] = {"qualifier": "eq", "modality": "actual", "change": None}


class InteropError(ValueError):
    """Annotation data that cannot be converted; the message names where (file, task, region)."""


def provenance_of(record: Record) -> dict[str, Any]:
    """The record's url / published, only those that are set."""
    return {name: getattr(record, name) for name in PROVENANCE_FIELDS if getattr(record, name) is not None}


def rules_of(record: Record) -> dict[str, Any]:
    """{"rules": [...]} with the ids of the rules that made the record, empty when it has none (gold)."""
    return {RULES_FIELD: list(record.rules)} if record.rules else {}


def check_records(records: Iterable[Record], texts: dict[str, str]) -> list[Record]:
    """The records as a list, each validated against its document text (raises InteropError)."""
    checked = []
    for record in records:
        if record.doc_id not in texts:
            raise InteropError(f"record {record.doc_id}@{record.start}-{record.end}: no text for document "
                               f"{record.doc_id!r} (give the corpus)")
        try:
            checked.append(record.validate(texts[record.doc_id]))
        except ValueError as err:
            raise InteropError(str(err)) from None
    return checked


def by_document(records: Iterable[Record], texts: dict[str, str]) -> dict[str, list[Record]]:
    """Records grouped by doc_id, one (possibly empty) list per text, in the order of `texts`."""
    grouped: dict[str, list[Record]] = {doc_id: [] for doc_id in texts}
    for record in check_records(records, texts):
        grouped[record.doc_id].append(record)
    return grouped


def utf16_to_codepoint(text: str, offset: int) -> int:
    """The code-point index of a UTF-16 code-unit offset into `text` (JavaScript string indices)."""
    units = 0
    for index, char in enumerate(text):
        if units >= offset:
            return index
        units += 2 if ord(char) > 0xFFFF else 1
    return len(text)


def resolve_span(text: str, start: int, end: int, span_text: str | None, where: str) -> tuple[int, int]:
    """Code-point offsets of a span a tool reported, fixing JavaScript UTF-16 offsets when needed.

    Label Studio and doccano count UTF-16 code units in some versions; that differs from code points
    only after a character outside the Basic Multilingual Plane (an emoji), never in Vietnamese text.
    """
    if not (isinstance(start, int) and isinstance(end, int)) or isinstance(start, bool):
        raise InteropError(f"{where}: offsets must be integers, got {start!r}, {end!r}")
    if span_text is None or text[start:end] == span_text:
        if not 0 <= start < end <= len(text):
            raise InteropError(f"{where}: span {start}-{end} outside the text (length {len(text)})")
        return start, end
    fixed = utf16_to_codepoint(text, start), utf16_to_codepoint(text, end)
    if text[fixed[0]:fixed[1]] == span_text:
        return fixed
    raise InteropError(f"{where}: text[{start}:{end}] is {text[start:end]!r}, the tool says {span_text!r}")


def report(errors: ErrorLog | None, where: str, reason: str) -> None:
    """Skip a bad annotation through `errors`, or raise InteropError when there is no log."""
    if errors is None:
        raise InteropError(f"{where}: {reason}")
    errors.skip(where, reason)


def make_record(fields: dict[str, Any], texts: dict[str, str], where: str,
                errors: ErrorLog | None) -> Record | None:
    """A validated record from read fields (the span text is taken from the document), or None if skipped."""
    doc_text = texts[fields["doc_id"]]
    data = dict(DEFAULTS)
    data.update(fields)
    data["text"] = doc_text[data["start"]:data["end"]]
    if data.get("value") is None:
        report(errors, where, "no value (every mention needs its normalized value)")
        return None
    try:
        return Record.from_dict(data).validate(doc_text)
    except (TypeError, ValueError) as err:
        report(errors, where, str(err))
        return None
