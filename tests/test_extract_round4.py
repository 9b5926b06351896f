"""Round 4 families (docs/extraction.md, "Error analysis, round 4"): location of institutions and national
figures, subject edges, mixed-unit ranges, model and calendar lists. Sentences written for these tests."""
from __future__ import annotations

import pytest

from test_extract_helpers import one as _one, spans as _spans


# --- location -------------------------------------------------------------------------------------------

@pytest.mark.parametrize("text,span", [
    ("Năm nay Trường Cao đẳng nghề Lào Cai tuyển 800 học viên mới.", "800"),
    ("ĐH Bách khoa Hà Nội có 35.000 sinh viên đang theo học.", "35.000"),
    ("Lợi nhuận của Ngân hàng TMCP Sài Gòn - Hà Nội đạt 4.500 tỷ đồng.", "4.500 tỷ đồng"),
    ("Cô từng lọt vào top 15 Hoa hậu Việt Nam 2018.", "15"),
])
def test_place_inside_an_institution_name_is_not_the_location(text, span):
    assert _one(text, span).location is None


def test_place_after_a_preposition_is_still_a_place():
    assert _one("Một bệnh viện ở Cần Thơ tiếp nhận 120 bệnh nhân.", "120").location == "Cần Thơ"


def test_institution_title_gives_no_main_place():
    text = "Trường THPT chuyên Hà Nội - Amsterdam công bố học phí\nHọc phí năm nay là 2 triệu đồng mỗi tháng."
    assert _one(text, "2 triệu đồng").location is None


def test_national_figure_does_not_take_the_article_province():
    text = ("Quảng Trị hỗ trợ 500 hộ nghèo\nQuảng Trị vừa hỗ trợ 500 hộ nghèo. Theo Tổng cục Thống kê, cả nước "
            "có 1.200 hộ nghèo mới. Tỉnh còn 300 hộ cận nghèo.")
    assert _one(text, "1.200").location is None
    assert _one(text, "300").location == "Quảng Trị"


def test_ranking_against_the_country_keeps_the_province():
    text = "Đắk Nông chuyển đổi số\nTốc độ mạng của tỉnh đạt trong nhóm 20 tỉnh dẫn đầu cả nước."
    assert _one(text, "20").location == "Đắk Nông"


def test_comparison_with_the_country_keeps_the_province():
    text = "Bình Phước tăng thu nhập\nThu nhập bình quân cao gấp 1,5 lần so với cả nước."
    assert _one(text, "1,5 lần").location == "Bình Phước"


def test_ocean_is_not_the_province():
    assert _one("Bờ Thái Bình Dương có 25 nền kinh tế.", "25").location is None


def test_italia_is_a_country():
    assert _one("Thị trấn ở Italia rao bán 400 căn nhà.", "400").location == "Italia"


# --- subject --------------------------------------------------------------------------------------------

@pytest.mark.parametrize("text,span,subject", [
    ("Tuyến đường có 2 đoạn hầm dài 900m.", "2", "đoạn hầm"),
    ("Đoàn đã kiểm tra 40 hộ dân nói trên trong ngày.", "40", "hộ dân"),
    ("Đại diện 12 CLB hàng đầu lúc này đã họp.", "12", "CLB hàng đầu"),
    ("Đội bóng thắng 4 trận đấu gần đây nhất.", "4", "trận đấu"),
    ("Tỉnh có 3 trường cao đẳng.", "3", "trường cao đẳng"),
    ("Xã có 50 người cao tuổi.", "50", "người cao tuổi"),
    ("Mặc dù cây cầu mới chỉ dài 300m, việc thi công mất hai năm.", "300m", "cây cầu"),
])
def test_subject_ends_before_a_trailing_verb_or_adjective(text, span, subject):
    assert _one(text, span).subject == subject


