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
            ("100%", "percent", 100, {"unit": "%", "modality": "target", "time": "năm 2025",
                                      "rules": ["cand.digits", "unit.percent.percent", "mod.target.plan"]}),
            ("1.954.846/1.399.044", "ratio", 1954846, {"denominator": 1399044}),
            ("1.426", "count", 1426, {"qualifier": "gt", "subject": "tổ", "period": "2025", "place": "Việt Nam",
                                      "sentence_start": 48, "sentence_end": len(text)})):
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
    assert count._.period == "2025" and count._.place == "Việt Nam" and percent._.period is None
    assert TEXT[count._.sentence_start:count._.sentence_end].startswith("đạt tỷ lệ")
    # The token span is expanded to whole tokens; the exact mention stays in span._.chiso.
    assert ratio.text == "(1.954.846/1.399.044),"
    assert ratio._.chiso["text"] == "1.954.846/1.399.044" and ratio._.denominator == 1399044
    assert TEXT[ratio._.chiso["start"]:ratio._.chiso["end"]] == ratio._.chiso["text"]
    assert [m["kind"] for m in doc._.chiso_mentions] == ["percent", "ratio", "count"]


def test_span_id_is_the_candidate_rule_and_rules_the_full_list(nlp):
    doc = nlp(TEXT)
    percent, ratio, _count = doc.spans["indicators"]
    assert percent.id_ == "cand.digits"  # as SpanRuler sets a span's id_ to its pattern id
    assert percent._.rules == ["cand.digits", "unit.percent.percent", "mod.target.plan"]
    assert percent._.chiso["rules"] == percent._.rules
    assert ratio.id_ == "" and ratio._.rules == []  # a mention without rule ids


def test_real_extractor_spans_carry_their_rule_ids():
    nlp = spacy.blank("vi", config={"nlp": {"tokenizer": {"use_pyvi": False}}})
    nlp.add_pipe("chiso_indicators")
    doc = nlp("Tỉnh có 1.426 tổ, tăng 12% so với năm trước.")
    spans = doc.spans["indicators"]
    assert [s.id_ for s in spans] == ["cand.digits", "cand.digits"]
    assert spans[1]._.rules[:2] == ["cand.digits", "unit.percent.percent"]


def test_displacy_renders_the_span_group(nlp):
    html = displacy.render(nlp(TEXT), style="span", options={"spans_key": "indicators"})
    assert "1.426" in html and "percent" in html


def test_spans_and_fields_survive_serialization(nlp):
    doc = Doc(nlp.vocab).from_bytes(nlp(TEXT).to_bytes())
    assert [(s.text, s._.value) for s in doc.spans["indicators"]][0] == ("100%", 100)
    assert doc.spans["indicators"][0].id_ == "cand.digits" and doc.spans["indicators"][0]._.rules[0] == "cand.digits"


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


# --- The underthesea tokenizer `chiso.UndertheseaTokenizer.v1` -------------------------------------------------

from pipeline.document import normalize_text  # noqa: E402
from pipeline.spacy_tokenizer import (  # noqa: E402
    TOKENIZER_NAME, UndertheseaTokenizer, split_number_words, token_spans, words_and_spaces)
from pipeline.tokenize import words as underthesea_words  # noqa: E402

UNDERTHESEA_CONFIG = {"nlp": {"tokenizer": {"@tokenizers": TOKENIZER_NAME}}}
SEEDS = sorted(CORPUS.glob("*.txt"))
ODD_TEXTS = ["", " ", "   \n\t ", "  Tỉnh Đắk Lắk.  ", "hai  người\n\nba\tngười", "tăng 16,4%!!! (47/63)…",
             "Xin chào 😀😀 thế giới 👍🏽", "\u00a0công\u200bnghệ\u00a0", "a_b _ __ x", "\n", "đạt 80%,\r\nhơn 1.426 tổ"]


