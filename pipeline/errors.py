"""Bad input is reported with its location and skipped; the run goes on and counts what it skipped."""
from __future__ import annotations

import sys
import threading
from dataclasses import dataclass, field
from typing import TextIO


class InputError(Exception):
    """A document that cannot be read: `location` is FILE or FILE:LINE (or a URL / WARC record)."""

    def __init__(self, location: str, reason: str):
        super().__init__(f"{location}: {reason}")
        self.location = location
        self.reason = reason


@dataclass
class Skipped:
    """One skipped document: where it was and why."""

    location: str
    reason: str


@dataclass
class ErrorLog:
    """Collects skipped documents and prints one clear line per skip to `stream`."""

    stream: TextIO | None = field(default_factory=lambda: sys.stderr)
    skipped: list[Skipped] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False, compare=False)

    def skip(self, location: str, reason: str) -> None:
        """Record that the document at `location` was skipped because of `reason`."""
        with self._lock:
            self.skipped.append(Skipped(location, reason))
        if self.stream is not None:
            print(f"chiso: skipped {location}: {reason}", file=self.stream, flush=True)

    def skip_error(self, error: InputError) -> None:
        """Record an InputError as a skip."""
        self.skip(error.location, error.reason)

    def __len__(self) -> int:
        return len(self.skipped)


def os_error_text(err: OSError) -> str:
    """An OSError as a user reads it: "No space left on device", followed by the file it names, if any."""
    text = err.strerror or str(err)
    return f"{text} ({err.filename})" if err.filename and err.strerror else text
