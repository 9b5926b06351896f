"""The record schema: valid records pass, each kind of breakage is caught."""
import pytest

import dataclasses

import extractors
from pipeline.records import COLUMNS, SCHEMA_FIELDS, Record, RecordError

DOC = "Có 1.426 tổ và 40 tỷ đồng."


def good(**kw):
    base = dict(doc_id="d", start=3, end=8, text="1.426", kind="count", value=1426)
    base.update(kw)
    return Record(**base)


def test_valid_record_passes_with_document():
    assert good().validate(DOC).value == 1426


@pytest.mark.parametrize("kw", [
    dict(kind="amount"), dict(qualifier="about"), dict(modality="plan"), dict(change="up"),
    dict(value=float("nan")), dict(value="1426"), dict(start=8, end=3), dict(denominator="63"),
    dict(doc_id=""), dict(rules="cand.digits"), dict(rules=["cand.digits", ""]), dict(rules=[3]),
])
def test_schema_violations_are_caught(kw):
    with pytest.raises(RecordError):
        good(**kw).validate()


def test_offset_invariant_is_checked():
    with pytest.raises(RecordError, match="document"):
        good(start=4, end=9).validate(DOC)


def test_dict_round_trip_keeps_every_field():
    r = good(unit=None, subject="tổ", url="http://x")
    assert Record.from_dict(r.to_dict()) == r
    assert "url" not in r.to_dict(provenance=False)


def test_fields_come_from_the_extractor_mention_type():
    mention_fields = [f.name for f in dataclasses.fields(extractors.Mention)]
    assert list(COLUMNS) == ["doc_id", *mention_fields, "url", "published"]
    assert [f.name for f in dataclasses.fields(Record)] == list(COLUMNS)
    assert "rules" in COLUMNS and "rules" not in SCHEMA_FIELDS  # provenance, like url: gold files have none


def test_from_mention_keeps_the_rule_ids_as_a_copy():
    mention = extractors.extract_mentions("Có 1.426 tổ.")[0]
    record = Record.from_mention("d", mention)
    assert record.rules == mention.rules and record.rules[0].startswith("cand.")
    record.rules.append("x")
    assert mention.rules != record.rules


def test_rules_default_to_none_fired_when_absent_or_null():
    data = good().to_dict(provenance=False)
    assert Record.from_dict(data).rules == [] and Record.from_dict({**data, "rules": None}).rules == []
    assert good(rules=["cand.digits"]).validate().rules == ["cand.digits"]


@pytest.mark.parametrize("field", ["doc_id", "subject", "url", "published"])
def test_a_lone_surrogate_is_a_schema_violation(field):
    with pytest.raises(RecordError, match=rf"{field} holds a lone surrogate \\ud800 at character 1"):
        good(**{field: "x\ud800"}).validate()


@pytest.mark.parametrize("period", ["2023", "2023-09", "2023-09-21", "2021/2025", "2023-01/2023-06",
                                    "2022-03/2022-05", "2021-05/2021", "2024-02-29"])
def test_iso_periods_of_annotation_section_7_pass(period):
    assert good(period=period, place="Đắk Lắk").validate(DOC).period == period


@pytest.mark.parametrize("kw", [
    dict(period="2023-9"), dict(period="tháng 9/2023"), dict(period=2023), dict(period="2023-13"),
    dict(period="2023-02-29"), dict(period="2025/2021"), dict(period="2023/"), dict(period=""),
    dict(period="2023-09-21T08:00"), dict(place=""), dict(place="  "), dict(place=["Huế"]),
])
def test_bad_period_or_place_is_caught(kw):
    with pytest.raises(RecordError, match="period|place"):
        good(**kw).validate(DOC)


@pytest.mark.parametrize("lo, hi", [(0, 26), (3, 8), (0, 8), (None, None)])
def test_sentence_offsets_that_hold_the_span_pass(lo, hi):
    assert good(sentence_start=lo, sentence_end=hi).validate(DOC).sentence_end == hi


@pytest.mark.parametrize("lo, hi, problem", [
    (4, 26, "does not hold"), (0, 7, "does not hold"), (-1, 26, "does not hold"), (0, 27, "beyond"),
    (0, None, "both"), (None, 26, "both"), (0.0, 26, "integers"), (True, 26, "integers"),
])
def test_sentence_offsets_outside_the_span_or_document_are_caught(lo, hi, problem):
    with pytest.raises(RecordError, match=problem):
        good(sentence_start=lo, sentence_end=hi).validate(DOC)


def test_new_fields_follow_location_in_the_mention_and_default_to_null():
    names = [f.name for f in dataclasses.fields(extractors.Mention)]
    i = names.index("location")
    assert names[i + 1:i + 6] == ["period", "place", "indicator", "sentence_start", "sentence_end"]
    r = good()
    assert (r.period, r.place, r.indicator, r.sentence_start, r.sentence_end) == (None, None, None, None, None)
    assert "period" in SCHEMA_FIELDS and "sentence_start" not in SCHEMA_FIELDS  # context, not annotation


def test_a_record_remembers_which_keyed_fields_its_data_left_out():
    data = good().to_dict(provenance=False)
    del data["period"], data["place"]
    old = Record.from_dict(data)  # a gold record written before v1.2
    assert not old.has_field("period") and not old.has_field("place")
    assert "period" not in old.to_dict(provenance=False)
    annotated = Record.from_dict({**data, "period": None, "place": "Huế"})  # null is an annotated value
    assert annotated.has_field("period") and annotated.has_field("place")
    assert annotated.to_dict(provenance=False)["period"] is None
    assert good().has_field("period")  # predictions (built from mentions) carry every field
    assert old.to_dict()["period"] is None  # the writers' columns are all there


def test_from_mention_of_an_object_without_the_new_fields_gives_them_their_defaults():
    import types

    old_style = types.SimpleNamespace(start=3, end=8, text="1.426", kind="count", value=1426, value_max=None,
                                      denominator=None, unit=None, qualifier="gt", modality="actual", change=None,
                                      subject="tổ", time=None, location=None, rules=["cand.digits"])
    record = Record.from_mention("d", old_style, published="2023-10-01").validate(DOC)
    assert (record.period, record.place, record.sentence_start, record.qualifier) == (None, None, None, "gt")
    with pytest.raises(AttributeError):
        Record.from_mention("d", types.SimpleNamespace(start=3))  # a required field stays required
