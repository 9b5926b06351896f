"""extractors.place_names: a location string -> the canonical `place` (ANNOTATION.md section 7) and its rule id."""
from __future__ import annotations

import datetime
import json
from pathlib import Path

import pytest

from extractors.place_names import (RULE_REASONS, after_merger, canonical_place, check_place_aliases, key,
                                    underthesea_data_path)
from rules import RuleError, load_rules, use_rules

BEFORE, AFTER = "2024-05-10", "2025-08-01"
SHARED = Path(__file__).resolve().parents[2] / ".." / "shared"


@pytest.fixture(scope="module")
def mapping() -> dict:
    """underthesea.address's data: units before and after 1 July 2025."""
    with underthesea_data_path().open(encoding="utf-8") as fh:
        return json.load(fh)


def old_name(short: str) -> str:
    """The guideline's name before 1 July 2025 of an underthesea province."""
    return load_rules("place_aliases")["old_list_names"].get(short, short)


# --- The guideline (section 7) -------------------------------------------------------------------------------
@pytest.mark.parametrize("location,published,place,rule", [
    ("Đắk Lắk", BEFORE, "Đắk Lắk", "place.province"),
    ("Hà Nội", BEFORE, "Hà Nội", "place.province"),
    ("tỉnh Đắk Lắk", BEFORE, "Đắk Lắk", "place.province"),
    ("thành phố Hồ Chí Minh", BEFORE, "Hồ Chí Minh", "place.province"),
    ("TP Hồ Chí Minh", BEFORE, "Hồ Chí Minh", "place.province"),
    ("TP.HCM", BEFORE, "Hồ Chí Minh", "place.alias"),
    ("huyện Krông Nô", BEFORE, "Đắk Nông", "place.district"),
    ("Thừa Thiên Huế", BEFORE, "Thừa Thiên Huế", "place.province"),
    ("Huế", BEFORE, "Thừa Thiên Huế", "place.province"),
    ("Thừa Thiên Huế", AFTER, "Huế", "place.province"),
    ("Huế", AFTER, "Huế", "place.province"),
    ("cả nước", BEFORE, "Việt Nam", "place.national"),
    ("toàn quốc", BEFORE, "Việt Nam", "place.national"),
    ("Việt Nam", AFTER, "Việt Nam", "place.national"),
    ("Mỹ", BEFORE, "Mỹ", "place.country"),
    ("Hoa Kỳ", BEFORE, "Mỹ", "place.country"),
    ("Trung Quốc", BEFORE, "Trung Quốc", "place.country"),
    ("Nhật Bản", BEFORE, "Nhật Bản", "place.country"),
    ("Nga", BEFORE, "Nga", "place.country"),
    ("Tokyo", BEFORE, "Nhật Bản", "place.foreign"),
    ("Bắc Kinh", BEFORE, "Trung Quốc", "place.foreign"),
    ("Tây Nguyên", BEFORE, None, "place.region"),
    ("Đồng bằng sông Cửu Long", BEFORE, None, "place.region"),
    ("miền Bắc", BEFORE, None, "place.region"),
    ("châu Âu", BEFORE, None, "place.region"),
    ("EU", BEFORE, None, "place.region"),
])
def test_guideline_examples(location, published, place, rule):
    assert canonical_place(location, published) == (place, rule)


