"""Round trips chiso <-> brat / Label Studio / doccano lose nothing; tool exports are read correctly."""
from __future__ import annotations

import json
import re
import tempfile
import xml.etree.ElementTree as ET
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline import interop
from pipeline.cli import main
from pipeline.document import normalize_text
from pipeline.errors import ErrorLog
from pipeline.interop.brat import annotation_conf, doc_filename, doc_id_from_filename, fragments
from pipeline.records import CHANGES, KINDS, MODALITIES, QUALIFIERS, Record
from conftest import CORPUS, GOLD

# Vietnamese letters (precomposed and with combining marks that NFC composes), digits, separators,
# an emoji outside the BMP, and characters that break naive line splitting.
ALPHABET = st.sampled_from(list("aăâbđeêioôơuưyĐẮẰỆỘỮạảấầẩẫậ0123456789.,%/ -\n\t\"'\\") +
                           ["e\u0301", "o\u0323", "\U0001F600", "\u2028", "\u00a0", "{", "}", "#", ";"])
NUMBERS = st.one_of(st.integers(-10**18, 10**18),
                    st.floats(allow_nan=False, allow_infinity=False, width=64))
PERIODS = st.sampled_from([None, "2023", "2023-09", "2023-09-21", "2021/2025", "2023-01/2023-06"])
PLACES = st.sampled_from([None, "Đắk Lắk", "Hồ Chí Minh", "Việt Nam", "Mỹ"])
OPTIONAL_TEXT = st.one_of(st.none(), st.lists(ALPHABET, max_size=12).map("".join))
# Rule ids as the rules files name them (no whitespace): what a prediction carries, none for gold.
RULE_IDS = st.lists(st.sampled_from(["cand.digits", "cand.scale", "unit.percent.percent", "excl.x", "qual.gt.hơn",
                                     "subj.noun_after", "r:1/ü"]), max_size=4)


def _texts(draw, count: int) -> dict[str, str]:
    """`count` normalized documents with distinct, file-hostile ids."""
    ids = draw(st.lists(st.text(st.sampled_from(list("ab/%.:? ĐỆ_-\\\x00")), min_size=1, max_size=8),
                        min_size=count, max_size=count, unique=True))
    return {doc_id: normalize_text("".join(draw(st.lists(ALPHABET, min_size=0, max_size=60)))) for doc_id in ids}


@st.composite
def corpora(draw) -> tuple[list[Record], dict[str, str]]:
    """Random texts and random valid records over them (url/published shared per document)."""
    texts = _texts(draw, draw(st.integers(1, 3)))
    records = []
    for doc_id, text in texts.items():
        if len(text) == 0:
            continue
        url = draw(st.one_of(st.none(), st.just(f"https://example.vn/{len(text)}")))
        published = draw(st.one_of(st.none(), st.just("2023-10-01")))
        for _ in range(draw(st.integers(0, 4))):
            start = draw(st.integers(0, len(text) - 1))
            end = draw(st.integers(start + 1, len(text)))
            records.append(Record(
                doc_id=doc_id, start=start, end=end, text=text[start:end],
                kind=draw(st.sampled_from(KINDS)), value=draw(NUMBERS),
                value_max=draw(st.one_of(st.none(), NUMBERS)), denominator=draw(st.one_of(st.none(), NUMBERS)),
                unit=draw(OPTIONAL_TEXT), qualifier=draw(st.sampled_from(QUALIFIERS)),
                modality=draw(st.sampled_from(MODALITIES)), change=draw(st.sampled_from(CHANGES)),
                subject=draw(OPTIONAL_TEXT), time=draw(OPTIONAL_TEXT), location=draw(OPTIONAL_TEXT),
                period=draw(PERIODS), place=draw(PLACES), rules=draw(RULE_IDS), url=url, published=published))
    return records, texts


def _key(records: list[Record]) -> list[str]:
    """Order-free, type-exact comparison key (1 and 1.0, 0.0 and -0.0 differ in repr)."""
    return sorted(repr(r) for r in records)


def _via(fmt: str, records: list[Record], texts: dict[str, str]) -> tuple[list[Record], dict[str, str]]:
    """Write to a format and read back (through a file, as a user would)."""
    with tempfile.TemporaryDirectory() as tmp:
        dest = Path(tmp) / {"brat": "brat", "labelstudio": "tasks.json", "doccano": "d.jsonl"}[fmt]
        interop.write(fmt, records, texts, dest)
        return interop.read(fmt, dest)


