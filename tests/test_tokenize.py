"""pipeline.tokenize: underthesea segmentation aligned back to character offsets."""
from __future__ import annotations

import pytest

from pipeline.tokenize import _align, sentences, words

TEXTS = [
    "Xin chào.  Hôm nay tỉnh Đắk Lắk có 1.426 Tổ công nghệ số cộng đồng. Tăng 16,4%!",
    "Theo UBND tỉnh,\tsau 02 năm thực hiện,\n08/18 chỉ tiêu hoàn thành.",
    "  Khoảng trắng đầu và cuối.   ",
]


@pytest.mark.parametrize("text", TEXTS)
def test_word_spans_cover_non_space_text_in_order(text):
    spans = words(text)
    assert spans, "no words"
    joined = "".join(text[a:b] for a, b in spans)
    assert joined.replace(" ", "").replace("\t", "").replace("\n", "") == "".join(text.split())
    assert all(a < b for a, b in spans)
    assert all(spans[i][1] <= spans[i + 1][0] for i in range(len(spans) - 1))


@pytest.mark.parametrize("text", TEXTS)
def test_sentence_spans_are_text_slices(text):
    spans = sentences(text)
    assert spans
    for a, b in spans:
        assert text[a:b] == text[a:b].strip()
        assert text[a:b]


def test_window_offsets_are_in_whole_text_coordinates():
    text = "Mở đầu. Tỉnh có 1.426 tổ công nghệ."
    start = text.index("Tỉnh")
    spans = words(text, start)
    assert text[spans[0][0]:spans[0][1]] == "Tỉnh"
    assert spans[0][0] == start


def test_multi_syllable_word_is_one_span():
    text = "Kinh tế số phát triển nhanh"
    got = [text[a:b] for a, b in words(text)]
    assert "phát triển" in got


def test_align_tolerates_changed_whitespace_and_underscores():
    text = "công  nghệ\nsố"
    assert _align(text, ["công_nghệ", "số"], 0, len(text)) == [(0, 10), (11, 13)]


def test_empty_window():
    assert words("   ") == [] and sentences("") == []
