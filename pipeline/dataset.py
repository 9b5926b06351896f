"""The dataset: records merged into indicator x place x period rows, one per figure the press states (docs/dataset.md).

Two records state the same figure when they have the same key (the indicator, else the normalized subject; the
place; the period; the modality; the unit) and the same value within rounding. Such records become one row whose
`n_sources` counts the distinct documents. Rows of one key with different values are all kept, with `conflict`
true: that is where the press disagrees.

Normalized subject: NFC, lower case, spaces collapsed, surrounding punctuation and quotes dropped ("Tổ công nghệ
số cộng đồng" and "tổ công nghệ số cộng đồng," are the same subject). Diacritics are kept: they change the word.
A record with neither indicator nor subject is its own row (it is never merged, nor in conflict).

Value within rounding: two numbers are the same when their relative difference is below 0.5% (ROUNDING), or when
they are equal once both are rounded (half up) to the coarser of their stated precisions (14.96 and 15 are, 14.5 and 14.96
are not). A figure is its value, value_max and denominator: each pair must agree (or both be null).
"""
from __future__ import annotations

import math
import unicodedata
from collections import Counter
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any, Iterable, Iterator, Mapping

from pipeline.errors import ErrorLog

# Relative difference under which two values are the same figure.
ROUNDING = 0.005
# The columns of the dataset table, in order.
DATASET_COLUMNS = (
    "indicator", "indicator_label", "indicator_label_en", "subject", "place", "period", "period_source",
    "modality", "kind", "qualifier", "value", "value_max", "denominator", "unit", "n_sources", "n_mentions",
    "sources", "urls", "published_first", "published_last", "evidence", "conflict")
# List-valued columns (a list in Parquet and JSON Lines, one space-separated cell in CSV).
LIST_COLUMNS = ("sources", "urls")
# --period-fallback choices: where a figure without a period takes one from.
PERIOD_FALLBACKS = ("published",)
# The record fields a dataset row is built from.
_RECORD_KEYS = ("doc_id", "text", "subject", "place", "period", "modality", "kind", "qualifier", "value",
                "value_max", "denominator", "unit", "url", "published", "sentence_start", "sentence_end")
_EDGE_PUNCTUATION = " \t\n\"'“”‘’«»()[]{}.,;:!?-–—…"


def normalize_subject(subject: str | None) -> str:
    """The subject as a grouping key: NFC, lower case, single spaces, no surrounding punctuation ("" if none)."""
    if not subject:
        return ""
    text = " ".join(unicodedata.normalize("NFC", subject).lower().split())
    return text.strip(_EDGE_PUNCTUATION)


def decimals(value: float) -> int:
    """The decimal places a value is stated with (14.96 -> 2, 188.0 -> 0)."""
    text = repr(float(value))
    if "e" in text or "E" in text:
        return 0 if abs(value) >= 1 else 15
    fraction = text.split(".")[1] if "." in text else ""
    return 0 if fraction == "0" else len(fraction)


def same_number(a: float | None, b: float | None) -> bool:
    """True when a and b are the same number within rounding (module doc), or both null."""
    if a is None or b is None:
        return a is None and b is None
    if a == b:
        return True
    if abs(a - b) < ROUNDING * max(abs(a), abs(b)):
        return True
    places = min(decimals(a), decimals(b))
    return _rounded(a, places) == _rounded(b, places)


def _rounded(value: float, places: int) -> Decimal:
    """VALUE rounded half up (as a journalist rounds: 2.5 -> 3) to PLACES decimals."""
    return Decimal(repr(value)).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def same_figure(a: dict[str, Any], b: dict[str, Any]) -> bool:
    """True when two records state the same value, value_max and denominator within rounding."""
    return all(same_number(a[name], b[name]) for name in ("value", "value_max", "denominator"))


def label_of(indicator: str | None) -> tuple[str | None, str | None]:
    """(vi, en) label of an indicator id from extractors.indicators, (None, None) when unknown or not installed."""
    if not indicator:
        return None, None
    try:
        from extractors.indicators import indicator_label
    except ImportError:  # the indicator catalog is optional
        return None, None
    try:
        vi, en = indicator_label(indicator)
    except (KeyError, ValueError, TypeError):
        return None, None
    return vi, en


