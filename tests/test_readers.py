"""Readers: every input format, stdin, and every kind of bad input reported with its location."""
from __future__ import annotations

import gzip
import io
import json
import sys
import types
import unicodedata
from pathlib import Path

import pytest

from conftest import CORPUS
from pipeline.document import Document
from pipeline.errors import ErrorLog, InputError
from pipeline.readers import (ReadOptions, document_from_json_line, input_format, iter_json_lines, read_documents,
                              read_stdin, read_text_file)

NFD_TEXT = unicodedata.normalize("NFD", "Đắk Lắk có 1.426 tổ.\r\nDòng hai.\rDòng ba.")


def quiet() -> ErrorLog:
    return ErrorLog(stream=None)


def jsonl(*objects) -> str:
    return "".join((o if isinstance(o, str) else json.dumps(o, ensure_ascii=False)) + "\n" for o in objects)


def test_text_file_is_one_normalized_document(tmp_path):
    path = tmp_path / "bai-viet.txt"
    path.write_bytes(NFD_TEXT.encode("utf-8"))
    doc = read_text_file(path)
    assert doc.doc_id == "bai-viet"
    assert doc.text == "Đắk Lắk có 1.426 tổ.\nDòng hai.\nDòng ba."
    assert unicodedata.is_normalized("NFC", doc.text)
    assert doc.meta["source"] == str(path)


def test_seed_corpus_reads_five_documents_in_order():
    errors = quiet()
    docs = list(read_documents([CORPUS], errors))
    assert [d.doc_id for d in docs] == sorted(p.stem for p in CORPUS.glob("*.txt"))
    assert len(errors) == 0
    assert "1.426 Tổ công nghệ số cộng đồng" in docs[0].text


def test_jsonl_keeps_meta_and_derives_published(tmp_path):
    path = tmp_path / "a.jsonl"
    path.write_text(jsonl({"id": "x1", "url": "https://example.vn/a", "date": "20201001", "text": NFD_TEXT,
                           "section": "kinh-doanh"},
                          {"id": "x2", "text": "Hai", "published": "2023-10-01"}), encoding="utf-8")
    docs = list(read_documents([path], quiet()))
    assert [d.doc_id for d in docs] == ["x1", "x2"]
    assert docs[0].meta["url"] == "https://example.vn/a"
    assert docs[0].meta["section"] == "kinh-doanh"
    assert docs[0].meta["published"] == "2020-10-01" and docs[0].meta["date"] == "20201001"  # ISO; date kept
    assert docs[1].meta["published"] == "2023-10-01"
    assert docs[0].text.startswith("Đắk Lắk") and "\r" not in docs[0].text


@pytest.mark.parametrize("name", ["a.jsonl.gz", "a.ndjson", "a.ndjson.gz", "A.JSONL"])
def test_jsonl_variants(tmp_path, name):
    data = jsonl({"id": "g1", "text": "Một"}, "", {"id": "g2", "text": "Hai"}).encode("utf-8")
    path = tmp_path / name
    path.write_bytes(gzip.compress(data) if name.endswith(".gz") else data)
    assert [d.doc_id for d in read_documents([path], quiet())] == ["g1", "g2"]


def test_directory_is_recursive_sorted_and_by_extension(tmp_path):
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "z.txt").write_text("Zeta", encoding="utf-8")
    (tmp_path / "a.txt").write_text("Alpha", encoding="utf-8")
    (tmp_path / "m.jsonl").write_text(jsonl({"id": "m1", "text": "Mu"}), encoding="utf-8")
    (tmp_path / "notes.md").write_text("không đọc", encoding="utf-8")
    (tmp_path / "image.png").write_bytes(b"\x89PNG")
    errors = quiet()
    assert [d.doc_id for d in read_documents([tmp_path], errors)] == ["a", "z", "m1"]
    assert len(errors) == 0


def test_directory_order_is_sorted_by_path(tmp_path):
    for name in ("c.txt", "a.txt", "b.txt"):
        (tmp_path / name).write_text(name, encoding="utf-8")
    assert [d.doc_id for d in read_documents([tmp_path], quiet())] == ["a", "b", "c"]


