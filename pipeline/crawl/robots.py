"""robots.txt per origin, parsed with the standard library's urllib.robotparser (rules and Crawl-delay).

RFC 9309 decides what a failed fetch means: a 4xx robots.txt ("unavailable") allows everything; a 5xx, a timeout
or a refused connection ("unreachable") means nothing may be fetched *for now*: the origin's URLs wait in the
queue and robots.txt is asked again later (after `retry_delay` seconds, doubling, within a run; and in every new
run). A robots.txt larger than the parsing limit is read up to the limit, never treated as a failure.
"""
from __future__ import annotations

import asyncio
import math
import time
from dataclasses import dataclass
from typing import Awaitable, Callable
from urllib.robotparser import RobotFileParser

from .urls import origin_of

# RFC 9309 section 2.5: the parsing limit must be at least 500 KiB; the rest of a longer file is ignored.
ROBOTS_MAX_BYTES = 500 * 1024
ALLOW, DISALLOW, WAIT = "allow", "disallow", "wait"
# Fetches of an unreachable robots.txt in one run; after that its URLs wait for the next run.
MAX_TRIES_PER_RUN = 3


@dataclass
class RobotsEntry:
    """The parsed robots.txt of one origin and what happened when fetching it."""

    parser: RobotFileParser
    note: str  # "ok", "missing (404): everything allowed", "unreachable (HTTP 503 ...)"
    text: str = ""
    unreachable: bool = False  # 5xx or network error: nothing allowed until robots.txt is fetched again
    retry_at: float = 0.0  # clock time after which an unreachable robots.txt is asked again
    tries: int = 1  # fetches of this robots.txt in this run


def fractional_crawl_delay(text: str, user_agent: str) -> float | None:
    """Crawl-delay for `user_agent` read leniently ("0.5" too, which urllib.robotparser ignores)."""
    token = user_agent.split("/")[0].strip().lower()
    delays: dict[str, float] = {}
    agents: list[str] = []
    in_agents = False
    for raw in text.splitlines():
        line = raw.split("#", 1)[0].strip()
        if ":" not in line:
            continue
        key, value = (part.strip() for part in line.split(":", 1))
        key = key.lower()
        if key == "user-agent":
            agents = agents + [value.lower()] if in_agents else [value.lower()]
            in_agents = True
            continue
        in_agents = False
        if key == "crawl-delay":
            try:
                delay = float(value)
            except ValueError:
                continue
            for agent in agents:
                delays.setdefault(agent, delay)
    specific = [d for a, d in delays.items() if a != "*" and a and a in token]
    return specific[0] if specific else delays.get("*")


def parse_robots(text: str) -> RobotFileParser:
    """A RobotFileParser loaded from robots.txt text."""
    rp = RobotFileParser()
    rp.parse(text.splitlines())
    return rp


def cut_to_limit(text: str, truncated: bool) -> str:
    """robots.txt text cut at its last complete line when the body was truncated at the parsing limit."""
    return text.rsplit("\n", 1)[0] if truncated and "\n" in text else text


class RobotsCache:
    """Fetches each origin's robots.txt and answers verdict / crawl_delay for the crawler's user agent.

    `fetch` maps a robots URL to (status, text, error); status None means the server could not be reached.
    """

    def __init__(self, user_agent: str, fetch: Callable[[str], Awaitable[tuple[int | None, str, str | None]]],
                 obey: bool = True, retry_delay: float = 60.0, clock: Callable[[], float] = time.monotonic):
        self.user_agent = user_agent
        self.fetch = fetch  # robots URL -> (status, text, error)
        self.obey = obey
        self.retry_delay = retry_delay
        self.clock = clock
        self.entries: dict[str, RobotsEntry] = {}
        self._locks: dict[str, asyncio.Lock] = {}

    def _due(self, entry: RobotsEntry | None) -> bool:
        return entry is None or (entry.unreachable and self.clock() >= entry.retry_at)

    async def entry(self, url: str) -> RobotsEntry:
        """The robots entry of the origin of `url`, fetching robots.txt on first use (and again when due)."""
        origin = origin_of(url)
        if not self._due(self.entries.get(origin)):
            return self.entries[origin]
        lock = self._locks.setdefault(origin, asyncio.Lock())
        async with lock:
            previous = self.entries.get(origin)
            if self._due(previous):  # another task may have fetched it while this one waited for the lock
                self.entries[origin] = await self._load(origin, previous)
        return self.entries[origin]

    async def _load(self, origin: str, previous: RobotsEntry | None) -> RobotsEntry:
        status, text, error = await self.fetch(origin + "/robots.txt")
        if status is not None and 200 <= status < 300:
            return RobotsEntry(parse_robots(text), "ok", text)
        rp = RobotFileParser(origin + "/robots.txt")
        if status is not None and 400 <= status < 500:
            rp.allow_all = True
            return RobotsEntry(rp, f"missing ({status}): everything allowed")
        rp.disallow_all = True
        tries = previous.tries + 1 if previous is not None else 1
        wait = self.retry_delay * 2 ** (tries - 1) if tries < MAX_TRIES_PER_RUN else math.inf
        return RobotsEntry(rp, f"unreachable ({error or f'HTTP {status}'})", unreachable=True,
                           retry_at=self.clock() + wait, tries=tries)

    def deferred(self) -> set[str]:
        """Origins whose robots.txt is unreachable and not yet due for another try (their URLs wait)."""
        now = self.clock()
        return {o for o, e in self.entries.items() if e.unreachable and now < e.retry_at} if self.obey else set()

    def unreachable(self) -> dict[str, RobotsEntry]:
        """Origins whose last robots.txt fetch failed (5xx or network error)."""
        return {o: e for o, e in self.entries.items() if e.unreachable} if self.obey else {}

    async def verdict(self, url: str) -> str:
        """ALLOW, DISALLOW, or WAIT (robots.txt unreachable: keep the URL queued); ALLOW with obey=False."""
        if not self.obey:
            return ALLOW
        entry = await self.entry(url)
        if entry.unreachable:
            return WAIT
        return ALLOW if entry.parser.can_fetch(self.user_agent, url) else DISALLOW

    async def allowed(self, url: str) -> bool:
        """True when robots.txt lets our user agent fetch `url` now (always True with obey=False)."""
        return await self.verdict(url) == ALLOW

    async def crawl_delay(self, url: str) -> float | None:
        """The Crawl-delay for our user agent at the origin of `url`, if any."""
        if not self.obey:
            return None
        entry = await self.entry(url)
        delay = entry.parser.crawl_delay(self.user_agent)
        if delay is None and entry.text:
            return fractional_crawl_delay(entry.text, self.user_agent)
        return float(delay) if delay is not None else None
