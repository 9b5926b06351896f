"""Fixed phrases with numbers are not counts ("3 trong 1", "1 đổi 1", "2 con số"), nor is the "1" of "1 trong N"."""
from __future__ import annotations

import pytest

from helpers import mentions, spans


@pytest.mark.parametrize("text", [
    "Chiếc máy xay 3 trong 1 rất tiện cho nhà bếp.",
    "Cửa hàng áp dụng chính sách 1 đổi 1 trong 30 ngày.",
    "Doanh thu của hãng tăng trưởng 2 con số suốt nhiều năm.",
    "Cô bé theo học múa ba lê từ nhỏ.",
    "Chiếc xe dừng lại ở ngã ba gần chợ.",
    "Anh làm việc mười mấy tiếng mỗi ngày.",
])
def test_fixed_phrases_are_not_counts(text):
    kept = [m.text for m in mentions(text) if m.kind == "count"]
    assert kept in ([], ["30 ngày"]), kept


def test_one_of_n_keeps_only_the_n():
    assert spans("Bệnh viện này là 1 trong 5 bệnh viện hạng đặc biệt.") == ["5"]
    assert spans("Thành phố được chọn là 1 trong những điểm đến hấp dẫn.") == []


def test_one_in_n_as_a_proportion_keeps_the_one():
    assert spans("Khảo sát cho thấy có tới 1 trong 5 người bị mất ngủ.") == ["1", "5"]
