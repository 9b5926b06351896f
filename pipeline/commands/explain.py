"""`chiso explain TEXT`: each number of a text, whether it became a mention, and every rule that took part."""
from __future__ import annotations

import argparse
import os
import sys

from pipeline.errors import ErrorLog
from pipeline.overlay import add_rules_argument

DESCRIPTION = """\
Explain the extraction of a text: every number in it, whether it became a mention, and the
rules that decided (rule ids as in rules/*.yaml, see docs/rules.md):

  mention    the candidate rule that read the number, then the rules that set its kind/unit
             and each attribute (qualifier, change, subject, ...), and the mention's fields;
  excluded   the exclusion rule that dropped it, with its one-line reason
             (clean.outside_article: the cleaner left the line out as page furniture).

Each number gets a block with its sentence (the number marked ⟦like this⟧); --table prints one
aligned line per number instead, --json one JSON object per document for machines.
The text is read as `chiso extract` reads it: normalized, and cleaned unless --no-clean.
"""

EPILOG = """\
examples:
  chiso explain "Doanh thu đạt hơn 1.200 tỷ đồng, tăng 12% so với năm 2022."
  chiso explain -f corpus/000_dantri.txt --table
  chiso explain -f page.html                       a saved page: its article, as extract reads it
  cat article.txt | chiso explain -
  chiso explain -f article.txt --json | jq '.numbers[] | select(.outcome == "excluded")'
  chiso explain -f article.txt --rules my-rules/   under a researcher's rules

exit status: 0 when a text was explained, 1 if no document could be read,
2 on usage errors or a bad rules file.
"""


def register(sub) -> None:
    """Add the `explain` subcommand."""
    p = sub.add_parser("explain", help="show each number of a text, whether it became a mention, and the rules "
                                       "that decided", description=DESCRIPTION, epilog=EPILOG,
                       formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("text", nargs="?", metavar="TEXT", help="the text to explain, or - to read stdin")
    p.add_argument("-f", "--file", metavar="FILE",
                   help="explain the documents of FILE (any input of chiso extract: .txt, .jsonl, .html, .warc)")
    p.add_argument("--json", action="store_true", help="one JSON object per document (doc_id, numbers)")
    p.add_argument("--table", action="store_true", help="one aligned line per number instead of a block")
    p.add_argument("--no-clean", dest="clean", action="store_false",
                   help="explain the whole text: do not leave out page furniture")
    add_rules_argument(p)
    p.set_defaults(func=run)


def _documents(args, errors: ErrorLog):
    """The documents to explain: TEXT itself, stdin, or the documents of --file."""
    from pipeline.document import Document
    from pipeline.readers import read_documents

    if args.file is not None:
        return read_documents([args.file], errors)
    if args.text == "-":
        return read_documents(["-"], errors)
    return iter([Document.from_raw("text", args.text)])


def run(args) -> int:
    """Run `chiso explain`; returns the exit code."""
    if (args.text is None) == (args.file is None):
        print("chiso explain: give a TEXT, - for stdin, or -f FILE (one of them)", file=sys.stderr)
        return 2
    from pipeline.explain import document_json, explain_document, format_blocks, format_table, summary
    from pipeline.overlay import rules_in_force

    errors = ErrorLog()
    explained = 0
    with rules_in_force(args.rules):
        try:
            for doc in _documents(args, errors):
                traces = explain_document(doc, clean=args.clean)
                if args.json:
                    print(document_json(doc, traces))
                else:
                    if explained:
                        print()
                    print(f"== {doc.doc_id}: {summary(traces)}")
                    if traces:
                        print(format_table(traces) if args.table else format_blocks(doc.text, traces))
                explained += 1
        except BrokenPipeError:
            # The reader of stdout went away (`chiso explain ... | head`): stop quietly, as Unix tools do.
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            return 0
    return 1 if explained == 0 else 0