def test_input_format():
    assert input_format("x.jsonl.gz") == "jsonl"
    assert input_format("x.warc.gz") == "warc"
    assert input_format("x.HTM") == "html"
    assert input_format("x.txt") == "text"
    assert input_format("x.pdf") is None


def _stdin(monkeypatch, data: bytes):
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data), encoding="utf-8"))


def test_stdin_plain_text(monkeypatch):
    _stdin(monkeypatch, "\n\nTiêu đề\r\nCó 3 người.".encode("utf-8"))
    docs = list(read_documents(["-"], quiet()))
    assert len(docs) == 1 and docs[0].doc_id == "stdin"
    assert docs[0].text == "\n\nTiêu đề\nCó 3 người."


def test_stdin_json_lines(monkeypatch):
    _stdin(monkeypatch, ("\n" + jsonl({"id": "s1", "text": "Một"}, "{bad", {"id": "s2", "text": "Hai"})).encode())
    errors = quiet()
    docs = list(read_documents(["-"], errors))
    assert [d.doc_id for d in docs] == ["s1", "s2"]
    assert [s.location for s in errors.skipped] == ["<stdin>:3"]


def test_stdin_stream_argument():
    docs = list(read_stdin(quiet(), io.BytesIO(b'{"id": "a", "text": "x"}\n')))
    assert docs[0].doc_id == "a"


def test_bad_inputs_are_located_skipped_and_counted(tmp_path):
    good = tmp_path / "good.txt"
    good.write_text("Bài tốt có 5 người.", encoding="utf-8")
    bad_utf8 = tmp_path / "latin1.txt"
    bad_utf8.write_bytes("Giá ".encode("utf-8") + b"\xe9t\xe9")
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    lines = tmp_path / "mixed.jsonl"
    lines.write_bytes(
        jsonl({"id": "ok1", "text": "Một"},                  # 1 ok
              "{not json",                                   # 2 bad JSON
              {"text": "không có id"},                       # 3 no id
              {"id": "no-text"},                             # 4 no text
              {"id": "num", "text": 42},                     # 5 text not a string
              {"id": "ok1", "text": "trùng"},                # 6 duplicate id
              {"id": "ok2", "text": "Hai"}).encode("utf-8")  # 7 ok
        + b'{"id": "bad-bytes", "text": "\xff"}\n')          # 8 undecodable bytes
    errors = ErrorLog(stream=io.StringIO())
    docs = list(read_documents([tmp_path, tmp_path / "missing.txt"], errors))
    assert [d.doc_id for d in docs] == ["good", "ok1", "ok2"]
    where = {s.location: s.reason for s in errors.skipped}
    assert set(where) == {str(bad_utf8), str(empty), f"{lines}:2", f"{lines}:3", f"{lines}:4", f"{lines}:5",
                          f"{lines}:6", f"{lines}:8", str(tmp_path / "missing.txt")}
    assert len(errors) == 9
    assert "byte 5" in where[str(bad_utf8)]  # "Giá " is 5 bytes
    assert "empty" in where[str(empty)]
    assert "bad JSON" in where[f"{lines}:2"]
    assert "'id'" in where[f"{lines}:3"]
    assert "'text'" in where[f"{lines}:4"]
    assert "string" in where[f"{lines}:5"]
    assert "duplicate id 'ok1'" in where[f"{lines}:6"] and "line 1" in where[f"{lines}:6"]
    assert "UTF-8" in where[f"{lines}:8"]
    printed = errors.stream.getvalue().splitlines()
    assert len(printed) == 9 and all(line.startswith("chiso: skipped ") for line in printed)


def test_byte_offset_counts_from_file_start(tmp_path):
    path = tmp_path / "x.jsonl"
    first = jsonl({"id": "a", "text": "ok"}).encode()
    prefix = b'{"id": "b", "text": "'
    path.write_bytes(first + prefix + b'\xc3"}\n')
    errors = quiet()
    list(read_documents([path], errors))
    assert f"byte {len(first) + len(prefix)}" in errors.skipped[0].reason


