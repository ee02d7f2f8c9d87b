# A toy asyncio: a Task pushes its coroutine with send(None); a future calls
# back when done.
import collections, heapq

# call_soon's queue, call_later's heap, and the time
ready, timers, clock = collections.deque(), [], [0]

class Future:
    def __init__(self): self.callbacks = []
    def set_result(self):  # done: call_soon every add_done_callback
        ready.extend(self.callbacks)
    def __await__(self): yield self  # `await fut` hands fut up to the Task

def sleep(seconds):
    future = Future()
    heapq.heappush(timers, (clock[0] + seconds, id(future), future))
    return future

class Task:
    def __init__(self, coro): self.coro = coro; ready.append(self.step)
    def step(self):
        try: future = self.coro.send(None)  # run the coroutine to its next await
        except StopIteration as done: return print(f"{clock[0]}s: {done.value}")
        future.callbacks.append(self.step)  # step again when that future is done

def run():
    while ready or timers:
        while ready: ready.popleft()()
        if timers: clock[0], _, future = heapq.heappop(timers); future.set_result()

async def job(name, seconds):
    await sleep(seconds)
    return f"{name} done"

for name, seconds in [("a", 2), ("b", 1), ("c", 3)]: Task(job(name, seconds))
run()
