"""Periods (ANNOTATION.md section 7): time phrases and relative phrases normalized to ISO 8601 forms."""
from __future__ import annotations

import datetime
import json
from pathlib import Path

import pytest
import regex
from hypothesis import given, settings
from hypothesis import strategies as st

from extractors.periods import (_example_contradiction, check_period_rules, example_failures, parse_published,
                                period_of, period_rule_ids, relative_period)
from rules import RuleError, load_rules, use_rules

ROOT = Path(__file__).resolve().parents[2]
SHARED = ROOT.parent / "shared"
ISO = regex.compile(r"(?P<a>\d{4}(?:-\d{2}(?:-\d{2})?)?)(?:/(?P<b>\d{4}(?:-\d{2}(?:-\d{2})?)?))?")


def assert_iso(period: str | None) -> None:
    """A period is None or one of section 7's forms; an interval's ends share a precision and ascend."""
    if period is None:
        return
    m = ISO.fullmatch(period)
    assert m, period
    if m["b"]:
        assert len(m["a"]) == len(m["b"]) and m["a"] < m["b"], period


# (time phrase, publication date, sentence, period): the guideline's examples first.
GUIDELINE = [
    ("năm 2023", "2023-10-01", "", "2023"),
    ("tháng 9/2023", "2023-10-01", "", "2023-09"),
    ("ngày 21/9/2023", "2023-10-01", "", "2023-09-21"),
    ("6 tháng đầu năm 2023", "2023-10-01", "", "2023-01/2023-06"),
    ("quý 2/2023", "2023-10-01", "", "2023-04/2023-06"),
    ("giai đoạn 2021-2025", "2023-10-01", "", "2021/2025"),
    ("từ tháng 3 đến tháng 5/2022", "2023-10-01", "", "2022-03/2022-05"),
    ("năm học 2022-2023", "2023-10-01", "", "2022/2023"),
    ("10 tháng năm 2013", "2013-11-05", "", "2013-01/2013-10"),
    ("tính đến tháng 9/2023", "2023-10-01", "", "2023-09"),
    ("đến năm 2025", "2023-10-01", "phấn đấu đến năm 2025 đạt 80%", "2025"),
    ("đến nay", "2023-10-01", "", None),
    ("hiện nay", "2023-10-01", "", None),
    ("tháng 9", "2023-10-01", "", "2023-09"),
    ("năm nay", "2023-10-01", "", "2023"),
    ("năm ngoái", "2023-10-01", "", "2022"),
    ("năm trước", "2023-10-01", "", "2022"),
    ("tháng trước", "2023-10-01", "", "2023-09"),
    ("năm nay", None, "", None),
    ("cùng kỳ năm trước", "2023-10-01", "", None),
    ("mỗi năm", "2023-10-01", "", None),
]

