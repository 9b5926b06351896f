"""Shards, the unit of work: a deterministic plan computed from the sorted inputs and their contents' sizes.

- .txt / .html files are grouped, in sorted order, `shard_docs` files to a shard;
- a plain JSON Lines file is cut into byte ranges of `shard_docs` lines, aligned on line boundaries
  (one fast pass over the bytes counts the newlines; it also gives the exact document total);
- a .jsonl.gz file is one shard (gzip cannot be entered in the middle; its lines are counted in a
  streaming pass for the progress total), and so is a WARC file (its record count is unknown) and an
  article table (.csv, .tsv, .parquet: Parquet gives its row count for the progress total).
Small inputs are cut finer, so that parallel workers have work to share: a file (or the set of
single-document files) of n documents gets shards of min(shard_docs, max(MIN_SHARD_DOCS, ceil(n / TARGET_SHARDS)))
documents. Shard i is written to part i: the mapping only depends on the inputs and `shard_docs`.
"""
from __future__ import annotations

import gzip
import hashlib
import os
from dataclasses import asdict, dataclass
from typing import Any, Iterator, Sequence

from pipeline.batch.inputs import SINGLE_DOC_KINDS, InputFile

_CHUNK = 1 << 20
TARGET_SHARDS = 32  # an input smaller than TARGET_SHARDS * shard_docs is cut into about this many shards...
MIN_SHARD_DOCS = 50  # ...of at least this many documents (a task has a fixed cost)
_PRINT_BYTES = 1 << 16  # head and tail bytes hashed into an input fingerprint


@dataclass(frozen=True)
class Piece:
    """Part of one input file: bytes [start, end) (end None = to the end), first line number (1-based)."""

    path: str
    kind: str
    start: int = 0
    end: int | None = None
    first_line: int = 1
    docs: int | None = None  # documents expected (lines or files), None when unknown (WARC)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "Piece":
        """Rebuild a piece from its manifest entry."""
        return cls(**data)


@dataclass(frozen=True)
class Shard:
    """Shard number `index`, written to part `index`, made of one or more pieces."""

    index: int
    pieces: tuple[Piece, ...]

    @property
    def docs(self) -> int | None:
        """Expected document count, None when a piece's count is unknown."""
        counts = [p.docs for p in self.pieces]
        return None if None in counts else sum(counts)  # type: ignore[arg-type]

    def to_dict(self) -> dict[str, Any]:
        """The shard as a JSON-ready dict (for the manifest and the done-markers)."""
        return {"index": self.index, "pieces": [asdict(p) for p in self.pieces]}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "Shard":
        """Rebuild a shard from its manifest entry."""
        return cls(int(data["index"]), tuple(Piece.from_dict(p) for p in data["pieces"]))


def part_name(index: int, fmt: str) -> str:
    """File name of part `index` in format `fmt` (parquet or jsonl)."""
    return f"part-{index:05d}.{fmt}"


def plan_shards(files: Sequence[InputFile], shard_docs: int) -> list[Shard]:
    """The shards of `files` (already sorted), numbered from 0 in input order."""
    if shard_docs < 1:
        raise ValueError("shard_docs must be >= 1")
    groups: list[tuple[Piece, ...]] = []
    pending: list[Piece] = []
    group_size = shard_size(sum(f.kind in SINGLE_DOC_KINDS for f in files), shard_docs)

    def flush() -> None:
        if pending:
            groups.append(tuple(pending))
            pending.clear()

    for f in files:
        if f.kind in SINGLE_DOC_KINDS:
            pending.append(Piece(f.path, f.kind, docs=1))
            if len(pending) >= group_size:
                flush()
            continue
        flush()  # a container file starts its own shards, so shard order follows file order
        if f.kind == "jsonl":
            size = shard_size(_count_lines(f.path), shard_docs)
            groups.extend((p,) for p in _jsonl_pieces(f.path, size))
        elif f.kind == "jsonl.gz":
            groups.append((Piece(f.path, f.kind, docs=_count_gz_lines(f.path)),))
        elif f.kind == "table":
            groups.append((Piece(f.path, f.kind, docs=_count_table_rows(f.path)),))
        else:
            groups.append((Piece(f.path, f.kind),))
    flush()
    return [Shard(i, g) for i, g in enumerate(groups)]


def shard_size(documents: int, shard_docs: int) -> int:
    """Documents per shard for an input of `documents` documents: finer for small inputs, at most shard_docs."""
    return min(shard_docs, max(MIN_SHARD_DOCS, -(-documents // TARGET_SHARDS)))


def _count_lines(path: str) -> int:
    """Newlines in a file (one fast pass over the bytes)."""
    count = 0
    with open(path, "rb") as fh:
        while chunk := fh.read(_CHUNK):
            count += chunk.count(b"\n")
    return count


def _jsonl_pieces(path: str, shard_docs: int) -> Iterator[Piece]:
    """Byte ranges of `shard_docs` lines each; an empty file gives one empty piece (its shard reports it)."""
    start, first_line, lines, pos = 0, 1, 0, 0
    with open(path, "rb") as fh:
        while chunk := fh.read(_CHUNK):
            offset = 0
            while (nl := chunk.find(b"\n", offset)) >= 0:
                lines += 1
                offset = nl + 1
                if lines == shard_docs:
                    end = pos + offset
                    yield Piece(path, "jsonl", start, end, first_line, lines)
                    start, first_line, lines = end, first_line + lines, 0
            pos += len(chunk)
    if pos > start:  # the rest, possibly a last line without newline
        yield Piece(path, "jsonl", start, pos, first_line, lines + (0 if _ends_with_newline(path) else 1))
    elif pos == 0:
        yield Piece(path, "jsonl", 0, 0, 1, 0)


def _ends_with_newline(path: str) -> bool:
    with open(path, "rb") as fh:
        fh.seek(-1, os.SEEK_END)
        return fh.read(1) == b"\n"


def _count_gz_lines(path: str) -> int | None:
    """Lines of a gzip file, None when it cannot be decompressed (the shard will report why)."""
    count, last = 0, b"\n"
    try:
        with gzip.open(path, "rb") as fh:
            while chunk := fh.read(_CHUNK):
                count += chunk.count(b"\n")
                last = chunk[-1:]
    except (OSError, EOFError):
        return None
    return count + (0 if last == b"\n" else 1)


def _count_table_rows(path: str) -> int | None:
    """Rows of a Parquet table (from its footer), None for CSV/TSV or an unreadable file."""
    if not path.lower().endswith(".parquet"):
        return None
    import pyarrow.parquet as pq

    try:
        return pq.ParquetFile(path).metadata.num_rows
    except (OSError, ValueError):
        return None


def fingerprint(path: str) -> dict[str, Any]:
    """Size and a hash of the head and tail bytes: cheap, and changes when the file is edited or replaced."""
    size = os.path.getsize(path)
    digest = hashlib.sha1(str(size).encode())
    with open(path, "rb") as fh:
        digest.update(fh.read(_PRINT_BYTES))
        if size > _PRINT_BYTES:
            fh.seek(max(_PRINT_BYTES, size - _PRINT_BYTES))
            digest.update(fh.read())
    return {"size": size, "sha1_head_tail": digest.hexdigest()}
