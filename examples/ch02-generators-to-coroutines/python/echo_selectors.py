# An echo server on one thread: the selector says which sockets are ready, and
# each socket is registered with the callback that serves it.
import selectors, socket, threading

# ANCHOR: server
sel = selectors.DefaultSelector()
unsent = {}  # connection -> bytes read from it but not yet written back
closed = []  # connections whose client has gone

def accept(server, mask):
    try: conn, _ = server.accept()
    except (BlockingIOError, ConnectionAbortedError): return  # gone already
    conn.setblocking(False)
    unsent[conn] = b""
    sel.register(conn, selectors.EVENT_READ, echo)

def echo(conn, mask):
    try:
        if mask & selectors.EVENT_READ:
            data = conn.recv(65536)
            if not data:  # the client closed its side
                return forget(conn)
            unsent[conn] = data
        sent = conn.send(unsent[conn])  # may take only part of it
    except BlockingIOError:
        sent = 0
    except OSError:  # a reset, a broken pipe, ...: ends this one only
        return forget(conn)
    unsent[conn] = unsent[conn][sent:]  # keep the rest for later
    # While some bytes are left, wait to write and read nothing more.
    want = selectors.EVENT_WRITE if unsent[conn] else selectors.EVENT_READ
    sel.modify(conn, want, echo)

def forget(conn):
    sel.unregister(conn); conn.close(); closed.append(conn)
    del unsent[conn]

def serve(connections):  # the loop: wait until sockets are ready, call back
    while len(closed) < connections:
        for key, mask in sel.select():
            key.data(key.fileobj, mask)

server = socket.create_server(("127.0.0.1", 0))
server.setblocking(False)
sel.register(server, selectors.EVENT_READ, accept)
# ANCHOR_END: server

# Clients, on threads: each sends a megabyte of bytes of its own (more than a
# socket's buffers start with) and reads it back while a second thread sends.
CLIENTS, SIZE = 5, 1_000_000
results = {}

def client(n):
    message = bytes(range(n, n + 100)) * (SIZE // 100)
    with socket.create_connection(server.getsockname()) as sock:
        writer = threading.Thread(target=sock.sendall, args=(message,))
        writer.start()
        received = bytearray()
        while len(received) < SIZE and (chunk := sock.recv(65536)):
            received += chunk
        writer.join()
    results[n] = received == message

threads = [threading.Thread(target=client, args=(n,)) for n in range(CLIENTS)]
for thread in threads: thread.start()
serve(CLIENTS)
for thread in threads: thread.join()
print(f"served {len(closed)} connections on one thread")
for n, ok in sorted(results.items()):
    print(f"client {n}: got {SIZE} bytes, {'its own, in order' if ok else 'WRONG'}")