def test_empty_jsonl_file(tmp_path):
    path = tmp_path / "empty.jsonl"
    path.write_text("\n\n", encoding="utf-8")
    errors = quiet()
    assert list(read_documents([path], errors)) == []
    assert [s.location for s in errors.skipped] == [str(path)]


def test_truncated_gzip_keeps_what_was_read(tmp_path):
    data = jsonl(*({"id": f"d{i}", "text": "văn bản " * 50 + str(i)} for i in range(200))).encode()
    path = tmp_path / "cut.jsonl.gz"
    path.write_bytes(gzip.compress(data)[:-200])
    errors = quiet()
    docs = list(read_documents([path], errors))
    assert 0 < len(docs) < 200
    assert len(errors) == 1 and errors.skipped[0].location.startswith(f"{path}:")


def test_json_line_helpers_raise_located_errors():
    doc = document_from_json_line('{"id": 7, "text": "Bảy"}', "f.jsonl:3")
    assert doc == Document(doc_id="7", text="Bảy", meta={})
    with pytest.raises(InputError) as err:
        document_from_json_line("[1, 2]", "f.jsonl:9")
    assert err.value.location == "f.jsonl:9"
    with pytest.raises(InputError):
        document_from_json_line('{"id": "", "text": "x"}', "f.jsonl:1")
    with pytest.raises(InputError):
        document_from_json_line('{"id": "a", "text": "   "}', "f.jsonl:1")


def test_text_file_errors_name_the_file(tmp_path):
    path = tmp_path / "x.txt"
    path.write_bytes(b"ok \xff")
    with pytest.raises(InputError) as err:
        read_text_file(path)
    assert err.value.location == str(path) and "byte 3" in err.value.reason


def test_html_and_warc_dispatch_to_their_readers(tmp_path, monkeypatch):
    html = tmp_path / "page.html"
    html.write_text("<html></html>", encoding="utf-8")
    warc = tmp_path / "crawl.warc.gz"
    warc.write_bytes(b"")
    fake_html = types.ModuleType("pipeline.read_html")
    fake_html.read_html_file = lambda path, options=None: Document(doc_id=Path(path).stem, text="Trang HTML")
    fake_warc = types.ModuleType("pipeline.read_warc")
    fake_warc.iter_warc = lambda path, errors, options=None: iter([Document("w1", "Một"), Document("w2", "Hai")])
    monkeypatch.setitem(sys.modules, "pipeline.read_html", fake_html)
    monkeypatch.setitem(sys.modules, "pipeline.read_warc", fake_warc)
    assert [d.doc_id for d in read_documents([tmp_path], quiet())] == ["w1", "w2", "page"]


def test_missing_html_reader_only_fails_html(tmp_path, monkeypatch):
    (tmp_path / "page.html").write_text("<html></html>", encoding="utf-8")
    (tmp_path / "a.txt").write_text("Một bài", encoding="utf-8")
    monkeypatch.setitem(sys.modules, "pipeline.read_html", None)  # import now raises ImportError
    errors = quiet()
    assert [d.doc_id for d in read_documents([tmp_path], errors)] == ["a"]
    assert len(errors) == 1 and errors.skipped[0].location == str(tmp_path / "page.html")


def test_streaming_reads_lazily(tmp_path):
    path = tmp_path / "big.jsonl"
    path.write_text(jsonl(*({"id": str(i), "text": "x"} for i in range(1000))), encoding="utf-8")
    stream = read_documents([path], quiet())
    assert next(stream).doc_id == "0"
    stream.close()


def test_shard_offsets_name_the_whole_file_position():
    """A stream starting mid-file (a batch shard) reports FILE:LINE and byte offsets of the whole file."""
    data = b'{"id": "a", "text": "x"}\n{"id": "b", "text": "\xc3"}\n'
    errors = quiet()
    docs = list(iter_json_lines(io.BytesIO(data), "big.jsonl", errors, first_line_number=101, first_byte=5000))
    assert [d.doc_id for d in docs] == ["a"]
    assert errors.skipped[0].location == "big.jsonl:102"
    assert f"byte {5000 + 25 + 21}" in errors.skipped[0].reason


