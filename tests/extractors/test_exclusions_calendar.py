"""Calendar numbers that are not mentions: dates, clock times, years, periods and eras (ANNOTATION.md section 2)."""
from __future__ import annotations

import pytest

from helpers import mentions, one, spans

NOT_MENTIONS = {
    "dates": ["Sáng 21/9, hội nghị khai mạc.", "Ngày 01/10/2023 là hạn chót.", "Kế hoạch ban hành tháng 9/2023.",
              "Từ năm 2025 tỉnh thay đổi.", "Kết quả quý 2 được công bố.", "Ngày 5 tháng 9 năm 2023 trời mưa.",
              "Giai đoạn 2021-2025 đã khép lại.", "Thế kỷ 21 mở ra nhiều cơ hội.", "Hôm 22-23/4 trời mưa.",
              "Kỳ nghỉ lễ 30/4 - 1/5 năm nay kéo dài."],
    "clock": ["Cuộc họp bắt đầu lúc 08:25 sáng.", "Xe xuất phát 10h30 tại bến.", "Lễ diễn ra lúc 9 giờ sáng.",
              "Trận đấu bắt đầu 19h.", "Trạm trực 24/24 để hỗ trợ người dân."],
    # a span of years is a period, also written with words or with an old start year
    "periods": ["Biểu ngữ ghi 'RIP Football 1863-2021' trước sân.", "Ông làm đại sứ từ 1995 đến 1999."],
    "eras": ["Triều đại này kéo dài từ năm 206 TCN đến năm 220 SCN."],
}


@pytest.mark.parametrize("family,text", [(f, t) for f, ts in NOT_MENTIONS.items() for t in ts])
def test_not_a_mention(family, text):
    assert spans(text) == [], family


def test_bare_year_vs_round_count():
    assert spans("Từ 2019, công ty mở rộng.") == []
    assert spans("Khoảng 2000 người tham dự.") == ["2000"]


def test_duration_pointing_back_is_measure():
    assert spans("Ngôi chùa xây hơn 50 năm trước.") == ["50 năm"]


def test_two_days_keeps_duration_and_drops_dates():
    assert spans("Trong hai ngày 22 và 23/4 lễ hội diễn ra.") == ["hai ngày"]


def test_brightness_is_not_a_time_of_day():
    assert [m.text for m in mentions("Màn hình có độ sáng 1.600 nit.")] == ["1.600"]


# --- lists of months and years ---------------------------------------------------------------------------

def test_calendar_list_continuation_is_not_a_count():
    assert "11" not in spans("Mùa thu hoạch là tháng 10, 11 âm lịch hằng năm.")
    assert "7" not in spans("Trong tháng 6, 7 có mưa lớn.")


def test_count_after_a_month_list_is_kept():
    assert one("Tháng 5, 12 người đã bị bắt.", "12").kind == "count"


def test_year_continuing_a_list_of_years_is_not_a_count():
    assert spans("Lợi nhuận năm 2018, 2019 lần lượt là 120 tỷ đồng và 150 tỷ đồng.") == ["120 tỷ đồng", "150 tỷ đồng"]
    assert "2021" not in spans("GDP năm 2020 và 2021 lần lượt tăng 2,9% và 2,6%.")


# --- years in parentheses (life spans, reigns, construction years) ----------------------------------------

@pytest.mark.parametrize("text", [
    "Ngôi chùa được dựng dưới thời nhà Mạc (1527-1592), nay đã được trùng tu.",
    "Nhà thơ Nguyễn Du (1766 - 1820) để lại nhiều tác phẩm.",
    "Đình được xây năm Nhâm Thìn (1832), có 5 gian.",
])
def test_years_in_parentheses_are_not_mentions(text):
    found = spans(text)
    assert not any(s[:1] == "1" and len(s) >= 4 for s in found), found


def test_figure_with_unit_in_parentheses_stays():
    assert "1.500" in spans("Số hổ hoang dã giảm mạnh (còn khoảng 1.500 con) so với trước.")
    assert "1600 km" in spans("Tuyến đường mới (1600 km) nối hai miền.")
