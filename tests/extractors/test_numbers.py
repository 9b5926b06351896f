"""parse_number: Vietnamese and English digit formats, scale words; the spelled-number grammar (parse_spelled,
read_spelled, parse_fraction, parse_ordinal) with table tests and round trips through a test speller."""
from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from extractors import parse_number
from extractors.numbers import (format_vn, parse_fraction, parse_ordinal, parse_spelled, read_fraction,
                               read_spelled)

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


# The spelled-number grammar (docs/extraction.md "Number formats"): forms of issue 12 and of the shared corpora.
SPELLED = [
    # formal
    ("một trăm hai mươi ba", 123), ("một trăm linh năm", 105), ("một trăm lẻ năm", 105), ("năm mươi tư", 54),
    ("năm mươi bốn", 54), ("hai mươi mốt", 21), ("hai mươi một", 21), ("mười một", 11), ("mười lăm", 15),
    ("mười tư", 14), ("bốn mươi nhăm", 45), ("chín trăm chín mươi chín", 999), ("hai chục", 20), ("không", 0),
    ("hai mươi mốt nghìn không trăm mười một", 21011), ("một nghìn lẻ một", 1001), ("một nghìn linh năm", 1005),
    ("hai nghìn không trăm hai mươi", 2020), ("hai nghìn mười một", 2011), ("một triệu không trăm linh năm", 1000005),
    ("một tỷ không trăm năm mươi triệu", 1.05e9), ("hai triệu ba trăm nghìn", 2.3e6), ("ba trăm nghìn", 3e5),
    ("mười lăm ngàn", 15000), ("hai tỉ", 2e9), ("bẩy", 7), ("mười bẩy", 17), ("bẩy mươi bẩy", 77),
    # vạn, 10^12 and more: a scale after scales multiplies them
    ("ba vạn", 3e4), ("mười hai vạn", 1.2e5), ("ba vạn năm nghìn", 35000), ("hai nghìn tỷ", 2e12),
    ("một nghìn tỷ năm trăm tỷ", 1.5e12), ("hai triệu tỷ", 2e15), ("ba trăm nghìn tỷ", 3e14),
    ("mười lăm nghìn tỷ ba trăm linh hai tỷ", 15.302e12), ("ba triệu hai nghìn tỷ", 3.002e15),
    # colloquial
    ("hai mốt", 21), ("ba lăm", 35), ("bốn nhăm", 45), ("một triệu hai", 1.2e6), ("hai nghìn ba", 2300),
    ("tám trăm rưỡi", 850), ("tám trăm rưỡi nghìn", 850000), ("hai nghìn rưỡi", 2500), ("hai triệu rưỡi", 2.5e6),
    ("một trăm hai", 120), ("một trăm hai nghìn", 120000), ("một trăm hai mốt", 121), ("hai nghìn tỷ rưỡi", 2.5e12),
    # decimals
    ("mười hai phẩy năm", 12.5), ("ba phẩy một bốn", 3.14), ("ba phẩy mười bốn", 3.14), ("một phẩy không năm", 1.05),
    ("hai phẩy năm triệu", 2.5e6), ("một phẩy hai nghìn tỷ", 1.2e12), ("không phẩy bảy", 0.7),
    # sign
    ("âm năm", -5), ("âm mười hai phẩy năm", -12.5), ("Âm Hai Mươi", -20),
]


@pytest.mark.parametrize("text,value", SPELLED)
def test_parse_spelled_table(text, value):
    assert parse_spelled(text) == pytest.approx(value, rel=1e-12)


@pytest.mark.parametrize("text", [
    "hai ba", "mười mấy", "hai mươi mấy", "triệu", "nghìn tỷ", "mươi", "chục nghìn", "hai nghìn một nghìn",
    "hai triệu nghìn", "ba tư", "mười năm", "hai mươi năm", "một mươi", "mốt", "lăm", "không trăm năm", "âm",
    "phẩy năm", "hai tỷ ba tỷ", "một trăm linh", "",
])
def test_parse_spelled_rejects(text):
    assert parse_spelled(text) is None


@pytest.mark.parametrize("words,value,used", [
    ("hai mươi lăm", 25, 3), ("năm năm", 5, 1), ("mười năm", 10, 1), ("hai mươi năm", 20, 2),
    ("một tỷ năm", 1e9, 2), ("một trăm năm", 100, 2), ("một trăm linh năm", 105, 4), ("bốn năm", 4, 1),
    ("hai triệu nghìn", 2e6, 2), ("ba tư", 3, 1), ("một tư", 1, 1), ("mười hai phẩy năm", 12.5, 4),
    ("âm năm", -5, 2), ("hai nghìn tỷ", 2e12, 3), ("mười mươi", 10, 1), ("mươi", None, 0), ("phẩy", None, 0),
    # vague amounts: no value, but the caller learns how many words to skip
    ("hai ba", None, 2), ("ba bốn trăm", None, 3), ("bảy tám", None, 2), ("mười mấy", None, 2),
    ("hai mươi mấy nghìn", None, 4), ("vài trăm", None, 2), ("mấy chục", None, 2), ("năm sáu năm", None, 2),
    ("bốn năm một", 4, 1), ("bốn năm trăm", None, 3),
])
def test_read_spelled_longest_prefix(words, value, used):
    got = read_spelled(words.split())
    assert got[1] == used
    assert got[0] == (None if value is None else pytest.approx(value))