# The forms named in the task, the choices of docs/extraction.md ("Periods"), and their edges.
CHOICES = [
    ("quý I/2023", None, "", "2023-01/2023-03"),
    ("quý II/2023", None, "", "2023-04/2023-06"),
    ("quý III năm 2023", None, "", "2023-07/2023-09"),
    ("Quý IV/2022", None, "", "2022-10/2022-12"),
    ("quý 4", "2024-02-10", "", "2023-10/2023-12"),      # a quarter starting after the publication month
    ("quý 1", "2024-02-10", "", "2024-01/2024-03"),
    ("quý 5/2023", None, "", None),
    ("nửa đầu năm 2023", None, "", "2023-01/2023-06"),
    ("nửa cuối năm", "2023-10-15", "", "2023-07/2023-12"),
    ("6 tháng cuối năm", "2023-10-15", "", "2023-07/2023-12"),
    ("6 tháng cuối năm", "2024-03-01", "", "2023-07/2023-12"),
    ("9 tháng đầu năm", "2023-10-15", "", "2023-01/2023-09"),
    ("chín tháng đầu năm 2019", None, "", "2019-01/2019-09"),
    ("12 tháng đầu năm 2022", None, "", "2022"),
    ("13 tháng đầu năm 2022", None, "", None),
    ("cuối năm 2023", None, "", "2023"),
    ("hết năm 2023", None, "", "2023"),
    ("cuối tháng 9/2023", None, "", "2023-09"),
    ("đầu năm 2023", None, "", None),
    ("giữa tháng 9", "2023-10-15", "", None),
    ("đầu năm", "2023-10-15", "", None),
    ("từ đầu năm 2023 đến tháng 9", None, "", "2023-01/2023-09"),
    ("năm 2023-2024", None, "", "2023/2024"),
    ("niên vụ 2022/2023", None, "", "2022/2023"),
    ("niên vụ 2022-23", None, "", "2022/2023"),
    ("mùa giải 2022/23", None, "", "2022/2023"),
    ("năm tài chính 2023", None, "", "2023"),
    ("21/9/2023", None, "", "2023-09-21"),
    ("ngày 21-9", "2023-10-01", "", "2023-09-21"),
    ("21.9.2023", None, "", "2023-09-21"),
    ("ngày 21 tháng 9 năm 2023", None, "", "2023-09-21"),
    ("ngày 21/9", "2023-03-01", "", "2022-09-21"),
    ("31/12/2022", None, "", "2022-12-31"),
    ("ngày 29/2/2023", None, "", None),
    ("ngày 29/2/2024", None, "", "2024-02-29"),
    ("tháng Giêng", "2023-03-01", "", None),
    ("tháng Chạp", "2023-03-01", "", None),
    ("tháng giêng năm 2023", None, "", None),
    ("tháng Tám", "2023-10-01", "", "2023-08"),
    ("tháng Mười Hai", "2023-10-01", "", "2022-12"),
    ("tháng Năm", "2023-10-01", "", "2023-05"),
    ("tháng năm", "2023-10-01", "", None),                # "months and years", not May
    ("tháng 13", "2023-10-01", "", None),
    ("hằng năm", "2023-10-01", "", None),
    ("Mỗi tháng", "2023-10-01", "", None),
    ("năm qua", "2023-10-01", "", None),
    ("năm tới", "2023-10-01", "", "2024"),
    ("tháng này", "2023-10-01", "", "2023-10"),
    ("tháng trước", "2024-01-05", "", "2023-12"),
    ("quý trước", "2024-01-05", "", "2023-10/2023-12"),
    ("hôm qua", "2024-03-01", "", "2024-02-29"),
    ("hôm nay", "2024-03", "", None),
    ("tháng 9 năm ngoái", "2023-05-01", "", "2022-09"),
    ("quý I năm nay", "2023-05-01", "", "2023-01/2023-03"),
    ("6 tháng đầu năm nay", "2023-05-01", "", "2023-01/2023-06"),
    ("10 tháng năm nay", "2023-11-20", "", "2023-01/2023-10"),
    ("cuối năm ngoái", "2023-05-01", "", "2022"),
    ("tháng 3 tới", "2023-10-01", "", "2024-03"),
    ("tháng 11 vừa qua", "2024-02-10", "", "2023-11"),
    ("từ năm 2020", "2023-10-01", "", None),
    ("kể từ ngày 1/7/2023", "2023-10-01", "", None),
    ("từ năm 2020 đến nay", "2023-10-01", "", None),
    ("từ năm 2020 trở lại đây", "2023-10-01", "", None),
    ("từ năm 2020 đến năm 2023", None, "", "2020/2023"),
    ("từ 2016 - 2020", None, "", "2016/2020"),
    ("từ tháng 10/2022 đến tháng 3/2023", None, "", "2022-10/2023-03"),
    ("từ tháng 11 đến tháng 2", "2024-03-10", "", "2023-11/2024-02"),
    ("tháng 3-5/2022", None, "", "2022-03/2022-05"),
    ("từ 1/3 đến 31/3/2023", None, "", "2023-03"),
    ("từ ngày 1/1 đến 31/12/2022", None, "", "2022"),
    ("ngày 22-23/4", "2023-05-01", "", "2023-04-22/2023-04-23"),
    ("từ 30/4 - 1/5", "2023-05-10", "", "2023-04-30/2023-05-01"),
    ("từ năm 2025 đến năm 2021", None, "", None),
    ("đến hết quý III/2023", None, "", "2023-09"),
    ("tính đến ngày 21/9", "2023-10-01", "", "2023-09-21"),
    ("đến cuối năm 2025", None, "", "2025"),
    ("trong năm 2023", None, "", "2023"),
    ("Trong quý 2", "2023-10-01", "", "2023-04/2023-06"),
    ("thập niên 1990", None, "", "1990/1999"),
    ("2023", None, "", "2023"),
    ("9/2023", None, "", "2023-09"),
    ("tháng 9-2023", None, "", "2023-09"),
    ("tháng 9.2023", None, "", "2023-09"),
    ("tháng 9 2023", None, "", "2023-09"),
    ("  Tháng   9/2023,", None, "", "2023-09"),
    ("tháng 9", None, "", None),                         # no year anywhere
    ("tháng 9", "2023", "", None),                       # a publication year without its month
    ("6 tháng đầu năm", "2023", "", "2023-01/2023-06"),  # ...is enough for a period starting in January
    ("nhiều năm", "2023-10-01", "", None),
    ("năm trước đó", "2023-10-01", "", None),
    ("tháng 9 trước đó", "2023-10-01", "", None),
    ("năm", "2023-10-01", "Trong năm, tỉnh có 5 ca.", None),
    ("đến hết năm", "2023-10-01", "", "2023"),
    ("cuối năm", "2023-10-01", "", "2023"),
    ("trung tuần tháng 4", "2023-10-01", "", None),
    ("tính đến 6 tháng đầu năm", "2023-10-01", "", "2023-06"),
    ("thập niên 90", "2023-10-01", "", None),
    ("Tết", "2023-10-01", "", None),
    ("trước năm 2020", "2023-10-01", "", None),
    ("năm 2020", "2023-10-01", "Trước năm 2020, tỉnh chỉ có 5 trường.", None),
    ("tháng 9", "2023-10-01", "Sau tháng 9, giá tăng 5%.", None),
    ("tháng 9", "2023-10-01", "Giá tháng trước và tháng 9 tăng 5%.", "2023-09"),   # "tháng trước" is not "before"
]

