"""Rule-based extraction of indicator mentions (pure code; lexicons live in rules/)."""
from extractors.extract import extract_mentions
from extractors.mention import Mention
from extractors.numbers import parse_number

__all__ = ["Mention", "extract_mentions", "parse_number"]
