"""Rule-based extraction of indicator mentions (pure code; lexicons live in rules/)."""
from extractors.mention import Mention

__all__ = ["Mention"]
