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
    assert all(r.url == "https://x.vn/a" and r.published == "2023-01-01" for r in records)
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


def test_a_failing_document_is_reported_as_failed_and_the_run_goes_on(tmp_path, monkeypatch, capsys):
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
    assert len(errors) == 0 and [(f.doc_id, f.error) for f in errors.failed] == [("b", "ValueError: boom")]
    assert errors.failed[0].location == str(tmp_path / "b.txt")
    assert capsys.readouterr().err == "chiso: failed b: ValueError: boom\n"  # even with skips silenced


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
    assert set(j1["url"]) == {"https://dantri.com.vn/a.htm"} and set(j1["published"]) == {"2020-10-01"}


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


@pytest.fixture
def label_rules(tmp_path):
    """A researcher's rules: "có" is a calendar word (a number after it is a label) and a cut marker line."""
    d = tmp_path / "my-rules"
    d.mkdir()
    (d / "exclusions.yaml").write_text("label_always:\n  calendar: [có]\n", encoding="utf-8")
    (d / "furniture.yaml").write_text("cut: ['hết bài viết']\n", encoding="utf-8")
    return d


def test_rules_overlay_in_extract_and_extract_corpus(tmp_path, label_rules):
    from pipeline import extract, extract_corpus

    text = "Xã có 7 thôn và 1.200 hộ dân sinh sống ổn định trên địa bàn từ nhiều năm nay."
    assert [r.text for r in extract(text)] == ["7", "1.200"]
    assert [r.text for r in extract(text, rules=label_rules)] == ["1.200"]
    assert [r.text for r in extract(text, rules=[str(label_rules)])] == ["1.200"]
    assert [r.text for r in extract(text)] == ["7", "1.200"]  # the overlay does not outlive the call
    (tmp_path / "a.txt").write_text(text, encoding="utf-8")
    assert list(extract_corpus([tmp_path / "a.txt"], rules=label_rules)["text"]) == ["1.200"]


def test_rules_overlay_reaches_the_cleaner(label_rules):
    from pipeline import extract

    text = ("Đắk Lắk phát triển tổ công nghệ số\n"
            "Tỉnh đã lập 1.426 tổ công nghệ số cộng đồng hoạt động tại các thôn, bản trên địa bàn.\n"
            "Hết bài viết\nTỉnh đã hỗ trợ 300 hộ nghèo xây nhà trong năm qua theo chương trình.")
    assert "300" in [r.text for r in extract(text)]
    assert "300" not in [r.text for r in extract(text, rules=label_rules)]


def test_a_bad_rules_file_raises_before_any_document_is_read(tmp_path):
    from pipeline.api import iter_records
    from rules import RuleError

    (tmp_path / "units.yaml").write_text("unitz: []\n", encoding="utf-8")
    read = []
    with pytest.raises(RuleError, match="R001"):
        next(iter_records(_Spy(read), rules=tmp_path))
    assert read == []


class _Spy(list):
    """An input list that records when it is read."""

    def __init__(self, log):
        super().__init__()
        self.log = log

    def __iter__(self):
        self.log.append("read")
        return super().__iter__()


def test_import_chiso_gives_the_api(extractor):
    import chiso
    import pipeline.api

    assert chiso.extract is pipeline.api.extract and chiso.extract_corpus is pipeline.api.extract_corpus
    assert set(chiso.__all__) >= {"extract", "extract_corpus", "extract_document", "Record", "__version__"}
    assert chiso.__version__ == pipeline.__version__ != "0+unknown"
    records = chiso.extract("Đắk Lắk đã thành lập 1.426 Tổ công nghệ số cộng đồng.")
    assert any(r.value == 1426 for r in records)
    with pytest.raises(AttributeError):
        chiso.no_such_name  # noqa: B018


def test_extract_a_list_of_strings(extractor):
    from pipeline import extract

    records = extract(["Có 5 người.", "Không có số.", "Đạt 1.426 tổ."])
    assert [(r.doc_id, r.text) for r in records] == [("0", "5"), ("2", "1.426")]
    records = extract(("Có 5 người.", "Đạt 1.426 tổ."), doc_id=["a", "b"])
    assert [(r.doc_id, r.value) for r in records] == [("a", 5), ("b", 1426)]
    with pytest.raises(ValueError, match="2 texts but 1 doc_ids"):
        extract(["Có 5 người.", "Đạt 1.426 tổ."], doc_id=["a"])
    with pytest.raises(TypeError, match="item 1 is a int"):
        extract(["Có 5 người.", 7])
    with pytest.raises(TypeError, match="a string or a list of strings"):
        extract(b"Co 5 nguoi")


