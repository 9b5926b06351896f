"""Spelled-out numerals that are words, not numbers: pronouns ("hai người", "giữa hai"), fixed phrases
("cả hai", "hai bên"), homographs ("chín chắn", "một tỷ lệ"); and the real counts next to them."""
from __future__ import annotations

import pytest

from helpers import one, spans

NOT_MENTIONS = {
    "fixed_phrases": ["Đường hai chiều được mở.", "Cả hai đều đồng ý.", "Hai vợ chồng ông về quê.",
                      "Hai bên ký kết thỏa thuận."],
    "pronouns": ["Con là ba của mình."],
}


@pytest.mark.parametrize("family,text", [(f, t) for f, ts in NOT_MENTIONS.items() for t in ts])
def test_not_a_mention(family, text):
    assert spans(text) == [], family


def test_digit_collective_is_a_count():
    assert spans("Cả 3 đều bị bắt.") == ["3"]


# --- "hai người" as a pronoun ----------------------------------------------------------------------------------

@pytest.mark.parametrize("text", [
    "Mối quan hệ giữa hai người ngày càng tốt đẹp.",
    "Hai người từng hẹn hò trong một thời gian ngắn.",
    "Họ chăm sóc con gái chung của hai người.",
])
def test_pair_pronoun_hai_nguoi_is_not_a_count(text):
    assert spans(text) == []


@pytest.mark.parametrize("text, span", [
    ("Vụ cháy khiến hai người tử vong.", "hai"),
    ("Bà có hai người con đang sống ở nước ngoài.", "hai"),
    ("Năm ngoái chị kết bạn với hai người đẹp nổi tiếng.", "hai"),
])
def test_hai_nguoi_as_a_real_count_stays(text, span):
    assert one(text, span).kind == "count"


# --- "giữa hai" -------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("text", [
    "Quan hệ hữu nghị giữa hai quốc gia ngày càng bền chặt.",
    "Trong giờ nghỉ giữa hai hiệp, huấn luyện viên đã thay người.",
])
def test_spelled_number_after_giua_is_a_pronoun(text):
    assert spans(text) == []


def test_digit_after_giua_stays_a_count():
    assert spans("Khoảng cách giữa 2 đội là 8 điểm.") == ["2", "8 điểm"]


# --- homographs: "một tỷ lệ" (a rate), "chín chắn" (mature) ------------------------------------------------------

@pytest.mark.parametrize("text", [
    "Nghiên cứu cho thấy một tỷ lệ nhỏ người bệnh có biến chứng.",
    "Đó là một tỉ lệ rất cao so với các nước trong khu vực.",
])
def test_mot_ty_le_is_not_a_billion(text):
    assert spans(text) == []


def test_real_billion_stays():
    assert one("Doanh thu đạt một tỷ đồng trong tháng đầu.", "một tỷ đồng").value == 1e9


@pytest.mark.parametrize("text", [
    "Anh ấy đã chín chắn hơn nhiều sau khi đi làm.",
    "Thời cơ đã chín muồi cho cải cách.",
])
def test_chin_as_mature_is_not_nine(text):
    assert spans(text) == []


def test_chin_as_nine_stays():
    assert one("Đội bóng đã thắng chín trận liên tiếp.", "chín").value == 9
