"""What a crawl run did, and its human-readable report."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class CrawlSummary:
    """What a crawl run did."""

    out_dir: Path
    fetched: int = 0  # pages requested in this run (excluding robots.txt)
    ok: int = 0
    not_modified: int = 0
    duplicates: int = 0
    failed: int = 0
    disallowed: int = 0
    out_of_scope: int = 0
    bytes: int = 0
    queued_left: int = 0
    interrupted: bool = False
    elapsed: float = 0.0
    failures: list[tuple[str, str]] = field(default_factory=list)  # (url, reason)
    disallowed_urls: list[str] = field(default_factory=list)
    robots_notes: dict[str, str] = field(default_factory=dict)
    robots_waiting: dict[str, int] = field(default_factory=dict)  # origin -> URLs kept queued (robots.txt unreachable)
    host_limited: dict[str, int] = field(default_factory=dict)  # host -> URLs left queued (max_per_host reached)
    max_per_host: int | None = None
    traps: int = 0  # links not followed because they look like a crawler trap
    trap_examples: list[tuple[str, str]] = field(default_factory=list)  # (url, reason), the first few
    warc_files: list[str] = field(default_factory=list)

    def report(self) -> str:
        """A human-readable report of the run, failures with their reasons included."""
        lines = [f"chiso crawl: {self.fetched} pages fetched in {self.elapsed:.1f} s "
                 f"({self.ok} ok, {self.not_modified} not modified, {self.duplicates} duplicate content, "
                 f"{self.failed} failed, {self.disallowed} disallowed by robots.txt, "
                 f"{self.out_of_scope} links out of scope); {self.bytes / 1e6:.2f} MB"]
        held = sum(self.robots_waiting.values()) + sum(self.host_limited.values())
        if self.interrupted:
            lines.append(f"stopped before the end: {self.queued_left} URLs still queued; run the same command "
                         "again to resume")
        elif self.queued_left > held:
            lines.append(f"{self.queued_left - held} URLs still queued (page limit reached); run again to continue")
        for host, left in sorted(self.host_limited.items()):
            lines.append(f"{host}: {left} URLs still queued (max {self.max_per_host} pages per host and run "
                         "reached); run again to continue")
        if self.traps:
            examples = "; ".join(f"{url}: {why}" for url, why in self.trap_examples[:3])
            lines.append(f"{self.traps} links not followed: they look like a crawler trap (e.g. {examples})")
        for origin, note in sorted(self.robots_notes.items()):
            if origin in self.robots_waiting:
                lines.append(f"robots.txt of {origin}: {note}: {self.robots_waiting[origin]} URLs wait in the queue "
                             "(RFC 9309: nothing is fetched while robots.txt cannot be read); run the same command "
                             "later to fetch them")
            elif note != "ok":
                lines.append(f"robots.txt of {origin}: {note}")
        if self.failures:
            lines.append(f"failed ({len(self.failures)}):")
            lines += [f"  {url}: {reason}" for url, reason in self.failures]
        return "\n".join(lines)