def test_stdin_gzipped_json_lines(monkeypatch):
    _stdin(monkeypatch, gzip.compress(jsonl({"id": "z1", "text": "Một"}, {"id": "z2", "text": "Hai"}).encode()))
    assert [d.doc_id for d in read_documents(["-"], quiet())] == ["z1", "z2"]


def test_stdin_empty_is_reported(monkeypatch):
    _stdin(monkeypatch, b"\n \n")
    errors = quiet()
    assert list(read_documents(["-"], errors)) == []
    assert [s.location for s in errors.skipped] == ["<stdin>"]


def test_hidden_files_in_a_directory_are_ignored(tmp_path):
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "notes.txt").write_text("không", encoding="utf-8")
    (tmp_path / ".draft.txt").write_text("không", encoding="utf-8")
    (tmp_path / "real.txt").write_text("Có", encoding="utf-8")
    assert [d.doc_id for d in read_documents([tmp_path], quiet())] == ["real"]


def test_not_really_gzipped_is_one_clear_error(tmp_path):
    path = tmp_path / "plain.jsonl.gz"
    path.write_text(jsonl({"id": "a", "text": "x"}), encoding="utf-8")
    errors = quiet()
    assert list(read_documents([path], errors)) == []
    assert len(errors) == 1 and "gzip" in errors.skipped[0].reason.lower()


def _peak_bytes(run) -> int:
    """Peak of Python allocations (bytes) while `run()` executes."""
    import tracemalloc

    tracemalloc.start()
    try:
        run()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_gzipped_line_above_the_size_limit_is_skipped_without_being_held(tmp_path):
    # 20 MB of one line gzips to ~20 KB: the reader must pass over it, not hold it (a decompression bomb).
    path = tmp_path / "bomb.jsonl.gz"
    huge = b'{"id": "huge", "text": "' + b"a" * 20_000_000 + b'"}\n'
    path.write_bytes(gzip.compress(huge + jsonl({"id": "after", "text": "Sau"}).encode(), 9))
    errors = quiet()
    options = ReadOptions(max_doc_bytes=1_000_000)
    docs = []
    peak = _peak_bytes(lambda: docs.extend(read_documents([path], errors, options)))
    assert [d.doc_id for d in docs] == ["after"]
    assert [s.location for s in errors.skipped] == [f"{path}:1"]
    assert "larger than 1,000,000 bytes" in errors.skipped[0].reason
    assert peak < 5_000_000


def test_files_and_stdin_above_the_size_limit_are_skipped(tmp_path, monkeypatch):
    options = ReadOptions(max_doc_bytes=1000)
    big = tmp_path / "big.txt"
    big.write_text("chữ " * 1000, encoding="utf-8")
    (tmp_path / "small.txt").write_text("Nhỏ", encoding="utf-8")
    errors = quiet()
    assert [d.doc_id for d in read_documents([tmp_path], errors, options)] == ["small"]
    assert [s.location for s in errors.skipped] == [str(big)] and "--max-doc-bytes" in errors.skipped[0].reason
    _stdin(monkeypatch, b"\n" + b"x" * 2000)
    errors = quiet()
    assert list(read_documents(["-"], errors, options)) == []
    assert [s.location for s in errors.skipped] == ["<stdin>"]
    _stdin(monkeypatch, b"\n" + jsonl({"id": "a", "text": "x" * 2000}, {"id": "b", "text": "Hai"}).encode())
    errors = quiet()
    assert [d.doc_id for d in read_documents(["-"], errors, options)] == ["b"]
    assert [s.location for s in errors.skipped] == ["<stdin>:2"]


def test_duplicate_ids_across_files_keep_the_first(tmp_path):
    # page.html and expected/page.txt both give "page"; a JSON Lines id may repeat a file's id.
    (tmp_path / "a.jsonl").write_text(jsonl({"id": "page", "text": "Một"}, {"id": "j2", "text": "Hai"}),
                                      encoding="utf-8")
    (tmp_path / "expected").mkdir()
    (tmp_path / "expected" / "page.txt").write_text("Ba", encoding="utf-8")
    (tmp_path / "z.jsonl").write_text(jsonl({"id": "j2", "text": "Bốn"}, {"id": "z1", "text": "Năm"}),
                                      encoding="utf-8")
    errors = quiet()
    docs = list(read_documents([tmp_path], errors))
    assert [(d.doc_id, d.text) for d in docs] == [("page", "Một"), ("j2", "Hai"), ("z1", "Năm")]
    where = {s.location: s.reason for s in errors.skipped}
    assert where == {str(tmp_path / "expected" / "page.txt"): f"duplicate id 'page' (first at {tmp_path}/a.jsonl:1)",
                     f"{tmp_path}/z.jsonl:1": f"duplicate id 'j2' (first at {tmp_path}/a.jsonl:2)"}


