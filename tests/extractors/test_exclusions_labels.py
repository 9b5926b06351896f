"""Labels that are not mentions: document ids and codes, labels, ordinals, list markers, grades (ANNOTATION.md 2, 5b)."""
from __future__ import annotations

import pytest

from helpers import one, spans

NOT_MENTIONS = {
    "document_ids": ["Theo kế hoạch số 148/KH-UBND của tỉnh.", "Thực hiện Quyết định số 749/QĐ-TTg của Thủ tướng.",
                     "Nghị quyết 52-NQ/TW đã nêu rõ.", "Điều 5 của luật quy định rõ.", "Nghị định 100/2019/NĐ-CP.",
                     "Vụ việc xử lý theo Luật Xuất nhập cảnh 1992/45."],
    "labels": ["Dịch ở mức độ 3 tại địa phương.", "Ảnh 1 cho thấy hiện trường.", "Xem bảng 2 bên dưới.",
               "Thí sinh học cấp 3 tại trường huyện.", "Ông đã tiêm vắc xin mũi 1 tại bệnh viện.",
               "Bệnh tiểu đường túyp 2 ngày càng phổ biến."],
    "ordinals": ["Đại hội nhiệm kỳ thứ 3 khai mạc.", "Đội đá vòng 33 trên sân nhà.", "Anh dự thi lần thứ 5 rồi.",
                 "Bàn thắng ở phút 90 quyết định.", "Họ hòa ở hiệp 2.", "Ông là thủ môn số 1 của câu lạc bộ.",
                 "Khi con gái thứ hai của chị vào lớp một."],
    "list_markers": ["Thứ hai là nâng cao chất lượng.", "Thứ 2 tuần sau sẽ họp.", "1. Apple dẫn đầu danh sách.",
                     "Thí sinh cần đạt một trong các điều kiện: 1/ là học sinh giỏi; 2/ đạt giải cấp tỉnh."],
}


@pytest.mark.parametrize("family,text", [(f, t) for f, ts in NOT_MENTIONS.items() for t in ts])
def test_not_a_mention(family, text):
    assert spans(text) == [], family


def test_calendar_word_compounds_are_not_labels():
    assert spans("Tỉnh cung cấp 1.637 thủ tục trực tuyến.") == ["1.637"]
    assert spans("Mỗi năm 5.000 người nhập cư.") == ["5.000"]
    assert spans("Tỷ lệ lần lượt là 5% và 7%.") == ["5%", "7%"]


def test_numbers_continuing_a_label_list_are_not_mentions():
    assert spans("Kiến thức lớp 6, 7 và 8 là nền tảng.") == []
    assert spans("Đã tiêm vắc xin đợt 1 và 2 cho 5.000 người.") == ["5.000"]
    assert "60" in spans("Ba bệnh nhân lần lượt 70, 60 và 55 tuổi.")


@pytest.mark.parametrize("text", [
    "Bệnh nhân BN 2901 đã được chuyển về bệnh viện tỉnh.",
    "Thí sinh có thể chọn phương thức 3 tùy theo ngành học.",
])
def test_code_labels_are_not_counts(text):
    assert spans(text) == []


def test_textbook_grade_is_a_label():
    assert "6" not in spans("Nhà trường chọn bộ sách Ngữ văn 6 tập một cho học sinh.")


def test_counted_noun_after_a_place_label():
    assert one("Dự án mở rộng đường cao tốc 6 làn xe.", "6").kind == "count"
    assert spans("Xe khách đi trên cao tốc 5 về phía nam.") == []


# --- star grades ----------------------------------------------------------------------------------------------

def test_star_grade_is_a_level_not_a_count():
    assert spans("Đoàn khách lưu trú tại một khách sạn 4 sao gần biển.") == []
    assert spans("Ứng dụng nhận hàng trăm lượt đánh giá 1 sao.") == []


def test_meteors_and_moving_star_ratings_stay():
    assert "30" in spans("Đêm nay có thể thấy khoảng 30 sao băng mỗi giờ.")
    assert "2" in spans("Điểm của ứng dụng bị kéo xuống 2 sao chỉ sau một ngày.")
