"""Gold loader: formats, documents evaluated, and every bad record reported as FILE:LINE."""
import json

import pandas as pd
import pytest

from conftest import CORPUS, GOLD
from pipeline.gold import GoldError, load_gold, load_predictions, load_texts
from pipeline.records import Record

TEXT = "Có 1.426 tổ và 40 tỷ đồng."


def good(doc="a", **kw):
    base = dict(doc_id=doc, start=3, end=8, text="1.426", kind="count", value=1426)
    base.update(kw)
    return base


def write(path, lines):
    path.write_text("".join((l if isinstance(l, str) else json.dumps(l, ensure_ascii=False)) + "\n"
                            for l in lines), encoding="utf-8")
    return path


def test_directory_names_evaluated_documents_including_empty_files(tmp_path):
    write(tmp_path / "a.jsonl", [good(), good(start=15, end=25, text="40 tỷ đồng", kind="money", value=4e10,
                                               unit="VND")])
    write(tmp_path / "empty.jsonl", [])
    gold = load_gold(tmp_path, {"a": TEXT, "empty": "Không có số."})
    assert gold.doc_ids == {"a", "empty"}
    assert [r.text for r in gold.records] == ["1.426", "40 tỷ đồng"]
    assert isinstance(gold.records[0], Record)


def test_every_error_family_is_listed_with_file_and_line(tmp_path):
    a = write(tmp_path / "a.jsonl", [
        good(),                                   # 1 ok
        "{not json",                              # 2 invalid JSON
        good(start=4, end=9),                     # 3 offsets do not match the text
        good(start=15, end=25, text="40 tỷ đồng", kind="amount", value=4e10),  # 4 bad enum
        good(),                                   # 5 duplicate of line 1
        {"doc_id": "a", "start": 0, "end": 2},    # 6 missing fields
        "[1, 2]",                                 # 7 not an object
        good(doc="b"),                            # 8 doc_id differs from the file name
        good(start=15, end=25, text="40 tỷ đồng", kind="money", value="40 tỷ"),  # 9 value not a number
    ])
    with pytest.raises(GoldError) as info:
        load_gold(tmp_path, {"a": TEXT, "b": TEXT})
    problems = info.value.problems
    assert len(problems) == 8
    expected = {2: "not valid JSON", 3: "document", 4: "kind", 5: "duplicate", 6: "missing field",
                7: "JSON object", 8: "differs from the file name", 9: "value"}
    for line, word in expected.items():
        hits = [p for p in problems if p.startswith(f"{a}:{line}: ")]
        assert hits and word in hits[0], (line, problems)
    assert str(a) + ":1:" not in str(info.value)


def test_errors_of_several_files_are_all_listed(tmp_path):
    write(tmp_path / "a.jsonl", ["oops"])
    write(tmp_path / "b.jsonl", [good(doc="b", kind="x")])
    with pytest.raises(GoldError) as info:
        load_gold(tmp_path)
    assert len(info.value.problems) == 2
    assert "a.jsonl:1:" in str(info.value) and "b.jsonl:1:" in str(info.value)


def test_offsets_are_not_checked_without_texts(tmp_path):
    write(tmp_path / "a.jsonl", [good(start=4, end=9)])
    assert len(load_gold(tmp_path).records) == 1


def test_single_jsonl_file_evaluates_the_documents_in_it(tmp_path):
    f = write(tmp_path / "all.jsonl", [good(doc="a"), good(doc="b")])
    gold = load_gold(f, {"a": TEXT, "b": TEXT})
    assert gold.doc_ids == {"a", "b"} and len(gold.records) == 2


def test_csv_and_parquet_load_like_jsonl(tmp_path):
    rows = [Record.from_dict(good()).to_dict(),
            Record.from_dict(good(start=15, end=25, text="40 tỷ đồng", kind="money", value=4e10, unit="VND",
                                  denominator=None)).to_dict()]
    frame = pd.DataFrame(rows)
    frame.to_csv(tmp_path / "g.csv", index=False)
    frame.to_parquet(tmp_path / "g.parquet", index=False)
    for name in ("g.csv", "g.parquet"):
        gold = load_gold(tmp_path / name, {"a": TEXT})
        assert [r.to_dict() for r in gold.records] == rows, name
        assert load_predictions(tmp_path / name) == gold.records


def test_csv_errors_name_the_file_line(tmp_path):
    frame = pd.DataFrame([Record.from_dict(good()).to_dict(), Record.from_dict(good(qualifier="about")).to_dict()])
    frame.to_csv(tmp_path / "g.csv", index=False)
    with pytest.raises(GoldError) as info:
        load_gold(tmp_path / "g.csv")
    assert info.value.problems[0].startswith(f"{tmp_path / 'g.csv'}:3: ") and "qualifier" in info.value.problems[0]


def test_predictions_jsonl_and_bad_lines(tmp_path):
    f = write(tmp_path / "p.jsonl", [good(), good()])  # duplicates are allowed in predictions
    assert len(load_predictions(f)) == 2
    write(f, [good(), "nope", good(kind="bad")])
    with pytest.raises(GoldError) as info:
        load_predictions(f)
    assert [p.split(": ")[0] for p in info.value.problems] == [f"{f}:2", f"{f}:3"]


