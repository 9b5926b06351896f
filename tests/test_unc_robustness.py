"""Every article of the unlabeled dantri corpus goes through extract_mentions without error."""
from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from extractors import extract_mentions
from pipeline.document import normalize_text
from pipeline.records import Record


def _check(path, limit=None):
    total = 0
    with open(path, encoding="utf-8") as fh:
        for i, line in enumerate(fh):
            if limit is not None and i >= limit:
                break
            doc = json.loads(line)
            text = normalize_text(doc["text"])
            mentions = extract_mentions(text)
            assert [m.start for m in mentions] == sorted(m.start for m in mentions)
            for m in mentions:
                Record.from_mention(doc["id"], m).validate(text)
            total += len(mentions)
    return total


def test_first_200_articles(unc_path):
    assert _check(unc_path, 200) > 500


@pytest.mark.slow
def test_all_articles(unc_path):
    assert _check(unc_path) > 10000


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("0123456789.,/-%: \nhaitrămnghìntỷđồngUSD()$Tháng")), max_size=80))
def test_never_raises_on_odd_input(text):
    for m in extract_mentions(text):
        assert text[m.start:m.end] == m.text


def test_odd_inputs():
    assert extract_mentions("") == []
    assert extract_mentions("\u0000\ufeff 5 người \U0001F600 7%") is not None
    assert extract_mentions("5" * 5000) is not None
    for m in extract_mentions("Có " + "9" * 400 + " người, " + "9" * 320 + " tỷ đồng và 1" + "0" * 20 + " đồng"):
        Record.from_mention("odd", m).validate()
    assert extract_mentions("Có 3 người", body=[(100, 50), (-5, 3)]) is not None
