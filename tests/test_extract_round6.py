"""Round 6 families (docs/extraction.md, "Error analysis, round 6"): digits after a name ending before a verb,
stock tickers spelled like numerals, vague pairs "1, 2 năm", year lists and years in parentheses.
Sentences written for these tests."""
from __future__ import annotations

import pytest

from extractors import extract_mentions
from test_extract_helpers import spans as _spans


# --- a number ending a name, followed by a verb ---------------------------------------------------------

@pytest.mark.parametrize("text, name_part", [
    ("Hồ thủy điện Sông Bung 4 xả nước xuống hạ du từ chiều qua.", "4"),
    ("Bức ảnh do tàu thăm dò Pioneer 10 chụp năm 1973 vẫn được lưu giữ.", "10"),
    ("Trong đó, xăng RON 95 dùng cho xe đời mới vẫn giữ giá.", "95"),
    ("Giám đốc Bệnh viện Nhi Trung ương 2 cho biết đã tiếp nhận bệnh nhi.", "2"),
    ("Chiếc điện thoại Nova 7 chỉ có giá bán khoảng 8 triệu đồng.", "7"),
    ("Chùa Long Sơn 3 tiếp tục tổ chức lễ cầu an.", "3"),
])
def test_number_inside_a_name_before_a_verb_is_not_a_mention(text, name_part):
    assert name_part not in _spans(text)


def test_place_followed_by_counted_noun_stays_a_count():
    assert _spans("Trong ngày, Bắc Giang 12 ca, Bắc Ninh 7 ca và Đà Nẵng 3 trường hợp.") == ["12", "7", "3"]


def test_counted_noun_starting_with_a_follower_word_stays():
    assert "640" in _spans("Năm nay Trường THPT Lê Lợi 640 chỉ tiêu, tăng 40 so với năm trước.")


def test_follower_at_sentence_start_is_not_a_name():
    assert "5" in _spans("Khoảng 5 chiếc xe cùng lúc bị mắc kẹt.")


# --- stock tickers ---------------------------------------------------------------------------------------

def test_spelled_numeral_in_capitals_is_a_ticker_in_market_news():
    text = "Trên sàn HoSE, cổ phiếu ROS giảm 6,9%; HAI mất 5,2%, trong khi BA khớp lệnh 2 triệu đơn vị."
    spans = _spans(text)
    assert "HAI" not in spans and "BA" not in spans
    assert "6,9%" in spans and "5,2%" in spans


def test_capital_numeral_outside_market_news_stays():
    assert "HAI" in _spans("Vụ cháy khiến HAI nạn nhân bị bỏng nặng.")


# --- vague pairs "1, 2 năm" --------------------------------------------------------------------------------

@pytest.mark.parametrize("text", [
    "Trong 2, 3 năm tới, thành phố sẽ hoàn thành tuyến đường này.",
    "Mỗi ngày anh dành 1, 2 giờ để đọc sách.",
    "Bộ phim chỉ trụ rạp được một, hai tuần rồi rút.",
    "Chị làm nghề này đã đôi ba năm.",
])
def test_consecutive_numerals_joined_by_a_comma_are_vague(text):
    assert _spans(text) == []


def test_a_real_list_of_ages_is_kept():
    spans = _spans("Vắc xin được tiêm cho trẻ 6, 7, 8 tuổi trong 5 ngày.")
    assert "5 ngày" in spans


def test_non_consecutive_pair_is_kept():
    assert "5 năm" in _spans("Lãi suất tăng 2%, 5 năm liền không đổi.")


# --- year lists and years in parentheses --------------------------------------------------------------------

def test_year_continuing_a_list_of_years_is_not_a_count():
    assert _spans("Lợi nhuận năm 2018, 2019 lần lượt là 120 tỷ đồng và 150 tỷ đồng.") == ["120 tỷ đồng", "150 tỷ đồng"]
    assert "2021" not in _spans("GDP năm 2020 và 2021 lần lượt tăng 2,9% và 2,6%.")


@pytest.mark.parametrize("text", [
    "Ngôi chùa được dựng dưới thời nhà Mạc (1527-1592), nay đã được trùng tu.",
    "Nhà thơ Nguyễn Du (1766 - 1820) để lại nhiều tác phẩm.",
    "Đình được xây năm Nhâm Thìn (1832), có 5 gian.",
])
def test_years_in_parentheses_are_not_mentions(text):
    spans = _spans(text)
    assert not any(s[:1] == "1" and len(s) >= 4 for s in spans), spans


def test_figure_with_unit_in_parentheses_stays():
    assert "1.500" in _spans("Số hổ hoang dã giảm mạnh (còn khoảng 1.500 con) so với trước.")
    assert "1600 km" in _spans("Tuyến đường mới (1600 km) nối hai miền.")


# --- Fahrenheit ----------------------------------------------------------------------------------------------

def test_fahrenheit_is_a_temperature_unit_with_sign():
    found = {m.text: m for m in extract_mentions("Đêm xuống, nhiệt độ còn âm 40 độ F, ban ngày lên 95 độ F.")}
    assert found["âm 40 độ F"].value == -40 and found["âm 40 độ F"].unit == "°F"
    assert found["95 độ F"].kind == "measure"


# --- minute marks in match reports ---------------------------------------------------------------------------

def test_minute_marks_of_goals_are_not_mentions():
    spans = _spans("Bàn thắng: Torres (12', 58'); Silva (90'). Đội khách có 2 cầu thủ bị truất quyền thi đấu.")
    assert spans == ["2"]


# --- star grades -----------------------------------------------------------------------------------------------

def test_star_grade_is_a_level_not_a_count():
    assert _spans("Đoàn khách lưu trú tại một khách sạn 4 sao gần biển.") == []
    assert _spans("Ứng dụng nhận hàng trăm lượt đánh giá 1 sao.") == []


def test_meteors_and_moving_star_ratings_stay():
    assert "30" in _spans("Đêm nay có thể thấy khoảng 30 sao băng mỗi giờ.")
    assert "2" in _spans("Điểm của ứng dụng bị kéo xuống 2 sao chỉ sau một ngày.")
