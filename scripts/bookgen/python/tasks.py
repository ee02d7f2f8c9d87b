"""100,000 waiting tasks, the Python side of Chapter 1's scale comparison.

Creates `count` asyncio tasks that all wait for one Event, measures the time to create
each and the resident memory each adds, then releases them. Prints one JSON line.
Written for the book; run by `scripts/bench` (bookgen) beside `07_scale`'s `tasks`.
"""
import asyncio
import json
import os
import sys
import time


def resident_bytes() -> int:
    """Resident memory of this process (Linux: /proc/self/statm; 0 where unknown)."""
    try:
        with open("/proc/self/statm") as statm:
            return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return 0


async def main(count: int) -> None:
    go = asyncio.Event()
    started = 0

    async def waiter() -> None:
        nonlocal started
        started += 1
        await go.wait()

    before = resident_bytes()
    start = time.perf_counter()
    tasks = [asyncio.create_task(waiter()) for _ in range(count)]
    spawn_each = (time.perf_counter() - start) / count
    while started < count:  # let every task start and reach its wait
        await asyncio.sleep(0)
    memory_each = (resident_bytes() - before) / count
    go.set()
    await asyncio.gather(*tasks)
    print(json.dumps({"spawn_each_s": spawn_each, "memory_each_bytes": memory_each}))


if __name__ == "__main__":
    asyncio.run(main(int(sys.argv[1])))