@pytest.fixture(scope="module")
def vi_tokenizer():
    """A blank Vietnamese pipeline whose tokenizer is the underthesea one (no components)."""
    return spacy.blank("vi", config=UNDERTHESEA_CONFIG)


@pytest.fixture
def vi_nlp(monkeypatch):
    """vietnamese_nlp() with the extractor faked."""
    monkeypatch.setattr(extractors, "extract_mentions", fake_extract, raising=False)
    return component.vietnamese_nlp()


def token_texts(doc: Doc) -> list[str]:
    return [token.text for token in doc]


def test_config_names_the_underthesea_tokenizer(vi_tokenizer):
    assert isinstance(vi_tokenizer.tokenizer, UndertheseaTokenizer)
    assert vi_tokenizer.config["nlp"]["tokenizer"] == {"@tokenizers": TOKENIZER_NAME, "split_numbers": True}


@pytest.mark.skipif(not SEEDS, reason="no seed corpus")
@pytest.mark.parametrize("normalize", [False, True], ids=["raw", "normalized"])
def test_doc_text_round_trips_on_the_seeds(vi_tokenizer, normalize):
    for path in SEEDS:
        text = path.read_text(encoding="utf-8")
        text = normalize_text(text) if normalize else text
        doc = vi_tokenizer(text)
        assert doc.text == text, path.name
        assert sum(len(t.text_with_ws) for t in doc) == len(text)
        assert any(" " in t.text for t in doc), "no multi-syllable word"


@pytest.mark.parametrize("text", ODD_TEXTS)
def test_doc_text_round_trips_on_odd_strings(vi_tokenizer, text):
    doc = vi_tokenizer(text)
    assert doc.text == text
    # spaCy's convention: a token's trailing whitespace is at most one plain space.
    assert all(t.whitespace_ in ("", " ") for t in doc)
    assert all(t.text for t in doc)
    # Every non-space character of the text is in a token.
    assert "".join(t.text for t in doc if not t.is_space).replace(" ", "") == "".join(text.split())


def test_multi_syllable_words_are_single_tokens(vi_tokenizer):
    doc = vi_tokenizer("Tỉnh Đắk Lắk có 1.426 tổ công nghệ số cộng đồng.")
    tokens = token_texts(doc)
    assert "Đắk Lắk" in tokens and "công nghệ" in tokens
    assert "Đắk" not in tokens and "nghệ" not in tokens
    token = doc[tokens.index("Đắk Lắk")]
    assert doc.text[token.idx:token.idx + len(token)] == "Đắk Lắk"


def test_numbers_are_split_from_the_counted_noun_by_default(vi_tokenizer):
    text = "Tỉnh Đắk Lắk có 1.426 tổ công nghệ số cộng đồng."
    assert "1.426" in token_texts(vi_tokenizer(text))
    plain = spacy.blank("vi", config={"nlp": {"tokenizer": {"@tokenizers": TOKENIZER_NAME, "split_numbers": False}}})
    # Without splitting, the non-space tokens are exactly underthesea's aligned words.
    assert [t.text for t in plain(text) if not t.is_space] == [text[a:b] for a, b in underthesea_words(text)]


def test_split_number_words_keeps_digit_free_runs_together():
    text = "Quận 1 có 1.426 tổ công nghệ"
    spans = split_number_words(text, [(0, 6), (7, 9), (10, 18), (19, 28)])
    assert [text[a:b] for a, b in spans] == ["Quận", "1", "có", "1.426", "tổ", "công nghệ"]


def test_characters_no_word_covers_become_tokens():
    text = " ab _ c!d  "
    spans = token_spans(text, [(1, 3), (6, 7)])          # the aligner left out "_" and "!d"
    assert [text[a:b] for a, b in spans] == ["ab", "_", "c", "!d"]
    words, spaces = words_and_spaces(text, spans)
    assert words == [" ", "ab", "_", "c", "!d", " "] and spaces == [False, True, True, False, True, False]
    assert "".join(w + " " * s for w, s in zip(words, spaces)) == text


