"""One test per error family fixed by the corpus-driven error analysis (docs/extraction.md, "Error analysis").

Sentences are written for the tests, not copied from the dev sets.
"""
from __future__ import annotations

import pytest

from extractors import extract_mentions


def spans(text: str) -> list[str]:
    """The span texts extracted from text."""
    return [m.text for m in extract_mentions(text)]


def one(text: str, span: str):
    """The single mention whose span is `span` (fails if missing)."""
    found = [m for m in extract_mentions(text) if m.text == span]
    assert found, f"{span!r} not extracted from {text!r}: {spans(text)}"
    return found[0]


# --- precision: fixed phrases and names --------------------------------------------------------

@pytest.mark.parametrize("text", [
    "Chiếc máy xay 3 trong 1 rất tiện cho nhà bếp.",
    "Cửa hàng áp dụng chính sách 1 đổi 1 trong 30 ngày.",
    "Doanh thu của hãng tăng trưởng 2 con số suốt nhiều năm.",
    "Cô bé theo học múa ba lê từ nhỏ.",
    "Chiếc xe dừng lại ở ngã ba gần chợ.",
    "Anh làm việc mười mấy tiếng mỗi ngày.",
])
def test_fixed_phrases_are_not_counts(text):
    kept = [m.text for m in extract_mentions(text) if m.kind == "count"]
    assert kept in ([], ["30 ngày"]), kept


def test_spaced_disease_name_is_not_a_count():
    assert "19" not in spans("Tỉnh tăng cường phòng chống dịch Covid - 19 tại các chợ.")


def test_phone_line_with_spaced_groups_is_skipped():
    assert spans("Mọi thắc mắc xin liên hệ.\nHotline: 09 8 765 4321\n") == []


def test_slash_list_markers_are_not_counts():
    text = "Thí sinh cần đạt một trong các điều kiện: 1/ là học sinh giỏi; 2/ đạt giải cấp tỉnh."
    assert spans(text) == []


def test_textbook_grade_is_a_label():
    assert "6" not in spans("Nhà trường chọn bộ sách Ngữ văn 6 tập một cho học sinh.")


def test_era_years_are_calendar():
    assert spans("Triều đại này kéo dài từ năm 206 TCN đến năm 220 SCN.") == []


@pytest.mark.parametrize("text", [
    "Mối quan hệ giữa hai người ngày càng tốt đẹp.",
    "Hai người từng hẹn hò trong một thời gian ngắn.",
    "Họ chăm sóc con gái chung của hai người.",
])
def test_pair_pronoun_hai_nguoi_is_not_a_count(text):
    assert spans(text) == []


@pytest.mark.parametrize("text, span", [
    ("Vụ cháy khiến hai người tử vong.", "hai"),
    ("Bà có hai người con đang sống ở nước ngoài.", "hai"),
    ("Năm ngoái chị kết bạn với hai người đẹp nổi tiếng.", "hai"),
])
def test_hai_nguoi_as_a_real_count_stays(text, span):
    assert one(text, span).kind == "count"


# --- recall: spelled-out and descending ranges, ranks, bounds ---------------------------------

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


def test_descending_range_with_unit_keeps_low_end_as_value():
    m = one("Nhiệt độ ban ngày khoảng 32-28 độ C.", "32-28 độ C")
    assert (m.value, m.value_max, m.unit) == (28, 32, "°C")


def test_descending_pair_without_unit_stays_a_score():
    assert spans("Đội chủ nhà thắng 3-1 trước đối thủ.") == []


def test_duration_after_trong_vong_spelled():
    m = one("Giá vàng tăng mạnh trong vòng ba tuần qua.", "ba tuần")
    assert (m.kind, m.value, m.unit) == ("measure", 3, "tuần")


