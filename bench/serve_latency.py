#!/usr/bin/env python3
"""Edit-to-reload latency of `handbook serve --watch` (helper of bench/serve_latency.sh).

Starts the server on a handbook, connects to its live-reload WebSocket like an open page, then
edits one cell's file N times and measures, for each edit, the time from writing the file to the
reload message reaching the client. Prints the median, the fastest and the slowest. Standard
library only (a minimal WebSocket client: the server's frames are small and unmasked).

    python3 bench/serve_latency.py --bin target/release/handbook --root CORPUS [--edits 20]
"""

import argparse
import base64
import glob
import json
import os
import socket
import statistics
import subprocess
import sys
import time


def connect(port):
    sock = socket.create_connection(("127.0.0.1", port))
    key = base64.b64encode(os.urandom(16)).decode()
    sock.sendall(
        (
            "GET /__handbook/ws HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n"
            f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n"
        ).encode()
    )
    head = b""
    while b"\r\n\r\n" not in head:
        head += sock.recv(1)
    if b" 101 " not in head.split(b"\r\n")[0]:
        sys.exit(f"WebSocket handshake failed: {head!r}")
    return sock


def read_exact(sock, n):
    data = b""
    while len(data) < n:
        chunk = sock.recv(n - len(data))
        if not chunk:
            sys.exit("the server closed the WebSocket")
        data += chunk
    return data


def next_message(sock):
    """The next text message (JSON), skipping control frames."""
    while True:
        b0, b1 = read_exact(sock, 2)
        length = b1 & 0x7F
        if length == 126:
            length = int.from_bytes(read_exact(sock, 2), "big")
        elif length == 127:
            length = int.from_bytes(read_exact(sock, 8), "big")
        payload = read_exact(sock, length)
        if b0 & 0x0F == 1:
            return json.loads(payload)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--bin", required=True)
    parser.add_argument("--root", required=True)
    parser.add_argument("--edits", type=int, default=20)
    parser.add_argument("--pause", type=float, default=0.3, help="seconds between edits")
    args = parser.parse_args()

    cells = sorted(glob.glob(os.path.join(args.root, "content", "compare", "*", "*.md")))
    cells = [c for c in cells if not c.endswith("_index.md")]
    if not cells:
        sys.exit(f"no cells under {args.root}/content/compare/")
    server = subprocess.Popen(
        [args.bin, "serve", "--watch", "--port", "0", "--root", args.root],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        start = time.perf_counter()
        line = server.stdout.readline()
        startup = time.perf_counter() - start
        url = next(w for w in line.split() if w.startswith("http://")).rstrip(",")
        port = int(url.split(":")[2].split("/")[0])
        sock = connect(port)
        latencies = []
        for i in range(args.edits):
            cell = cells[(i * 7919) % len(cells)]
            with open(cell, encoding="utf-8") as f:
                text = f.read()
            edited = text + f"\nEdited for the latency benchmark, edit {i}.\n"
            t0 = time.perf_counter()
            with open(cell, "w", encoding="utf-8") as f:
                f.write(edited)
            while True:
                message = next_message(sock)
                if message["type"] == "reload":
                    break
                if message["type"] == "errors":
                    sys.exit(f"the rebuild failed: {message['errors'][:3]}")
            latencies.append((time.perf_counter() - t0) * 1000)
            with open(cell, "w", encoding="utf-8") as f:
                f.write(text)
            next_message(sock)  # the reload of the restore
            time.sleep(args.pause)
        print(
            f"{args.root}: first build and start {startup:.1f} s; edit to reload over {len(latencies)} edits: "
            f"median {statistics.median(latencies):.1f} ms, min {min(latencies):.1f} ms, max {max(latencies):.1f} ms"
        )
    finally:
        server.terminate()
        server.wait()


if __name__ == "__main__":
    main()
