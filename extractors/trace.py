"""Provenance: the ids of the rules that take part in each decision, collected while a candidate is read.

Attribute and exclusion code calls `fired(rule_id)` where a rule decides; `collecting()` gathers those ids for one
candidate. Outside `collecting()` (e.g. a helper called from a test) `fired` does nothing.
"""
from __future__ import annotations

import functools
import contextvars
import unicodedata
from dataclasses import dataclass, field
import regex

from extractors.mention import Mention

_CURRENT: contextvars.ContextVar[list[str] | None] = contextvars.ContextVar("chiso_rule_trace", default=None)


@functools.lru_cache(maxsize=4096)
def slug(phrase: str) -> str:
    """A cue phrase as an ASCII rule-id part: "phấn đấu" -> "phan_dau", "%" -> "percent"."""
    text = unicodedata.normalize("NFD", str(phrase).replace("đ", "d").replace("Đ", "D").replace("%", " percent "))
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    return "_".join(regex.findall(r"[a-z0-9]+", text)) or "x"


def fired(rule_id: str) -> None:
    """Note that RULE_ID took part in the decision being made (no-op outside collecting())."""
    ids = _CURRENT.get()
    if ids is not None and rule_id not in ids:
        ids.append(rule_id)


class collecting:
    """Collect the rule ids fired inside the with-block into the list it yields (a class: cheaper per candidate
    than a generator-based context manager)."""

    __slots__ = ("ids", "_token")

    def __enter__(self) -> list[str]:
        self.ids: list[str] = []
        self._token = _CURRENT.set(self.ids)
        return self.ids

    def __exit__(self, *exc) -> bool:
        _CURRENT.reset(self._token)
        return False


@dataclass
class NumberTrace:
    """What happened to one number of a text: kept as a mention or excluded, and every rule that took part."""

    start: int
    end: int
    text: str
    outcome: str                     # "mention" or "excluded"
    rule: str                        # the deciding rule: the candidate rule of a mention, the exclusion rule
    reason: str                      # that rule's one-line reason (and the detail for excluded numbers)
    rules: list[str] = field(default_factory=list)
    mention: Mention | None = None

    def to_dict(self) -> dict:
        """Plain dict, the mention (if any) as a dict too."""
        return {"start": self.start, "end": self.end, "text": self.text, "outcome": self.outcome,
                "rule": self.rule, "reason": self.reason, "rules": list(self.rules),
                "mention": self.mention.to_dict() if self.mention else None}
