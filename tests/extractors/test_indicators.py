"""Indicator linking (extractors/indicators.py, rules/indicators.yaml): real sentences, the example walk, overlays."""
from __future__ import annotations

from pathlib import Path

import pytest

from extractors import check_rules
from extractors.indicators import (clause, example_failures, indicator_label, indicators, link_indicator,
                                   _example_contradiction)
from extractors.rule_catalog import describe_rule
from helpers import mentions
from rules import RuleError, load_rules, use_rules

CORPUS = Path(__file__).resolve().parents[2] / "corpus"


def link(sentence: str, figure: str) -> str | None:
    """The indicator the mention FIGURE of SENTENCE links to, through the extractor (as the pipeline will)."""
    found = [m for m in mentions(sentence) if m.text == figure]
    assert found, f"{figure!r} not extracted from {sentence!r}"
    m = found[0]
    text = sentence[m.sentence_start:m.sentence_end]
    span = (m.start - m.sentence_start, m.end - m.sentence_start)
    return link_indicator(m.kind, m.unit, m.subject, text, m.change, span)[0]


# Real sentences: the seed articles (corpus/*.txt) and the shared corpora (../shared/corpus-unc, corpus-multi).
REAL = [
    # seeds: the digital-transformation family
    ("Tỉnh Đắk Lắk đã cung cấp 1.637 thủ tục hành chính, trong đó có 491 DVCTT một phần, 681 DVCTT toàn trình "
     "với khoảng 3.853 cán bộ công chức thường xuyên sử dụng.", "491", "online_public_services_partial"),
    ("Tỉnh Đắk Lắk đã cung cấp 1.637 thủ tục hành chính, trong đó có 491 DVCTT một phần, 681 DVCTT toàn trình "
     "với khoảng 3.853 cán bộ công chức thường xuyên sử dụng.", "681", "online_public_services_full"),
    ("Tỉnh Đắk Lắk đã cung cấp 1.637 thủ tục hành chính, trong đó có 491 DVCTT một phần, 681 DVCTT toàn trình "
     "với khoảng 3.853 cán bộ công chức thường xuyên sử dụng.", "3.853", None),
    ("Tính đến tháng 9/2023, tại Đắk Lắk đã thành lập 1.426 Tổ công nghệ số cộng đồng tại các thôn, buôn, tổ dân "
     "phố với 9.278 thành viên.", "1.426", "dt_community_tech_teams"),
    ("Tính đến tháng 9/2023, tại Đắk Lắk đã thành lập 1.426 Tổ công nghệ số cộng đồng tại các thôn, buôn, tổ dân "
     "phố với 9.278 thành viên.", "9.278", "dt_community_tech_members"),
    ("Đến nay, toàn tỉnh đã thành lập được hơn 1.000 tổ công nghệ số cộng đồng, với hơn 5.500 người tham gia.",
     "5.500", "dt_community_tech_members"),
    ("Số thuê bao băng rộng cố định/100 dân đạt 2,05%; tỷ lệ phần trăm hộ gia đình có truy nhập Internet băng rộng "
     "cáp quang đạt 90%.", "2,05%", "fixed_broadband_subscribers"),
    ("Đối với nội dung kinh tế số, TT-Huế phấn đấu kinh tế số chiếm 15% GRDP; tối thiểu 20% sản phẩm hàng hóa và "
     "dịch vụ được chứng nhận thương hiệu có mặt trên các sàn thương mại điện tử.", "15%", "digital_economy_share"),
    ("Đối với nội dung kinh tế số, TT-Huế phấn đấu kinh tế số chiếm 15% GRDP; tối thiểu 20% sản phẩm hàng hóa và "
     "dịch vụ được chứng nhận thương hiệu có mặt trên các sàn thương mại điện tử.", "20%", "ecommerce_products"),
    ("Tính đến tháng 10/2024, tỉnh Đắk Lắk có 1.715 sản phẩm trên sàn TMĐT, có 42.933 giao dịch trên sàn TMĐT, "
     "đứng thứ 5 toàn quốc.", "1.715", "ecommerce_products"),
    ("Tính đến tháng 10/2024, tỉnh Đắk Lắk có 1.715 sản phẩm trên sàn TMĐT, có 42.933 giao dịch trên sàn TMĐT, "
     "đứng thứ 5 toàn quốc.", "42.933", "ecommerce_transactions"),
    ("Trong nỗ lực phát triển công dân số, toàn tỉnh đã thu nhận, cấp 1.884.110 tài khoản định danh điện tử.",
     "1.884.110", "electronic_id_accounts"),
    ("Tỷ lệ dân số có tài khoản thanh toán điện tử đạt 101,9% (1.954.846/1.918.440).", "101,9%",
     "payment_accounts"),
    ("Cụ thể năm 2022, chỉ số chuyển đổi số quốc gia năm 2022 xếp hạng 47/63 tỉnh, thành phố.", "47/63",
     "dti_rank"),
    ("Hiện toàn tỉnh có 98,6% thôn, bản được phủ sóng điện thoại di động (tối thiểu 2G); toàn tỉnh có 506 tuyến "
     "cáp quang với tổng chiều dài 3.316km.", "98,6%", "mobile_coverage"),
    ("Hiện toàn tỉnh có 98,6% thôn, bản được phủ sóng điện thoại di động (tối thiểu 2G); toàn tỉnh có 506 tuyến "
     "cáp quang với tổng chiều dài 3.316km.", "3.316km", "fiber_optic"),
    ("Có 259.652 hộ sản xuất nông nghiệp được đào tạo kỹ năng số.", "259.652", "digital_skills_trained"),
    # shared corpora: socio-economic figures
    ("Sau 10 tháng, CPI của Hà Nội tăng 6,4%.", "6,4%", "cpi"),
    ("Thu ngân sách hơn 52.700 tỉ đồng, vượt dự toán Trung ương giao; kim ngạch xuất nhập khẩu đạt trên 31 tỉ USD.",
     "52.700 tỉ đồng", "budget_revenue"),
    ("Thu ngân sách hơn 52.700 tỉ đồng, vượt dự toán Trung ương giao; kim ngạch xuất nhập khẩu đạt trên 31 tỉ USD.",
     "31 tỉ USD", "trade_total"),
    ("Bội chi dự kiến 5,3% tương đương khoảng 224.000 tỷ đồng.", "224.000 tỷ đồng", "budget_deficit"),
    ("Hiện Khu kinh tế Nghi Sơn có 15 dự án FDI đang hoạt động với tổng vốn đăng ký gần 10 tỷ USD.", "15",
     "fdi_projects"),
    ("Các nền kinh tế Trung Á được dự báo tăng trưởng trung bình ở mức 3,4% trong năm nay.", "3,4%",
     "grdp_growth"),
    ("Cho đến hiện tại, Viettel vẫn là mạng 4G lớn nhất Việt Nam với gần 42.000 trạm BTS và 33 triệu thuê bao.",
     "33 triệu", "mobile_subscribers"),
    ("Dự kiến, dịp 30/4 - 1/5, Khánh Hòa sẽ đón khoảng 70.000 lượt khách.", "70.000", "tourist_arrivals"),
    ("Trong năm 2020, giá vàng SJC đã tăng 30% đạt mức cao nhất từ trước đến nay.", "30%", "gold_price"),
    ("Trong khi đó, VN30-Index tăng nhẹ 1,69 điểm tương ứng 0,13% lên 1.276,73 điểm.", "1.276,73 điểm",
     "stock_index"),
    # precision: figures near an indicator's words that are not that indicator
    ("Em Dung trao trả lại số tiền, vàng trị giá hơn 450 triệu đồng cho chị Thắm.", "450 triệu đồng", None),
    ("Nếu vừa làm thêm giờ vừa làm ban đêm, được trả thêm 60% tiền lương.", "60%", None),
    ("Nợ công bằng 37% GDP.", "37%", "public_debt"),
    ("Tổng số vốn của các doanh nghiệp đăng ký tạm ngừng kinh doanh trong tháng 9 là 28.085 tỷ đồng, với số lao "
     "động là 22.396 người.", "22.396", None),
]


