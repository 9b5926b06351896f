"""Each kind of mention, its span, value and unit (ANNOTATION.md sections 3-5b)."""
from __future__ import annotations

import pytest

from helpers import one

CASES = [
    # sentence, span, kind, value, value_max, denominator, unit
    ("Huyện đã thành lập 1.426 tổ công nghệ số cộng đồng.", "1.426", "count", 1426, None, None, None),
    ("Cả nước có trên 1,9 triệu người tham gia.", "1,9 triệu", "count", 1.9e6, None, None, None),
    ("Công ty ủng hộ 40 tỷ đồng cho quỹ.", "40 tỷ đồng", "money", 4e10, None, None, "VND"),
    ("Kim ngạch đạt 2,4 tỷ USD trong quý.", "2,4 tỷ USD", "money", 2.4e9, None, None, "USD"),
    ("Giá bán lẻ là 500 nghìn đồng/kg tại chợ.", "500 nghìn đồng/kg", "money", 5e5, None, None, "VND/kg"),
    ("Tuyến cáp dài 3.316km chạy dọc bờ biển.", "3.316km", "measure", 3316, None, None, "km"),
    ("Tốc độ trung bình đạt 40Mbps ở nội thành.", "40Mbps", "measure", 40, None, None, "Mbps"),
    ("Dự án chiếm 150 ha đất nông nghiệp.", "150 ha", "measure", 150, None, None, "ha"),
    ("Bị cáo bị tuyên phạt 3 năm tù giam.", "3 năm", "measure", 3, None, None, "năm"),
    ("Nạn nhân mới 20 tuổi.", "20 tuổi", "measure", 20, None, None, "tuổi"),
    ("Tỷ lệ bao phủ đạt 80% dân số.", "80%", "percent", 80, None, None, "%"),
    ("Lạm phát giảm 2 điểm phần trăm.", "2 điểm phần trăm", "percent", 2, None, None, "pp"),
    ("Lãi suất dự kiến tăng 5-7% trong năm.", "5-7%", "percent", 5, 7, None, "%"),
    ("Thời gian xử lý từ 10 đến 15 ngày.", "10 đến 15 ngày", "measure", 10, 15, None, "ngày"),
    ("Mức lương tăng từ 5 đến 7% mỗi năm.", "5 đến 7%", "percent", 5, 7, None, "%"),
    ("Đã có 47/63 tỉnh, thành phố triển khai.", "47/63", "ratio", 47, None, 63, None),
    ("Có 15/15 huyện hoàn thành kế hoạch.", "15/15", "ratio", 15, None, 15, None),
    ("Khoảng 1/3 dân số sống ở nông thôn.", "1/3", "ratio", 1, None, 3, None),
    ("Tỉnh xếp hạng 47/63 về chỉ số cạnh tranh.", "47/63", "rank", 47, None, 63, None),
    ("Đội bóng đứng thứ 5 toàn giải.", "5", "rank", 5, None, None, None),
    ("Doanh nghiệp lọt Top 10 thương hiệu mạnh.", "10", "rank", 10, None, None, None),
    ("Chỉ số năm nay đạt 0,7111 điểm tuyệt đối.", "0,7111 điểm", "number", 0.7111, None, None, "điểm"),
    ("Chỉ số chuyển đổi số đạt 0,7111.", "0,7111", "number", 0.7111, None, None, None),
    ("Sản lượng tăng gấp 2 lần so với trước.", "2 lần", "number", 2, None, None, "lần"),
    ("Doanh thu tăng gấp đôi cùng kỳ.", "đôi", "number", 2, None, None, "lần"),
    ("Anh đã 2 lần gửi văn bản lên cấp trên.", "2", "count", 2, None, None, None),
    ("Hai tỉnh đã công bố dịch.", "Hai", "count", 2, None, None, None),
    ("Thiệt hại lên tới ba triệu đồng mỗi hộ.", "ba triệu đồng", "money", 3e6, None, None, "VND"),
    ("Giá vàng là 4.250 USD/ounce hôm qua.", "4.250 USD/ounce", "money", 4250, None, None, "USD/ounce"),
    ("Nhà ga phục vụ 2.706 khách/giờ vào giờ cao điểm.", "2.706 khách/giờ", "measure", 2706, None, None, "khách/giờ"),
    ("Nhiệt độ lên tới 40°C vào buổi trưa.", "40°C", "measure", 40, None, None, "°C"),
    ("Chiếc xe chạy được 32 km (20 dặm) mỗi giờ.", "32 km", "measure", 32, None, None, "km"),
    ("Ngân hàng chi 1.234,5 tỷ đồng.", "1.234,5 tỷ đồng", "money", 1.2345e12, None, None, "VND"),
    ("The fund holds 1,234,567 shares in total.", "1,234,567", "count", 1234567, None, None, None),
    ("Đạt tỷ lệ 139,5% (1.954.846/1.399.044).", "1.954.846/1.399.044", "ratio", 1954846, None, 1399044, None),
    ("Người bán thu về khoảng $5 mỗi giờ.", "$5", "money", 5, None, None, "USD"),
    ("Cấp vốn 20-25 triệu đồng cho mỗi hộ.", "20-25 triệu đồng", "money", 2e7, 2.5e7, None, "VND"),
    ("Trong 2 tỷ 500 triệu đồng đã giải ngân.", "2 tỷ 500 triệu đồng", "money", 2.5e9, None, None, "VND"),
]


