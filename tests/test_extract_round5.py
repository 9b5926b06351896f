"""Round 5 families (docs/extraction.md, "Error analysis, round 5"): precision of `count` (flattened tables,
phone digit groups, "một tỷ lệ", "giữa hai ...", "1 trong N", code labels) and quota modality.
Sentences written for these tests."""
from __future__ import annotations

import pytest

from test_extract_helpers import one as _one, spans as _spans


# --- flattened tables -----------------------------------------------------------------------------------

def test_cells_of_a_multi_column_table_are_not_mentions():
    table = "TT\nNgành\n1\nKế toán\n200\n215\n24.5\n210\n(A00, A01)\n2\nLuật\n90\n84\n23.1\n95\n(A00, D01)\n"
    assert _spans(table) == []


def test_numbers_side_by_side_on_one_line_are_table_cells():
    assert _spans("Khoa Hóa học 45 52 21.75 50 Khoa Sinh học") == []
    assert _spans("Trường Đại học A 1.250.000 4.000.000 Trường Đại học B") == []


def test_one_value_per_row_column_stays():
    assert _spans("TT\nNgành\nChỉ tiêu\n1\nKế toán\n230\n2\nLuật\n60\n") == ["230", "60"]


def test_two_numbers_with_a_counted_noun_after_stay():
    assert _spans("Trong năm 2020 45 doanh nghiệp mới được thành lập.") == ["45"]


def test_spaced_phone_digit_groups_are_not_mentions():
    assert _spans("Văn phòng: (028)3 812 45 67 - Website: abc.vn") == []


# --- words that look like numbers ---------------------------------------------------------------------

@pytest.mark.parametrize("text", [
    "Nghiên cứu cho thấy một tỷ lệ nhỏ người bệnh có biến chứng.",
    "Đó là một tỉ lệ rất cao so với các nước trong khu vực.",
])
def test_mot_ty_le_is_not_a_billion(text):
    assert _spans(text) == []


def test_real_billion_stays():
    assert _one("Doanh thu đạt một tỷ đồng trong tháng đầu.", "một tỷ đồng").value == 1e9


@pytest.mark.parametrize("text", [
    "Quan hệ hữu nghị giữa hai quốc gia ngày càng bền chặt.",
    "Trong giờ nghỉ giữa hai hiệp, huấn luyện viên đã thay người.",
])
def test_spelled_number_after_giua_is_a_pronoun(text):
    assert _spans(text) == []


def test_digit_after_giua_stays_a_count():
    assert _spans("Khoảng cách giữa 2 đội là 8 điểm.") == ["2", "8 điểm"]


def test_one_of_n_keeps_only_the_n():
    assert _spans("Bệnh viện này là 1 trong 5 bệnh viện hạng đặc biệt.") == ["5"]
    assert _spans("Thành phố được chọn là 1 trong những điểm đến hấp dẫn.") == []


def test_one_in_n_as_a_proportion_keeps_the_one():
    assert _spans("Khảo sát cho thấy có tới 1 trong 5 người bị mất ngủ.") == ["1", "5"]


@pytest.mark.parametrize("text", [
    "Bệnh nhân BN 2901 đã được chuyển về bệnh viện tỉnh.",
    "Thí sinh có thể chọn phương thức 3 tùy theo ngành học.",
])
def test_code_labels_are_not_counts(text):
    assert _spans(text) == []


# --- quota modality -----------------------------------------------------------------------------------

@pytest.mark.parametrize("text,span", [
    ("Năm nay trường xét tuyển 620 chỉ tiêu cho 12 ngành.", "620"),
    ("Sở đã phê duyệt 300 chỉ tiêu tuyển sinh lớp 10.", "300"),
])
def test_enrolment_quota_is_a_target(text, span):
    assert _one(text, span).modality == "target"


def test_count_of_indicators_stays_actual():
    assert _one("Trong 19 chỉ tiêu của chương trình, quận đã đạt 15 chỉ tiêu.", "19").modality == "actual"
    assert _one("Trường đã hoàn thành chỉ tiêu tuyển sinh với 540 chỉ tiêu được lấp đầy.", "540").modality == "actual"


@pytest.mark.parametrize("text", [
    'Chiếc xe tăng mang số hiệu "512" đã được đưa về bảo tàng.',
    "Nhiều người kiêng con số “13” khi chọn căn hộ.",
])
def test_a_number_alone_in_quotes_is_a_name(text):
    assert _spans(text) == []


def test_quoted_amount_with_unit_stays():
    assert _spans('Khoản vay "500 triệu đồng" đã được giải ngân.') == ["500 triệu đồng"]


@pytest.mark.parametrize("text", [
    "Anh ấy đã chín chắn hơn nhiều sau khi đi làm.",
    "Thời cơ đã chín muồi cho cải cách.",
])
def test_chin_as_mature_is_not_nine(text):
    assert _spans(text) == []


def test_chin_as_nine_stays():
    assert _one("Đội bóng đã thắng chín trận liên tiếp.", "chín").value == 9
