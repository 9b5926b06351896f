"""Stream the documents of one shard with pipeline.readers; unreadable input becomes a skip."""
from __future__ import annotations

import os
from typing import Iterator

from pipeline.batch.shards import Piece, Shard
from pipeline.document import Document
from pipeline.errors import ErrorLog
from pipeline.readers import (DEFAULT_OPTIONS, EMPTY_JSONL, ReadOptions, SeenIds, iter_json_lines, read_file,
                              read_jsonl_file)


def iter_shard(shard: Shard, errors: ErrorLog, options: ReadOptions = DEFAULT_OPTIONS,
               seen: SeenIds | None = None) -> Iterator[Document]:
    """Every readable document of the shard, in input order (bad ones and repeated ids reported to `errors`).

    `seen` collects the ids read and where (ids repeated across shards are found when the run is complete).
    """
    seen = seen if seen is not None else SeenIds()
    for piece in shard.pieces:
        yield from iter_piece(piece, errors, options, seen)


def iter_piece(piece: Piece, errors: ErrorLog, options: ReadOptions = DEFAULT_OPTIONS,
               seen: SeenIds | None = None) -> Iterator[Document]:
    """Every readable document of one piece: a byte range of a JSON Lines file, or a whole file."""
    if piece.kind == "jsonl":
        yield from _iter_jsonl_range(piece, errors, options, seen)
    elif piece.kind == "jsonl.gz":
        yield from read_jsonl_file(piece.path, errors, options, seen)
    else:
        yield from read_file(piece.path, errors, options, seen)


def _iter_jsonl_range(piece: Piece, errors: ErrorLog, options: ReadOptions,
                      seen: SeenIds | None) -> Iterator[Document]:
    try:
        fh = open(piece.path, "rb")
    except OSError as err:
        errors.skip(piece.path, f"cannot read: {err.strerror or err}")
        return
    counts: dict[str, int] = {}
    with fh:
        whole_file = piece.start == 0 and (piece.end is None or piece.end >= os.fstat(fh.fileno()).st_size)
        fh.seek(piece.start)
        # Line numbers continue from the shard's first line, so locations are FILE:LINE of the whole file.
        size = None if piece.end is None else piece.end - piece.start
        yield from iter_json_lines(fh, piece.path, errors, first_line_number=piece.first_line, counts=counts,
                                   first_byte=piece.start, size=size, options=options, seen=seen)
    if whole_file and counts["lines"] == 0:  # as pipeline.readers reports a file without records
        errors.skip(piece.path, EMPTY_JSONL)
