"""The HTML cleaner: real VnExpress / Dân trí pages, the fixture site, generic fallback, decoding, readers."""
from __future__ import annotations

import json
import re
import unicodedata
from datetime import datetime

import pytest
import soupsieve

from conftest import HTML_VN
from fixture_site import encode_cp1258
from pipeline.errors import InputError
from pipeline.html import UndecodableError, decode_html
from pipeline.html.metadata import date_from_url, normalize_date
from pipeline.html.site_rules import cleaning_rules
from pipeline.html_clean import Article, clean_html
from pipeline.read_html import read_html_file
from pipeline.textmetrics import token_f1, tokens

EXPECTED = HTML_VN / "expected"
VNEXPRESS = "vnexpress_dau-bung-keo-dai-phat-hien-ung-thu-lymphoma-ruot-non-4954454"
LISTING = "dantri_LISTING_kinh-doanh"


def _article_names() -> list[str]:
    """Names of the real article pages that have an expected text."""
    return sorted(p.stem for p in EXPECTED.glob("*.txt")) if EXPECTED.is_dir() else []


def _clean_page(name: str) -> Article:
    """Clean one page of ../shared/html-vn (skips when the material is absent)."""
    page = HTML_VN / f"{name}.html"
    if not page.exists():
        pytest.skip(f"{page} not present")
    article = clean_html(page.read_bytes())
    assert article is not None and article.is_article
    return article


# ------------------------------------------------------------------------------------------------ token F1
def test_token_f1_identical_and_disjoint():
    assert token_f1("Giá vàng tăng 2%", "giá  vàng TĂNG 2 %") == 1.0
    assert token_f1("một hai", "ba bốn") == 0.0
    assert token_f1("", "") == 1.0
    assert token_f1("", "có chữ") == 0.0


def test_token_f1_partial_overlap_counts_repeats():
    # predicted: a a b (3 tokens); expected: a b c d (4 tokens); overlap a, b = 2
    precision, recall = 2 / 3, 2 / 4
    assert token_f1("a a b", "a b c d") == pytest.approx(2 * precision * recall / (precision + recall))


def test_tokens_are_nfc_and_casefolded():
    decomposed = "Vie\u0323\u0302t Nam"  # "Việt" in NFD
    assert tokens(decomposed) == ["việt", "nam"]


# ------------------------------------------------------------------------------------------- real pages
@pytest.mark.parametrize("name", _article_names() or ["(no html-vn material)"])
def test_real_page_text_matches_expected(name):
    if name.startswith("("):
        pytest.skip("../shared/html-vn absent")
    article = _clean_page(name)
    expected = (EXPECTED / f"{name}.txt").read_text(encoding="utf-8")
    assert token_f1(article.text, expected) >= 0.98
    assert article.method and article.method.startswith("site:")
    assert "\n\n" not in article.text and article.text == article.text.strip()


def test_vnexpress_lead_author_date_title_against_gold():
    article = _clean_page(VNEXPRESS)
    gold = json.loads((HTML_VN / "vnexpress_gold.json").read_text(encoding="utf-8"))["V1"]
    assert article.title == gold["title"]
    assert article.lead == gold["body"]["summary"][0]
    assert article.author == ", ".join(gold["authors"])
    assert datetime.fromisoformat(article.published) == datetime.fromisoformat(gold["publishing_date"])
    assert article.site == "vnexpress.net"
    # The byline is the author, not a body paragraph.
    assert article.paragraphs[-1] == gold["body"]["sections"][0]["paragraphs"][-1]
    assert "Lê Phương" not in article.text
    # The photo caption is kept in page order, and flagged as a caption.
    caption = "Y bác sĩ nội soi cho bệnh nhân. Ảnh: Bệnh viện cung cấp"
    assert article.paragraphs.index(caption) == 2 and article.captions == [2]


DANTRI_FACTS = {
    # name prefix: (published from the URL timestamp, author byline or None, lead start)
    "dantri_cuc-hang-khong": ("2022-12-24T15:21:17", None, "(Dân trí) - Mới đây, Cục Hàng không"),
    "dantri_gia-vang": ("2022-12-24T01:26:50", None, "(Dân trí) - Giá vàng đi xuống"),
    "dantri_gia-chung-cu": ("2022-12-23T13:52:01", "Thanh Xuân", "Hiện giá nhà ở tại các thành phố lớn"),
    "dantri_the-tran-giang-co": ("2022-12-23T16:02:08", None, "Khi cuộc xung đột sắp bước sang năm thứ hai"),
    "dantri_top-10": ("2022-12-24T19:56:38", None, "(Dân trí) - Sau World Cup 2022"),
}


