"""The throttled run, the Python side of Chapter 5's rate limit.

`jobs` jobs, all ready at once, through a leaky bucket of `max_rate` per `period_s`:
the real `aiolimiter.AsyncLimiter` when that package is installed (`scripts/bench` puts it
in a virtual environment when the package index is reachable), otherwise the same algorithm
written out below with only the standard library. Prints one JSON line: which limiter ran,
the total time, and how far the latest start fell behind the ideal schedule (jobs
0..max_rate-1 at 0, then one every period/max_rate).
Written for the book; run by `scripts/bench` (bookgen) beside `throttle::LeakyBucket`.
"""
import asyncio
import json
import sys
import time


class LeakyBucket:
    def __init__(self, max_rate: int, period: float) -> None:
        self.max_rate = max_rate
        self.rate_per_s = max_rate / period
        self.level = 0.0
        self.checked = None
        self.lock = asyncio.Lock()  # first come, first served, like the Rust bucket

    async def acquire(self) -> None:
        async with self.lock:
            while True:
                now = asyncio.get_running_loop().time()
                if self.checked is not None:
                    self.level = max(0.0, self.level - (now - self.checked) * self.rate_per_s)
                self.checked = now
                if self.level + 1 <= self.max_rate:
                    self.level += 1
                    return
                await asyncio.sleep((self.level + 1 - self.max_rate) / self.rate_per_s)


def limiter(max_rate: int, period: float):
    """The real aiolimiter if installed, else the port above; and which one it is."""
    try:
        import aiolimiter
        from importlib.metadata import version
    except ImportError:
        return LeakyBucket(max_rate, period), "a port of aiolimiter's algorithm"
    name = f"aiolimiter {version('aiolimiter')}"
    return aiolimiter.AsyncLimiter(max_rate, period), name


async def main(jobs: int, max_rate: int, period: float) -> None:
    bucket, name = limiter(max_rate, period)
    start = time.perf_counter()
    starts = [0.0] * jobs

    async def job(k: int) -> None:
        await bucket.acquire()
        starts[k] = time.perf_counter() - start

    await asyncio.gather(*(job(k) for k in range(jobs)))
    total = time.perf_counter() - start
    ideal = [max(0, k + 1 - max_rate) * period / max_rate for k in range(jobs)]
    lag = max(s - i for s, i in zip(starts, ideal))
    print(json.dumps({"limiter": name, "total_s": total, "max_lag_s": lag}))


if __name__ == "__main__":
    jobs, max_rate, period = int(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3])
    asyncio.run(main(jobs, max_rate, period))
