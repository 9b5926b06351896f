"""`chiso extract`: outputs, summary, exit codes, help, and the hand-off to the batch engine."""
from __future__ import annotations

import json
import shutil
import subprocess
import types
from pathlib import Path

import pytest

import extractors
from conftest import CORPUS, ROOT
from pipeline.cli import build_parser, main
from pipeline.writers import read_records

HAS_EXTRACTOR = hasattr(extractors, "extract_mentions")


@pytest.fixture
def mixed_dir(tmp_path):
    """Two seeds, a JSON Lines file, and one undecodable file."""
    d = tmp_path / "mixed"
    d.mkdir()
    for path in sorted(CORPUS.glob("*.txt"))[:2]:
        shutil.copy(path, d / path.name)
    (d / "more.jsonl").write_text(json.dumps({"id": "j1", "text": "Có 1.426 Tổ công nghệ số cộng đồng."},
                                             ensure_ascii=False) + "\n", encoding="utf-8")
    (d / "broken.txt").write_bytes(b"Gi\xe1 v\xe0ng")
    return d


@pytest.mark.parametrize("name", ["out.jsonl", "out.csv", "out.parquet"])
def test_extract_corpus_to_file(tmp_path, capsys, name):
    out = tmp_path / name
    assert main(["extract", str(CORPUS), "-o", str(out), "--no-progress"]) == 0
    err = capsys.readouterr().err
    records = read_records(out)
    assert records and {r.doc_id for r in records} == {p.stem for p in CORPUS.glob("*.txt")}
    assert "5 documents read" in err and f"{len(records)} records written" in err and "0 skipped" in err


def test_mixed_dir_with_a_broken_file(mixed_dir, tmp_path, capsys):
    out = tmp_path / "r.jsonl"
    assert main(["extract", str(mixed_dir), "-o", str(out)]) == 0
    err = capsys.readouterr().err
    assert f"chiso: skipped {mixed_dir / 'broken.txt'}: not valid UTF-8 at byte 2" in err
    assert "3 documents read" in err and f"1 skipped ({mixed_dir / 'broken.txt'};" in err
    assert {r.doc_id for r in read_records(out)} >= {"j1"}


def test_every_input_failing_exits_1(tmp_path, capsys):
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"\xff")
    assert main(["extract", str(bad), str(tmp_path / "missing.txt"), "-o", str(tmp_path / "r.jsonl")]) == 1
    assert "2 skipped" in capsys.readouterr().err


def test_usage_errors_exit_2(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["extract"])
    assert exc.value.code == 2
    with pytest.raises(SystemExit) as exc:
        main(["extract", str(CORPUS), "--workers", "0"])
    assert exc.value.code == 2


def test_stdout_output_is_json_lines(capsys):
    assert main(["extract", str(CORPUS / "000_a8f219603fd09c33.txt"), "--quiet"]) == 0
    captured = capsys.readouterr()
    lines = captured.out.splitlines()
    assert lines and all(json.loads(line)["doc_id"] == "000_a8f219603fd09c33" for line in lines)
    assert captured.err == ""


def test_no_clean_sees_the_furniture(tmp_path, monkeypatch):
    seen = []
    monkeypatch.setattr(extractors, "extract_mentions", lambda text, body: seen.append(body) or [], raising=False)
    path = CORPUS / "004_edae7597b576cb27.txt"
    main(["extract", str(path), "--no-clean", "-q", "-o", str(tmp_path / "a.jsonl")])
    main(["extract", str(path), "-q", "-o", str(tmp_path / "b.jsonl")])
    assert seen[0] == [(0, len(path.read_text(encoding="utf-8")))]
    assert seen[1] != seen[0]


def test_help_mentions_every_option():
    parser = build_parser()
    sub = next(a for a in parser._actions if a.dest == "command").choices["extract"]
    text = sub.format_help()
    for option in ("-o", "--output", "--no-clean", "--quiet", "--progress", "--no-progress", "--workers",
                   "--engine", "--scheduler", "--format", "examples:", "chiso extract"):
        assert option in text, option


