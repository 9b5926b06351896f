"""The `chiso` command line: one subcommand per module in pipeline.commands."""
from __future__ import annotations

import argparse
import importlib
import os
import select
import sys

from pipeline import installed_version

# Order here is the order in `chiso --help`.
COMMANDS = ("extract", "explain", "run", "dataset", "score", "report", "agree", "convert", "crawl")

DESCRIPTION = """\
chiso: indicator mentions (counts, percentages, ratios, ranks, money, measures)
extracted from Vietnamese news articles, with their normalized values and
attributes, scored against annotated gold data.

Typical use:
  chiso run                              extract the embedded corpus and evaluate it against gold/
  chiso extract articles/ -o out.jsonl   extract files, directories, JSON Lines, WARC or stdin (-)
  chiso explain "Lãi 1.200 tỷ đồng."     each number of a text, mention or not, and the rules that decided
  chiso score gold/ out.jsonl            precision/recall/F1 of predictions against gold
  chiso crawl URL --out crawl/           collect articles politely from news sites

Run `chiso COMMAND --help` for the options of each command.
"""


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every subcommand registered."""
    parser = argparse.ArgumentParser(
        prog="chiso", description=DESCRIPTION, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--version", action="version", version=f"%(prog)s {installed_version()}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMANDS:
        importlib.import_module(f"pipeline.commands.{name}").register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Entry point of the `chiso` console script; returns the process exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    from rules import RuleError

    try:
        return int(args.func(args) or 0)
    except RuleError as err:  # a bad rules file (--rules DIR or rules/): one line, no traceback
        print(f"chiso: {err}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("chiso: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        if not stdout_reader_gone():
            raise  # another pipe broke (a worker's): a real error, not the end of `| head`
        # The reader of stdout went away (`chiso agree ... | head`): stop quietly, as Unix tools do, and point
        # stdout at /dev/null so that the interpreter's final flush prints no error either.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0


def stdout_reader_gone() -> bool:
    """True when stdout is a pipe whose reading end was closed (poll reports an error on it)."""
    try:
        poller = select.poll()
        poller.register(sys.stdout.fileno(), select.POLLOUT)
        return any(events & select.POLLERR for _, events in poller.poll(0))
    except (OSError, ValueError, AttributeError):  # no real stdout (a test's capture), or no poll on this system
        return False


if __name__ == "__main__":
    sys.exit(main())
