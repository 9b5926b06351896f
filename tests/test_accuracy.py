"""Accuracy floors of the real extractor on annotated data: the seeds (gold/) and the dantri dev set.

The dev set (tests/data/dev_unc) is 20 dantri articles, two per topic, annotated by the guideline without looking at
the extractor; the seeds are the embedded corpus. The floors sit a little under the measured figures, so a rule change
that costs accuracy fails here.
"""
from __future__ import annotations

import json

import pytest

from pipeline.document import Document, normalize_text
from pipeline.extract import extract_document
from pipeline.gold import load_gold, load_texts
from pipeline.scoring import score

from conftest import CORPUS, GOLD, ROOT

DEV = ROOT / "tests" / "data" / "dev_unc"


def _predict(texts: dict[str, str]):
    records = []
    for doc_id, text in texts.items():
        records += extract_document(Document(doc_id, text))
    return records


def _check(scores, value_f1: float, precision: float, attr: float):
    p, r, f1 = scores.to_json()["value"]
    assert f1 >= value_f1, scores.format_table()
    assert p >= precision, scores.format_table()
    acc = scores.to_json()["attr_acc"]
    for field in ("kind", "unit", "qualifier"):
        assert acc[field] >= attr, (field, scores.format_table())


def test_seed_gold_accuracy():
    texts = load_texts(CORPUS)
    gold = load_gold(GOLD, texts)
    scores = score(gold.records, _predict(texts), doc_ids=gold.doc_ids, bootstrap=0)
    _check(scores, value_f1=0.93, precision=0.93, attr=0.9)


def test_dev_set_accuracy(unc_path):
    ids = {p.stem for p in DEV.glob("*.jsonl")}
    texts = {}
    with unc_path.open(encoding="utf-8") as fh:
        for line in fh:
            row = json.loads(line)
            if row["id"] in ids:
                texts[row["id"]] = normalize_text(row["text"])
    assert set(texts) == ids, "dev set documents missing from the corpus"
    gold = load_gold(DEV, texts)
    assert len(gold.records) == 126 and len(gold.doc_ids) == 20
    scores = score(gold.records, _predict(texts), doc_ids=gold.doc_ids, bootstrap=0)
    _check(scores, value_f1=0.90, precision=0.90, attr=0.9)
