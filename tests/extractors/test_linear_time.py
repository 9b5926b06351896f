"""Extraction time grows linearly with document and sentence length (issue 10, finding 4 "Quadratic time").

Each check times the same generated shape at size n and 4n and asserts the ratio, not an absolute time: process
CPU time, best of a few runs, and a generous bound (4x the text may take less than 6x the time; quadratic work
takes 16x), so a loaded machine does not make the test flaky.
"""
from __future__ import annotations

import gc
import time
from pathlib import Path

import pytest

from extractors import extract_mentions

SEEDS = Path(__file__).resolve().parents[2] / "corpus"
LIMIT = 6.0          # time(4n) / time(n); linear work gives ~4, quadratic 16


def _cpu(text: str, runs: int = 3) -> float:
    """Best process CPU time of extracting text (the garbage collector paused: its sweeps come at random sizes)."""
    best = float("inf")
    for _ in range(runs):
        gc.collect()
        gc.disable()
        try:
            t = time.process_time()
            extract_mentions(text)
            best = min(best, time.process_time() - t)
        finally:
            gc.enable()
    return best


def _ratio(make, n: int, runs: int = 2) -> float:
    """CPU time of the text made for 4n characters over that of the text made for n."""
    extract_mentions(make(200))           # rules loaded and regexes compiled before timing
    small, big = make(n), make(4 * n)
    return _cpu(big, runs) / max(_cpu(small, runs), 1e-6)


def _figures_line(n: int) -> str:
    """A one-line list of figures with times and places, no sentence break (a flattened table)."""
    item = "{a},{b} tỷ đồng năm 2020 tại Hà Nội"
    return "Doanh thu đạt " + ", ".join(item.format(a=i % 97, b=i % 10) for i in range(n // 36))


SHAPES = {
    # one sentence (lower case after each period) of scaled figures: "rưỡi" was searched to the end of the text
    "long sentence of scaled figures": (lambda n: "có 5 triệu người dân ở đây. " * (n // 28), 8_000),
    "one-line list of figures": (_figures_line, 8_000),
    "run of spelled number words": (lambda n: "một trăm " * (n // 9), 100_000),
    "run of spelled scales": (lambda n: "hai triệu " * (n // 10), 100_000),
    "digits and spaces": (lambda n: "1 " * (n // 2), 1_500),
    "digits and dashes": (lambda n: "1-" * (n // 2), 3_000),
    "digits and colons": (lambda n: "1:" * (n // 2), 4_000),
    "digits and slashes": (lambda n: "1/" * (n // 2), 8_000),
    "ratios out of": (lambda n: "đạt 29 trên 30 gói thầu " * (n // 24), 8_000),
}


@pytest.mark.parametrize("shape", sorted(SHAPES))
def test_time_grows_linearly_with_size(shape):
    make, n = SHAPES[shape]
    ratio = _ratio(make, n)
    assert ratio < LIMIT, f"{shape}: 4x the text took {ratio:.1f}x the time"


def _seed_text(n: int) -> str:
    """The seed articles of corpus/ repeated to n characters (real text)."""
    seeds = "\n\n".join(p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt")))
    return (seeds * (n // len(seeds) + 1))[:n]


@pytest.mark.skipif(not SEEDS.is_dir(), reason="no seed corpus")
def test_real_text_time_grows_linearly():
    assert _ratio(_seed_text, 50_000) < LIMIT


@pytest.mark.slow
@pytest.mark.skipif(not SEEDS.is_dir(), reason="no seed corpus")
def test_real_text_1mb_and_4mb_take_time_in_proportion():
    assert _ratio(_seed_text, 1_000_000, runs=2) < LIMIT