def test_a_file_named_twice_is_read_once(tmp_path):
    path = tmp_path / "a.jsonl"
    path.write_text(jsonl({"id": "a1", "text": "Một"}, {"id": "a2", "text": "Hai"}), encoding="utf-8")
    errors = quiet()
    docs = list(read_documents([path, tmp_path, tmp_path / "." / "a.jsonl"], errors))
    assert [d.doc_id for d in docs] == ["a1", "a2"]
    assert len(errors) == 2 and all("already among the inputs" in s.reason for s in errors.skipped)


def _deny(monkeypatch, denied: Path) -> None:
    """os.scandir raises PermissionError for `denied` (tests run as root, where chmod denies nothing)."""
    import os

    real = os.scandir

    def scandir(path="."):
        if Path(path) == denied:
            raise PermissionError(13, "Permission denied", str(path))
        return real(path)

    monkeypatch.setattr(os, "scandir", scandir)


def test_unreadable_directories_are_reported(tmp_path, monkeypatch):
    (tmp_path / "ok.txt").write_text("Một", encoding="utf-8")
    locked = tmp_path / "locked"
    locked.mkdir()
    (locked / "hidden-from-us.txt").write_text("Hai", encoding="utf-8")
    _deny(monkeypatch, locked)
    errors = quiet()
    assert [d.doc_id for d in read_documents([tmp_path], errors)] == ["ok"]
    assert [(s.location, s.reason) for s in errors.skipped] == [
        (str(locked), "cannot read directory: Permission denied")]
    errors = quiet()
    assert list(read_documents([locked], errors)) == [] and len(errors) == 1  # named directly: not "0 skipped"


def test_links_are_followed_and_broken_ones_and_loops_reported(tmp_path):
    corpus, elsewhere = tmp_path / "corpus", tmp_path / "elsewhere"
    (corpus / "sub").mkdir(parents=True)
    elsewhere.mkdir()
    (corpus / "sub" / "a.txt").write_text("Một", encoding="utf-8")
    (elsewhere / "b.txt").write_text("Hai", encoding="utf-8")
    (corpus / "linked").symlink_to(elsewhere)               # a linked directory is read
    (tmp_path / "single.txt").write_text("Ba", encoding="utf-8")
    (corpus / "c.txt").symlink_to(tmp_path / "single.txt")   # a linked file too
    (corpus / "gone.txt").symlink_to(tmp_path / "missing.txt")
    (corpus / "sub" / "up").symlink_to(corpus)               # a loop
    errors = quiet()
    assert [d.doc_id for d in read_documents([corpus], errors)] == ["c", "b", "a"]
    where = {s.location: s.reason for s in errors.skipped}
    assert where[str(corpus / "gone.txt")].startswith("broken link")
    assert "loop" in where[str(corpus / "sub" / "up")]
    assert len(errors) == 2


