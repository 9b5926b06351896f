"""`import chiso`: the Python API of the chiso pipeline (a thin alias of the `pipeline` package's API).

    >>> import chiso
    >>> records = chiso.extract("Đắk Lắk đã thành lập 1.426 Tổ công nghệ số cộng đồng.")
    >>> frame = chiso.extract_corpus(["corpus/", "more.jsonl"])

The code lives in `pipeline/` (with `extractors/` and `rules/`); this package only re-exports its API.
"""
from __future__ import annotations

from typing import Any

import pipeline

__version__ = pipeline.__version__
__all__ = list(pipeline.__all__)


def __getattr__(name: str) -> Any:
    """The API names of `pipeline`, imported on first use as there."""
    if name in pipeline._LAZY:
        return getattr(pipeline, name)
    raise AttributeError(f"module 'chiso' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted({*globals(), *pipeline._LAZY})
