"""Vague quantities are not mentions: "hàng trăm", "nghìn tỷ", and consecutive pairs such as "1, 2 năm"."""
from __future__ import annotations

import pytest

from helpers import spans

NOT_MENTIONS = {
    "vague": ["Hàng trăm người đến xem.", "Dự án tốn nghìn tỷ đồng.", "Có hàng nghìn lượt khách."],
}


@pytest.mark.parametrize("family,text", [(f, t) for f, ts in NOT_MENTIONS.items() for t in ts])
def test_not_a_mention(family, text):
    assert spans(text) == [], family


# --- vague pairs "1, 2 năm" -------------------------------------------------------------------------------------

@pytest.mark.parametrize("text", [
    "Trong 2, 3 năm tới, thành phố sẽ hoàn thành tuyến đường này.",
    "Mỗi ngày anh dành 1, 2 giờ để đọc sách.",
    "Bộ phim chỉ trụ rạp được một, hai tuần rồi rút.",
    "Chị làm nghề này đã đôi ba năm.",
])
def test_consecutive_numerals_joined_by_a_comma_are_vague(text):
    assert spans(text) == []


def test_a_real_list_of_ages_is_kept():
    found = spans("Vắc xin được tiêm cho trẻ 6, 7, 8 tuổi trong 5 ngày.")
    assert "5 ngày" in found


def test_non_consecutive_pair_is_kept():
    assert "5 năm" in spans("Lãi suất tăng 2%, 5 năm liền không đổi.")
