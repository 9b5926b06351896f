"""Publication dates in any common form, normalized to ISO 8601: "2020-10-01", or "2020-10" / "2020" when the
source gives only a month or a year.

Read (day before month wherever the order is not year first, as Vietnamese writes it):
  20201001, "20201001", "20221223180348" (YYYYMMDD, with a time or milliseconds after it), "202010" (YYYYMM)
  "2020-10-01", "2020-10-01T08:30:00+07:00", "2020-10-01 08:30", "2020/10/01", "2020.10.01", "2020-10", "2020"
  "01/10/2020", "1-10-2020", "1.10.2020", "Thứ năm, 01/10/2020 08:30 (GMT+7)", "08:30 01/10/2020", "10/2020"
  "ngày 1 tháng 10 năm 2020", "tháng 10/2020", "tháng 10 năm 2020", "năm 2020"
  "Thu, 01 Oct 2020 08:30:00 +0700" (HTTP and RSS dates), "Oct 1, 2020", "1 October 2020", "October 2020"
  epoch seconds (1601515800) and milliseconds (1601515800000), as numbers or digit strings

Time zone: the date is the one in Vietnam (UTC+7, no daylight saving time), where the articles are published and
where ANNOTATION.md section 7 resolves "tháng 9" against it. A time with an offset ("Z", "+00:00", "GMT+0") is
converted to UTC+7 first: a WARC date "2020-09-30T20:00:00Z" is 1 October 2020 in Hà Nội. An epoch is an
instant, converted the same way. A time without an offset is taken as Vietnam time, so its date is kept.

python-dateutil is not used: with dayfirst=True it reads "2020-10-01" as 10 January, it reads "GMT+7" as
UTC-7 (the POSIX sign), and it fills a missing day or month from today ("10/2020" becomes 2020-10-04).
Anything else (text without a date, 30/02/2020, a two-digit year, a year outside 1800-2200) gives None.
"""
from __future__ import annotations

import datetime as dt
import email.utils
import math
import re
from typing import Any

VIETNAM = dt.timezone(dt.timedelta(hours=7), "UTC+7")
YEARS = range(1800, 2201)  # plausible publication years; anything else is a misread number
_EPOCH_SECONDS = range(9, 11)  # digits of an epoch in seconds (1973-2286)
_EPOCH_MILLIS = range(12, 14)  # and in milliseconds

_MONTHS_EN = {name: number for number, names in enumerate(
    [("jan", "january"), ("feb", "february"), ("mar", "march"), ("apr", "april"), ("may",), ("jun", "june"),
     ("jul", "july"), ("aug", "august"), ("sep", "sept", "september"), ("oct", "october"),
     ("nov", "november"), ("dec", "december")], 1) for name in names}
_MONTH_EN = r"(?P<mon>" + "|".join(sorted(_MONTHS_EN, key=len, reverse=True)) + r")\.?"
_NUM = r"(?<!\d)"  # no digit right before
_END = r"(?!\d)"   # no digit right after
_TIME = r"(?P<H>\d{1,2})[:hg](?P<M>\d{2})(?::(?P<S>\d{2})(?:[.,]\d+)?)?"
_ZONE = r"(?:\s*\(?\s*(?:GMT|UTC)?\s*(?P<zone>Z|[+-]\d{1,2}(?::?\d{2})?)\s*\)?)?"

_PATTERNS = [  # in order; the first that matches decides (an impossible date gives None, nothing is guessed)
    re.compile(_NUM + r"(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})(?:[T\s]+" + _TIME + r")?" + _ZONE, re.I),
    re.compile(_NUM + r"(?P<y>\d{4})[/.](?P<m>\d{1,2})[/.](?P<d>\d{1,2})" + _END + r"(?:[T\s]+" + _TIME + r")?"
               + _ZONE, re.I),
    re.compile(_NUM + _TIME + r"\D{1,12}?" + _NUM + r"(?P<d>\d{1,2})[/.-](?P<m>\d{1,2})[/.-](?P<y>\d{4})" + _END
               + _ZONE, re.I),
    re.compile(_NUM + r"(?P<d>\d{1,2})[/.-](?P<m>\d{1,2})[/.-](?P<y>\d{4})" + _END
               + r"(?:\D{1,5}?" + _TIME + r")?" + _ZONE, re.I),
    re.compile(r"(?:ngày\s+)?" + _NUM + r"(?P<d>\d{1,2})\s+tháng\s+(?P<m>\d{1,2}),?\s+(?:năm\s+)?(?P<y>\d{4})" + _END,
               re.I),
    re.compile(_NUM + r"(?P<d>\d{1,2})(?:st|nd|rd|th)?\s+" + _MONTH_EN + r",?\s+(?P<y>\d{4})" + _END, re.I),
    re.compile(r"\b" + _MONTH_EN + r"\s+(?P<d>\d{1,2})(?:st|nd|rd|th)?,?\s+(?P<y>\d{4})" + _END, re.I),
    # Month precision only.
    re.compile(r"^\s*(?P<y>\d{4})-(?P<m>\d{1,2})\s*$"),
    re.compile(r"tháng\s+(?P<m>\d{1,2})\s*(?:/|,|\s+năm\s+|\s+)\s*(?P<y>\d{4})" + _END, re.I),
    re.compile(r"^\s*(?P<m>\d{1,2})[/.-](?P<y>\d{4})\s*$"),
    re.compile(r"\b" + _MONTH_EN + r",?\s+(?P<y>\d{4})" + _END, re.I),
    # Year precision only.
    re.compile(r"^\s*(?:năm\s+)?(?P<y>\d{4})\s*$", re.I),
]
_DIGITS = re.compile(r"\s*(\d+)(?:\.(\d+))?\s*")


