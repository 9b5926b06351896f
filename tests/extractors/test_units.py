"""Units: currencies, measures, temperatures, per-unit rates, and ranges whose ends carry different units."""
from __future__ import annotations

import pytest

from helpers import mentions, one, spans


# --- currencies ------------------------------------------------------------------------------------------

def test_pound_and_yuan_currency():
    assert one("Cầu thủ nhận lương 120.000 bảng mỗi tuần.", "120.000 bảng").unit == "GBP"
    assert one("Chiếc điện thoại có giá 3.999 tệ tại Trung Quốc.", "3.999 tệ").unit == "CNY"


def test_bang_followed_by_a_noun_is_not_a_currency():
    m = one("Giải đấu chia thành 4 bảng đấu.", "4")
    assert m.kind == "count"


def test_dong_before_a_noun_is_not_a_currency():
    m = one("Nhà sưu tầm giữ 250 đồng xu cổ.", "250")
    assert (m.kind, m.unit) == ("count", None)
    assert one("Một suất ăn giá 30.000 đồng.", "30.000 đồng").unit == "VND"


def test_capitalized_dong_is_a_place_not_a_currency():
    assert spans("Cách ly y tế thôn 5 Đồng Yên.") == []


def test_scaled_amount_in_a_long_money_clause_is_money():
    m = one("Dư nợ vay của tập đoàn vào cuối năm ngoái đã tăng thêm một khoản lớn hơn 5.000 tỷ so với năm trước.",
            "5.000 tỷ")
    assert (m.kind, m.unit) == ("money", "VND")


# --- measures and factors --------------------------------------------------------------------------------

def test_unit_conversion_in_brackets_is_two_mentions():
    assert spans("Cơn bão cách bờ 32 km (20 dặm).") == ["32 km", "20 dặm"]


def test_ghz_and_hyphenated_inch():
    m = one("Chip có xung nhịp 3.2GHz và màn hình 6,7-inch.", "3.2GHz")
    assert (m.kind, m.value, m.unit) == ("measure", 3.2, "GHz")
    m = one("Chip có xung nhịp 3.2GHz và màn hình 6,7-inch.", "6,7-inch")
    assert (m.value, m.unit) == (6.7, "inch")


def test_lan_so_voi_is_a_factor():
    m = one("Lượng mưa năm nay là 3 lần so với trung bình.", "3 lần")
    assert (m.kind, m.unit) == ("number", "lần")


def test_multi_word_counted_noun_per_period_is_a_measure():
    m = one("Sân bay phục vụ 20 triệu hành khách/năm.", "20 triệu hành khách/năm")
    assert (m.kind, m.value, m.unit) == ("measure", 20_000_000, "hành khách/năm")
    assert one("Có 63 tỉnh/thành phố tham gia.", "63").kind == "count"


# --- temperatures ----------------------------------------------------------------------------------------

@pytest.mark.parametrize("text, span, value", [
    ("Đỉnh núi có lúc lạnh tới -8 độ C vào mùa đông.", "-8 độ C", -8),
    ("Nhiệt độ ngoài trời xuống âm 3 độ C.", "âm 3 độ C", -3),
    ("Nhiệt độ ban ngày khoảng 30 độ C.", "30 độ C", 30),
])
def test_temperature_sign(text, span, value):
    assert one(text, span).value == value


def test_fahrenheit_is_a_temperature_unit_with_sign():
    found = {m.text: m for m in mentions("Đêm xuống, nhiệt độ còn âm 40 độ F, ban ngày lên 95 độ F.")}
    assert found["âm 40 độ F"].value == -40 and found["âm 40 độ F"].unit == "°F"
    assert found["95 độ F"].kind == "measure"


# --- ranges across units ---------------------------------------------------------------------------------

@pytest.mark.parametrize("text,span,value,value_max,unit", [
    ("Ứng viên cần từ 8 tháng đến 1 năm kinh nghiệm.", "8 tháng đến 1 năm", 8, 12, "tháng"),
    ("Tốc độ đạt từ 900 Mbps đến 1Gbps.", "900 Mbps đến 1Gbps", 900, 1000, "Mbps"),
    ("Nền đường được nâng từ 50 cm đến 1,2 m.", "50 cm đến 1,2 m", 50, 120, "cm"),
    ("Giữ tư thế trong 30 giây đến 1 phút.", "30 giây đến 1 phút", 30, 60, "giây"),
    ("Trẻ từ 6 tháng đến 3 tuổi được tiêm.", "6 tháng đến 3 tuổi", 6, 36, "tháng"),
    ("Mỗi quả nặng 300g - 350gram.", "300g - 350gram", 300, 350, "g"),
])
def test_range_with_different_units_is_one_range_in_the_first_unit(text, span, value, value_max, unit):
    m = one(text, span)
    assert (m.value, m.value_max, m.unit, m.kind) == (value, value_max, unit, "measure")


def test_units_of_different_groups_do_not_join():
    assert "2 năm" in spans("Dự án kéo dài 2 năm đến 6 tháng nữa mới xong.")
    assert "5 kg" in spans("Mỗi suất gồm 5 kg đến 2 lít dầu.")


@pytest.mark.parametrize("text,span,value,unit", [
    ("Giá 5\u00a0000 đồng/kg.", "5\u00a0000 đồng/kg", 5000, "VND/kg"),
    ("Tăng 5\u2009% so với năm trước.", "5\u2009%", 5, "%"),
    ("Lãi 3\u202f%, thu 2\u00a0triệu đồng.", "2\u00a0triệu đồng", 2e6, "VND"),
])
def test_typeset_spaces_before_units_and_between_digit_groups(text, span, value, unit):
    m = one(text, span)
    assert (m.value, m.unit) == (value, unit)