def _seed_corpus() -> tuple[list[Record], dict[str, str]]:
    """The seed articles with gold records (when present) and hand-made records exercising every field."""
    texts = {p.stem: normalize_text(p.read_text(encoding="utf-8")) for p in sorted(CORPUS.glob("*.txt"))}
    records = []
    if GOLD.is_dir():
        from pipeline.gold import load_gold

        records = load_gold(GOLD, texts).records
    def span(doc_id: str, s: str) -> tuple[int, int]:
        i = texts[doc_id].index(s)
        return i, i + len(s)

    a, b = "000_a8f219603fd09c33", "001_5cff5225281921e5"
    s, e = span(a, "1.426")
    records.append(Record(a, s, e, "1.426", "count", 1426, qualifier="gt", subject="Tổ công nghệ số cộng đồng",
                          location="Đắk Lắk"))
    s, e = span(a, "100%")
    records.append(Record(a, s, e, "100%", "percent", 100.0, value_max=120.5, unit="%", modality="target",
                          change="increase", time="năm 2025"))
    s, e = span(b, "47/63")
    records.append(Record(b, s, e, "47/63", "rank", 47, denominator=63, subject="", change="decrease",
                          rules=["cand.digits", "cand.ratio.slash", "chg.decrease.giam"]))
    # Provenance as the pipeline sets it: one url and date per document.
    records = [replace(r, url="https://baodaklak.vn/x", published="2023-10-01") if r.doc_id == a else r
               for r in records]
    return records, texts


FORMATS = ("brat", "labelstudio", "doccano")


@pytest.mark.parametrize("fmt", FORMATS)
@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=corpora())
def test_random_round_trip_loses_nothing(fmt, data):
    records, texts = data
    back, back_texts = _via(fmt, records, texts)
    assert back_texts == texts
    assert _key(back) == _key(records)


@pytest.mark.parametrize("fmt", FORMATS)
def test_seed_round_trip_loses_nothing(fmt):
    records, texts = _seed_corpus()
    back, back_texts = _via(fmt, records, texts)
    assert back_texts == texts
    assert _key(back) == _key(records)
    # Gold written before v1.2 carries no period / place key, and a converted copy adds none (Label Studio
    # cannot tell a null from an unanswered box: a null period reads back as not annotated).
    assert fmt == "labelstudio" or sorted((repr(r), r.has_field("period")) for r in back) == sorted(
        (repr(r), r.has_field("period")) for r in records)
    # Per document the order of records is kept too.
    for doc_id in texts:
        assert [r for r in back if r.doc_id == doc_id] == [r for r in records if r.doc_id == doc_id]


def test_brat_ann_lines_follow_the_standoff_format(tmp_path):
    text = "Đạt hơn 1.426 tổ, tăng 16,4%."
    records = [Record("d1", 8, 13, "1.426", "count", 1426, qualifier="gt", subject="tổ"),
               Record("d1", 23, 28, "16,4%", "percent", 16.4, unit="%", change="increase")]
    interop.to_brat(records, {"d1": text}, tmp_path)
    lines = (tmp_path / "d1.ann").read_text(encoding="utf-8").splitlines()
    assert lines[0] == "T1\tcount 8 13\t1.426"
    assert lines[1] == "A1\tQualifier T1 gt"
    assert lines[2] == "A2\tModality T1 actual"
    assert lines[3].startswith("#1\tAnnotatorNotes T1\t{")
    assert json.loads(lines[3].split("\t", 2)[2])["subject"] == "tổ"
    assert "A5\tChange T2 increase" in lines
    # brat counts characters: the offsets are code points of the UTF-8 .txt.
    assert (tmp_path / "d1.txt").read_bytes().decode("utf-8")[8:13] == "1.426"


def test_annotation_conf_declares_kinds_and_attributes():
    conf = annotation_conf()
    entities = conf.split("[entities]\n")[1].split("\n\n")[0].split("\n")
    assert entities == list(KINDS)
    assert "Qualifier Arg:<ENTITY>, Value:eq|approx|gt|ge|lt|le" in conf
    assert "Modality Arg:<ENTITY>, Value:actual|target" in conf
    assert "Change Arg:<ENTITY>, Value:increase|decrease" in conf


