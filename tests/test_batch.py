"""Batch runs: deterministic shards, engines agree, resume after a kill, errors logged, manifest checked."""
from __future__ import annotations

import gzip
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline.batch import BatchInputError, ManifestMismatch, run_batch
from pipeline.batch.inputs import expand_inputs
from pipeline.batch.output import iter_output_rows
from pipeline.batch.shards import plan_shards
from pipeline.batch.worker import DEFAULT_EXTRACTOR
from pipeline.errors import ErrorLog

from conftest import ROOT

STANDIN = "pipeline.batch.standin:extract_digits"
SLOW_STANDIN = "pipeline.batch.standin:extract_digits_slowly"


def _article(i: int) -> dict:
    return {"id": f"doc-{i:04d}", "url": f"https://example.vn/{i}", "date": f"{i % 28 + 1}/10/2020",
            "text": f"Bài {i}: tỉnh có {i * 7} xã, đạt {i % 100},5% kế hoạch; thu {i * 13} tỷ đồng."}


def _write_jsonl(path: Path, n: int, start: int = 0) -> Path:
    with open(path, "w", encoding="utf-8") as fh:
        for i in range(start, start + n):
            fh.write(json.dumps(_article(i), ensure_ascii=False) + "\n")
    return path


def _rows(out: Path) -> list[tuple]:
    """Records of an output directory as sorted comparable tuples."""
    return sorted(json.dumps(r, sort_keys=True, ensure_ascii=False) for r in iter_output_rows(out))


def _batch(inputs, out: Path, **kw):
    kw.setdefault("progress", False)
    kw.setdefault("extractor", STANDIN)
    return run_batch(inputs, out, **kw)


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    """A directory: two JSON Lines files and three text files."""
    d = tmp_path / "in"
    d.mkdir()
    _write_jsonl(d / "a.jsonl", 23)
    _write_jsonl(d / "b.jsonl", 9, start=100)
    for i in range(3):
        (d / f"t{i}.txt").write_text(f"Văn bản {i} có {i + 40} người và 12,5 km đường.", encoding="utf-8")
    return d


def test_shard_plan_is_deterministic_and_line_aligned(corpus: Path):
    files = expand_inputs([corpus])
    repeats = ErrorLog(stream=None)
    again = expand_inputs([corpus / "t2.txt", corpus / "b.jsonl", corpus / "a.jsonl", corpus / "t0.txt",
                           corpus / "t1.txt", corpus], repeats)
    assert files == again  # order and duplicates of the inputs do not matter...
    assert len(repeats) == 5  # ...and a file named twice is reported, then read once
    plan = plan_shards(files, 5)
    assert plan == plan_shards(files, 5)
    a_pieces = [s.pieces[0] for s in plan if s.pieces[0].path.endswith("a.jsonl")]
    assert [p.docs for p in a_pieces] == [5, 5, 5, 5, 3]
    data = (corpus / "a.jsonl").read_bytes()
    assert a_pieces[0].start == 0 and a_pieces[-1].end == len(data)
    for prev, cur in zip(a_pieces, a_pieces[1:]):
        assert prev.end == cur.start and data[cur.start - 1:cur.start] == b"\n"
        assert cur.first_line == prev.first_line + prev.docs
    text_shards = [s for s in plan if s.pieces[0].kind == "text"]
    assert len(text_shards) == 1 and len(text_shards[0].pieces) == 3  # small files grouped
    assert [s.index for s in plan] == list(range(len(plan)))


def test_small_inputs_are_cut_finer_for_parallel_workers(tmp_path: Path):
    src = _write_jsonl(tmp_path / "a.jsonl", 400)
    plan = plan_shards(expand_inputs([src]), 1000)
    assert [s.docs for s in plan] == [50] * 8  # 400 docs: 8 shards of MIN_SHARD_DOCS, not 1 of 1000
    big = plan_shards(expand_inputs([_write_jsonl(tmp_path / "b.jsonl", 3200)]), 100)
    assert [s.docs for s in big] == [100] * 32  # never above shard_docs


def test_run_writes_parts_markers_manifest_and_success(corpus: Path, tmp_path: Path):
    out = tmp_path / "out"
    summary = _batch([corpus], out, shard_docs=5)
    assert summary.documents == 35 and summary.skipped == 0 and summary.complete
    assert summary.parts_written == summary.parts_total == 8 and summary.parts_reused == 0
    manifest = json.loads((out / ".chiso" / "manifest.json").read_text())
    parts = [s["part"] for s in manifest["shards"]]
    assert parts == [f"part-{i:05d}.parquet" for i in range(8)]
    for part in parts:
        assert (out / part).is_file() and (out / ".chiso" / "done" / part.replace(".parquet", ".json")).is_file()
    assert (out / ".chiso" / "SUCCESS").exists() and (out / ".chiso" / "errors.jsonl").read_text() == ""
    rows = list(iter_output_rows(out))
    assert len(rows) == summary.records
    texts = {r["doc_id"]: r for r in rows}
    assert "doc-0003" in texts and texts["doc-0003"]["url"] == "https://example.vn/3"
    # A second run reuses every part and writes nothing.
    again = _batch([corpus], out, shard_docs=5)
    assert again.parts_reused == 8 and again.parts_written == 0 and again.records == summary.records


