#!/usr/bin/env python3
"""The request script of Benchmarks/cost.sh, and the budget check (standard library only).

  cost.py drive  BASE_URL PID TOKEN OUT_JSON     run the phases against a server under callgrind
  cost.py check  RESULT_JSON BUDGET_JSON         fail (exit 1) when a shape grew past the tolerance
  cost.py budget RESULT_JSON BUDGET_JSON         write RESULT_JSON's figures as the new budget

Every phase is sent by one client, one request at a time on one keep-alive connection, with the
same bodies in the same order every run: the server does the same work each time, so callgrind's
instruction count (not the clock) is the measure. Before each phase the counters are zeroed
(`callgrind_control --zero`) and after it they are dumped, so start-up, seeding and warm-up are
left out and each figure is that phase's instructions divided by its requests. One request at a
time also means every submission is its own group commit: the figure is a submission's whole cost.
"""
import glob
import http.client
import json
import os
import re
import subprocess
import sys
import time
import urllib.parse

# shape: (requests, what it is)
SHAPES = {
    "submission": (1000, "POST /comments, JSON, distinct author and body → 201 pending (its own FULL commit)"),
    "form_submission": (1000, "POST /comments, urlencoded, distinct author and body → 303 pending"),
    "listing": (1000, "GET /comments?post=/bench/thread/&limit=100 → 200, cached bytes (100 comments)"),
    "moderation_page": (100, "GET /moderation/comments?status=pending&limit=50 → 200, never cached"),
}
WARM_UP = 30


def submission_json(index):
    body = ("Cost submission %d. Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod "
            "tempor incididunt ut labore et dolore magna aliqua. Ut enim ad minim veniam." % index)
    return json.dumps({"body": body, "author": "Cost Author %d" % index, "email": "cost-%d@example.com" % index,
                       "post": "/cost/submissions/"}).encode()


def submission_form(index):
    body = ("Cost form submission %d. Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod "
            "tempor incididunt ut labore et dolore magna aliqua." % index)
    return urllib.parse.urlencode({"comment": body, "author": "Form Author %d" % index,
                                   "email": "form-%d@example.com" % index, "url": "",
                                   "comment_post_ID": "/cost/forms/", "comment_parent": "0"}).encode()


class Client:
    def __init__(self, base, token):
        parsed = urllib.parse.urlparse(base)
        self.connection = http.client.HTTPConnection(parsed.hostname, parsed.port, timeout=600)
        self.token = token

    def request(self, method, path, body=None, headers=None, expect=(200,)):
        self.connection.request(method, path, body=body, headers=headers or {})
        response = self.connection.getresponse()
        response.read()
        if response.status not in expect:
            raise SystemExit("cost: %s %s answered %d" % (method, path, response.status))

    def run(self, shape, index):
        if shape == "submission":
            self.request("POST", "/comments", submission_json(index),
                         {"Content-Type": "application/json", "Accept": "application/json"}, expect=(201,))
        elif shape == "form_submission":
            self.request("POST", "/comments", submission_form(index),
                         {"Content-Type": "application/x-www-form-urlencoded"}, expect=(303,))
        elif shape == "listing":
            self.request("GET", "/comments?post=/bench/thread/&limit=100")
        elif shape == "moderation_page":
            self.request("GET", "/moderation/comments?status=pending&limit=50",
                         headers={"Authorization": "Bearer " + self.token})


def callgrind_control(pid, *arguments):
    done = subprocess.run(["callgrind_control", *arguments, str(pid)], capture_output=True, text=True)
    if done.returncode != 0:  # its chatter ("sending command …") only when it failed
        raise SystemExit("cost: callgrind_control %s failed:\n%s%s" % (" ".join(arguments), done.stdout, done.stderr))