# --- Real location strings of the shared corpora (dantri 2020-2021, multi 2013 and 2026) -----------------------
@pytest.mark.parametrize("location,published,place", [
    ("TP HCM", "20260121", "Hồ Chí Minh"),
    ("TPHCM", "20210305", "Hồ Chí Minh"),
    ("TP. HCM", "20131020", "Hồ Chí Minh"),
    ("TP. Hồ Chí Minh", "20210305", "Hồ Chí Minh"),
    ("Sài Gòn", "20210305", "Hồ Chí Minh"),
    ("huyện Lý Nhân", "20210305", "Hà Nam"),
    ("huyện Lý Nhân", "20260121", "Ninh Bình"),          # Hà Nam merged into Ninh Bình
    ("xã Đạo Lý", "20210305", "Hà Nam"),
    ("huyện Đông Anh", "20210305", "Hà Nội"),
    ("quận Cầu Giấy", "20210305", "Hà Nội"),
    ("thành phố Sầm Sơn", "20210305", "Thanh Hóa"),
    ("thị xã Sa Pa", "20210305", "Lào Cai"),
    ("Sa Pa", "20210305", "Lào Cai"),
    ("TP Phú Quốc", "20210305", "Kiên Giang"),
    ("Phú Quốc", "20260121", "An Giang"),                # Kiên Giang merged into An Giang
    ("quận 9", "20131020", "Hồ Chí Minh"),               # merged into Thủ Đức in 2021, not in underthesea
    ("quận 1", "20210305", "Hồ Chí Minh"),
    ("quận Thủ Đức", "20131020", "Hồ Chí Minh"),
    ("TP Vũng Tàu", "20210305", "Bà Rịa - Vũng Tàu"),
    ("Vũng Tàu", "20260121", "Hồ Chí Minh"),
    ("Bà Rịa – Vũng Tàu", "20210305", "Bà Rịa - Vũng Tàu"),
    ("Thừa Thiên - Huế", "20210305", "Thừa Thiên Huế"),
    ("thành phố Huế", "20210305", "Thừa Thiên Huế"),
    ("TP Nha Trang", "20131020", "Khánh Hòa"),
    ("Nha Trang", "20260121", "Khánh Hòa"),
    ("TP Hội An", "20210305", "Quảng Nam"),
    ("Hội An", "20260121", "Đà Nẵng"),
    ("TP Buôn Ma Thuột", "20210305", "Đắk Lắk"),
    ("phường Buôn Ma Thuột", "20260121", "Đắk Lắk"),     # a ward of 2025
    ("phường Kon Tum", "20260121", "Quảng Ngãi"),        # Kon Tum merged into Quảng Ngãi
    ("phường Sài Gòn", "20260121", "Hồ Chí Minh"),
    ("phường Hạc Thành", "20260121", "Thanh Hóa"),
    ("huyện Đakrông", "20210305", "Quảng Trị"),          # underthesea writes "Đa Krông"
    ("Thanh Hoá", "20210305", "Thanh Hóa"),
    ("Khánh Hoà", "20210305", "Khánh Hòa"),
    ("Đà Lạt", "20260121", "Lâm Đồng"),
    ("Quy Nhơn", "20210305", "Bình Định"),
    ("Quy Nhơn", "20260121", "Gia Lai"),
    ("Bình Dương", "20260121", "Hồ Chí Minh"),
    ("Anh", "20210305", "Anh"),
    ("Italia", "20210305", "Ý"),
    ("Úc", "20210305", "Úc"),
    ("Australia", "20210305", "Úc"),
    ("Hồng Kông", "20210305", "Hồng Kông"),
    ("Đài Loan", "20210305", "Đài Loan"),
    ("New York", "20210305", "Mỹ"),
    ("Kiev", "20210305", "Ukraine"),
    ("Gaza", "20260121", "Palestine"),
    ("ĐBSCL", "20210305", None),
    ("Đông Nam Á", "20210305", None),
    ("ASEAN", "20210305", None),
])
def test_real_location_strings(location, published, place):
    assert canonical_place(location, published)[0] == place


def test_every_place_name_the_extractor_finds_is_known():
    """Each name of rules/places.yaml gets a place or a rule saying why it has none (a region)."""
    unknown = [n for group in load_rules("places")["places"].values() for n in group
               if canonical_place(n, BEFORE) == (None, None)]
    assert unknown == []


def test_locations_found_in_the_shared_corpora_are_known():
    """Every "tỉnh X" of the shared corpora (X a province as written there) names a province."""
    corpus = SHARED / "corpus-unc" / "dantri-unc.jsonl"
    if not corpus.is_file():
        pytest.skip("shared corpus absent")
    import re
    names = load_rules("places")["places"]["provinces"]
    pattern = re.compile(r"\btỉnh (" + "|".join(sorted(map(re.escape, names), key=len, reverse=True)) + r")\b")
    seen = set()
    with corpus.open(encoding="utf-8") as fh:
        for line in fh:
            seen.update(m[0] for m in pattern.finditer(json.loads(line)["text"]))
    assert len(seen) > 30
    assert [s for s in seen if canonical_place(s, "2021-01-01")[1] not in ("place.province", "place.alias")] == []


