"""Subject: what a figure counts or measures, and where that noun phrase starts and ends."""
from __future__ import annotations

import pytest

from helpers import mentions, one

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


def test_duration_subject_after_or_before():
    assert one("Ông có 15 năm kinh nghiệm quản lý.", "15 năm").subject == "kinh nghiệm quản lý"
    assert one("Nữ diễn viên 26 tuổi đã giành giải thưởng.", "26 tuổi").subject == "Nữ diễn viên"


def test_value_of_x_gives_x_as_money_subject():
    assert one("Sau giải, giá trị của Pedri đã tăng 20 triệu euro.", "20 triệu euro").subject == "Pedri"


def test_corresponding_percent_reuses_subject_of_the_figure_before():
    ms = mentions("Chỉ số HNX-Index giảm 2,5 điểm, tương ứng 1,1%.")
    assert ms[0].subject and ms[1].subject == ms[0].subject


# --- where the subject ends: adverbs, trailing verbs and adjectives, compounds ------------------------------

@pytest.mark.parametrize("text, span, subject", [
    ("Phiên chiều, HNX-Index chỉ tăng 1,25 điểm.", "1,25 điểm", "HNX-Index"),
    ("Lượng nước dự trữ chỉ đủ dùng trong 48 giờ.", "48 giờ", "nước dự trữ"),
    ("Đội bóng mất 7 điểm sau 3 vòng đấu khiến người hâm mộ lo lắng.", "3", "vòng đấu"),
    ("Tỉnh có 6 đơn vị trực thuộc và 2 ban.", "6", "đơn vị trực thuộc"),
])
def test_subject_stops_at_adverbs_and_keeps_compounds(text, span, subject):
    assert one(text, span).subject == subject


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
    assert one(text, span).subject == subject


def test_chi_nouns_are_still_counted_nouns():
    assert one("Học viện xét tuyển 420 chỉ tiêu trong năm nay.", "420").subject == "chỉ tiêu"
    assert one("Khách mua xe được tặng 2 chỉ vàng.", "2").kind == "count"
    assert one("Chỉ số năng lực đạt 68,5 điểm.", "68,5 điểm").subject.startswith("Chỉ số")


def test_subject_keeps_compound_with_stop_syllable():
    assert one("Hệ thống kết nối 5.000 thiết bị thông minh.", "5.000").subject == "thiết bị thông minh"


def test_compound_with_a_stop_syllable_is_kept():
    assert one("Mạng có 2,05 thuê bao băng rộng cố định/100 dân.", "2,05").subject != "thuê bao băng"
    assert one("Mặt trước của máy là camera 8 megapixel.", "8 megapixel").subject == "Mặt trước"


def test_percent_followed_by_comparative_has_no_noun_subject():
    m = one("Giá căn hộ tăng 4% cao hơn năm ngoái.", "4%")
    assert m.subject != "cao"


def test_comma_clause_with_its_own_figure_is_not_a_subject_list():
    m = one("Dự án có 6 làn xe, dài 30km.", "6")
    assert m.subject == "làn xe"
    assert one("Đã có 95% xã, phường được phủ sóng.", "95%").subject == "xã, phường"


# --- where the subject starts: never at a discourse or function word, never inside a word -----------------

def test_subject_does_not_start_with_a_discourse_word():
    m = one("Nhiều nước đạt 40-50%, thậm chí 65% dân số.", "65%")
    assert m.subject is None or not m.subject.lower().startswith("thậm chí")


@pytest.mark.parametrize("text,span", [
    ("Cần lưu ý, đây là 99% trong số đó.", "99%"),
    ("Thuê bao được gọi miễn phí (tối đa 1.000 phút).", "1.000 phút"),
    ("Chi phí khoảng 200 triệu trở lên.", "200 triệu"),
    ("Cách đây 3 tháng, hai bên đã ký kết.", "3 tháng"),
    ("Dù mới 4 tuổi, cậu bé đã biết bơi.", "4 tuổi"),
])
def test_function_words_are_not_a_subject(text, span):
    assert one(text, span).subject is None


@pytest.mark.parametrize("pad", range(0, 12))
def test_subject_never_starts_inside_a_word(pad):
    text = "Theo " + "a" * pad + " nghiêng" * 30 + " mức lương khởi điểm hơn 10 triệu đồng."
    m = one(text, "10 triệu đồng")
    words = set(text.split())
    assert m.subject is None or all(w in words for w in m.subject.split())
