"""chiso pipeline: read -> clean -> tokenize -> extract -> records -> write/score.

Python API (imported lazily so `import pipeline` stays cheap; `import chiso` gives the same names):
    from pipeline import extract          # a string (or a list of strings) in, records out
    from pipeline import extract_corpus   # files/directories/JSON Lines or a DataFrame in, a DataFrame out
    from pipeline import build_dataset    # records in, the indicator x place x period table out (docs/dataset.md)
"""
from __future__ import annotations

from importlib import metadata
from typing import Any

_LAZY = {
    "extract": "pipeline.api",
    "extract_document": "pipeline.api",
    "extract_corpus": "pipeline.api",
    "iter_records": "pipeline.api",
    "build_dataset": "pipeline.dataset",
    "normalize_text": "pipeline.document",
    "Document": "pipeline.document",
    "Record": "pipeline.records",
    "ErrorLog": "pipeline.errors",
}

__all__ = sorted([*_LAZY, "__version__"])


def installed_version() -> str:
    """Version of the installed chiso distribution ("0+unknown" when run from a source tree not installed)."""
    try:
        return metadata.version("chiso")
    except metadata.PackageNotFoundError:
        return "0+unknown"


__version__ = installed_version()


def __getattr__(name: str) -> Any:
    """Import the public API on first use."""
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'pipeline' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted({*globals(), *_LAZY})
