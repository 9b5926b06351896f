"""The Python API: text, documents or whole corpora in, validated indicator-mention records out.

    >>> from pipeline import extract
    >>> records = extract("Đắk Lắk đã thành lập 1.426 Tổ công nghệ số cộng đồng.")

Offsets point into the NORMALIZED text (NFC, \\r\\n and \\r turned into \\n): use
`normalize_text(s)` (exported here) to get the exact string that `start`/`end` index.
"""
from __future__ import annotations

import logging
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Iterator

from pipeline.clean_text import find_body
from pipeline.document import Document, normalize_text
from pipeline.errors import ErrorLog
from pipeline.readers import DATE_FIELDS, DEFAULT_OPTIONS, ReadOptions, date_text, read_documents
from pipeline.records import Record, RecordError

__all__ = ["extract", "extract_document", "extract_corpus", "iter_records", "normalize_text", "published_of",
           "ExtractStats", "ExtractorMissing", "iter_documents_records"]

log = logging.getLogger("chiso")


@dataclass
class ExtractStats:
    """What a run did: documents extracted and records produced (skips are in the ErrorLog)."""

    documents: int = 0
    records: int = 0


def published_of(doc: Document) -> str | None:
    """The document's publishing date from its metadata ("published", else "date"), as a string.

    A value that is no date (NaN, a list of several...) is passed over, never written as "nan".
    """
    for key in DATE_FIELDS:
        text, _problem = date_text(doc.meta.get(key))
        if text is not None:
            return text
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
    for mention in extractor()(doc.text, body):
        record = Record.from_mention(doc.doc_id, mention, url=url if isinstance(url, str) else None,
                                     published=published)
        try:
            records.append(record.validate(doc.text))
        except RecordError as err:
            if strict:
                raise
            log.warning("chiso: dropped invalid record %s", err)
    return records


def extract(text: str, doc_id: str = "text", clean: bool = True) -> list[Record]:
    """The records of a string; offsets point into normalize_text(text)."""
    return extract_document(Document(doc_id=doc_id, text=normalize_text(text)), clean=clean)


def iter_documents_records(documents: Iterable[Document], clean: bool = True, errors: ErrorLog | None = None,
                           stats: ExtractStats | None = None) -> Iterator[tuple[Document, list[Record]]]:
    """Each document with its records; a document the extractor fails on is reported and skipped."""
    errors = errors if errors is not None else ErrorLog()
    extractor()  # fail once, clearly, instead of skipping every document
    for doc in documents:
        try:
            records = extract_document(doc, clean=clean, strict=False)
        except Exception as err:  # noqa: BLE001 - one bad document must not stop a corpus run
            errors.skip(doc.location, f"extraction failed: {type(err).__name__}: {err}")
            continue
        if stats is not None:
            stats.documents += 1
            stats.records += len(records)
        yield doc, records


def _progress(documents: Iterable[Document], progress: bool) -> Iterable[Document]:
    if not progress:
        return documents
    from tqdm import tqdm

    return tqdm(documents, desc="documents", unit="doc", file=sys.stderr, dynamic_ncols=True)


def iter_records(inputs: Iterable[str | Path] | str | Path, clean: bool = True, errors: ErrorLog | None = None,
                 progress: bool = False, stats: ExtractStats | None = None,
                 read_options: ReadOptions = DEFAULT_OPTIONS) -> Iterator[Record]:
    """Stream the records of files, directories, JSON Lines or "-" (stdin); bad input is skipped and reported.

    `read_options` (pipeline.readers.ReadOptions) sets the size limit of a document and the JSON field names.
    """
    errors = errors if errors is not None else ErrorLog()
    documents = _progress(read_documents(inputs, errors, read_options), progress)
    for _doc, records in iter_documents_records(documents, clean=clean, errors=errors, stats=stats):
        yield from records


def extract_corpus(inputs: Iterable[str | Path] | str | Path, clean: bool = True,
                   errors: ErrorLog | None = None, progress: bool = False,
                   read_options: ReadOptions = DEFAULT_OPTIONS):
    """The records of a corpus as a pandas DataFrame with the columns pipeline.records.COLUMNS."""
    from pipeline.writers import records_frame

    return records_frame(iter_records(inputs, clean=clean, errors=errors, progress=progress,
                                      read_options=read_options))