# --- Ambiguity and unit words ----------------------------------------------------------------------------------
@pytest.mark.parametrize("location,place,rule", [
    ("huyện Châu Thành", None, "place.ambiguous"),               # ten provinces have one
    ("Châu Thành", None, "place.ambiguous"),
    ("xã An Phú", None, "place.ambiguous"),
    ("huyện Châu Thành, tỉnh Tiền Giang", "Tiền Giang", "place.province"),
    ("xã Đạo Lý, huyện Lý Nhân, tỉnh Hà Nam", "Hà Nam", "place.province"),
    ("Quận 1 (TP.HCM)", "Hồ Chí Minh", "place.alias"),
    ("Hà Nội (Việt Nam)", "Hà Nội", "place.province"),          # the province, not the country
    ("Quảng Ninh", "Quảng Ninh", "place.province"),             # a province before a district of that name
    ("huyện Quảng Ninh", "Quảng Bình", "place.district"),        # the district of Quảng Bình
    ("Hòa Bình", "Hòa Bình", "place.province"),
    ("huyện Hòa Bình", "Bạc Liêu", "place.district"),            # not the city of Hòa Bình
    ("Trùng Khánh", "Trung Quốc", "place.foreign"),              # a bare name: rules data wins
    ("huyện Trùng Khánh", "Cao Bằng", "place.district"),         # qualified: the district of Cao Bằng
    ("Phú Quý", "Bình Thuận", "place.alias"),
    ("xã Phú Quý", "Tiền Giang", "place.commune"),               # the commune, not the island of Bình Thuận
    ("đặc khu Phú Quý", "Bình Thuận", "place.commune"),          # the island, a special zone since 2025
    ("quận 3", "Hồ Chí Minh", "place.district"),
    ("3", None, None),                                           # a number alone names nothing
    ("thủ đô", "Hà Nội", "place.alias"),
    ("Thủ đô Hà Nội", "Hà Nội", "place.province"),
    ("thủ đô Bắc Kinh", "Trung Quốc", "place.foreign"),
    ("tỉnh Quảng Đông", "Trung Quốc", "place.foreign"),
    ("thành phố New York", "Mỹ", "place.foreign"),
    ("đảo Phú Quốc", "Kiên Giang", "place.district"),
    ("Hoàng Sa", "Đà Nẵng", "place.alias"),
    ("Atlantis", None, None),
    ("", None, None),
    (None, None, None),
])
def test_ambiguity_unit_words_and_parts(location, place, rule):
    assert canonical_place(location, BEFORE) == (place, rule)


def test_every_rule_id_has_a_reason():
    ids = {canonical_place(n, BEFORE)[1] for n in ("Hà Nội", "Krông Nô", "xã Đạo Lý", "TP.HCM", "cả nước", "Mỹ",
                                                     "Tokyo", "Tây Nguyên", "Châu Thành")}
    assert ids == set(RULE_REASONS)


def test_case_spacing_dashes_and_tone_placement_do_not_matter():
    for variant in ("KHÁNH HÒA", "khánh  hoà", " Khánh Hòa. "):
        assert canonical_place(variant, BEFORE) == ("Khánh Hòa", "place.province")
    assert key("Hoà  Bình") == key("hòa bình")
    assert key("Bà Rịa-Vũng Tàu") == key("Bà Rịa – Vũng Tàu") == "bà rịa - vũng tàu"


# --- The merger of 1 July 2025, by publication date -------------------------------------------------------------
@pytest.mark.parametrize("published,after", [
    ("2025-06-30", False), ("2025-07-01", True), ("20250701", True), ("20250630", False),
    ("2025-07-01T00:30:00+07:00", True), ("30/06/2025", False), ("1/7/2025", True),
    ("2026", True), ("2024", False), ("2025", False), ("2025-07", True), ("2025-06", False),
    (None, False), ("", False), ("hôm qua", False), (20250701, True), (datetime.date(2025, 6, 30), False),
])
def test_publication_date_side_of_the_merger(published, after):
    assert after_merger(published) is after


@pytest.mark.parametrize("old,new", [
    ("Hà Giang", "Tuyên Quang"), ("Bình Dương", "Hồ Chí Minh"), ("Bà Rịa - Vũng Tàu", "Hồ Chí Minh"),
    ("Đắk Nông", "Lâm Đồng"), ("Bình Thuận", "Lâm Đồng"), ("Quảng Nam", "Đà Nẵng"), ("Kon Tum", "Quảng Ngãi"),
    ("Long An", "Tây Ninh"), ("Hậu Giang", "Cần Thơ"), ("Sóc Trăng", "Cần Thơ"), ("Bắc Giang", "Bắc Ninh"),
])
def test_a_merged_province_keeps_its_name_before_and_takes_the_new_one_after(old, new):
    assert canonical_place(old, "2025-06-30")[0] == old
    assert canonical_place(old, "2025-07-01")[0] == new


def test_undated_means_the_list_before_the_merger():
    assert canonical_place("Bình Dương", None) == ("Bình Dương", "place.province")
    assert canonical_place("Huế", None)[0] == "Thừa Thiên Huế"


def test_every_province_maps_to_itself_before_and_to_underthesea_new_province_after(mapping):
    old = mapping["old_province_names"]
    assert len(old) == 63 and len(mapping["province_names"]) == 34
    for pid, info in old.items():
        new = mapping["province_names"][mapping["province_mapping"][pid]]["short"]
        for written in (info["short"], info["name"]):
            assert canonical_place(written, BEFORE) == (old_name(info["short"]), "place.province"), written
            assert canonical_place(written, AFTER) == (new, "place.province"), written
    for info in mapping["province_names"].values():     # the 34 provinces of the new list name themselves
        assert canonical_place(info["short"], AFTER) == (info["short"], "place.province")


