"""The scorer against hand-computed cases (ANNOTATION.md section 6)."""
import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.cli import main
from pipeline.records import Record
from pipeline.scoring import match_overlap, overlap, score, sentence_around, token_f1


def rec(start, end, kind="count", value=1.0, doc="d", **kw):
    """A record whose text is a placeholder of the span's length (the scorer never reads the text)."""
    return Record(doc_id=doc, start=start, end=end, text="x" * (end - start), kind=kind, value=value, **kw)


def test_perfect_prediction_scores_one_everywhere():
    gold = [rec(0, 4, value=5), rec(10, 14, "percent", 80, unit="%")]
    s = score(gold, list(gold), bootstrap=0)
    assert s.mention == s.mention_exact == s.value == (1.0, 1.0, 1.0)
    assert all(v == 1.0 for v in s.attr_acc.values())


def test_overlap_counts_for_mention_but_not_for_exact():
    s = score([rec(0, 5)], [rec(1, 5)], bootstrap=0)
    assert s.mention == (1.0, 1.0, 1.0)
    assert s.mention_exact == (0.0, 0.0, 0.0)
    assert s.counts["matched"] == 1 and s.counts["matched_exact"] == 0


def test_one_prediction_over_two_golds_takes_the_larger_overlap():
    gold = [rec(0, 4), rec(5, 10)]
    pred = [rec(2, 8)]  # overlaps gold 0 by 2 characters, gold 1 by 3
    assert match_overlap(gold, pred) == [(1, 0)]
    s = score(gold, pred, bootstrap=0)
    assert s.mention == pytest.approx((1.0, 0.5, 2 / 3))
    assert s.counts["missed"] == 1 and s.counts["spurious"] == 0


def test_two_predictions_on_one_gold_leave_one_spurious():
    gold = [rec(0, 10)]
    pred = [rec(0, 3), rec(4, 10)]  # overlaps 3 and 6
    assert match_overlap(gold, pred) == [(0, 1)]
    s = score(gold, pred, bootstrap=0)
    assert s.mention == pytest.approx((0.5, 1.0, 2 / 3))
    assert [e.type for e in s.errors] == ["spurious"]
    assert (s.errors[0].start, s.errors[0].end) == (0, 3)


def test_tie_break_smaller_start_distance_then_gold_then_prediction_order():
    # Same overlap (2): the prediction starting where the gold starts wins.
    assert match_overlap([rec(0, 4)], [rec(2, 6), rec(0, 2)]) == [(0, 1)]
    # Same overlap and distances on both sides: earlier gold record.
    assert match_overlap([rec(0, 6), rec(6, 12)], [rec(3, 9)]) == [(0, 0)]
    # Identical predictions: earlier prediction.
    assert match_overlap([rec(0, 4)], [rec(0, 4), rec(0, 4)]) == [(0, 0)]


def test_greedy_is_one_to_one():
    gold = [rec(0, 4), rec(4, 8)]
    pred = [rec(0, 8)]
    assert len(match_overlap(gold, pred)) == 1


@pytest.mark.parametrize("pred_value, correct", [
    (1426 * (1 + 1e-7), True), (1426 * (1 - 5e-7), True), (1426 * (1 + 1e-5), False), (1425, False),
])
def test_value_relative_tolerance(pred_value, correct):
    s = score([rec(0, 5, value=1426)], [rec(0, 5, value=pred_value)], bootstrap=0)
    assert s.value == ((1.0, 1.0, 1.0) if correct else (0.0, 0.0, 0.0))
    assert s.mention == (1.0, 1.0, 1.0)


def test_zero_equals_zero():
    assert score([rec(0, 1, value=0)], [rec(0, 1, value=0.0)], bootstrap=0).value.f1 == 1.0


