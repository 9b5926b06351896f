"""Time: the period a figure refers to, not the comparison base nor a year inside a name."""
from __future__ import annotations

import pytest

from helpers import one

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


def test_birth_year_is_not_the_time():
    assert one("Chị N. (SN 1996) và 71 trường hợp F1 ngày 30/4.", "71").time == "ngày 30/4"


def test_time_skips_comparison_base():
    text = "Tổng tài sản tính đến 31/12/2022 đạt 500 tỷ đồng, tăng 12% so với 31/12/2021."
    assert one(text, "12%").time == "31/12/2022"
    assert one("Lợi nhuận tăng 9% so với năm 2019.", "9%").time is None


def test_year_in_a_name_is_not_a_time():
    assert one("Phim nhận 3 đề cử tại Oscar 2021.", "3").time is None
    assert one("Doanh thu 2020 đạt 5 tỷ đồng.", "5 tỷ đồng").time == "2020"
