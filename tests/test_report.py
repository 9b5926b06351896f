"""The HTML report: self-contained, every document present, text escaped, marks in place."""
import html
import json
import re

from pipeline.cli import main
from pipeline.records import Record
from pipeline.report import MarkedSpan, highlight, write_report
from pipeline.scoring import score

TEXTS = {
    "a": 'Có 1.426 tổ <script>alert("x")</script> và 40 tỷ đồng, đạt 80% & hơn.',
    "b": "Không có số liệu nào ở đây.",
    "c": "Tăng 16,4% so với năm trước; xem http://example.com/x",
}


def rec(doc, fragment, kind="count", value=1.0, **kw):
    start = TEXTS[doc].index(fragment)
    return Record(doc_id=doc, start=start, end=start + len(fragment), text=fragment, kind=kind, value=value, **kw)


GOLD = [rec("a", "1.426", value=1426, subject='tổ "số"'), rec("a", "40 tỷ đồng", "money", 4e10, unit="VND"),
        rec("a", "80%", "percent", 80, unit="%"), rec("c", "16,4%", "percent", 16.4, unit="%", change="increase")]
PRED = [rec("a", "1.426", value=1426), rec("a", "40 tỷ", "money", 4e9, unit="VND"),
        rec("c", "16,4%", "percent", 16.4, unit="%"), rec("b", "số", value=1)]


def build(tmp_path):
    s = score(GOLD, PRED, doc_ids=set(TEXTS), bootstrap=50, texts=TEXTS)
    return write_report(tmp_path / "r" / "report.html", s, TEXTS, GOLD, PRED).read_text(encoding="utf-8")


def test_report_is_self_contained(tmp_path):
    page = build(tmp_path)
    assert page.startswith("<!DOCTYPE html>")
    refs = re.findall(r'(?:src|href)\s*=\s*"([^"]*)"', page)
    assert refs and all(r.startswith("#") for r in refs)  # only in-page anchors
    assert "<link" not in page and "<script" not in page and "@import" not in page and "url(" not in page
    assert "<svg" in page and "<style>" in page


def test_report_contains_every_document_and_escapes_text(tmp_path):
    page = build(tmp_path)
    for doc in TEXTS:
        assert f'id="doc-{doc}"' in page
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in page
    assert "&amp; hơn" in page
    assert 'tổ &quot;số&quot;' in page  # the subject inside a title attribute


def test_report_marks_each_error_type(tmp_path):
    page = build(tmp_path)
    assert re.search(r'<mark class="missed"[^>]*>80%</mark>', page)
    assert re.search(r'<mark class="wrong"[^>]*>40 tỷ đồng</mark>', page)
    assert re.search(r'<mark class="spurious"[^>]*>số</mark>', page)
    assert re.search(r'<mark class="ok"[^>]*>1\.426</mark>', page)
    for label in ("missed (gold only)", "spurious (prediction only)", "matched, wrong value"):
        assert label in page


def test_highlight_keeps_the_text_with_overlapping_spans():
    text = "ab <c> 12345 xyz"
    spans = [MarkedSpan(7, 12, "ok", "t1"), MarkedSpan(9, 16, "missed", "t2"), MarkedSpan(0, 2, "spurious", "<t3>")]
    out = highlight(text, spans)
    assert html.unescape(re.sub(r"<[^>]+>", "", out)) == text
    assert "&lt;c&gt;" in out and 'title="&lt;t3&gt;"' in out
    assert out.count("<mark") == 4  # 7-9 ok, 9-12 both, 12-16 missed, 0-2 spurious


def test_cli_report(tmp_path, capsys):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for doc, text in TEXTS.items():
        (corpus / f"{doc}.txt").write_text(text, encoding="utf-8")
    gold_dir = tmp_path / "gold"
    gold_dir.mkdir()
    for doc in TEXTS:
        lines = [json.dumps(r.to_dict(), ensure_ascii=False) for r in GOLD if r.doc_id == doc]
        (gold_dir / f"{doc}.jsonl").write_text("".join(l + "\n" for l in lines), encoding="utf-8")
    pred = tmp_path / "pred.jsonl"
    pred.write_text("".join(json.dumps(r.to_dict(), ensure_ascii=False) + "\n" for r in PRED), encoding="utf-8")
    out = tmp_path / "out.html"
    assert main(["report", str(gold_dir), str(pred), "--corpus", str(corpus), "-o", str(out),
                 "--bootstrap", "10"]) == 0
    assert out.exists() and 'id="doc-b"' in out.read_text(encoding="utf-8")


def test_document_without_text_is_still_listed(tmp_path):
    gold = [Record(doc_id="gone/1", start=0, end=2, text="12", kind="count", value=12)]
    s = score(gold, [], bootstrap=0)
    page = write_report(tmp_path / "r.html", s, {}, gold, []).read_text(encoding="utf-8")
    assert 'id="doc-gone_1"' in page and "document text not available" in page and "missed" in page


def test_documents_whose_ids_differ_only_in_punctuation_get_distinct_anchors(tmp_path):
    gold = [Record(doc_id=d, start=0, end=2, text="12", kind="count", value=12) for d in ("a/b", "a_b", "a.b")]
    s = score(gold, [], bootstrap=0)
    page = write_report(tmp_path / "r.html", s, {}, gold, []).read_text(encoding="utf-8")
    ids = re.findall(r'<h2 id="([^"]+)"', page)
    links = re.findall(r'<a href="#([^"]+)"', page)
    assert len(ids) == 3 and len(set(ids)) == 3 and links == ids


def test_report_groups_errors_by_rule(tmp_path):
    pred = [*PRED[:3], rec("b", "số", value=1, rules=["cand.spelled", "unit.<x>"])]
    s = score(GOLD, pred, doc_ids=set(TEXTS), bootstrap=0, texts=TEXTS)
    page = write_report(tmp_path / "report.html", s, TEXTS, GOLD, pred).read_text(encoding="utf-8")
    assert "<h2>Errors by rule</h2>" in page
    # "80%" after "đạt": not excluded today, so explained now as a mention; the spurious "số": its candidate rule.
    assert "<tr><td><code>cand.spelled</code></td><td>0</td><td>1</td><td>0</td><td>1</td></tr>" in page
    assert "<td><code>cand.spelled</code> <small>(cand.spelled unit.&lt;x&gt;)</small></td>" in page
    assert "<code>(prediction without rule ids)</code>" in page  # the wrong value "40 tỷ" has none


def test_period_and_place_accuracy_rows_say_how_many_gold_records_carry_them(tmp_path):
    def keyless(record):
        data = record.to_dict(provenance=False)
        del data["period"], data["place"]
        return Record.from_dict(data)

    old = [keyless(r) for r in GOLD]  # gold written before v1.2
    s = score(old, PRED, doc_ids=set(TEXTS), bootstrap=0, texts=TEXTS)
    page = write_report(tmp_path / "old.html", s, TEXTS, old, PRED).read_text(encoding="utf-8")
    assert "<td>period (no gold period)</td><td>n/a</td>" in page
    new = [Record.from_dict({**r.to_dict(provenance=False), "period": "2023", "place": None}) for r in GOLD]
    s = score(new, PRED, doc_ids=set(TEXTS), bootstrap=0, texts=TEXTS)
    page = write_report(tmp_path / "new.html", s, TEXTS, new, PRED).read_text(encoding="utf-8")
    assert "<td>period (on 3 pairs with gold period)</td><td>0.000</td>" in page
    assert "<td>place (on 3 pairs with gold place)</td><td>1.000</td>" in page