@pytest.mark.parametrize("text,span,kind,value,value_max,den,unit", CASES)
def test_kind_span_value_unit(text, span, kind, value, value_max, den, unit):
    m = one(text, span)
    assert (m.kind, m.unit) == (kind, unit)
    assert m.value == pytest.approx(value)
    assert m.value_max == (pytest.approx(value_max) if value_max is not None else None)
    assert m.denominator == (pytest.approx(den) if den is not None else None)


MORE = [
    ("Lợi nhuận quý I đạt 106,8 tỷ, tăng mạnh.", "106,8 tỷ", "money", 1.068e11, None, None, "VND"),
    ("Bà mẹ sinh con ở tuổi 39.", "39", "measure", 39, None, None, "tuổi"),
    ("Cô đeo bộ trang sức trị giá 120 triệu Đài tệ.", "120 triệu Đài tệ", "money", 1.2e8, None, None, "TWD"),
    ("Chiều cao từ khoảng 1m đến 1,83m.", "1m đến 1,83m", "measure", 1, 1.83, None, "m"),
    ("Giá cổ phiếu là 57.400 đồng/cổ phiếu.", "57.400 đồng/cổ phiếu", "money", 57400, None, None, "VND/cổ phiếu"),
    ("Đội bóng đã giành 3 điểm quý giá.", "3 điểm", "number", 3, None, None, "điểm"),
    ("Thành phố có 5 điểm du lịch mới.", "5", "count", 5, None, None, None),
    ("Lãi suất giảm ba phần trăm.", "ba phần trăm", "percent", 3, None, None, "%"),
    ("Hàng tỷ năm trước, trong hơn một tỷ năm, đá hình thành.", "một tỷ năm", "measure", 1e9, None, None, "năm"),
    ("Pin 5.000 mAh, sạc nhanh 18W, camera 13 MP.", "5.000 mAh", "measure", 5000, None, None, "mAh"),
]


@pytest.mark.parametrize("text,span,kind,value,value_max,den,unit", MORE)
def test_more_kinds(text, span, kind, value, value_max, den, unit):
    m = one(text, span)
    assert (m.kind, m.unit) == (kind, unit)
    assert m.value == pytest.approx(value)
    assert m.value_max == (pytest.approx(value_max) if value_max is not None else None)


# --- ranks and counts ---------------------------------------------------------------------------------

@pytest.mark.parametrize("text, span, value", [
    ("Đây là thị trường xuất khẩu lớn thứ 4 của Việt Nam.", "4", 4),
    ("Công ty đứng thứ hai trong bảng xếp hạng năm nay.", "hai", 2),
    ("Quốc gia đông dân thứ ba thế giới có nhiều ca mắc.", "ba", 3),
])
def test_superlative_thu_is_a_rank(text, span, value):
    m = one(text, span)
    assert (m.kind, m.value) == ("rank", value)


def test_spelled_rank_after_gianh_hang():
    m = one("Đội tuyển giành hạng ba tại giải châu Á.", "ba")
    assert (m.kind, m.value) == ("rank", 3)


def test_acronym_after_sentence_initial_number_is_a_counted_noun():
    m = one("Ngày 3/5 có 12 ca bệnh. 45 CLB đã đăng ký tham dự.", "45")
    assert m.kind == "count"


def test_rules_files_load_with_their_sections():
    from rules import load_rules
    assert {"scales", "units_words"} <= set(load_rules("numbers"))
    assert {"units", "per_unit_aliases"} <= set(load_rules("units"))
    assert {"qualifiers_before", "target_cues", "time_patterns"} <= set(load_rules("cues"))
    assert {"label_always", "label_unless_unit"} <= set(load_rules("exclusions"))
    assert "provinces" in load_rules("places")["places"]
