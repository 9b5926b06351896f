"""Expand the batch inputs (files, directories, globs) into a sorted list of typed input files."""
from __future__ import annotations

import glob
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Sequence

from pipeline.errors import ErrorLog
from pipeline.readers import directory_inputs, input_format

# Kinds whose file holds one document (several such files are grouped into one shard).
SINGLE_DOC_KINDS = ("text", "html")
_GLOB_CHARS = set("*?[")


class BatchInputError(ValueError):
    """An input path that does not exist or a pattern that matches nothing."""


@dataclass(frozen=True)
class InputFile:
    """One input file: absolute path and how to read it (text, html, jsonl, jsonl.gz, warc, table)."""

    path: str
    kind: str


def kind_of(path: str | Path) -> str:
    """The input kind of a file, by its name as pipeline.readers sees it (unknown endings are text)."""
    fmt = input_format(path) or "text"
    if fmt == "jsonl" and str(path).lower().endswith(".gz"):
        return "jsonl.gz"  # cannot be sliced by byte offset: a shard of its own
    return fmt


def expand_inputs(inputs: Sequence[str | Path], errors: ErrorLog | None = None) -> list[InputFile]:
    """Sorted, deduplicated input files; raises BatchInputError for a missing path (a typo should not cost a run).

    What a directory walk cannot read (an unreadable directory, a broken link, a loop) goes to `errors`.
    """
    files: dict[str, InputFile] = {}
    for given in inputs:
        for path in _expand_one(str(given), errors):
            resolved = str(Path(path).resolve())
            if resolved in files:
                if errors is not None:
                    errors.skip(path, "the same file is already among the inputs (read once)")
                continue
            files[resolved] = InputFile(resolved, kind_of(resolved))
    return [files[p] for p in sorted(files)]


def _expand_one(given: str, errors: ErrorLog | None) -> Iterable[str]:
    path = Path(given)
    if path.is_dir():
        # The same files as `chiso extract DIR` without --workers reads.
        return [str(p) for p in directory_inputs(path, errors)]
    if path.is_file():
        return [given]
    if given == "-":
        raise BatchInputError("-: stdin cannot be split into shards; use `chiso extract -` without --workers")
    if _GLOB_CHARS & set(given):
        matches = sorted(m for m in glob.glob(given, recursive=True) if Path(m).is_file())
        if matches:
            return matches
        raise BatchInputError(f"{given}: the pattern matches no file")
    raise BatchInputError(f"{given}: no such file or directory")