@pytest.mark.parametrize("doc_id", ["a/b", "..", ".hidden", "50%", "Đắk Lắk 1", "x\x00y", "tin:1?a=2"])
def test_brat_file_names_are_safe_and_reversible(doc_id):
    stem = doc_filename(doc_id)
    assert "/" not in stem and "\x00" not in stem and not stem.startswith(".")
    assert doc_id_from_filename(stem) == doc_id


def test_brat_span_across_lines_is_split_into_fragments(tmp_path):
    text = "hai\nmươi lăm người"
    assert fragments(text, 0, 12) == [(0, 3), (4, 12)]
    records = [Record("d", 0, 12, text[:12], "count", 25)]
    interop.to_brat(records, {"d": text}, tmp_path)
    assert (tmp_path / "d.ann").read_text(encoding="utf-8").startswith("T1\tcount 0 3;4 12\thai mươi lăm")
    assert interop.from_brat(tmp_path)[0] == records


def test_brat_entity_without_json_note_gets_its_value_from_its_text(tmp_path):
    (tmp_path / "d.txt").write_text("có 45% người, 47/63 tỉnh và một nửa số xã", encoding="utf-8")
    (tmp_path / "d.ann").write_text("T1\tpercent 3 6\t45%\n#1\tAnnotatorNotes T1\tchưa rõ\n"
                                    "T2\tratio 14 19\t47/63\nT3\tratio 28 35\tmột nửa\n", encoding="utf-8")
    with pytest.raises(interop.InteropError, match="number parser reads none in 'một nửa'"):
        interop.from_brat(tmp_path)
    log = ErrorLog(stream=None)
    records, texts = interop.from_brat(tmp_path, errors=log)
    assert [(r.text, r.kind, r.value, r.denominator, r.qualifier) for r in records] == [
        ("45%", "percent", 45, None, "eq"), ("47/63", "ratio", 47, 63, "eq")]
    assert len(log) == 1 and log.skipped[0].location.endswith("d.ann:4")


def test_value_from_text_reads_the_number_phrase_of_a_span():
    from pipeline.interop.common import value_from_text

    assert value_from_text("1,5 tỷ đồng") == 1.5e9
    assert value_from_text("hơn 3 triệu người") == 3e6
    assert value_from_text("2 tỷ 500 triệu đồng") == 2.5e9
    assert value_from_text("hai mươi lăm") == 25
    # Without digits the whole span must be a number: "một nửa" (a half) is not "một" (one).
    assert value_from_text("một nửa") is None and value_from_text("chưa rõ") is None


def test_label_config_is_valid_xml_matching_the_results():
    root = ET.fromstring(interop.label_config())
    labels = root.find("Labels")
    assert [label.get("value") for label in labels] == list(KINDS)
    controls = {el.get("name"): el for el in root.iter() if el.get("perRegion") == "true"}
    task = interop.to_labelstudio(*_seed_corpus())[0]
    used = {item["from_name"] for item in task["annotations"][0]["result"]}
    assert used - {"kind"} <= set(controls)
    assert {"qualifier", "modality", "change", "value", "subject"} <= used
    assert [c.get("value") for c in controls["qualifier"]] == list(QUALIFIERS)


def test_labelstudio_export_is_read_with_utf16_offsets_fixed():
    text = "😀 Có 1.426 tổ và 80% hộ"
    # As Label Studio exports it: its own ids, a cancelled annotation first, JavaScript (UTF-16) offsets.
    export = [{
        "id": 17, "data": {"text": text, "doc_id": "vn-1"},
        "annotations": [
            {"id": 1, "was_cancelled": True, "result": []},
            {"id": 2, "was_cancelled": False, "completed_by": 1, "result": [
                {"id": "Xk1", "from_name": "kind", "to_name": "text", "type": "labels", "origin": "manual",
                 "value": {"start": 6, "end": 11, "text": "1.426", "labels": ["count"]}},
                {"id": "Xk1", "from_name": "value", "to_name": "text", "type": "number",
                 "value": {"start": 6, "end": 11, "number": 1426}},
                {"id": "Xk1", "from_name": "subject", "to_name": "text", "type": "textarea",
                 "value": {"start": 6, "end": 11, "text": ["tổ"]}},
                {"id": "Qp2", "from_name": "kind", "to_name": "text", "type": "labels",
                 "value": {"start": 18, "end": 21, "text": "80%", "labels": ["percent"]}},
                {"id": "Qp2", "from_name": "value", "to_name": "text", "type": "number",
                 "value": {"start": 18, "end": 21, "number": 80}},
                {"id": "Qp2", "from_name": "qualifier", "to_name": "text", "type": "choices",
                 "value": {"start": 18, "end": 21, "choices": ["approx"]}},
            ]}],
        "predictions": [],
    }]
    records, texts = interop.from_labelstudio(export)
    assert texts == {"vn-1": text}
    assert [(r.start, r.end, r.text, r.kind, r.value, r.qualifier, r.subject) for r in records] == [
        (5, 10, "1.426", "count", 1426, "eq", "tổ"), (17, 20, "80%", "percent", 80, "approx", None)]


