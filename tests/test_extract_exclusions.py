"""Numbers that are not mentions (ANNOTATION.md sections 2 and 5b), each family with small sentences."""
from __future__ import annotations

import pytest

from test_extract_helpers import spans

NOT_MENTIONS = {
    "dates": ["Sáng 21/9, hội nghị khai mạc.", "Ngày 01/10/2023 là hạn chót.", "Kế hoạch ban hành tháng 9/2023.",
              "Từ năm 2025 tỉnh thay đổi.", "Kết quả quý 2 được công bố.", "Ngày 5 tháng 9 năm 2023 trời mưa.",
              "Giai đoạn 2021-2025 đã khép lại.", "Thế kỷ 21 mở ra nhiều cơ hội.", "Hôm 22-23/4 trời mưa."],
    "clock": ["Cuộc họp bắt đầu lúc 08:25 sáng.", "Xe xuất phát 10h30 tại bến.", "Lễ diễn ra lúc 9 giờ sáng.",
              "Trận đấu bắt đầu 19h."],
    "document_ids": ["Theo kế hoạch số 148/KH-UBND của tỉnh.", "Thực hiện Quyết định số 749/QĐ-TTg của Thủ tướng.",
                     "Nghị quyết 52-NQ/TW đã nêu rõ.", "Điều 5 của luật quy định rõ.", "Nghị định 100/2019/NĐ-CP."],
    "phones": ["Liên hệ đường dây nóng 114 khi cần.", "Gọi tổng đài 1900 1234 để được hỗ trợ.",
               "Số điện thoại 0912.345.678 của ông A."],
    "addresses": ["Cửa hàng ở ngõ 36 phố Huế.", "Trụ sở tại số 5 Lý Thường Kiệt."],
    "names": ["Mạng di động công nghệ 4G/5G phủ khắp.", "Dịch Covid-19 bùng phát.", "Cuộc cách mạng công nghiệp 4.0.",
              "Chiếc iPhone 12 được bán ra.", "Chương trình 135 hỗ trợ xã nghèo.", "Chợ Trung tâm 1 đông khách.",
              "Nhà ở Quận 3 tăng giá.", "Đội tuyển U23 đá giao hữu."],
    "labels": ["Dịch ở mức độ 3 tại địa phương.", "Ảnh 1 cho thấy hiện trường.", "Xem bảng 2 bên dưới."],
    "ordinals": ["Đại hội nhiệm kỳ thứ 3 khai mạc.", "Đội đá vòng 33 trên sân nhà.", "Anh dự thi lần thứ 5 rồi.",
                 "Bàn thắng ở phút 90 quyết định.", "Họ hòa ở hiệp 2."],
    "list_markers": ["Thứ hai là nâng cao chất lượng.", "Thứ 2 tuần sau sẽ họp."],
    "fixed_phrases": ["Đường hai chiều được mở.", "Cả hai đều đồng ý.", "Hai vợ chồng ông về quê.",
                      "Hai bên ký kết thỏa thuận."],
    "rate_bases": ["Số thuê bao/100 dân tăng lên.", "Tỷ lệ mắc trên 100.000 dân giảm."],
    "scores": ["Việt Nam thắng 2-1 trước Thái Lan.", "Trận đấu kết thúc với tỷ số 3-0."],
    "vague": ["Hàng trăm người đến xem.", "Dự án tốn nghìn tỷ đồng.", "Có hàng nghìn lượt khách."],
}


@pytest.mark.parametrize("family,text", [(f, t) for f, ts in NOT_MENTIONS.items() for t in ts])
def test_not_a_mention(family, text):
    assert spans(text) == [], family


def test_rate_keeps_the_rate_itself():
    assert spans("Đạt 150 thuê bao/100 dân.") == ["150"]


def test_digit_collective_is_a_count():
    assert spans("Cả 3 đều bị bắt.") == ["3"]


def test_duration_pointing_back_is_measure():
    assert spans("Ngôi chùa xây hơn 50 năm trước.") == ["50 năm"]


