"""Documents from a pandas DataFrame (or Series) of texts: the Python API's in-memory corpus."""
from __future__ import annotations

import math
from typing import Any, Iterator

from pipeline.document import Document
from pipeline.errors import ErrorLog
from pipeline.read_record import clean_dates

# The doc_id column used when none is named (else the row index is the doc_id).
DEFAULT_ID_COLUMN = "id"


def is_frame(value: Any) -> bool:
    """True for a pandas DataFrame or Series (pandas is not imported when the value cannot be one)."""
    module = type(value).__module__
    if not module.startswith("pandas"):
        return False
    import pandas as pd

    return isinstance(value, (pd.DataFrame, pd.Series))


def frame_documents(frame, errors: ErrorLog, text_column: str = "text",
                    id_column: str | None = None) -> Iterator[Document]:
    """One document per row: text from `text_column`, doc_id from `id_column` (default: an "id" column when
    there is one, else the row index); other columns are kept as metadata (url, published or date give the
    records' provenance). A Series is a column of texts indexed by doc_id. A row without a usable text or id,
    or with an id seen before, is reported as "row INDEX" and skipped. A string of HTML is cleaned as a page."""
    from pipeline.api import text_document

    frame = _as_frame(frame, text_column)
    if id_column is None:
        id_column = DEFAULT_ID_COLUMN if DEFAULT_ID_COLUMN in frame.columns else None
    for name in (text_column, id_column):
        if name is not None and name not in frame.columns:
            raise ValueError(f"no column {name!r} in the DataFrame (columns: {', '.join(map(str, frame.columns))});"
                             " name the columns with text_column= and id_column=")
    seen: set[str] = set()
    for index, row in zip(frame.index, frame.to_dict(orient="records")):
        location = f"row {index}"
        doc_id = _doc_id(row[id_column] if id_column is not None else index)
        text = row[text_column]
        if doc_id is None:
            errors.skip(location, f"missing or empty {id_column!r}")
        elif doc_id in seen:
            errors.skip(location, f"duplicate id {doc_id!r}")
        elif not isinstance(text, str) or not text.strip():
            errors.skip(location, f"document {doc_id!r}: no text (a non-empty string is required, got "
                                  f"{_shown(text)})")
        else:
            seen.add(doc_id)
            try:
                doc = text_document(text, doc_id)
            except ValueError as err:
                errors.skip(location, str(err).removeprefix("extract(): "))
                continue
            doc.meta = {**_meta(row, (text_column, id_column)), **doc.meta, "source": location}
            clean_dates(doc.meta, location, errors)
            yield doc


def _as_frame(frame, text_column: str):
    """A DataFrame: a Series becomes its one column `text_column`."""
    import pandas as pd

    return frame.to_frame(text_column) if isinstance(frame, pd.Series) else frame


def _doc_id(value: Any) -> str | None:
    """A doc_id from an id cell or index label: strings as they are, whole numbers without ".0"."""
    if hasattr(value, "item"):
        value = value.item()  # numpy scalar
    if isinstance(value, float):
        return None if math.isnan(value) else str(int(value)) if value.is_integer() else str(value)
    if value is None or isinstance(value, bool):
        return None
    text = str(value).strip()
    return text or None


def _meta(row: dict[str, Any], used: tuple[str | None, ...]) -> dict[str, Any]:
    """The other cells of a row, as plain values (dates as ISO strings), missing cells left out."""
    import pandas as pd

    meta = {}
    for key, value in row.items():
        if key in used or (pd.api.types.is_scalar(value) and pd.isna(value)):  # None, NaN, NaT
            continue
        if hasattr(value, "isoformat"):
            value = value.isoformat()
        elif hasattr(value, "item"):
            value = value.item()
        meta[str(key)] = value
    return meta


def _shown(value: Any) -> str:
    """A short description of a bad text cell."""
    if isinstance(value, str):
        return "an empty string"
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "a missing value"
    return f"a {type(value).__name__}"