@pytest.mark.parametrize("prefix", sorted(DANTRI_FACTS))
def test_dantri_date_author_lead(prefix):
    names = [n for n in _article_names() if n.startswith(prefix)]
    if not names:
        pytest.skip("../shared/html-vn absent")
    article = _clean_page(names[0])
    published, author, lead_start = DANTRI_FACTS[prefix]
    assert article.published == published
    assert article.author == author  # never the publisher "Dân Trí" of the meta tag
    assert article.lead.startswith(lead_start)
    assert article.site == "dantri.com.vn"
    assert article.title and article.title in article.text.split("\n")[0]


def test_dantri_emagazine_drops_uppercase_title_heading():
    names = [n for n in _article_names() if n.startswith("dantri_the-tran")]
    if not names:
        pytest.skip("../shared/html-vn absent")
    article = _clean_page(names[0])
    assert article.title == "Thế trận giằng co trên chiến trường Ukraine sau 10 tháng xung đột khốc liệt"
    assert not any(p.isupper() and "THẾ TRẬN" in p for p in article.paragraphs)
    assert article.lead not in article.paragraphs


def test_dantri_every_page_has_url_date_and_no_publisher_author():
    names = [n for n in _article_names() if n.startswith("dantri_")]
    if not names:
        pytest.skip("../shared/html-vn absent")
    for name in names:
        article = _clean_page(name)
        stamp = re.search(r"-(\d{14})\d*$", name).group(1)
        assert article.published == datetime.strptime(stamp, "%Y%m%d%H%M%S").isoformat()
        assert article.author != "Dân Trí"


def test_listing_page_is_not_an_article():
    page = HTML_VN / f"{LISTING}.html"
    if not page.exists():
        pytest.skip(f"{page} not present")
    article = clean_html(page.read_bytes())
    assert article is None or not article.is_article
    with pytest.raises(InputError, match="not an article"):
        read_html_file(page)


def test_read_html_file_builds_document():
    page = HTML_VN / f"{VNEXPRESS}.html"
    if not page.exists():
        pytest.skip(f"{page} not present")
    doc = read_html_file(page)
    assert doc.doc_id == VNEXPRESS
    assert doc.text.startswith("Đau bụng kéo dài, phát hiện ung thư lymphoma ruột non\nNgười đàn ông 63 tuổi")
    assert doc.meta["url"] == "https://vnexpress.net/dau-bung-keo-dai-phat-hien-ung-thu-lymphoma-ruot-non-4954454.html"
    assert doc.meta["author"] == "Lê Phương" and doc.meta["source"] == str(page)
    assert doc.meta["published"] == "2025-10-22"  # the page: 2025-10-22T19:25:52+07:00


# ------------------------------------------------------------------------------------------ fixture site
def _fixture_site():
    """The other helper's fixture news site (skips when it does not exist)."""
    module = pytest.importorskip("fixture_site")
    return module.build_site()


# Page furniture of the fixture templates (counters, comments, share links, related headers).
FURNITURE = re.compile(r"\d+ lượt xem|bình luận \(|ý kiến \(|độc giả hùng|cảm ơn tác giả|\d+ thích|tweet|"
                       r"tin liên quan|trang chủ|tìm kiếm|copyright|hotline|giấy phép", re.IGNORECASE)


def _assert_clean_fixture_article(article: Article | None, fixture, site) -> None:
    """Text close to the fixture's, and none of the page furniture or related titles."""
    assert article is not None and article.is_article
    # The fixture's expected text leaves photo captions out (html-vn's keeps them): compare without them,
    # and the full text must stay close too.
    assert token_f1(article.text_without_captions(), fixture.text) >= 0.98
    assert token_f1(article.text, fixture.text) >= 0.95
    assert len(FURNITURE.findall(article.text)) == len(FURNITURE.findall(fixture.text))
    others = [a.title for a in site.articles if a.title not in fixture.text]
    assert not [t for t in others if t in article.text]


def test_fixture_articles_clean_with_generic_fallback():
    site = _fixture_site()
    assert site.articles
    for fixture in site.articles:
        article = clean_html(site.pages[fixture.path][2], site.url(fixture.path))
        _assert_clean_fixture_article(article, fixture, site)
        assert article.method == "density"
        assert datetime.fromisoformat(article.published) == datetime.fromisoformat(fixture.published)


