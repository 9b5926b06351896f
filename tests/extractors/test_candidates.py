"""Candidate shapes: digits, spelled-out numerals, scale words, ranges and ratios; and which text is read."""
from __future__ import annotations

from helpers import one, spans


# --- digits: offsets, order, the text that is read ------------------------------------------------------

def test_helpers_check_offsets():
    assert spans("Có 3 người.") == ["3"]


def test_mentions_sorted_and_deterministic():
    text = "Có 5 xã, 12 thôn và 300 hộ, chiếm 40% dân số, vốn 2 tỷ đồng."
    first = spans(text)
    assert first == ["5", "12", "300", "40%", "2 tỷ đồng"]
    assert spans(text) == first


def test_body_ranges_limit_extraction():
    from extractors import extract_mentions
    text = "Tiêu đề 5 người\nThân bài có 12 người."
    body = [(16, len(text))]
    assert [m.text for m in extract_mentions(text, body)] == ["12"]


def test_furniture_and_related_tail_are_left_to_the_cleaner():
    # The extractor takes the body it is given; the pipeline's cleaner (rules/furniture.yaml) finds it.
    from pipeline.api import extract

    text = ("Tỉnh có 300 hộ nghèo\n06:46 - Chủ Nhật, 01/01/2023 Lượt xem: 3095\nTỉnh có 300 hộ nghèo.\n"
            "Tin liên quan\nHà Nội có 500 ca mắc mới.")
    assert [r.text for r in extract(text)] == ["300", "300"]
    assert "3095" in spans(text) and "500" in spans(text)


# --- spelled-out numerals and scale words ----------------------------------------------------------------

def test_spelled_one_only_before_scale():
    assert spans("Một người dân cho biết có một triệu đồng.") == ["một triệu đồng"]


def test_duration_after_trong_vong_spelled():
    m = one("Giá vàng tăng mạnh trong vòng ba tuần qua.", "ba tuần")
    assert (m.kind, m.value, m.unit) == ("measure", 3, "tuần")


# --- ranges ----------------------------------------------------------------------------------------------

def test_spelled_out_range_with_factor_unit():
    m = one("Giá thuê mặt bằng tăng bốn đến năm lần so với trước.", "bốn đến năm lần")
    assert (m.kind, m.value, m.value_max, m.unit) == ("number", 4, 5, "lần")


def test_spelled_out_range_of_counts_and_scale():
    m = one("Mỗi tuần học viên tập hai đến ba buổi.", "hai đến ba")
    assert (m.value, m.value_max) == (2, 3)
    m = one("Dự án thu hút hai - ba triệu lượt khách.", "hai - ba triệu")
    assert (m.value, m.value_max) == (2_000_000, 3_000_000)


def test_spelled_out_range_starting_with_five():
    m = one("Hồ sơ được xử lý từ năm đến bảy ngày.", "năm đến bảy ngày")
    assert (m.value, m.value_max, m.unit) == (5, 7, "ngày")


def test_range_sharing_thousands_of_its_high_end():
    m = one("Giá dao động từ 10-15.000 đồng/kg.", "10-15.000 đồng/kg")
    assert (m.value, m.value_max, m.unit) == (10000, 15000, "VND/kg")


def test_range_with_a_unit_on_both_ends_keeps_the_first_value():
    m = one("Giá dao động từ 500.000 đồng - 1 triệu đồng/máy.", "500.000 đồng - 1 triệu đồng/máy")
    assert (m.value, m.value_max) == (500000, 1000000)


def test_descending_range_with_unit_keeps_low_end_as_value():
    m = one("Nhiệt độ ban ngày khoảng 32-28 độ C.", "32-28 độ C")
    assert (m.value, m.value_max, m.unit) == (28, 32, "°C")


def test_range_with_per_unit_and_bound_words():
    m = one("Căn hộ có giá hơn 40 triệu đồng/m2 đến dưới 60 triệu đồng/m2.", "40 triệu đồng/m2 đến dưới 60 triệu đồng/m2")
    assert (m.value, m.value_max, m.unit, m.qualifier) == (40_000_000, 60_000_000, "VND/m2", "eq")


def test_change_between_two_per_unit_prices_stays_two_mentions():
    got = spans("Giá vé tăng từ 50.000 đồng/lượt lên 80.000 đồng/lượt.")
    assert got == ["50.000 đồng/lượt", "80.000 đồng/lượt"]


# --- ratios ----------------------------------------------------------------------------------------------

def test_fraction_after_share_word_is_ratio():
    assert spans("Các con nhận 1/3 và 1/6 cổ phần.") == ["1/3", "1/6"]
    assert spans("Có tới 1/4 dân số nhiễm bệnh.") == ["1/4"]


def test_x_tren_y_is_a_ratio():
    m = one("Đến nay đã có 18 trên 20 xã đạt chuẩn.", "18 trên 20")
    assert (m.kind, m.value, m.denominator, m.qualifier) == ("ratio", 18, 20, "eq")


def test_non_ascii_digits_are_not_candidates():
    # Arabic-Indic and fullwidth digits are refused, not misread (docs/extraction.md, "Number formats").
    assert spans("Có \uff13 người, \u0663 người và 5 người.") == ["5"]
    assert spans("Có \uff135 người.") == []


def test_long_run_of_spelled_words_is_read_once():
    # A run of spelled number words is read once by the grammar (a scale does not repeat: "hai triệu" = 2e6
    # opens "hai triệu hai triệu ..."), from at most MAX_SPELLED_WORDS words.
    from extractors.candidates import MAX_SPELLED_WORDS, _spelled_value
    assert _spelled_value("hai triệu " * 5000) == (2e6, 2)
    assert _spelled_value("một " * 5000)[1] <= MAX_SPELLED_WORDS