def one_line(text: str | None) -> str | None:
    """Text on one line (every run of whitespace one space)."""
    return " ".join(text.split()) if text else None


def evidence_of(row: Mapping[str, Any], text: str | None) -> str | None:
    """The record's sentence when the document text is known, else its text with its subject, on one line."""
    lo, hi = row.get("sentence_start"), row.get("sentence_end")
    if text is not None and _present(lo) and _present(hi) and 0 <= int(lo) < int(hi) <= len(text):
        return one_line(text[int(lo):int(hi)])
    subject = row.get("subject")
    return one_line(f"{row['text']} ({subject})" if subject else row["text"])


def _present(value: Any) -> bool:
    return value is not None and not (isinstance(value, float) and math.isnan(value))


def _clean(value: Any) -> Any:
    """A plain Python value: numpy scalars unwrapped, NaN / NA as None."""
    if hasattr(value, "item") and not isinstance(value, (list, tuple, str)):
        value = value.item()
    try:
        if value is None or value != value:  # NaN, pandas.NA raises in bool(): handled below
            return None
    except TypeError:
        return None
    return value


def dataset_row(data: Mapping[str, Any], text: str | None = None) -> dict[str, Any]:
    """The fields of one record (a Record, a dict or a table row) that the dataset needs, evidence included."""
    if not isinstance(data, Mapping):
        extra = {"indicator": getattr(data, "indicator", None), "evidence": None}
        data = {**data.to_dict(), **extra}
    row = {name: _clean(data.get(name)) for name in _RECORD_KEYS}
    row["indicator"] = _clean(data.get("indicator")) or None
    row["evidence"] = _clean(data.get("evidence")) or evidence_of(row, text)
    return row


def read_record_rows(inputs: Any, texts: Mapping[str, str] | None = None,
                     errors: ErrorLog | None = None) -> Iterator[dict[str, Any]]:
    """Dataset rows of records: a list of Records or dicts, a DataFrame, or paths of record files / batch output
    directories (a bad record is reported and skipped)."""
    from pipeline.read_frame import is_frame

    texts = texts or {}
    if is_frame(inputs):
        inputs = inputs.to_dict(orient="records")
    elif isinstance(inputs, (str, Path)):
        inputs = [inputs]
    for item in inputs:
        if isinstance(item, (str, Path)):
            yield from _file_rows(Path(item), texts, errors if errors is not None else ErrorLog())
        else:
            doc_id = item.get("doc_id") if isinstance(item, Mapping) else item.doc_id
            yield dataset_row(item, texts.get(doc_id))


def _file_rows(path: Path, texts: Mapping[str, str], errors: ErrorLog) -> Iterator[dict[str, Any]]:
    """Dataset rows of one record file or directory; each bad record is skipped with its FILE:LINE."""
    from pipeline.gold import iter_record_rows

    for record, data in iter_record_rows(path, errors):
        yield dataset_row({**record.to_dict(), "indicator": data.get("indicator"), "evidence": data.get("evidence")},
                          texts.get(record.doc_id))


def build_dataset(records: Any, *, texts: Mapping[str, str] | None = None, linked_only: bool = False,
                  period_fallback: str | None = None, errors: ErrorLog | None = None):
    """The dataset table (a pandas DataFrame with DATASET_COLUMNS) of records: a list of Records or dicts, a
    DataFrame, or paths of record files / batch output directories.

    TEXTS (doc_id -> document text) gives each row its sentence as evidence. LINKED_ONLY drops the records
    without an indicator. PERIOD_FALLBACK "published" gives a figure without a period the month it was published
    in (`period_source` says so).
    """
    if period_fallback not in (None, *PERIOD_FALLBACKS):
        raise ValueError(f"period_fallback must be one of {PERIOD_FALLBACKS} or None, got {period_fallback!r}")
    rows = read_record_rows(records, texts, errors)
    return dataset_frame(merge_rows(rows, linked_only=linked_only, period_fallback=period_fallback))


