"""The chapter's CPU job in Python: the sum of the squares below N, with ProcessPoolExecutor.

`scripts/bench` (through bookgen) runs this next to the Rust version and puts both in one
table. Run it yourself with:

    python3 examples/ch06-process-pools/python/pool.py 10000000 1 2 4

It prints one line per way it ran the job, four fields separated by tabs: how, with how
many workers, the median time of RUNS runs in seconds (starting the pool included), and
the sum.
"""

import statistics
import sys
import time
from concurrent.futures import ProcessPoolExecutor

RUNS = 3


def sum_of_squares(bounds):
    """One share of the job: the sum of the squares in [start, end)."""
    start, end = bounds
    return sum(i * i for i in range(start, end))


def shares(n, parts):
    """Splits range(n) into `parts` contiguous shares of nearly equal size."""
    edges = [n * k // parts for k in range(parts + 1)]
    return list(zip(edges, edges[1:]))


def with_pool(n, workers):
    # A pool per run, as a script that needs one would make it: its start-up is part of
    # what the caller pays. Four shares per worker, like rayon splitting its work.
    with ProcessPoolExecutor(max_workers=workers) as pool:
        return sum(pool.map(sum_of_squares, shares(n, 4 * workers)))


def timed(job):
    times, result = [], None
    for _ in range(RUNS):
        start = time.perf_counter()
        result = job()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def main(argv):
    if len(argv) < 2:
        print("usage: pool.py N WORKERS...", file=sys.stderr)
        return 2
    n = int(argv[1])
    seconds, result = timed(lambda: sum_of_squares((0, n)))
    print(f"one process, no pool\t1\t{seconds}\t{result}", flush=True)
    for workers in (int(w) for w in argv[2:]):
        seconds, result = timed(lambda: with_pool(n, workers))
        print(f"ProcessPoolExecutor\t{workers}\t{seconds}\t{result}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