def test_directory_output_goes_to_the_batch_engine(tmp_path, monkeypatch, capsys):
    calls = []

    def fake_run_batch(inputs, out_dir, **kw):
        calls.append((inputs, out_dir, kw))
        kw["errors"].skip("x.jsonl:3", "bad JSON")
        return types.SimpleNamespace(documents=4, describe=lambda: "batch summary")

    import pipeline.batch

    monkeypatch.setattr(pipeline.batch, "run_batch", fake_run_batch)
    out = tmp_path / "parts"
    assert main(["extract", str(CORPUS), "-o", f"{out}/", "--format", "jsonl", "--no-progress"]) == 0
    assert main(["extract", str(CORPUS), "-o", str(tmp_path), "--workers", "3", "--engine", "dask",
                 "--scheduler", "tcp://127.0.0.1:8786", "--no-clean"]) == 0
    (inputs, out_dir, kw), (_, out_dir2, kw2) = calls
    assert inputs == [str(CORPUS)] and out_dir == Path(f"{out}/")
    assert kw["fmt"] == "jsonl" and kw["workers"] == 1 and kw["engine"] == "local" and kw["progress"] is False
    assert kw2["workers"] == 3 and kw2["engine"] == "dask" and kw2["scheduler"] == "tcp://127.0.0.1:8786"
    assert kw2["clean"] is False and out_dir2 == tmp_path
    assert "batch summary" in capsys.readouterr().err


@pytest.mark.skipif(not HAS_EXTRACTOR, reason="extractors.extract_mentions not written yet")
def test_console_script_reads_stdin(tmp_path):
    chiso = ROOT / ".venv" / "bin" / "chiso"
    if not chiso.exists():
        pytest.skip("no .venv/bin/chiso")
    text = "Đắk Lắk đã thành lập 1.426 Tổ công nghệ số cộng đồng."
    done = subprocess.run([str(chiso), "extract", "-", "-o", "-"], input=text.encode("utf-8"),
                          capture_output=True, timeout=120)
    assert done.returncode == 0, done.stderr.decode()
    records = [json.loads(line) for line in done.stdout.decode("utf-8").splitlines()]
    assert any(r["text"] == "1.426" and r["doc_id"] == "stdin" for r in records)
    assert "1 documents read" in done.stderr.decode()


def test_batch_options_need_a_regular_output(tmp_path, capsys):
    import os

    os.mkfifo(tmp_path / "pipe")
    assert main(["extract", str(CORPUS), "--workers", "2"]) == 2
    assert main(["extract", str(CORPUS), "--engine", "dask", "-o", str(tmp_path / "pipe")]) == 2
    assert main(["extract", str(CORPUS), "--workers", "2", "-o", str(tmp_path / "r.xlsx")]) == 2
    err = capsys.readouterr().err.splitlines()
    assert "cannot write to stdout" in err[0] and "give an output file (-o records.jsonl) or directory" in err[0]
    assert "is not a regular file" in err[1] and "unknown output format '.xlsx'" in err[2]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pipe"]


def _seed_lines(path: Path, copies: int) -> Path:
    """A JSON Lines file of the seed articles, `copies` times over with distinct ids."""
    seeds = sorted(CORPUS.glob("*.txt"))
    with open(path, "w", encoding="utf-8") as fh:
        for i in range(copies):
            for seed in seeds:
                fh.write(json.dumps({"id": f"{seed.stem}-{i}", "url": f"https://x.vn/{i}",
                                     "text": seed.read_text(encoding="utf-8")}, ensure_ascii=False) + "\n")
    return path


@pytest.mark.skipif(not HAS_EXTRACTOR, reason="extractors.extract_mentions not written yet")
def test_workers_into_one_file_write_what_one_process_writes(tmp_path, capsys):
    src = _seed_lines(tmp_path / "big.jsonl", 24)  # 120 documents: shards of 50, so three parts
    one, two = tmp_path / "one.jsonl", tmp_path / "two.jsonl"
    assert main(["extract", str(src), "-o", str(one), "-q"]) == 0
    assert main(["extract", str(src), "-o", str(two), "--workers", "2", "--no-progress"]) == 0
    assert two.read_bytes() == one.read_bytes() and one.stat().st_size > 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["big.jsonl", "one.jsonl", "two.jsonl"]  # no work dir
    err = capsys.readouterr().err
    assert f"120 documents read, {len(one.read_text().splitlines())} records written to {two}, 0 skipped" in err