def test_offsets_point_into_the_document(corpus: Path, tmp_path: Path):
    out = tmp_path / "out"
    _batch([corpus / "a.jsonl"], out, shard_docs=4)
    docs = {d["id"]: d["text"] for d in map(json.loads, (corpus / "a.jsonl").read_text().splitlines())}
    rows = list(iter_output_rows(out))
    assert rows
    for r in rows:
        assert docs[r["doc_id"]][r["start"]:r["end"]] == r["text"]


def test_two_worker_processes_equal_one_worker(corpus: Path, tmp_path: Path):
    one = _batch([corpus], tmp_path / "w1", shard_docs=4)
    two = _batch([corpus], tmp_path / "w2", shard_docs=4, workers=2)
    assert two.documents == one.documents and two.records == one.records
    assert _rows(tmp_path / "w2") == _rows(tmp_path / "w1")
    for part in sorted((tmp_path / "w1").glob("part-*")):
        assert (tmp_path / "w2" / part.name).read_bytes() == part.read_bytes()


def test_dask_local_cluster_equals_local(corpus: Path, tmp_path: Path):
    pytest.importorskip("dask.distributed")
    local = _batch([corpus], tmp_path / "local", shard_docs=6)
    dask = _batch([corpus], tmp_path / "dask", shard_docs=6, engine="dask", workers=2)
    assert (dask.documents, dask.records, dask.parts_written) == (local.documents, local.records,
                                                                   local.parts_written)
    assert _rows(tmp_path / "dask") == _rows(tmp_path / "local")
    assert (tmp_path / "dask" / ".chiso" / "SUCCESS").exists()


def test_jsonl_format_holds_the_same_records(corpus: Path, tmp_path: Path):
    _batch([corpus], tmp_path / "pq", shard_docs=7)
    _batch([corpus], tmp_path / "js", shard_docs=7, fmt="jsonl")
    assert sorted((tmp_path / "js").glob("part-*.jsonl"))
    assert _rows(tmp_path / "js") == _rows(tmp_path / "pq")


@pytest.mark.parametrize("fmt", ["parquet", "jsonl"])
def test_parts_carry_the_rule_ids_of_each_record(tmp_path: Path, fmt: str):
    from pipeline.api import extract

    _batch([_write_jsonl(tmp_path / "a.jsonl", 3)], tmp_path / "out", fmt=fmt, extractor=DEFAULT_EXTRACTOR)
    rows = list(iter_output_rows(tmp_path / "out"))
    assert rows and all(r["rules"] and r["rules"][0].startswith("cand.") for r in rows)
    first = [r for r in rows if r["doc_id"] == "doc-0001"]
    assert [r["rules"] for r in first] == [r.rules for r in extract(_article(1)["text"], doc_id="doc-0001")]


def test_gzip_file_is_one_shard(tmp_path: Path):
    plain = _write_jsonl(tmp_path / "c.jsonl", 12)
    gz = tmp_path / "gz" / "c.jsonl.gz"
    gz.parent.mkdir()
    gz.write_bytes(gzip.compress(plain.read_bytes()))
    assert [s.docs for s in plan_shards(expand_inputs([gz]), 5)] == [12]  # counted for the progress total
    summary = _batch([gz], tmp_path / "out", shard_docs=5)
    assert summary.parts_total == 1 and summary.documents == 12
    _batch([plain], tmp_path / "out_plain", shard_docs=5)
    assert _rows(tmp_path / "out") == _rows(tmp_path / "out_plain")