@pytest.mark.parametrize("text,span", [
    ("Cần lưu ý, đây là 99% trong số đó.", "99%"),
    ("Thuê bao được gọi miễn phí (tối đa 1.000 phút).", "1.000 phút"),
    ("Chi phí khoảng 200 triệu trở lên.", "200 triệu"),
    ("Cách đây 3 tháng, hai bên đã ký kết.", "3 tháng"),
    ("Dù mới 4 tuổi, cậu bé đã biết bơi.", "4 tuổi"),
])
def test_function_words_are_not_a_subject(text, span):
    assert _one(text, span).subject is None


def test_compound_with_a_stop_syllable_is_kept():
    assert _one("Mạng có 2,05 thuê bao băng rộng cố định/100 dân.", "2,05").subject != "thuê bao băng"
    assert _one("Mặt trước của máy là camera 8 megapixel.", "8 megapixel").subject == "Mặt trước"


# --- precision and values -------------------------------------------------------------------------------

@pytest.mark.parametrize("text,span,value,value_max,unit", [
    ("Ứng viên cần từ 8 tháng đến 1 năm kinh nghiệm.", "8 tháng đến 1 năm", 8, 12, "tháng"),
    ("Tốc độ đạt từ 900 Mbps đến 1Gbps.", "900 Mbps đến 1Gbps", 900, 1000, "Mbps"),
    ("Nền đường được nâng từ 50 cm đến 1,2 m.", "50 cm đến 1,2 m", 50, 120, "cm"),
    ("Giữ tư thế trong 30 giây đến 1 phút.", "30 giây đến 1 phút", 30, 60, "giây"),
    ("Trẻ từ 6 tháng đến 3 tuổi được tiêm.", "6 tháng đến 3 tuổi", 6, 36, "tháng"),
    ("Mỗi quả nặng 300g - 350gram.", "300g - 350gram", 300, 350, "g"),
])
def test_range_with_different_units_is_one_range_in_the_first_unit(text, span, value, value_max, unit):
    m = _one(text, span)
    assert (m.value, m.value_max, m.unit, m.kind) == (value, value_max, unit, "measure")


def test_units_of_different_groups_do_not_join():
    assert "2 năm" in _spans("Dự án kéo dài 2 năm đến 6 tháng nữa mới xong.")
    assert "5 kg" in _spans("Mỗi suất gồm 5 kg đến 2 lít dầu.")


def test_model_list_repeating_the_product_number_is_a_name():
    text = "Lỗi xảy ra trên iPhone 13 mini, 13, 13 Pro và 13 Pro Max."
    assert "13" not in _spans(text)


def test_a_count_after_a_model_name_is_kept():
    assert _one("Hãng bán Galaxy S21 cho 13 khách hàng.", "13").kind == "count"
    assert _one("Phút 70, hai cầu thủ vào sân.", "hai").kind == "count"


def test_calendar_list_continuation_is_not_a_count():
    assert "11" not in _spans("Mùa thu hoạch là tháng 10, 11 âm lịch hằng năm.")
    assert "7" not in _spans("Trong tháng 6, 7 có mưa lớn.")


def test_count_after_a_month_list_is_kept():
    assert _one("Tháng 5, 12 người đã bị bắt.", "12").kind == "count"


def test_target_cue_after_a_word_ending_in_nhat_still_counts():
    # the "so với/nhất ..." guard belongs to national-scope cues only, never to target cues
    assert _one("Năm 2021, lợi nhuận hợp nhất hướng tới 13.200 tỷ đồng.", "13.200 tỷ đồng").modality == "target"


def test_place_in_a_later_clause_is_not_the_figure_place():
    text = "WHO gửi 4.000 máy tạo ôxy, trong khi Đức và Singapore gửi khẩu trang."
    assert _one(text, "4.000").location is None
    listing = "Doanh thu giảm mạnh: Khánh Hòa giảm 78,7%, TP.HCM giảm 73,7%, Quảng Nam giảm 70,6%."
    assert _one(listing, "73,7%").location == "TP.HCM"


def test_place_before_the_figure_scopes_over_the_sentence():
    assert _one("Tại Hà Nội, có 50 ca mắc mới.", "50").location == "Hà Nội"
    assert _one("Lực lượng chức năng lập 5 chốt chặn quanh thôn (tỉnh Hà Nam).", "5").location == "Hà Nam"
