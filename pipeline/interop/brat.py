"""brat standoff: one DOC.txt + DOC.ann per document, plus annotation.conf / visual.conf for the brat server.

Mapping (see docs/interop.md):
  T1<TAB>KIND START END<TAB>TEXT           the span, the entity type is the record's kind
  A1<TAB>Qualifier T1 gt                    always written
  A2<TAB>Modality T1 actual                 always written
  A3<TAB>Change T1 increase                 only when change is not null
  #1<TAB>AnnotatorNotes T1<TAB>{JSON}       value, value_max, denominator, unit, subject, time, location,
                                            period, place (when the record carries them)
                                            (+ url, published, and the rule ids `rules` when set),
                                            one JSON object on one line
Offsets are code points into DOC.txt (UTF-8, NFC, "\\n" newlines), the same as chiso's.
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Iterable
from urllib.parse import unquote

from pipeline.document import normalize_text
from pipeline.errors import ErrorLog
from pipeline.interop.common import (
    CHOICE_FIELDS, CHOICE_VALUES, NUMBER_FIELDS, TEXT_FIELDS, InteropError, by_document, fields_of, make_record,
    provenance_of, report, rules_of,
)
from pipeline.records import KINDS, PROVENANCE_FIELDS, RULES_FIELD, Record

# brat attribute names of the choice fields (brat types are conventionally capitalized).
ATTRIBUTES = {name: name.capitalize() for name in CHOICE_FIELDS}
FIELD_OF_ATTRIBUTE = {attribute: name for name, attribute in ATTRIBUTES.items()}
NOTE_TYPE = "AnnotatorNotes"
NOTE_FIELDS = NUMBER_FIELDS + TEXT_FIELDS
# Entity colours in the brat view (one per kind; purely cosmetic).
COLOURS = {
    "count": "#8dd3c7", "percent": "#ffffb3", "ratio": "#bebada", "rank": "#fb8072",
    "money": "#80b1d3", "measure": "#fdb462", "number": "#b3de69",
}
_SAFE_PUNCTUATION = "-_."


def doc_filename(doc_id: str) -> str:
    """A file stem for doc_id: letters, digits, "-", "_", "." kept, anything else %-encoded (reversible)."""
    stem = "".join(c if c.isalnum() or c in _SAFE_PUNCTUATION else _percent(c) for c in doc_id)
    # A leading dot would hide the file (and "." / ".." are not file names).
    return "%2E" + stem[1:] if stem.startswith(".") else stem


def doc_id_from_filename(stem: str) -> str:
    """The doc_id a file stem written by doc_filename stands for."""
    return unquote(stem)


def _percent(char: str) -> str:
    return "".join(f"%{byte:02X}" for byte in char.encode("utf-8"))


def annotation_conf() -> str:
    """brat's annotation.conf: one entity type per kind, the three choice attributes, overlaps allowed."""
    lines = ["# chiso indicator mentions (written by `chiso convert`; see docs/interop.md)",
             "[entities]", *KINDS, "", "[relations]",
             "# mentions may overlap or nest (a ratio inside a percent's brackets, for instance)",
             "<OVERLAP> Arg1:<ENTITY>, Arg2:<ENTITY>, <OVL-TYPE>:<ANY>", "", "[events]", "", "[attributes]"]
    lines += [f"{ATTRIBUTES[name]} Arg:<ENTITY>, Value:{'|'.join(CHOICE_VALUES[name])}" for name in CHOICE_FIELDS]
    return "\n".join(lines) + "\n"


def visual_conf() -> str:
    """brat's visual.conf: a colour per kind."""
    lines = ["[labels]", *[f"{kind} | {kind}" for kind in KINDS], "", "[drawing]",
             *[f"{kind}\tbgColor:{COLOURS[kind]}" for kind in KINDS]]
    return "\n".join(lines) + "\n"


