"""`chiso run`: extract the corpus, write OUT/records.jsonl, and evaluate against the gold annotations."""
from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from pipeline.commands.extract import add_reader_options, exit_code, read_options, summary_line
from pipeline.errors import ErrorLog
from pipeline.overlay import add_rules_argument, rules_in_force

DESCRIPTION = """\
The main job: extract every document of the corpus directory (.txt, .jsonl, .html, .warc files),
write the records to OUT/records.jsonl, print a summary, build the dataset table (chiso dataset)
into OUT/dataset.csv and print its summary (rows, linked share, places, periods), then, if the gold directory holds
annotations, print the evaluation table (mention and value-correct precision/recall/F1, per kind,
attribute accuracy) and write it to OUT/scores.json.
"""

EPILOG = """\
examples:
  chiso run                                   corpus/ -> out/records.jsonl, evaluated against gold/
  chiso run --corpus articles/ --gold none/   extraction only (a missing gold directory is skipped)
  chiso run --report out/report.html          also write the HTML report of every error
  chiso run --rules my-rules/                 evaluate a researcher's rules laid over the built-in ones
"""

RECORDS_FILE = "records.jsonl"
DATASET_FILE = "dataset.csv"
SCORES_FILE = "scores.json"


def register(sub) -> None:
    """Add the `run` subcommand."""
    p = sub.add_parser("run", help="extract the corpus, write OUT/records.jsonl and evaluate it against gold",
                       description=DESCRIPTION, epilog=EPILOG,
                       formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--corpus", default="corpus", type=Path, metavar="DIR",
                   help="the documents to extract: a directory, or any input of chiso extract (default: corpus)")
    p.add_argument("--gold", default="gold", type=Path, metavar="DIR",
                   help="gold annotations, one DOC_ID.jsonl per annotated document (default: gold)")
    p.add_argument("--out", default="out", type=Path, metavar="DIR",
                   help="output directory for records.jsonl and scores.json (default: out)")
    p.add_argument("--report", type=Path, metavar="FILE", help="also write an HTML evaluation report to FILE")
    p.add_argument("--no-clean", dest="clean", action="store_false",
                   help="extract from the whole text, page furniture included")
    add_rules_argument(p)
    add_reader_options(p)
    p.set_defaults(func=run)


def extract_corpus_texts(corpus: Path, clean: bool, errors: ErrorLog, options=None):
    """Records of every corpus document and the texts they point into, by doc_id (`options`: ReadOptions)."""
    from pipeline.api import ExtractStats, iter_documents_records
    from pipeline.readers import read_documents

    texts: dict[str, str] = {}
    records = []
    from pipeline.readers import DEFAULT_OPTIONS

    documents = read_documents([corpus], errors, options or DEFAULT_OPTIONS)
    for doc, doc_records in iter_documents_records(documents, clean=clean, errors=errors):
        if doc.doc_id in texts:
            # Evaluation keys everything by doc_id: a second document with the same id would be ambiguous.
            errors.skip(doc.location, f"duplicate id {doc.doc_id!r} in the corpus")
            continue
        texts[doc.doc_id] = doc.text
        records.extend(doc_records)
    failed = len(errors.failed)
    return records, texts, ExtractStats(documents=len(texts) + failed, records=len(records), failed=failed)


def evaluate(gold_dir: Path, out: Path, records, texts: dict[str, str], report: Path | None,
             clean: bool = True) -> int:
    """Print the evaluation table and write OUT/scores.json (and the report); returns the exit code."""
    if not gold_dir.exists():
        print(f"evaluation: no gold directory {gold_dir} (skipped)")
        return 0
    if gold_dir.is_dir() and not any(gold_dir.glob("*.jsonl")):
        print(f"evaluation: no gold annotations in {gold_dir} (skipped)")
        return 0
    from pipeline.writers import atomic_path

    try:
        from pipeline.gold import GoldError, load_gold
        from pipeline.scoring import score
    except ImportError:
        print("evaluation: not available")
        return 0
    try:
        gold = load_gold(gold_dir, texts=texts)
    except GoldError as err:
        print(f"chiso run: {err}", file=sys.stderr)
        return 1
    from pipeline.commands.score import disjoint_documents

    problem = disjoint_documents(gold.doc_ids, texts, (str(gold_dir), "the corpus"))
    if problem:  # a table of zeros would read as a result: say why there is none
        print(f"evaluation: skipped, {problem}")
        return 0
    scores = score(gold.records, records, doc_ids=gold.doc_ids, texts=texts)
    print(scores.format_table())
    scores_path = out / SCORES_FILE
    with atomic_path(scores_path) as tmp:
        tmp.write_text(json.dumps(scores.to_json(), ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(f"scores: {scores_path}")
    if report is not None:
        try:
            from pipeline.report import write_report
        except ImportError:
            print("report: not available")
            return 0
        from pipeline.error_rules import assign_rules

        assign_rules(scores.errors, texts, clean=clean)
        write_report(report, scores, texts, gold.records, records)
        print(f"report: {report}")
    return 0


def write_dataset(records, texts: dict[str, str], path: Path) -> None:
    """Write the dataset table of the records (chiso dataset, docs/dataset.md) and print its summary."""
    from pipeline.dataset import build_dataset, summary
    from pipeline.writers import write_table

    frame = build_dataset(records, texts=texts)
    write_table(frame, path, list_columns=("sources", "urls"))
    print(f"dataset: {path}: {summary(frame)}")


def run(args) -> int:
    """Run `chiso run`; returns the exit code."""
    if not args.corpus.exists():
        print(f"chiso run: corpus {args.corpus} not found", file=sys.stderr)
        return 2
    from pipeline.api import ExtractorMissing
    from pipeline.writers import write_records

    started = time.perf_counter()
    errors = ErrorLog()
    try:
        with rules_in_force(args.rules):
            records, texts, stats = extract_corpus_texts(args.corpus, args.clean, errors, read_options(args))
    except ExtractorMissing as err:
        print(f"chiso run: {err}", file=sys.stderr)
        return 1
    records_path = args.out / RECORDS_FILE
    if stats.documents == 0 and len(errors) > 0:
        # An empty records file would look like a result: nothing is written, an old file is kept.
        print(summary_line(0, 0, errors, time.perf_counter() - started, str(records_path)), file=sys.stderr)
        print(f"chiso run: every input failed: {records_path} not written", file=sys.stderr)
        return 1
    written = write_records(records, records_path)
    print(summary_line(stats.documents, written, errors, time.perf_counter() - started, str(records_path)),
          file=sys.stderr)
    print(f"records: {records_path}")
    code = exit_code(stats.documents, errors)
    if code:
        return code
    write_dataset(records, texts, args.out / DATASET_FILE)
    with rules_in_force(args.rules):  # the report explains missed numbers under the same rules
        return evaluate(args.gold, args.out, records, texts, args.report, clean=args.clean)
