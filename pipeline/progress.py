"""The progress bar of single-process runs: tqdm.auto (a widget in notebooks), with a total when it is cheap."""
from __future__ import annotations

import sys
from pathlib import Path
from typing import Iterable, TypeVar

from pipeline.errors import ErrorLog
from pipeline.readers import STDIN, expand_inputs, input_format

T = TypeVar("T")
# Bytes read at a time when counting the lines of a JSON Lines file.
_CHUNK = 1 << 20


def progress_bar(items: Iterable[T], total: int | None = None, desc: str = "documents") -> Iterable[T]:
    """`items` with a progress bar on stderr (in Jupyter, a notebook widget); `total` None = a bare counter."""
    from tqdm.auto import tqdm

    return tqdm(items, total=total, desc=desc, unit="doc", file=sys.stderr, dynamic_ncols=True)


def count_documents(inputs: Iterable[str | Path] | str | Path) -> int | None:
    """How many documents the inputs hold, when cheap to know: one per text or HTML file, one per line of a
    plain JSON Lines file (blank and bad lines included, so the bar may stop short); None with stdin, WARC
    or gzipped input, whose count would cost a second read."""
    if isinstance(inputs, (str, Path)):
        inputs = [inputs]
    total = 0
    for item in expand_inputs(inputs, ErrorLog(stream=None)):  # missing paths are reported by the real read
        if item == STDIN:
            return None
        fmt = input_format(item) or "text"
        if fmt in ("text", "html"):
            total += 1
        elif fmt == "jsonl" and not str(item).lower().endswith(".gz"):
            total += _count_lines(Path(item))
        else:
            return None
    return total


def _count_lines(path: Path) -> int:
    """Lines of a file (a last line without a newline counts), read in chunks; 0 if unreadable."""
    lines, last = 0, b"\n"
    try:
        with path.open("rb") as fh:
            while chunk := fh.read(_CHUNK):
                lines += chunk.count(b"\n")
                last = chunk[-1:]
    except OSError:
        return 0
    return lines + (last != b"\n")
