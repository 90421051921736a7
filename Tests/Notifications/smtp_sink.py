"""A real SMTP server on loopback (aiosmtpd) for Moderato's end-to-end mail test. Every message it
accepts is written to --folder as N.eml (the raw bytes as they arrived) and N.json (the envelope,
and the message parsed back with Python's email package: decoded headers and text).

    smtp_sink.py --folder F --port-file F
"""

import argparse
import asyncio
import email
import email.policy
import json
import signal
import os
import socket

from aiosmtpd.controller import Controller

# Started from a test's thread, the process may inherit a mask blocking SIGTERM: unblock it.
signal.pthread_sigmask(signal.SIG_SETMASK, set())

parser = argparse.ArgumentParser()
parser.add_argument("--folder", required=True)
parser.add_argument("--port-file", required=True)
args = parser.parse_args()


class Sink:
    count = 0

    async def handle_DATA(self, server, session, envelope):
        Sink.count += 1
        base = os.path.join(args.folder, str(Sink.count))
        with open(base + ".eml", "wb") as out:
            out.write(envelope.original_content or envelope.content)
        message = email.message_from_bytes(envelope.original_content or envelope.content, policy=email.policy.default)
        parsed = {
            "mail_from": envelope.mail_from,
            "rcpt_tos": envelope.rcpt_tos,
            "headers": {name: str(value) for name, value in message.items()},
            "content_type": message.get_content_type(),
            "charset": message.get_content_charset(),
            "text": message.get_content(),
        }
        with open(base + ".json.tmp", "w", encoding="utf-8") as out:
            json.dump(parsed, out)
        os.replace(base + ".json.tmp", base + ".json")
        return "250 OK"


# aiosmtpd wants a port of its own choosing: take a free one.
probe = socket.socket()
probe.bind(("127.0.0.1", 0))
port = probe.getsockname()[1]
probe.close()
controller = Controller(Sink(), hostname="127.0.0.1", port=port)
controller.start()
with open(args.port_file + ".tmp", "w", encoding="utf-8") as file:
    file.write(str(controller.port))
os.replace(args.port_file + ".tmp", args.port_file)
try:
    asyncio.new_event_loop().run_forever()
finally:
    controller.stop()
