"""Loading rules: the schema check (coded errors), the researcher's overlay directory, and per-overlay caches."""
from __future__ import annotations

import pytest

import extractors
from extractors import extract_mentions
from rules import RuleError, load_rules, use_rules

SEED = "Năm 2023, tỉnh có 1.426 Tổ công nghệ số cộng đồng, đạt hơn 20% kế hoạch."


def _error(tmp_path, name: str, body: str) -> RuleError:
    (tmp_path / name).write_text(body, encoding="utf-8")
    with pytest.raises(RuleError) as info:
        with use_rules(tmp_path):
            extractors.check_rules()
    return info.value


@pytest.mark.parametrize("name,body,code,needle", [
    ("units.yaml", "unitz: [a]\n", "R001", "unknown key 'unitz'"),
    ("cues.yaml", "subject_max_words: many\n", "R002", "must be an integer"),
    ("exclusions.yaml", "label_protect: []\n", "R003", "empty list"),
    ("exclusions.yaml", "label_protect: ['  ']\n", "R003", "empty word"),
    ("exclusions.yaml", "era_after_regex: '(unclosed'\n", "R004", "does not compile"),
    ("furniture.yaml", "inline: ['(unclosed']\n", "R004", "does not compile"),
    ("exclusions.yaml", "exclusion_rules:\n  - {id: excl.x, check: table_cell, reason: a}\n"
                        "  - {id: excl.x, check: table_cell, reason: b}\n", "R005", "duplicate rule id"),
    ("exclusions.yaml", "exclusion_rules:\n  - {id: excl.grade.stars, check: star_grade, reason: stars,"
                        " examples: {hit: ['Có [5] người.']}}\n", "R006", "must fire"),
    ("exclusions.yaml", "exclusion_rules:\n  - {id: excl.x, reason: no check}\n", "R007", "missing key 'check'"),
    ("units.yaml", "units: [unclosed\n", "R008", "not valid YAML"),
    ("exclusions.yaml", "exclusion_rules:\n  - {id: excl.x, check: no_such_predicate, reason: a}\n", "R002",
     "not a known predicate"),
    ("unitz.yaml", "units: []\n", "R001", "unknown rules file"),
])
def test_bad_rules_file_stops_with_a_coded_error(tmp_path, name, body, code, needle):
    err = _error(tmp_path, name, body)
    assert err.code == code and needle in str(err)
    assert str(err).startswith(str(tmp_path / name)) and f": {code}" in str(err)


def test_error_names_the_rule_id(tmp_path):
    err = _error(tmp_path, "exclusions.yaml", "exclusion_rules:\n  - {id: excl.mine, check: table_cell, reason: a,"
                                              " examples: {hit: ['bad example']}}\n")
    assert err.rule_id == "excl.mine" and "excl.mine" in str(err)


def test_a_renamed_key_is_an_error_not_an_empty_output(tmp_path):
    """The failure the rulebook issue reports: renaming label_protect used to drop seed 000 from 24 mentions to 0."""
    data = dict(load_rules("exclusions"))
    data["label_protekt"] = data.pop("label_protect")
    import yaml
    (tmp_path / "exclusions.yaml").write_text(yaml.safe_dump({"replace": True, **data}, allow_unicode=True),
                                              encoding="utf-8")
    with pytest.raises(RuleError) as info:
        with use_rules(tmp_path):
            extract_mentions(SEED)
    assert info.value.code == "R001" and "label_protekt" in str(info.value)


def test_overlay_extends_a_word_list_and_only_inside_its_block(tmp_path):
    text = "Gói Vàng 7 có nhiều ưu đãi."      # "7" reads as a count until "gói vàng" is a label word
    assert [m.text for m in extract_mentions(text)] == []   # already a name ("Vàng 7")
    text = "Chương trình khuyến mãi đợt hè 5 hấp dẫn."
    before = [m.text for m in extract_mentions(text)]
    (tmp_path / "exclusions.yaml").write_text("label_unless_unit:\n  mine: [đợt hè]\n", encoding="utf-8")
    with use_rules(tmp_path):
        assert "Quận" not in str(load_rules("exclusions")["label_unless_unit"]["mine"])
        assert "quận" in load_rules("exclusions")["label_unless_unit"]["place"]   # built-in groups kept
        inside = [m.text for m in extract_mentions(text)]
    assert before == ["5"] and inside == []
    assert [m.text for m in extract_mentions(text)] == before    # the overlay is gone after the block


def test_overlay_rule_with_the_same_id_replaces_the_built_in_one_in_place(tmp_path):
    (tmp_path / "exclusions.yaml").write_text(
        "exclusion_rules:\n  - {id: excl.grade.stars, check: star_grade, reason: my reason}\n", encoding="utf-8")
    with use_rules(tmp_path):
        ids = [r["id"] for r in load_rules("exclusions")["exclusion_rules"]]
        mine = next(r for r in load_rules("exclusions")["exclusion_rules"] if r["id"] == "excl.grade.stars")
    built_in = [r["id"] for r in load_rules("exclusions")["exclusion_rules"]]
    assert ids == built_in and mine["reason"] == "my reason"


def test_replace_true_replaces_the_whole_file(tmp_path):
    (tmp_path / "places.yaml").write_text("replace: true\n" + "\n".join(
        f"{k}: {v}" for k, v in {"places": "{provinces: [Xứ Mơ]}", "main_place_from": "[provinces]",
                                 "not_place_before": "[x]", "not_place_after": "[x]", "no_location_units": "[tuổi]",
                                 "institution_heads": "[x]", "institution_heads_capitalized": "[X]",
                                 "institution_max_words": 3, "institution_breakers": "[x]",
                                 "main_place_min_mentions": 3, "main_place_from_title": "false",
                                 "national_scope_cues": "[cả nước]", "not_places": "[x]"}.items()), encoding="utf-8")
    with use_rules(tmp_path):
        [m] = extract_mentions("Xứ Mơ có 12 trường học.")
        assert m.location == "Xứ Mơ" and "place.in_sentence" in m.rules
        assert extract_mentions("Hà Nội có 12 trường học.")[0].location is None


def test_not_a_directory(tmp_path):
    with pytest.raises(RuleError) as info:
        with use_rules(tmp_path / "missing"):
            pass
    assert info.value.code == "R009"


def test_rule_error_survives_pickling():
    """A worker process may raise it; the parent must get the same file, code, rule and problem."""
    import pickle

    err = pickle.loads(pickle.dumps(RuleError("/x/units.yaml", "R005", "duplicate rule id", "unit.a")))
    assert (err.path, err.code, err.rule_id, err.problem) == ("/x/units.yaml", "R005", "unit.a", "duplicate rule id")
    assert str(err) == "/x/units.yaml: R005 unit.a: duplicate rule id"


def test_rule_ids_are_one_word(tmp_path):
    err = _error(tmp_path, "exclusions.yaml", "exclusion_rules:\n  - {id: excl my rule, check: table_cell, reason: a}\n")
    assert err.code == "R002" and "must be one word" in str(err)


def test_explain_names_the_candidate_rule_of_a_number_dropped_before_it_was_read():
    from extractors import explain

    [trace] = [t for t in explain("Gọi tổng đài 1900 1234 để được hỗ trợ.") if t.text == "1234"]
    assert trace.rules == ["cand.digits", "excl.phone.span"] and trace.rule == "excl.phone.span"