def test_two_days_keeps_duration_and_drops_dates():
    assert spans("Trong hai ngày 22 và 23/4 lễ hội diễn ra.") == ["hai ngày"]


def test_furniture_and_related_tail_are_left_to_the_cleaner():
    # The extractor takes the body it is given; the pipeline's cleaner (rules/furniture.yaml) finds it.
    from pipeline.api import extract

    text = ("Tỉnh có 300 hộ nghèo\n06:46 - Chủ Nhật, 01/01/2023 Lượt xem: 3095\nTỉnh có 300 hộ nghèo.\n"
            "Tin liên quan\nHà Nội có 500 ca mắc mới.")
    assert [r.text for r in extract(text)] == ["300", "300"]
    assert "3095" in spans(text) and "500" in spans(text)


def test_body_ranges_limit_extraction():
    from extractors import extract_mentions
    text = "Tiêu đề 5 người\nThân bài có 12 người."
    body = [(16, len(text))]
    assert [m.text for m in extract_mentions(text, body)] == ["12"]


MORE_NOT_MENTIONS = [
    "Đội hình (4-2-3-1) ra sân từ đầu.",
    "Militao, Varane (Nacho 45), Marcelo (Gutierrez 64) đá chính.",
    "Thí sinh học cấp 3 tại trường huyện.",
    "Ông là thủ môn số 1 của câu lạc bộ.",
    "Trạm trực 24/24 để hỗ trợ người dân.",
    "Kỳ nghỉ lễ 30/4 - 1/5 năm nay kéo dài.",
    "Ông đã tiêm vắc xin mũi 1 tại bệnh viện.",
    "Cửa hàng ở 52 Hàng Chiếu luôn đông khách.",
    "Đội thua 1-2 ngay trên sân nhà.",
    "1. Apple dẫn đầu danh sách.",
    "Chiếc Android TV 10 của Google có nhiều tính năng.",
    "Con là ba của mình.",
]


@pytest.mark.parametrize("text", MORE_NOT_MENTIONS)
def test_more_non_mentions(text):
    assert spans(text) == []


def test_fraction_after_share_word_is_ratio():
    assert spans("Các con nhận 1/3 và 1/6 cổ phần.") == ["1/3", "1/6"]
    assert spans("Có tới 1/4 dân số nhiễm bệnh.") == ["1/4"]


def test_calendar_word_compounds_are_not_labels():
    assert spans("Tỉnh cung cấp 1.637 thủ tục trực tuyến.") == ["1.637"]
    assert spans("Mỗi năm 5.000 người nhập cư.") == ["5.000"]
    assert spans("Tỷ lệ lần lượt là 5% và 7%.") == ["5%", "7%"]


def test_versions_after_software_names_are_not_mentions():
    assert spans("Apple phát hành iOS 14.5 chính thức.") == []
    assert spans("Ứng dụng chạy trên Android 11 trở lên.") == []


def test_bare_year_vs_round_count():
    assert spans("Từ 2019, công ty mở rộng.") == []
    assert spans("Khoảng 2000 người tham dự.") == ["2000"]


@pytest.mark.parametrize("text", [
    "Khách hàng dùng iPhone 13 vẫn chưa được cập nhật.",      # camel-case brand: a product name
    "Nhiều người đổi iPad 9 lấy máy mới.",
    "Ban Chỉ đạo 389 tỉnh Nghệ An đã họp.",                  # a body named with a number, then its province
    "Đề nghị Ban Chỉ đạo 35 huyện Yên Thành báo cáo.",
])
def test_numbers_inside_names_are_not_mentions(text):
    assert spans(text) == []


@pytest.mark.parametrize("text, expected", [
    ("Vắc xin mRNA hai liều đã được tiêm.", ["hai"]),           # spelled out after a brand: still a count
    ("Lũ quét qua hai tỉnh Sơn La và Lai Châu.", ["hai"]),      # a count of named provinces
    ("Đoàn công tác làm việc với 4 huyện Tĩnh Gia, Nông Cống.", ["4"]),
])
def test_counts_next_to_names_stay(text, expected):
    assert spans(text) == expected
