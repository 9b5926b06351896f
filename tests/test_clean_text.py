"""The scraped-text cleaner: furniture out, the article (title, lead, body, captions) in."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import CORPUS, GOLD
from pipeline.clean_text import body_text, find_body, split_lines
from pipeline.document import normalize_text

SEEDS = sorted(CORPUS.glob("*.txt"))

# Per seed: furniture that must be out, real article text that must be in.
EXPECTED = {
    "000_a8f219603fd09c33": {
        "out": ["Nhật An", "01/10/2023 - 08:25", "Ý kiến của bạn", "0 bình luận", "Đọc thêm",
                "giai đoạn đến năm 2025 - Ảnh 1.", "Nhập thông tin của bạn"],
        "in": ["Đắk Lắk: Chuyển đổi số là động lực mới",
               "Người dân xã Phú Lộc, huyện Krông Nô, tỉnh Đắk Lắk giải quyết thủ tục hành chính điện tử",
               "thành lập 1.426 Tổ công nghệ số cộng đồng", "trong nhóm 30 tỉnh/thành",
               "Nhân viên Viettel Đắk Lắk hỗ trợ Tổ công nghệ số cộng đồng",
               "tầm nhìn năm 2030, định hướng năm 2050."],
    },
    "001_5cff5225281921e5": {
        "out": ["Thùy Duyên", "Thứ năm, ngày 21/09/2023 12:35 PM (GMT+7)", "Vui lòng nhập nội dung bình luận"],
        "in": ["Đắk Lắk: Kinh tế số bước đầu đóng góp vào sự phát triển của tỉnh",
               "xếp hạng 47/63 tỉnh, thành phố", "đạt gần 14,96% GDP",
               "bám sát tình hình thực tế của địa phương."],
    },
    "002_e7564d0fdd864279": {
        "out": ["Cập nhật lúc: 25/11/2024 09:35 122", "Nguồn: baodaklak.vn", "Hôm nay: 0", "Hôm qua: 0",
                "Trong tuần: 0", "Tất cả: 0"],
        "in": ["Chuyển đổi số đồng bộ, hiệu quả trên 8 lĩnh vực", "có 936 đơn vị sử dụng",
               "Giám sát các dịch vụ tại Trung tâm Giám sát", "♦ Xin cảm ơn ông!"],
    },
    "003_29f611c9ef2fefa6": {
        "out": ["Thông tin Khoa học công nghệ", "Thứ hai, 18/09/2023", "Theo Vietnamnet", "Bình luận",
                "Tiêu điểm", "Video nổi bật", "×"],
        "in": ["TT-Huế triển khai mô hình tỉnh chuyển đổi số điển hình",
               "phấn đấu trên 90% dịch vụ công trực tuyến", "chưa được phát triển xứng tầm…"],
    },
    "004_edae7597b576cb27": {
        "out": ["Xã hộiChuyển đổi số", "Lượt xem: 3095", "06:46 - Chủ Nhật, 01/01/2023", "In bài viết",
                "Văn Tâm", "Tin khác", "Back To Top"],
        "in": ["Dấu ấn từ chuyển đổi số", "hơn 1.000 tổ công nghệ số cộng đồng",
               "Công an TP. Điện Biên Phủ hướng dẫn tiểu thương chợ Trung tâm 1 cài đặt app báo cháy.",
               "tổng chiều dài 3.316km", "thanh toán phí và lệ phí các thủ tục hành chính..."],
    },
}


def covered(ranges: list[tuple[int, int]], start: int, end: int) -> bool:
    """True if text[start:end] lies inside one kept range."""
    return any(s <= start and end <= e for s, e in ranges)


def occurrences(text: str, snippet: str) -> list[int]:
    """Start offsets of every occurrence of snippet."""
    found, at = [], text.find(snippet)
    while at >= 0:
        found.append(at)
        at = text.find(snippet, at + 1)
    return found


def seed(path: Path) -> tuple[str, list[tuple[int, int]]]:
    text = normalize_text(path.read_text(encoding="utf-8"))
    return text, find_body(text)


def test_five_seeds_present():
    assert [p.stem for p in SEEDS] == sorted(EXPECTED)


@pytest.mark.parametrize("path", SEEDS, ids=lambda p: p.stem[:3])
def test_seed_furniture_out_article_in(path):
    text, ranges = seed(path)
    expected = EXPECTED[path.stem]
    for snippet in expected["out"]:
        spots = occurrences(text, snippet)
        assert spots, f"test data: {snippet!r} not in {path.name}"
        for at in spots:
            assert not covered(ranges, at, at + len(snippet)), f"furniture {snippet!r} kept at {at}"
    for snippet in expected["in"]:
        spots = occurrences(text, snippet)
        assert spots, f"test data: {snippet!r} not in {path.name}"
        assert any(covered(ranges, at, at + len(snippet)) for at in spots), f"article text {snippet!r} dropped"


@pytest.mark.parametrize("path", SEEDS, ids=lambda p: p.stem[:3])
def test_seed_ranges_are_sorted_disjoint_stripped(path):
    text, ranges = seed(path)
    assert ranges
    for (s1, e1), (s2, e2) in zip(ranges, ranges[1:]):
        assert e1 < s2
    for s, e in ranges:
        assert 0 <= s < e <= len(text)
        assert text[s:e] == text[s:e].strip()


def test_seed_furniture_numbers_are_out():
    """The numbers of counters and datelines never reach the extractor."""
    for path in SEEDS:
        text, ranges = seed(path)
        kept = body_text(text, ranges)
        for number in ("3095", "09:35 122", "Hôm nay: 0", "01/10/2023 - 08:25", "21/09/2023 12:35",
                       "18/09/2023", "01/01/2023"):
            assert number not in kept, f"{number!r} kept in {path.name}"


@pytest.mark.skipif(not any(GOLD.glob("*.jsonl")), reason="no gold annotations")
def test_every_gold_mention_is_inside_the_body():
    for gold_file in sorted(GOLD.glob("*.jsonl")):
        text, ranges = seed(CORPUS / f"{gold_file.stem}.txt")
        for line in gold_file.read_text(encoding="utf-8").splitlines():
            if line.strip():
                rec = json.loads(line)
                assert covered(ranges, rec["start"], rec["end"]), f"gold {rec['text']!r} of {gold_file.stem} dropped"


def _articles_with_numbers(unc_path: Path, n: int) -> list[str]:
    found = []
    with unc_path.open(encoding="utf-8") as fh:
        for line in fh:
            text = normalize_text(json.loads(line)["text"])
            lines = text.split("\n")
            if len(lines) >= 5 and any(ch.isdigit() for ch in lines[-1]):
                found.append(text)
            if len(found) == n:
                break
    return found


@pytest.mark.parametrize("marker", ["Đọc thêm", "Tin liên quan", "Tin khác", "Xem thêm:", "TIN LIÊN QUAN"])
def test_glued_related_article_is_cut(unc_path, marker):
    first, second = _articles_with_numbers(unc_path, 2)
    text = f"{first}\n\n{marker}\n\n{second}"
    ranges = find_body(text)
    assert ranges and ranges[-1][1] <= len(first)
    last_paragraph = first.rstrip().split("\n")[-1].strip()
    assert text.rstrip().find(last_paragraph) >= 0
    assert covered(ranges, first.find(last_paragraph), first.find(last_paragraph) + len(last_paragraph))
    second_title = second.split("\n")[0]
    assert not covered(ranges, len(first), len(text)) and second_title not in body_text(text, ranges)


def test_clean_article_is_kept_whole(unc_path):
    """Articles without furniture (the dantri corpus) keep nearly every character."""
    kept = total = 0
    with unc_path.open(encoding="utf-8") as fh:
        for i, line in enumerate(fh):
            if i == 300:
                break
            text = normalize_text(json.loads(line)["text"])
            kept += sum(e - s for s, e in find_body(text))
            total += sum(len(ln.text) for ln in split_lines(text))
    assert kept / total > 0.98


def test_captions_kept_and_bare_credits_dropped():
    text = ("Giá vàng tăng mạnh\n"
            "Nguyễn Hà\n"
            "Giá vàng hôm nay tăng 2 triệu đồng mỗi lượng so với hôm qua.\n"
            "Khách mua vàng tại một cửa hàng ở Hà Nội sáng 12/3. Ảnh: Hoàng Hà\n"
            "Ảnh: TTXVN\n"
            "Thứ hai là nhu cầu mua vàng của 3 nhóm khách hàng tăng.\n"
            "Theo VnExpress\n")
    kept = body_text(text, find_body(text))
    assert kept.startswith("Giá vàng tăng mạnh")
    assert "Khách mua vàng tại một cửa hàng ở Hà Nội sáng 12/3. Ảnh: Hoàng Hà" in kept
    assert "Thứ hai là nhu cầu mua vàng của 3 nhóm khách hàng tăng." in kept
    assert "Nguyễn Hà" not in kept and "Ảnh: TTXVN" not in kept and "Theo VnExpress" not in kept


def test_a_lone_number_line_is_kept():
    """A table cell on its own line is article text, not a counter."""
    text = "Kết quả tuyển sinh\nSố thí sinh trúng tuyển như sau.\n1.426\nTổng cộng 2.000 thí sinh dự thi năm nay."
    assert "1.426" in body_text(text, find_body(text))


def test_empty_and_blank_text():
    assert find_body("") == []
    assert find_body("\n  \n\t\n") == []


def test_text_itself_is_never_changed():
    text = "  Tiêu đề  \r\nNội dung có 5 người.\n"
    ranges = find_body(text)
    assert text == "  Tiêu đề  \r\nNội dung có 5 người.\n"
    assert text[ranges[0][0]:].startswith("Tiêu đề") and text[:ranges[-1][1]].endswith("5 người.")


def test_table_rows_stay_and_counter_lines_go():
    text = ("Số ca mắc theo ngày\n"
            "Bộ Y tế công bố số ca mắc mới trong tuần qua như sau.\n"
            "Ngày 12/5 15.000\n"
            "Lượt xem: 1.234\n"
            "Thứ hai, 18/09/2023 | Bình luận 12\n"
            "Tổng cộng tuần qua có 80.000 ca mắc.")
    kept = body_text(text, find_body(text))
    assert "Ngày 12/5 15.000" in kept and "Tổng cộng tuần qua có 80.000 ca mắc." in kept
    assert "1.234" not in kept and "Bình luận 12" not in kept


def test_inline_related_links_go_but_the_body_goes_on():
    text = ("Giá xăng giảm mạnh\n"
            "Giá xăng RON95 giảm 1.000 đồng mỗi lít từ chiều nay.\n"
            "Xem thêm: Thương hiệu 145 tuổi sụp đổ\n"
            ">> Giá vàng tăng 2 triệu đồng\n"
            "Video\n"
            "Giá dầu diesel cũng giảm 500 đồng mỗi lít.")
    kept = body_text(text, find_body(text))
    assert "145 tuổi" not in kept and "2 triệu đồng" not in kept
    assert "Giá dầu diesel cũng giảm 500 đồng mỗi lít." in kept


def test_dateline_above_the_title_and_section_back_links():
    """VnExpress-like layout: the dateline first, byline and back links at the end."""
    text = ("Thứ tư, 22/10/2025, 10:00 (GMT+7)\n"
            "Đau bụng kéo dài, phát hiện ung thư ruột non\n"
            "Người đàn ông 63 tuổi đau bụng kéo dài, bác sĩ chẩn đoán ung thư.\n"
            "Bệnh nhân được điều trị 6 tháng và đã ổn định.\n"
            "Lê Phương\n"
            "Trở lại Sức khỏe\n"
            "Trở lại Sức khỏe\n"
            "Thích | Chia sẻ\n"
            "Ý kiến (0)\n"
            "Bác sĩ cảnh báo 5 dấu hiệu ung thư\n")
    ranges = find_body(text)
    kept = body_text(text, ranges)
    assert kept.startswith("Đau bụng kéo dài") and kept.endswith("đã ổn định.")
    assert "5 dấu hiệu" not in kept and "22/10/2025" not in kept


LINES = ["Tiêu đề bài viết", "Nhật An", "01/10/2023 - 08:25", "Lượt xem: 3095", "Có 1.426 tổ công nghệ số.",
         "Ảnh: TTXVN", "Đọc thêm", "Theo Vietnamnet", "", "  ", "×", "Hôm nay: 0", "Bình luận", "1.426",
         "Tỷ lệ đạt 80%; tăng 16,4% so với năm 2021.", "Thứ hai, 18/09/2023", "Xem thêm: Bài khác 145 tuổi"]


@given(st.lists(st.sampled_from(LINES) | st.text(max_size=40), max_size=25),
       st.sampled_from(["\n", "\r\n"]))
@settings(max_examples=300, deadline=None)
def test_ranges_are_always_whole_stripped_lines_in_order(lines, newline):
    text = normalize_text(newline.join(lines))
    ranges = find_body(text)
    previous_end = -1
    for start, end in ranges:
        assert previous_end < start < end <= len(text)
        chunk = text[start:end]
        assert chunk == chunk.strip()
        assert start == 0 or text[start - 1] == "\n" or not text[:start].split("\n")[-1].strip()
        previous_end = end


# Crawls that glue a whole page into one line (24h, corpus-multi): furniture inside the line is cut out.
def test_inline_bookmark_toast_teaser_and_source_placeholder_go():
    text = ("Nữ sinh lớp 5 ở Cà Mau bị người thân dùng dao cắt giấy gây thương tích\n"
            "Lưu bài viết thành công Bạn có thể xem lại bài viết đã lưu ở trangTin bài đã lưu Ngày 3-2, lãnh đạo "
            "Trường Tiểu học 1 Khánh Bình Tây Bắc cho biết nữ sinh lớp 5 (12 tuổi) có nhiều vết thương. Sau khi phát "
            "hiện vụ việc, gia đình đã đón em về nhà tại xã Khánh Bình, tỉnh Cà Mau để chăm sóc. Theo dượng của 2 "
            "cháu bị cha xích, nhốt trong phòng bẩn thỉu, các cháu không được đến trường "
            "Nguồn: [Link nguồn]Nguồn: [Link nguồn]")
    kept = body_text(text, find_body(text))
    assert kept.startswith("Nữ sinh lớp 5") and "Lưu bài viết" not in kept and "Tin bài đã lưu" not in kept
    assert "Ngày 3-2, lãnh đạo" in kept and kept.endswith("tỉnh Cà Mau để chăm sóc.")
    assert "2 cháu" not in kept and "[Link nguồn]" not in kept


def test_inline_teaser_cut_short_and_tagged_teaser_and_promo_go():
    text = ("Arsenal vào chung kết\n"
            "Lưu bài viết thành công Bạn có thể xem lại bài viết đã lưu ở trangTin bài đã lưu Arsenal thắng 3-2 "
            "ở lượt đi. Liverpool - Man City 08.02 Dự đoán tỷ số trận đấu.Cơ hội trúng ngay 500.000 đồng!!! "
            "(Tin thể thao, tin tennis) Australian Open 2026 sớm chứng kiến sự khắc nghiệt quen thuộc khi bốn nhà "
            "vô địch Grand Slam đơn bất ngờ dừng bước ngay... Nguồn: [Link nguồn]Nguồn: [Link nguồn]")
    kept = body_text(text, find_body(text))
    assert "Arsenal thắng 3-2 ở lượt đi." in kept
    assert "500.000" not in kept and "bốn nhà" not in kept and "Tin thể thao" not in kept


def test_a_table_before_the_source_placeholder_stays():
    """A teaser is short: a long unpunctuated stretch (a flattened ranking table) is not one."""
    rows = " ".join(f"{i} Tay vợt {i} (Ý) {20 + i} 0 {10000 - i * 300}" for i in range(1, 30))
    text = f"Bảng xếp hạng ATP\nTuần này có nhiều thay đổi. Bảng xếp hạng tennis đơn Nam {rows} Nguồn: [Link nguồn]"
    assert "Tay vợt 29" in body_text(text, find_body(text))


def test_a_sentence_written_twice_in_a_row_keeps_its_first_copy():
    text = ("Dàn sao mặc hở bạo trên thảm đỏ Grammy\n"
            "Ngôi sao truyền hình JaNa Craig diện đầm đuôi cá xuyên thấu, cut-out. Rosé diện đầm cúp ngực, nhấn bằng "
            "hai dải vải lớn ở hông. Rosé diện đầm cúp ngực, nhấn bằng hai dải vải lớn ở hông. Sabrina Carpenter ghi "
            "điểm với đầm Valentino.")
    ranges = find_body(text)
    first = text.find("Rosé")
    assert covered(ranges, first, text.find(".", first) + 1)
    assert not covered(ranges, text.find("Rosé", first + 1), text.find("Rosé", first + 1) + 4)
    assert "Sabrina Carpenter ghi điểm với đầm Valentino." in body_text(text, ranges)


def test_a_chain_of_links_inside_a_line_goes_but_the_sentence_after_it_stays():
    text = ("Mưa đá ở Gia Lai\n"
            "Vịnh Bắc Bộ gió đông bắc giật cấp 8. » Mưa đá bất thường đổ xuống Sài Gòn » Lốc xoáy kèm mưa đá suốt "
            "2 ngày tàn phá Gia Lai Diệp Vy (tổng hợp)\n"
            "Nhiều ngân hàng bán nợ xấu cho VAMC. >> Nợ xấu, cần nhìn từ con số báo cáo tài chính cuối năm >> Không "
            "có thị trường mua bán nợ, khó thành công Nợ nhóm 5 của các NHTM khu vực TP. HCM chiếm gần 70% tổng nợ xấu.")
    kept = body_text(text, find_body(text))
    assert "Vịnh Bắc Bộ gió đông bắc giật cấp 8." in kept and "2 ngày" not in kept and "Sài Gòn" not in kept
    assert "con số báo cáo" not in kept and "70% tổng nợ xấu" in kept and "bán nợ xấu cho VAMC." in kept


def test_a_teaser_opened_by_a_dateline_goes_even_with_its_full_stop():
    text = ("Cháy nhà trọ ở Hà Nội\n"
            "Vụ cháy xảy ra lúc 1 giờ sáng, nguyên nhân đang được điều tra. TPO - Rạng sáng 4/2, một vụ hỏa hoạn xảy "
            "ra tại nhà trọ 8 tầng trên phố Khương Trung (Hà Nội). Nguồn: [Link nguồn]Nguồn: [Link nguồn]")
    kept = body_text(text, find_body(text))
    assert kept.endswith("nguyên nhân đang được điều tra.") and "8 tầng" not in kept
