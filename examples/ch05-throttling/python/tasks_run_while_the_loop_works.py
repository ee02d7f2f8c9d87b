# asyncio: tasks keep running while the loop over as_completed does slow work.
import asyncio

REQUESTS, LIMIT = 10, 3
SERVER_TIME, TIMEOUT, SLOW_WORK = 0.05, 0.1, 0.2  # seconds, as in the Rust listing


async def request(semaphore, id):
    async with semaphore:  # three at a time
        try:
            # stands in for the round trip to the server, given up after TIMEOUT
            await asyncio.wait_for(asyncio.sleep(SERVER_TIME), TIMEOUT)
            return id
        except asyncio.TimeoutError:
            return "x"


async def main():
    semaphore = asyncio.Semaphore(LIMIT)
    tasks = [asyncio.create_task(request(semaphore, id)) for id in range(REQUESTS)]
    replies, finished = [], None
    for next_reply in asyncio.as_completed(tasks):
        replies.append(await next_reply)
        await asyncio.sleep(SLOW_WORK)  # writing the reply somewhere slow
        if finished is None:
            finished = sum(task.done() for task in tasks)
    print(f"requests finished while the loop worked on its first reply: {finished}")
    timed_out = replies.count("x")
    print(f"answered: {len(replies) - timed_out}, timed out: {timed_out}")


asyncio.run(main())