def _label_rules(tmp_path) -> Path:
    """A researcher's rules directory in which "có" is a calendar word (a number after it is a label)."""
    d = tmp_path / "my-rules"
    d.mkdir()
    (d / "exclusions.yaml").write_text("label_always:\n  calendar: [có]\n", encoding="utf-8")
    return d


@pytest.mark.parametrize("batch", [False, True])
def test_rules_option_lays_a_directory_over_the_rules(tmp_path, capsys, batch):
    src = tmp_path / "a.txt"
    src.write_text("Xã có 7 thôn và 1.200 hộ dân sinh sống ổn định trên địa bàn từ nhiều năm nay.", encoding="utf-8")

    def extracted(name: str, *extra: str) -> list[str]:
        out = tmp_path / name
        options = ["--workers", "2"] if batch else []
        target = f"{out}/" if batch else str(out)   # a directory: -o FILE with --workers writes one file
        assert main(["extract", str(src), "-o", target, "--no-progress", *options, *extra]) == 0
        parts = sorted(out.glob("part-*")) if batch else [out]
        return [r.text for part in parts for r in read_records(part)]

    assert extracted("plain/" if batch else "plain.jsonl") == ["7", "1.200"]
    rules = str(_label_rules(tmp_path))
    assert extracted("mine/" if batch else "mine.jsonl", "--rules", rules) == ["1.200"]


@pytest.mark.parametrize("command", [["extract", "-o", "-"], ["extract", "-o", "out/", "--workers", "2"],
                                     ["run", "--corpus"]])