def test_labelstudio_predictions_are_read_when_there_is_no_annotation():
    records, texts = _seed_corpus()
    tasks = interop.to_labelstudio(records, texts, predictions=True)
    assert "annotations" not in tasks[0] and tasks[0]["predictions"][0]["result"]
    back, _ = interop.from_labelstudio(tasks)
    assert _key(back) == _key(records)


def test_labelstudio_region_without_value_gets_it_from_its_text():
    task = {"data": {"text": "có 5 người và dăm tổ", "doc_id": "d"}, "annotations": [{"result": [
        {"id": "a", "from_name": "kind", "to_name": "text", "type": "labels",
         "value": {"start": 3, "end": 10, "text": "5 người", "labels": ["count"]}},
        {"id": "b", "from_name": "kind", "to_name": "text", "type": "labels",
         "value": {"start": 14, "end": 17, "text": "dăm", "labels": ["count"]}}]}]}
    log = ErrorLog(stream=None)
    records, _ = interop.from_labelstudio([task], errors=log)
    assert [(r.text, r.value) for r in records] == [("5 người", 5)]
    assert len(log) == 1 and "no value, and the number parser reads none in 'dăm'" in log.skipped[0].reason


def test_doccano_export_with_entities_and_new_labels():
    records, texts = _seed_corpus()
    line = interop.to_doccano(records, texts)[0]
    assert line["label"][0][:2] == [records[0].start, records[0].end]
    # doccano's export: its own numeric id, `entities` objects, our keys kept; an annotator added one label.
    exported = {"id": 3, "doc_id": line["doc_id"], "text": line["text"], "chiso": line["chiso"], "Comments": [],
                "entities": [{"id": 10 + i, "start_offset": s, "end_offset": e, "label": k}
                             for i, (s, e, k) in enumerate(line["label"])] +
                            [{"id": 99, "start_offset": 0, "end_offset": 3, "label": "count"}]}
    number = next(m for m in re.finditer(r"\d+", line["text"]))
    exported["entities"].append({"id": 100, "start_offset": number.start(), "end_offset": number.end(),
                                 "label": "number"})
    log = ErrorLog(stream=None)
    back, back_texts = interop.from_doccano([exported], errors=log)
    assert back_texts == {line["doc_id"]: texts[line["doc_id"]]}
    added = [r for r in back if r.kind == "number" and r.start == number.start()]
    assert [r.value for r in added] == [float(number.group())]
    assert _key([r for r in back if r not in added]) == _key([r for r in records if r.doc_id == line["doc_id"]])
    # The first three characters hold no number: that label is reported and skipped.
    assert len(log) == 1 and "number parser reads none" in log.skipped[0].reason


def test_records_must_match_their_text():
    with pytest.raises(interop.InteropError):
        interop.to_doccano([Record("d", 0, 2, "xx", "count", 1)], {"d": "ab"})
    with pytest.raises(interop.InteropError, match="no text"):
        interop.to_labelstudio([Record("e", 0, 2, "ab", "count", 1)], {"d": "ab"})