def test_fixture_articles_clean_with_site_rules_of_their_template():
    site = _fixture_site()
    hosts = {"dantri": "https://dantri.com.vn", "vnexpress": "https://vnexpress.net"}
    for fixture in site.articles:
        article = clean_html(site.pages[fixture.path][2], hosts[fixture.template] + fixture.path)
        _assert_clean_fixture_article(article, fixture, site)
        assert article.method == f"site:{fixture.template}"
        assert article.title == fixture.title and article.lead == fixture.lead
        assert article.author == ("Minh Anh" if fixture.template == "dantri" else "Ngọc Thành")


def test_fixture_listing_and_home_pages_are_not_articles():
    site = _fixture_site()
    article_paths = {a.path for a in site.articles}
    listings = [p for p in site.pages if p not in article_paths and (p.endswith(".htm") or p == "/")]
    assert listings
    for path in listings:
        article = clean_html(site.pages[path][2], site.url(path))
        assert article is None or not article.is_article, path


# ---------------------------------------------------------------------------------------- generic pages
GENERIC_PAGE = """<!DOCTYPE html><html><head><meta charset="utf-8">
<title>Sản lượng cà phê tăng mạnh - Báo Mẫu</title>
<meta property="og:site_name" content="Báo Mẫu">
<meta property="og:title" content="Sản lượng cà phê tăng mạnh - Báo Mẫu">
<meta property="og:description" content="Sản lượng cà phê của tỉnh đạt 550.000 tấn, tăng 12% so với năm trước.">
<script type="application/ld+json">{"@context": "https://schema.org", "@type": "NewsArticle",
 "headline": "Sản lượng cà phê tăng mạnh", "datePublished": "2023-11-02T07:30:00+07:00",
 "author": [{"@type": "Person", "name": "Hoàng Lan"}], "publisher": {"@type": "Organization", "name": "Báo Mẫu"}}
</script></head><body>
<header><nav><a href="/">Trang chủ</a> <a href="/kinh-te">Kinh tế</a></nav></header>
<div class="main"><div class="content">
<h1>Sản lượng cà phê tăng mạnh</h1>
<p>Niên vụ 2022-2023, toàn tỉnh có 210.000 ha cà phê, trong đó diện tích cho sản phẩm đạt 195.000 ha, năng suất bình quân 28 tạ/ha.</p>
<p>Theo Sở Nông nghiệp, giá cà phê nhân xô hiện ở mức 61.000 đồng/kg, cao hơn cùng kỳ năm trước khoảng 20.000 đồng/kg, giúp nông dân có lãi.</p>
<figure><img src="/a.jpg"><figcaption>Nông dân thu hoạch cà phê (Ảnh: Hoàng Lan).</figcaption></figure>
<p>Tỉnh đặt mục tiêu đến năm 2025 có 50% diện tích cà phê được chứng nhận sản xuất bền vững, với kim ngạch xuất khẩu đạt 1 tỷ USD.</p>
<p>Đọc thêm: Giá hồ tiêu lập đỉnh mới trong 5 năm qua</p>
<p>Giá hồ tiêu hôm nay tăng thêm 3.000 đồng/kg tại các vùng trồng trọng điểm, lên mức cao nhất kể từ năm 2018.</p>
</div>
<div class="related-news"><h3><a href="/x">Giá lúa gạo tăng 5%</a></h3></div>
<div class="comment-box"><p>Bình luận (3)</p><p>Độc giả: giá tăng 30% rồi mà vẫn lỗ.</p></div>
<div class="view">Lượt xem: 3095</div>
</div><footer><p>Giấy phép số 123/GP-BTTTT</p></footer></body></html>"""


def test_generic_page_uses_json_ld_and_removes_furniture():
    article = clean_html(GENERIC_PAGE, url="https://baomau.example.vn/kinh-te/ca-phe-123.html")
    assert article is not None and article.is_article
    assert article.title == "Sản lượng cà phê tăng mạnh"
    assert article.lead.startswith("Sản lượng cà phê của tỉnh đạt 550.000 tấn")
    assert article.published == "2023-11-02T07:30:00+07:00"
    assert article.author == "Hoàng Lan"
    assert article.site == "baomau.example.vn"
    assert article.paragraphs[2] == "Nông dân thu hoạch cà phê (Ảnh: Hoàng Lan)." and article.captions == [2]
    # The glued-on article after "Đọc thêm:", related box, comments, counter and footer are all gone.
    for junk in ("hồ tiêu", "lúa gạo", "Bình luận", "30%", "3095", "Giấy phép"):
        assert junk not in article.text
    assert article.paragraphs[-1].startswith("Tỉnh đặt mục tiêu đến năm 2025")


