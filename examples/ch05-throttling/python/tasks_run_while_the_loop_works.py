# asyncio: tasks run while the loop works on a reply; an async generator does not.
# ANCHOR: requests
import asyncio

REQUESTS, LIMIT = 10, 3
SERVER_TIME, SLOW_WORK = 0.05, 0.2  # seconds, as in the Rust listing
answered = []  # the requests that have had their answer


async def request(semaphore, id):
    async with semaphore:  # three at a time
        await asyncio.sleep(SERVER_TIME)  # stands in for the round trip to the server
        answered.append(id)
        return id


async def from_tasks(semaphore):
    tasks = [asyncio.create_task(request(semaphore, id)) for id in range(REQUESTS)]
    for next_reply in asyncio.as_completed(tasks):
        yield await next_reply


async def from_coroutines(semaphore):  # as_completed wraps each one in a task
    coroutines = [request(semaphore, id) for id in range(REQUESTS)]
    for next_reply in asyncio.as_completed(coroutines):
        yield await next_reply


async def from_a_generator(semaphore):  # the requests move only while iterated
    for id in range(REQUESTS):
        yield await request(semaphore, id)
# ANCHOR_END: requests


# ANCHOR: main
async def main():
    print("requests answered by the end of the loop's work on its first reply:")
    for replies in [from_tasks, from_coroutines, from_a_generator]:
        answered.clear()
        stream = replies(asyncio.Semaphore(LIMIT))
        await anext(stream)  # the first reply
        await asyncio.sleep(SLOW_WORK)  # the loop's slow work on it
        await stream.aclose()
        print(f"{replies.__name__}: {len(answered)} of {REQUESTS}")


asyncio.run(main())
# ANCHOR_END: main
