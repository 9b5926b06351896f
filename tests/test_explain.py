"""`chiso explain` and pipeline.explain: every number of a text, its outcome and the rules that decided."""
from __future__ import annotations

import io
import json

import pytest

from pipeline.cli import main
from pipeline.document import Document
from pipeline.explain import OUTSIDE_ARTICLE, explain_document

TEXT = ("Đắk Lắk đã thành lập 1.426 Tổ công nghệ số cộng đồng, tăng hơn 12% so với năm 2022. "
        "Liên hệ 0912 345 678.")


@pytest.fixture
def label_rules(tmp_path):
    """A researcher's rules directory that makes "có" a calendar word (a number after it is a label)."""
    d = tmp_path / "my-rules"
    d.mkdir()
    (d / "exclusions.yaml").write_text("label_always:\n  calendar: [có]\n", encoding="utf-8")
    return d


def _json(capsys) -> list[dict]:
    return [json.loads(line) for line in capsys.readouterr().out.splitlines()]


def test_blocks_show_each_number_its_outcome_rules_and_sentence(capsys):
    assert main(["explain", TEXT]) == 0
    out = capsys.readouterr().out
    assert out.startswith("== text: 7 numbers: 2 mentions, 5 excluded")
    assert "[21-26] '1.426'  MENTION count 1426" in out
    assert "rules   cand.digits unit.percent.percent" in out
    assert "[78-82] '2022'  excluded by excl.label.always" in out and "rules   cand.digits excl.label.always" in out
    assert "excl.phone.span: a digit group of a phone or hotline number" in out
    assert "context Liên hệ ⟦0912⟧ 345 678." in out


def test_table_has_one_aligned_line_per_number(capsys):
    assert main(["explain", TEXT, "--table"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 2 + 7
    assert lines[1].split() == ["span", "text", "outcome", "rule", "value", "/", "reason"]
    assert len({line.index("excl") for line in lines if "excluded  excl." in line}) == 1  # aligned column


def test_json_lists_every_number_sorted_with_its_rules(capsys):
    assert main(["explain", TEXT, "--json"]) == 0
    [doc] = _json(capsys)
    numbers = doc["numbers"]
    assert doc["doc_id"] == "text" and [n["start"] for n in numbers] == sorted(n["start"] for n in numbers)
    kept = [n for n in numbers if n["outcome"] == "mention"]
    assert [n["text"] for n in kept] == ["1.426", "12%"]
    assert all(n["rules"] and n["rule"] in n["rules"] and n["reason"] for n in numbers)
    assert kept[1]["mention"]["rules"] == kept[1]["rules"] and kept[1]["mention"]["unit"] == "%"
    assert numbers[-1]["sentence"] == "Liên hệ 0912 345 ⟦678⟧."


def test_file_and_stdin_are_read_like_chiso_extract(tmp_path, capsys, monkeypatch):
    path = tmp_path / "a.txt"
    path.write_text(TEXT, encoding="utf-8")
    assert main(["explain", "-f", str(path), "--json"]) == 0
    [from_file] = _json(capsys)
    assert from_file["doc_id"] == "a"
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(TEXT.encode("utf-8"))))
    assert main(["explain", "-", "--json"]) == 0
    [from_stdin] = _json(capsys)
    assert from_stdin["numbers"] == from_file["numbers"]


def test_numbers_the_cleaner_leaves_out_are_explained_too():
    text = "Cập nhật lúc 08:25 ngày 01/10/2023\nTỉnh có 1.426 tổ công nghệ số cộng đồng trên địa bàn."
    traces = explain_document(Document("d", text))
    outside = [t.text for t in traces if t.rule == OUTSIDE_ARTICLE]
    assert outside and "1.426" not in outside and all(t.outcome == "excluded" for t in traces if t.text in outside)
    assert not [t for t in explain_document(Document("d", text), clean=False) if t.rule == OUTSIDE_ARTICLE]


def test_rules_overlay_changes_the_explanation(label_rules, capsys):
    assert main(["explain", "Có 3 người.", "--json"]) == 0
    assert _json(capsys)[0]["numbers"][0]["outcome"] == "mention"
    assert main(["explain", "Có 3 người.", "--json", "--rules", str(label_rules)]) == 0
    [number] = _json(capsys)[0]["numbers"]
    assert (number["outcome"], number["rule"]) == ("excluded", "excl.label.always")


@pytest.mark.parametrize("content, message", [
    ("unitz: []\n", "units.yaml: R001 unknown key 'unitz'"),
    ("units: [\n", "units.yaml: R008 is not valid YAML"),
])
def test_a_bad_rules_file_exits_2_with_one_line(tmp_path, capsys, content, message):
    (tmp_path / "units.yaml").write_text(content, encoding="utf-8")
    assert main(["explain", "Có 3 người.", "--rules", str(tmp_path)]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    [line] = captured.err.splitlines()
    assert line.startswith(f"chiso: {tmp_path / 'units.yaml'}".removesuffix("units.yaml")) and message in line


def test_text_or_file_is_required(capsys):
    assert main(["explain"]) == 2
    assert "give a TEXT" in capsys.readouterr().err


def test_help_lists_explain_with_examples(capsys):
    with pytest.raises(SystemExit):
        main(["--help"])
    assert "chiso explain" in capsys.readouterr().out
    with pytest.raises(SystemExit):
        main(["explain", "--help"])
    out = capsys.readouterr().out
    assert "examples:" in out and "--rules DIR" in out and "--json" in out


def test_the_mentions_explained_are_the_records_extracted(seed_paths):
    from pipeline.api import extract_document
    from pipeline.readers import read_text_file

    for path in seed_paths:
        traces = explain_document(read_text_file(path))
        records = extract_document(read_text_file(path))
        assert [(t.start, t.end, t.rules) for t in traces if t.outcome == "mention"] == [
            (r.start, r.end, r.rules) for r in records], path.name
        assert any(t.outcome == "excluded" for t in traces)
