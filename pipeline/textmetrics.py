"""Text comparison measures for cleaner evaluation."""
from __future__ import annotations

import re
import unicodedata
from collections import Counter

_TOKEN = re.compile(r"\w+", re.UNICODE)


def tokens(text: str) -> list[str]:
    """Lower-cased word tokens (letters/digits runs) of NFC-normalized text."""
    return _TOKEN.findall(unicodedata.normalize("NFC", text).casefold())


def token_f1(predicted: str, expected: str) -> float:
    """Bag-of-tokens F1 between two texts (1.0 when both are empty)."""
    pred, gold = Counter(tokens(predicted)), Counter(tokens(expected))
    if not pred and not gold:
        return 1.0
    overlap = sum((pred & gold).values())
    if not overlap:
        return 0.0
    precision = overlap / sum(pred.values())
    recall = overlap / sum(gold.values())
    return 2 * precision * recall / (precision + recall)