@pytest.mark.parametrize("sentence, figure, expected", REAL, ids=[f"{r[1]}->{r[2]}" for r in REAL])
def test_real_sentences_link_to_their_indicator(sentence, figure, expected):
    assert link(sentence, figure) == expected


def test_the_catalog_has_at_least_60_indicators_with_both_labels():
    inds = indicators()
    assert len(inds) >= 60
    assert indicator_label("grdp_growth") == ("Tốc độ tăng trưởng GRDP/GDP", "GRDP/GDP growth rate")
    assert indicator_label("no_such") is None
    assert describe_rule("ind.dti_rank")          # every indicator's rule id has a reason in the catalog


def test_a_kind_the_indicator_does_not_expect_is_not_linked():
    assert link_indicator("percent", "%", "tăng trưởng GRDP", "Tăng trưởng GRDP đạt 8%.") == \
        ("grdp_growth", "ind.grdp_growth")
    assert link_indicator("money", "VND", "tăng trưởng GRDP", "...") == ("grdp", "ind.grdp")
    assert link_indicator("measure", "km", "tăng trưởng GRDP", "Tăng trưởng GRDP 8 km.") == (None, None)


def test_a_subject_match_beats_a_nearer_sentence_match():
    sentence = "Thu ngân sách đạt 100 tỷ đồng, xuất khẩu đạt 5 tỷ USD."
    assert link_indicator("money", "USD", "xuất khẩu", sentence, None, (45, 53))[0] == "exports"
    assert link_indicator("money", "USD", None, sentence, None, (45, 53))[0] == "exports"   # nearest words
    assert link_indicator("money", "VND", None, sentence, None, (18, 29))[0] == "budget_revenue"


