"""The spaCy component `chiso_indicators` on a Vietnamese pipeline (extractor faked where it must be)."""
from __future__ import annotations

import subprocess
import sys

import pytest
import spacy
from spacy import displacy
from spacy.tokens import Doc

import extractors
import pipeline.spacy_component as component
from conftest import CORPUS, ROOT
from extractors.mention import Mention

TEXT = "Phấn đấu đến năm 2025, 100% thôn được phủ sóng; đạt tỷ lệ (1.954.846/1.399.044), hơn 1.426 tổ."


def fake_extract(text: str, body: list[tuple[int, int]] | None = None) -> list[Mention]:
    """Mentions of TEXT-like strings, found by plain search (stands in for the rule-based extractor)."""
    found = []
    for needle, kind, value, extra in (
            ("100%", "percent", 100, {"unit": "%", "modality": "target", "time": "năm 2025"}),
            ("1.954.846/1.399.044", "ratio", 1954846, {"denominator": 1399044}),
            ("1.426", "count", 1426, {"qualifier": "gt", "subject": "tổ"})):
        start = text.find(needle)
        if start >= 0 and (body is None or any(s <= start < e for s, e in body)):
            found.append(Mention(start, start + len(needle), needle, kind, value, **extra))
    return found


@pytest.fixture
def nlp(monkeypatch):
    """A blank Vietnamese pipeline (no pyvi) with the component, the extractor faked."""
    monkeypatch.setattr(extractors, "extract_mentions", fake_extract, raising=False)
    nlp = spacy.blank("vi", config={"nlp": {"tokenizer": {"use_pyvi": False}}})
    nlp.add_pipe("chiso_indicators")
    return nlp


def test_mentions_become_labelled_spans_with_fields(nlp):
    doc = nlp(TEXT)
    spans = doc.spans["indicators"]
    assert [s.label_ for s in spans] == ["percent", "ratio", "count"]
    percent, ratio, count = spans
    assert percent.text == "100%" and percent._.value == 100 and percent._.unit == "%"
    assert percent._.modality == "target" and percent._.time == "năm 2025"
    assert count._.qualifier == "gt" and count._.subject == "tổ"
    # The token span is expanded to whole tokens; the exact mention stays in span._.chiso.
    assert ratio.text == "(1.954.846/1.399.044),"
    assert ratio._.chiso["text"] == "1.954.846/1.399.044" and ratio._.denominator == 1399044
    assert TEXT[ratio._.chiso["start"]:ratio._.chiso["end"]] == ratio._.chiso["text"]
    assert [m["kind"] for m in doc._.chiso_mentions] == ["percent", "ratio", "count"]


def test_displacy_renders_the_span_group(nlp):
    html = displacy.render(nlp(TEXT), style="span", options={"spans_key": "indicators"})
    assert "1.426" in html and "percent" in html


def test_spans_and_fields_survive_serialization(nlp):
    doc = Doc(nlp.vocab).from_bytes(nlp(TEXT).to_bytes())
    assert [(s.text, s._.value) for s in doc.spans["indicators"]][0] == ("100%", 100)


def test_clean_option_passes_the_article_body(monkeypatch):
    seen = {}

    def spy(text, body=None):
        seen["body"] = body
        return fake_extract(text, body)

    monkeypatch.setattr(extractors, "extract_mentions", spy, raising=False)
    nlp = spacy.blank("vi", config={"nlp": {"tokenizer": {"use_pyvi": False}}})
    nlp.add_pipe("chiso_indicators", config={"clean": True, "spans_key": "so_lieu"})
    text = (CORPUS / "000_a8f219603fd09c33.txt").read_text(encoding="utf-8")
    doc = nlp(text)
    from pipeline.clean_text import find_body

    assert seen["body"] == find_body(text) and seen["body"]
    assert "so_lieu" in doc.spans and "indicators" not in doc.spans
    assert [s._.chiso["text"] for s in doc.spans["so_lieu"]] == ["100%", "1.426"]


def test_mention_that_breaks_offsets_is_dropped(monkeypatch):
    monkeypatch.setattr(extractors, "extract_mentions",
                        lambda text, body=None: [Mention(0, 3, "xyz", "count", 1)], raising=False)
    nlp = spacy.blank("vi", config={"nlp": {"tokenizer": {"use_pyvi": False}}})
    nlp.add_pipe("chiso_indicators")
    with pytest.warns(UserWarning, match="does not match"):
        doc = nlp("hai người")
    assert len(doc.spans["indicators"]) == 0


def test_config_and_factory_metadata(nlp):
    assert nlp.get_pipe_meta("chiso_indicators").default_config == {"clean": False, "spans_key": "indicators"}
    assert nlp.config["components"]["chiso_indicators"]["factory"] == "chiso_indicators"
    assert component.make_indicator_component.__name__ == "make_indicator_component"


def test_factory_is_found_through_the_entry_point_alone():
    # A fresh interpreter that never imports pipeline.spacy_component itself.
    code = ("import spacy; nlp = spacy.blank('vi', config={'nlp': {'tokenizer': {'use_pyvi': False}}}); "
            "nlp.add_pipe('chiso_indicators'); print(nlp.pipe_names)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert result.returncode == 0, result.stderr
    assert "chiso_indicators" in result.stdout


@pytest.mark.skipif(not hasattr(extractors, "extract_mentions"), reason="extractor not written yet")
def test_real_extractor_on_a_seed():
    nlp = spacy.blank("vi", config={"nlp": {"tokenizer": {"use_pyvi": False}}})
    nlp.add_pipe("chiso_indicators", config={"clean": True})
    text = (CORPUS / "001_5cff5225281921e5.txt").read_text(encoding="utf-8")
    doc = nlp(text)
    assert len(doc.spans["indicators"]) > 0
    for span in doc.spans["indicators"]:
        mention = span._.chiso
        assert text[mention["start"]:mention["end"]] == mention["text"]
        assert span.start_char <= mention["start"] and mention["end"] <= span.end_char
