"""Qualifiers: bounds and approximations before or after a figure (more than, at least, about, ...)."""
from __future__ import annotations

import pytest

from helpers import one

QUALIFIERS = [
    ("Có hơn 1.000 tổ công nghệ số.", "1.000", "gt"),
    ("Thu hút trên 500 doanh nghiệp.", "500", "gt"),
    ("Ít nhất 4 người thiệt mạng.", "4", "ge"),
    ("Tối thiểu 30 ngày làm việc.", "30 ngày", "ge"),
    ("Đạt gần 14,96% GDP.", "14,96%", "approx"),
    ("Khoảng 200 hộ bị ảnh hưởng.", "200", "approx"),
    ("Ước tính 3 triệu người xem.", "3 triệu", "approx"),
    ("Dưới 10% số hộ còn nghèo.", "10%", "lt"),
    ("Chưa đến 5 năm đã hoàn thành.", "5 năm", "lt"),
    ("Tối đa 20 người mỗi phòng.", "20", "le"),
    ("Không quá 2 giờ mỗi lượt.", "2 giờ", "le"),
    ("Người từ 60 tuổi trở lên được miễn.", "60 tuổi", "ge"),
    ("Trẻ từ 5 tuổi trở xuống được miễn.", "5 tuổi", "le"),
    ("Điểm của Việt Nam cao hơn Malaysia 2 điểm.", "2 điểm", "eq"),
    ("Giá giảm đến 10% trong tuần.", "10%", "eq"),
    ("Khoảng hơn 20 hộ di dời.", "20", "gt"),
    ("Có 35 người tham dự.", "35", "eq"),
]


@pytest.mark.parametrize("text,span,qual", QUALIFIERS)
def test_qualifier(text, span, qual):
    assert one(text, span).qualifier == qual


def test_preposition_is_not_a_bound():
    assert one("Vắc xin dựa trên 2 công nghệ chính.", "2").qualifier == "eq"
    assert one("Có trên 200 người tham dự.", "200").qualifier == "gt"


def test_average_across_comma_is_approx():
    assert one("Trung bình, mỗi người dân có 3 tài khoản.", "3").qualifier == "approx"
