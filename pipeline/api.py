"""The Python API: text, documents or whole corpora in, validated indicator-mention records out.

    >>> from pipeline import extract          # or: import chiso; chiso.extract(...)
    >>> records = extract("Đắk Lắk đã thành lập 1.426 Tổ công nghệ số cộng đồng.")
    >>> records = extract(["Có 5 người.", "Đạt 45% kế hoạch."])        # doc_ids "0", "1"
    >>> frame = extract_corpus(df, text_column="body", id_column="url")  # a DataFrame in, a DataFrame out

Offsets point into the NORMALIZED text (NFC, \\r\\n and \\r turned into \\n): use
`normalize_text(s)` (exported here) to get the exact string that `start`/`end` index. A string of HTML is
cleaned first (the article text, as for a saved page): its offsets point into that article text.
"""
from __future__ import annotations

import functools
import inspect
import logging
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Iterable, Iterator, Sequence, Union

from pipeline.clean_text import find_body
from pipeline.dates import iso_date
from pipeline.document import Document, normalize_text
from pipeline.errors import ErrorLog, InputError, exception_text
from pipeline.overlay import check_overlay, rules_in_force, under_rules
from pipeline.readers import DATE_FIELDS, DEFAULT_OPTIONS, ReadOptions, date_text, read_documents
from pipeline.records import Record, RecordError

__all__ = ["extract", "extract_document", "extract_corpus", "iter_records", "normalize_text", "published_of",
           "ExtractStats", "ExtractorMissing", "iter_documents_records"]

if TYPE_CHECKING:
    import pandas as pd

log = logging.getLogger("chiso")
# What iter_records and extract_corpus read: paths (files, directories, "-") or an in-memory table of texts.
Inputs = Union[Iterable[Union[str, Path]], str, Path, "pd.DataFrame", "pd.Series"]


@dataclass
class ExtractStats:
    """What a run did: documents given to the extractor (failed ones included), records produced, and failures
    (the skips and the failures themselves are in the ErrorLog)."""

    documents: int = 0
    records: int = 0
    failed: int = 0


def published_of(doc: Document) -> str | None:
    """The document's publishing date from its metadata ("published", else "date"), as ISO "YYYY-MM-DD" (or
    "YYYY-MM" / "YYYY"; pipeline.dates). A value that is no date (NaN, a list of several...) is passed over."""
    for key in DATE_FIELDS:
        text, _problem = date_text(doc.meta.get(key))
        iso = iso_date(text) if text is not None else None
        if iso is not None:
            return iso
    return None


class ExtractorMissing(RuntimeError):
    """The extractor package has no `extract_mentions` (a broken install, not a bad document)."""


def extractor():
    """extractors.extract_mentions, looked up at call time so it can be swapped by patching the module."""
    import extractors

    try:
        return extractors.extract_mentions
    except AttributeError:
        raise ExtractorMissing("the extractor is not available: extractors.extract_mentions is missing") from None


@functools.lru_cache(maxsize=8)
def _takes_published(fn) -> bool:
    """True when an extractor function accepts `published` (chiso's does; one of a researcher's may not)."""
    try:
        return "published" in inspect.signature(fn).parameters
    except (TypeError, ValueError):
        return False


def _call(fn, text: str, body, published: str | None):
    """The mentions of one text, with the publication date for extractors that take it."""
    return fn(text, body, published=published) if _takes_published(fn) else fn(text, body)


def extract_document(doc: Document, clean: bool = True, strict: bool = True) -> list[Record]:
    """The records of one document; with `clean`, page furniture is left out (doc.body is set).

    A reader that already knows where the article is (HTML) sets doc.body itself; it is kept.
    Without `clean`, the whole text is read. With `strict`, an invalid record raises RecordError;
    otherwise it is logged and dropped.
    """
    if clean and doc.body is None:
        doc.body = find_body(doc.text)
    body = doc.body if clean else [(0, len(doc.text))]
    url = doc.meta.get("url")
    published = published_of(doc)
    records = []
    for mention in _call(extractor(), doc.text, body, published):
        record = Record.from_mention(doc.doc_id, mention, url=url if isinstance(url, str) else None,
                                     published=published)
        try:
            records.append(record.validate(doc.text))
        except RecordError as err:
            if strict:
                raise
            log.warning("chiso: dropped invalid record %s", err)
    return records


def extract(text: str | Sequence[str], doc_id: str | Sequence[str] | None = None,
            clean: bool = True, rules=None) -> list[Record]:
    """The records of a string, or of each string of a list (one flat list, in order); see text_document.

    The doc_id of a string is `doc_id` (default "text"); in a list, a string's doc_id is its index ("0", "1"...)
    or the matching item of `doc_id` given as a list of the same length. RULES: rule directories laid over the
    built-in rules (one path or several; raises rules.RuleError for a bad rules file).
    """
    with rules_in_force(rules):
        return _extract_texts(text, doc_id, clean)


