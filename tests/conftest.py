"""Shared fixtures: paths to the project's corpus, gold and ../shared material."""
from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
CORPUS = ROOT / "corpus"
GOLD = ROOT / "gold"
UNC = SHARED / "corpus-unc" / "dantri-unc.jsonl"
HTML_VN = SHARED / "html-vn"


@pytest.fixture(scope="session")
def seed_paths() -> list[Path]:
    """The five embedded seed articles."""
    return sorted(CORPUS.glob("*.txt"))


@pytest.fixture(scope="session")
def unc_path() -> Path:
    """The unlabeled dantri corpus in ../shared (tests using it skip when it is absent)."""
    if not UNC.exists():
        pytest.skip(f"{UNC} not present")
    return UNC