@pytest.mark.parametrize("gold_kw, pred_kw, correct", [
    (dict(denominator=63), dict(denominator=63), True),
    (dict(denominator=63), dict(denominator=64), False),
    (dict(denominator=63), dict(), False),  # null only equals null
    (dict(), dict(denominator=63), False),
    (dict(value_max=7), dict(value_max=7.0000001), True),
    (dict(value_max=7), dict(value_max=8), False),
    (dict(value_max=7), dict(), False),
])
def test_denominator_and_value_max_must_match(gold_kw, pred_kw, correct):
    s = score([rec(0, 5, "ratio", 47, **gold_kw)], [rec(0, 5, "ratio", 47, **pred_kw)], bootstrap=0)
    assert (s.value.f1 == 1.0) is correct
    assert s.counts["wrong_value"] == (0 if correct else 1)


def test_document_without_gold_counts_its_predictions_as_spurious():
    gold = [rec(0, 4, doc="a")]
    pred = [rec(0, 4, doc="a"), rec(0, 4, doc="empty"), rec(5, 9, doc="empty")]
    s = score(gold, pred, doc_ids={"a", "empty"}, bootstrap=0)
    assert s.mention == pytest.approx((1 / 3, 1.0, 0.5))
    assert s.counts["spurious"] == 2 and s.counts["docs"] == 2


def test_predictions_for_unevaluated_documents_are_ignored():
    gold = [rec(0, 4, doc="a")]
    pred = [rec(0, 4, doc="a"), rec(0, 4, doc="other")]
    s = score(gold, pred, bootstrap=0)  # evaluated = gold docs = {"a"}
    assert s.mention == (1.0, 1.0, 1.0)
    assert s.counts["ignored_predictions"] == 1 and s.counts["predicted"] == 1


def test_empty_document_without_predictions_changes_nothing():
    gold = [rec(0, 4, doc="a")]
    pred = [rec(0, 4, doc="a", value=2)]
    plain = score(gold, pred, bootstrap=0)
    with_empty = score(gold, pred, doc_ids={"a", "empty"}, bootstrap=0)
    assert plain.to_json() == {**with_empty.to_json(), "counts": {**with_empty.counts, "docs": 1}}


def test_nothing_to_find_and_nothing_found_is_perfect():
    s = score([], [], doc_ids={"empty"}, bootstrap=0)
    assert s.mention == (1.0, 1.0, 1.0)
    assert s.attr_acc["kind"] is None


def test_per_kind_precision_by_predicted_kind_recall_by_gold_kind():
    gold = [rec(0, 4, "count", 5), rec(10, 14, "percent", 80)]
    pred = [rec(0, 4, "percent", 5), rec(10, 14, "percent", 80), rec(20, 24, "money", 9)]
    s = score(gold, pred, bootstrap=0)
    count, percent, money = s.per_kind["count"], s.per_kind["percent"], s.per_kind["money"]
    assert (count["n_gold"], count["n_pred"]) == (1, 0)
    assert count["mention"] == (0.0, 1.0, 0.0)  # found (recall 1), but no prediction of kind count
    assert (percent["n_gold"], percent["n_pred"]) == (1, 2)
    assert percent["mention"] == pytest.approx((1.0, 1.0, 1.0))
    assert money["mention"] == (0.0, 0.0, 0.0)
    assert set(s.per_kind) == {"count", "percent", "money"}
    assert s.attr_acc["kind"] == 0.5


def test_attribute_accuracy_on_matched_pairs_only():
    gold = [rec(0, 4, unit="%", qualifier="gt"), rec(10, 14, unit="VND", modality="target"), rec(20, 24)]
    pred = [rec(0, 4, unit="%", qualifier="eq"), rec(10, 14, unit="USD", modality="target", change="increase")]
    acc = score(gold, pred, bootstrap=0).attr_acc
    assert acc["unit"] == 0.5 and acc["qualifier"] == 0.5 and acc["change"] == 0.5
    assert acc["modality"] == 1.0 and acc["kind"] == 1.0


