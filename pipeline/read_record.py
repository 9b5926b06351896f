"""One record (a JSON object, a table row) as a Document: which fields hold the id and the text, clean dates."""
from __future__ import annotations

import datetime
import math
from dataclasses import dataclass
from typing import Any, Iterable

from pipeline.dates import iso_date
from pipeline.document import Document, normalize_text, refuse_lone_surrogates
from pipeline.errors import ErrorLog, InputError

# Fields that carry the publishing date, in order of preference.
DATE_FIELDS = ("published", "date")
# Names other exports give the id and the text, tried (with a note) when "id" / "text" are missing.
ID_ALIASES = ("article_id", "doc_id", "document_id", "_id")
TEXT_ALIASES = ("content", "body", "article", "text_content")
# Fields of chiso's own records: a file of them holds mentions, not articles (its doc_id is no article id).
RECORD_FIELDS = {"doc_id", "start", "end", "kind"}


@dataclass(frozen=True)
class FieldNames:
    """The fields (or columns) read as the id and as the text of a record."""

    id: str = "id"
    text: str = "text"

    @classmethod
    def of(cls, keys: Iterable[str], id_field: str | None, text_field: str | None, location: str,
           errors: ErrorLog | None) -> "FieldNames":
        """The fields to read among `keys`: the ones given, else "id"/"text", else an alias (noted)."""
        keys = set(keys)
        if not id_field and "id" not in keys and RECORD_FIELDS <= keys:
            raise InputError(location, "chiso records (doc_id, start, end, kind), not articles")
        return cls(_pick(keys, id_field, "id", ID_ALIASES, "--id-field", location, errors),
                   _pick(keys, text_field, "text", TEXT_ALIASES, "--text-field", location, errors))


def _pick(keys: set[str], given: str | None, usual: str, aliases: tuple[str, ...], option: str, location: str,
          errors: ErrorLog | None) -> str:
    if given:
        return given
    if usual in keys:
        return usual
    alias = next((a for a in aliases if a in keys), None)
    if alias is None:
        return usual
    if errors is not None:
        errors.note(location, f"no '{usual}' field: '{alias}' is read as the {usual} (choose with {option})")
    return alias


def document_from_record(data: dict[str, Any], location: str, fields: FieldNames = FieldNames(),
                         errors: ErrorLog | None = None) -> Document:
    """The document of one record: id and text from `fields`, every other field kept as meta. Raises InputError."""
    doc_id = data.get(fields.id)
    if isinstance(doc_id, float) and doc_id.is_integer():
        doc_id = int(doc_id)  # a table column of whole numbers with a gap is read as floats
    if isinstance(doc_id, int) and not isinstance(doc_id, bool):
        doc_id = str(doc_id)
    if not isinstance(doc_id, str) or not doc_id.strip():
        raise InputError(location, f"missing or empty '{fields.id}' (a string is required)")
    if fields.text not in data:
        raise InputError(location, f"record {doc_id!r} has no '{fields.text}'")
    text = data[fields.text]
    if text is None or (isinstance(text, float) and math.isnan(text)):
        raise InputError(location, f"record {doc_id!r} has an empty '{fields.text}'")
    if not isinstance(text, str):
        raise InputError(location, f"record {doc_id!r}: '{fields.text}' must be a string, got {type(text).__name__}")
    text = normalize_text(text)
    if not text.strip():
        raise InputError(location, f"record {doc_id!r} has an empty '{fields.text}'")
    meta = {k: v for k, v in data.items() if k not in (fields.id, fields.text)}
    refuse_lone_surrogates(location, {fields.id: doc_id, fields.text: text, "url": meta.get("url"),
                                      **{f: meta.get(f) for f in DATE_FIELDS}})
    clean_dates(meta, location, errors)
    return Document(doc_id=doc_id, text=text, meta=meta)


def date_text(value: Any) -> tuple[str | None, str | None]:
    """(the date as text, None) for a usable date value, else (None, what it is instead) or (None, None) if unset.

    Text is kept as given; a whole number (20201001, 2020.0) and a date/datetime become text; a list of
    one value is that value. NaN, other lists, objects, booleans and fractions are not dates.
    """
    if value is None or (isinstance(value, str) and not value.strip()):
        return None, None
    if isinstance(value, bool):
        return None, "a boolean"
    if isinstance(value, str):
        if value.strip().lower() in ("nan", "nat", "none", "null"):
            return None, f"the text {value.strip()!r}"
        return value, None
    if isinstance(value, int):
        return str(value), None
    if isinstance(value, float):
        if not math.isfinite(value):
            return None, "NaN" if math.isnan(value) else "infinite"
        return (str(int(value)), None) if value.is_integer() else (None, "a number with a fraction")
    if isinstance(value, (list, tuple)):
        if len(value) == 1 and not isinstance(value[0], (list, tuple, dict)):
            return date_text(value[0])
        return None, f"a list of {len(value)} values"
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat(), None
    if value != value:  # pandas.NaT and other NaN-like missing values
        return None, None
    return None, f"a {type(value).__name__}"


def clean_dates(meta: dict[str, Any], location: str, errors: ErrorLog | None) -> None:
    """Set meta["published"] to the ISO date (pipeline.dates) of "published", else of "date", or leave it out.

    A "date" is kept as the text it was; a value that is no date, or text we cannot read as one, is noted.
    """
    published = None
    for name in DATE_FIELDS:
        if name not in meta:
            continue
        text, problem = date_text(meta[name])
        iso = iso_date(text) if text is not None else None
        if text is None:
            del meta[name]
        else:
            meta[name] = text
            if iso is None:
                problem = f"the text {text!r}"
        if iso is None and problem and errors is not None:
            errors.note(location, f"'{name}' that is {problem} is not a date: left out (documents kept)")
        published = published or iso
    if published is None:
        meta.pop("published", None)
    else:
        meta["published"] = published


