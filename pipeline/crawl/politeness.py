"""Per-host politeness: at most `per_host` requests in flight and `delay` seconds between request starts."""
from __future__ import annotations

import asyncio
from contextlib import asynccontextmanager
from typing import Callable

from .urls import origin_of


class HostGate:
    """Hands out request slots per origin, spacing request starts by that origin's delay."""

    def __init__(self, per_host: int, delay_for: Callable[[str], float]):
        self.per_host = max(1, per_host)
        self.delay_for = delay_for  # origin -> seconds between request starts
        self._sems: dict[str, asyncio.Semaphore] = {}
        self._locks: dict[str, asyncio.Lock] = {}
        self._next: dict[str, float] = {}

    @asynccontextmanager
    async def slot(self, url: str):
        """Hold one request slot of the URL's origin for the duration of the block."""
        origin = origin_of(url)
        sem = self._sems.setdefault(origin, asyncio.Semaphore(self.per_host))
        lock = self._locks.setdefault(origin, asyncio.Lock())
        async with sem:
            async with lock:
                loop = asyncio.get_running_loop()
                wait = self._next.get(origin, 0.0) - loop.time()
                if wait > 0:
                    await asyncio.sleep(wait)
                self._next[origin] = loop.time() + self.delay_for(origin)
            yield

    def hold_off(self, url: str, seconds: float) -> None:
        """Make the URL's origin wait `seconds` before its next request (after 429/503 with Retry-After)."""
        origin = origin_of(url)
        try:
            now = asyncio.get_running_loop().time()
        except RuntimeError:
            return
        self._next[origin] = max(self._next.get(origin, 0.0), now + seconds)