def test_overlapping_word_spans_never_make_overlapping_tokens():
    # The later, overlapping word is dropped; its uncovered characters still become a token.
    assert token_spans("abcd", [(0, 2), (1, 3)]) == [(0, 2), (2, 4)]


def test_indicator_spans_on_underthesea_tokens(vi_nlp):
    doc = vi_nlp(TEXT)
    assert doc.text == TEXT
    spans = doc.spans["indicators"]
    assert [s.label_ for s in spans] == ["percent", "ratio", "count"]
    assert spans[0].text == "100%" and spans[2].text == "1.426" and spans[2]._.subject == "tổ"
    for span in spans:
        mention = span._.chiso
        assert span.start_char <= mention["start"] and mention["end"] <= span.end_char


@pytest.mark.skipif(not hasattr(extractors, "extract_mentions") or not SEEDS, reason="extractor or seeds missing")
def test_real_extractor_spans_cover_the_mentions_on_underthesea_tokens():
    nlp = component.vietnamese_nlp()
    for path in SEEDS:
        text = normalize_text(path.read_text(encoding="utf-8"))
        doc = nlp(text)
        mentions = list(extractors.extract_mentions(text))
        spans = doc.spans["indicators"]
        assert len(spans) == len(mentions), path.name
        assert sorted((m.start, m.end) for m in mentions) == [(s._.chiso["start"], s._.chiso["end"]) for s in spans]
        for span in spans:
            mention = span._.chiso
            assert text[mention["start"]:mention["end"]] == mention["text"]
            assert span.start_char <= mention["start"] and mention["end"] <= span.end_char


def test_displacy_renders_with_the_underthesea_tokenizer(vi_nlp):
    html = displacy.render(vi_nlp(TEXT), style="span", options={"spans_key": "indicators"})
    assert "1.426" in html and "percent" in html and "ratio" in html


def test_tokenizer_bytes_and_pickle_round_trip(vi_nlp):
    import pickle

    restored = component.vietnamese_nlp().from_bytes(vi_nlp.to_bytes())
    assert token_texts(restored("công nghệ số")) == ["công nghệ", "số"]
    tokenizer = pickle.loads(pickle.dumps(vi_nlp.tokenizer))
    assert isinstance(tokenizer, UndertheseaTokenizer) and tokenizer.split_numbers is True
    assert tokenizer.from_bytes(tokenizer.to_bytes()) is tokenizer


def test_tokenizer_is_found_through_the_entry_point_alone(tmp_path):
    # A fresh interpreter, outside the repo, that never imports pipeline.spacy_tokenizer itself.
    code = ("import sys, spacy; "
            f"nlp = spacy.blank('vi', config={UNDERTHESEA_CONFIG!r}); "
            "print(type(nlp.tokenizer).__module__); print([t.text for t in nlp('Tỉnh Đắk Lắk có công nghệ số')])")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=tmp_path, timeout=120)
    assert result.returncode == 0, result.stderr
    assert "pipeline.spacy_tokenizer" in result.stdout and "'công nghệ'" in result.stdout


def test_to_disk_and_spacy_load_in_a_subprocess(tmp_path):
    nlp = component.vietnamese_nlp(spans_key="so_lieu")
    nlp.to_disk(tmp_path / "model")
    code = ("import spacy; nlp = spacy.load('model'); "
            "doc = nlp('Tỉnh Đắk Lắk có 1.426 tổ công nghệ số, tăng 16,4%.'); "
            "print(nlp.pipe_names, dict(nlp.config['nlp']['tokenizer'])); "
            "print([t.text for t in doc]); print([s._.chiso['text'] for s in doc.spans['so_lieu']])")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=tmp_path, timeout=120)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert "chiso_indicators" in lines[0] and TOKENIZER_NAME in lines[0]
    assert "'Đắk Lắk'" in lines[1] and "'công nghệ'" in lines[1]
    if hasattr(extractors, "extract_mentions"):
        assert "'16,4%'" in lines[2]