def test_generic_falls_back_to_trafilatura_when_density_finds_no_paragraphs():
    sentence = "Năm 2023, sản lượng điện thương phẩm của tỉnh đạt 1.250 triệu kWh, tăng 8,5% so với năm trước."
    blocks = "".join(f"<div>{sentence} Đoạn {i}.</div>" for i in range(5))  # text in <div>s, no <p>
    html = ('<html><head><meta property="article:published_time" content="2024-01-01"><title>Điện tăng</title>'
            f'</head><body><div id="main">{blocks}</div></body></html>')
    article = clean_html(html, url="https://dien.example.vn/a.html")
    assert article is not None and article.method == "trafilatura"
    assert article.paragraphs[0] == f"{sentence} Đoạn 0." and len(article.paragraphs) == 5
    assert article.published == "2024-01-01"


def test_generic_page_without_markup_and_short_text_is_not_an_article():
    page = "<html><head><title>Lỗi</title></head><body><p>Trang không tồn tại.</p></body></html>"
    assert clean_html(page, url="https://example.vn/missing") is None


def test_same_page_cleans_to_identical_text():
    first = clean_html(GENERIC_PAGE, url="https://baomau.example.vn/a.html")
    second = clean_html(GENERIC_PAGE.encode("utf-8"), url="https://baomau.example.vn/a.html")
    assert first.text == second.text and first.published == second.published


# ---------------------------------------------------------------------------------------------- dates
@pytest.mark.parametrize("raw, iso", [
    ("2025-10-22T19:25:52+07:00", "2025-10-22T19:25:52+07:00"),
    ("2023-11-02", "2023-11-02"),
    ("Thứ bảy, 24/12/2022 - 15:21", "2022-12-24T15:21:00"),
    ("08:25 01/10/2023", "2023-10-01T08:25:00"),
    ("không có ngày", None),
    ("31/02/2023", None),
    ("ngày 1 tháng 10 năm 2020", "2020-10-01"), ("Oct 1, 2020", "2020-10-01"), ("1761135952", "2025-10-22"),
    ("2020", None), ("tháng 10/2020", None),  # a year or a month alone: JSON-LD or the URL may say the day
])
def test_normalize_date(raw, iso):
    assert normalize_date(raw) == iso


def test_date_from_dantri_url():
    rules = cleaning_rules()
    url = "https://dantri.com.vn/xa-hoi/cuc-hang-khong-tang-cuong-20221224152117143.htm"
    assert date_from_url(url, rules) == "2022-12-24T15:21:17"
    assert date_from_url("https://example.vn/2023/05/07/bai-viet.html", rules) == "2023-05-07"
    assert date_from_url("https://vnexpress.net/dau-bung-4954454.html", rules) is None


# ------------------------------------------------------------------------------------------- decoding
def test_decode_meta_charset_windows_1258():
    html = '<html><head><meta charset="windows-1258"></head><body><p>Giá tăng</p></body></html>'
    assert "Giá tăng" in decode_html(html.encode("cp1258"))


def test_cp1258_page_with_combining_tones_cleans_to_nfc():
    text = "Sản lượng lúa của Việt Nam đạt 43 triệu tấn, tăng 1,2% so với năm trước theo số liệu thống kê."
    html = ('<html><head><meta charset="windows-1258"><meta property="article:published_time" '
            'content="2023-01-02"></head><body><div><h1>Lúa gạo Việt Nam</h1>'
            + f"<p>{text}</p><p>{text}</p><p>{text}</p><p>{text}</p><p>{text}</p></div></body></html>")
    data = encode_cp1258(html)
    assert data.decode("cp1258") != html and unicodedata.normalize("NFC", data.decode("cp1258")) == html
    article = clean_html(data, url="https://lua.example.vn/a.html")
    assert article is not None and text in article.paragraphs and article.title == "Lúa gạo Việt Nam"