def test_subject_token_f1():
    assert token_f1("hộ gia đình", "Gia đình") == pytest.approx(0.8)
    assert token_f1(None, None) == 1.0
    assert token_f1("người", None) == 0.0
    assert token_f1("tổ công nghệ", "sản phẩm") == 0.0
    gold = [rec(0, 4, subject="hộ gia đình"), rec(10, 14, subject=None)]
    pred = [rec(0, 4, subject="gia đình"), rec(10, 14, subject=None)]
    assert score(gold, pred, bootstrap=0).attr_acc["subject_f1"] == pytest.approx(0.9)


def many_docs():
    gold, pred = [], []
    for i in range(20):
        doc = f"d{i}"
        gold += [rec(0, 4, doc=doc), rec(10, 14, doc=doc, value=2)]
        pred += [rec(0, 4, doc=doc, value=1 if i % 3 else 9)]
        if i % 4 == 0:
            pred.append(rec(20, 24, doc=doc))
    return gold, pred


def test_bootstrap_is_deterministic_with_seed_and_contains_the_point_estimate():
    gold, pred = many_docs()
    a = score(gold, pred, bootstrap=300, seed=7)
    b = score(gold, pred, bootstrap=300, seed=7)
    c = score(gold, pred, bootstrap=300, seed=8)
    assert a.ci == b.ci
    assert a.ci != c.ci
    for metric in ("mention", "mention_exact", "value"):
        for i, part in enumerate(("p", "r", "f1")):
            low, high = a.ci[f"{metric}_{part}"]
            assert low <= getattr(a, metric)[i] <= high
    low, high = a.ci["value_f1"]
    assert low < high  # documents differ, so the interval has a width


def test_no_bootstrap_gives_no_interval():
    gold, pred = many_docs()
    assert score(gold, pred, bootstrap=0).ci == {}


def test_to_json_has_the_contract_keys():
    gold, pred = many_docs()
    data = score(gold, pred, bootstrap=50).to_json()
    assert {"mention", "mention_exact", "value", "attr_acc", "per_kind", "ci", "counts"} <= set(data)
    assert len(data["value"]) == 3 and "subject_f1" in data["attr_acc"]
    assert set(data["per_kind"]["count"]) >= {"mention", "value", "n_gold", "n_pred"}
    json.dumps(data)  # serializable


def test_format_table_shows_the_numbers():
    gold, pred = many_docs()
    s = score(gold, pred, bootstrap=50)
    table = s.format_table()
    assert f"{s.value.f1:.3f}" in table and "count" in table and "subject_f1" in table


TEXT = "Tỉnh có 1.426 tổ công nghệ. Tỷ lệ đạt 80% năm nay! Doanh thu 40 tỷ đồng."


def trec(fragment, kind="count", value=1.0, **kw):
    start = TEXT.index(fragment)
    return Record(doc_id="t", start=start, end=start + len(fragment), text=fragment, kind=kind, value=value, **kw)


def test_errors_list_missed_spurious_wrong_value_with_sentence():
    gold = [trec("1.426", value=1426), trec("80%", "percent", 80, unit="%"), trec("40 tỷ đồng", "money", 4e10)]
    pred = [trec("1.426", value=1426), trec("80%", "percent", 8, unit="%"), trec("Tỉnh")]
    s = score(gold, pred, texts={"t": TEXT}, bootstrap=0)
    by_type = {e.type: e for e in s.errors}
    assert set(by_type) == {"missed", "spurious", "wrong_value"}
    assert by_type["missed"].sentence == "Doanh thu 40 tỷ đồng."
    assert by_type["wrong_value"].sentence == "Tỷ lệ đạt 80% năm nay!"
    assert by_type["spurious"].sentence == "Tỉnh có 1.426 tổ công nghệ."  # "1.426" is not a sentence end
    listing = s.format_errors()
    assert "MISSED" in listing and "SPURIOUS" in listing and "WRONG_VALUE" in listing and "percent 8 %" in listing


