"""Listing 02's running average as a Python generator: `send` resumes it."""


def averager():
    total, count, average = 0.0, 0, None
    while True:
        value = yield average  # hand out the average, then wait for send()
        total += value
        count += 1
        average = total / count


avg = averager()
next(avg)  # run to the first yield; sending a value first raises TypeError
for value in [10, 20, 30, 60]:
    print(f"send({value}) -> {avg.send(value)}")
