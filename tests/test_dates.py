"""Publication dates: every common form to ISO (pipeline.dates), and every reader's `published` is ISO or absent."""
import datetime as dt
import json
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from conftest import HTML_VN, SHARED, UNC
from pipeline.dates import VIETNAM, iso_date

MULTI = SHARED / "corpus-multi" / "multi-unc.jsonl"


@pytest.mark.parametrize("value, expected", [
    # JSON Lines and tables (corpus-unc and corpus-multi write YYYYMMDD; pandas reads it back as a number)
    ("20201001", "2020-10-01"), (20201001, "2020-10-01"), (20201001.0, "2020-10-01"), ("20201001.0", "2020-10-01"),
    ("2022", "2022"), (2022, "2022"), ("202010", "2020-10"),
    # ISO dates and datetimes
    ("2020-10-01", "2020-10-01"), ("2020-10-01T08:30:00+07:00", "2020-10-01"), ("2020-10-01 08:30", "2020-10-01"),
    ("2020-10-01T08:30:00.123456+07:00", "2020-10-01"), ("2020-10", "2020-10"), ("2020-1-5", "2020-01-05"),
    ("2020/10/01", "2020-10-01"), ("2020.10.01", "2020-10-01"),
    # Vietnamese day-first
    ("01/10/2020", "2020-10-01"), ("1-10-2020", "2020-10-01"), ("1.10.2020", "2020-10-01"),
    ("13/01/2020", "2020-01-13"), ("Thứ năm, 01/10/2020 08:30 (GMT+7)", "2020-10-01"),
    ("Thứ tư, 22/10/2025, 19:25 (GMT+7)", "2025-10-22"), ("08:30 01/10/2020", "2020-10-01"),
    ("1/10/2020 lúc 8h30", "2020-10-01"), ("Cập nhật: 01/10/2020 - 08:30", "2020-10-01"),
    ("ngày 1 tháng 10 năm 2020", "2020-10-01"), ("10/2020", "2020-10"), ("tháng 10/2020", "2020-10"),
    ("tháng 10 năm 2020", "2020-10"), ("năm 2020", "2020"),
    # HTML metadata, HTTP and RSS dates, English month names
    ("2025-10-22T19:25:52+07:00", "2025-10-22"), ("Thu, 01 Oct 2020 08:30:00 +0700", "2020-10-01"),
    ("Oct 1, 2020", "2020-10-01"), ("1 October 2020", "2020-10-01"), ("October 2020", "2020-10"),
    # Dân trí URL timestamps (YYYYMMDDhhmmss and milliseconds)
    ("20221223180348", "2022-12-23"), ("20221223180348340", "2022-12-23"),
    # epochs (UTC instants, dated in Vietnam)
    (1601515800, "2020-10-01"), ("1601515800", "2020-10-01"), (1601515800000, "2020-10-01"),
    (1761135952, "2025-10-22"), (1601515800.5, "2020-10-01"),
    # WARC dates and other UTC times: the date in Vietnam (UTC+7)
    ("2020-10-01T01:30:00Z", "2020-10-01"), ("2020-09-30T20:00:00Z", "2020-10-01"),
    ("2020-09-30T16:59:59Z", "2020-09-30"), ("Wed, 30 Sep 2020 20:00:00 GMT", "2020-10-01"),
    ("01/10/2020 23:30 (GMT+0)", "2020-10-02"),
    (dt.date(2020, 10, 1), "2020-10-01"), (dt.datetime(2020, 9, 30, 20, tzinfo=dt.timezone.utc), "2020-10-01"),
    (dt.datetime(2020, 9, 30, 20), "2020-09-30"),  # no offset: already Vietnam time
])
def test_common_forms_become_iso(value, expected):
    assert iso_date(value) == expected


@pytest.mark.parametrize("value", [
    None, "", "  ", "nan", "hôm qua", "30/02/2020", "2020-13-01", "32/01/2020", "01/10/20", "0000", "9999",
    "202013", "20201301", "12345", "12345678901", True, -5, float("nan"), float("inf"), 1e30, [2020], {"y": 2020},
    "01/10/2020 25:61 (GMT+0)",
])
def test_what_is_no_date_gives_none(value):
    assert iso_date(value) is None


@pytest.mark.parametrize("path", [UNC, MULTI], ids=["corpus-unc", "corpus-multi"])
def test_every_date_of_the_shared_corpora_is_read(path):
    if not path.exists():
        pytest.skip(f"{path} not present")
    with path.open(encoding="utf-8") as fh:
        dates = {json.loads(line)["date"] for line in fh if line.strip()}
    for raw in dates:
        iso = iso_date(raw)
        assert iso is not None, raw
        assert iso.replace("-", "") == raw  # YYYYMMDD (or a bare year) as the same calendar date


def test_html_pages_get_the_iso_date_of_their_metadata():
    from pipeline.read_html import read_html_file

    pages = sorted(HTML_VN.glob("*.html")) if HTML_VN.is_dir() else []
    if not pages:
        pytest.skip(f"{HTML_VN} not present")
    for page in pages:
        if "LISTING" in page.name:
            continue
        published = read_html_file(page).meta["published"]
        stamp = re.search(r"-(\d{8})\d{9}$", page.stem)  # Dân trí: the URL timestamp is the publishing time
        assert published == (f"{stamp[1][:4]}-{stamp[1][4:6]}-{stamp[1][6:]}" if stamp else "2025-10-22"), page


def test_html_document_published_in_utc_is_dated_in_vietnam():
    from pipeline.read_html import html_document

    sentence = "Năm 2023, sản lượng điện thương phẩm của tỉnh đạt 1.250 triệu kWh, tăng 8,5% so với năm trước."
    html = ('<html><head><meta property="article:published_time" content="2024-03-04T20:00:00Z">'
            f'<title>Điện tăng</title></head><body><article>'
            f'{"".join(f"<p>{sentence} Đoạn {i}.</p>" for i in range(5))}</article></body></html>')
    assert html_document("a", html, "a.html").meta["published"] == "2024-03-05"


days = st.dates(dt.date(1800, 1, 1), dt.date(2200, 12, 31))


@given(days)
def test_round_trip_of_every_written_form_of_a_day(day):
    iso = day.isoformat()
    for written in (iso, day.strftime("%Y%m%d"), int(day.strftime("%Y%m%d")), f"{day.day}/{day.month}/{day.year}",
                    f"{day.day:02d}-{day.month:02d}-{day.year}", f"{day.year}/{day.month:02d}/{day.day:02d}",
                    f"ngày {day.day} tháng {day.month} năm {day.year}", day.strftime("%d %B %Y"), day):
        assert iso_date(written) == iso, written
    assert iso_date(iso_date(iso)) == iso
    assert iso_date(iso[:7]) == iso[:7] and iso_date(f"{day.month}/{day.year}") == iso[:7]
    assert iso_date(iso[:4]) == iso[:4]


@given(st.datetimes(dt.datetime(1970, 1, 2), dt.datetime(2200, 12, 30)),
       st.integers(-12 * 60, 14 * 60).map(lambda minutes: dt.timezone(dt.timedelta(minutes=minutes))))
def test_a_moment_anywhere_is_dated_in_vietnam(moment, zone):
    moment = moment.replace(tzinfo=zone, microsecond=0)
    expected = moment.astimezone(VIETNAM).date().isoformat()
    assert iso_date(moment.isoformat()) == expected
    assert iso_date(moment) == expected
    if expected >= "1973-03-04":  # nine digits and up: an epoch in seconds
        assert iso_date(int(moment.timestamp())) == expected
        assert iso_date(int(moment.timestamp()) * 1000) == expected