def test_truncated_gzip_keeps_what_was_read_and_logs_the_rest(tmp_path: Path):
    data = gzip.compress(_write_jsonl(tmp_path / "c.jsonl", 400).read_bytes())
    gz = tmp_path / "gz" / "c.jsonl.gz"
    gz.parent.mkdir()
    gz.write_bytes(data[: len(data) * 2 // 3])
    summary = _batch([gz], tmp_path / "out")
    assert summary.complete and 0 < summary.documents < 400 and summary.skipped == 1
    error = json.loads((tmp_path / "out" / ".chiso" / "errors.jsonl").read_text())
    assert error["location"].startswith(str(gz.resolve()) + ":")


def test_bad_line_and_undecodable_file_are_logged_and_skipped(tmp_path: Path):
    d = tmp_path / "in"
    d.mkdir()
    good = _write_jsonl(d / "a.jsonl", 6)
    with open(good, "a", encoding="utf-8") as fh:
        fh.write("{not json\n")
        fh.write(json.dumps(_article(50)) + "\n")
    (d / "bad.txt").write_bytes(b"T\xe1\xbb\x89nh c\xff\xfe 12 x\xc3\xa3")
    (d / "ok.txt").write_text("Có 15 người.", encoding="utf-8")
    log = ErrorLog(stream=None)
    summary = _batch([d], tmp_path / "out", shard_docs=3, errors=log)
    assert summary.complete and summary.documents == 8 and summary.skipped == 2 and len(log) == 2
    lines = [json.loads(x) for x in (tmp_path / "out" / ".chiso" / "errors.jsonl").read_text().splitlines()]
    locations = sorted(x["location"] for x in lines)
    assert locations == sorted([f"{good.resolve()}:7", str((d / "bad.txt").resolve())])
    assert all(x["reason"] and x["part"].startswith("part-") for x in lines)
    doc_ids = {r["doc_id"] for r in iter_output_rows(tmp_path / "out")}
    assert {"doc-0050", "ok", "doc-0000"} <= doc_ids and "bad" not in doc_ids


@pytest.mark.parametrize("fmt", ["parquet", "jsonl"])
def test_a_lone_surrogate_skips_its_document_not_the_shard(tmp_path: Path, fmt: str):
    src = _write_jsonl(tmp_path / "a.jsonl", 4)
    with open(src, "a", encoding="utf-8") as fh:
        fh.write('{"id": "s\\ud800", "text": "Có 12 xã."}\n')
        fh.write('{"id": "t", "url": "http://x/\\udc00", "text": "Có 13 xã."}\n')
    summary = _batch([src], tmp_path / "out", fmt=fmt)
    assert summary.complete and summary.documents == 4 and summary.skipped == 2
    assert {r["doc_id"] for r in iter_output_rows(tmp_path / "out")} == {f"doc-{i:04d}" for i in range(4)}


def test_a_record_with_a_lone_surrogate_is_dropped_and_reported(tmp_path: Path, monkeypatch):
    from pipeline.batch import standin

    real = standin.extract_digits

    def broken_subject(doc, clean=True):
        records = real(doc, clean)
        records[0].subject = "x\ud800"  # as if an extractor built a field from a broken character
        return records

    monkeypatch.setattr(standin, "extract_digits", broken_subject)
    from pipeline.batch.worker import load_extractor
    load_extractor.cache_clear()
    try:
        summary = _batch([_write_jsonl(tmp_path / "a.jsonl", 3)], tmp_path / "out")
    finally:
        load_extractor.cache_clear()
    assert summary.complete and summary.skipped == 3 and summary.records == 3 * (5 - 1)
    errors_file = tmp_path / "out" / ".chiso" / "errors.jsonl"
    assert all("lone surrogate" in x["reason"] for x in map(json.loads, errors_file.read_text().splitlines()))


def test_an_unreadable_input_is_skipped_as_without_workers(tmp_path: Path):
    locked = Path("/proc/sys/vm/drop_caches")  # write-only, even for root: a real "Permission denied"
    try:
        locked.open("rb").close()
        pytest.skip(f"{locked} is readable here")
    except PermissionError:
        pass
    except OSError:
        pytest.skip(f"no {locked}")
    d = tmp_path / "in"
    d.mkdir()
    _write_jsonl(d / "a.jsonl", 3)
    (d / "z.txt").symlink_to(locked)
    log = ErrorLog(stream=None)
    summary = _batch([d], tmp_path / "out", errors=log)
    assert summary.complete and summary.documents == 3 and summary.skipped == 1
    assert log.skipped[0].reason == "cannot read: Permission denied"
    errors = [json.loads(x) for x in (tmp_path / "out" / ".chiso" / "errors.jsonl").read_text().splitlines()]
    assert errors == [{"location": str(locked), "reason": "cannot read: Permission denied", "part": None}]


def test_extraction_failure_fails_only_that_document(tmp_path: Path, monkeypatch, capsys):
    from pipeline.batch import standin

    real = standin.extract_digits

    def fragile(doc, clean=True):
        if doc.doc_id == "doc-0002":
            raise RuntimeError("boom")
        return real(doc, clean)

    monkeypatch.setattr(standin, "extract_digits", fragile)
    from pipeline.batch.worker import load_extractor
    load_extractor.cache_clear()
    try:
        summary = _batch([_write_jsonl(tmp_path / "a.jsonl", 5)], tmp_path / "out", errors=ErrorLog(stream=None))
    finally:
        load_extractor.cache_clear()
    assert summary.documents == 5 and summary.skipped == 0 and summary.failed == 1
    assert "5 documents, 20 records, 0 skipped, 1 failed;" in summary.describe()
    assert capsys.readouterr().err == "chiso: failed doc-0002: RuntimeError: boom\n"
    error = json.loads((tmp_path / "out" / ".chiso" / "errors.jsonl").read_text())
    assert error["failed"] and error["doc_id"] == "doc-0002" and error["error"] == "RuntimeError: boom"
    assert error["location"].endswith("a.jsonl:3") and error["part"] == "part-00000.parquet"
    assert "doc-0002" not in {r["doc_id"] for r in iter_output_rows(tmp_path / "out")}


def test_temp_and_unmarked_files_are_never_taken_as_done(corpus: Path, tmp_path: Path):
    ref = tmp_path / "ref"
    _batch([corpus], ref, shard_docs=5)
    out = tmp_path / "out"
    _batch([corpus], out, shard_docs=5)
    # Simulate a crash: part 1 lost its marker, part 2 was truncated, part 3 exists only as a temp file.
    (out / ".chiso" / "done" / "part-00001.json").unlink()
    (out / "part-00002.parquet").write_bytes(b"PAR1 truncated")
    (out / "part-00003.parquet").rename(out / ".part-00003.parquet.tmp-999-abc")
    (out / ".chiso" / "done" / ".part-00004.json.tmp-999-abc").write_text("{")
    (out / ".chiso" / "SUCCESS").unlink()
    summary = _batch([corpus], out, shard_docs=5)
    assert summary.parts_written == 3 and summary.parts_reused == 5
    assert not list(out.glob(".*.tmp-*")) and not list((out / ".chiso" / "done").glob(".*"))
    assert _rows(out) == _rows(ref) and (out / ".chiso" / "SUCCESS").exists()


def test_changed_input_or_options_are_refused_unless_overwrite(corpus: Path, tmp_path: Path):
    out = tmp_path / "out"
    _batch([corpus], out, shard_docs=5)
    with pytest.raises(ManifestMismatch, match="option shard_docs"):
        _batch([corpus], out, shard_docs=6)
    with pytest.raises(ManifestMismatch, match="option fmt"):
        _batch([corpus], out, shard_docs=5, fmt="jsonl")
    _write_jsonl(corpus / "b.jsonl", 10, start=100)
    with pytest.raises(ManifestMismatch, match="input changed: .*b.jsonl"):
        _batch([corpus], out, shard_docs=5)
    summary = _batch([corpus], out, shard_docs=5, overwrite=True)
    assert summary.documents == 36 and summary.parts_reused == 0


def test_changed_extraction_code_is_refused(tmp_path: Path, monkeypatch):
    module = tmp_path / "lib" / "my_extractor.py"
    module.parent.mkdir()
    module.write_text("from pipeline.batch.standin import extract_digits as extract\n", encoding="utf-8")
    monkeypatch.syspath_prepend(str(module.parent))
    src = _write_jsonl(tmp_path / "a.jsonl", 5)
    _batch([src], tmp_path / "out", extractor="my_extractor:extract")
    module.write_text("from pipeline.batch.standin import extract_digits as extract  # v2\n", encoding="utf-8")
    with pytest.raises(ManifestMismatch, match="rules or code changed .*my_extractor"):
        _batch([src], tmp_path / "out", extractor="my_extractor:extract")


def test_missing_input_is_an_error(tmp_path: Path):
    with pytest.raises(BatchInputError, match="no such file"):
        _batch([tmp_path / "nope.jsonl"], tmp_path / "out")
    with pytest.raises(BatchInputError, match="matches no file"):
        _batch([str(tmp_path / "*.jsonl")], tmp_path / "out")


def _cli(inputs: list[Path], out: Path, *extra: str) -> list[str]:
    return [sys.executable, "-m", "pipeline.batch", *map(str, inputs), "-o", str(out), "--quiet",
            "--shard-docs", "4", "--extractor", SLOW_STANDIN, *extra]


@pytest.mark.parametrize("workers", [1, pytest.param(2, marks=pytest.mark.slow)])
def test_resume_after_kill_gives_the_same_records(tmp_path: Path, workers: int):
    src = _write_jsonl(tmp_path / "a.jsonl", 48)  # 12 shards of 4 documents, 0.05 s each document
    env = {**os.environ, "CHISO_STANDIN_DELAY": "0.05", "PYTHONPATH": str(ROOT)}
    whole = tmp_path / "whole"
    subprocess.run(_cli([src], whole), env=env, check=True, capture_output=True, timeout=120)
    out = tmp_path / "killed"
    cli = _cli([src], out, "--workers", str(workers))
    proc = subprocess.Popen(cli, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while len(list((out / ".chiso" / "done").glob("part-*.json"))) < 3 and time.monotonic() < deadline:
        time.sleep(0.02)
    children = psutil.Process(proc.pid).children(recursive=True)
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    _, alive = psutil.wait_procs(children, timeout=15)  # pool workers must not outlive a killed run
    for child in alive:
        child.kill()
    assert not alive
    finished = len(list((out / ".chiso" / "done").glob("part-*.json")))
    assert 3 <= finished < 12 and not (out / ".chiso" / "SUCCESS").exists()
    done = subprocess.run(cli, env=env, check=True, capture_output=True, text=True, timeout=120)
    summary = json.loads(done.stdout)
    assert summary["parts_reused"] >= finished and summary["parts_written"] == 12 - summary["parts_reused"]
    assert summary["documents"] == 48 and (out / ".chiso" / "SUCCESS").exists()
    rows = list(iter_output_rows(out))
    keys = [(r["doc_id"], r["start"]) for r in rows]
    assert len(keys) == len(set(keys))  # no duplicate
    assert _rows(out) == _rows(whole)  # no loss


def test_a_broken_extractor_stops_the_run(tmp_path: Path, monkeypatch):
    from pipeline.batch import standin
    from pipeline.batch.worker import load_extractor

    def broken(doc, clean=True):
        raise ImportError("no module named 'extractors.missing'")

    monkeypatch.setattr(standin, "extract_digits", broken)
    load_extractor.cache_clear()
    try:
        with pytest.raises(ImportError):
            _batch([_write_jsonl(tmp_path / "a.jsonl", 5)], tmp_path / "out")
    finally:
        load_extractor.cache_clear()
    assert not (tmp_path / "out" / ".chiso" / "SUCCESS").exists()
    assert not list((tmp_path / "out").glob("part-*")) and not list((tmp_path / "out").glob(".*tmp*"))


def test_parquet_directory_reads_as_one_table(corpus: Path, tmp_path: Path):
    import pandas as pd

    summary = _batch([corpus], tmp_path / "out", shard_docs=5)
    frame = pd.read_parquet(tmp_path / "out")  # .chiso/ (manifest, markers...) is ignored by parquet readers
    assert len(frame) == summary.records
    assert list(frame.columns)[:4] == ["doc_id", "start", "end", "text"]


@pytest.mark.parametrize("fmt", ["parquet", "jsonl"])
def test_only_parts_are_visible_to_directory_loaders(corpus: Path, tmp_path: Path, fmt: str):
    # Hugging Face `datasets` (load_dataset("parquet", data_dir=OUT)) reads every file of OUT except hidden
    # ones and those inside "__*" directories; pyarrow and Spark also skip "_*". So: nothing but parts.
    out = tmp_path / "out"
    _batch([corpus], out, shard_docs=5, fmt=fmt)
    visible = sorted(str(p.relative_to(out)) for p in out.rglob("*")
                     if p.is_file() and not any(part.startswith(".") for part in p.relative_to(out).parts))
    assert visible and all(name.startswith("part-") and name.endswith(f".{fmt}") for name in visible)
    assert (out / ".chiso" / "SUCCESS").exists()


def test_an_output_of_the_old_layout_is_refused_unless_overwrite(corpus: Path, tmp_path: Path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "_manifest.json").write_text("{}")
    (out / "_SUCCESS").write_text("{}")
    (out / "_done").mkdir()
    (out / "_done" / "part-00000.json").write_text("{}")
    (out / "notes.txt").write_text("mine")
    with pytest.raises(ManifestMismatch, match="older chiso"):
        _batch([corpus], out)
    _batch([corpus], out, overwrite=True)
    assert not (out / "_manifest.json").exists() and not (out / "_SUCCESS").exists()
    assert not (out / "_done").exists() and (out / "notes.txt").exists()


def _write_warc(path: Path, pages: list[Path]) -> Path:
    from io import BytesIO

    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    with open(path, "wb") as fh:
        writer = WARCWriter(fh, gzip=True)
        for page in pages:
            url = "https://dantri.com.vn/kinh-doanh/" + page.stem.split("_", 1)[1] + ".htm"
            headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")],
                                       protocol="HTTP/1.1")
            writer.write_record(writer.create_warc_record(url, "response", payload=BytesIO(page.read_bytes()),
                                                          http_headers=headers))
    return path


def test_warc_file_is_one_shard_with_the_readers_documents(tmp_path: Path):
    pytest.importorskip("pipeline.read_warc")
    from conftest import HTML_VN
    from pipeline.readers import read_documents

    pages = sorted(HTML_VN.glob("dantri_*-2022*.html"))[:2]
    if len(pages) < 2:
        pytest.skip(f"{HTML_VN} not present")
    warc = _write_warc(tmp_path / "crawl.warc.gz", pages)
    expected = [d.doc_id for d in read_documents([warc], ErrorLog(stream=None))]
    if not expected:
        pytest.skip("pipeline.read_warc finds no article in the test pages (reader still in progress?)")
    summary = _batch([warc], tmp_path / "out", shard_docs=1)
    assert summary.parts_total == 1 and summary.documents == len(expected)
    assert {r["doc_id"] for r in iter_output_rows(tmp_path / "out")} <= set(expected)
    assert summary.records > 0


def test_dask_scheduler_address_is_used(corpus: Path, tmp_path: Path):
    distributed = pytest.importorskip("dask.distributed")
    import logging

    local = _batch([corpus], tmp_path / "local", shard_docs=6)
    with distributed.LocalCluster(n_workers=1, threads_per_worker=1, processes=True, dashboard_address=None,
                                  silence_logs=logging.ERROR) as cluster:
        summary = _batch([corpus], tmp_path / "remote", shard_docs=6, engine="dask",
                         scheduler=cluster.scheduler_address)
        with distributed.Client(cluster.scheduler_address) as client:
            assert client.run_on_scheduler(lambda dask_scheduler: len(dask_scheduler.tasks)) == 0  # released
    assert summary.records == local.records and _rows(tmp_path / "remote") == _rows(tmp_path / "local")
    with pytest.raises(ValueError, match="scheduler"):
        _batch([corpus], tmp_path / "bad", scheduler="tcp://127.0.0.1:1")  # an address needs engine="dask"


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(lines=st.lists(st.text(alphabet="ab\u1ec7 {}", max_size=8), max_size=40), final_newline=st.booleans(),
       shard_docs=st.integers(1, 7))
def test_jsonl_pieces_cover_the_file_exactly(tmp_path: Path, lines: list[str], final_newline: bool,
                                             shard_docs: int):
    from pipeline.batch.inputs import InputFile
    from pipeline.batch.shards import MIN_SHARD_DOCS, shard_size

    data = "\n".join(lines).encode() + (b"\n" if final_newline and lines else b"")
    path = tmp_path / "x.jsonl"
    path.write_bytes(data)
    pieces = [s.pieces[0] for s in plan_shards([InputFile(str(path), "jsonl")], shard_docs)]
    assert b"".join(data[p.start:p.end] for p in pieces) == data
    line_count = data.count(b"\n") + (0 if not data or data.endswith(b"\n") else 1)
    assert sum(p.docs for p in pieces) == line_count
    size = shard_size(data.count(b"\n"), shard_docs)
    assert size == min(shard_docs, MIN_SHARD_DOCS) and all(p.docs <= size for p in pieces)


def test_batch_inputs_leave_out_hidden_files_like_the_plain_readers(tmp_path):
    # `chiso extract DIR -o out.jsonl` and `-o out/` must read the same documents.
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "notes.txt").write_text("không", encoding="utf-8")
    (tmp_path / ".draft.txt").write_text("không", encoding="utf-8")
    (tmp_path / "real.txt").write_text("Có", encoding="utf-8")
    assert [Path(f.path).name for f in expand_inputs([tmp_path])] == ["real.txt"]


def test_empty_json_lines_files_are_reported_as_without_workers(tmp_path: Path):
    # docs/batch.md: an empty file is skipped and listed in .chiso/errors.jsonl, as `chiso extract` reports it.
    from pipeline.readers import read_documents

    d = tmp_path / "in"
    d.mkdir()
    (d / "empty.jsonl").write_bytes(b"")
    (d / "blank.jsonl").write_bytes(b"\n \n")
    _write_jsonl(d / "a.jsonl", 3)
    plain = ErrorLog(stream=None)
    assert len(list(read_documents([d], plain))) == 3
    log = ErrorLog(stream=None)
    summary = _batch([d], tmp_path / "out", errors=log)
    assert summary.complete and summary.documents == 3
    assert sorted(s.reason for s in log.skipped) == sorted(s.reason for s in plain.skipped)
    assert sorted(Path(s.location).name for s in log.skipped) == ["blank.jsonl", "empty.jsonl"]


@pytest.fixture
def label_rules(tmp_path: Path) -> Path:
    """A researcher's rules directory: a number after "xã" or "thu" is a label (so no longer a mention)."""
    d = tmp_path / "my-rules"
    d.mkdir()
    (d / "exclusions.yaml").write_text("label_always:\n  calendar: [có, thu]\n", encoding="utf-8")
    return d


@pytest.mark.parametrize("engine, workers", [("local", 1), ("local", 2), ("dask", 2)])
def test_workers_extract_under_the_rules_overlay(tmp_path: Path, label_rules: Path, engine: str, workers: int):
    if engine == "dask":
        pytest.importorskip("dask.distributed")
    src = _write_jsonl(tmp_path / "a.jsonl", 6)
    _batch([src], tmp_path / "plain", extractor=DEFAULT_EXTRACTOR)
    _batch([src], tmp_path / "mine", extractor=DEFAULT_EXTRACTOR, rules=[label_rules], engine=engine,
           workers=workers, shard_docs=2)
    plain = {(r["doc_id"], r["start"]) for r in iter_output_rows(tmp_path / "plain")}
    mine = list(iter_output_rows(tmp_path / "mine"))
    dropped = plain - {(r["doc_id"], r["start"]) for r in mine}
    assert mine and dropped  # "có 7 xã", "thu 13 tỷ đồng": labels under the overlay
    assert all(_article(int(d[4:]))["text"][:s].endswith(("có ", "thu ")) for d, s in dropped)
    manifest = json.loads((tmp_path / "mine" / ".chiso" / "manifest.json").read_text())
    assert manifest["options"]["rules"] == [str(label_rules.resolve())]


def test_a_changed_rules_overlay_is_refused_on_resume(tmp_path: Path, label_rules: Path):
    src = _write_jsonl(tmp_path / "a.jsonl", 3)
    _batch([src], tmp_path / "out", rules=[label_rules])
    (label_rules / "exclusions.yaml").write_text("label_always:\n  calendar: [có]\n", encoding="utf-8")
    with pytest.raises(ManifestMismatch, match="rules or code changed"):
        _batch([src], tmp_path / "out", rules=[label_rules])


def test_a_bad_rules_file_stops_the_batch_before_any_document(tmp_path: Path):
    from rules import RuleError

    bad = tmp_path / "bad-rules"
    bad.mkdir()
    (bad / "units.yaml").write_text("unitz: []\n", encoding="utf-8")
    with pytest.raises(RuleError, match="R001 unknown key 'unitz'"):
        _batch([_write_jsonl(tmp_path / "a.jsonl", 3)], tmp_path / "out", rules=[bad])
    assert not (tmp_path / "out").exists()


def test_oversized_lines_are_skipped_in_shards_with_their_whole_file_location(tmp_path: Path):
    from pipeline.readers import ReadOptions

    path = _write_jsonl(tmp_path / "a.jsonl", 8)
    lines = path.read_bytes().splitlines(keepends=True)
    lines[5] = json.dumps({"id": "big", "text": "x" * 5000}).encode() + b"\n"
    path.write_bytes(b"".join(lines))
    summary = _batch([path], tmp_path / "out", shard_docs=3, read_options=ReadOptions(max_doc_bytes=1000))
    assert summary.complete and summary.documents == 7 and summary.skipped == 1
    error = json.loads((tmp_path / "out" / ".chiso" / "errors.jsonl").read_text())
    assert error["location"] == f"{path.resolve()}:6" and "--max-doc-bytes" in error["reason"]
    manifest = json.loads((tmp_path / "out" / ".chiso" / "manifest.json").read_text())
    assert manifest["options"]["read"]["max_doc_bytes"] == 1000  # a resume with another limit is refused


@pytest.mark.parametrize("fmt", ["parquet", "jsonl"])
def test_ids_repeated_across_shards_keep_the_first(tmp_path: Path, fmt: str):
    d = tmp_path / "in"
    d.mkdir()
    _write_jsonl(d / "a.jsonl", 6)
    _write_jsonl(d / "b.jsonl", 4, start=4)  # doc-0004 and doc-0005 again, in other shards
    (d / "doc-0001.txt").write_text("Văn bản có 99 người.", encoding="utf-8")  # a file named like an id
    log = ErrorLog(stream=None)
    out = tmp_path / "out"
    summary = _batch([d], out, shard_docs=2, fmt=fmt, errors=log)
    assert summary.complete and summary.documents == 8 and summary.skipped == 3 and len(log) == 3
    errors = [json.loads(x) for x in (out / ".chiso" / "errors.jsonl").read_text().splitlines()]
    a, b = (d / "a.jsonl").resolve(), (d / "b.jsonl").resolve()
    assert sorted((e["location"], e["reason"]) for e in errors) == [
        (f"{b}:1", f"duplicate id 'doc-0004' (first at {a}:5)"),
        (f"{b}:2", f"duplicate id 'doc-0005' (first at {a}:6)"),
        (str((d / "doc-0001.txt").resolve()), f"duplicate id 'doc-0001' (first at {a}:2)")]
    rows = list(iter_output_rows(out))
    spans = [(r["doc_id"], r["start"], r["end"]) for r in rows]
    assert len(spans) == len(set(spans))  # the records of one document per id, never two mixed
    assert "99" not in {r["text"] for r in rows if r["doc_id"] == "doc-0001"}
    assert sorted({r["doc_id"] for r in rows}) == [f"doc-{i:04d}" for i in range(8)]
    again = _batch([d], out, shard_docs=2, fmt=fmt)  # a resume reuses the rewritten parts as they are
    assert again.parts_reused == again.parts_total and again.skipped == 3 and _rows(out) == sorted(
        json.dumps(r, sort_keys=True, ensure_ascii=False) for r in rows)


def test_batch_walk_problems_are_reported(tmp_path: Path):
    d = tmp_path / "in"
    d.mkdir()
    _write_jsonl(d / "a.jsonl", 3)
    (d / "gone.jsonl").symlink_to(tmp_path / "missing.jsonl")
    log = ErrorLog(stream=None)
    summary = _batch([d], tmp_path / "out", errors=log)
    assert summary.complete and summary.documents == 3
    assert [s.location for s in log.skipped] == [str(d / "gone.jsonl")]


def test_article_tables_are_one_shard_each_with_the_named_columns(tmp_path: Path):
    import pandas as pd

    from pipeline.readers import ReadOptions

    d = tmp_path / "in"
    d.mkdir()
    rows = [{"ma": f"t{i}", "noi_dung": f"Bài {i} có {i + 3} xã."} for i in range(7)]
    pd.DataFrame(rows).to_parquet(d / "a.parquet")
    pd.DataFrame(rows[:3]).to_csv(d / "b.csv", index=False)
    plan = plan_shards(expand_inputs([d]), 2)
    assert [(s.pieces[0].kind, s.docs) for s in plan] == [("table", 7), ("table", None)]
    log = ErrorLog(stream=None)
    summary = _batch([d], tmp_path / "out", shard_docs=2, errors=log,
                     read_options=ReadOptions(id_field="ma", text_field="noi_dung"))
    assert summary.complete and summary.documents == 7 and summary.skipped == 3  # b.csv repeats t0..t2
    assert {r["doc_id"] for r in iter_output_rows(tmp_path / "out")} == {f"t{i}" for i in range(7)}


# Batch runs into one record file (`-o records.jsonl --workers N`): parts in a hidden work dir, then merged.

def _to_file(inputs, out: Path, **kw):
    from pipeline.batch.to_file import run_batch_to_file

    kw.setdefault("progress", False)
    kw.setdefault("extractor", STANDIN)
    return run_batch_to_file(inputs, out, **kw)


@pytest.mark.parametrize("name", ["r.jsonl", "r.jsonl.gz", "r.csv", "r.parquet"])
def test_one_file_holds_the_records_of_every_part_in_input_order(corpus: Path, tmp_path: Path, name: str):
    from pipeline.writers import read_records

    ref = tmp_path / "ref"
    _batch([corpus], ref, shard_docs=5)
    out = tmp_path / name
    summary, written = _to_file([corpus], out, shard_docs=5, workers=2)
    rows = list(iter_output_rows(ref))
    assert written == len(rows) == summary.records and summary.parts_total > 3
    assert [r.to_dict() for r in read_records(out)] == rows  # part order, not completion order
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(["in", "ref", name])  # work dir removed


def test_one_file_run_resumes_from_its_work_dir(corpus: Path, tmp_path: Path):
    from pipeline.batch.to_file import PART_FORMAT, work_dir_for

    out = tmp_path / "r.jsonl"
    work = work_dir_for(out)
    assert work == tmp_path / ".r.jsonl.chiso-parts"
    first = _batch([corpus], work, shard_docs=5, fmt=PART_FORMAT)  # what a run killed before the merge leaves
    (work / ".chiso" / "done" / "part-00001.json").unlink()
    summary, written = _to_file([corpus], out, shard_docs=5)
    assert summary.parts_reused == first.parts_total - 1 and summary.parts_written == 1
    assert written == first.records and not work.exists()


def test_one_file_run_discards_parts_of_another_job(corpus: Path, tmp_path: Path):
    from pipeline.batch.to_file import PART_FORMAT, work_dir_for

    out = tmp_path / "r.csv"
    _batch([corpus / "a.jsonl"], work_dir_for(out), shard_docs=5, fmt=PART_FORMAT)  # other inputs
    summary, written = _to_file([corpus], out, shard_docs=5)
    assert summary.parts_reused == 0 and written == summary.records
    assert len(out.read_text(encoding="utf-8").splitlines()) == written + 1


def test_two_runs_into_one_file_do_not_share_the_work_dir(corpus: Path, tmp_path: Path):
    import fcntl

    from pipeline.batch.runner import OutputInUse
    from pipeline.batch.to_file import FILE_LOCK, work_dir_for

    out = tmp_path / "r.jsonl"
    lock = work_dir_for(out) / FILE_LOCK
    lock.parent.mkdir(parents=True)
    with open(lock, "a") as held:
        fcntl.flock(held, fcntl.LOCK_EX)  # what a running merge into r.jsonl holds
        with pytest.raises(OutputInUse, match="in use"):
            _to_file([corpus], out)
    assert not out.exists()


def test_one_file_follows_the_order_the_inputs_are_given_in(corpus: Path, tmp_path: Path):
    from pipeline.writers import read_records

    out = tmp_path / "r.jsonl"
    _to_file([corpus / "b.jsonl", corpus / "a.jsonl"], out, shard_docs=5, workers=2)
    seen = list(dict.fromkeys(r.doc_id for r in read_records(out)))  # b.jsonl holds doc-0100..., a.jsonl doc-0000...
    assert seen == [f"doc-{i:04d}" for i in range(100, 109)] + [f"doc-{i:04d}" for i in range(23)]


@pytest.mark.parametrize("fmt", ["parquet", "jsonl"])
def test_parts_carry_period_place_sentence_and_the_iso_date(tmp_path: Path, fmt: str):
    from pipeline.batch.output import read_output

    _batch([_write_jsonl(tmp_path / "a.jsonl", 3)], tmp_path / "out", fmt=fmt)
    rows = list(iter_output_rows(tmp_path / "out"))
    assert rows and all(r["published"] == f"2020-10-{int(r['doc_id'][-4:]) + 1:02d}" for r in rows)
    assert all(r["period"] == "2020" and r["place"] is None for r in rows)
    assert all(r["sentence_start"] == 0 and r["sentence_end"] > r["end"] for r in rows)
    frame = read_output(tmp_path / "out")
    assert str(frame["sentence_end"].dtype) == "Int64" and list(frame["period"].unique()) == ["2020"]
