"""robots.txt per origin, parsed with the standard library's urllib.robotparser (rules and Crawl-delay)."""
from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import Awaitable, Callable
from urllib.robotparser import RobotFileParser

from .urls import origin_of


@dataclass
class RobotsEntry:
    """The parsed robots.txt of one origin and what happened when fetching it."""

    parser: RobotFileParser
    note: str  # "ok", "missing (404): everything allowed", "unreachable ...: everything disallowed"
    text: str = ""


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


class RobotsCache:
    """Fetches each origin's robots.txt once and answers can_fetch / crawl_delay for the crawler's user agent.

    As RFC 9309 says: a 4xx robots.txt means no restrictions; a 5xx or an unreachable server means the whole
    origin is off limits (we cannot know what the site allows).
    """

    def __init__(self, user_agent: str, fetch: Callable[[str], Awaitable[tuple[int | None, str, str | None]]],
                 obey: bool = True):
        self.user_agent = user_agent
        self.fetch = fetch  # robots URL -> (status, text, error)
        self.obey = obey
        self.entries: dict[str, RobotsEntry] = {}
        self._locks: dict[str, asyncio.Lock] = {}

    async def entry(self, url: str) -> RobotsEntry:
        """The robots entry of the origin of `url`, fetching robots.txt on first use."""
        origin = origin_of(url)
        if origin in self.entries:
            return self.entries[origin]
        lock = self._locks.setdefault(origin, asyncio.Lock())
        async with lock:
            if origin not in self.entries:
                self.entries[origin] = await self._load(origin)
        return self.entries[origin]

    async def _load(self, origin: str) -> RobotsEntry:
        status, text, error = await self.fetch(origin + "/robots.txt")
        if status is not None and 200 <= status < 300:
            return RobotsEntry(parse_robots(text), "ok", text)
        rp = RobotFileParser(origin + "/robots.txt")
        if status is not None and 400 <= status < 500:
            rp.allow_all = True
            return RobotsEntry(rp, f"missing ({status}): everything allowed")
        rp.disallow_all = True
        return RobotsEntry(rp, f"unreachable ({error or status}): everything disallowed")

    async def allowed(self, url: str) -> bool:
        """True when robots.txt lets our user agent fetch `url` (always True with obey=False)."""
        if not self.obey:
            return True
        return (await self.entry(url)).parser.can_fetch(self.user_agent, url)

    async def crawl_delay(self, url: str) -> float | None:
        """The Crawl-delay for our user agent at the origin of `url`, if any."""
        if not self.obey:
            return None
        entry = await self.entry(url)
        delay = entry.parser.crawl_delay(self.user_agent)
        if delay is None and entry.text:
            return fractional_crawl_delay(entry.text, self.user_agent)
        return float(delay) if delay is not None else None