def fragments(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """brat fragments of a span: its pieces between newlines (brat draws a span line by line).

    A span that starts or ends on a newline keeps one fragment so that its offsets survive exactly.
    """
    piece = text[start:end]
    if "\n" not in piece or piece.startswith("\n") or piece.endswith("\n"):
        return [(start, end)]
    result, offset = [], start
    for part in piece.split("\n"):
        if part:
            result.append((offset, offset + len(part)))
        offset += len(part) + 1
    return result


def note_json(record: Record) -> str:
    """The AnnotatorNotes JSON of a record: the fields without a brat attribute, on one line."""
    data: dict[str, Any] = fields_of(record, NOTE_FIELDS)
    data.update(provenance_of(record))
    data.update(rules_of(record))
    return json.dumps(data, ensure_ascii=False, allow_nan=False)


def ann_lines(records: list[Record], text: str) -> list[str]:
    """The .ann lines of one document's records, in record order."""
    lines, attribute_id = [], 0
    for number, record in enumerate(records, 1):
        tid = f"T{number}"
        spans = fragments(text, record.start, record.end)
        offsets = ";".join(f"{s} {e}" for s, e in spans)
        shown = " ".join(text[s:e] for s, e in spans).replace("\n", " ")
        lines.append(f"{tid}\t{record.kind} {offsets}\t{shown}")
        for name in CHOICE_FIELDS:
            value = getattr(record, name)
            if value is not None:
                attribute_id += 1
                lines.append(f"A{attribute_id}\t{ATTRIBUTES[name]} {tid} {value}")
        lines.append(f"#{number}\t{NOTE_TYPE} {tid}\t{note_json(record)}")
    return lines


def to_brat(records: Iterable[Record], texts: dict[str, str], out_dir: str | Path) -> list[Path]:
    """Write DOC.txt + DOC.ann per document of `texts` and the brat configuration; returns the .ann paths."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    grouped = by_document(records, texts)
    written = []
    for doc_id, doc_records in grouped.items():
        text = texts[doc_id]
        if normalize_text(text) != text:
            raise InteropError(f"document {doc_id!r}: text is not normalized (NFC, \\n newlines)")
        stem = doc_filename(doc_id)
        # Bytes, not text mode: no newline translation may shift an offset.
        (out / f"{stem}.txt").write_bytes(text.encode("utf-8"))
        lines = ann_lines(doc_records, text)
        (out / f"{stem}.ann").write_bytes("".join(line + "\n" for line in lines).encode("utf-8"))
        written.append(out / f"{stem}.ann")
    (out / "annotation.conf").write_text(annotation_conf(), encoding="utf-8")
    (out / "visual.conf").write_text(visual_conf(), encoding="utf-8")
    return written


def from_brat(directory: str | Path, errors: ErrorLog | None = None) -> tuple[list[Record], dict[str, str]]:
    """Records and texts of every DOC.txt (+ DOC.ann) in `directory` (recursively, sorted by path).

    A bad annotation raises InteropError, or is reported through `errors` and skipped when given.
    """
    directory = Path(directory)
    if not directory.is_dir():
        raise InteropError(f"{directory}: not a directory")
    records: list[Record] = []
    texts: dict[str, str] = {}
    for txt in sorted(directory.rglob("*.txt")):
        doc_id = doc_id_from_filename(txt.stem)
        if doc_id in texts:
            raise InteropError(f"{txt}: document {doc_id!r} appears twice")
        texts[doc_id] = txt.read_bytes().decode("utf-8")
        ann = txt.with_suffix(".ann")
        if ann.exists():
            records.extend(read_ann(ann, doc_id, texts, errors))
    return records, texts


def read_ann(path: Path, doc_id: str, texts: dict[str, str], errors: ErrorLog | None) -> list[Record]:
    """The records of one .ann file (its text is texts[doc_id])."""
    spans: dict[str, tuple[int, dict[str, Any]]] = {}
    choices: dict[str, dict[str, Any]] = {}
    notes: dict[str, list[tuple[int, str]]] = {}
    # split("\n"), not splitlines(): a note may hold characters such as U+2028 that splitlines breaks on.
    for number, line in enumerate(path.read_bytes().decode("utf-8").split("\n"), 1):
        where = f"{path}:{number}"
        line = line.rstrip("\r")
        if not line.strip():
            continue
        try:
            _parse_line(line, doc_id, number, spans, choices, notes)
        except (ValueError, IndexError) as err:
            report(errors, where, f"cannot parse {line!r} ({err})")
    records = []
    for tid, (number, fields) in spans.items():
        where = f"{path}:{number}"
        fields.update(choices.get(tid, {}))
        data = _note_fields(notes.get(tid, []), path, where, errors)
        if data is None:
            continue
        fields.update(data)
        record = make_record(fields, texts, where, errors)
        if record is not None:
            records.append(record)
    return records


def _parse_line(line: str, doc_id: str, number: int, spans: dict, choices: dict, notes: dict) -> None:
    """File .ann line `number` into spans / choices / notes (relations, events... are ignored)."""
    ident, rest = line.split("\t", 1)
    if ident.startswith("T"):
        header = rest.split("\t", 1)[0]
        kind, offsets = header.split(" ", 1)
        pairs = [tuple(int(x) for x in piece.split()) for piece in offsets.split(";")]
        if any(len(pair) != 2 for pair in pairs):
            raise ValueError("offsets must be START END pairs")
        spans[ident] = (number, {"doc_id": doc_id, "kind": kind,
                                 "start": min(p[0] for p in pairs), "end": max(p[1] for p in pairs)})
    elif ident.startswith(("A", "M")):
        parts = rest.split()
        name, target = parts[0], parts[1]
        field = FIELD_OF_ATTRIBUTE.get(name)
        if field is not None:
            choices.setdefault(target, {})[field] = parts[2] if len(parts) > 2 else None
    elif ident.startswith("#"):
        header, _, note = rest.partition("\t")
        note_type, target = header.split()[:2]
        if note_type == NOTE_TYPE:
            notes.setdefault(target, []).append((number, note))


def _note_fields(notes: list[tuple[int, str]], path: Path, where: str,
                 errors: ErrorLog | None) -> dict[str, Any] | None:
    """The record fields in an entity's JSON note (other, free-text notes are ignored; none gives {});
    None if the note is unusable."""
    for number, note in notes:
        try:
            data = json.loads(note)
        except json.JSONDecodeError:
            continue
        if isinstance(data, dict):
            unknown = set(data) - set(NOTE_FIELDS) - set(PROVENANCE_FIELDS) - {RULES_FIELD}
            if unknown:
                report(errors, f"{path}:{number}", f"unknown note field(s) {sorted(unknown)}")
                return None
            return data
    return {}  # an entity the annotator added: its value is read from its text (make_record)
