"""Agreement between two annotations: the scorer both ways, field agreement, Cohen's kappa."""
import json
import subprocess

import pytest

from conftest import ROOT

from pipeline.agree import AGREEMENT_FIELDS, KAPPA_FIELDS, agree, cohen_kappa
from pipeline.cli import main
from pipeline.records import Record


def rec(start, end, kind="count", value=1.0, doc="d", **kw):
    return Record(doc_id=doc, start=start, end=end, text="x" * (end - start), kind=kind, value=value, **kw)


A = [rec(0, 4, "count", 5, subject="người"), rec(10, 14, "percent", 80, unit="%", qualifier="gt"),
     rec(20, 24, "money", 9, unit="VND", modality="target", change="increase", doc="e")]


def test_identical_annotations_agree_fully():
    result = agree(A, list(A), {"d", "e"}, {"d", "e"}, bootstrap=50)
    assert result.a_vs_b.mention == result.b_vs_a.mention == (1.0, 1.0, 1.0)
    assert result.a_vs_b.value.f1 == 1.0
    assert all(result.field_agreement[f] == 1.0 for f in AGREEMENT_FIELDS)
    assert all(result.kappa[f] == 1.0 for f in KAPPA_FIELDS)
    assert result.n_pairs == 3


def test_disagreements_show_in_both_directions_and_fields():
    b = [rec(0, 4, "count", 5, subject="người"), rec(11, 14, "ratio", 80, unit="%", qualifier="gt")]
    result = agree(A, b, {"d", "e"}, {"d"}, bootstrap=0)
    assert result.a_vs_b.mention.r == pytest.approx(2 / 3) and result.a_vs_b.mention.p == 1.0
    assert result.b_vs_a.mention.p == pytest.approx(2 / 3) and result.b_vs_a.mention.r == 1.0
    assert result.field_agreement["kind"] == 0.5 and result.field_agreement["span"] == 0.5
    assert result.field_agreement["value"] == 1.0
    assert result.kappa["kind"] < 1.0
    assert result.only_in_a == ["e"] and result.only_in_b == []
    assert "kappa" in result.format_table()


def test_cohen_kappa_hand_computed():
    # observed 0.75; expected 0.5*0.25 + 0.5*0.75 = 0.5 -> kappa 0.5
    assert cohen_kappa(["x", "x", "y", "y"], ["x", "y", "y", "y"]) == pytest.approx(0.5)
    assert cohen_kappa([], []) is None
    assert cohen_kappa([None, None], [None, None]) == 1.0
    assert cohen_kappa(["x", "y"], ["y", "x"]) == pytest.approx(-1.0)


def test_cli_agree_json(tmp_path, capsys):
    for name in ("a", "b"):
        (tmp_path / name).mkdir()
        for doc in ("d", "e"):
            lines = [json.dumps(r.to_dict()) for r in A if r.doc_id == doc]
            (tmp_path / name / f"{doc}.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert main(["agree", str(tmp_path / "a"), str(tmp_path / "b"), "--json", "--bootstrap", "10"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["a_vs_b"]["value"] == [1.0, 1.0, 1.0]
    assert data["kappa"] == {f: 1.0 for f in KAPPA_FIELDS}


def _gold_dir(path, records):
    path.mkdir()
    for doc in sorted({r.doc_id for r in records}):
        lines = [json.dumps(r.to_dict()) for r in records if r.doc_id == doc]
        (path / f"{doc}.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")


def test_cli_agree_without_a_document_in_common_says_so(tmp_path, capsys):
    _gold_dir(tmp_path / "a", A)
    _gold_dir(tmp_path / "b", [rec(0, 4, doc="x")])
    assert main(["agree", str(tmp_path / "a"), str(tmp_path / "b"), "--bootstrap", "0"]) == 1
    captured = capsys.readouterr()
    assert captured.out == "" and "chiso agree: no document in common: A has 2 document(s) (d, e)" in captured.err


def test_cli_agree_into_a_closed_pipe_exits_quietly(tmp_path):
    """`chiso agree A B | head`: the reader goes away; no traceback, no 'Exception ignored' line."""
    chiso = ROOT / ".venv" / "bin" / "chiso"
    if not chiso.exists():
        pytest.skip("no .venv/bin/chiso")
    _gold_dir(tmp_path / "a", A)
    process = subprocess.Popen([str(chiso), "agree", str(tmp_path / "a"), str(tmp_path / "a"), "--bootstrap", "0"],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    process.stdout.close()  # before the command has printed anything (it is still importing)
    err = process.stderr.read().decode()
    assert process.wait(timeout=120) == 0
    assert err == ""


def test_cli_agree_with_a_batch_output_as_one_side(tmp_path, capsys):
    from conftest import CORPUS, GOLD

    if not any(GOLD.glob("*.jsonl")):
        pytest.skip("no gold annotations")
    out = tmp_path / "batch"
    assert main(["extract", str(CORPUS), "-o", f"{out}/", "-q", "--no-progress"]) == 0
    assert main(["agree", str(GOLD), str(out), "--json", "--bootstrap", "0"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["a_vs_b"]["counts"]["docs"] == 5 and data["a_vs_b"]["counts"]["matched"] > 100


def test_period_and_place_agree_only_where_both_annotations_carry_the_key():
    def keyless(record):
        data = record.to_dict(provenance=False)
        data.pop("period", None), data.pop("place", None)
        return Record.from_dict(data)

    a = [rec(0, 4, period="2023"), rec(10, 14, period="2023"), keyless(rec(20, 24))]
    b = [rec(0, 4, period="2023"), rec(10, 14, period="2022"), rec(20, 24, period="2020")]
    result = agree(a, b, {"d"}, {"d"}, bootstrap=0)
    assert result.field_agreement["period"] == 0.5 and result.field_agreement["place"] == 1.0
    old = agree([keyless(r) for r in a], b, {"d"}, {"d"}, bootstrap=0)
    assert old.field_agreement["period"] is None
    assert "period" not in old.format_table().split("== field agreement")[1]  # no row (B as gold scores it)
