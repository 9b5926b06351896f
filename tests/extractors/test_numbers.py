"""parse_number: Vietnamese and English digit formats, scale words, spelled-out numerals."""
from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from extractors import parse_number
from extractors.numbers import format_vn, parse_spelled

TABLE = [
    ("1.426", 1426), ("2.587.362", 2587362), ("14,96", 14.96), ("0,7111", 0.7111), ("08", 8),
    ("1,9 triệu", 1.9e6), ("40 tỷ", 4e10), ("40 tỉ", 4e10), ("2 nghìn tỷ", 2e12), ("3 ngàn", 3000),
    ("2 tỷ 500 triệu", 2.5e9), ("1,234,567", 1234567), ("1,500,000", 1500000), ("3.5", 3.5),
    ("1.234,5", 1234.5), ("1,234.5", 1234.5), ("0.25", 0.25), ("100", 100),
    ("hai mươi lăm", 25), ("một trăm linh năm", 105), ("ba triệu", 3e6), ("mười", 10), ("mười lăm", 15),
    ("hai mươi tư", 24), ("bốn mươi", 40), ("năm trăm", 500), ("chín trăm chín mươi chín", 999),
    ("một nghìn", 1000), ("hai triệu rưỡi", 2.5e6), ("hai", 2), ("ba mươi mốt", 31),
    ("hai trăm nghìn", 200000), ("một trăm lẻ tám", 108),
]


@pytest.mark.parametrize("text,value", TABLE)
def test_parse_number_table(text, value):
    assert parse_number(text) == pytest.approx(value, rel=1e-9)


@pytest.mark.parametrize("text", ["", "   ", "abc", "1.5.6", "triệu", "nghìn tỷ", "hàng trăm", "1,2,3", "mươi"])
def test_parse_number_rejects_non_numbers(text):
    assert parse_number(text) is None


@settings(max_examples=300, deadline=None)
@given(st.integers(min_value=0, max_value=10**12))
def test_vietnamese_thousands_round_trip(n):
    assert parse_number(format_vn(n)) == n


@settings(max_examples=300, deadline=None)
@given(st.integers(min_value=1, max_value=10**9), st.integers(min_value=1, max_value=99))
def test_vietnamese_decimal_round_trip(whole, frac):
    s = format_vn(whole) + f",{frac:02d}"
    assert parse_number(s) == pytest.approx(whole + frac / 100, rel=1e-12)


_UNITS = ["không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín"]


def spell_below_100(n: int) -> str:
    """A simple Vietnamese speller for 1..99 (test oracle)."""
    tens, ones = divmod(n, 10)
    if tens == 0:
        return _UNITS[ones]
    head = "mười" if tens == 1 else _UNITS[tens] + " mươi"
    if ones == 0:
        return head
    if ones == 5:
        return head + " lăm"
    if ones == 1 and tens > 1:
        return head + " mốt"
    return head + " " + _UNITS[ones]


@settings(max_examples=200, deadline=None)
@given(st.integers(min_value=1, max_value=99))
def test_spelled_round_trip(n):
    assert parse_spelled(spell_below_100(n)) == n


@settings(max_examples=100, deadline=None)
@given(st.integers(min_value=1, max_value=9), st.integers(min_value=1, max_value=99))
def test_spelled_with_scale(h, n):
    assert parse_spelled(f"{_UNITS[h]} triệu") == h * 1e6
    assert parse_spelled(f"{spell_below_100(n)} nghìn") == n * 1000


@given(st.text(max_size=40))
def test_parse_number_never_raises(s):
    v = parse_number(s)
    assert v is None or isinstance(v, float)


@pytest.mark.parametrize("text,value", [
    ("5\u00a0000", 5000), ("1\u202f234\u202f567", 1234567), ("5\u2009000,5", 5000.5), ("2\u00a0500 triệu", 2.5e9),
])
def test_thousands_grouped_by_typeset_spaces(text, value):
    assert parse_number(text) == pytest.approx(value, rel=1e-9)


@pytest.mark.parametrize("text", ["\uff13", "\u0663", "\uff11\uff10\uff10", "\u0661\u0662"])
def test_non_ascii_digits_are_not_numbers(text):
    assert parse_number(text) is None