def test_extract_refuses_html_without_an_article(extractor):
    from pipeline import extract

    with pytest.raises(ValueError, match="is HTML, and the HTML cleaner finds no article"):
        extract('<div class="views">98.765 lượt xem</div><p>Có <b>5</b> người</p>')
    # A "<" in plain text is not markup.
    assert [r.text for r in extract("Lạm phát dưới 4% và tăng trưởng trên 6,5%.")] == ["4%", "6,5%"]


def test_extract_cleans_an_html_page_as_html(extractor):
    from conftest import HTML_VN
    from pipeline import extract
    from pipeline.html import clean_html

    pages = sorted(HTML_VN.glob("dantri_gia-vang-*.html"))
    if not pages:
        pytest.skip("../shared/html-vn absent")
    html = pages[0].read_text(encoding="utf-8")
    article_text = normalize_text(clean_html(html).text)
    records = extract(html)
    assert records and all(r.text == article_text[r.start:r.end] for r in records)
    assert {r.url for r in records} == {clean_html(html).url}
    # The same page read as plain text (its markup defused) yields numbers of scripts, menus and attributes.
    assert len(records) < len(extract(html.replace("<", "‹")))


def test_extract_corpus_of_a_dataframe(extractor):
    import pandas as pd

    from pipeline import extract_corpus

    frame = pd.DataFrame({
        "body": ["Có 5 người.", "Đạt 1.426 tổ.", None, "Có 7 tổ.", "<p>Có <b>9</b> người</p>"],
        "key": ["a", "b", "c", "a", "e"],
        "url": ["https://dantri.com.vn/a.htm", None, None, None, None],
        "date": pd.to_datetime(["2023-01-02", None, None, None, None]),
    }, index=[10, 11, 12, 13, 14])
    errors = ErrorLog(stream=None)
    out = extract_corpus(frame, text_column="body", id_column="key", errors=errors)
    assert list(out.columns) == list(COLUMNS)
    assert list(zip(out["doc_id"], out["value"])) == [("a", 5), ("b", 1426)]
    assert out["url"][0] == "https://dantri.com.vn/a.htm" and out["published"][0] == "2023-01-02"
    assert [s.location for s in errors.skipped] == ["row 12", "row 13", "row 14"]
    assert "document 'c': no text" in errors.skipped[0].reason and errors.skipped[1].reason == "duplicate id 'a'"
    assert errors.skipped[2].reason.startswith("'e' is HTML, and the HTML cleaner finds no article")
    # Without id_column: an "id" column if there is one, else the row index; a Series is a column of texts.
    assert list(extract_corpus(frame.rename(columns={"body": "text"}).iloc[:2])["doc_id"]) == ["10", "11"]
    assert list(extract_corpus(pd.Series(["Có 5 người."], index=["s1"]))["doc_id"]) == ["s1"]
    with pytest.raises(ValueError, match="no column 'text' in the DataFrame"):
        extract_corpus(frame)


@pytest.fixture
def bars(monkeypatch):
    """The progress bars iter_records opens (tqdm.auto: a widget in notebooks), with their totals."""
    import tqdm.auto

    opened = []

    def fake_tqdm(items, total=None, **kwargs):
        opened.append(total)
        return items

    monkeypatch.setattr(tqdm.auto, "tqdm", fake_tqdm)
    return opened


def test_progress_bar_has_a_total(extractor, tmp_path, bars):
    import pandas as pd

    from pipeline.api import iter_records
    from pipeline.progress import count_documents

    (tmp_path / "a.txt").write_text("Có 5 người.", encoding="utf-8")
    (tmp_path / "b.html").write_text("<p>x</p>", encoding="utf-8")
    (tmp_path / "c.jsonl").write_text('{"id": "1", "text": "Có 5 người."}\n{"id": "2", "text": "Có 6 người."}\n'
                                      '{"id": "3", "text": "Có 7 người."}', encoding="utf-8")
    assert count_documents([tmp_path]) == 5
    assert count_documents([tmp_path, "-"]) is None
    (tmp_path / "d.jsonl.gz").write_bytes(b"")
    assert count_documents([tmp_path]) is None  # counting would cost a decompression
    list(iter_records(iter([tmp_path / "a.txt", tmp_path / "c.jsonl"]), progress=True,
                      errors=ErrorLog(stream=None)))
    list(iter_records(pd.DataFrame({"text": ["Có 5 người.", "Có 6 người."]}), progress=True))
    list(iter_records([tmp_path / "a.txt"]))  # no bar unless asked
    assert bars == [4, 2]


def test_published_is_never_a_nan_or_a_list():
    from pipeline.api import published_of

    assert published_of(Document("a", "x", meta={"published": float("nan"), "date": "2020-01-02"})) == "2020-01-02"
    assert published_of(Document("b", "x", meta={"date": [2020]})) == "2020"
    assert published_of(Document("c", "x", meta={"date": [2020, 2021]})) is None
    assert published_of(Document("d", "x", meta={"date": float("nan")})) is None