def iso_date(value: Any) -> str | None:
    """The publication date of `value` as ISO "YYYY-MM-DD" (or "YYYY-MM" / "YYYY" when that is all it says),
    None when it holds no date we can read (module doc: the forms, and why the date is Vietnam's)."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, dt.datetime):
        return _vietnam_date(value)
    if isinstance(value, dt.date):
        return _in_range(value.isoformat(), value.year)
    if isinstance(value, (int, float)):
        return _number_date(value)
    if not isinstance(value, str):
        return None
    text = " ".join(value.split())
    digits = _DIGITS.fullmatch(text)
    if digits:  # "20201001.0": a whole number written by a float column
        fraction = digits.group(2)
        return _digits_date(digits.group(1), fraction if fraction and fraction.strip("0") else None)
    rfc = _rfc2822(text)
    if rfc is not None:
        return _vietnam_date(rfc)
    for pattern in _PATTERNS:
        match = pattern.search(text)
        if match:
            return _from_groups(match.groupdict())
    return None


def _number_date(value: int | float) -> str | None:
    """A number: YYYYMMDD, YYYY or an epoch (a fraction only makes sense in an epoch)."""
    if isinstance(value, float):
        if not math.isfinite(value):
            return None
        whole, fraction = divmod(value, 1)
        return _digits_date(str(int(whole)), "1" if fraction else None)
    return _digits_date(str(value), None) if value >= 0 else None


def _digits_date(digits: str, fraction: str | None) -> str | None:
    """A run of digits: an epoch (seconds or milliseconds), else YYYY, YYYYMM, YYYYMMDD[hhmmss[fff]]."""
    if len(digits) in _EPOCH_SECONDS or len(digits) in _EPOCH_MILLIS:
        seconds = int(digits) / (1000 if len(digits) in _EPOCH_MILLIS else 1)
        return _vietnam_date(dt.datetime.fromtimestamp(seconds, dt.timezone.utc))
    if fraction is not None:
        return None
    if len(digits) == 4:
        return _from_groups({"y": digits})
    if len(digits) == 6:
        return _from_groups({"y": digits[:4], "m": digits[4:]})
    if len(digits) in (8, 14, 17):  # a date, with hhmmss and milliseconds after it (Dân trí URLs)
        return _from_groups({"y": digits[:4], "m": digits[4:6], "d": digits[6:8]})
    return None


def _rfc2822(text: str) -> dt.datetime | None:
    """The instant of an HTTP / RSS / e-mail date ("Thu, 01 Oct 2020 08:30:00 +0700"), else None."""
    if not re.search(r"\d{1,2}:\d{2}", text) or not re.match(r"^(?:[A-Za-z]{3},\s*)?\d{1,2}\s+[A-Za-z]{3}\s", text):
        return None
    try:
        parsed = email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    return parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=dt.timezone.utc)


def _from_groups(groups: dict[str, str | None]) -> str | None:
    """ISO text from regex groups y, m or mon, d, and optional H, M, S and zone; None if not a real date."""
    year = int(groups["y"])
    month = _MONTHS_EN[groups["mon"].lower()] if groups.get("mon") else groups.get("m")
    if month is None:
        return _in_range(f"{year:04d}", year)
    month = int(month)
    if groups.get("d") is None:
        return _in_range(f"{year:04d}-{month:02d}", year) if 1 <= month <= 12 else None
    try:
        day = dt.date(year, month, int(groups["d"]))
    except ValueError:  # 30 February, month 13
        return None
    zone = _offset(groups.get("zone"))
    if zone is not None and groups.get("H") is not None:
        try:
            moment = dt.datetime(year, month, day.day, int(groups["H"]), int(groups["M"]), int(groups.get("S") or 0),
                                 tzinfo=zone)
        except ValueError:  # 25:61
            return None
        return _vietnam_date(moment)
    return _in_range(day.isoformat(), year)


def _offset(zone: str | None) -> dt.timezone | None:
    """The UTC offset of "Z", "+07:00", "+0700", "+7" (GMT+7 means UTC+7 here, not the POSIX sign)."""
    if not zone:
        return None
    if zone.upper() == "Z":
        return dt.timezone.utc
    sign = -1 if zone[0] == "-" else 1
    body = zone[1:].replace(":", "")
    hours, minutes = (int(body[:-2]), int(body[-2:])) if len(body) > 2 else (int(body), 0)
    if hours > 14 or minutes > 59:
        return None
    return dt.timezone(sign * dt.timedelta(hours=hours, minutes=minutes))


def _vietnam_date(moment: dt.datetime) -> str | None:
    """The date in Vietnam of an instant (a naive datetime is Vietnam time already)."""
    if moment.tzinfo is not None:
        try:
            moment = moment.astimezone(VIETNAM)
        except OverflowError:
            return None
    return _in_range(moment.date().isoformat(), moment.year)


def _in_range(iso: str, year: int) -> str | None:
    return iso if year in YEARS else None