def test_the_longer_match_wins_and_a_tie_keeps_the_indicator_written_first():
    assert link_indicator("count", None, "DVCTT toàn trình", "")[0] == "online_public_services_full"
    assert link_indicator("count", None, "dịch vụ công trực tuyến", "")[0] == "online_public_services"


def test_sentence_patterns_see_only_the_clause_and_window_of_the_mention():
    sentence = "Tỷ lệ hộ nghèo còn 2%; có 500 xe được bán ra."
    assert clause(sentence, sentence.index("500")) == " có 500 xe được bán ra."
    assert link_indicator("count", None, None, sentence, None, (26, 29)) == (None, None)
    far = "Lãi suất được giữ nguyên trong cả năm qua theo quyết định của hội đồng quản trị ngân hàng, còn 7% kia."
    at = far.index("7%")
    assert link_indicator("percent", "%", None, far, None, (at, at + 2)) == (None, None)   # beyond the window
    assert link_indicator("percent", "%", None, far)[0] == "interest_rate"                  # no span: whole sentence


def test_every_built_in_example_reads_a_figure_and_agrees_with_its_indicator():
    for entry in load_rules("indicators")["indicators"]:
        assert entry.get("examples", {}).get("hit"), f"{entry['id']} has no hit example"
        for example in sum((entry["examples"].get(k, []) for k in ("hit", "miss")), []):
            text = example.partition(" => ")[0]
            a = text.index("[")
            plain = text.replace("[", "", 1).replace("]", "", 1)
            assert any(m.start <= a < m.end for m in mentions(plain)), f"no figure read in {example!r}"
    assert example_failures() == []


def test_a_contradicting_example_is_reported():
    assert _example_contradiction("cpi", "hit", "Lạm phát cơ bản tăng [2,7%].") is not None
    assert _example_contradiction("cpi", "miss", "Lạm phát cơ bản tăng [2,7%]. => inflation") is None
    assert _example_contradiction("cpi", "miss", "Lạm phát cơ bản tăng [2,7%]. => none") is not None


