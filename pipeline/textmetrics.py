"""Text comparison measures: bag-of-tokens F1 (cleaner evaluation, and the scorer's phrase F1)."""
from __future__ import annotations

import re
import unicodedata
from collections import Counter
from typing import Iterable

_TOKEN = re.compile(r"\w+", re.UNICODE)


def tokens(text: str) -> list[str]:
    """Lower-cased word tokens (letters/digits runs) of NFC-normalized text."""
    return _TOKEN.findall(unicodedata.normalize("NFC", text).casefold())


def token_f1(predicted: str, expected: str) -> float:
    """Bag-of-tokens F1 between two texts (1.0 when both are empty)."""
    return bag_f1(tokens(predicted), tokens(expected))


def bag_f1(predicted: Iterable[str], expected: Iterable[str]) -> float:
    """F1 of two bags of tokens, repeats counted (1.0 when both are empty, 0.0 when they share none)."""
    pred, gold = Counter(predicted), Counter(expected)
    if not pred and not gold:
        return 1.0
    overlap = sum((pred & gold).values())
    if not overlap:
        return 0.0
    precision = overlap / sum(pred.values())
    recall = overlap / sum(gold.values())
    return 2 * precision * recall / (precision + recall)
