"""The recipes of docs/rules.md work as written: each YAML block laid over the built-in rules loads and passes."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

import extractors
from extractors import extract_mentions
from rules import use_rules

DOC = Path(__file__).resolve().parents[2] / "docs" / "rules.md"
BLOCK = re.compile(r"```yaml\n# my-rules/(?P<file>\w+\.yaml)\n(?P<body>.*?)```", re.S)


def _recipes():
    return [pytest.param(m["file"], m["body"], id=f"{m['file']}-{i}") for i, m in enumerate(BLOCK.finditer(DOC.read_text()))]


def test_the_doc_has_recipes():
    assert len(_recipes()) >= 4


@pytest.mark.parametrize("file,body", _recipes())
def test_recipe_loads_and_its_examples_hold(tmp_path, file, body):
    (tmp_path / file).write_text(body, encoding="utf-8")
    with use_rules(tmp_path):
        assert extractors.check_rules() > 0       # schema, compiled patterns and every example (R006)


def test_recipes_change_what_they_say(tmp_path):
    assert [m.text for m in extract_mentions("Chương trình ưu đãi số 7 kéo dài.")] == ["7"]   # before the recipes
    for m in BLOCK.finditer(DOC.read_text()):
        with (tmp_path / m["file"]).open("a", encoding="utf-8") as fh:
            fh.write(m["body"])
    with use_rules(tmp_path):
        [mmhg] = extract_mentions("Huyết áp 140 mmHg.")
        assert mmhg.unit == "mmHg" and "unit.measure.mmhg" in mmhg.rules
        assert extract_mentions("Chương trình ưu đãi số 7 kéo dài.") == []
        [approx] = extract_mentions("Có áng chừng 300 người.")
        assert approx.qualifier == "approx" and "qual.approx.ang_chung" in approx.rules
        assert [m.text for m in extract_mentions("Giải đặc biệt 83719, giải nhất trị giá 2 tỷ đồng.")] == ["2 tỷ đồng"]
