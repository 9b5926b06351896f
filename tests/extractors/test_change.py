"""Change: whether a figure is an increase, a decrease, or a level reached (no change)."""
from __future__ import annotations

import pytest

from helpers import one

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


def test_corresponding_figure_inherits_change():
    text = "Chỉ số giảm 10,39 điểm, tương ứng 0,81%."
    assert one(text, "0,81%").change == "decrease"
