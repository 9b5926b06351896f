"""`chiso score GOLD PRED`: precision, recall and F1 of predictions against gold (ANNOTATION.md section 6)."""
from __future__ import annotations

import json
import sys
from typing import Iterable

from pipeline.gold import GoldError, load_gold, load_predictions, load_texts
from pipeline.overlay import add_rules_argument, rules_in_force
from pipeline.scoring import score


def register(sub) -> None:
    """Add the `score` subcommand."""
    p = sub.add_parser(
        "score", help="score predictions against gold annotations",
        description="Score predicted records against gold: mention P/R/F1 (overlap and exact span), "
                    "value-correct P/R/F1 (the headline), per kind, attribute accuracy, 95% bootstrap "
                    "intervals over documents. GOLD is a directory of <doc_id>.jsonl files (each file names "
                    "an evaluated document, an empty file = no mention) or one .jsonl/.csv/.parquet file; "
                    "PRED is a .jsonl/.csv/.parquet file or the output directory of a batch run "
                    "(chiso extract -o DIR/). GOLD and PRED must share documents (doc_ids), else the command "
                    "says so and exits 1.")
    add_common_arguments(p)
    p.add_argument("--json", action="store_true", help="print the scores as JSON instead of the table")
    p.add_argument("--errors", action="store_true",
                   help="also list every missed, spurious and wrong-value mention with its sentence, grouped by "
                        "the rule it is owed to (a prediction: its candidate rule; a missed number: the "
                        "exclusion rule that dropped it, found by explaining the --corpus text)")
    p.add_argument("--errors-by", choices=("rule", "document"), default="rule",
                   help="group the --errors listing by rule (default) or by document")
    p.set_defaults(func=_run)


def add_common_arguments(p) -> None:
    """GOLD, PRED, --corpus, --bootstrap, --seed (shared with `chiso report`)."""
    p.add_argument("gold", metavar="GOLD", help="gold directory or file")
    p.add_argument("pred", metavar="PRED", help="predictions file (.jsonl, .csv or .parquet) or batch output directory")
    p.add_argument("--corpus", metavar="DIR",
                   help="document texts (*.txt by doc_id): checks gold offsets and shows error sentences")
    add_bootstrap_argument(p)
    p.add_argument("--seed", type=int, default=0, help="bootstrap random seed (default 0)")
    p.add_argument("--no-clean", dest="clean", action="store_false",
                   help="the predictions were extracted with --no-clean: explain missed numbers on the whole text")
    add_rules_argument(p)


def add_bootstrap_argument(p) -> None:
    """--bootstrap N (shared with `chiso agree`)."""
    p.add_argument("--bootstrap", type=int, default=1000, metavar="N",
                   help="bootstrap resamples for the 95%% intervals (0 = none; default 1000)")


def disjoint_documents(first: Iterable[str], second: Iterable[str], names: tuple[str, str]) -> str | None:
    """Why two sides cannot be compared when they share no document (None when they share one, or one is empty)."""
    first, second = set(first), set(second)
    if not first or not second or first & second:
        return None
    return (f"no document in common: {names[0]} has {_some(first)}, {names[1]} has {_some(second)}; "
            "the doc_ids must be the same (gold file names, the ids of the extracted documents)")


def _some(doc_ids: set[str], shown: int = 3) -> str:
    """'N document(s) (a, b, c, ...)' for a message."""
    names = ", ".join(sorted(doc_ids)[:shown]) + (", ..." if len(doc_ids) > shown else "")
    return f"{len(doc_ids)} document(s) ({names})"


def scored_inputs(args, command: str):
    """(texts or None, GoldSet, predictions, Scores) from the arguments, or None after printing why not."""
    try:
        texts = load_texts(args.corpus) if args.corpus else None
        gold, predicted = load_gold(args.gold, texts), load_predictions(args.pred)
    except GoldError as exc:
        print(f"chiso {command}: {exc}", file=sys.stderr)
        return None
    problem = disjoint_documents(gold.doc_ids, (r.doc_id for r in predicted), ("GOLD", "PRED"))
    if problem:
        print(f"chiso {command}: {problem}", file=sys.stderr)
        return None
    if not predicted:
        print(f"chiso {command}: warning: {args.pred} holds no record: every gold mention counts as missed",
              file=sys.stderr)
    scores = score(gold.records, predicted, gold.doc_ids, bootstrap=args.bootstrap, seed=args.seed, texts=texts)
    return texts, gold, predicted, scores


def blame_rules(args, texts, scores) -> None:
    """Give every error of SCORES the rule it is owed to, under the --rules overlay (missed ones explained)."""
    from pipeline.error_rules import assign_rules

    with rules_in_force(args.rules):
        assign_rules(scores.errors, texts, clean=args.clean)


def _run(args) -> int:
    loaded = scored_inputs(args, "score")
    if loaded is None:
        return 1
    texts, scores = loaded[0], loaded[3]
    if args.errors:
        blame_rules(args, texts, scores)
    if args.json:
        data = scores.to_json()
        if args.errors:
            from pipeline.error_rules import counts_by_rule

            data["errors"] = [e.to_json() for e in scores.errors]
            data["errors_by_rule"] = counts_by_rule(scores.errors)
        print(json.dumps(data, ensure_ascii=False, indent=2))
        return 0
    print(scores.format_table())
    if args.errors:
        from pipeline.error_rules import format_by_rule

        print()
        print(format_by_rule(scores.errors) if args.errors_by == "rule" else scores.format_errors())
    return 0
