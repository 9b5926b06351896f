"""`chiso convert`: records between chiso JSON Lines and annotation tools (brat, Label Studio, doccano)."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from pipeline.errors import ErrorLog

EPILOG = """\
formats:
  chiso        our records: JSON Lines, .parquet or .csv (.gz too), or a batch output directory
               (chiso extract -o DIR/); they carry no texts: give --corpus
  brat         a directory of DOC.txt + DOC.ann, with annotation.conf and visual.conf
  labelstudio  a JSON task list (+ OUTPUT.config.xml, the labeling config to create the project with)
  doccano      JSON Lines, one document per line: text, label [[start, end, kind]], extra fields in "chiso"

Formats are guessed when not given: input directory with .ann files = brat, a batch output
directory (chiso extract -o DIR/) = chiso, .json = labelstudio, .parquet/.csv/.gz = chiso,
.jsonl = doccano if it has "label"/"entities" else chiso; output .json = labelstudio,
.doccano.jsonl = doccano, .jsonl/.parquet/.csv/.gz = chiso, anything else = a brat directory.

examples:
  chiso convert gold/ -o brat/ --corpus corpus             gold records -> brat for review
  chiso convert brat/ -o gold-fixed.jsonl                    brat back to chiso records
  chiso convert out.jsonl -o tasks.json --corpus corpus      predictions -> Label Studio tasks (+ config)
  chiso convert batch-out/ -o tasks.json --corpus corpus    a batch run's part files -> Label Studio
  chiso convert export.json -o gold.jsonl --from labelstudio Label Studio export -> chiso records
  chiso convert gold.jsonl -o gold.doccano.jsonl --corpus corpus
  chiso convert --label-config > config.xml                  just the Label Studio labeling config

See docs/interop.md for the field mapping of each format.
"""


def register(sub) -> None:
    """Add the `convert` subcommand."""
    from pipeline.interop import FORMATS

    p = sub.add_parser(
        "convert", help="convert records to/from brat, Label Studio and doccano",
        description="Convert indicator records (with their document texts) between chiso JSON Lines and "
                    "annotation tools. Offsets are code points in every format.",
        epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("input", nargs="?", help="input file or directory")
    p.add_argument("-o", "--output", help="output file or directory")
    p.add_argument("--from", dest="source_format", choices=FORMATS, help="input format (default: guessed)")
    p.add_argument("--to", dest="target_format", choices=FORMATS, help="output format (default: guessed)")
    p.add_argument("--corpus", help="documents (directory of .txt, or .jsonl of {id, text}) for formats "
                                    "without texts (chiso)")
    p.add_argument("--predictions", action="store_true",
                   help="Label Studio: write records as predictions (pre-annotations) instead of annotations")
    p.add_argument("--label-config", action="store_true", help="print the Label Studio labeling config and exit")
    p.set_defaults(func=run)


def run(args) -> int:
    """Convert args.input to args.output; 0 on success, 1 if annotations were skipped, 2 on bad usage."""
    from pipeline import interop
    from pipeline.gold import GoldError, load_texts

    if args.label_config:
        sys.stdout.write(interop.label_config())
        return 0
    if not args.input or not args.output:
        print("chiso convert: INPUT and -o OUTPUT are required (see --help)", file=sys.stderr)
        return 2
    errors = ErrorLog()
    try:
        source = args.source_format or interop.guess_input_format(args.input)
        target = args.target_format or interop.guess_output_format(args.output)
        texts = load_texts(args.corpus) if args.corpus else {}
        if source == "chiso" and not texts and target != "chiso":
            print("chiso convert: chiso records carry no texts; give --corpus", file=sys.stderr)
            return 2
        records, texts, doc_ids = _read(interop, source, args.input, texts, errors)
        if target != "chiso":
            missing = [doc_id for doc_id in doc_ids if doc_id not in texts]
            if missing:
                raise interop.InteropError(f"no text for document(s) {', '.join(missing[:5])} in the corpus")
        # Only the documents of the input (a whole corpus would flood the annotation tool).
        texts = {doc_id: texts[doc_id] for doc_id in doc_ids if doc_id in texts}
        written = _write(interop, target, records, texts, doc_ids, Path(args.output), args.predictions)
    except (interop.InteropError, GoldError, OSError, ValueError) as err:
        print(f"chiso convert: {err}", file=sys.stderr)
        return 2
    print(f"chiso convert: {len(records)} records of {len(doc_ids)} documents, {source} -> {target}: "
          f"{', '.join(map(str, written))}", file=sys.stderr)
    if errors:
        print(f"chiso convert: {len(errors)} annotation(s) skipped", file=sys.stderr)
        return 1
    return 0


def _read(interop, source: str, path: str, texts: dict[str, str], errors: ErrorLog):
    """(records, texts, doc_ids of the input in order) of the input file or directory."""
    from pipeline.gold import batch_parts, load_gold

    if source == "chiso" and Path(path).is_dir() and batch_parts(path) is None:
        # A gold directory: every file names an evaluated document, even one without records.
        gold = load_gold(path, texts or None)
        return gold.records, texts, sorted(gold.doc_ids)
    records, read_texts = interop.read(source, path, texts=texts, errors=errors)
    if source != "chiso":
        return records, {**texts, **read_texts}, list(read_texts)
    return records, texts, list(dict.fromkeys(r.doc_id for r in records))


def _write(interop, target: str, records, texts, doc_ids, output: Path, predictions: bool) -> list[Path]:
    """Write the output (and, for Label Studio, its labeling config next to it)."""
    written = [interop.write(target, records, texts, output, doc_ids=doc_ids, predictions=predictions)]
    if target == "labelstudio":
        config = output.with_name(output.stem + ".config.xml")
        config.write_text(interop.label_config(), encoding="utf-8")
        written.append(config)
    return written