def _extract_texts(text, doc_id, clean: bool) -> list[Record]:
    if isinstance(text, str):
        return extract_document(text_document(text, "text" if doc_id is None else doc_id), clean=clean)
    if isinstance(text, (bytes, bytearray)) or not isinstance(text, Iterable):
        raise TypeError(f"extract() takes a string or a list of strings, not {type(text).__name__} "
                        "(files and directories: extract_corpus or iter_records)")
    texts = list(text)
    ids = [str(i) for i in range(len(texts))] if doc_id is None or isinstance(doc_id, str) else list(doc_id)
    if len(ids) != len(texts):
        raise ValueError(f"extract(): {len(texts)} texts but {len(ids)} doc_ids")
    records = []
    for index, (item, item_id) in enumerate(zip(texts, ids)):
        if not isinstance(item, str):
            raise TypeError(f"extract(): item {index} is a {type(item).__name__}, not a string")
        records += extract_document(text_document(item, str(item_id)), clean=clean)
    return records


def text_document(text: str, doc_id: str) -> Document:
    """A string as a document: normalized (offsets point into normalize_text(text)), or, for a string of HTML
    markup, the article the HTML cleaner finds in it (a page without one raises ValueError: its markup and
    scripts are never read for numbers)."""
    if "<" in text and ">" in text:  # the HTML reader (bs4, lxml) is loaded only for strings that may be HTML
        from pipeline.read_html import html_document, looks_like_html

        if looks_like_html(text):
            try:
                return html_document(doc_id, text, doc_id)
            except InputError:
                raise ValueError(f"extract(): {doc_id!r} is HTML, and the HTML cleaner finds no article in it "
                                 "(a listing, an index, an empty page or a fragment); give the article's text, "
                                 "not its markup") from None
    return Document(doc_id=doc_id, text=normalize_text(text))


def iter_documents_records(documents: Iterable[Document], clean: bool = True, errors: ErrorLog | None = None,
                           stats: ExtractStats | None = None) -> Iterator[tuple[Document, list[Record]]]:
    """Each document with its records; a document the extractor raises on is reported as failed and left out."""
    errors = errors if errors is not None else ErrorLog()
    extractor()  # fail once, clearly, instead of failing every document
    for doc in documents:
        if stats is not None:
            stats.documents += 1
        try:
            records = extract_document(doc, clean=clean, strict=False)
        except Exception as err:  # noqa: BLE001 - a bug on one document is reported, the corpus run goes on
            log.debug("extraction of %s failed", doc.location, exc_info=True)
            errors.fail(doc.doc_id, exception_text(err), doc.location)
            if stats is not None:
                stats.failed += 1
            continue
        if stats is not None:
            stats.records += len(records)
        yield doc, records


def iter_records(inputs: Inputs, clean: bool = True, errors: ErrorLog | None = None, progress: bool = False,
                 stats: ExtractStats | None = None, *, text_column: str = "text",
                 id_column: str | None = None, rules=None,
                 read_options: ReadOptions = DEFAULT_OPTIONS) -> Iterator[Record]:
    """Stream the records of files, directories, JSON Lines or "-" (stdin), or of a pandas DataFrame / Series
    (see read_frame.frame_documents for `text_column` and `id_column`); bad input is skipped and reported.

    RULES: rule directories laid over the built-in rules, checked before any document is read. `read_options`
    (pipeline.readers.ReadOptions) sets the size limit of a document and the JSON field names.
    """
    errors = errors if errors is not None else ErrorLog()
    check_overlay(rules)
    documents, total = _documents(inputs, errors, text_column, id_column, read_options, count=progress)
    if progress:
        from pipeline.progress import progress_bar

        documents = progress_bar(documents, total)
    pairs = iter_documents_records(documents, clean=clean, errors=errors, stats=stats)
    for _doc, records in under_rules(rules, pairs):
        yield from records


def _documents(inputs: Inputs, errors: ErrorLog, text_column: str, id_column: str | None,
               read_options: ReadOptions, count: bool) -> tuple[Iterable[Document], int | None]:
    """The documents of the inputs, and (when `count`) how many there are if that is cheap to know."""
    from pipeline.read_frame import frame_documents, is_frame

    if is_frame(inputs):
        return frame_documents(inputs, errors, text_column, id_column), len(inputs)
    if not count:
        return read_documents(inputs, errors, read_options), None
    from pipeline.progress import count_documents

    inputs = [inputs] if isinstance(inputs, (str, Path)) else list(inputs)
    return read_documents(inputs, errors, read_options), count_documents(inputs)


def extract_corpus(inputs: Inputs, clean: bool = True, errors: ErrorLog | None = None, progress: bool = False, *,
                   text_column: str = "text", id_column: str | None = None, rules=None,
                   read_options: ReadOptions = DEFAULT_OPTIONS):
    """The records of a corpus as a pandas DataFrame with the columns pipeline.records.COLUMNS (RULES: as
    iter_records).

    `inputs`: files, directories, JSON Lines, HTML, WARC, "-", or a pandas DataFrame with a `text_column`
    (doc_id from `id_column`, default an "id" column, else the row index; url and published/date columns
    become the records' provenance), or a Series of texts indexed by doc_id.
    """
    from pipeline.writers import records_frame

    return records_frame(iter_records(inputs, clean=clean, errors=errors, progress=progress,
                                      text_column=text_column, id_column=id_column, rules=rules,
                                      read_options=read_options))