# A phrase without a year takes it from its sentence; the sentence also lends the frame words the phrase left out.
SENTENCES = [
    ("tháng 9", "2025-01-10", "Năm 2021, riêng tháng 9 có 5 ca.", "2021-09"),
    ("6 tháng đầu năm", "2023-07-10",
     "Trong 6 tháng đầu năm, doanh thu tăng 10% so với cùng kỳ năm 2022.", "2023-01/2023-06"),
    ("tháng 9", "2023-10-01", "Tháng 9 tăng 5% so với năm 2021, năm 2022 giảm.", "2022-09"),
    ("tháng 9", "2023-10-01", "Năm 2021 và năm 2022, tháng 9 có 5 ca.", None),   # two years: ambiguous
    ("tháng 9", "2023-10-01", "Tính đến tháng 9, tỉnh có 5 ca.", "2023-09"),
    ("quý III", "2023-10-01", "Đến hết quý III, dư nợ đạt 5 tỷ đồng.", "2023-09"),
    ("tháng 3", "2023-10-01", "Từ tháng 3 đến nay, có 5 ca.", None),
    ("tháng 5", "2023-10-01", "Từ tháng 3 đến tháng 5, có 5 ca.", "2023-05"),      # the phrase alone: not a stock
    ("ngày 26/5", "2023-10-01", "Đội tập từ ngày 19/5 cho đến ngày 26/5, rồi lên đường.", "2023-05-26"),
    ("ngày 27-28", "2023-10-01", "Fed họp trong hai ngày 27-28/4.", "2023-04-27/2023-04-28"),   # a cut copy
    ("tháng 8", "2026-02-04", "Cụ thể, tháng 8–9/2026, bão có thể xuất hiện.", "2026-08/2026-09"),
    ("ngày 29/4", "2021-04-27", "Tại đại hội ngày 29/4, ngân hàng trình nhiệm kỳ 2018-2023.", "2021-04-29"),
    ("tháng 9", "2023-05-01", "Tháng 9 năm ngoái có 5 ca.", "2022-09"),
    ("tháng 8", "2023-10-01", "Rằm tháng 8 âm lịch có 5 ca.", None),
    ("tháng 3", "2023-10-01", "Tháng 3 tới sẽ có 5 ca.", "2024-03"),
    ("tháng 9", "2023-10-01", "Người sinh năm 1996, tháng 9 có 5 ca.", "2023-09"),
    ("tháng 9", "2023-10-01", "Theo Quyết định 148/2021/QĐ-UBND, tháng 9 có 5 ca.", "2023-09"),
]