@pytest.mark.parametrize("text, span, value", [
    ("Đây là thị trường xuất khẩu lớn thứ 4 của Việt Nam.", "4", 4),
    ("Công ty đứng thứ hai trong bảng xếp hạng năm nay.", "hai", 2),
    ("Quốc gia đông dân thứ ba thế giới có nhiều ca mắc.", "ba", 3),
])
def test_superlative_thu_is_a_rank(text, span, value):
    m = one(text, span)
    assert (m.kind, m.value) == ("rank", value)


def test_ordinal_thu_without_rank_word_is_not_a_rank():
    assert spans("Khi con gái thứ hai của chị vào lớp một.") == []


def test_tren_before_count_is_a_bound_not_a_rate_base():
    m = one("Ban tổ chức dự kiến đón trên 20.000 người trong dịp lễ.", "20.000")
    assert (m.kind, m.qualifier) == ("count", "gt")


def test_rate_base_is_still_excluded():
    assert "100.000" not in spans("Tỷ lệ mắc là 35 ca trên 100.000 dân.")


def test_x_tren_y_is_a_ratio():
    m = one("Đến nay đã có 18 trên 20 xã đạt chuẩn.", "18 trên 20")
    assert (m.kind, m.value, m.denominator, m.qualifier) == ("ratio", 18, 20, "eq")


def test_acronym_after_sentence_initial_number_is_a_counted_noun():
    m = one("Ngày 3/5 có 12 ca bệnh. 45 CLB đã đăng ký tham dự.", "45")
    assert m.kind == "count"


# --- units --------------------------------------------------------------------------------------

def test_pound_and_yuan_currency():
    assert one("Cầu thủ nhận lương 120.000 bảng mỗi tuần.", "120.000 bảng").unit == "GBP"
    assert one("Chiếc điện thoại có giá 3.999 tệ tại Trung Quốc.", "3.999 tệ").unit == "CNY"


def test_bang_followed_by_a_noun_is_not_a_currency():
    m = one("Giải đấu chia thành 4 bảng đấu.", "4")
    assert m.kind == "count"


def test_ghz_and_hyphenated_inch():
    m = one("Chip có xung nhịp 3.2GHz và màn hình 6,7-inch.", "3.2GHz")
    assert (m.kind, m.value, m.unit) == ("measure", 3.2, "GHz")
    m = one("Chip có xung nhịp 3.2GHz và màn hình 6,7-inch.", "6,7-inch")
    assert (m.value, m.unit) == (6.7, "inch")


def test_lan_so_voi_is_a_factor():
    m = one("Lượng mưa năm nay là 3 lần so với trung bình.", "3 lần")
    assert (m.kind, m.unit) == ("number", "lần")


def test_scaled_amount_in_a_long_money_clause_is_money():
    m = one("Dư nợ vay của tập đoàn vào cuối năm ngoái đã tăng thêm một khoản lớn hơn 5.000 tỷ so với năm trước.",
            "5.000 tỷ")
    assert (m.kind, m.unit) == ("money", "VND")


# --- subject ------------------------------------------------------------------------------------

def test_corresponding_percent_reuses_subject_of_the_figure_before():
    ms = extract_mentions("Chỉ số HNX-Index giảm 2,5 điểm, tương ứng 1,1%.")
    assert ms[0].subject and ms[1].subject == ms[0].subject


def test_subject_keeps_compound_with_stop_syllable():
    assert one("Hệ thống kết nối 5.000 thiết bị thông minh.", "5.000").subject == "thiết bị thông minh"


@pytest.mark.parametrize("pad", range(0, 12))
def test_subject_never_starts_inside_a_word(pad):
    text = "Theo " + "a" * pad + " nghiêng" * 30 + " mức lương khởi điểm hơn 10 triệu đồng."
    m = one(text, "10 triệu đồng")
    words = set(text.split())
    assert m.subject is None or all(w in words for w in m.subject.split())


