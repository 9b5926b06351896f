"""Every mention carries its normalized period and place (ANNOTATION.md section 7) and its sentence offsets."""
from __future__ import annotations

from extractors import extract_mentions

TEXT = ("Năm 2023, kinh tế số chiếm 12,5% GRDP của tỉnh Đắk Lắk. Tháng 9, TP.HCM có 1.426 tổ công nghệ số. "
        "Năm nay tỉnh Quảng Nam đạt 80% kế hoạch.")


def _by_text(published=None):
    return {m.text: m for m in extract_mentions(TEXT, published=published)}


def test_period_and_place_are_normalized_with_their_rule_ids():
    m = _by_text("2023-10-01")
    assert (m["12,5%"].period, m["12,5%"].place) == ("2023", "Đắk Lắk")
    assert (m["1.426"].period, m["1.426"].place) == ("2023-09", "Hồ Chí Minh")   # the year from publication
    assert "period.year" in m["12,5%"].rules and "place.alias" in m["1.426"].rules
    assert m["80%"].time is None and m["80%"].period == "2023"                   # "Năm nay": a relative phrase


def test_without_a_publication_date_a_month_has_no_year():
    m = _by_text()
    assert m["1.426"].period is None and m["12,5%"].period == "2023"


def test_sentence_offsets_hold_the_mention():
    for m in extract_mentions(TEXT):
        assert m.sentence_start <= m.start < m.end <= m.sentence_end
        assert TEXT[m.sentence_start:m.sentence_end].strip().endswith(".")
