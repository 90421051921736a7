#!/usr/bin/env python3
"""Posts JSON comments from several threads until the server dies; appends the id of every
comment answered 201 to --acked, one per line, flushed at once (so a kill loses no record)."""
import argparse, http.client, json, threading, time

parser = argparse.ArgumentParser()
parser.add_argument("--port", type=int, required=True)
parser.add_argument("--threads", type=int, default=8)
parser.add_argument("--acked", required=True)
parser.add_argument("--seconds", type=float, default=30)
args = parser.parse_args()

lock = threading.Lock()
out = open(args.acked, "a", buffering=1)
stop_at = time.time() + args.seconds


def worker(index):
    connection = None
    sequence = 0
    failures = 0
    while time.time() < stop_at and failures < 20:
        sequence += 1
        body = json.dumps({
            "body": f"crash test comment {index}-{sequence} {time.time()}",
            "author": f"Writer {index}",
            "email": f"writer{index}-{sequence}@example.org",
            "post": f"/crash/{index % 4}/",
        })
        try:
            if connection is None:
                connection = http.client.HTTPConnection("127.0.0.1", args.port, timeout=5)
            connection.request("POST", "/comments", body=body, headers={"Content-Type": "application/json"})
            response = connection.getresponse()
            payload = response.read()
            if response.status == 201:
                with lock:
                    out.write(f"{json.loads(payload)['id']}\n")
                    out.flush()
            failures = 0
        except Exception:
            # The server was killed: keep trying briefly, then give up.
            connection = None
            failures += 1
            time.sleep(0.05)


threads = [threading.Thread(target=worker, args=(i,)) for i in range(args.threads)]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
