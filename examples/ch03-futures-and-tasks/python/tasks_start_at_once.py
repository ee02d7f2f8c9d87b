# asyncio: a task starts at once; a coroutine object does nothing until awaited.
import asyncio


async def job(name):
    print(f"{name} ran")


async def main():
    coro = job("the coroutine")  # created, not run
    task = asyncio.create_task(job("the task"))  # scheduled now
    await asyncio.sleep(0)  # one turn of the loop: the task runs, nobody awaited it
    print("after one turn of the loop")
    await coro  # only now does the coroutine run
    await task


asyncio.run(main())
