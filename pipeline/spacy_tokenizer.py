"""spaCy tokenizer `chiso.UndertheseaTokenizer.v1`: Vietnamese words from underthesea, text kept exactly.

    nlp = spacy.blank("vi", config={"nlp": {"tokenizer": {"@tokenizers": "chiso.UndertheseaTokenizer.v1"}}})
    [t.text for t in nlp("Tỉnh Đắk Lắk có 1.426 tổ công nghệ số")]
    # ['Tỉnh', 'Đắk Lắk', 'có', '1.426', 'tổ', 'công nghệ', 'số']

A multi-syllable word is one token (its text contains the space). Tokens come from the character
offsets of `pipeline.tokenize.words`, so `doc.text == text` always: characters underthesea drops or
changes become tokens of their own, and whitespace follows spaCy's convention (one trailing " " is
the token's `whitespace_`, any other whitespace is a whitespace token).

underthesea sometimes joins a number to the noun it counts ("1.426 tổ", "257.959 hộ"); with
`split_numbers = true` (the default) a syllable containing a digit is always a token of its own, so
indicator spans are not widened to the noun. Set it to false for underthesea's words unchanged.

spaCy finds this function through the `spacy_tokenizers` entry point of chiso, so a config naming it
resolves without importing this module first. Like the `chiso_indicators` factory module, it imports
only spaCy at load time; underthesea is loaded by the first call.
"""
from __future__ import annotations

from pathlib import Path
from typing import Callable, Iterable, Iterator

import regex
import spacy
from spacy.language import Language
from spacy.tokens import Doc
from spacy.vocab import Vocab

TOKENIZER_NAME = "chiso.UndertheseaTokenizer.v1"
_NON_SPACE = regex.compile(r"\S+")
_DIGIT = regex.compile(r"\d")


def token_spans(text: str, word_spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Word spans plus one span per run of non-whitespace characters that no word covers, in text order."""
    spans: list[tuple[int, int]] = []
    pos = 0
    for start, end in [*word_spans, (len(text), len(text))]:
        if start < pos:
            continue  # overlaps the previous word: the aligner never does this, but a Doc must not
        spans.extend(m.span() for m in _NON_SPACE.finditer(text, pos, start))
        if start < end:
            spans.append((start, end))
        pos = end
    return spans


def split_number_words(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Split each multi-syllable span at its syllables with a digit ("1.426 tổ" -> "1.426", "tổ")."""
    result: list[tuple[int, int]] = []
    for start, end in spans:
        syllables = [m.span() for m in _NON_SPACE.finditer(text, start, end)]
        if len(syllables) < 2 or not _DIGIT.search(text, start, end):
            result.append((start, end))
            continue
        run_start = None  # start of the current run of digit-free syllables
        for index, (a, b) in enumerate(syllables):
            if _DIGIT.search(text, a, b):
                result.append((a, b))
                continue
            run_start = a if run_start is None else run_start
            last_of_run = index + 1 == len(syllables) or _DIGIT.search(text, *syllables[index + 1])
            if last_of_run:
                result.append((run_start, b))
                run_start = None
    return result


def words_and_spaces(text: str, spans: list[tuple[int, int]]) -> tuple[list[str], list[bool]]:
    """spaCy `words`/`spaces` for non-whitespace token spans covering every non-whitespace char of text."""
    words: list[str] = []
    spaces: list[bool] = []
    pos = 0
    for start, end in [*spans, (len(text), None)]:
        gap = text[pos:start]
        if gap.startswith(" ") and words:
            spaces[-1] = True  # one plain space after a word is its trailing whitespace
            gap = gap[1:]
        if gap:
            words.append(gap)
            spaces.append(False)
        if end is None:
            break
        words.append(text[start:end])
        spaces.append(False)
        pos = end
    return words, spaces


class UndertheseaTokenizer:
    """Callable text -> Doc whose tokens are underthesea words (settings live in the config: no data to save)."""

    def __init__(self, vocab: Vocab, split_numbers: bool = True):
        self.vocab = vocab
        self.split_numbers = split_numbers

    def __call__(self, text: str) -> Doc:
        """Tokenize one text; `doc.text == text`."""
        from pipeline.tokenize import words as underthesea_words

        word_spans = underthesea_words(text)
        if self.split_numbers:
            word_spans = split_number_words(text, word_spans)
        words, spaces = words_and_spaces(text, token_spans(text, word_spans))
        return Doc(self.vocab, words=words, spaces=spaces)

    def __reduce__(self):
        return UndertheseaTokenizer, (self.vocab, self.split_numbers)

    def pipe(self, texts: Iterable[str], batch_size: int = 1000) -> Iterator[Doc]:
        """Tokenize a stream of texts."""
        for text in texts:
            yield self(text)

    # The tokenizer has no settings or data of its own: the config (`[nlp.tokenizer]`) rebuilds it, so
    # serialization only has to keep nlp.to_disk / spacy.load and nlp.to_bytes / from_bytes working.
    def to_bytes(self, **kwargs) -> bytes:
        """Nothing to store."""
        return b""

    def from_bytes(self, data: bytes, **kwargs) -> "UndertheseaTokenizer":
        """Nothing to restore."""
        return self

    def to_disk(self, path: str | Path, **kwargs) -> None:
        """Nothing to store."""
        return None

    def from_disk(self, path: str | Path, **kwargs) -> "UndertheseaTokenizer":
        """Nothing to restore."""
        return self


@spacy.registry.tokenizers(TOKENIZER_NAME)
def create_underthesea_tokenizer(split_numbers: bool = True) -> Callable[[Language], UndertheseaTokenizer]:
    """Registered tokenizer (also the `spacy_tokenizers` entry point of chiso): nlp -> UndertheseaTokenizer."""

    def make_tokenizer(nlp: Language) -> UndertheseaTokenizer:
        return UndertheseaTokenizer(nlp.vocab, split_numbers=split_numbers)

    return make_tokenizer
