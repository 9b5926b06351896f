"""The base of a rate ("/100 dân", "trên 100.000 dân") is not a mention; the rate itself and bounds stay."""
from __future__ import annotations

import pytest

from helpers import one, spans

NOT_MENTIONS = {
    "rate_bases": ["Số thuê bao/100 dân tăng lên.", "Tỷ lệ mắc trên 100.000 dân giảm."],
}


@pytest.mark.parametrize("family,text", [(f, t) for f, ts in NOT_MENTIONS.items() for t in ts])
def test_not_a_mention(family, text):
    assert spans(text) == [], family


def test_rate_keeps_the_rate_itself():
    assert spans("Đạt 150 thuê bao/100 dân.") == ["150"]


def test_rate_base_is_still_excluded():
    assert "100.000" not in spans("Tỷ lệ mắc là 35 ca trên 100.000 dân.")


def test_tren_before_count_is_a_bound_not_a_rate_base():
    m = one("Ban tổ chức dự kiến đón trên 20.000 người trong dịp lễ.", "20.000")
    assert (m.kind, m.qualifier) == ("count", "gt")
