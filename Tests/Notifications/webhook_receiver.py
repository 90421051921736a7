"""A webhook endpoint on loopback for Moderato's tests, verifying each delivery exactly as a
Standard Webhooks consumer does: with the reference library (standardwebhooks), the secret read
from the file Moderato created, the headers and the raw body.

    webhook_receiver.py --secret-file F --log F --port-file F [--port P] [--mode MODE] [--fail-first N]

MODE: answer (default: 204 for a verified delivery, 401 for one that is not), hang (read the
request, never answer), garbage (answer bytes that are not HTTP, then close). --fail-first N
answers 500 to the first N attempts of each webhook-id. Each request is one JSON line in --log
(appended, so a receiver restarted on the same port adds to the same log).
"""

import argparse
import json
import signal
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from standardwebhooks.webhooks import Webhook, WebhookVerificationError

# Started from a test's thread, the process may inherit a mask blocking SIGTERM: unblock it.
signal.pthread_sigmask(signal.SIG_SETMASK, set())

parser = argparse.ArgumentParser()
parser.add_argument("--secret-file", required=True)
parser.add_argument("--log", required=True)
parser.add_argument("--port-file", required=True)
parser.add_argument("--port", type=int, default=0)
parser.add_argument("--mode", default="answer", choices=["answer", "hang", "garbage"])
parser.add_argument("--fail-first", type=int, default=0)
args = parser.parse_args()

lock = threading.Lock()
attempts = {}


def log(entry):
    with lock, open(args.log, "a", encoding="utf-8") as out:
        out.write(json.dumps(entry) + "\n")


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *_):
        pass

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        headers = {name.lower(): value for name, value in self.headers.items()}
        entry = {"path": self.path, "headers": headers, "body": body.decode("utf-8", "replace"), "received_at": time.time()}
        if args.mode == "hang":
            log(dict(entry, answer="none"))
            time.sleep(3600)
            return
        if args.mode == "garbage":
            log(dict(entry, answer="garbage"))
            self.wfile.write(b"\x00\x01 this is not HTTP \xff\r\n\r\n")
            self.wfile.flush()
            self.close_connection = True
            return
        try:
            with open(args.secret_file, encoding="utf-8") as file:
                secret = file.read().strip()
            payload = Webhook(secret).verify(body, headers)
            entry.update(verified=True, payload=payload)
        except (WebhookVerificationError, OSError, ValueError) as error:
            entry.update(verified=False, error=str(error))
            self.answer(401, entry)
            return
        message_id = headers.get("webhook-id")
        with lock:
            attempts[message_id] = attempts.get(message_id, 0) + 1
            count = attempts[message_id]
        self.answer(500 if count <= args.fail_first else 204, entry)

    def answer(self, status, entry):
        log(dict(entry, answer=status))
        self.send_response(status)
        self.send_header("Content-Length", "0")
        self.end_headers()


server = ThreadingHTTPServer(("127.0.0.1", args.port), Handler)
server.daemon_threads = True
with open(args.port_file + ".tmp", "w", encoding="utf-8") as file:
    file.write(str(server.server_address[1]))
import os  # noqa: E402  (only for the atomic rename, so a reader never sees half a number)

os.replace(args.port_file + ".tmp", args.port_file)
server.serve_forever()
