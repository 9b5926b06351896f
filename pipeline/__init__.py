"""chiso pipeline: read -> clean -> tokenize -> extract -> records -> write/score.

Python API (imported lazily so `import pipeline` stays cheap):
    from pipeline import extract          # a string in, records out
    from pipeline import extract_corpus   # files/directories/JSON Lines in, a pandas DataFrame out
"""
from __future__ import annotations

from typing import Any

_LAZY = {
    "extract": "pipeline.api",
    "extract_document": "pipeline.api",
    "extract_corpus": "pipeline.api",
    "Document": "pipeline.document",
    "Record": "pipeline.records",
}

__all__ = sorted(_LAZY)


def __getattr__(name: str) -> Any:
    """Import the public API on first use."""
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'pipeline' has no attribute {name!r}")