def test_sentence_is_cut_when_it_has_no_end():
    text = "a " * 500 + "42" + " b" * 500
    sentence = sentence_around(text, 1000, 1002, limit=50)
    assert "42" in sentence and sentence.startswith("…") and sentence.endswith("…") and len(sentence) < 110


def write_jsonl(path, records):
    path.write_text("".join(json.dumps(r.to_dict(), ensure_ascii=False) + "\n" for r in records), encoding="utf-8")


def test_cli_score_json_and_errors(tmp_path, capsys):
    gold_dir = tmp_path / "gold"
    gold_dir.mkdir()
    (tmp_path / "corpus").mkdir()
    (tmp_path / "corpus" / "t.txt").write_text(TEXT, encoding="utf-8")
    write_jsonl(gold_dir / "t.jsonl", [trec("1.426", value=1426), trec("80%", "percent", 80, unit="%")])
    write_jsonl(tmp_path / "pred.jsonl", [trec("1.426", value=1426)])
    assert main(["score", str(gold_dir), str(tmp_path / "pred.jsonl"), "--corpus", str(tmp_path / "corpus"),
                 "--json", "--errors", "--bootstrap", "20"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["mention"] == [1.0, 0.5, pytest.approx(2 / 3)]
    assert data["errors"][0]["type"] == "missed" and data["errors"][0]["sentence"] == "Tỷ lệ đạt 80% năm nay!"
    assert main(["score", str(gold_dir), str(tmp_path / "pred.jsonl"), "--bootstrap", "0"]) == 0
    assert "value (headline)" in capsys.readouterr().out


def test_cli_score_reports_bad_gold(tmp_path, capsys):
    (tmp_path / "g").mkdir()
    (tmp_path / "g" / "t.jsonl").write_text("{not json\n", encoding="utf-8")
    (tmp_path / "p.jsonl").write_text("", encoding="utf-8")
    assert main(["score", str(tmp_path / "g"), str(tmp_path / "p.jsonl")]) == 1
    assert "t.jsonl:1: not valid JSON" in capsys.readouterr().err


span = st.tuples(st.integers(0, 60), st.integers(1, 8)).map(lambda t: (t[0], t[0] + t[1]))


@settings(max_examples=150, deadline=None)
@given(st.lists(span, max_size=8), st.lists(span, max_size=8))
def test_matching_is_one_to_one_overlapping_and_maximal(gold_spans, pred_spans):
    gold = [rec(s, e) for s, e in gold_spans]
    pred = [rec(s, e) for s, e in pred_spans]
    pairs = match_overlap(gold, pred)
    assert len({g for g, _ in pairs}) == len({p for _, p in pairs}) == len(pairs)
    assert all(overlap(gold[g], pred[p]) > 0 for g, p in pairs)
    free_gold = set(range(len(gold))) - {g for g, _ in pairs}
    free_pred = set(range(len(pred))) - {p for _, p in pairs}
    assert not any(overlap(gold[g], pred[p]) for g in free_gold for p in free_pred)
    s = score(gold, pred, bootstrap=0)
    assert s.counts["matched"] == len(pairs)
    assert 0.0 <= s.mention_exact.f1 <= s.mention.f1 <= 1.0


RULE_TEXT = "Tỉnh có 1.426 tổ công nghệ số từ năm 2023. Liên hệ 0912 345 678."


def rrec(fragment, kind="count", value=1.0, **kw):
    start = RULE_TEXT.index(fragment)
    return Record(doc_id="r", start=start, end=start + len(fragment), text=fragment, kind=kind, value=value, **kw)


def rule_scores(texts=None):
    from pipeline.error_rules import assign_rules

    gold = [rrec("1.426", value=1426), rrec("2023", value=2023), rrec("Tỉnh")]
    pred = [rrec("1.426", value=1400, rules=["cand.digits", "subj.noun_after"]),
            rrec("0912", value=912, rules=["cand.digits"]), rrec("678", value=678)]
    s = score(gold, pred, texts=texts if texts is not None else {"r": RULE_TEXT}, bootstrap=0)
    assign_rules(s.errors, texts if texts is not None else {"r": RULE_TEXT})
    return s


def test_errors_are_owed_to_a_rule():
    from pipeline.error_rules import KEPT_LABEL, NO_RULES_LABEL, NO_TEXT_LABEL, NOT_READ_LABEL

    rules = {(e.type, e.text): e.rule for e in rule_scores().errors}
    assert rules == {
        ("wrong_value", "1.426"): "cand.digits",       # the prediction's candidate rule
        ("missed", "2023"): "excl.label.always",       # the exclusion that dropped the gold number
        ("missed", "Tỉnh"): NOT_READ_LABEL,            # no number there for any rule
        ("spurious", "0912"): "cand.digits",
        ("spurious", "678"): NO_RULES_LABEL,           # a prediction without rule ids
    }
    assert {e.rule for e in rule_scores(texts={}).errors if e.type == "missed"} == {NO_TEXT_LABEL}
    assert KEPT_LABEL.startswith("(")


def test_error_listing_and_json_group_by_rule():
    from pipeline.error_rules import counts_by_rule, format_by_rule

    s = rule_scores()
    listing = format_by_rule(s.errors)
    assert listing.startswith("== cand.digits: 2 errors (1 spurious, 1 wrong value)\n")
    assert "== excl.label.always: 1 error (1 missed)\nMISSED      r [" in listing
    assert "    rules cand.digits subj.noun_after" in listing
    assert counts_by_rule(s.errors)["cand.digits"] == {"missed": 0, "spurious": 1, "wrong_value": 1, "total": 2}
    assert [e.to_json()["rule"] for e in s.errors if e.text == "2023"] == ["excl.label.always"]


def test_cli_errors_by_rule_explain_missed_numbers_under_the_rules_overlay(tmp_path, capsys):
    (tmp_path / "gold").mkdir()
    (tmp_path / "corpus").mkdir()
    (tmp_path / "corpus" / "r.txt").write_text(RULE_TEXT, encoding="utf-8")
    write_jsonl(tmp_path / "gold" / "r.jsonl", [rrec("1.426", value=1426)])
    write_jsonl(tmp_path / "pred.jsonl", [])
    rules = tmp_path / "my-rules"
    rules.mkdir()
    (rules / "exclusions.yaml").write_text("label_always:\n  calendar: [có]\n", encoding="utf-8")
    base = ["score", str(tmp_path / "gold"), str(tmp_path / "pred.jsonl"), "--corpus", str(tmp_path / "corpus"),
            "--errors", "--bootstrap", "0", "--json"]
    assert main(base) == 0
    assert json.loads(capsys.readouterr().out)["errors_by_rule"] == {
        "(a mention when explained now)": {"missed": 1, "spurious": 0, "wrong_value": 0, "total": 1}}
    assert main([*base, "--rules", str(rules)]) == 0
    assert list(json.loads(capsys.readouterr().out)["errors_by_rule"]) == ["excl.label.always"]
    assert main([*base[:-1], "--errors-by", "document"]) == 0
    assert "== r\nMISSED" in capsys.readouterr().out


def test_cli_score_without_a_document_in_common_says_so(tmp_path, capsys):
    gold_dir = tmp_path / "gold"
    gold_dir.mkdir()
    write_jsonl(gold_dir / "t.jsonl", [trec("1.426", value=1426)])
    other = trec("1.426", value=1426)
    other.doc_id = "article-1"  # the ids of another corpus: nothing can match
    write_jsonl(tmp_path / "pred.jsonl", [other])
    for command in ("score", "report"):
        args = [command, str(gold_dir), str(tmp_path / "pred.jsonl"), "--bootstrap", "0"]
        if command == "report":
            (tmp_path / "corpus").mkdir(exist_ok=True)
            (tmp_path / "corpus" / "t.txt").write_text(TEXT, encoding="utf-8")
            args += ["--corpus", str(tmp_path / "corpus"), "-o", str(tmp_path / "r.html")]
        assert main(args) == 1
        captured = capsys.readouterr()
        assert captured.out == ""
        assert f"chiso {command}: no document in common: GOLD has 1 document(s) (t)" in captured.err
        assert "PRED has 1 document(s) (article-1)" in captured.err
    assert not (tmp_path / "r.html").exists()


def test_cli_score_warns_about_empty_predictions(tmp_path, capsys):
    gold_dir = tmp_path / "gold"
    gold_dir.mkdir()
    write_jsonl(gold_dir / "t.jsonl", [trec("1.426", value=1426)])
    (tmp_path / "pred.jsonl").write_text("", encoding="utf-8")
    assert main(["score", str(gold_dir), str(tmp_path / "pred.jsonl"), "--bootstrap", "0"]) == 0
    assert "holds no record: every gold mention counts as missed" in capsys.readouterr().err


def test_cli_score_refuses_a_directory_without_record_files(tmp_path, capsys):
    gold_dir = tmp_path / "gold"
    gold_dir.mkdir()
    write_jsonl(gold_dir / "t.jsonl", [trec("1.426", value=1426)])
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "part-00000.parquet").write_bytes(b"")  # parts without the manifest of a batch run
    assert main(["score", str(gold_dir), str(tmp_path / "out"), "--bootstrap", "0"]) == 1
    assert "out: no record files here" in capsys.readouterr().err


def keyless(record):
    """A gold record as read from a file written before v1.2: no period or place key."""
    data = record.to_dict(provenance=False)
    del data["period"], data["place"]
    return Record.from_dict(data)


def test_period_and_place_accuracy_count_only_pairs_whose_gold_has_the_key():
    gold = [keyless(rec(0, 4)),                                                  # no key: not counted
            Record.from_dict({**rec(10, 14).to_dict(), "period": "2023-09", "place": "Huế"}),
            Record.from_dict({**rec(20, 24).to_dict(), "period": None, "place": None})]  # null is a value
    pred = [rec(0, 4, period="2020", place="Hà Nội"), rec(10, 14, period="2023-09", place="Hà Nội"),
            rec(20, 24, period="2023")]
    s = score(gold, pred, bootstrap=0)
    assert s.attr_acc["period"] == 0.5 and s.attr_acc["place"] == 0.5
    assert s.counts["period_pairs"] == s.counts["place_pairs"] == 2
    assert "period accuracy" in s.format_table() and "on 2 pairs with gold period" in s.format_table()


def test_gold_without_period_or_place_keys_scores_them_as_not_applicable():
    gold = [keyless(rec(0, 4)), keyless(rec(10, 14))]
    s = score(gold, [rec(0, 4, period="2023"), rec(10, 14)], bootstrap=0)
    assert s.attr_acc["period"] is None and s.attr_acc["place"] is None
    assert s.counts["period_pairs"] == 0
    assert s.attr_acc["kind"] == 1.0
    assert "period" not in s.format_table()  # the table of older gold is unchanged


def test_cli_score_json_reports_period_accuracy_from_gold_files(tmp_path, capsys):
    gold_dir = tmp_path / "gold"
    gold_dir.mkdir()
    first, second = trec("1.426", value=1426), trec("80%", "percent", 80, unit="%")
    lines = [{**first.to_dict(provenance=False), "period": "2023"}, keyless(second).to_dict(provenance=False)]
    (gold_dir / "t.jsonl").write_text("".join(json.dumps(x) + "\n" for x in lines), encoding="utf-8")
    first.period, second.period = "2022", "2024"
    write_jsonl(tmp_path / "pred.jsonl", [first, second])
    assert main(["score", str(gold_dir), str(tmp_path / "pred.jsonl"), "--json", "--bootstrap", "0"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["attr_acc"]["period"] == 0.0 and data["counts"]["period_pairs"] == 1
    assert data["attr_acc"]["place"] == 1.0 and data["counts"]["place_pairs"] == 1  # gold place null = pred null