# Real time phrases from the shared corpora (dantri 2012-2022 and the multi-outlet corpus), with their article's date.
REAL = [
    ("năm 2020", "20201001", "Năm 2020, Vinamilk đã vượt qua các thương hiệu", "2020"),
    ("tháng 9/2012", "20121015", "", "2012-09"),
    ("quý I/2013", "20130420", "", "2013-01/2013-03"),
    ("quý 3/2022", "20221020", "", "2022-07/2022-09"),
    ("9 tháng đầu năm 2013", "20131010", "", "2013-01/2013-09"),
    ("6 tháng đầu năm", "20120705", "", "2012-01/2012-06"),
    ("Tháng 10 năm 2012", "20121104", "", "2012-10"),
    ("tháng 12 năm ngoái", "20130115", "", "2012-12"),
    ("giai đoạn 2011 - 2015", "20130301", "", "2011/2015"),
    ("giai đoạn 2021–2025", "20220301", "", "2021/2025"),
    ("năm học 2012-2013", "20120820", "", "2012/2013"),
    ("năm học 2022 - 2023", "20220820", "", "2022/2023"),
    ("mùa giải 2021/22", "20220210", "", "2021/2022"),
    ("ngày 15/10", "20201020", "", "2020-10-15"),
    ("ngày 30/12", "20210103", "", "2020-12-30"),
    ("ngày 20.11", "20201120", "", "2020-11-20"),
    ("ngày 25-12-2012", "20121226", "", "2012-12-25"),
    ("tháng 11", "20130104", "", "2012-11"),
    ("đầu tháng 9", "20120915", "", None),
    ("cuối tháng 9/2022", "20221005", "", "2022-09"),
    ("hết năm 2012", "20121201", "", "2012"),
    ("trong quý IV/2012", "20130201", "", "2012-10/2012-12"),
    ("năm tài chính 2021", "20220315", "", "2021"),
    ("2026", "20260204", "", "2026"),
    ("ngày 4/2", "20260204", "", "2026-02-04"),
    ("tháng 1/2026", "20260204", "", "2026-01"),
    ("9 tháng đầu năm", "20131022", "Lũy kế 9 tháng đầu năm, KSB lãi gần 60 tỷ đồng, giảm 17% so với cùng kỳ.",
     "2013-01/2013-09"),
    ("ngày 7/7", "20131023", "Vụ đánh bom ở London ngày 7/7/2005 làm 52 người chết.", "2005-07-07"),
    ("tháng 12", "20131008", "Sản phẩm dự kiến lên kệ vào đầu tháng 12 tới.", None),
    ("tháng 12", "20131008", "Sản phẩm dự kiến lên kệ vào tháng 12 tới.", "2013-12"),
    ("ngày 20/9", "20131023", "Giá vàng cao nhất kể từ ngày 20/9, tức là trong hơn 1 tháng qua.", None),
    ("ngày 25/10", "20131023", "Cuộc biểu tình diễn ra từ 23/10 đến hết ngày 25/10.", "2013-10-25"),
    ("tháng 8", "20131023", "Chi tiêu xây dựng ở Hoa Kỳ trong tháng 8 tăng tháng thứ 5 liên tiếp.", "2013-08"),
]


@pytest.mark.parametrize("time_text,published,sentence,expected", GUIDELINE + CHOICES + SENTENCES + REAL)
def test_period_of(time_text, published, sentence, expected):
    period, rule = period_of(time_text, published, sentence)
    assert period == expected, rule
    assert rule in period_rule_ids()
    assert_iso(period)


def test_no_time_phrase_gives_no_period_and_no_rule():
    assert period_of(None, "2023-10-01") == (None, None)
    assert period_of("  ", "2023-10-01") == (None, None)