def test_cli_round_trip_of_gold_through_all_tools(tmp_path, capsys):
    if not GOLD.is_dir():
        pytest.skip("no gold/")
    assert main(["convert", str(GOLD), "-o", str(tmp_path / "brat"), "--corpus", str(CORPUS)]) == 0
    assert (tmp_path / "brat" / "annotation.conf").exists()
    assert main(["convert", str(tmp_path / "brat"), "-o", str(tmp_path / "t.json")]) == 0
    assert (tmp_path / "t.config.xml").read_text(encoding="utf-8") == interop.label_config()
    assert main(["convert", str(tmp_path / "t.json"), "-o", str(tmp_path / "t.doccano.jsonl")]) == 0
    assert main(["convert", str(tmp_path / "t.doccano.jsonl"), "-o", str(tmp_path / "back"), "--to", "chiso"]) == 0
    for gold_file in sorted(GOLD.glob("*.jsonl")):
        assert (tmp_path / "back" / gold_file.name).read_bytes() == gold_file.read_bytes()
    assert main(["convert", str(tmp_path / "brat"), "-o", str(tmp_path / "all.jsonl")]) == 0
    assert len((tmp_path / "all.jsonl").read_text(encoding="utf-8").splitlines()) == sum(
        len(f.read_text(encoding="utf-8").splitlines()) for f in GOLD.glob("*.jsonl"))


def test_cli_needs_a_corpus_for_chiso_records(tmp_path, capsys):
    records, texts = _seed_corpus()
    interop.write("chiso", records, texts, tmp_path / "r.jsonl")
    assert main(["convert", str(tmp_path / "r.jsonl"), "-o", str(tmp_path / "b")]) == 2
    assert "--corpus" in capsys.readouterr().err
    assert main(["convert", str(tmp_path / "r.jsonl"), "-o", str(tmp_path / "b"), "--corpus", str(CORPUS)]) == 0
    back, back_texts = interop.from_brat(tmp_path / "b")
    assert _key(back) == _key(records) and set(back_texts) == {r.doc_id for r in records}


def test_cli_help_and_label_config(capsys):
    with pytest.raises(SystemExit):
        main(["convert", "--help"])
    out = capsys.readouterr().out
    assert "examples:" in out and "--corpus" in out and "labelstudio" in out
    assert main(["convert", "--label-config"]) == 0
    assert capsys.readouterr().out == interop.label_config()


def test_format_guessing(tmp_path):
    records, texts = _seed_corpus()
    interop.write("doccano", records, texts, tmp_path / "x.jsonl")
    interop.write("chiso", records, texts, tmp_path / "y.jsonl")
    assert interop.guess_input_format(tmp_path / "x.jsonl") == "doccano"
    assert interop.guess_input_format(tmp_path / "y.jsonl") == "chiso"
    assert interop.guess_output_format("a/tasks.json") == "labelstudio"
    assert interop.guess_output_format("a.doccano.jsonl") == "doccano"
    assert interop.guess_output_format("out/brat") == "brat"


def test_cli_reports_skipped_annotations_and_exits_1(tmp_path, capsys):
    task = {"data": {"text": "có 5 người và 7 tổ", "doc_id": "d"}, "annotations": [{"result": [
        {"id": "a", "from_name": "kind", "to_name": "text", "type": "labels",
         "value": {"start": 3, "end": 4, "text": "5", "labels": ["count"]}},
        {"id": "b", "from_name": "kind", "to_name": "text", "type": "labels",
         "value": {"start": 14, "end": 15, "text": "7", "labels": ["count"]}},
        {"id": "b", "from_name": "value", "to_name": "text", "type": "number", "value": {"number": 7}}]}]}
    task["annotations"][0]["result"].append(
        {"id": "c", "from_name": "kind", "to_name": "text", "type": "labels",
         "value": {"start": 11, "end": 13, "text": "và", "labels": ["count"]}})
    (tmp_path / "export.json").write_text(json.dumps([task], ensure_ascii=False), encoding="utf-8")
    assert main(["convert", str(tmp_path / "export.json"), "-o", str(tmp_path / "r.jsonl")]) == 1
    err = capsys.readouterr().err
    assert "chiso: note task 0 (d) region a: no value given; 5 read from '5' by the number parser" in err
    assert "chiso: skipped task 0 (d) region c: no value, and the number parser reads none in 'và'" in err
    lines = (tmp_path / "r.jsonl").read_text(encoding="utf-8").splitlines()
    assert [(json.loads(line)["text"], json.loads(line)["value"]) for line in lines] == [("5", 5), ("7", 7)]