def dumped_instructions(pid, before):
    """The instruction total of the dump file that appeared since `before` (a set of paths)."""
    for _ in range(600):
        new = sorted(set(glob.glob("callgrind.out.%d*" % pid)) - before)
        if new:
            text = open(new[-1]).read()
            match = re.search(r"^(?:totals|summary):\s+(\d+)", text, re.M)
            if match:
                return int(match.group(1)), new[-1]
        time.sleep(0.1)
    raise SystemExit("cost: callgrind wrote no dump")


def drive(base, pid, token, out_json):
    pid = int(pid)
    client = Client(base, token)
    for index in range(WARM_UP):  # the first requests prepare statements, make metric handles …
        for shape in SHAPES:
            client.run(shape, 1_000_000 + index)
    results = {}
    offset = 0
    for shape, (count, about) in SHAPES.items():
        before = set(glob.glob("callgrind.out.%d*" % pid))
        callgrind_control(pid, "--zero")
        started = time.monotonic()
        for index in range(count):
            client.run(shape, offset + index)
        seconds = time.monotonic() - started
        callgrind_control(pid, "--dump=" + shape)
        total, path = dumped_instructions(pid, before)
        if os.environ.get("COST_KEEP_DUMPS"):  # a folder: keep each phase's profile for callgrind_annotate
            os.replace(path, os.path.join(os.environ["COST_KEEP_DUMPS"], "callgrind.%s" % shape))
        else:
            os.remove(path)
        offset += count
        results[shape] = {"requests": count, "instructions": total, "instructions_per_request": round(total / count),
                          "seconds_under_callgrind": round(seconds, 1), "request": about}
        print("   %-16s %12s instructions per request  (%d requests, %.0f s under callgrind)"
              % (shape, "{:,}".format(round(total / count)), count, seconds), flush=True)
    json.dump({"shapes": results}, open(out_json, "w"), indent=2)


def check(result_json, budget_json):
    result = json.load(open(result_json))["shapes"]
    if not os.path.exists(budget_json):
        print("cost: no budget at %s (record one with Benchmarks/cost.sh --record)" % budget_json, file=sys.stderr)
        return 1
    budget = json.load(open(budget_json))
    tolerance = budget.get("tolerance", 0.15)
    failed = []
    print("| shape | budget | measured | change |")
    print("|---|---:|---:|---:|")
    for shape, entry in budget["shapes"].items():
        allowed = entry["instructions_per_request"]
        measured = result.get(shape, {}).get("instructions_per_request")
        if measured is None:
            failed.append("%s was not measured" % shape)
            continue
        change = measured / allowed - 1
        print("| %s | %s | %s | %+.1f%% |" % (shape, "{:,}".format(allowed), "{:,}".format(measured), 100 * change))
        if change > tolerance:
            failed.append("%s: %s instructions per request, %.1f%% over the budget of %s (at most %.0f%% allowed)"
                          % (shape, "{:,}".format(measured), 100 * change, "{:,}".format(allowed), 100 * tolerance))
    if failed:
        print("cost: over budget —\n  " + "\n  ".join(failed), file=sys.stderr)
        print("A slower change needs a reason; if it is worth it, record the new figures with\n"
              "  Benchmarks/cost.sh --record\nand say why in the commit.", file=sys.stderr)
        return 1
    print("cost: every shape within %.0f%% of its budget" % (100 * tolerance))
    return 0


def record(result_json, budget_json):
    result = json.load(open(result_json))["shapes"]
    budget = json.load(open(budget_json)) if os.path.exists(budget_json) else {"tolerance": 0.15}
    budget["shapes"] = {shape: {"instructions_per_request": entry["instructions_per_request"], "request": entry["request"]}
                        for shape, entry in result.items()}
    with open(budget_json, "w") as out:
        json.dump(budget, out, indent=2)
        out.write("\n")
    return 0


def main(argv):
    commands = {"drive": drive, "check": check, "budget": record}
    if len(argv) < 2 or argv[1] not in commands:
        print(__doc__, file=sys.stderr)
        return 2
    return commands[argv[1]](*argv[2:]) or 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
