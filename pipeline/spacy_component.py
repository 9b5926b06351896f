"""spaCy pipeline component `chiso_indicators`: indicator mentions as a span group of the Doc.

    from pipeline.spacy_component import vietnamese_nlp
    nlp = vietnamese_nlp(clean=True)     # underthesea words + chiso_indicators
    doc = nlp(text)
    for span in doc.spans["indicators"]:
        span.label_, span._.value, span._.unit, span._.chiso   # kind, fields, the whole mention
        span.id_, span._.rules                                 # candidate rule id, every rule id

or, by hand (the factory and the tokenizer are `spacy_factories` / `spacy_tokenizers` entry points of chiso):

    nlp = spacy.blank("vi", config={"nlp": {"tokenizer": {"@tokenizers": "chiso.UndertheseaTokenizer.v1"}}})
    nlp.add_pipe("chiso_indicators", config={"clean": True})

This module is imported by spaCy itself whenever a pipeline is created (entry point), so it imports
only spaCy (and the light record schema) at load time; the extractor and the cleaner are imported
when a document is processed.
"""
from __future__ import annotations

import importlib
import warnings
from typing import Any, Callable

import spacy
from spacy.language import Language
from spacy.tokens import Doc, Span

from pipeline.records import MENTION_FIELDS, RULES_FIELD

FACTORY = "chiso_indicators"
SPANS_KEY = "indicators"
# Span._.chiso holds the whole mention as a dict (the record fields but doc_id: the Doc is the document);
# the fields after the span and kind also get their own read-only attribute (value, ..., location, period,
# place, sentence_start, sentence_end: character offsets of the mention's sentence in the Doc text, rules).
# Like spaCy's SpanRuler with pattern ids, each span's id_ is the id of the rule that found it (rules[0]).
EXTENSION = "chiso"
FIELD_EXTENSIONS = MENTION_FIELDS[MENTION_FIELDS.index("value"):]
# Doc._.chiso_mentions: every mention dict of the document, in text order (exact character offsets).
DOC_EXTENSION = "chiso_mentions"


def register_extensions() -> None:
    """Declare the Span/Doc extension attributes (idempotent; an attribute another package owns is left alone)."""
    if not Span.has_extension(EXTENSION):
        Span.set_extension(EXTENSION, default=None)
    if not Doc.has_extension(DOC_EXTENSION):
        Doc.set_extension(DOC_EXTENSION, default=None)
    for name in FIELD_EXTENSIONS:
        if not Span.has_extension(name):
            Span.set_extension(name, getter=_field_getter(name))


def _field_getter(name: str) -> Callable[[Span], Any]:
    def getter(span: Span) -> Any:
        mention = span._.get(EXTENSION)
        return None if mention is None else mention.get(name)

    getter.__doc__ = f"The mention's `{name}` (None for a span that is not an indicator)."
    return getter


def mention_dict(mention: Any) -> dict[str, Any]:
    """A mention (extractors.Mention or alike) as a plain dict of the record fields (rules: a list, maybe empty)."""
    data = {name: getattr(mention, name, None) for name in MENTION_FIELDS}
    data[RULES_FIELD] = list(data[RULES_FIELD] or [])
    return data


def _extract(text: str, body: list[tuple[int, int]] | None) -> list[Any]:
    """Run the rule-based extractor (looked up at call time, so it can be swapped or patched)."""
    extractors = importlib.import_module("extractors")
    return list(extractors.extract_mentions(text, body=body))


def _find_body(text: str) -> list[tuple[int, int]] | None:
    """Article ranges of scraped text by the cleaner, or None (whole text) when no cleaner is installed."""
    try:
        clean_text = importlib.import_module("pipeline.clean_text")
    except ImportError:
        warnings.warn("chiso_indicators: clean=True but pipeline.clean_text is not available; using the whole text")
        return None
    return clean_text.find_body(text)


class IndicatorComponent:
    """Puts the extractor's mentions of doc.text into doc.spans[spans_key], label = kind."""

    def __init__(self, name: str = FACTORY, clean: bool = False, spans_key: str = SPANS_KEY):
        self.name = name
        self.clean = clean
        self.spans_key = spans_key
        register_extensions()

    def __call__(self, doc: Doc) -> Doc:
        """Annotate one Doc in place and return it."""
        text = doc.text
        body = _find_body(text) if self.clean else None
        mentions = sorted((mention_dict(m) for m in _extract(text, body)), key=lambda m: (m["start"], m["end"]))
        spans = []
        for mention in mentions:
            if text[mention["start"]:mention["end"]] != mention["text"]:
                warnings.warn(f"chiso_indicators: mention {mention['text']!r} does not match the text at "
                              f"{mention['start']}-{mention['end']}; dropped")
                continue
            # "expand": a mention inside a token ("80%," or "(47/63)") still gets the covering token span.
            span = doc.char_span(mention["start"], mention["end"], label=mention["kind"],
                                 alignment_mode="expand", span_id=candidate_rule(mention))
            if span is None:
                continue
            span._.set(EXTENSION, mention)
            spans.append(span)
        doc.spans[self.spans_key] = spans
        doc._.set(DOC_EXTENSION, mentions)
        return doc


def candidate_rule(mention: dict[str, Any]) -> str:
    """The id of the rule that found the mention (the first of its rule ids), "" when it has none."""
    return mention[RULES_FIELD][0] if mention[RULES_FIELD] else ""


@Language.factory(FACTORY, default_config={"clean": False, "spans_key": SPANS_KEY})
def make_indicator_component(nlp: Language, name: str, clean: bool, spans_key: str) -> IndicatorComponent:
    """spaCy factory of `chiso_indicators` (also the `spacy_factories` entry point of the chiso package)."""
    return IndicatorComponent(name=name, clean=clean, spans_key=spans_key)


def vietnamese_nlp(clean: bool = False, spans_key: str = SPANS_KEY) -> Language:
    """A blank Vietnamese pipeline tokenized by underthesea words, with the `chiso_indicators` pipe."""
    # Imported for its registration, so this works even where the chiso entry points are not installed.
    from pipeline.spacy_tokenizer import TOKENIZER_NAME

    nlp = spacy.blank("vi", config={"nlp": {"tokenizer": {"@tokenizers": TOKENIZER_NAME}}})
    nlp.add_pipe(FACTORY, config={"clean": clean, "spans_key": spans_key})
    return nlp