def group_key(row: Mapping[str, Any], alone: int = 0) -> tuple:
    """What makes two records comparable: indicator (else normalized subject), place, period, modality, unit.

    A record with neither indicator nor subject gets a key of its own, made unique by ALONE (a running number).
    """
    what = ("i", row["indicator"]) if row["indicator"] else ("s", normalize_subject(row["subject"]))
    if what == ("s", ""):
        what = ("r", str(alone))
    return what + (row["place"] or "", row["period"] or "", row["modality"] or "", row["unit"] or "")


_FIGURE = ("value", "value_max", "denominator")


class Cluster:
    """The records of one key that state the same figure, folded as they come (no record is kept): counts,
    documents, URLs, dates, and one row (with its evidence) per exact figure stated."""

    def __init__(self, row: dict[str, Any]):
        self.first = row                                   # the figure other records are compared with
        self.figures: dict[tuple, list] = {}               # exact figure -> [count, first row stating it]
        self.subjects: Counter = Counter()
        self.qualifiers: Counter = Counter()
        self.period_sources: Counter = Counter()
        self.docs: dict[str, None] = {}
        self.urls: dict[str, None] = {}
        self.published: list[str | None] = [None, None]
        self.mentions = 0
        self.add(row)

    def matches(self, row: Mapping[str, Any]) -> bool:
        """True when ROW states this cluster's figure within rounding."""
        return same_figure(self.first, row)

    def add(self, row: dict[str, Any]) -> None:
        """Fold one record row into the cluster."""
        self.mentions += 1
        figure = tuple(row[name] for name in _FIGURE)
        entry = self.figures.setdefault(figure, [0, {k: row[k] for k in (*_FIGURE, "kind", "evidence")}])
        entry[0] += 1
        for counter, name in ((self.subjects, "subject"), (self.qualifiers, "qualifier"),
                              (self.period_sources, "period_source")):
            if row[name] is not None:
                counter[row[name]] += 1
        self.docs.setdefault(row["doc_id"], None)
        if row.get("url"):
            self.urls.setdefault(row["url"], None)
        day = row.get("published")
        if day:
            low, high = self.published
            self.published = [day if low is None or day < low else low, day if high is None or day > high else high]

    def row(self, conflict: bool) -> dict[str, Any]:
        """The dataset row: the most frequent exact figure (the most precise on a tie) and its evidence."""
        _count, stated = max(self.figures.values(), key=lambda e: (e[0], decimals(e[1]["value"])))
        first = self.first
        label, label_en = label_of(first["indicator"])
        return {
            "indicator": first["indicator"], "indicator_label": label, "indicator_label_en": label_en,
            "subject": _most_common(self.subjects), "place": first["place"], "period": first["period"],
            "period_source": _most_common(self.period_sources), "modality": first["modality"],
            "kind": stated["kind"], "qualifier": _most_common(self.qualifiers),
            "value": stated["value"], "value_max": stated["value_max"], "denominator": stated["denominator"],
            "unit": first["unit"], "n_sources": len(self.docs), "n_mentions": self.mentions,
            "sources": list(self.docs), "urls": list(self.urls),
            "published_first": self.published[0], "published_last": self.published[1],
            "evidence": stated["evidence"], "conflict": conflict,
        }


def merge_rows(rows: Iterable[dict[str, Any]], linked_only: bool = False,
               period_fallback: str | None = None) -> list[dict[str, Any]]:
    """Merge record rows that state the same figure; rows of one key with different figures are in conflict.

    ROWS are consumed as a stream and folded into clusters: memory grows with the distinct figures (and their
    documents), not with the records.
    """
    groups: dict[tuple, list[Cluster]] = {}
    for alone, row in enumerate(rows):
        if linked_only and not row["indicator"]:
            continue
        row["period_source"] = "text" if row["period"] else None
        if not row["period"] and period_fallback == "published" and row.get("published"):
            row["period"], row["period_source"] = row["published"][:7], "published"
        clusters = groups.setdefault(group_key(row, alone), [])
        cluster = next((c for c in clusters if c.matches(row)), None)
        if cluster is None:
            clusters.append(Cluster(row))
        else:
            cluster.add(row)
    return [cluster.row(conflict=len(clusters) > 1) for clusters in groups.values() for cluster in clusters]


def _most_common(counts: Counter) -> Any:
    """The most frequent value of a counter (the first seen on a tie), None if it is empty."""
    return counts.most_common(1)[0][0] if counts else None