def test_a_researcher_adds_an_indicator_in_their_rules_directory(tmp_path):
    (tmp_path / "indicators.yaml").write_text(
        "indicators:\n"
        "  - id: coffee_exports_volume\n"
        "    label_vi: Sản lượng cà phê xuất khẩu\n"
        "    label_en: Coffee export volume\n"
        "    kind: [measure]\n"
        "    unit: [tấn]\n"
        "    subject: ['cà phê']\n"
        "    sentence: ['xuất khẩu[^;]{0,30}cà phê']\n"
        "    examples: {hit: ['Việt Nam xuất khẩu [1,6 triệu tấn] cà phê.']}\n", encoding="utf-8")
    sentence = "Việt Nam xuất khẩu 1,6 triệu tấn cà phê."
    assert link(sentence, "1,6 triệu tấn") is None
    with use_rules(tmp_path):
        check_rules()
        assert link(sentence, "1,6 triệu tấn") == "coffee_exports_volume"
        assert indicator_label("coffee_exports_volume") == ("Sản lượng cà phê xuất khẩu", "Coffee export volume")
        assert indicator_label("grdp_growth")                              # the built-in ones stay
        assert describe_rule("ind.coffee_exports_volume")
    assert link(sentence, "1,6 triệu tấn") is None


def test_a_researcher_example_that_contradicts_stops_the_run_with_r006(tmp_path):
    (tmp_path / "indicators.yaml").write_text(
        "indicators:\n"
        "  - {id: mine, label_vi: Của tôi, label_en: Mine, kind: [count], subject: ['xe máy'],\n"
        "     examples: {hit: ['Có [5] người.']}}\n", encoding="utf-8")
    with use_rules(tmp_path), pytest.raises(RuleError, match="R006") as info:
        check_rules()
    assert info.value.rule_id == "ind.mine" and str(tmp_path / "indicators.yaml") in str(info.value)


@pytest.mark.parametrize("body, code", [
    ("indicators:\n  - {id: x, label_vi: a, label_en: b, kind: [count], subject: ['(']}\n", "R004"),
    ("indicators:\n  - {id: x, label_vi: a, label_en: b, kind: [money2], subject: ['a']}\n", "R002"),
    ("indicators:\n  - {id: x, label_vi: a, label_en: b, kind: [count]}\n", "R007"),
    ("indicators:\n  - {id: x, label_vi: a, label_en: b, kind: [count], subject: ['a'], colour: red}\n", "R001"),
    ("indicators:\n  - {id: grdp, label_vi: a, label_en: b, kind: [count], subject: ['a']}\n", None),
])
def test_a_bad_indicator_entry_is_a_coded_error(tmp_path, body, code):
    (tmp_path / "indicators.yaml").write_text(body, encoding="utf-8")
    with use_rules(tmp_path):
        if code is None:            # an entry with a built-in id replaces the built-in indicator in place
            assert [i for i in indicators() if i.id == "grdp"][0].kinds == frozenset({"count"})
            return
        with pytest.raises(RuleError, match=code):
            indicators()


@pytest.mark.skipif(not CORPUS.is_dir(), reason="no corpus/")
def test_the_seed_articles_link_their_digital_transformation_figures():
    linked = set()
    for path in sorted(CORPUS.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        for m in mentions(text):
            s = text[m.sentence_start:m.sentence_end]
            ind, rid = link_indicator(m.kind, m.unit, m.subject, s, m.change,
                                      (m.start - m.sentence_start, m.end - m.sentence_start))
            if ind:
                assert rid == f"ind.{ind}"
                linked.add(ind)
    assert {"dt_community_tech_teams", "online_public_services_full", "online_public_services_partial",
            "fixed_broadband_subscribers", "smartphone_users", "digital_economy_share", "payment_accounts",
            "electronic_id_accounts", "ecommerce_products", "dti_rank", "fiber_optic"} <= linked
