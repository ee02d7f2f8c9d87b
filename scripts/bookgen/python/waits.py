"""Sequential versus concurrent waits, the Python side of Chapter 1's first comparison.

`jobs` simulated requests of `delay_ms` each (asyncio.sleep stands in for the network),
awaited one after another, then all at once with asyncio.gather. Prints one JSON line.
Written for the book; run by `scripts/bench` (bookgen) beside the Rust listings.
"""
import asyncio
import json
import sys
import time


async def request(delay: float) -> None:
    await asyncio.sleep(delay)  # where real code would wait for a reply


async def sequential(jobs: int, delay: float) -> float:
    start = time.perf_counter()
    for _ in range(jobs):
        await request(delay)
    return time.perf_counter() - start


async def concurrent(jobs: int, delay: float) -> float:
    start = time.perf_counter()
    await asyncio.gather(*(request(delay) for _ in range(jobs)))
    return time.perf_counter() - start


async def main(jobs: int, delay: float) -> None:
    result = {
        "sequential_s": await sequential(jobs, delay),
        "concurrent_s": await concurrent(jobs, delay),
    }
    print(json.dumps(result))


if __name__ == "__main__":
    jobs, delay_ms = int(sys.argv[1]), int(sys.argv[2])
    asyncio.run(main(jobs, delay_ms / 1000))
