"""Every rule's examples, walked: the rule must fire on its `hit` examples and leave its `miss` examples alone.

The examples sit beside the rules in rules/*.yaml (numbers in [brackets]); a shadowed or dead rule fails here.
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from extractors import extract_mentions
from extractors.rule_catalog import describe_rule
from extractors.rulecheck import EXAMPLE_LISTS, _contradiction
from rules import load_rules

ROOT = Path(__file__).resolve().parents[2]
# Rules without examples, and why: no sentence of news text can show them alone.
NO_EXAMPLE = {
    "excl.value.not_finite": "needs a digit string of over 300 digits",
    "excl.period.dash_year": "shadowed by excl.period.year_span for every real year range; kept as a guard",
    "excl.phone.leading_zero": "phone numbers of this shape are taken by excl.phone.span first",
    "cand.unreadable": "the explain-only outcome of a digit run no number grammar reads",
}


def _examples():
    for file, key in EXAMPLE_LISTS:
        for rule in load_rules(file)[key]:
            for expect, texts in (rule.get("examples") or {}).items():
                for text in texts:
                    yield pytest.param(rule["id"], expect, text, id=f"{rule['id']}-{expect}-{text[:30]}")


@pytest.mark.parametrize("rule_id,expect,example", list(_examples()))
def test_example_agrees_with_its_rule(rule_id, expect, example):
    assert _contradiction(rule_id, expect, example) is None


@pytest.mark.parametrize("file,key", EXAMPLE_LISTS[:2])
def test_every_rule_has_an_example_it_takes(file, key):
    missing = [r["id"] for r in load_rules(file)[key]
               if not (r.get("examples") or {}).get("hit") and r["id"] not in NO_EXAMPLE]
    assert missing == []


def test_every_rule_id_on_the_seed_records_is_explained():
    unexplained = set()
    for path in sorted((ROOT / "corpus").glob("*.txt")):
        for m in extract_mentions(path.read_text(encoding="utf-8")):
            assert m.rules and m.rules[0].startswith("cand."), m
            unexplained |= {r for r in m.rules if describe_rule(r) is None}
    assert unexplained == set()


def test_rule_ids_are_unique_across_files():
    ids = [r["id"] for f, k in EXAMPLE_LISTS for r in load_rules(f)[k]]
    ids += list(load_rules("cues")["time_patterns"]) + list(load_rules("cues")["attribute_rules"])
    assert len(ids) == len(set(ids)), [i for i in set(ids) if ids.count(i) > 1]
