"""Resumable crawl state in SQLite: the frontier, what was fetched (status, validators, hash) and content hashes.

Every change is committed at once (WAL journal), so a crawl stopped at any point restarts where it stopped:
pages marked `fetching` when the process died go back to the queue, `done` pages are never fetched again
(unless the crawl is a re-crawl, which asks the server with If-None-Match / If-Modified-Since).
"""
from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

SCHEMA = """
CREATE TABLE IF NOT EXISTS urls (
    url TEXT PRIMARY KEY,
    seq INTEGER NOT NULL,           -- discovery order (frontier is breadth-first: depth, then seq)
    depth INTEGER NOT NULL,
    kind TEXT NOT NULL,             -- page, sitemap, feed
    parent TEXT,                    -- the page it was found on
    state TEXT NOT NULL,            -- queued, fetching, done, failed, disallowed
    attempts INTEGER NOT NULL DEFAULT 0,
    http_status INTEGER,
    error TEXT,
    final_url TEXT,
    etag TEXT,
    last_modified TEXT,
    sha1 TEXT,
    warc_file TEXT,
    warc_offset INTEGER,
    fetched_at TEXT,
    run INTEGER
);
CREATE INDEX IF NOT EXISTS urls_frontier ON urls(state, depth, seq);
CREATE TABLE IF NOT EXISTS hashes (sha1 TEXT PRIMARY KEY, url TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS runs (run INTEGER PRIMARY KEY, started TEXT, finished TEXT, interrupted INTEGER);
"""


@dataclass(frozen=True)
class Pending:
    """A frontier entry ready to be fetched."""

    url: str
    depth: int
    kind: str
    etag: str | None
    last_modified: str | None
    warc_file: str | None
    warc_offset: int | None


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


class CrawlState:
    """The SQLite state file of one crawl output directory."""

    def __init__(self, path: Path):
        self.path = Path(path)
        self.db = sqlite3.connect(self.path, isolation_level=None)
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=NORMAL")
        self.db.executescript(SCHEMA)
        self.db.execute("UPDATE urls SET state='queued' WHERE state='fetching'")  # interrupted mid-fetch last time
        self._seq = self.db.execute("SELECT COALESCE(MAX(seq), 0) FROM urls").fetchone()[0]
        self.run = self.db.execute("INSERT INTO runs(started) VALUES (?)", (_now(),)).lastrowid

    def close(self, interrupted: bool = False) -> None:
        """Record the end of this run and close the database."""
        self.db.execute("UPDATE runs SET finished=?, interrupted=? WHERE run=?", (_now(), int(interrupted), self.run))
        self.db.close()

    def add(self, url: str, depth: int, kind: str = "page", parent: str | None = None) -> bool:
        """Queue `url` unless it is already known; True when it was new."""
        self._seq += 1
        cur = self.db.execute(
            "INSERT OR IGNORE INTO urls(url, seq, depth, kind, parent, state, run) VALUES (?,?,?,?,?,'queued',?)",
            (url, self._seq, depth, kind, parent, self.run))
        return cur.rowcount == 1

    def state_of(self, url: str) -> str | None:
        """Current state of a URL, None when unknown."""
        row = self.db.execute("SELECT state FROM urls WHERE url=?", (url,)).fetchone()
        return row[0] if row else None

    def requeue_for_recrawl(self) -> int:
        """Queue every fetched page again (conditional requests will ask whether it changed); count."""
        return self.db.execute("UPDATE urls SET state='queued', run=? WHERE state='done' AND http_status < 300",
                               (self.run,)).rowcount

    def requeue_seed(self, url: str) -> None:
        """Queue a seed again for a re-crawl even if it was fetched (feeds and sitemaps change)."""
        self.db.execute("UPDATE urls SET state='queued' WHERE url=? AND state='done'", (url,))

    def requeue_disallowed(self) -> int:
        """Queue URLs an earlier run found disallowed: robots.txt is read afresh each run and may allow them now."""
        return self.db.execute("UPDATE urls SET state='queued', error=NULL WHERE state='disallowed'").rowcount

    def next_batch(self, limit: int, exclude: set[str], skip_origins: set[str] = frozenset()) -> list[Pending]:
        """Up to `limit` queued entries, shallowest first, skipping URLs in `exclude` and under `skip_origins`."""
        prefixes = [o + "/" for o in sorted(skip_origins)]
        where = "".join(" AND substr(url, 1, ?) != ?" for _ in prefixes)
        params = [x for p in prefixes for x in (len(p), p)]
        rows = self.db.execute(
            "SELECT url, depth, kind, etag, last_modified, warc_file, warc_offset FROM urls "
            f"WHERE state='queued'{where} ORDER BY depth, seq LIMIT ?", (*params, limit + len(exclude))).fetchall()
        return [Pending(*r) for r in rows if r[0] not in exclude][:limit]

    def queued_under(self, origin: str) -> int:
        """Number of queued URLs of one origin (scheme://host[:port])."""
        prefix = origin + "/"
        return self.db.execute("SELECT COUNT(*) FROM urls WHERE state='queued' AND substr(url, 1, ?) = ?",
                               (len(prefix), prefix)).fetchone()[0]

    def claim(self, url: str, depth: int = 0, kind: str = "page", parent: str | None = None) -> str | None:
        """Mark `url` as being fetched (adding it if unknown); returns its previous state (None if new)."""
        prev = self.state_of(url)
        if prev is None:
            self.add(url, depth, kind, parent)
        self.db.execute("UPDATE urls SET state='fetching', attempts=attempts+1, run=? WHERE url=?", (self.run, url))
        return prev

    def requeue(self, url: str) -> None:
        """Put an entry back in the queue (its fetch was cancelled before anything was recorded)."""
        self.db.execute("UPDATE urls SET state='queued', attempts=MAX(attempts-1, 0) WHERE url=?", (url,))

    def finish(self, url: str, state: str, **fields) -> None:
        """Record the outcome of a URL: state plus any of http_status, error, final_url, etag, last_modified,
        sha1, warc_file, warc_offset, fetched_at."""
        cols = ["state=?"] + [f"{k}=?" for k in fields]
        self.db.execute(f"UPDATE urls SET {', '.join(cols)} WHERE url=?", (state, *fields.values(), url))

    def parent_of(self, url: str) -> str | None:
        """The page on which `url` was found (None for seeds and unknown URLs)."""
        row = self.db.execute("SELECT parent FROM urls WHERE url=?", (url,)).fetchone()
        return row[0] if row else None

    def stored(self, url: str) -> tuple[str | None, str | None]:
        """(sha1, fetched_at) recorded for a URL (Nones when unknown)."""
        row = self.db.execute("SELECT sha1, fetched_at FROM urls WHERE url=?", (url,)).fetchone()
        return (row[0], row[1]) if row else (None, None)

    def seen_hash(self, sha1: str, url: str) -> str | None:
        """The URL that first had this content hash (recording `url` as the first when new)."""
        self.db.execute("INSERT OR IGNORE INTO hashes(sha1, url) VALUES (?, ?)", (sha1, url))
        first = self.db.execute("SELECT url FROM hashes WHERE sha1=?", (sha1,)).fetchone()[0]
        return None if first == url else first

    def counts(self) -> dict[str, int]:
        """Number of URLs in each state."""
        return dict(self.db.execute("SELECT state, COUNT(*) FROM urls GROUP BY state").fetchall())

    def queued(self) -> int:
        """Number of URLs waiting in the frontier."""
        return self.db.execute("SELECT COUNT(*) FROM urls WHERE state='queued'").fetchone()[0]