def test_dates_that_are_not_dates_are_left_out_with_a_note(tmp_path):
    path = tmp_path / "dates.jsonl"
    path.write_text("\n".join([
        '{"id": "nan", "text": "x", "date": NaN}',
        '{"id": "nan2", "text": "x", "date": NaN}',
        '{"id": "one", "text": "x", "date": [2020]}',
        '{"id": "two", "text": "x", "published": ["2020-01-01", "2021-01-01"], "date": "2020"}',
        '{"id": "float", "text": "x", "date": 20201001.0}',
        '{"id": "bool", "text": "x", "published": true}',
        '{"id": "str", "text": "x", "date": "nan"}',
        '{"id": "bad", "text": "x", "published": "31/02/2020", "date": "Thứ năm, 01/10/2020 08:30 (GMT+7)"}',
        '{"id": "words", "text": "x", "published": "hôm qua"}',
    ]) + "\n", encoding="utf-8")
    errors = ErrorLog(stream=io.StringIO())
    docs = {d.doc_id: d.meta for d in read_documents([path], errors)}
    assert len(docs) == 9 and len(errors) == 0  # every document is kept
    assert "published" not in docs["nan"] and "date" not in docs["nan"]
    assert docs["one"]["published"] == "2020"
    assert docs["two"]["published"] == "2020"  # the list of two is left out, "date" is used
    assert docs["float"]["published"] == "2020-10-01"
    assert "published" not in docs["bool"] and "published" not in docs["str"] and "published" not in docs["words"]
    assert docs["bad"]["published"] == "2020-10-01"  # an impossible date: "date" is used
    notes = errors.stream.getvalue().splitlines()
    assert notes == [f"chiso: note {path}:1: 'date' that is NaN is not a date: left out (documents kept)",
                     f"chiso: note {path}:4: 'published' that is a list of 2 values is not a date: "
                     "left out (documents kept)",
                     f"chiso: note {path}:6: 'published' that is a boolean is not a date: left out (documents kept)",
                     f"chiso: note {path}:7: 'date' that is the text 'nan' is not a date: left out (documents kept)",
                     f"chiso: note {path}:8: 'published' that is the text '31/02/2020' is not a date: left out "
                     "(documents kept)",
                     f"chiso: note {path}:9: 'published' that is the text 'hôm qua' is not a date: left out "
                     "(documents kept)"]


ARTICLES = [{"article_id": "007", "content": "Có 3 xã.", "date": "2020-01-01"},
            {"article_id": "008", "content": "Hai 2 người", "date": ""},
            {"article_id": "009", "content": "", "date": "2021"}]


@pytest.mark.parametrize("name", ["a.csv", "a.tsv", "a.csv.gz", "a.parquet"])
def test_article_tables_are_read_row_by_row(tmp_path, name):
    import pandas as pd

    frame = pd.DataFrame(ARTICLES)
    path = tmp_path / name
    if name.endswith(".parquet"):
        frame.to_parquet(path)
    else:
        frame.to_csv(path, sep="\t" if ".tsv" in name else ",", index=False)
    errors = ErrorLog(stream=io.StringIO())
    docs = list(read_documents([path], errors))
    assert [(d.doc_id, d.text) for d in docs] == [("007", "Có 3 xã."), ("008", "Hai 2 người")]  # "007" kept
    assert docs[0].meta["published"] == "2020-01-01" and "published" not in docs[1].meta
    row3 = f"{path}:row 3" if name.endswith(".parquet") else f"{path}:4"  # CSV: the line (after the header)
    assert [(s.location, s.reason) for s in errors.skipped] == [(row3, "record '009' has an empty 'content'")]
    printed = errors.stream.getvalue()
    assert f"chiso: note {path}: no 'id' field: 'article_id' is read as the id" in printed
    assert "'content' is read as the text" in printed


def test_table_reading_is_chunked(tmp_path, monkeypatch):
    import pandas as pd

    import pipeline.read_table

    monkeypatch.setattr(pipeline.read_table, "ROWS_PER_BATCH", 2)
    rows = [{"id": f"d{i}", "text": f"Bài {i}"} for i in range(5)]
    pd.DataFrame(rows).to_csv(tmp_path / "a.csv", index=False)
    pd.DataFrame(rows).to_parquet(tmp_path / "b.parquet")
    errors = quiet()
    docs = list(read_documents([tmp_path / "a.csv"], errors)) + list(read_documents([tmp_path / "b.parquet"], errors))
    assert [d.doc_id for d in docs] == [f"d{i}" for i in range(5)] * 2 and len(errors) == 0
    assert docs[4].meta["source"] == f"{tmp_path / 'a.csv'}:6" and docs[9].meta["source"].endswith("b.parquet:row 5")


