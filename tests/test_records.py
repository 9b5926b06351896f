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
