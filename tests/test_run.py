"""`chiso run`: records.jsonl, the summary, and the evaluation when gold is there."""
from __future__ import annotations

import json
import shutil
import sys

import pytest

from conftest import CORPUS, GOLD
from pipeline.cli import main
from pipeline.writers import read_records

HAS_GOLD = any(GOLD.glob("*.jsonl"))


def test_run_writes_records_and_summary(tmp_path, capsys):
    out = tmp_path / "out"
    assert main(["run", "--corpus", str(CORPUS), "--gold", str(tmp_path / "no-gold"), "--out", str(out)]) == 0
    captured = capsys.readouterr()
    records = read_records(out / "records.jsonl")
    assert records and {r.doc_id for r in records} == {p.stem for p in CORPUS.glob("*.txt")}
    assert f"records: {out / 'records.jsonl'}" in captured.out
    assert "5 documents read" in captured.err and f"{len(records)} records written" in captured.err
    assert "evaluation: no gold directory" in captured.out


def test_run_builds_the_dataset_and_prints_its_summary(tmp_path, capsys):
    import pandas as pd

    out = tmp_path / "out"
    assert main(["run", "--corpus", str(CORPUS), "--gold", str(tmp_path / "no-gold"), "--out", str(out)]) == 0
    line = next(x for x in capsys.readouterr().out.splitlines() if x.startswith("dataset: "))
    frame = pd.read_csv(out / "dataset.csv")
    assert f"{len(frame)} rows" in line and "places" in line and "periods" in line and "linked" in line
    assert frame.n_sources.max() == 2  # the 188/188 of two seed articles


@pytest.mark.skipif(not HAS_GOLD, reason="no gold annotations")
def test_run_evaluates_against_gold(tmp_path, capsys):
    out = tmp_path / "out"
    assert main(["run", "--corpus", str(CORPUS), "--gold", str(GOLD), "--out", str(out)]) == 0
    captured = capsys.readouterr()
    scores = json.loads((out / "scores.json").read_text(encoding="utf-8"))
    assert scores and f"scores: {out / 'scores.json'}" in captured.out
    assert "evaluation: not available" not in captured.out


def test_run_without_scoring_module_still_succeeds(tmp_path, capsys, monkeypatch):
    gold = tmp_path / "gold"
    gold.mkdir()
    (gold / "000_a8f219603fd09c33.jsonl").write_text("", encoding="utf-8")
    monkeypatch.setitem(sys.modules, "pipeline.scoring", None)  # import now raises ImportError
    assert main(["run", "--corpus", str(CORPUS), "--gold", str(gold), "--out", str(tmp_path / "out")]) == 0
    assert "evaluation: not available" in capsys.readouterr().out
    assert (tmp_path / "out" / "records.jsonl").exists()


def test_empty_gold_dir_is_skipped(tmp_path, capsys):
    (tmp_path / "gold").mkdir()
    assert main(["run", "--corpus", str(CORPUS), "--gold", str(tmp_path / "gold"),
                 "--out", str(tmp_path / "out")]) == 0
    assert "evaluation: no gold annotations" in capsys.readouterr().out


@pytest.mark.skipif(not HAS_GOLD, reason="no gold annotations")
def test_run_writes_the_report(tmp_path, capsys):
    pytest.importorskip("pipeline.report")
    report = tmp_path / "report.html"
    assert main(["run", "--corpus", str(CORPUS), "--gold", str(GOLD), "--out", str(tmp_path / "out"),
                 "--report", str(report)]) == 0
    assert report.exists() and report.stat().st_size > 0
    assert f"report: {report}" in capsys.readouterr().out


def test_missing_corpus_is_a_usage_error(tmp_path, capsys):
    assert main(["run", "--corpus", str(tmp_path / "nope"), "--out", str(tmp_path / "out")]) == 2
    assert "not found" in capsys.readouterr().err


def test_duplicate_ids_in_the_corpus_are_skipped(tmp_path, capsys):
    corpus = tmp_path / "corpus"
    (corpus / "a").mkdir(parents=True)
    (corpus / "b").mkdir()
    shutil.copy(CORPUS / "000_a8f219603fd09c33.txt", corpus / "a" / "x.txt")
    shutil.copy(CORPUS / "001_5cff5225281921e5.txt", corpus / "b" / "x.txt")
    assert main(["run", "--corpus", str(corpus), "--gold", str(tmp_path / "g"), "--out", str(tmp_path / "o")]) == 0
    err = capsys.readouterr().err
    assert "duplicate id 'x'" in err and "1 documents read" in err and "1 skipped" in err


def test_a_document_the_extractor_raises_on_is_reported_and_counted(tmp_path, capsys, monkeypatch):
    import extractors

    real = extractors.extract_mentions
    broken = sorted(CORPUS.glob("*.txt"))[0]

    def fragile(text, body=None):
        if text == broken.read_text(encoding="utf-8"):
            raise RuntimeError("boom")
        return real(text, body)

    monkeypatch.setattr(extractors, "extract_mentions", fragile)
    out = tmp_path / "out"
    assert main(["run", "--corpus", str(CORPUS), "--gold", str(tmp_path / "no-gold"), "--out", str(out)]) == 0
    err = capsys.readouterr().err
    assert f"chiso: failed {broken.stem}: RuntimeError: boom\n" in err
    assert "5 documents read" in err and f"1 failed ({broken.stem};" in err
    assert broken.stem not in {r.doc_id for r in read_records(out / "records.jsonl")}


@pytest.mark.skipif(not HAS_GOLD, reason="no gold annotations")
def test_gold_of_other_documents_is_not_scored(tmp_path, capsys):
    corpus = tmp_path / "mine"
    corpus.mkdir()
    (corpus / "bai-1.txt").write_text("Có 5 người.", encoding="utf-8")
    assert main(["run", "--corpus", str(corpus), "--gold", str(GOLD), "--out", str(tmp_path / "out")]) == 0
    out = capsys.readouterr().out
    assert "evaluation: skipped, no document in common" in out and "the corpus has 1 document(s) (bai-1)" in out
    assert "value (headline)" not in out and not (tmp_path / "out" / "scores.json").exists()


def test_run_reads_a_table_with_named_fields(tmp_path, capsys):
    corpus = tmp_path / "articles.csv"
    text = (CORPUS / "000_a8f219603fd09c33.txt").read_text(encoding="utf-8")
    import csv

    with open(corpus, "w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows([["ma", "noi_dung"], ["a1", text]])
    out = tmp_path / "o"
    assert main(["run", "--corpus", str(corpus), "--gold", str(tmp_path / "g"), "--out", str(out),
                 "--id-field", "ma", "--text-field", "noi_dung"]) == 0
    assert "1 documents read" in capsys.readouterr().err
    assert {r.doc_id for r in read_records(out / "records.jsonl")} == {"a1"}


def test_a_run_in_which_every_input_failed_writes_no_records_file(tmp_path, capsys):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "bad.txt").write_bytes(b"\xff\xfe not utf-8 \xff")
    out = tmp_path / "out"
    assert main(["run", "--corpus", str(corpus), "--gold", str(tmp_path / "no-gold"), "--out", str(out)]) == 1
    assert "every input failed" in capsys.readouterr().err
    assert not (out / "records.jsonl").exists()
