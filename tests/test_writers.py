"""Writers: three formats round-trip exactly, writes are atomic, "-" is stdout."""
from __future__ import annotations

import json

import pytest

from pipeline.records import COLUMNS, Record
from pipeline.writers import read_records, records_frame, write_records

RECORDS = [
    Record(doc_id="000_a", start=10, end=15, text="1.426", kind="count", value=1426,
           subject="Tổ công nghệ số cộng đồng", location="Đắk Lắk", url="https://báo.vn/a?x=1,2",
           published="2023-10-01", rules=["cand.digits", "subj.noun_after", "loc.main_place"]),
    Record(doc_id="000_a", start=40, end=46, text="14,96%", kind="percent", value=14.96, unit="%",
           qualifier="approx", subject='GDP "số", dấu phẩy', time="quý 2", rules=["cand.digits", "unit.percent"]),
    Record(doc_id="001_b", start=3, end=8, text="47/63", kind="rank", value=47, denominator=63.0),
    Record(doc_id="001_b", start=50, end=58, text="5 đến 7%", kind="percent", value=5, value_max=7,
           unit="%", modality="target", change="increase", subject="dòng\nmới"),
    Record(doc_id="002_c", start=0, end=6, text="0,7111", kind="number", value=0.1 + 0.2),
    Record(doc_id="002_c", start=9, end=20, text="2.587.362", kind="count", value=2587362.0000001,
           value_max=None, denominator=1e-7),
]


@pytest.mark.parametrize("name", ["r.jsonl", "r.csv", "r.parquet", "r.out", "r.jsonl.gz", "r.csv.gz"])
def test_round_trip_is_exact(tmp_path, name):
    path = tmp_path / name
    assert write_records(RECORDS, path) == len(RECORDS)
    back = read_records(path)
    assert back == RECORDS
    assert [r.value for r in back] == [r.value for r in RECORDS]  # floats bit-exact (0.1 + 0.2 != 0.3)
    assert back[1].unit == "%" and back[0].unit is None and back[2].value_max is None
    assert back[0].rules == ["cand.digits", "subj.noun_after", "loc.main_place"] and back[2].rules == []


def test_jsonl_is_utf8_in_column_order(tmp_path):
    path = tmp_path / "r.jsonl"
    write_records(RECORDS, path)
    lines = path.read_text(encoding="utf-8").splitlines()
    assert len(lines) == len(RECORDS)
    assert "Tổ công nghệ số cộng đồng" in lines[0]  # not \\u escapes
    assert list(json.loads(lines[0])) == list(COLUMNS)
    assert json.loads(lines[0])["value_max"] is None


def test_csv_header_is_columns(tmp_path):
    path = tmp_path / "r.csv"
    write_records(RECORDS, path)
    assert path.read_text(encoding="utf-8").splitlines()[0] == ",".join(COLUMNS)


def test_rule_ids_are_a_list_in_jsonl_and_parquet_and_one_spaced_cell_in_csv(tmp_path):
    import pyarrow.parquet as pq

    write_records(RECORDS, tmp_path / "r.jsonl")
    write_records(RECORDS, tmp_path / "r.csv")
    write_records(RECORDS, tmp_path / "r.parquet")
    assert json.loads((tmp_path / "r.jsonl").read_text(encoding="utf-8").splitlines()[1])["rules"] == [
        "cand.digits", "unit.percent"]
    assert ",cand.digits unit.percent," in (tmp_path / "r.csv").read_text(encoding="utf-8").splitlines()[2]
    assert pq.read_table(tmp_path / "r.parquet").column("rules").to_pylist()[1] == ["cand.digits", "unit.percent"]


def test_csv_written_by_pandas_reads_its_rule_lists(tmp_path):
    # extract_corpus(...).to_csv() writes the list column as its Python repr.
    records_frame(RECORDS).to_csv(tmp_path / "p.csv", index=False)
    assert [r.rules for r in read_records(tmp_path / "p.csv")] == [r.rules for r in RECORDS]


def test_dicts_are_accepted(tmp_path):
    path = tmp_path / "r.jsonl"
    write_records([r.to_dict() for r in RECORDS], path)
    assert read_records(path) == RECORDS


@pytest.mark.parametrize("name", ["r.jsonl", "r.csv", "r.parquet"])
def test_empty_output_is_a_valid_file(tmp_path, name):
    path = tmp_path / name
    assert write_records([], path) == 0
    assert path.exists() and read_records(path) == []


@pytest.mark.parametrize("name", ["r.jsonl", "r.csv", "r.parquet"])
def test_failure_midway_leaves_no_file(tmp_path, name):
    def failing():
        yield RECORDS[0]
        yield RECORDS[1]
        raise RuntimeError("crash in the middle")

    path = tmp_path / "sub" / name
    with pytest.raises(RuntimeError):
        write_records(failing(), path)
    assert not path.exists()
    assert list(path.parent.iterdir()) == []  # no temporary file left behind either


@pytest.mark.parametrize("name", ["r.jsonl", "r.parquet"])
def test_failure_keeps_the_previous_file_whole(tmp_path, name):
    path = tmp_path / name
    write_records(RECORDS, path)
    before = path.read_bytes()

    def failing():
        yield RECORDS[0]
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        write_records(failing(), path)
    assert path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == [name]


def test_dash_writes_json_lines_to_stdout(capsys):
    assert write_records(RECORDS[:2], "-") == 2
    out = capsys.readouterr().out.splitlines()
    assert [Record.from_dict(json.loads(line)) for line in out] == RECORDS[:2]


def test_records_frame_columns_and_nulls():
    frame = records_frame(RECORDS)
    assert list(frame.columns) == list(COLUMNS)
    assert len(frame) == len(RECORDS)
    assert frame["value_max"].isna().sum() == 5
    assert str(frame["start"].dtype) == "int64"
    assert list(records_frame([]).columns) == list(COLUMNS)


def test_gz_names_are_really_gzipped(tmp_path):
    path = tmp_path / "r.jsonl.gz"
    write_records(RECORDS, path)
    assert path.read_bytes()[:2] == b"\x1f\x8b"


def test_output_has_normal_permissions(tmp_path):
    import os

    path = tmp_path / "r.jsonl"
    write_records(RECORDS, path)
    umask = os.umask(0)
    os.umask(umask)
    assert path.stat().st_mode & 0o777 == 0o666 & ~umask