def test_duration_subject_after_or_before():
    assert one("Ông có 15 năm kinh nghiệm quản lý.", "15 năm").subject == "kinh nghiệm quản lý"
    assert one("Nữ diễn viên 26 tuổi đã giành giải thưởng.", "26 tuổi").subject == "Nữ diễn viên"


def test_percent_followed_by_comparative_has_no_noun_subject():
    m = one("Giá căn hộ tăng 4% cao hơn năm ngoái.", "4%")
    assert m.subject != "cao"


# --- second round ------------------------------------------------------------------------------

def test_model_suffix_marks_a_product_name():
    assert spans("Cửa hàng bán cả Galaxy S21 và 21 Ultra chính hãng.") == []


def test_dong_before_a_noun_is_not_a_currency():
    m = one("Nhà sưu tầm giữ 250 đồng xu cổ.", "250")
    assert (m.kind, m.unit) == ("count", None)
    assert one("Một suất ăn giá 30.000 đồng.", "30.000 đồng").unit == "VND"


def test_year_slash_code_is_an_identifier():
    assert spans("Vụ việc xử lý theo Luật Xuất nhập cảnh 1992/45.") == []


def test_word_range_of_years_is_a_period():
    assert spans("Ông làm đại sứ từ 1995 đến 1999.") == []


def test_bulleted_address_line():
    assert spans("Văn phòng đại diện:\n- 25 Nguyễn Du, Quận Hai Bà Trưng\n") == []


def test_range_with_per_unit_and_bound_words():
    m = one("Căn hộ có giá hơn 40 triệu đồng/m2 đến dưới 60 triệu đồng/m2.", "40 triệu đồng/m2 đến dưới 60 triệu đồng/m2")
    assert (m.value, m.value_max, m.unit, m.qualifier) == (40_000_000, 60_000_000, "VND/m2", "eq")


def test_change_between_two_per_unit_prices_stays_two_mentions():
    got = spans("Giá vé tăng từ 50.000 đồng/lượt lên 80.000 đồng/lượt.")
    assert got == ["50.000 đồng/lượt", "80.000 đồng/lượt"]


def test_counted_noun_after_a_place_label():
    assert one("Dự án mở rộng đường cao tốc 6 làn xe.", "6").kind == "count"
    assert spans("Xe khách đi trên cao tốc 5 về phía nam.") == []


def test_spelled_rank_after_gianh_hang():
    m = one("Đội tuyển giành hạng ba tại giải châu Á.", "ba")
    assert (m.kind, m.value) == ("rank", 3)


def test_multi_word_counted_noun_per_period_is_a_measure():
    m = one("Sân bay phục vụ 20 triệu hành khách/năm.", "20 triệu hành khách/năm")
    assert (m.kind, m.value, m.unit) == ("measure", 20_000_000, "hành khách/năm")
    assert one("Có 63 tỉnh/thành phố tham gia.", "63").kind == "count"


def test_comma_clause_with_its_own_figure_is_not_a_subject_list():
    m = one("Dự án có 6 làn xe, dài 30km.", "6")
    assert m.subject == "làn xe"
    assert one("Đã có 95% xã, phường được phủ sóng.", "95%").subject == "xã, phường"


def test_value_of_x_gives_x_as_money_subject():
    assert one("Sau giải, giá trị của Pedri đã tăng 20 triệu euro.", "20 triệu euro").subject == "Pedri"


@pytest.mark.parametrize("text, span, value", [
    ("Đỉnh núi có lúc lạnh tới -8 độ C vào mùa đông.", "-8 độ C", -8),
    ("Nhiệt độ ngoài trời xuống âm 3 độ C.", "âm 3 độ C", -3),
    ("Nhiệt độ ban ngày khoảng 30 độ C.", "30 độ C", 30),
])
def test_temperature_sign(text, span, value):
    assert one(text, span).value == value


def test_tuyp_spelling_is_a_label():
    assert spans("Bệnh tiểu đường túyp 2 ngày càng phổ biến.") == []
