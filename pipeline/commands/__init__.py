"""CLI subcommands: each module defines `register(subparsers)` adding one `chiso` subcommand."""