def test_a_bad_rules_file_exits_2_before_reading(tmp_path, capsys, monkeypatch, command):
    bad = tmp_path / "bad-rules"
    bad.mkdir()
    (bad / "exclusions.yaml").write_text("label_always: 3\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    args = [*command, str(CORPUS)] if command[0] == "run" else [command[0], str(CORPUS), *command[1:]]
    if command[0] == "run":
        args += ["--out", str(tmp_path / "run-out")]
    assert main([*args, "--rules", str(bad)]) == 2
    captured = capsys.readouterr()
    [line] = captured.err.splitlines()
    assert line.startswith(f"chiso: {bad / 'exclusions.yaml'}: R002") and "Traceback" not in captured.err
    assert captured.out == "" and not (tmp_path / "out").exists() and not (tmp_path / "run-out").exists()


@pytest.mark.parametrize("output", ["r.jsonl", "out/"])
def test_a_document_the_extractor_raises_on_is_reported_as_failed(tmp_path, capsys, monkeypatch, output):
    real = extractors.extract_mentions

    def fragile(text, body=None):
        if "hỏng" in text:
            raise RuntimeError("boom on purpose")
        return real(text, body)

    monkeypatch.setattr(extractors, "extract_mentions", fragile)
    src = tmp_path / "in.jsonl"
    src.write_text("".join(json.dumps({"id": i, "text": t}, ensure_ascii=False) + "\n" for i, t in
                           (("a", "Xã có 7 thôn."), ("b", "Bài hỏng có 6 người."), ("c", "Có 9 hộ."))),
                   encoding="utf-8")
    out = tmp_path / output
    assert main(["extract", str(src), "-o", f"{tmp_path}/{output}", "--no-progress"]) == 0
    err = capsys.readouterr().err
    assert "chiso: failed b: RuntimeError: boom on purpose\n" in err
    parts = sorted(out.glob("part-*")) if output.endswith("/") else [out]
    assert {r.doc_id for p in parts for r in read_records(p)} == {"a", "c"}
    if output.endswith("/"):
        assert "3 documents, 2 records, 0 skipped, 1 failed;" in err
    else:
        assert "3 documents read, 2 records written" in err and "0 skipped, 1 failed (b;" in err


def test_every_document_failing_exits_1_and_quiet_still_reports_failures(tmp_path, capsys, monkeypatch):
    def broken(text, body=None):
        raise KeyError("x")

    monkeypatch.setattr(extractors, "extract_mentions", broken)
    src = tmp_path / "a.txt"
    src.write_text("Có 9 hộ.", encoding="utf-8")
    assert main(["extract", str(src), "-o", str(tmp_path / "r.jsonl"), "-q"]) == 1
    assert capsys.readouterr().err == "chiso: failed a: KeyError: 'x'\n"


def test_version(capsys):
    import pipeline

    with pytest.raises(SystemExit) as exit_info:
        main(["--version"])
    assert exit_info.value.code == 0
    assert capsys.readouterr().out.strip() == f"chiso {pipeline.__version__}"


def test_a_broken_pipe_that_is_not_stdout_is_an_error(monkeypatch):
    """Only the end of `| head` exits quietly: a pipe to a worker breaking is not success."""
    import pipeline.commands.score as score_command

    def broken(args):
        raise BrokenPipeError("worker pipe")

    monkeypatch.setattr(score_command, "_run", broken)
    with pytest.raises(BrokenPipeError):
        main(["score", "gold", "pred.jsonl"])


def test_max_doc_bytes_skips_a_decompression_bomb(tmp_path, capsys):
    import gzip

    path = tmp_path / "bomb.jsonl.gz"
    lines = json.dumps({"id": "big", "text": "x" * 3_000_000}) + "\n" + json.dumps({"id": "ok", "text": "Có 3 xã."})
    path.write_bytes(gzip.compress(lines.encode()))
    out = tmp_path / "out.jsonl"
    assert main(["extract", str(path), "-o", str(out), "--no-progress", "--max-doc-bytes", "1MB"]) == 0
    err = capsys.readouterr().err
    assert f"chiso: skipped {path}:1: line larger than 1,000,000 bytes" in err
    assert "1 documents read" in err and "1 skipped" in err
    with pytest.raises(SystemExit):
        main(["extract", str(path), "--max-doc-bytes", "lots"])


def test_id_and_text_fields_of_a_table(tmp_path, capsys):
    import pandas as pd

    path = tmp_path / "articles.csv"
    pd.DataFrame({"ma": ["a1", "a2"], "noi_dung": ["Có 3 xã.", "Có 4 xã."]}).to_csv(path, index=False)
    out = tmp_path / "out.jsonl"
    assert main(["extract", str(path), "-o", str(out), "--no-progress", "--id-field", "ma",
                 "--text-field", "noi_dung"]) == 0
    assert "2 documents read" in capsys.readouterr().err
    assert main(["extract", str(path), "-o", str(out), "--no-progress"]) == 1  # no id/text column: nothing read
    assert "name them with --id-field / --text-field" in capsys.readouterr().err


def test_workers_into_one_file_when_every_input_fails(tmp_path, capsys):
    bad = tmp_path / "bad.jsonl"
    bad.write_text("{not json\n")
    out = tmp_path / "r.jsonl"
    assert main(["extract", str(bad), "-o", str(out), "--workers", "2", "-q"]) == 1
    assert capsys.readouterr().err == f"chiso extract: every input failed: {out} not written\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.jsonl"]


def test_a_full_disk_is_one_line_and_exit_1(capsys):
    assert main(["extract", str(CORPUS / "000_a8f219603fd09c33.txt"), "-o", "/dev/full", "-q"]) == 1
    err = capsys.readouterr().err
    assert err == "chiso extract: cannot write /dev/full: No space left on device\n"


def _surrogate_lines(path: Path) -> Path:
    """JSON Lines whose lines 1-4 hold a lone surrogate escape (in text, id, url, date); line 5 is clean."""
    lines = ['{"id": "a", "text": "Có 1.426 tổ \\ud800 và 12 xã."}', '{"id": "b\\ud800", "text": "Có 5 xã."}',
             '{"id": "c", "url": "http://x/\\udc00", "text": "Có 7 xã."}',
             '{"id": "d", "date": "2023\\ud800", "text": "Có 9 xã."}', '{"id": "e", "text": "Có 1.426 tổ."}']
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.mark.skipif(not HAS_EXTRACTOR, reason="extractors.extract_mentions not written yet")
@pytest.mark.parametrize("name", ["r.jsonl", "r.csv", "r.parquet"])
def test_lone_surrogates_skip_their_documents_and_the_rest_is_written(tmp_path, capsys, name):
    src = _surrogate_lines(tmp_path / "s.jsonl")
    out = tmp_path / name
    assert main(["extract", str(src), "-o", str(out), "--no-progress"]) == 0
    err = capsys.readouterr().err
    for line in (1, 2, 3, 4):
        assert f"chiso: skipped {src}:{line}: " in err and "lone surrogate" in err
    assert {r.doc_id for r in read_records(out)} == {"e"}


