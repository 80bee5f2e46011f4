"""Requests per second against one URL from several keep-alive connections (the same tool for every target)."""

import asyncio
import time

import httpx


async def _measure(url: str, headers: dict[str, str], seconds: float, connections: int,
                   expect: int) -> tuple[float, int]:
    limits = httpx.Limits(max_connections=connections, max_keepalive_connections=connections)
    done, wrong = 0, 0
    async with httpx.AsyncClient(limits=limits, timeout=30) as client:
        for _ in range(connections):  # warm the connections
            await client.get(url, headers=headers)
        stop = time.perf_counter() + seconds

        async def worker() -> None:
            nonlocal done, wrong
            while time.perf_counter() < stop:
                response = await client.get(url, headers=headers)
                done += 1
                wrong += response.status_code != expect
        started = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(connections)))
        elapsed = time.perf_counter() - started
    return done / elapsed, wrong


def requests_per_second(url: str, headers: dict[str, str] | None = None, *, seconds: float = 5,
                        connections: int = 8, expect: int = 200) -> float:
    rps, wrong = asyncio.run(_measure(url, headers or {}, seconds, connections, expect))
    if wrong:
        raise AssertionError(f"{wrong} responses from {url} were not {expect}")
    return rps
