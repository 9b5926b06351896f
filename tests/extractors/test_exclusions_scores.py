"""Match reports: scores, formations, substitution and goal minutes are not mentions."""
from __future__ import annotations

import pytest

from helpers import spans

NOT_MENTIONS = {
    "scores": ["Việt Nam thắng 2-1 trước Thái Lan.", "Trận đấu kết thúc với tỷ số 3-0.",
               "Đội thua 1-2 ngay trên sân nhà.",
               "Đội chủ nhà thắng 3-1 trước đối thủ."],       # a descending pair without a unit stays a score
    "formations": ["Đội hình (4-2-3-1) ra sân từ đầu."],
    "substitutions": ["Militao, Varane (Nacho 45), Marcelo (Gutierrez 64) đá chính."],
}


@pytest.mark.parametrize("family,text", [(f, t) for f, ts in NOT_MENTIONS.items() for t in ts])
def test_not_a_mention(family, text):
    assert spans(text) == [], family


def test_minute_marks_of_goals_are_not_mentions():
    found = spans("Bàn thắng: Torres (12', 58'); Silva (90'). Đội khách có 2 cầu thủ bị truất quyền thi đấu.")
    assert found == ["2"]
