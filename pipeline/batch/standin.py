"""A trivial, dependency-free extractor for testing and profiling the batch machinery alone.

Every run of digits becomes a `number` record: fast, deterministic, offsets exact. Use it with
`run_batch(..., extractor="pipeline.batch.standin:extract_digits")`; it is not a real extractor.
"""
from __future__ import annotations

import os
import re
import time

from pipeline.document import Document
from pipeline.records import Record

_DIGITS = re.compile(r"\d+")
# Seconds slept per document by extract_digits_slowly (tests that kill a run half-way need a slow run).
DELAY_ENV = "CHISO_STANDIN_DELAY"


def extract_digits(doc: Document, clean: bool = True) -> list[Record]:
    """One `number` record per digit run of the document (`clean` is accepted and ignored): its line as the
    sentence, the publication year as the period, so that every record field travels through the parts."""
    url = doc.meta.get("url")
    published = doc.meta.get("published")  # the readers' ISO date
    published = published if isinstance(published, str) else None
    records = []
    for m in _DIGITS.finditer(doc.text):
        line_start = doc.text.rfind("\n", 0, m.start()) + 1
        line_end = doc.text.find("\n", m.end())
        records.append(Record(doc_id=doc.doc_id, start=m.start(), end=m.end(), text=m.group(), kind="number",
                              value=float(m.group()[:15]), period=published[:4] if published else None,
                              sentence_start=line_start, sentence_end=len(doc.text) if line_end < 0 else line_end,
                              url=url if isinstance(url, str) else None, published=published))
    return records


def extract_digits_slowly(doc: Document, clean: bool = True) -> list[Record]:
    """extract_digits after sleeping $CHISO_STANDIN_DELAY seconds (default 0.05)."""
    time.sleep(float(os.environ.get(DELAY_ENV, "0.05")))
    return extract_digits(doc, clean)
