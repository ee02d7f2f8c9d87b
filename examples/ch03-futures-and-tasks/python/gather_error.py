# asyncio: gather raises the first exception but leaves the other tasks running.
import asyncio


async def job(n):
    await asyncio.sleep(0.01 * n)
    if n == 2:
        raise ValueError("job 2 failed")
    print(f"job {n} finished")
    return n * 10


async def main():
    try:
        await asyncio.gather(job(1), job(2), job(3))
    except ValueError as error:
        print(f"gather raised: {error}")
    await asyncio.sleep(0.05)
    print("a little later")


asyncio.run(main())
