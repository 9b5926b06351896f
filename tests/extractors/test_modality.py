"""Modality: a figure reached (actual) or planned (target), and how far a plan carries over."""
from __future__ import annotations

import pytest

from helpers import one

MODALITIES = [
    ("Phấn đấu đến năm 2025, 100% thôn được phủ sóng.", "100%", "target"),
    ("Mục tiêu của tỉnh là 500 doanh nghiệp số.", "500", "target"),
    ("Dự kiến năm tới doanh thu đạt 40 tỷ đồng.", "40 tỷ đồng", "target"),
    ("Năm 2022 doanh thu đạt 40 tỷ đồng.", "40 tỷ đồng", "actual"),
    ("Tỉnh đã vượt kế hoạch với 120 dự án.", "120", "actual"),
]


@pytest.mark.parametrize("text,span,modality", MODALITIES)
def test_modality(text, span, modality):
    assert one(text, span).modality == modality


def test_dat_ra_alone_is_not_a_target():
    m = one("Câu hỏi đặt ra là vì sao 17 cơ quan chưa vào cuộc.", "17")
    assert m.modality == "actual"
    assert one("Công ty vượt kế hoạch đề ra với 120 tỷ đồng lợi nhuận.", "120 tỷ đồng").modality == "actual"


def test_target_cue_after_a_word_ending_in_nhat_still_counts():
    # the "so với/nhất ..." guard belongs to national-scope cues only, never to target cues
    assert one("Năm 2021, lợi nhuận hợp nhất hướng tới 13.200 tỷ đồng.", "13.200 tỷ đồng").modality == "target"


# --- a plan carried over to the following sentences and list items ---------------------------------------

def test_list_continuing_a_plan_keeps_target():
    text = "Kế hoạch năm 2024 đề ra các chỉ tiêu sau:\n- 95% hộ dân dùng nước sạch;\n- 300 km đường mới."
    assert one(text, "95%").modality == "target"
    assert one(text, "300 km").modality == "target"


def test_sentence_after_a_plan_keeps_target_but_weak_cues_do_not_carry():
    plan = "Tỉnh phấn đấu đến năm 2025 phủ sóng toàn bộ thôn. Tỷ lệ hộ dùng cáp quang đạt 90%."
    assert one(plan, "90%").modality == "target"
    weak = "Giá vàng sẽ tăng trong tuần tới. Khảo sát với 850 người cho thấy điều đó."
    assert one(weak, "850").modality == "actual"
    done = "Kế hoạch năm nay rất tham vọng. Tỉnh đã đạt 90% chỉ tiêu."
    assert one(done, "90%").modality == "actual"


def test_plan_carries_over_only_after_colon_or_horizon():
    story = "Mục tiêu của đội là trụ hạng. Khi thắng 4 trận, tinh thần sẽ khác."
    assert one(story, "4").modality == "actual"
    plan = "Tỉnh đặt mục tiêu đến năm 2030 tuyển sinh 6 triệu người. Thu hút 55% học sinh THCS vào trường nghề."
    assert one(plan, "55%").modality == "target"
    intro = "Kế hoạch năm tới gồm:\nXây 12 trường học."
    assert one(intro, "12").modality == "target"


# --- enrolment quotas ("chỉ tiêu") -------------------------------------------------------------------------

@pytest.mark.parametrize("text,span", [
    ("Năm nay trường xét tuyển 620 chỉ tiêu cho 12 ngành.", "620"),
    ("Sở đã phê duyệt 300 chỉ tiêu tuyển sinh lớp 10.", "300"),
])
def test_enrolment_quota_is_a_target(text, span):
    assert one(text, span).modality == "target"


def test_count_of_indicators_stays_actual():
    assert one("Trong 19 chỉ tiêu của chương trình, quận đã đạt 15 chỉ tiêu.", "19").modality == "actual"
    assert one("Trường đã hoàn thành chỉ tiêu tuyển sinh với 540 chỉ tiêu được lấp đầy.", "540").modality == "actual"


SENTENCES = [
    "Năm nay, tỉnh phấn đấu đạt 5% và vượt kế hoạch 7%, dự kiến 9% vào năm sau.",
    "Doanh thu đạt 95% kế hoạch, sẽ tăng 3% và hoàn thành kế hoạch 12 tháng.",
    "Tăng 4% so với kế hoạch, kế hoạch số 12 đặt mục tiêu 30 doanh nghiệp, đến năm 2030 đạt 50%.",
    "Không có gì ở đây: 5 người, 6 người.",
]


@pytest.mark.parametrize("sentence", SENTENCES)
def test_sentence_cue_index_reads_like_each_prefix(sentence):
    # The per-sentence index (one reading of the sentence) gives the cue that reading each figure's own
    # prefix gives, at every position, cancel phrases and cues running across the position included.
    from extractors.attributes import SentenceFacts, _target_cue
    text = "Mở đầu. " + sentence
    facts = SentenceFacts(text, 8, len(text))
    for k in range(len(sentence) + 1):
        assert facts.target_cue_before(8 + k) == _target_cue(sentence[:k]), (k, sentence[:k])
