"""The Python API: extract, extract_document, extract_corpus, iter_records."""
from __future__ import annotations

import json
import unicodedata

import pytest
import regex

import extractors
from conftest import CORPUS
from extractors.mention import Mention
from pipeline.document import Document, normalize_text
from pipeline.errors import ErrorLog
from pipeline.records import COLUMNS, RecordError


def digit_mentions(text, body):
    """Stand-in extractor (used only while extractors.extract_mentions does not exist): every digit group."""
    for start, end in body:
        for m in regex.finditer(r"\d+(?:\.\d{3})*(?:,\d+)?", text[start:end]):
            value = float(m.group().replace(".", "").replace(",", "."))
            yield Mention(start + m.start(), start + m.end(), m.group(), "count", value)


@pytest.fixture
def extractor(monkeypatch):
    """The real extractor when it exists, else the stand-in."""
    if not hasattr(extractors, "extract_mentions"):
        monkeypatch.setattr(extractors, "extract_mentions", digit_mentions, raising=False)
    return extractors.extract_mentions


def test_extract_a_string(extractor):
    import pipeline.api  # noqa: F401 - importing the module must not shadow the function
    from pipeline import extract

    assert callable(extract) and extract.__module__ == "pipeline.api"

    text = "Tính đến tháng 9/2023, Đắk Lắk đã thành lập 1.426 Tổ công nghệ số cộng đồng."
    records = extract(text)
    assert records
    for r in records:
        assert r.text == text[r.start:r.end]
        assert r.doc_id == "text"
    assert any(r.text == "1.426" and r.value == 1426 for r in records)


def test_offsets_point_into_the_normalized_text(extractor):
    from pipeline.api import extract

    raw = unicodedata.normalize("NFD", "Tiêu đề\r\nĐắk Lắk có 1.426 Tổ công nghệ số cộng đồng.")
    records = extract(raw, doc_id="nfd")
    norm = normalize_text(raw)
    assert norm != raw
    assert records and all(r.text == norm[r.start:r.end] for r in records)


def test_extract_document_cleans_and_keeps_furniture_out(extractor):
    from pipeline.api import extract_document

    path = CORPUS / "004_edae7597b576cb27.txt"
    doc = Document(path.stem, normalize_text(path.read_text(encoding="utf-8")), meta={"url": "https://x.vn/a",
                                                                                      "date": "20230101"})
    records = extract_document(doc)
    assert doc.body and doc.body[0][0] > 0  # the breadcrumb line is out
    counter = doc.text.index("3095")
    assert records and not any(r.start <= counter < r.end for r in records)
    assert all(r.url == "https://x.vn/a" and r.published == "20230101" for r in records)
    assert any(r.text.startswith("3.316") for r in records)


def test_no_clean_reads_the_whole_text(monkeypatch):
    from pipeline.api import extract_document

    seen = []
    monkeypatch.setattr(extractors, "extract_mentions", lambda text, body: seen.append(body) or [], raising=False)
    doc = Document("d", "Tiêu đề\nLượt xem: 3095\nBài có 5 người.")
    extract_document(doc, clean=False)
    assert doc.body is None and seen == [[(0, len(doc.text))]]
    extract_document(doc, clean=True)
    assert seen[1] == doc.body and all(not (s <= doc.text.index("3095") < e) for s, e in doc.body)


def test_invalid_record_is_refused(monkeypatch):
    from pipeline.api import extract_document, iter_documents_records

    def wrong_offsets(text, body):
        five = text.index("5")
        return [Mention(0, 3, "999", "count", 999.0), Mention(five, five + 1, "5", "count", 5.0)]

    monkeypatch.setattr(extractors, "extract_mentions", wrong_offsets, raising=False)
    doc = Document("d", "Bài có 5 người.")
    with pytest.raises(RecordError):
        extract_document(doc, clean=False, strict=True)
    [(_, records)] = list(iter_documents_records([doc], clean=False, errors=ErrorLog(stream=None)))
    assert [r.text for r in records] == ["5"]


def test_a_failing_document_is_skipped(tmp_path, monkeypatch):
    from pipeline.api import extract_corpus

    def fragile(text, body):
        if "hỏng" in text:
            raise ValueError("boom")
        return digit_mentions(text, body)

    monkeypatch.setattr(extractors, "extract_mentions", fragile, raising=False)
    (tmp_path / "a.txt").write_text("Bài có 5 người.", encoding="utf-8")
    (tmp_path / "b.txt").write_text("Bài hỏng có 6 người.", encoding="utf-8")
    errors = ErrorLog(stream=None)
    frame = extract_corpus([tmp_path], errors=errors)
    assert list(frame["doc_id"]) == ["a"]
    assert len(errors) == 1 and "boom" in errors.skipped[0].reason


def test_extract_corpus_dataframe(extractor, tmp_path):
    from pipeline import extract_corpus

    lines = tmp_path / "docs.jsonl"
    lines.write_text(json.dumps({"id": "j1", "url": "https://dantri.com.vn/a.htm", "date": "20201001",
                                 "text": "Năm nay có 1.954.846 người có tài khoản, đạt 139,5%."},
                                ensure_ascii=False) + "\n", encoding="utf-8")
    frame = extract_corpus([CORPUS, lines])
    assert list(frame.columns) == list(COLUMNS)
    assert set(frame["doc_id"]) == {p.stem for p in CORPUS.glob("*.txt")} | {"j1"}
    j1 = frame[frame["doc_id"] == "j1"]
    assert set(j1["url"]) == {"https://dantri.com.vn/a.htm"} and set(j1["published"]) == {"20201001"}


def test_iter_records_streams_and_counts(extractor):
    from pipeline.api import ExtractStats, iter_records

    stats = ExtractStats()
    records = list(iter_records(CORPUS, stats=stats))
    assert stats.documents == 5 and stats.records == len(records) > 0


def test_missing_extractor_fails_once_and_clearly(monkeypatch):
    from pipeline.api import ExtractorMissing, iter_records

    monkeypatch.delattr(extractors, "extract_mentions", raising=False)
    with pytest.raises(ExtractorMissing):
        list(iter_records(CORPUS, errors=ErrorLog(stream=None)))


def test_published_is_never_a_nan_or_a_list():
    from pipeline.api import published_of

    assert published_of(Document("a", "x", meta={"published": float("nan"), "date": "2020-01-02"})) == "2020-01-02"
    assert published_of(Document("b", "x", meta={"date": [2020]})) == "2020"
    assert published_of(Document("c", "x", meta={"date": [2020, 2021]})) is None
    assert published_of(Document("d", "x", meta={"date": float("nan")})) is None
