# asyncio: one Queue, several consumers taking items from it.
import asyncio


async def consumer(name, queue, seen):
    while True:
        item = await queue.get()
        seen.append((name, item))
        await asyncio.sleep(0.01)  # handling the item
        queue.task_done()


async def main():
    queue = asyncio.Queue()
    for item in range(6):
        queue.put_nowait(item)
    seen = []
    workers = [asyncio.create_task(consumer(n, queue, seen)) for n in "ABC"]
    await queue.join()  # every item handled
    for worker in workers:
        worker.cancel()
    print(f"consumers that took items: {sorted({name for name, _ in seen})}")
    print(f"items taken: {sorted(item for _, item in seen)}")


asyncio.run(main())
