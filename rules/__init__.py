"""Declarative rules (lexicons, patterns, site cleaning rules) as YAML data files.

A researcher extends extraction or cleaning by editing these files; code only reads them.
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

RULES_DIR = Path(__file__).resolve().parent


@lru_cache(maxsize=None)
def load_rules(name: str) -> Any:
    """Load rules/NAME (a .yaml file name, with or without the extension), cached."""
    path = RULES_DIR / name
    if path.suffix not in (".yaml", ".yml"):
        path = path.with_suffix(".yaml")
    with path.open(encoding="utf-8") as fh:
        return yaml.safe_load(fh)