def test_every_district_maps_to_its_province_or_is_ambiguous(mapping):
    """A district ("Huyện Krông Nô") rolls up to its province when no other province has a district of that
    type and name; with its province after it (underthesea's address form) it always does."""
    districts: dict[str, set] = {}
    for r in mapping["ward_mapping"]:
        districts.setdefault(r["old_district"], set()).add(r["old_province"])
    short = {info["name"]: info["short"] for info in mapping["old_province_names"].values()}
    checked = 0
    for district, provinces in districts.items():
        place, rule = canonical_place(district, BEFORE)
        if len(provinces) == 1:
            assert place == old_name(short[next(iter(provinces))]), district
            assert rule in ("place.district", "place.province", "place.alias"), district   # "Thành phố Sóc Trăng"
            checked += 1
        else:
            assert (place, rule) == (None, "place.ambiguous"), district
        for province in provinces:
            assert canonical_place(f"{district}, {province}", BEFORE)[0] == old_name(short[province])
    assert checked > 650


def test_every_commune_with_its_province_rolls_up_before_and_after(mapping):
    """underthesea's address form "Xã A, Huyện B, Tỉnh C" -> C before the merger, its new province after."""
    new_short = {info["name"]: info["short"] for info in mapping["province_names"].values()}
    old_short = {info["name"]: info["short"] for info in mapping["old_province_names"].values()}
    for r in mapping["ward_mapping"][::50]:
        address = ", ".join(x for x in (r["old_ward"], r["old_district"], r["old_province"]) if x)
        assert canonical_place(address, BEFORE)[0] == old_name(old_short[r["old_province"]])
        assert canonical_place(address, AFTER)[0] == new_short[r["new_province"]]
        assert canonical_place(f"{r['new_ward']}, {r['new_province']}", AFTER)[0] == new_short[r["new_province"]]


# --- rules/place_aliases.yaml ------------------------------------------------------------------------------------
def test_every_form_of_the_rules_data_gives_its_entry_place():
    data = load_rules("place_aliases")
    for list_key in ("aliases", "national", "regions", "countries", "foreign"):
        for entry in data[list_key]:
            for form in entry["forms"]:
                place = canonical_place(str(form), BEFORE)[0]
                assert place == entry["place"], (entry["id"], form)


def test_the_examples_of_the_rules_data_hold():
    assert check_place_aliases() >= 10


@pytest.mark.parametrize("body,code,needle", [
    ("aliases:\n  - {id: x, place: Atlantis, forms: [Atl]}\n", "R002", "not a province"),
    ("countries:\n  - {id: x, place: Mỹ, forms: [Mĩ]}\n  - {id: x, place: Nga, forms: [Nga]}\n", "R005", "duplicate"),
    ("regions:\n  - {id: x2, place: Mỹ, forms: [Bắc Mỹ]}\n", "R002", "must be null"),
    ("countries:\n  - {id: x3, place: Mỹ, forms: []}\n", "R003", "forms"),
    ("countries:\n  - {id: x4, place: Mỹ, forms: [Mĩ], wrong: 1}\n", "R001", "unknown key 'wrong'"),
    ("countries:\n  - {id: x5, place: Mỹ, forms: [Mĩ], examples: {Mĩ: Nga}}\n", "R006", "example 'Mĩ'"),
    ("old_list_names: {Huệ: Thừa Thiên Huế}\n", "R002", "old_list_names"),
])
def test_a_bad_entry_of_the_rules_data_is_a_coded_error(tmp_path, body, code, needle):
    (tmp_path / "place_aliases.yaml").write_text(body, encoding="utf-8")
    with pytest.raises(RuleError) as info:
        with use_rules(tmp_path):
            check_place_aliases()
    assert info.value.code == code and needle in str(info.value)
    assert str(tmp_path / "place_aliases.yaml") in str(info.value)


def test_a_researcher_overlay_adds_a_place(tmp_path):
    (tmp_path / "place_aliases.yaml").write_text("foreign:\n  - {id: vn_like, place: Lào, forms: [Pakse]}\n",
                                                 encoding="utf-8")
    assert canonical_place("Pakse", BEFORE) == (None, None)
    with use_rules(tmp_path):
        assert canonical_place("Pakse", BEFORE) == ("Lào", "place.foreign")
    assert canonical_place("Pakse", BEFORE) == (None, None)


def test_the_tables_load_without_importing_underthesea():
    """Only underthesea's data file is read: a batch worker that does not tokenize does not pay its import."""
    import subprocess
    import sys
    code = ("import sys; from extractors.place_names import canonical_place as c; "
            "assert c('huyện Krông Nô', None) == ('Đắk Nông', 'place.district'); print('underthesea' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         cwd=Path(__file__).resolve().parents[2])
    assert out.stdout.strip() == "False"
