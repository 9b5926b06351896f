"""Attributes: qualifier, modality, change, subject, time, location."""
from __future__ import annotations

import pytest

from test_extract_helpers import one

QUALIFIERS = [
    ("Có hơn 1.000 tổ công nghệ số.", "1.000", "gt"),
    ("Thu hút trên 500 doanh nghiệp.", "500", "gt"),
    ("Ít nhất 4 người thiệt mạng.", "4", "ge"),
    ("Tối thiểu 30 ngày làm việc.", "30 ngày", "ge"),
    ("Đạt gần 14,96% GDP.", "14,96%", "approx"),
    ("Khoảng 200 hộ bị ảnh hưởng.", "200", "approx"),
    ("Ước tính 3 triệu người xem.", "3 triệu", "approx"),
    ("Dưới 10% số hộ còn nghèo.", "10%", "lt"),
    ("Chưa đến 5 năm đã hoàn thành.", "5 năm", "lt"),
    ("Tối đa 20 người mỗi phòng.", "20", "le"),
    ("Không quá 2 giờ mỗi lượt.", "2 giờ", "le"),
    ("Người từ 60 tuổi trở lên được miễn.", "60 tuổi", "ge"),
    ("Trẻ từ 5 tuổi trở xuống được miễn.", "5 tuổi", "le"),
    ("Điểm của Việt Nam cao hơn Malaysia 2 điểm.", "2 điểm", "eq"),
    ("Giá giảm đến 10% trong tuần.", "10%", "eq"),
    ("Khoảng hơn 20 hộ di dời.", "20", "gt"),
    ("Có 35 người tham dự.", "35", "eq"),
]


@pytest.mark.parametrize("text,span,qual", QUALIFIERS)
def test_qualifier(text, span, qual):
    assert one(text, span).qualifier == qual


CHANGES = [
    ("Doanh thu tăng 16,4% so với năm trước.", "16,4%", "increase"),
    ("Tỷ lệ nghèo giảm 3 điểm phần trăm.", "3 điểm phần trăm", "decrease"),
    ("Xuất khẩu tăng hơn 28% cùng kỳ.", "28%", "increase"),
    ("Giá điện tăng trưởng 5% mỗi năm.", "5%", "increase"),
    ("Tỉnh nâng tỷ lệ che phủ rừng tăng lên 20%.", "20%", None),
    ("Lợi nhuận giảm xuống còn 5 tỷ đồng.", "5 tỷ đồng", None),
    ("Tỷ lệ hộ nghèo là 3%.", "3%", None),
]


@pytest.mark.parametrize("text,span,change", CHANGES)
def test_change(text, span, change):
    assert one(text, span).change == change


MODALITIES = [
    ("Phấn đấu đến năm 2025, 100% thôn được phủ sóng.", "100%", "target"),
    ("Mục tiêu của tỉnh là 500 doanh nghiệp số.", "500", "target"),
    ("Dự kiến năm tới doanh thu đạt 40 tỷ đồng.", "40 tỷ đồng", "target"),
    ("Năm 2022 doanh thu đạt 40 tỷ đồng.", "40 tỷ đồng", "actual"),
    ("Tỉnh đã vượt kế hoạch với 120 dự án.", "120", "actual"),
]


@pytest.mark.parametrize("text,span,modality", MODALITIES)
def test_modality(text, span, modality):
    assert one(text, span).modality == modality


def test_list_continuing_a_plan_keeps_target():
    text = "Kế hoạch năm 2024 đề ra các chỉ tiêu sau:\n- 95% hộ dân dùng nước sạch;\n- 300 km đường mới."
    assert one(text, "95%").modality == "target"
    assert one(text, "300 km").modality == "target"


SUBJECTS = [
    ("Tỉnh thành lập 1.426 Tổ công nghệ số cộng đồng.", "1.426", "Tổ công nghệ số cộng đồng"),
    ("Cả nước có 1,9 triệu người nhiễm bệnh.", "1,9 triệu", "người nhiễm bệnh"),
    ("Tỷ lệ hộ gia đình có truy nhập Internet đạt 90%.", "90%", "hộ gia đình"),
    ("Kinh tế số chiếm 14,96% GDP.", "14,96%", "GDP"),
    ("Doanh thu đạt 40 tỷ đồng.", "40 tỷ đồng", "Doanh thu"),
]


@pytest.mark.parametrize("text,span,subject", SUBJECTS)
def test_subject(text, span, subject):
    assert one(text, span).subject == subject


TIMES = [
    ("Đến tháng 9/2023, tỉnh có 300 hộ.", "300", "tháng 9/2023"),
    ("Năm 2022 chỉ số đạt 0,7111.", "0,7111", "Năm 2022"),
    ("Trong quý 2, xuất khẩu tăng 10%.", "10%", "quý 2"),
    ("Hiện nay tỉnh có 300 hộ.", "300", None),
    ("Năm nay tỉnh có 300 hộ.", "300", None),
    ("Mỗi năm có 5.000 người nhập cư.", "5.000", "Mỗi năm"),
]


@pytest.mark.parametrize("text,span,time", TIMES)
def test_time(text, span, time):
    assert one(text, span).time == time


def test_location_from_sentence_then_title():
    text = "Đắk Lắk: Kinh tế số phát triển\nTại Hà Nội có 500 doanh nghiệp số.\nTỉnh có 300 tổ công nghệ."
    assert one(text, "500").location == "Hà Nội"
    assert one(text, "300").location == "Đắk Lắk"


def test_preposition_is_not_a_bound():
    assert one("Vắc xin dựa trên 2 công nghệ chính.", "2").qualifier == "eq"
    assert one("Có trên 200 người tham dự.", "200").qualifier == "gt"


def test_average_across_comma_is_approx():
    assert one("Trung bình, mỗi người dân có 3 tài khoản.", "3").qualifier == "approx"


def test_corresponding_figure_inherits_change():
    text = "Chỉ số giảm 10,39 điểm, tương ứng 0,81%."
    assert one(text, "0,81%").change == "decrease"


def test_country_word_inside_a_vietnamese_name_is_not_a_place():
    assert one("Huyện Đông Anh lập chốt với 19 hộ.", "19").location is None
    assert one("Tại Anh có 5.000 ca mắc.", "5.000").location == "Anh"


def test_birth_year_is_not_the_time():
    assert one("Chị N. (SN 1996) và 71 trường hợp F1 ngày 30/4.", "71").time == "ngày 30/4"


def test_sentence_after_a_plan_keeps_target_but_weak_cues_do_not_carry():
    plan = "Tỉnh phấn đấu đến năm 2025 phủ sóng toàn bộ thôn. Tỷ lệ hộ dùng cáp quang đạt 90%."
    assert one(plan, "90%").modality == "target"
    weak = "Giá vàng sẽ tăng trong tuần tới. Khảo sát với 850 người cho thấy điều đó."
    assert one(weak, "850").modality == "actual"
    done = "Kế hoạch năm nay rất tham vọng. Tỉnh đã đạt 90% chỉ tiêu."
    assert one(done, "90%").modality == "actual"
