# asyncio: all_tasks() holds the tasks not yet done, the one running main included.
import asyncio


async def job():
    await asyncio.sleep(0.01)


async def main():
    print(f"at the start: {len(asyncio.all_tasks())}")
    tasks = [asyncio.create_task(job()) for _ in range(10)]
    print(f"after 10 create_task calls: {len(asyncio.all_tasks())}")
    await asyncio.gather(*tasks)
    print(f"once they are done: {len(asyncio.all_tasks())}")


asyncio.run(main())