def test_decode_bom_and_header_charset():
    assert decode_html(b"\xef\xbb\xbf<p>Vi\xe1\xbb\x87t</p>") == "<p>Việt</p>"
    latin = "<p>café</p>".encode("latin-1")
    assert decode_html(latin, declared="iso-8859-1") == "<p>café</p>"


def test_undecodable_bytes_raise():
    garbage = bytes(range(128, 256)) * 40 + b"\x00\x01\x02" * 50
    with pytest.raises(UndecodableError):
        decode_html(garbage)


def test_read_html_file_reports_undecodable_page(tmp_path):
    page = tmp_path / "hong.html"
    page.write_bytes(bytes(range(128, 256)) * 40 + b"\x00\x01\x02" * 50)
    with pytest.raises(InputError, match="cannot decode"):
        read_html_file(page)


# ---------------------------------------------------------------------------------------------- rules
def test_site_rules_are_well_formed():
    rules = cleaning_rules()
    names = {site.name for site in rules.sites}
    assert {"vnexpress", "dantri", "tuoitre", "thanhnien", "vietnamnet", "vov", "baodaklak"} <= names
    for site in rules.sites:
        assert site.hosts and site.layouts
        for layout in site.layouts:
            assert layout.body, site.name
            for selector in (*layout.body, *layout.title, *layout.lead, *layout.drop, *layout.byline,
                             *layout.author, *layout.published):
                soupsieve.compile(selector)  # raises on a broken selector
    assert rules.site_for("www.vnexpress.net").name == "vnexpress"
    assert rules.site_for("e.vnexpress.net").name == "vnexpress"
    assert rules.site_for("m.dantri.com.vn").name == "dantri"
    assert rules.site_for("notdantri.com.vn") is None
    assert rules.is_publisher("dân trí")


def test_furniture_patterns_drop_counters_but_keep_sentences():
    rules = cleaning_rules()
    furniture = ["Lượt xem: 3095", "Hôm nay: 0", "0 bình luận", "Ảnh: Reuters", "Tin liên quan:"]
    for line in furniture:
        assert any(p.fullmatch(line) for p in rules.furniture + rules.stop_at), line
    sentence = "Tin liên quan đến vụ việc cho thấy 30 người bị ảnh hưởng."
    assert not any(p.fullmatch(sentence) for p in rules.furniture + rules.stop_at)


def test_nested_blocks_give_one_paragraph_each():
    html = ("<html><head><meta property='og:url' content='https://vnexpress.net/a-1234567.html'></head><body>"
            "<h1 class='title-detail'>Tiêu đề bài viết thử nghiệm</h1><p class='description'>Tóm tắt.</p>"
            "<article class='fck_detail'><p class='Normal'>Đoạn một có <a href='#'>liên kết</a> ở giữa.</p>"
            "<figure><figcaption><p class='Image'>Chú thích ảnh.</p></figcaption></figure>"
            "<ul><li><p>Mục danh sách.</p></li></ul>"
            "<p class='Normal' style='text-align:right;'><strong>Hải Yến</strong></p></article></body></html>")
    article = clean_html(html)
    assert article.paragraphs == ["Đoạn một có liên kết ở giữa.", "Chú thích ảnh.", "Mục danh sách."]
    assert article.author == "Hải Yến" and article.captions == [1]


# ------------------------------------------------------------------------------------------ robustness
from hypothesis import given, settings, strategies as st  # noqa: E402

_FRAGMENTS = st.sampled_from([
    "<p>", "</p>", "<div class='content'>", "</div>", "<h1>", "</h1>", "<figcaption>", "<br>", "<script>",
    "</script>", "<a href='/x'>", "</a>", "Giá tăng 5%. ", "Lượt xem: 10", "Đọc thêm: ", "\n", "  ", "&nbsp;",
    "<meta property='article:published_time' content='2023-01-02'>", "Năm 2023 sản lượng đạt 1.250 tấn. " * 5,
])


@settings(max_examples=60, deadline=None)
@given(st.lists(_FRAGMENTS, max_size=40), st.sampled_from([None, "https://vnexpress.net/a-1234567.html",
                                                            "https://dantri.com.vn/a-20221224152117143.htm",
                                                            "https://other.example.vn/a.html"]))
def test_clean_html_never_raises_and_text_has_no_blank_lines(parts, url):
    article = clean_html("".join(parts), url=url)
    if article is not None:
        assert "\n\n" not in article.text and article.text == article.text.strip()
        assert all(p and "\n" not in p for p in article.paragraphs)
