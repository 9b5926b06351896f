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
from pipeline.readers import (document_from_json_line, input_format, iter_json_lines, read_documents, read_stdin,
                              read_text_file)

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
    assert docs[0].meta["published"] == "20201001"
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
    fake_html.read_html_file = lambda path: Document(doc_id=Path(path).stem, text="Trang HTML")
    fake_warc = types.ModuleType("pipeline.read_warc")
    fake_warc.iter_warc = lambda path, errors: iter([Document("w1", "Một"), Document("w2", "Hai")])
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


@pytest.mark.parametrize("field", ["id", "text", "url", "date", "published"])
def test_a_lone_surrogate_in_a_field_records_carry_skips_the_line(field):
    data = {"id": "a", "text": "Có 12 xã.", field: "x\ud800y"}
    with pytest.raises(InputError, match=rf"'{field}' holds a lone surrogate \\ud800 at character 1"):
        document_from_json_line(json.dumps(data), "f.jsonl:3")
    data = {"id": "a", "text": "Có 12 xã.", "title": "x\ud800y"}  # not carried into records: harmless
    assert document_from_json_line(json.dumps(data), "f.jsonl:3").doc_id == "a"
