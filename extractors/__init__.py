"""Rule-based extraction of indicator mentions (pure code; lexicons live in rules/)."""
from extractors.extract import explain, extract_mentions
from extractors.mention import Mention
from extractors.numbers import parse_number
from extractors.rulecheck import check_rules
from extractors.trace import NumberTrace

__all__ = ["Mention", "NumberTrace", "check_rules", "explain", "extract_mentions", "parse_number"]