def test_bad_tables_are_one_clear_skip(tmp_path):
    import pandas as pd

    pd.DataFrame({"title": ["x"], "url": ["u"]}).to_csv(tmp_path / "meta.csv", index=False)
    (tmp_path / "empty.csv").write_text("id,text\n", encoding="utf-8")
    (tmp_path / "fake.parquet").write_text("not parquet", encoding="utf-8")
    (tmp_path / "latin1.csv").write_bytes(b"id,text\na,Gi\xe1 v\xe0ng\n")
    pd.DataFrame({"doc_id": ["a"], "start": [0], "end": [1], "kind": ["count"], "text": ["1"]}).to_parquet(
        tmp_path / "records.parquet")
    errors = quiet()
    assert list(read_documents([tmp_path], errors)) == []
    where = {Path(s.location).name: s.reason for s in errors.skipped}
    assert where["meta.csv"].startswith("no 'id' column and no 'text' column (columns: title, url)")
    assert where["empty.csv"] == "empty table (no rows)"
    assert "cannot read the table" in where["fake.parquet"]
    assert "UTF-8" in where["latin1.csv"]
    assert "chiso records" in where["records.parquet"]


def test_id_and_text_fields_can_be_named(tmp_path):
    path = tmp_path / "a.jsonl"
    path.write_text(jsonl({"ma": "x1", "noi_dung": "Một", "text": "không"}, {"ma": "x2", "text": "Hai"}),
                    encoding="utf-8")
    errors = quiet()
    docs = list(read_documents([path], errors, ReadOptions(id_field="ma", text_field="noi_dung")))
    assert [(d.doc_id, d.text) for d in docs] == [("x1", "Một")]
    assert docs[0].meta == {"text": "không", "source": f"{path}:1"}
    assert errors.skipped[0].reason == "record 'x2' has no 'noi_dung'"
    aliased = tmp_path / "b.jsonl"
    aliased.write_text(jsonl({"article_id": 5, "body": "Năm"}), encoding="utf-8")
    errors = ErrorLog(stream=io.StringIO())
    assert [(d.doc_id, d.text) for d in read_documents([aliased], errors)] == [("5", "Năm")]
    assert "'body' is read as the text (choose with --text-field)" in errors.stream.getvalue()


def test_csv_cell_above_the_size_limit_is_refused_without_being_held(tmp_path):
    # A gzipped CSV whose one quoted cell (many lines, no end quote) expands to 20 MB.
    path = tmp_path / "bomb.csv.gz"
    path.write_bytes(gzip.compress(b'id,text\na,"' + b"chu\n" * 5_000_000, 9))
    errors = quiet()
    docs = []
    peak = _peak_bytes(lambda: docs.extend(read_documents([path], errors, ReadOptions(max_doc_bytes=1_000_000))))
    assert docs == [] and len(errors) == 1
    assert errors.skipped[0].location == f"{path}:2" and "cell larger than 1,000,000 bytes" in errors.skipped[0].reason
    assert peak < 10_000_000


def test_csv_rows_are_located_by_line_and_ragged_rows_skipped(tmp_path):
    path = tmp_path / "a.csv"
    path.write_text('id,text\na,"Dòng một\nvà hai"\n\nb,Ba,thừa\nc,Bốn\n', encoding="utf-8")
    errors = quiet()
    docs = list(read_documents([path], errors))
    assert [(d.doc_id, d.text, d.meta["source"]) for d in docs] == [("a", "Dòng một\nvà hai", f"{path}:2"),
                                                                    ("c", "Bốn", f"{path}:6")]
    assert [(s.location, s.reason) for s in errors.skipped] == [(f"{path}:5", "3 cells, but the header has 2")]


@pytest.mark.parametrize("field", ["id", "text", "url", "date", "published"])
def test_a_lone_surrogate_in_a_field_records_carry_skips_the_line(field):
    data = {"id": "a", "text": "Có 12 xã.", field: "x\ud800y"}
    with pytest.raises(InputError, match=rf"'{field}' holds a lone surrogate \\ud800 at character 1"):
        document_from_json_line(json.dumps(data), "f.jsonl:3")
    data = {"id": "a", "text": "Có 12 xã.", "title": "x\ud800y"}  # not carried into records: harmless
    assert document_from_json_line(json.dumps(data), "f.jsonl:3").doc_id == "a"
