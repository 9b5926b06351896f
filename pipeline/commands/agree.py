"""`chiso agree A B`: agreement between two annotations of the same documents."""
from __future__ import annotations

import json
import sys

from pipeline.agree import agree
from pipeline.commands.score import add_bootstrap_argument, disjoint_documents
from pipeline.gold import GoldError, load_gold, load_texts


def register(sub) -> None:
    """Add the `agree` subcommand."""
    p = sub.add_parser(
        "agree", help="agreement between two annotations of the same documents",
        description="Inter-annotator agreement: the scorer with A as gold and B as predictions and the other "
                    "way round, then on the matched pairs the share of equal values per field and Cohen's "
                    "kappa for kind, qualifier, modality and change. A and B are gold directories "
                    "(<doc_id>.jsonl) or .jsonl/.csv/.parquet files.")
    p.add_argument("a", metavar="A", help="first annotation (directory or file)")
    p.add_argument("b", metavar="B", help="second annotation (directory or file)")
    p.add_argument("--corpus", metavar="DIR", help="document texts (*.txt by doc_id): checks offsets of both")
    p.add_argument("--json", action="store_true", help="print JSON instead of the tables")
    add_bootstrap_argument(p)
    p.set_defaults(func=_run)


def _run(args) -> int:
    try:
        texts = load_texts(args.corpus) if args.corpus else None
        a = load_gold(args.a, texts)
        b = load_gold(args.b, texts)
    except GoldError as exc:
        print(f"chiso agree: {exc}", file=sys.stderr)
        return 1
    problem = disjoint_documents(a.doc_ids, b.doc_ids, ("A", "B"))
    if problem:
        print(f"chiso agree: {problem}", file=sys.stderr)
        return 1
    result = agree(a.records, b.records, a.doc_ids, b.doc_ids, bootstrap=args.bootstrap, texts=texts)
    if args.json:
        print(json.dumps(result.to_json(), ensure_ascii=False, indent=2))
    else:
        print(result.format_table())
    return 0
