"""Contact details are not mentions: phone numbers (also in spaced digit groups) and street addresses."""
from __future__ import annotations

import pytest

from helpers import spans

NOT_MENTIONS = {
    "phones": ["Liên hệ đường dây nóng 114 khi cần.", "Gọi tổng đài 1900 1234 để được hỗ trợ.",
               "Số điện thoại 0912.345.678 của ông A.",
               "Văn phòng: (028)3 812 45 67 - Website: abc.vn",
               "Mọi thắc mắc xin liên hệ.\nHotline: 09 8 765 4321\n"],
    "addresses": ["Cửa hàng ở ngõ 36 phố Huế.", "Trụ sở tại số 5 Lý Thường Kiệt.",
                  "Cửa hàng ở 52 Hàng Chiếu luôn đông khách.",
                  "Văn phòng đại diện:\n- 25 Nguyễn Du, Quận Hai Bà Trưng\n"],
}


@pytest.mark.parametrize("family,text", [(f, t) for f, ts in NOT_MENTIONS.items() for t in ts])
def test_not_a_mention(family, text):
    assert spans(text) == [], family
