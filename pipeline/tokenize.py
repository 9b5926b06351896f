"""Sentence and word segmentation with underthesea, returned as character offsets into the text.

underthesea returns strings (and may change whitespace, e.g. join syllables of a word with a
space or an underscore); we align every piece back to the original text so callers get spans.
Use on short windows: word_tokenize runs about 150-220k chars/s, far too slow for whole corpora.

Used by the spaCy tokenizer `chiso.UndertheseaTokenizer.v1` (pipeline/spacy_tokenizer.py), which
builds its tokens from `words`; the extractor does not use it (it splits sentences with a regex).
"""
from __future__ import annotations

from typing import Callable


def _align(text: str, pieces: list[str], start: int, end: int) -> list[tuple[int, int]]:
    """Map each piece (possibly with changed spacing) to its (start, end) in text[start:end]."""
    spans: list[tuple[int, int]] = []
    pos = start
    for piece in pieces:
        chars = [c for c in piece.replace("_", " ") if not c.isspace()]
        if not chars:
            continue
        # Find the first non-space char of the piece, then walk the text skipping whitespace.
        i = pos
        while i < end and text[i].isspace():
            i += 1
        a = text.find(chars[0], i, end)
        if a == -1:
            continue
        j, k = a, 0
        while j < end and k < len(chars):
            if text[j] == chars[k]:
                k += 1
                j += 1
            elif text[j].isspace() or text[j] == "_":
                j += 1
            else:
                break
        if k < len(chars):
            continue  # the tokenizer changed the characters themselves; skip this piece
        spans.append((a, j))
        pos = j
    return spans


def _segment(tokenize: Callable[[str], list[str]], text: str, start: int, end: int | None) -> list[tuple[int, int]]:
    """Spans of the pieces `tokenize` makes of text[start:end], as offsets into text."""
    end = len(text) if end is None else end
    chunk = text[start:end]
    if not chunk.strip():
        return []
    return _align(text, tokenize(chunk), start, end)


def sentences(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """Sentence spans of text[start:end] from underthesea.sent_tokenize, as offsets into text."""
    from underthesea import sent_tokenize

    return _segment(sent_tokenize, text, start, end)


def words(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """Word spans (multi-syllable words are one span) of text[start:end] from underthesea.word_tokenize."""
    from underthesea import word_tokenize

    return _segment(word_tokenize, text, start, end)
