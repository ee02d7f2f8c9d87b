"""The scheduler page's two writers in asyncio, and two tasks that both read,
await, then write. asyncio runs ready callbacks first in, first out, so each
program ends the same way on every run: printed is the set of final values over
100 runs."""
import asyncio


async def writers():
    counter = 0

    async def a():
        nonlocal counter
        seen = counter
        await asyncio.sleep(0.001)  # anything awaited between the read and the write
        counter = seen + 1

    async def b():
        nonlocal counter
        await asyncio.sleep(0.001)
        counter = counter + 1

    await asyncio.gather(a(), b())
    return counter


async def both_read_then_write():
    counter = 0

    async def add_one():
        nonlocal counter
        seen = counter
        await asyncio.sleep(0.001)
        counter = seen + 1

    await asyncio.gather(add_one(), add_one())
    return counter


print("writers (a reads, awaits, writes; b awaits, then reads and writes):",
      sorted({asyncio.run(writers()) for _ in range(100)}))
print("two tasks that both read, await, write:",
      sorted({asyncio.run(both_read_then_write()) for _ in range(100)}))
