"""`chiso report GOLD PRED --corpus DIR -o report.html`: the HTML evaluation report."""
from __future__ import annotations

import sys

from pipeline.commands.score import add_common_arguments, blame_rules, scored_inputs
from pipeline.report import write_report


def register(sub) -> None:
    """Add the `report` subcommand."""
    p = sub.add_parser(
        "report", help="self-contained HTML report of predictions against gold",
        description="Write one self-contained HTML file: score tables, F1 chart per kind, and every evaluated "
                    "document with gold and predicted mentions highlighted side by side (missed, spurious "
                    "and wrong-value mentions in distinct colours; hover a mark for its fields).")
    add_common_arguments(p)
    p.add_argument("-o", "--output", default="report.html", metavar="FILE",
                   help="HTML file to write (default report.html)")
    p.set_defaults(func=_run)


def _run(args) -> int:
    if not args.corpus:
        print("chiso report: --corpus DIR is required (the report shows the document texts)", file=sys.stderr)
        return 2
    loaded = scored_inputs(args, "report")
    if loaded is None:
        return 1
    texts, gold, predicted, scores = loaded
    blame_rules(args, texts, scores)
    path = write_report(args.output, scores, texts, gold.records, predicted)
    print(f"chiso report: wrote {path} ({len(scores.doc_ids)} documents)", file=sys.stderr)
    return 0