# relative_period receives the mention's sentence up to the mention.
RELATIVE = [
    ("Năm nay, tỉnh có ", "2024-01-05", "2024", "period.rel.this_year"),
    ("Năm ngoái tỉnh có ", "2024-01-05", "2023", "period.rel.last_year"),
    ("Trong năm trước, tỉnh có ", "2024-01-05", "2023", "period.rel.last_year"),
    ("So với năm ngoái, năm nay tỉnh có ", "2024-01-05", "2024", "period.rel.this_year"),
    ("Năm nay cao hơn năm ngoái ", "2024-01-05", "2024", "period.rel.this_year"),
    ("Doanh thu tăng so với cùng kỳ năm trước, đạt ", "2024-01-05", None, None),
    ("Trong 3 năm nay, tỉnh có ", "2024-01-05", None, "period.none.rolling"),
    ("Cách đây 2 tháng trước, tỉnh có ", "2024-01-05", None, "period.none.rolling"),
    ("Mỗi năm tỉnh đón ", "2024-01-05", None, "period.none.recurring"),
    ("Hằng năm, tỉnh đón ", "2024-01-05", None, "period.none.recurring"),
    ("Năm nay, mỗi tháng tỉnh đón ", "2024-01-05", None, "period.none.recurring"),
    ("Tháng trước, tỉnh có ", "2024-01-05", "2023-12", "period.rel.last_month"),
    ("Tháng trước, tỉnh có ", None, None, "period.none.no_publication"),
    ("Hôm qua, tỉnh ghi nhận ", "2024-03-01", "2024-02-29", "period.rel.yesterday"),
    ("Năm trước đó, tỉnh có ", "2024-01-05", None, None),
    ("Những năm gần đây, tỉnh có ", "2024-01-05", None, "period.none.vague"),
    ("Tỉnh có ", "2024-01-05", None, None),
    ("Trong 6 tháng đầu năm nay, tỉnh có ", "2024-08-05", "2024-01/2024-06", "period.months_of_year"),
    ("Trong quý III năm ngoái, giá tăng ", "2024-01-05", "2023-07/2023-09", "period.quarter"),
    ("Đầu năm nay, giá tăng ", "2024-01-05", None, "period.none.part_of_unit"),
    ("Cuối năm ngoái, dư nợ đạt ", "2024-01-05", "2023", "period.unit_end"),
    ("Giá tăng so với tháng 12 năm ngoái, đạt ", "2024-01-05", None, None),
    ("", "2024-01-05", None, None),
]


@pytest.mark.parametrize("before,published,expected,rule", RELATIVE)
def test_relative_period(before, published, expected, rule):
    assert relative_period(before, published) == (expected, rule)


def test_relative_period_reads_a_bounded_window_before_the_mention():
    # rules/periods.yaml relative_window: a phrase further back than the window is not read (linear time on a
    # one-line table of thousands of figures); one within it is, even after a long run of text.
    filler = "đạt 29 trên 30 gói thầu " * 40
    assert relative_period("Năm nay, " + filler + "tỉnh có ", "2024-01-05") == (None, None)
    assert relative_period(filler + "năm nay tỉnh có ", "2024-01-05") == ("2024", "period.rel.this_year")


def test_published_forms():
    assert parse_published("2023-10-01") == (2023, 10, 1)
    assert parse_published("20231001") == (2023, 10, 1)
    assert parse_published("2023-10-01T08:30:00+07:00") == (2023, 10, 1)
    assert parse_published("2023-10") == (2023, 10, None)
    assert parse_published("2023") == (2023, None, None)
    for bad in ("", None, "hôm qua", "2023-13-01", "2023-02-30", "0000-01-01", "9999-12-31"):
        assert parse_published(bad) is None
    assert period_of("tháng 9", "not a date") == (None, "period.none.no_year")


# ---------------------------------------------------------------------------------------------------------------
# Properties

years = st.integers(1900, 2099)
months = st.integers(1, 12)
romans = ["I", "II", "III", "IV"]


@settings(max_examples=200, deadline=None)
@given(years, months)
def test_month_of_year(y, m):
    assert period_of(f"tháng {m}/{y}", None) == (f"{y}-{m:02d}", "period.month")
    assert period_of(f"Tháng {m} năm {y}", "2000-01-01")[0] == f"{y}-{m:02d}"


