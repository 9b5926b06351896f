"""Helpers shared by the extractor tests in this folder (no tests of its own).

tests/extractors/ has no __init__.py on purpose: as a package it would be imported as `extractors.*` and shadow
the project's `extractors` package. pytest puts this folder on sys.path (rootdir-relative import mode), so the
tests import `from helpers import ...`; the price is that test file names must stay unique across tests/.
"""
from __future__ import annotations

from extractors import extract_mentions


def mentions(text: str):
    """Mentions of text, checking the offset invariant on the way."""
    out = extract_mentions(text)
    for m in out:
        assert text[m.start:m.end] == m.text
    return out


def one(text: str, span: str):
    """The single mention whose text is span (fails if absent)."""
    found = [m for m in mentions(text) if m.text == span]
    assert found, f"{span!r} not extracted from {text!r}: {[m.text for m in mentions(text)]}"
    return found[0]


def spans(text: str) -> list[str]:
    """The texts of all mentions."""
    return [m.text for m in mentions(text)]
