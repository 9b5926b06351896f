"""Round 3 error families from the unlabeled dantri corpus (sentences written for these tests)."""
from __future__ import annotations

import pytest

from test_extract_helpers import mentions, one, spans


# --- subject: adverbs and linking words are not part of what is counted -------------------------

@pytest.mark.parametrize("text, span, subject", [
    ("Phiên chiều, HNX-Index chỉ tăng 1,25 điểm.", "1,25 điểm", "HNX-Index"),
    ("Lượng nước dự trữ chỉ đủ dùng trong 48 giờ.", "48 giờ", "nước dự trữ"),
    ("Đội bóng mất 7 điểm sau 3 vòng đấu khiến người hâm mộ lo lắng.", "3", "vòng đấu"),
    ("Tỉnh có 6 đơn vị trực thuộc và 2 ban.", "6", "đơn vị trực thuộc"),
])
def test_subject_stops_at_adverbs_and_keeps_compounds(text, span, subject):
    assert one(text, span).subject == subject


def test_subject_does_not_start_with_a_discourse_word():
    m = one("Nhiều nước đạt 40-50%, thậm chí 65% dân số.", "65%")
    assert m.subject is None or not m.subject.lower().startswith("thậm chí")


def test_chi_nouns_are_still_counted_nouns():
    assert one("Học viện xét tuyển 420 chỉ tiêu trong năm nay.", "420").subject == "chỉ tiêu"
    assert one("Khách mua xe được tặng 2 chỉ vàng.", "2").kind == "count"
    assert one("Chỉ số năng lực đạt 68,5 điểm.", "68,5 điểm").subject.startswith("Chỉ số")


# --- location: persons and products have none; country words inside other nouns are not places ----

def test_age_and_product_spec_have_no_location():
    text = "Tại Nghệ An, bệnh nhân nam 42 tuổi đã khỏi bệnh. Máy bán ở Nhật Bản có bộ nhớ 256GB."
    assert one(text, "42 tuổi").location is None
    assert one(text, "256GB").location is None


@pytest.mark.parametrize("text, span", [
    ("Trung tâm tiếng Anh tuyển 40 học viên.", "40"),
    ("Anh ấy đã chạy 12 km mỗi sáng.", "12 km"),
    ("Ngành Mỹ thuật lấy 30 chỉ tiêu.", "30"),
    ("Đội bóng của bầu Đức thắng 5 trận liên tiếp.", "5"),
])
def test_country_word_inside_another_noun_is_not_a_place(text, span):
    assert one(text, span).location is None


def test_country_still_a_place():
    assert one("Xuất khẩu sang Mỹ đạt 3 tỷ USD.", "3 tỷ USD").location == "Mỹ"


# --- time: the comparison base and a year inside a name are not the figure's time ----------------

def test_time_skips_comparison_base():
    text = "Tổng tài sản tính đến 31/12/2022 đạt 500 tỷ đồng, tăng 12% so với 31/12/2021."
    assert one(text, "12%").time == "31/12/2022"
    assert one("Lợi nhuận tăng 9% so với năm 2019.", "9%").time is None


def test_year_in_a_name_is_not_a_time():
    assert one("Phim nhận 3 đề cử tại Oscar 2021.", "3").time is None
    assert one("Doanh thu 2020 đạt 5 tỷ đồng.", "5 tỷ đồng").time == "2020"


# --- modality ------------------------------------------------------------------------------------

def test_dat_ra_alone_is_not_a_target():
    m = one("Câu hỏi đặt ra là vì sao 17 cơ quan chưa vào cuộc.", "17")
    assert m.modality == "actual"
    assert one("Công ty vượt kế hoạch đề ra với 120 tỷ đồng lợi nhuận.", "120 tỷ đồng").modality == "actual"


def test_plan_carries_over_only_after_colon_or_horizon():
    story = "Mục tiêu của đội là trụ hạng. Khi thắng 4 trận, tinh thần sẽ khác."
    assert one(story, "4").modality == "actual"
    plan = "Tỉnh đặt mục tiêu đến năm 2030 tuyển sinh 6 triệu người. Thu hút 55% học sinh THCS vào trường nghề."
    assert one(plan, "55%").modality == "target"
    intro = "Kế hoạch năm tới gồm:\nXây 12 trường học."
    assert one(intro, "12").modality == "target"


# --- precision ------------------------------------------------------------------------------------

def test_table_row_numbers_are_not_mentions():
    table = "TT\nNgành\nChỉ tiêu\n1\nKế toán\n230\n2\nLuật\n60\n3\nBảo hiểm\n150\n"
    assert spans(table) == ["230", "60", "150"]


def test_numbers_continuing_a_label_list_are_not_mentions():
    assert spans("Kiến thức lớp 6, 7 và 8 là nền tảng.") == []
    assert spans("Đã tiêm vắc xin đợt 1 và 2 cho 5.000 người.") == ["5.000"]
    assert "60" in spans("Ba bệnh nhân lần lượt 70, 60 và 55 tuổi.")


def test_span_of_years_with_an_old_start_is_a_period():
    assert spans("Biểu ngữ ghi 'RIP Football 1863-2021' trước sân.") == []


def test_range_with_a_unit_on_both_ends_keeps_the_first_value():
    m = one("Giá dao động từ 500.000 đồng - 1 triệu đồng/máy.", "500.000 đồng - 1 triệu đồng/máy")
    assert (m.value, m.value_max) == (500000, 1000000)


def test_brightness_is_not_a_time_of_day():
    assert [m.text for m in mentions("Màn hình có độ sáng 1.600 nit.")] == ["1.600"]


def test_age_bound_of_a_population_keeps_its_place():
    text = "Tại Đắk Lắk, 85% dân số từ 15 tuổi trở lên có điện thoại thông minh."
    assert one(text, "15 tuổi").location == "Đắk Lắk"