def dataset_frame(rows: list[dict[str, Any]]):
    """The rows as a DataFrame with DATASET_COLUMNS, sorted by what, where and when."""
    import pandas as pd

    frame = pd.DataFrame(rows, columns=list(DATASET_COLUMNS))
    for name in ("value", "value_max", "denominator"):
        frame[name] = frame[name].astype("float64")
    for name in ("n_sources", "n_mentions"):
        frame[name] = frame[name].astype("int64")
    frame["conflict"] = frame["conflict"].astype(bool)
    order = ["indicator", "subject", "place", "period", "modality", "value"]
    frame = frame.sort_values(order, na_position="last", kind="stable", key=_sort_key)
    return frame.reset_index(drop=True)


def _sort_key(column):
    """Sort text columns case-insensitively (numbers as they are)."""
    return column.str.lower() if column.dtype == object else column


def summary(frame) -> str:
    """One line on a dataset: rows, linked share, places, periods, conflicts."""
    rows = len(frame)
    linked = int(frame["indicator"].notna().sum()) if rows else 0
    share = f"{100 * linked / rows:.0f}%" if rows else "0%"
    return (f"{rows} rows ({linked} linked to an indicator, {share}), {frame['place'].nunique()} places, "
            f"{frame['period'].nunique()} periods, {int(frame['conflict'].sum())} rows in conflict, "
            f"{int((frame['n_sources'] > 1).sum())} figures stated by several documents")



# --- the Dask path: the grouping as a Dask dataframe operation -----------------------------------------------

_KEY = "_key"


def _keyed_partition(part, linked_only: bool, period_fallback: str | None):
    """One partition of records as dataset rows with their grouping key (a string column), fallback applied."""
    import pandas as pd

    rows = []
    for data in part.to_dict(orient="records"):
        row = dataset_row(data)
        if linked_only and not row["indicator"]:
            continue
        row["period_source"] = "text" if row["period"] else None
        if not row["period"] and period_fallback == "published" and row.get("published"):
            row["period"], row["period_source"] = row["published"][:7], "published"
        alone = f"{row['doc_id']}@{row['sentence_start']}:{data.get('start')}"  # unique: doc and span
        row[_KEY] = "\x1f".join(map(str, group_key(row, alone)))
        rows.append(row)
    columns = [*_RECORD_KEYS, "indicator", "evidence", "period_source", _KEY]
    return pd.DataFrame(rows, columns=columns).astype(object)


def _merged_group(group):
    """The dataset rows of one key (a pandas group): merge_rows on its records."""
    import pandas as pd

    rows = [{k: _clean(v) for k, v in row.items()} for row in group.to_dict(orient="records")]
    return pd.DataFrame(merge_rows(rows), columns=list(DATASET_COLUMNS))


def build_dataset_dask(paths: Iterable[str | Path], *, linked_only: bool = False,
                       period_fallback: str | None = None):
    """build_dataset over Parquet record files or batch output directories, grouped by Dask (dask.dataframe
    groupby-apply on the key; the scheduler in force: a distributed Client if one is set up, else threads).
    Evidence is the record's text with its subject (the documents are not read)."""
    import dask.dataframe as dd
    import pandas as pd

    from pipeline.gold import batch_parts

    files: list[str] = []
    for path in paths:
        parts = batch_parts(path)
        files += [str(p) for p in parts] if parts is not None else [str(path)]
    not_parquet = [f for f in files if not f.lower().endswith((".parquet", ".pq"))]
    if not_parquet:
        raise ValueError(f"the Dask path reads Parquet record files only, not {not_parquet[0]}")
    records = dd.read_parquet(files)
    keyed_meta = _keyed_partition(pd.DataFrame(columns=list(records.columns)), linked_only, period_fallback)
    keyed = records.map_partitions(_keyed_partition, linked_only, period_fallback, meta=keyed_meta)
    meta = pd.DataFrame({name: pd.Series(dtype=object) for name in DATASET_COLUMNS})
    merged = keyed.groupby(_KEY).apply(_merged_group, meta=meta).compute()
    return dataset_frame(merged.to_dict(orient="records"))
