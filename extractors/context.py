"""Text context helpers: words before/after a position, sentence and clause bounds, body ranges."""
from __future__ import annotations

import bisect
from dataclasses import dataclass

import regex


_WORD = regex.compile(r"[\p{L}\p{M}\d]+(?:[.,/][\p{L}\d]+)*|[%$€/]")
_SENT_END = regex.compile(r"(?<=[.!?…])[\"”’)]*\s+(?=[\"“(\p{Lu}\d-])|\n+")
_CLAUSE_STOP = regex.compile(r"[,;:()\[\]\n“”\"!?–]|(?<!\d)\.(?!\d)")
_NEWLINE = regex.compile(r"\n")


def words_before(text: str, pos: int, n: int = 5, floor: int = 0) -> list[str]:
    """Up to n lower-cased words ending at pos, stopping at a clause boundary (never before floor)."""
    lo = max(floor, pos - 80)
    chunk = text[lo:pos]
    cut = None
    for m in _CLAUSE_STOP.finditer(chunk):
        cut = m.end()
    if cut is not None:
        chunk = chunk[cut:]
    return [w.lower() for w in _WORD.findall(chunk)][-n:]


def words_after(text: str, pos: int, n: int = 6, ceil: int | None = None) -> list[tuple[str, int, int]]:
    """Up to n (word, start, end) triples starting at pos, stopping at a clause boundary."""
    hi = min(len(text) if ceil is None else ceil, pos + 120)
    chunk = text[pos:hi]
    m = _CLAUSE_STOP.search(chunk)
    if m is not None:
        chunk = chunk[:m.start()]
    out = []
    for w in _WORD.finditer(chunk):
        out.append((w.group(), pos + w.start(), pos + w.end()))
        if len(out) >= n:
            break
    return out


def tail_phrase(words: list[str], phrases: frozenset[str] | dict, max_len: int = 4) -> str | None:
    """The longest phrase of `phrases` that the word list ends with, else None."""
    for k in range(min(max_len, len(words)), 0, -1):
        cand = " ".join(words[-k:])
        if cand in phrases:
            return cand
    return None


def head_phrase(words: list[str], phrases: frozenset[str] | dict, max_len: int = 4) -> str | None:
    """The longest phrase of `phrases` that the word list starts with, else None."""
    for k in range(min(max_len, len(words)), 0, -1):
        cand = " ".join(words[:k])
        if cand in phrases:
            return cand
    return None


@dataclass(frozen=True)
class Layout:
    """Sentence bounds and the allowed (article) ranges of one document text."""

    sentence_starts: list[int]
    sentence_ends: list[int]
    line_starts: list[int]

    def sentence(self, pos: int) -> tuple[int, int]:
        """(start, end) of the sentence holding pos."""
        i = bisect.bisect_right(self.sentence_starts, pos) - 1
        i = max(i, 0)
        return self.sentence_starts[i], self.sentence_ends[i]

    def line(self, pos: int) -> int:
        """Index of the line holding pos."""
        return bisect.bisect_right(self.line_starts, pos) - 1


def layout(text: str) -> Layout:
    """Split text into sentences with a fast regex (no tokenizer), keeping offsets."""
    starts, ends = [0], []
    for m in _SENT_END.finditer(text):
        ends.append(m.start())
        starts.append(m.end())
    ends.append(len(text))
    lines = [0] + [m.end() for m in _NEWLINE.finditer(text)]
    return Layout(starts, ends, lines)


def article_ranges(text: str, body: list[tuple[int, int]] | None) -> list[tuple[int, int]]:
    """The ranges to extract from: the body ranges (or all text) clamped to the text, sorted, non-empty.

    Finding the article inside scraped text is the cleaner's job (pipeline/clean_text.py, rules/furniture.yaml):
    the extractor takes the body it is given.
    """
    n = len(text)
    ranges = [(0, n)] if body is None else sorted((max(0, int(a)), min(n, int(b))) for a, b in body)
    return [(a, b) for a, b in ranges if a < b]