def test_read_spelled_takes_a_list_or_text():
    assert read_spelled(["Hai", "Mươi", "Mốt"]) == read_spelled("hai mươi mốt") == (21.0, 3)
    assert read_spelled([]) == (None, 0)


@pytest.mark.parametrize("text,frac", [
    ("hai phần ba", (2, 3)), ("một phần tư", (1, 4)), ("ba phần tư", (3, 4)), ("một phần năm", (1, 5)),
    ("một phần mười", (1, 10)), ("2 phần 3", (2, 3)), ("một nửa", (1, 2)), ("nửa", (1, 2)), ("1 trong 4", (1, 4)),
    ("một trong bốn", (1, 4)), ("Hai Phần Ba", (2, 3)),
])
def test_parse_fraction(text, frac):
    assert parse_fraction(text) == frac


@pytest.mark.parametrize("text", ["ba phần trăm", "quá nửa", "phần ba", "hai phần", "5 trong 4", "hai ba", "không phần ba"])
def test_parse_fraction_rejects(text):
    assert parse_fraction(text) is None


@pytest.mark.parametrize("text,frac,used", [
    ("một phần tư dân số", (1, 4), 3), ("hai phần ba số hộ", (2, 3), 3), ("một nửa số người", (1, 2), 2),
    ("nửa dân số", (1, 2), 1), ("1 trong 4 người", (1, 4), 3), ("hai mươi phần một trăm", (20, 100), 5),
    ("ba phần tư", (3, 4), 3),
])
def test_read_fraction(text, frac, used):
    assert read_fraction(text) == (frac, used)


@pytest.mark.parametrize("text", ["ba phần trăm dân số", "quá nửa", "hai người", "phần ba", "một trong những", ""])
def test_read_fraction_rejects(text):
    assert read_fraction(text) is None


@pytest.mark.parametrize("text,rank", [
    ("thứ nhất", 1), ("nhất", 1), ("thứ nhì", 2), ("thứ hai", 2), ("thứ ba", 3), ("thứ tư", 4), ("tư", 4),
    ("thứ năm", 5), ("thứ bẩy", 7), ("thứ mười", 10), ("thứ mười một", 11), ("thứ hai mươi tư", 24), ("thứ 05", 5),
    ("thứ 5", 5),
])
def test_parse_ordinal(text, rank):
    assert parse_ordinal(text) == rank


@pytest.mark.parametrize("text", ["thứ một", "thứ", "thứ không", "thứ mấy", "thứ 2,5", "thứ ba phẩy năm"])
def test_parse_ordinal_rejects(text):
    assert parse_ordinal(text) is None


@pytest.mark.parametrize("text,value", [("âm 5", -5), ("âm 2,5 triệu", -2.5e6), ("âm năm", -5), ("Âm 12,5", -12.5)])
def test_parse_number_sign(text, value):
    assert parse_number(text) == pytest.approx(value)


# A test speller: writes a number the Vietnamese way, in the style the random source picks at each choice.
_SEVENS = ["bảy", "bẩy"]


def _unit(d: int, rnd) -> str:
    return rnd.choice(_SEVENS) if d == 7 else _UNITS[d]


def _spell_tens(n: int, rnd, colloquial: bool) -> str:
    """1..99, formal or (where unambiguous) colloquial."""
    tens, ones = divmod(n, 10)
    if tens == 0:
        return _unit(ones, rnd)
    if tens == 1:
        tail = {0: "", 5: rnd.choice(["lăm", "nhăm"]), 4: rnd.choice(["bốn", "tư"])}.get(ones, _unit(ones, rnd))
        return ("mười " + tail).strip()
    if colloquial and ones in (1, 5) and rnd.random() < 0.5:
        return f"{_unit(tens, rnd)} {'mốt' if ones == 1 else rnd.choice(['lăm', 'nhăm'])}"   # "hai mốt", "ba lăm"
    head = f"{_unit(tens, rnd)} mươi"
    tail = {0: "", 1: rnd.choice(["mốt", "một"]), 4: rnd.choice(["bốn", "tư"]), 5: rnd.choice(["lăm", "nhăm"])}
    return (head + " " + tail.get(ones, _unit(ones, rnd))).strip()


