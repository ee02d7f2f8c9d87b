# `counter += 1` is more than one bytecode: one reads the counter, a later one writes it.
import dis

counter = 0


def add_one():
    global counter
    counter += 1


touching = [i.opname for i in dis.get_instructions(add_one) if i.argval == "counter"]
print("the bytecodes of `counter += 1` that touch counter:", ", ".join(touching))
