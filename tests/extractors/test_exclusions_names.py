"""Numbers inside names are not mentions: products, models, versions, bodies, stock tickers, quoted numbers."""
from __future__ import annotations

import pytest

from helpers import one, spans

NOT_MENTIONS = {
    "names": ["Mạng di động công nghệ 4G/5G phủ khắp.", "Dịch Covid-19 bùng phát.", "Cuộc cách mạng công nghiệp 4.0.",
              "Chiếc iPhone 12 được bán ra.", "Chương trình 135 hỗ trợ xã nghèo.", "Chợ Trung tâm 1 đông khách.",
              "Nhà ở Quận 3 tăng giá.", "Đội tuyển U23 đá giao hữu.",
              "Chiếc Android TV 10 của Google có nhiều tính năng."],
    # a model suffix ("Ultra", "Pro") after the number marks a product name
    "models": ["Cửa hàng bán cả Galaxy S21 và 21 Ultra chính hãng."],
}


@pytest.mark.parametrize("family,text", [(f, t) for f, ts in NOT_MENTIONS.items() for t in ts])
def test_not_a_mention(family, text):
    assert spans(text) == [], family


def test_versions_after_software_names_are_not_mentions():
    assert spans("Apple phát hành iOS 14.5 chính thức.") == []
    assert spans("Ứng dụng chạy trên Android 11 trở lên.") == []


def test_spaced_disease_name_is_not_a_count():
    assert "19" not in spans("Tỉnh tăng cường phòng chống dịch Covid - 19 tại các chợ.")


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


# --- model lists ---------------------------------------------------------------------------------------------

def test_model_list_repeating_the_product_number_is_a_name():
    text = "Lỗi xảy ra trên iPhone 13 mini, 13, 13 Pro và 13 Pro Max."
    assert "13" not in spans(text)


def test_a_count_after_a_model_name_is_kept():
    assert one("Hãng bán Galaxy S21 cho 13 khách hàng.", "13").kind == "count"
    assert one("Phút 70, hai cầu thủ vào sân.", "hai").kind == "count"


# --- a number ending a name, followed by a verb -------------------------------------------------------------

@pytest.mark.parametrize("text, name_part", [
    ("Hồ thủy điện Sông Bung 4 xả nước xuống hạ du từ chiều qua.", "4"),
    ("Bức ảnh do tàu thăm dò Pioneer 10 chụp năm 1973 vẫn được lưu giữ.", "10"),
    ("Trong đó, xăng RON 95 dùng cho xe đời mới vẫn giữ giá.", "95"),
    ("Giám đốc Bệnh viện Nhi Trung ương 2 cho biết đã tiếp nhận bệnh nhi.", "2"),
    ("Chiếc điện thoại Nova 7 chỉ có giá bán khoảng 8 triệu đồng.", "7"),
    ("Chùa Long Sơn 3 tiếp tục tổ chức lễ cầu an.", "3"),
])
def test_number_inside_a_name_before_a_verb_is_not_a_mention(text, name_part):
    assert name_part not in spans(text)


def test_place_followed_by_counted_noun_stays_a_count():
    assert spans("Trong ngày, Bắc Giang 12 ca, Bắc Ninh 7 ca và Đà Nẵng 3 trường hợp.") == ["12", "7", "3"]


def test_counted_noun_starting_with_a_follower_word_stays():
    assert "640" in spans("Năm nay Trường THPT Lê Lợi 640 chỉ tiêu, tăng 40 so với năm trước.")


def test_follower_at_sentence_start_is_not_a_name():
    assert "5" in spans("Khoảng 5 chiếc xe cùng lúc bị mắc kẹt.")


# --- stock tickers spelled like numerals ----------------------------------------------------------------------

def test_spelled_numeral_in_capitals_is_a_ticker_in_market_news():
    text = "Trên sàn HoSE, cổ phiếu ROS giảm 6,9%; HAI mất 5,2%, trong khi BA khớp lệnh 2 triệu đơn vị."
    found = spans(text)
    assert "HAI" not in found and "BA" not in found
    assert "6,9%" in found and "5,2%" in found


def test_capital_numeral_outside_market_news_stays():
    assert "HAI" in spans("Vụ cháy khiến HAI nạn nhân bị bỏng nặng.")


# --- a number alone in quotes ---------------------------------------------------------------------------------

@pytest.mark.parametrize("text", [
    'Chiếc xe tăng mang số hiệu "512" đã được đưa về bảo tàng.',
    "Nhiều người kiêng con số “13” khi chọn căn hộ.",
])
def test_a_number_alone_in_quotes_is_a_name(text):
    assert spans(text) == []


def test_quoted_amount_with_unit_stays():
    assert spans('Khoản vay "500 triệu đồng" đã được giải ngân.') == ["500 triệu đồng"]