def _spell_group(g: int, rnd, after_scale: bool, colloquial: bool) -> str:
    """0 < g < 1000; after a scale word a group below 100 opens with "không trăm" or "linh"/"lẻ"."""
    h, rest = divmod(g, 100)
    filler = rnd.choice(["linh", "lẻ"])
    if h == 0 and after_scale:
        style = rnd.choice(["không trăm", "lẻ", "plain"]) if rest >= 10 else rnd.choice(["không trăm", "lẻ"])
        if style == "không trăm":
            return "không trăm " + (f"{filler} " if rest < 10 else "") + _spell_tens(rest, rnd, colloquial)
        if style == "lẻ":
            return f"{filler} {_spell_tens(rest, rnd, colloquial)}"
        return _spell_tens(rest, rnd, colloquial)
    if h == 0:
        return _spell_tens(rest, rnd, colloquial)
    head = f"{_unit(h, rnd)} trăm"
    if rest == 0:
        return head
    if rest < 10:
        return f"{head} {filler} {_unit(rest, rnd)}"
    return f"{head} {_spell_tens(rest, rnd, colloquial)}"


def spell(n: int, rnd, colloquial: bool = False, after_scale: bool = False) -> str:
    """0..10^15 spelled with nghìn/ngàn, triệu, tỷ/tỉ; "nghìn tỷ", "triệu tỷ" above 10^12."""
    if n == 0:
        return "không"
    for size, words in ((10**9, ["tỷ", "tỉ"]), (10**6, ["triệu"]), (10**3, ["nghìn", "ngàn"])):
        if n >= size:
            high, low = divmod(n, size)
            out = f"{spell(high, rnd, colloquial, after_scale)} {rnd.choice(words)}"
            return out + (f" {spell(low, rnd, colloquial, after_scale=True)}" if low else "")
    return _spell_group(n, rnd, after_scale, colloquial)


@settings(max_examples=500, deadline=None)
@given(st.integers(min_value=0, max_value=10**15), st.booleans(), st.randoms(use_true_random=False))
def test_spelled_integers_round_trip(n, colloquial, rnd):
    text = spell(n, rnd, colloquial)
    assert parse_spelled(text) == n, text
    assert read_spelled(text) == (n, len(text.split())) or text.split()[-1] == "năm", text


@settings(max_examples=300, deadline=None)
@given(st.integers(min_value=0, max_value=10**6), st.integers(min_value=1, max_value=999), st.booleans(),
       st.randoms(use_true_random=False))
def test_spelled_decimals_round_trip(whole, frac, by_digit, rnd):
    digits = str(frac).rstrip("0") if not by_digit else f"{frac:03d}".rstrip("0")
    tail = " ".join(_unit(int(d), rnd) for d in digits) if by_digit else _spell_tens_or_group(int(digits), rnd)
    text = f"{spell(whole, rnd)} phẩy {tail}"
    assert parse_spelled(text) == pytest.approx(float(f"{whole}.{digits}"), rel=1e-12), text


def _spell_tens_or_group(n: int, rnd) -> str:
    return _spell_group(n, rnd, after_scale=False, colloquial=False) if n >= 10 else _unit(n, rnd)


@settings(max_examples=300, deadline=None)
@given(st.integers(min_value=1, max_value=999), st.sampled_from([(10**3, "nghìn"), (10**6, "triệu"), (10**9, "tỷ"),
                                                                  (10**12, "nghìn tỷ")]),
       st.integers(min_value=1, max_value=9), st.randoms(use_true_random=False))
def test_colloquial_scale_tails(a, scale, d, rnd):
    """"một triệu hai" = 1.2e6, "hai nghìn rưỡi" = 2500: a lone digit or "rưỡi" after the last scale."""
    size, word = scale
    head = f"{spell(a, rnd)} {word}"
    assert parse_spelled(f"{head} {_unit(d, rnd)}") == a * size + d * size // 10
    assert parse_spelled(f"{head} rưỡi") == a * size + size // 2


@settings(max_examples=200, deadline=None)
@given(st.integers(min_value=1, max_value=9), st.integers(min_value=0, max_value=9), st.randoms(use_true_random=False))
def test_colloquial_hundreds(h, d, rnd):
    """"một trăm hai" = 120, "tám trăm rưỡi" = 850."""
    head = f"{_unit(h, rnd)} trăm"
    assert parse_spelled(f"{head} rưỡi") == h * 100 + 50
    if d:
        assert parse_spelled(f"{head} {_unit(d, rnd)}") == h * 100 + d * 10


@settings(max_examples=200, deadline=None)
@given(st.integers(min_value=1, max_value=10**12), st.randoms(use_true_random=False))
def test_sign_and_prefix_reader(n, rnd):
    text = spell(n, rnd)
    assert parse_spelled("âm " + text) == -n
    # followed by a word outside the grammar, the reader takes exactly the number (no year rule there)
    assert read_spelled(text.split() + ["phần"]) == (n, len(text.split()))


def test_bay_variant_is_parsed_but_not_a_candidate_word():
    """"bẩy" is read in a number ("mười bẩy") but never looked for alone: "đòn bẩy" is a lever, not 7."""
    from extractors.lexicon import lexicon
    assert parse_spelled("mười bẩy") == 17
    assert "bẩy" not in lexicon().spelled_words