# Batch output that cannot be written: one line, no traceback.

def test_batch_output_naming_a_file_is_a_usage_error(tmp_path, capsys):
    (tmp_path / "d2").write_text("a file")
    assert main(["extract", str(CORPUS), "-o", f"{tmp_path / 'd2'}/", "-q"]) == 2
    d2 = tmp_path / "d2"
    assert capsys.readouterr().err == f"chiso extract: -o {d2}/: {d2} is a file, not a directory\n"


def test_batch_output_that_cannot_be_made_is_one_line(capsys):
    assert main(["extract", str(CORPUS), "-o", "/proc/chiso-no-such-dir/", "-q"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("chiso extract: cannot write the batch output /proc/chiso-no-such-dir/: ")
    assert err.count("\n") == 1 and "Traceback" not in err


@pytest.mark.parametrize("where, code", [("pipeline.batch.runner.write_json_atomic", "EROFS"),
                                         ("pipeline.batch.parts.PartWriter.commit", "ENOSPC")])
def test_read_only_or_full_disk_in_batch_is_one_line(tmp_path, capsys, monkeypatch, where, code):
    import errno
    import os

    def fail(*args, **kwargs):
        raise OSError(getattr(errno, code), os.strerror(getattr(errno, code)))

    monkeypatch.setattr(where, fail)
    assert main(["extract", str(CORPUS), "-o", f"{tmp_path / 'out'}/", "-q"]) == 1
    err = capsys.readouterr().err
    assert err == (f"chiso extract: cannot write the batch output {tmp_path / 'out'}/: "
                   f"{os.strerror(getattr(errno, code))} (finished parts are kept: rerun to resume)\n")


@pytest.mark.parametrize("name", ["r.jsonl", "r.parquet"])
def test_every_input_failing_leaves_no_file_and_keeps_an_old_one(tmp_path, capsys, name):
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"\xff")
    out = tmp_path / name
    assert main(["extract", str(bad), "-o", str(out), "-q"]) == 1
    assert not out.exists() and sorted(p.name for p in tmp_path.iterdir()) == ["bad.txt"]
    assert capsys.readouterr().err == f"chiso extract: every input failed: {out} not written\n"
    out.write_text("previous result\n")
    assert main(["extract", str(bad), "-o", str(out), "-q"]) == 1
    assert out.read_text() == "previous result\n"


def test_an_unknown_output_ending_is_a_usage_error(tmp_path, capsys):
    assert main(["extract", str(CORPUS), "-o", str(tmp_path / "r.xlsx")]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"chiso extract: -o {tmp_path / 'r.xlsx'}: unknown output format '.xlsx'; use .jsonl")
    assert list(tmp_path.iterdir()) == []


def test_csv_bom_option(tmp_path):
    out = tmp_path / "r.csv"
    assert main(["extract", str(CORPUS / "000_a8f219603fd09c33.txt"), "-o", str(out), "--csv-bom", "-q"]) == 0
    assert out.read_bytes().startswith(b"\xef\xbb\xbfdoc_id,")
    assert read_records(out)


@pytest.mark.parametrize("written", ["20201001", "01/10/2020", "Thứ năm, 01/10/2020 08:30 (GMT+7)",
                                     "2020-09-30T20:00:00Z"])
def test_published_is_an_iso_date_that_pandas_reads_back_as_text(tmp_path, written):
    import pandas as pd

    source = tmp_path / "a.jsonl"
    source.write_text(json.dumps({"id": "a", "text": "Có 1.426 tổ công nghệ số.", "date": written},
                                 ensure_ascii=False) + "\n", encoding="utf-8")
    out = tmp_path / "r.csv"
    assert main(["extract", str(source), "-o", str(out), "-q"]) == 0
    assert [r.published for r in read_records(out)] == ["2020-10-01"]
    assert list(pd.read_csv(out)["published"]) == ["2020-10-01"]  # "20201001" came back as the integer 20201001
