"""What every interop format shares: the attribute fields, grouping by document, offset checks."""
from __future__ import annotations

from typing import Any, Iterable

import regex

from extractors.numbers import parse_number
from pipeline.errors import ErrorLog
from pipeline.records import (
    CHANGES, FLOAT_FIELDS, KEYED_FIELDS, MODALITIES, PROVENANCE_FIELDS, QUALIFIERS, RULES_FIELD, Record,
)

# Fields carried as typed attributes (brat attributes, Label Studio choices) rather than in free notes.
CHOICE_FIELDS = ("qualifier", "modality", "change")
# The values a tool may offer for each choice field (null change is "no choice made").
CHOICE_VALUES = {"qualifier": QUALIFIERS, "modality": MODALITIES, "change": tuple(c for c in CHANGES if c)}
# Numeric and free-text fields of a record beyond its span, kind and choices.
NUMBER_FIELDS = FLOAT_FIELDS
# period and place are keyed (pipeline.records): written only when the record carries them, null included.
# The sentence offsets are not carried: they are context, recomputed from the text, and an edited span would
# leave them stale.
TEXT_FIELDS = ("unit", "subject", "time", "location") + KEYED_FIELDS
# Defaults of a record field that a tool left unset (Record's own defaults).
DEFAULTS: dict[str, Any] = {"qualifier": "eq", "modality": "actual", "change": None}
# Words and digit groups of a span, and how many of them value_from_text tries (spans are short phrases).
_TOKEN = regex.compile(r"\d+(?:[.,]\d+)*|\w+")
MAX_SPAN_TOKENS = 12
_FRACTION = regex.compile(r"\d+(?:[.,]\d+)*\s*/\s*(\d+(?:[.,]\d+)*)")


class InteropError(ValueError):
    """Annotation data that cannot be converted; the message names where (file, task, region)."""


def fields_of(record: Record, names: Iterable[str]) -> dict[str, Any]:
    """The record's fields `names` as a dict, leaving out the keyed fields (period, place) it does not carry."""
    return {name: getattr(record, name) for name in names if record.has_field(name)}


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


def value_from_text(text: str) -> float | None:
    """The value of the number phrase in a span ("45%" -> 45, "1,5 tỷ đồng" -> 1.5e9, "hai mươi lăm" -> 25).

    A span usually holds its unit or noun too: the longest phrase the number parser reads from the first digit
    group of the span is taken. A span without digits must be a spelled number as a whole (a spelled prefix
    can be part of something else: "một nửa" is a half, not one). None when nothing parses.
    """
    value = parse_number(text)
    if value is not None:
        return value
    tokens = list(_TOKEN.finditer(text))[:MAX_SPAN_TOKENS]
    digit_tokens = [i for i, token in enumerate(tokens) if token.group()[0].isdigit()]
    for first in digit_tokens:
        for last in range(len(tokens) - 1, first - 1, -1):
            value = parse_number(text[tokens[first].start():tokens[last].end()])
            if value is not None:
                return value
    return None


def denominator_from_text(text: str) -> float | None:
    """The denominator of a ratio or rank written "A/B" ("47/63" -> 63), else None."""
    match = _FRACTION.search(text)
    return parse_number(match.group(1)) if match else None


def fill_value(data: dict[str, Any], where: str, errors: ErrorLog | None) -> bool:
    """Give a span without a typed value the value the number parser reads in its text (noted on the error
    stream so that it is reviewed); False, after reporting the skip, when the text holds no number."""
    value = value_from_text(data["text"])
    if value is None:
        report(errors, where, f"no value, and the number parser reads none in {data['text']!r} "
                              "(every mention needs its normalized value)")
        return False
    data["value"] = value
    if data.get("kind") in ("ratio", "rank") and data.get("denominator") is None:
        data["denominator"] = denominator_from_text(data["text"])
    if errors is not None and errors.stream is not None:
        print(f"chiso: note {where}: no value given; {value:.15g} read from {data['text']!r} "
              "by the number parser", file=errors.stream)
    return True


def make_record(fields: dict[str, Any], texts: dict[str, str], where: str,
                errors: ErrorLog | None) -> Record | None:
    """A validated record from read fields (the span text is taken from the document), or None if skipped.

    A span an annotator added without a value gets the value of its text (`value_from_text`).
    """
    doc_text = texts[fields["doc_id"]]
    data = dict(DEFAULTS)
    data.update(fields)
    data["text"] = doc_text[data["start"]:data["end"]]
    if data.get("value") is None and not fill_value(data, where, errors):
        return None
    try:
        return Record.from_dict(data).validate(doc_text)
    except (TypeError, ValueError) as err:
        report(errors, where, str(err))
        return None