@settings(max_examples=200, deadline=None)
@given(years, st.integers(1, 4), st.booleans())
def test_quarter_is_three_months(y, q, roman):
    label = romans[q - 1] if roman else str(q)
    period, rule = period_of(f"quý {label}/{y}", None)
    a, b = period.split("/")
    assert rule == "period.quarter"
    assert (a, b) == (f"{y}-{3 * q - 2:02d}", f"{y}-{3 * q:02d}")


@settings(max_examples=200, deadline=None)
@given(years, months, st.integers(1, 28), months)
def test_year_less_month_never_after_publication(y, m, d, pm):
    period, _ = period_of(f"tháng {m}", f"{y}-{pm:02d}-{d:02d}")
    assert period == (f"{y}-{m:02d}" if m <= pm else f"{y - 1}-{m:02d}")


@settings(max_examples=300, deadline=None)
@given(years, years, months, months)
def test_intervals_ascend_and_match_iso(y1, y2, m1, m2):
    for text in (f"giai đoạn {y1}-{y2}", f"từ tháng {m1}/{y1} đến tháng {m2}/{y2}",
                 f"từ tháng {m1} đến tháng {m2}/{y2}",
                 f"{m1} tháng đầu năm {y1}", f"{m2} tháng cuối năm {y2}"):
        period, rule = period_of(text, "2023-10-15")
        assert_iso(period)
        assert rule in period_rule_ids()


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="0123456789/.- tháng năm quý đầu cuối từ đến nay IV", max_size=30),
       st.sampled_from([None, "2023", "2023-10", "2023-10-15", "bad"]))
def test_any_text_gives_an_iso_form_or_none(text, published):
    period, rule = period_of(text, published, text)
    assert_iso(period)
    assert rule is None or rule in period_rule_ids()


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=40), st.text(max_size=12), st.text(max_size=60))
def test_any_input_never_raises(text, published, sentence):
    period, rule = period_of(text, published, sentence)
    assert_iso(period)
    period, rule = relative_period(sentence, published)
    assert_iso(period)


@settings(max_examples=200, deadline=None)
@given(st.dates(min_value=datetime.date(1950, 1, 1), max_value=datetime.date(2090, 12, 31)))
def test_dates_in_every_spelling(day):
    iso = day.isoformat()
    for text in (f"{day.day}/{day.month}/{day.year}", f"ngày {day.day}-{day.month}-{day.year}",
                 f"{day.day}.{day.month}.{day.year}", f"ngày {day.day:02d}/{day.month:02d}/{day.year}"):
        assert period_of(text, None) == (iso, "period.date"), text


# ---------------------------------------------------------------------------------------------------------------
# The examples written beside the rules (rules/periods.yaml), and the file's own shape

def _examples():
    for key in ("frame_rules", "phrase_rules", "relative_rules"):
        for rule in load_rules("periods")[key]:
            for expect, texts in (rule.get("examples") or {}).items():
                for text in texts:
                    yield pytest.param(key, rule, expect, text, id=f"{rule['id']}-{expect}-{text[:30]}")


@pytest.mark.parametrize("key,rule,expect,example", list(_examples()))
def test_example_agrees_with_its_rule(key, rule, expect, example):
    assert _example_contradiction(key, rule, expect, example, load_rules("periods")["example_published"]) is None


def test_a_contradicted_example_is_reported(tmp_path):
    (tmp_path / "periods.yaml").write_text(
        "phrase_rules:\n"
        "  - id: period.year\n"
        "    check: year\n"
        "    params: {regex: '(?:năm\\s+)?YEAR'}\n"
        "    reason: test\n"
        "    examples: {hit: ['[năm 2023] => 2024', '[tháng 9/2023] => 2023-09', '[năm 2023] -> 2023']}\n",
        encoding="utf-8")
    assert example_failures() == []
    assert check_period_rules() > 40
    with use_rules(tmp_path):
        got = {ex: why for rid, ex, why in example_failures()}
        with pytest.raises(RuleError) as err:
            check_period_rules()
    assert err.value.code == "R006" and err.value.rule_id == "period.year" and "(and 2 more)" in str(err.value)
    assert got == {"[năm 2023] => 2024": "it gave 2023 (rule period.year)",
                   "[tháng 9/2023] => 2023-09": "it was decided by period.month",
                   "[năm 2023] -> 2023": "it is not written '[@YYYY-MM-DD ]sentence with [phrase] => period'"}


