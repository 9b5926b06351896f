"""Render a small report in headless Chromium and check the screenshot is a real page, not a blank one.

Skipped when /usr/bin/chromium is absent. Set CHISO_SCREENSHOT=FILE.png to keep the screenshot for a look.
"""
import os
import shutil
import struct
import subprocess
import zlib
from pathlib import Path

import pytest

from pipeline.records import Record
from pipeline.report import write_report
from pipeline.scoring import score

CHROMIUM = Path("/usr/bin/chromium")
TEXTS = {
    "bai-1": "Đắk Lắk có 1.426 Tổ công nghệ số cộng đồng, đạt 80% kế hoạch; doanh thu 40 tỷ đồng.\n"
             "Tỉnh xếp hạng 47/63 về chuyển đổi số, tăng 16,4% so với năm 2021.",
    "bai-2": "Không có số liệu nào ở đây, trừ 3 xã.",
}


def rec(doc, fragment, kind="count", value=1.0, **kw):
    start = TEXTS[doc].index(fragment)
    return Record(doc_id=doc, start=start, end=start + len(fragment), text=fragment, kind=kind, value=value, **kw)


GOLD = [rec("bai-1", "1.426", value=1426), rec("bai-1", "80%", "percent", 80, unit="%"),
        rec("bai-1", "40 tỷ đồng", "money", 4e10, unit="VND"), rec("bai-1", "47/63", "rank", 47, denominator=63),
        rec("bai-1", "16,4%", "percent", 16.4, unit="%", change="increase")]
PRED = [rec("bai-1", "1.426", value=1426), rec("bai-1", "40 tỷ", "money", 4e9, unit="VND"),
        rec("bai-1", "47/63", "ratio", 47, denominator=63), rec("bai-1", "2021", "number", 2021),
        rec("bai-1", "16,4%", "percent", 16.4, unit="%"), rec("bai-2", "3", value=3)]

# Highlight backgrounds of the report's CSS: missed, spurious, wrong value, ok.
MARK_COLOURS = {"missed": (0xff, 0xc9, 0xc9), "spurious": (0xe3, 0xd3, 0xff), "wrong": (0xff, 0xdf, 0x9e),
                "ok": (0xc8, 0xf0, 0xcf)}


def decode_png(data: bytes) -> tuple[int, int, list[bytes]]:
    """(width, height, rows of RGB bytes) of an 8-bit RGB or RGBA PNG (alpha dropped)."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    pos, idat, header = 8, b"", None
    while pos < len(data):
        length, ctype = struct.unpack(">I4s", data[pos:pos + 8])
        chunk = data[pos + 8:pos + 8 + length]
        if ctype == b"IHDR":
            header = struct.unpack(">IIBBBBB", chunk)
        elif ctype == b"IDAT":
            idat += chunk
        pos += 12 + length
    width, height, depth, colour_type = header[:4]
    assert depth == 8 and colour_type in (2, 6), f"unsupported PNG depth {depth} type {colour_type}"
    bpp = 3 if colour_type == 2 else 4
    raw = zlib.decompress(idat)
    stride = width * bpp
    rows, prev = [], bytearray(stride)
    for y in range(height):
        kind = raw[y * (stride + 1)]
        line = bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for i in range(stride):
            a = line[i - bpp] if i >= bpp else 0
            b = prev[i]
            c = prev[i - bpp] if i >= bpp else 0
            if kind == 1:
                line[i] = (line[i] + a) & 0xFF
            elif kind == 2:
                line[i] = (line[i] + b) & 0xFF
            elif kind == 3:
                line[i] = (line[i] + (a + b) // 2) & 0xFF
            elif kind == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 0xFF
        rows.append(bytes(line))
        prev = line
    return width, height, [b"".join(r[i:i + 3] for i in range(0, stride, bpp)) for r in rows]


@pytest.mark.skipif(not CHROMIUM.exists(), reason="/usr/bin/chromium not installed")
def test_report_screenshot_is_not_blank(tmp_path):
    s = score(GOLD, PRED, doc_ids=set(TEXTS), bootstrap=50, texts=TEXTS)
    page = write_report(tmp_path / "report.html", s, TEXTS, GOLD, PRED)
    shot = tmp_path / "shot.png"
    subprocess.run(
        [str(CHROMIUM), "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         f"--user-data-dir={tmp_path / 'profile'}", f"--screenshot={shot}", "--window-size=1400,1800",
         page.resolve().as_uri()],
        check=False, capture_output=True, timeout=120)
    assert shot.exists() and shot.stat().st_size > 10_000
    if os.environ.get("CHISO_SCREENSHOT"):
        shutil.copy(shot, os.environ["CHISO_SCREENSHOT"])
    width, height, rows = decode_png(shot.read_bytes())
    assert (width, height) == (1400, 1800)
    pixels = {row[i:i + 3] for row in rows[::4] for i in range(0, len(row), 12)}
    assert len(pixels) > 50, "screenshot looks blank"
    for name, rgb in MARK_COLOURS.items():
        assert any(all(abs(p[k] - rgb[k]) <= 3 for k in range(3)) for p in pixels), f"no {name} highlight visible"
