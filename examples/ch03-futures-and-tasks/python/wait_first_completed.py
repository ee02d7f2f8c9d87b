# asyncio: wait(FIRST_COMPLETED) returns the pending tasks too, and they keep running.
import asyncio


async def job(n):
    await asyncio.sleep(0.01 * n)
    print(f"job {n} finished")
    return n


async def main():
    tasks = [asyncio.create_task(job(n)) for n in (1, 2, 3)]
    done, pending = await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
    print(f"done: {sorted(t.result() for t in done)}, still pending: {len(pending)}")
    await asyncio.wait(pending)  # they were never cancelled
    print("the pending ones finished too")


asyncio.run(main())
