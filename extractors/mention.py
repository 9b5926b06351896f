"""The mention an extractor finds: every field of the record schema except the document id."""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass
class Mention:
    """A quantity expression at text[start:end] with its normalized value and attributes."""

    start: int
    end: int
    text: str
    kind: str
    value: float
    value_max: float | None = None
    denominator: float | None = None
    unit: str | None = None
    qualifier: str = "eq"
    modality: str = "actual"
    change: str | None = None
    subject: str | None = None
    time: str | None = None
    location: str | None = None
    period: str | None = None          # `time` normalized to ISO 8601 (ANNOTATION.md section 7)
    place: str | None = None           # `location` as a canonical province or country (section 7)
    indicator: str | None = None       # the canonical indicator of rules/indicators.yaml (docs/indicators.md)
    sentence_start: int | None = None  # the sentence that holds the mention: text[sentence_start:sentence_end]
    sentence_end: int | None = None
    rules: list[str] = field(default_factory=list)   # ids of the rules that made it (docs/rules.md)

    def to_dict(self) -> dict[str, Any]:
        """Plain dict of the fields, in schema order."""
        return asdict(self)
