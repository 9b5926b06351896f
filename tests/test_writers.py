"""Writers: three formats round-trip exactly, writes are atomic, "-" is stdout."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from pipeline.records import COLUMNS, Record
from pipeline.writers import read_records, records_frame, write_records

RECORDS = [
    Record(doc_id="000_a", start=10, end=15, text="1.426", kind="count", value=1426,
           subject="Tổ công nghệ số cộng đồng", location="Đắk Lắk", period="2023-09", place="Đắk Lắk",
           sentence_start=0, sentence_end=60, url="https://báo.vn/a?x=1,2", published="2023-10-01", rules=["cand.digits", "subj.noun_after", "loc.main_place"]),
    Record(doc_id="000_a", start=40, end=46, text="14,96%", kind="percent", value=14.96, unit="%",
           qualifier="approx", subject='GDP "số", dấu phẩy', time="quý 2", rules=["cand.digits", "unit.percent"]),
    Record(doc_id="001_b", start=3, end=8, text="47/63", kind="rank", value=47, denominator=63.0, period="2023",
           sentence_start=3, sentence_end=8),
    Record(doc_id="001_b", start=50, end=58, text="5 đến 7%", kind="percent", value=5, value_max=7,
           unit="%", modality="target", change="increase", subject="dòng\nmới"),
    Record(doc_id="002_c", start=0, end=6, text="0,7111", kind="number", value=0.1 + 0.2),
    Record(doc_id="002_c", start=9, end=20, text="2.587.362", kind="count", value=2587362.0000001,
           value_max=None, denominator=1e-7),
]


@pytest.mark.parametrize("name", ["r.jsonl", "r.csv", "r.parquet", "r.ndjson", "records", "r.jsonl.gz", "r.csv.gz"])
def test_round_trip_is_exact(tmp_path, name):
    path = tmp_path / name
    assert write_records(RECORDS, path) == len(RECORDS)
    back = read_records(path)
    assert back == RECORDS
    assert [r.value for r in back] == [r.value for r in RECORDS]  # floats bit-exact (0.1 + 0.2 != 0.3)
    assert back[1].unit == "%" and back[0].unit is None and back[2].value_max is None
    assert back[0].rules == ["cand.digits", "subj.noun_after", "loc.main_place"] and back[2].rules == []
    assert back[2].period == "2023" and back[0].sentence_end == 60 and back[1].sentence_start is None


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
    assert str(frame["sentence_start"].dtype) == "Int64" and frame["sentence_start"].isna().sum() == 4
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


# -o names what it replaces: links are followed, FIFOs and devices are written in place, never renamed over.

def test_a_link_is_followed_and_kept(tmp_path):
    import os

    real = tmp_path / "data" / "r.jsonl"
    real.parent.mkdir()
    real.write_text("old\n")
    link = tmp_path / "r.jsonl"
    link.symlink_to(real)
    write_records(RECORDS, link)
    assert link.is_symlink() and os.readlink(link) == str(real)
    assert read_records(real) == RECORDS
    assert sorted(p.name for p in real.parent.iterdir()) == ["r.jsonl"]  # the temp file was beside the target


def test_a_fifo_is_written_in_place(tmp_path):
    import os
    import stat

    fifo = tmp_path / "pipe.jsonl"
    os.mkfifo(fifo)
    reader = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)  # a reader is there, so opening to write does not block
    try:
        write_records(RECORDS[:2], fifo)
        data = os.read(reader, 1 << 16).decode("utf-8")
    finally:
        os.close(reader)
    assert stat.S_ISFIFO(os.stat(fifo).st_mode)
    assert [json.loads(line)["doc_id"] for line in data.splitlines()] == ["000_a", "000_a"]
    assert [p.name for p in tmp_path.iterdir()] == ["pipe.jsonl"]


def _full_device(tmp_path):
    """A character device like /dev/full (1, 7) in tmp_path: a test never touches the real /dev nodes."""
    import os
    import stat

    node = tmp_path / "full"
    try:
        os.mknod(node, stat.S_IFCHR | 0o666, os.makedev(1, 7))
    except (PermissionError, AttributeError):
        pytest.skip("cannot create a device node here")
    return node


@pytest.mark.parametrize("name", ["r.jsonl", "r.csv", "r.parquet"])
def test_a_full_device_reports_no_space_and_stays_a_device(tmp_path, name):
    import errno
    import os
    import stat

    node = _full_device(tmp_path)
    link = tmp_path / name
    link.symlink_to(node)
    with pytest.raises(OSError) as exc:
        write_records(RECORDS, link)
    assert exc.value.errno == errno.ENOSPC
    assert stat.S_ISCHR(os.stat(node).st_mode) and link.is_symlink()


def test_which_targets_are_written_in_place(tmp_path):
    import os

    from pipeline.writers import writes_in_place

    os.mkfifo(tmp_path / "fifo")
    (tmp_path / "file").write_text("x")
    (tmp_path / "to-fifo").symlink_to(tmp_path / "fifo")
    (tmp_path / "to-file").symlink_to(tmp_path / "file")
    assert writes_in_place(tmp_path / "fifo") and writes_in_place(tmp_path / "to-fifo")
    assert not writes_in_place(tmp_path / "file") and not writes_in_place(tmp_path / "to-file")
    assert not writes_in_place(tmp_path / "new.jsonl")
    for name in ("/dev/null", "/dev/stdout", "/dev/full", "/proc/self/fd/1"):
        assert writes_in_place(Path(name)), name  # decided only: these are never written by the tests
    assert not writes_in_place(Path("/dev/shm/chiso-test-never-written.jsonl"))  # tmpfs files stay atomic


def test_writing_dev_full_reports_no_space():
    import errno

    with pytest.raises(OSError) as exc:
        write_records(RECORDS, "/dev/full")  # written in place: the node is opened, never replaced
    assert exc.value.errno == errno.ENOSPC


# A killed run leaves its hidden temp file; the next write of the same target removes it.

def test_stale_temp_files_are_removed_and_live_ones_kept(tmp_path):
    import fcntl
    import os

    path = tmp_path / "r.jsonl"
    stale = tmp_path / ".r.jsonl.k1ll3d00.tmp"
    stale.write_text("half")
    live = tmp_path / ".r.jsonl.w0rk1ng0.tmp"
    live.write_text("in progress")
    other = tmp_path / ".other.jsonl.abcdefgh.tmp"
    other.write_text("not ours")
    fd = os.open(live, os.O_RDONLY)
    fcntl.flock(fd, fcntl.LOCK_EX)  # what a running writer holds
    try:
        write_records(RECORDS, path)
    finally:
        os.close(fd)
    assert sorted(p.name for p in tmp_path.iterdir()) == [".other.jsonl.abcdefgh.tmp", ".r.jsonl.w0rk1ng0.tmp",
                                                          "r.jsonl"]


def test_a_killed_write_leaves_a_temp_file_the_next_run_removes(tmp_path):
    import signal
    import subprocess
    import sys
    import time

    path = tmp_path / "r.jsonl"
    script = ("import sys, time\nfrom pipeline.writers import write_records\n"
              "def slow():\n    print('started', flush=True)\n    time.sleep(60)\n    yield from ()\n"
              f"write_records(slow(), {str(path)!r})\n")
    proc = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE)
    try:
        assert proc.stdout.readline() == b"started\n"
        time.sleep(0.1)
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait()
    assert [p.name.endswith(".tmp") for p in tmp_path.iterdir()] == [True]
    write_records(RECORDS, path)
    assert [p.name for p in tmp_path.iterdir()] == ["r.jsonl"]


@pytest.mark.parametrize("name", ["r.xlsx", "r.json", "r.txt.gz", "r.jsonl.bak"])
def test_an_unknown_ending_is_refused_not_written_as_json_lines(tmp_path, name):
    with pytest.raises(ValueError, match="unknown output format"):
        write_records(RECORDS, tmp_path / name)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("name", ["r.csv", "r.csv.gz"])
def test_csv_bom_marks_utf8_for_spreadsheets_and_reads_back(tmp_path, name):
    import gzip

    path = tmp_path / name
    write_records(RECORDS, path, csv_bom=True)
    raw = gzip.decompress(path.read_bytes()) if name.endswith(".gz") else path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbfdoc_id,")
    assert read_records(path) == RECORDS
    write_records(RECORDS, tmp_path / "plain.csv")
    assert (tmp_path / "plain.csv").read_bytes().startswith(b"doc_id,")  # no BOM unless asked


def test_csv_with_bom_reads_in_pandas(tmp_path):
    import pandas as pd

    path = tmp_path / "r.csv"
    write_records(RECORDS, path, csv_bom=True)
    assert list(pd.read_csv(path).columns) == list(COLUMNS)


def test_one_parquet_schema_for_files_and_batch_parts():
    from pipeline.batch.parts import SCHEMA
    from pipeline.writers import parquet_schema

    assert SCHEMA.equals(parquet_schema())
    assert not SCHEMA.field("start").nullable and SCHEMA.field("sentence_start").nullable
    assert str(SCHEMA.field("sentence_end").type) == "int64" and str(SCHEMA.field("period").type) == "string"
