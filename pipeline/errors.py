"""Bad input is reported with its location and skipped; the run goes on and counts what it skipped.

A document the extractor raises on is not bad input but a bug: it is reported as failed (with the exception),
counted apart from the skips, and the run goes on.
"""
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
class Failed:
    """One document the extractor failed on: its id, where it was read, and the exception ("Type: message")."""

    doc_id: str
    error: str
    location: str | None = None


def exception_text(exc: BaseException) -> str:
    """"ExcType: message" of an exception (the type alone when the message is empty)."""
    message = " ".join(str(exc).split())
    return f"{type(exc).__name__}: {message}" if message else type(exc).__name__


@dataclass
class ErrorLog:
    """Collects skipped and failed documents; prints one line per skip to `stream`, per failure to `failures`.

    Failures go to stderr even when skips are silenced (`chiso extract --quiet`): they are bugs to see.
    """

    stream: TextIO | None = field(default_factory=lambda: sys.stderr)
    skipped: list[Skipped] = field(default_factory=list)
    failures: TextIO | None = field(default_factory=lambda: sys.stderr)
    failed: list[Failed] = field(default_factory=list)
    # Notes: something read differently than given (a field left out, another field name used); not skips.
    notes: list[Skipped] = field(default_factory=list)
    warnings: list[Skipped] = field(default_factory=list)  # read, but something in it had to be repaired
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False, compare=False)

    def skip(self, location: str, reason: str) -> None:
        """Record that the document at `location` was skipped because of `reason`."""
        with self._lock:
            self.skipped.append(Skipped(location, reason))
        if self.stream is not None:
            print(f"chiso: skipped {location}: {reason}", file=self.stream, flush=True)

    def note(self, location: str, message: str) -> None:
        """Tell once per run that `message` applies (first at `location`); the document itself is kept."""
        with self._lock:
            if any(n.reason == message for n in self.notes):
                return
            self.notes.append(Skipped(location, message))
        if self.stream is not None:
            print(f"chiso: note {location}: {message}", file=self.stream, flush=True)

    def warn(self, location: str, reason: str) -> None:
        """Record that the document at `location` was read but needed a repair (`reason`); it is not skipped."""
        with self._lock:
            self.warnings.append(Skipped(location, reason))
        if self.stream is not None:
            print(f"chiso: warning {location}: {reason}", file=self.stream, flush=True)

    def skip_error(self, error: InputError) -> None:
        """Record an InputError as a skip."""
        self.skip(error.location, error.reason)

    def fail(self, doc_id: str, error: str, location: str | None = None) -> None:
        """Record that extracting document DOC_ID raised ERROR ("ExcType: message")."""
        with self._lock:
            self.failed.append(Failed(doc_id, error, location))
        if self.failures is not None:
            print(f"chiso: failed {doc_id}: {error}", file=self.failures, flush=True)

    def __len__(self) -> int:
        """The number of skipped documents (failures are counted apart, in `failed`)."""
        return len(self.skipped)


def os_error_text(err: OSError) -> str:
    """An OSError as a user reads it: "No space left on device", followed by the file it names, if any."""
    text = err.strerror or str(err)
    return f"{text} ({err.filename})" if err.filename and err.strerror else text