def test_cli_chiso_to_chiso_needs_no_corpus(tmp_path):
    if not GOLD.is_dir():
        pytest.skip("no gold/")
    assert main(["convert", str(GOLD), "-o", str(tmp_path / "all.jsonl")]) == 0
    assert main(["convert", str(tmp_path / "all.jsonl"), "-o", str(tmp_path / "again"), "--to", "chiso"]) == 0
    for gold_file in sorted(GOLD.glob("*.jsonl")):
        assert (tmp_path / "again" / gold_file.name).read_bytes() == gold_file.read_bytes()


def test_label_studio_sdk_accepts_config_and_annotations():
    # Optional cross-check with Label Studio's own validator (not a chiso dependency).
    sdk = pytest.importorskip("label_studio_sdk.label_interface")
    interface = sdk.LabelInterface(interop.label_config())
    records, texts = _seed_corpus()
    for task in interop.to_labelstudio(records, texts):
        assert interface.validate_annotation(task["annotations"][0])
    bad = interop.to_labelstudio(records, texts)[0]["annotations"][0]
    bad["result"][0]["value"]["labels"] = ["not-a-kind"]
    assert not interface.validate_annotation(bad)


def test_cli_predictions_flag_and_missing_input(tmp_path, capsys):
    records, texts = _seed_corpus()
    interop.write("chiso", records, texts, tmp_path / "r.jsonl")
    assert main(["convert", str(tmp_path / "r.jsonl"), "-o", str(tmp_path / "p.json"), "--corpus", str(CORPUS),
                 "--predictions"]) == 0
    tasks = json.loads((tmp_path / "p.json").read_text(encoding="utf-8"))
    assert all("predictions" in t and "annotations" not in t for t in tasks)
    assert main(["convert", str(tmp_path / "nothing.json"), "-o", str(tmp_path / "x.jsonl")]) == 2
    assert "nothing.json" in capsys.readouterr().err


def test_label_studio_keeps_a_null_period_apart_from_no_period_key():
    text = "Có 5 người."
    annotated = Record.from_dict({"doc_id": "d", "start": 3, "end": 4, "text": "5", "kind": "count", "value": 5,
                                  "period": None, "place": "Hà Nội"})
    older = Record.from_dict({"doc_id": "d", "start": 3, "end": 4, "text": "5", "kind": "count", "value": 5})
    for record in (annotated, older):
        [task] = interop.to_labelstudio([record], {"d": text})
        [back], _ = interop.from_labelstudio([task])
        assert [back.has_field("period"), back.has_field("place")] == [record.has_field("period"),
                                                                        record.has_field("place")]
        assert (back.period, back.place) == (record.period, record.place)


def test_rule_ids_travel_where_each_format_has_room(tmp_path):
    records, texts = _seed_corpus()
    ranked = next(r for r in records if r.rules)
    interop.write("brat", records, texts, tmp_path / "brat")
    ann = (tmp_path / "brat" / f"{ranked.doc_id}.ann").read_text(encoding="utf-8")
    assert '"rules": ["cand.digits", "cand.ratio.slash", "chg.decrease.giam"]}' in ann  # the AnnotatorNotes JSON
    [task] = [t for t in interop.to_labelstudio(records, texts) if t["data"]["doc_id"] == ranked.doc_id]
    metas = [r["meta"]["text"] for r in task["annotations"][0]["result"] if r["type"] == "labels" and r.get("meta")]
    assert ["rules: cand.digits cand.ratio.slash chg.decrease.giam"] in [[x for x in m if x.startswith("rules: ")]
                                                                           for m in metas]
    [line] = [d for d in interop.to_doccano(records, texts) if d["doc_id"] == ranked.doc_id]
    assert [e["rules"] for e in line["chiso"] if "rules" in e] == [ranked.rules]
    gold_only = [r for r in records if not r.rules]
    assert all("rules" not in line for line in interop.chiso_lines(gold_only))  # gold files stay as they were
    assert interop.chiso_lines([ranked])[0]["rules"] == ranked.rules


