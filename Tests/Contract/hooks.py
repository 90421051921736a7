"""Schemathesis hooks for Tests/Contract/run.sh.

No check is switched off. These hooks only forgive the answers that SPEC makes depend on state no
JSON Schema can express, and only when the server's own problem+json says that state is the
whole reason:

- `after` is an opaque cursor the server signs for one listing (SPEC §3.2). The document gives its
  alphabet and length, but a generated value is almost never a cursor this server issued, and SPEC
  makes that a 400. A schema-valid request refused with 400 whose `errors` name `after` alone is
  therefore not a contract failure.
- `parent` must be an approved comment of the same post (SPEC §3.1), otherwise 422 on `parent`. A
  generated id almost never is. A schema-valid submission refused with 422 whose `errors` name
  `parent` alone is therefore not a contract failure. (Browsers get the 422 as an HTML page; the
  hook asks the server again for the problem+json, which changes nothing: the submission was refused.)

And one that no server can avoid:

- The HTTP layer (SwiftNIO's parser, under Hummingbird) refuses a request line plus headers over
  80 KiB before any route runs, with an empty 400 and the connection closed. The document allows
  such requests (`/comments/count` takes 100 post keys of up to 512 characters, up to 12 bytes
  each once percent-encoded), and JSON Schema cannot bound a whole URL. Failures of a request whose
  head is that large, answered by that empty 400, are therefore not contract failures.

Every forgiven failure is counted in schemathesis' summary ("dropped by filter_failure"), and
written with its reason to the file named by MODERATO_CONTRACT_FORGIVEN, which run.sh tallies.
"""

import json
import os

import requests
import schemathesis
from schemathesis.openapi.checks import RejectedPositiveData

SUBMISSIONS = {"POST /comments", "POST /wp-comments-post.php"}
# NIOHTTP1's default limit on a request head (NIOHTTPDecoderConfiguration.maxHeaderFieldSize).
HEAD_LIMIT = 80 * 1024


def _head_size(request):
    target = request.path_url
    return len(request.method) + len(target) + 11 + sum(len(k) + len(v) + 4 for k, v in request.headers.items())


def _problem_fields(response):
    """The `field`s of a problem+json answer, or None when the answer is not one."""
    content_type = (response.headers.get("content-type") or [""])[0]
    if not content_type.startswith("application/problem+json"):
        return None
    try:
        return {error.get("field") for error in json.loads(response.content).get("errors", [])}
    except (ValueError, AttributeError):
        return None


def _submission_problem_fields(case, response):
    fields = _problem_fields(response)
    if fields is not None:
        return fields
    # A form post not asking for JSON is answered with an HTML page; the same request asking for
    # JSON gets the same refusal as problem+json.
    request = response.request
    headers = dict(request.headers)
    headers["Accept"] = "application/json"
    again = requests.request(request.method, request.url, headers=headers, data=request.body, timeout=15)
    if again.status_code != response.status_code or not again.headers.get("content-type", "").startswith("application/problem+json"):
        return None
    try:
        return {error.get("field") for error in again.json().get("errors", [])}
    except ValueError:
        return None


def _forgive(reason, case, failure):
    path = os.environ.get("MODERATO_CONTRACT_FORGIVEN")
    if path:
        with open(path, "a", encoding="utf-8") as log:
            log.write(f"{reason}\t{case.method.upper()} {case.operation.path}\t{failure.title}\n")
    return False


@schemathesis.hook
def filter_failure(context, failure, case, response):
    if response.status_code == 400 and not response.content and _head_size(response.request) > HEAD_LIMIT:
        return _forgive("request head over 80 KiB, refused by the HTTP layer", case, failure)
    if not isinstance(failure, RejectedPositiveData):
        return True
    label = f"{case.method.upper()} {case.operation.path}"
    if response.status_code == 400 and (case.query or {}).get("after") and _problem_fields(response) == {"after"}:
        return _forgive("after: not a cursor this server issued", case, failure)
    if response.status_code == 422 and label in SUBMISSIONS and _submission_problem_fields(case, response) == {"parent"}:
        return _forgive("parent: not an approved comment of the post", case, failure)
    return True