def test_missing_path_is_a_gold_error(tmp_path):
    with pytest.raises(GoldError):
        load_gold(tmp_path / "nowhere")
    with pytest.raises(GoldError):
        load_gold(tmp_path)  # an empty directory holds no gold file


def test_load_texts_normalizes(tmp_path):
    (tmp_path / "x.txt").write_bytes("Tie\u0302\u0301n\r\nb\rc".encode("utf-8"))
    assert load_texts(tmp_path) == {"x": "Tiến\nb\nc"}
    f = write(tmp_path / "c.jsonl", [{"id": "y", "text": "a\r\nb"}])
    assert load_texts(f) == {"y": "a\nb"}


def test_project_gold_is_valid_against_the_corpus():
    if not list(GOLD.glob("*.jsonl")):
        pytest.skip("gold/ has no annotation yet")
    gold = load_gold(GOLD, load_texts(CORPUS))
    assert gold.doc_ids <= {p.stem for p in CORPUS.glob("*.txt")}
    assert gold.records


def test_csv_with_a_broken_row_lists_that_row(tmp_path):
    frame = pd.DataFrame([Record.from_dict(good()).to_dict(), Record.from_dict(good()).to_dict()])
    frame.loc[1, "kind"] = ""  # an empty required cell
    frame.to_csv(tmp_path / "p.csv", index=False)
    with pytest.raises(GoldError) as info:
        load_predictions(tmp_path / "p.csv")
    assert [p.split(": ")[0] for p in info.value.problems] == [f"{tmp_path / 'p.csv'}:3"]


def test_gzipped_jsonl_predictions(tmp_path):
    import gzip
    (tmp_path / "p.jsonl.gz").write_bytes(gzip.compress((json.dumps(good()) + "\n").encode("utf-8")))
    assert load_predictions(tmp_path / "p.jsonl.gz")[0].value == 1426


def test_predictions_in_every_format_write_records_writes(tmp_path):
    # chiso extract -o accepts .csv.gz and .pq (pipeline.writers); the scorer must read what it wrote.
    from pipeline.writers import write_records

    record = Record.from_dict(good())
    for name in ("p.csv.gz", "p.pq", "p.jsonl.gz"):
        write_records([record], tmp_path / name)
        assert load_predictions(tmp_path / name) == [record], name


def test_load_texts_reads_a_txt_file_as_the_extractor_does(tmp_path):
    # A byte-order mark is not text: `chiso extract` drops it, so the offsets of its records (and of gold
    # annotated on its output) count without it; the scorer's texts must be the same string.
    from pipeline.readers import read_text_file

    path = tmp_path / "bom.txt"
    path.write_bytes("\ufeffCó 1.426 tổ".encode("utf-8"))
    assert load_texts(tmp_path) == {"bom": read_text_file(path).text} == {"bom": "Có 1.426 tổ"}


def test_load_texts_reports_a_file_that_is_not_utf8(tmp_path):
    (tmp_path / "bad.txt").write_bytes(b"caf\xe9")
    with pytest.raises(GoldError) as info:
        load_texts(tmp_path)
    assert info.value.problems[0].startswith(f"{tmp_path / 'bad.txt'}: ")


@pytest.mark.parametrize("name,v1_2", [("gold", True), ("dev_multi", True), ("dev_admin", False), ("dev_final", False),
                                       ("dev_html", False), ("dev_unc", False), ("dev_unc2", False)])
def test_gold_sets_carry_period_and_place_keys_exactly_when_annotated_by_v1_2(name, v1_2):
    from conftest import ROOT

    gold = load_gold(GOLD, load_texts(CORPUS)) if name == "gold" else load_gold(ROOT / "tests" / "data" / name)
    assert gold.records
    assert all(r.has_field("period") and r.has_field("place") for r in gold.records) if v1_2 else \
        not any(r.has_field("period") or r.has_field("place") for r in gold.records)
    assert all(("period" in r.to_dict(provenance=False)) == v1_2 for r in gold.records)


@pytest.mark.parametrize("suffix", [".jsonl", ".csv", ".parquet"])
def test_gold_period_and_place_keys_are_known_per_record_in_every_format(tmp_path, suffix):
    from pipeline.writers import write_records

    with_keys = tmp_path / f"with{suffix}"
    write_records([Record(**good(period="2023-09", place=None))], with_keys)
    record = load_gold(with_keys, {"a": TEXT}).records[0]
    assert record.period == "2023-09" and record.has_field("place") and record.place is None
    if suffix == ".jsonl":  # a JSON line may leave the keys out
        write(tmp_path / "a.jsonl", [good(), good(start=15, end=25, text="40 tỷ đồng", kind="money", value=4e10,
                                                   period="2022", place="Việt Nam")])
        old, new = load_gold(tmp_path / "a.jsonl", {"a": TEXT}).records
        assert not old.has_field("period") and new.has_field("period") and new.place == "Việt Nam"


def test_bad_gold_period_is_reported_with_its_line(tmp_path):
    write(tmp_path / "a.jsonl", [good(period="tháng 9/2023")])
    with pytest.raises(GoldError, match=r"a.jsonl:1: .*period 'tháng 9/2023'"):
        load_gold(tmp_path, {"a": TEXT})
