"""Parses a mail as sendmail received it on its standard input (Python's email package, the
default policy) and prints what a mail client shows: decoded headers, content type, text.

    parse_mail.py FILE
"""

import email
import email.policy
import json
import sys

with open(sys.argv[1], "rb") as file:
    raw = file.read()
message = email.message_from_bytes(raw, policy=email.policy.default)
print(json.dumps({
    "headers": {name: str(value) for name, value in message.items()},
    "defects": [type(defect).__name__ for defect in message.defects],
    "content_type": message.get_content_type(),
    "charset": message.get_content_charset(),
    "transfer_encoding": message.get("Content-Transfer-Encoding"),
    "text": message.get_content(),
    "longest_line": max(len(line) for line in raw.split(b"\n")),
}))