def test_every_pattern_rule_has_an_example_it_takes():
    data = load_rules("periods")
    missing = [r["id"] for k in ("phrase_rules", "relative_rules") for r in data[k]
               if not (r.get("examples") or {}).get("hit")]
    assert missing == []


def test_rule_ids_are_unique_and_not_shared_with_other_files():
    data = load_rules("periods")
    ids = [r["id"] for k in ("frame_rules", "phrase_rules", "relative_rules") for r in data[k]]
    ids += list(data["outcome_rules"])
    assert len(ids) == len(set(ids))
    assert all(i.startswith("period.") for i in ids)


def test_a_rules_overlay_changes_the_reading(tmp_path):
    (tmp_path / "periods.yaml").write_text(
        "relative_rules:\n"
        "  - id: period.rel.last_year\n"
        "    check: year\n"
        "    params: {shift: -1, regex: 'năm\\s+ngoái|năm\\s+kia'}\n"
        "    reason: test overlay\n", encoding="utf-8")
    assert period_of("năm kia", "2023-10-01") == (None, "period.none.unread")
    with use_rules(tmp_path):
        assert period_of("năm kia", "2023-10-01") == ("2022", "period.rel.last_year")
    assert period_of("năm kia", "2023-10-01") == (None, "period.none.unread")


# ---------------------------------------------------------------------------------------------------------------
# The shared corpora: every time phrase the extractor's patterns find reads as an ISO form or None

@pytest.mark.slow
@pytest.mark.parametrize("name", ["corpus-unc/dantri-unc.jsonl", "corpus-multi/multi-unc.jsonl"])
def test_real_time_phrases_give_iso_forms(name):
    path = SHARED / name
    if not path.is_file():
        pytest.skip(f"{path} is absent")
    patterns = [regex.compile(p) for p in load_rules("cues")["time_patterns"].values()]
    read = total = 0
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            doc = json.loads(line)
            published = doc.get("date")
            for sentence in regex.split(r"(?<=[.!?])\s+|\n", doc["text"]):
                for pat in patterns:
                    for m in pat.finditer(sentence):
                        period, rule = period_of(m.group(), published, sentence)
                        assert_iso(period)
                        total += 1
                        read += period is not None
    assert total > 1000 and read / total > 0.8, (read, total)


def test_the_end_of_a_range_is_not_read_as_a_stock():
    sentence = "Đội tập từ tháng 3 cho đến quý III, rồi lên đường."
    assert period_of("quý III", "2023-10-01", sentence) == ("2023-07/2023-09", "period.quarter")
    assert period_of("ngày 26/5", "2023-10-01", "Tập từ ngày 19/5 cho đến ngày 26/5.")[1] == "period.date"
    assert period_of("quý III", "2023-10-01", "Đến hết quý III, dư nợ đạt 5 tỷ.") == ("2023-09", "period.stock")


def test_a_rule_with_an_unknown_check_stops_with_a_rule_error(tmp_path):
    (tmp_path / "periods.yaml").write_text(
        "phrase_rules:\n"
        "  - id: period.week\n"
        "    check: week\n"
        "    params: {regex: 'tuần\\s+\\d+'}\n"
        "    reason: test\n", encoding="utf-8")
    with use_rules(tmp_path), pytest.raises(RuleError) as err:
        period_of("tuần 5", "2023-10-01")
    assert err.value.code == "R002" and err.value.rule_id == "period.week" and "check 'week'" in str(err.value)
    assert str(tmp_path) in str(err.value)


def test_a_second_stock_rule_stops_with_a_rule_error(tmp_path):
    (tmp_path / "periods.yaml").write_text(
        "frame_rules:\n"
        "  - id: period.stock_mine\n"
        "    check: stock\n"
        "    params: {regex: '^lũy\\s+kế\\s+'}\n"
        "    reason: test\n", encoding="utf-8")
    with use_rules(tmp_path), pytest.raises(RuleError, match="exactly one rule with check 'stock'"):
        period_of("tháng 9/2023", "2023-10-01")