@pytest.mark.parametrize("part_format", ["parquet", "jsonl"])
def test_cli_converts_a_batch_output_directory(tmp_path, capsys, part_format):
    """`chiso extract -o DIR/` parts (and not its .chiso/ bookkeeping) are records, not a gold layout."""
    from pipeline.writers import read_records

    out = tmp_path / "batch"
    assert main(["extract", str(CORPUS), "-o", f"{out}/", "--format", part_format, "--shard-docs", "2", "-q",
                 "--no-progress"]) == 0
    assert (out / ".chiso" / "errors.jsonl").exists() and len(list(out.glob(f"part-*.{part_format}"))) == 3
    extracted = [r for part in sorted(out.glob("part-*")) for r in read_records(part)]
    assert interop.guess_input_format(out) == "chiso"
    capsys.readouterr()
    assert main(["convert", str(out), "-o", str(tmp_path / "tasks.json"), "--corpus", str(CORPUS)]) == 0
    assert f"{len(extracted)} records of 5 documents" in capsys.readouterr().err
    back, _ = interop.read("labelstudio", tmp_path / "tasks.json")
    assert _key(back) == _key([replace(r, url=None, published=None, sentence_start=None, sentence_end=None)
                               for r in extracted])  # sentence offsets are context, not annotation
    # A run that did not finish is not converted as if it were whole.
    sorted(out.glob("part-*"))[1].unlink()
    assert main(["convert", str(out), "-o", str(tmp_path / "again.jsonl")]) == 2
    assert "1 of 3 part file(s) missing" in capsys.readouterr().err


def _loose_key(records: list[Record]) -> list[str]:
    """Comparison key across table formats: numbers as floats, "" as null (a CSV cell cannot tell them apart)."""
    return sorted((repr(tuple(float(v) if isinstance(v, int) and not isinstance(v, bool) and k not in ("start", "end")
                              else (None if v == "" else v) for k, v in r.to_dict().items())) for r in records))


@pytest.mark.parametrize("name", ["records.parquet", "records.csv", "records.jsonl.gz"])
def test_cli_converts_record_files_of_every_format(tmp_path, name):
    from pipeline.writers import write_records

    records, texts = _seed_corpus()
    write_records(records, tmp_path / name)
    assert interop.guess_input_format(tmp_path / name) == "chiso"
    assert main(["convert", str(tmp_path / name), "-o", str(tmp_path / "brat"), "--corpus", str(CORPUS)]) == 0
    assert _loose_key(interop.from_brat(tmp_path / "brat")[0]) == _loose_key(records)
    # And back out to the same kind of file (not a brat directory named records.parquet).
    assert interop.guess_output_format(tmp_path / f"back-{name}") == "chiso"
    assert main(["convert", str(tmp_path / "brat"), "-o", str(tmp_path / f"back-{name}")]) == 0
    assert (tmp_path / f"back-{name}").is_file()
    from pipeline.gold import load_predictions

    assert _loose_key(load_predictions(tmp_path / f"back-{name}")) == _loose_key(records)


def test_a_failed_write_leaves_no_partial_file(tmp_path):
    records, texts = _seed_corpus()
    broken = replace(records[-1], subject=object())  # cannot be written as JSON, after the other records
    with pytest.raises(TypeError):
        interop.write("chiso", [*records, broken], texts, tmp_path / "out.jsonl")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("fmt", ["brat", "doccano"])
def test_period_and_place_keys_travel_null_included_in_brat_notes_and_doccano_entries(fmt):
    text = "Có 1.426 tổ và 40 tỷ đồng."
    carried = Record("d", 3, 8, "1.426", "count", 1426, period=None, place="Đắk Lắk")  # null period: annotated
    data = Record("d", 15, 25, "40 tỷ đồng", "money", 4e10, unit="VND").to_dict(provenance=False)
    del data["period"], data["place"]
    keyless = Record.from_dict(data)  # a gold record written before v1.2
    back, _texts = _via(fmt, [carried, keyless], {"d": text})
    assert back == [carried, keyless]
    assert back[0].has_field("period") and back[0].period is None and back[0].place == "Đắk Lắk"
    assert not back[1].has_field("period") and not back[1].has_field("place")


def test_labelstudio_offers_period_and_place_boxes_and_reads_them_back():
    text = "Có 1.426 tổ và 40 tỷ đồng."
    record = Record("d", 3, 8, "1.426", "count", 1426, period="2023-09", place="Việt Nam")
    assert 'name="period"' in interop.labelstudio.label_config()
    back, _texts = _via("labelstudio", [record], {"d": text})
    assert back == [record] and back[0].has_field("period")
