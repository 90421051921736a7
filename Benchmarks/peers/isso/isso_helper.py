#!/usr/bin/env python3
"""Helper for Benchmarks/peers/isso.sh (stdlib only).

Subcommands:
  wait    BASE_URL TIMEOUT_S        poll until Isso answers GET /info
  seed    BASE_URL N                create N top-level comments in /bench/thread/
                                    (+1 comment creating /bench/submissions/)
  verify  BASE_URL N                check listing, count and feed see N comments;
                                    prints a JSON object describing what it found
  parse   RESULTS_DIR OUT_JSON PEER parse isso-<shape>.txt wrk outputs into OUT_JSON
"""

import json
import os
import re
import sys
import time
import urllib.error
import urllib.request
import xml.etree.ElementTree as ET

THREAD = "/bench/thread/"
SUBMISSIONS = "/bench/submissions/"
ORIGIN = "http://127.0.0.1:8080"
SHAPES = ["thread_listing", "submissions", "count", "feed"]


def http(method, url, body=None, accept="application/json"):
    data = None
    headers = {"Accept": accept, "Origin": ORIGIN}
    if body is not None:
        data = json.dumps(body).encode("utf-8")
        headers["Content-Type"] = "application/json"
    req = urllib.request.Request(url, data=data, method=method, headers=headers)
    try:
        with urllib.request.urlopen(req, timeout=60) as resp:
            return resp.status, resp.read()
    except urllib.error.HTTPError as e:
        return e.code, e.read()


def cmd_wait(base, timeout):
    deadline = time.time() + float(timeout)
    last = None
    while time.time() < deadline:
        try:
            status, _ = http("GET", base + "/info")
            if status == 200:
                return 0
            last = "HTTP %d" % status
        except Exception as e:  # connection refused while booting
            last = repr(e)
        time.sleep(0.2)
    print("isso did not answer within %ss (last: %s)" % (timeout, last), file=sys.stderr)
    return 1


def comment(i, kind):
    return {
        "text": (
            "Seed comment %d for the %s thread. Lorem ipsum dolor sit amet, consectetur "
            "adipiscing elit, sed do eiusmod tempor incididunt ut labore et dolore magna "
            "aliqua. Ut enim ad minim veniam, *quis nostrud* exercitation." % (i, kind)
        ),
        "author": "Seed Author %d" % i,
        "email": "seed-%s-%d@example.com" % (kind, i),
        "website": None,
    }


def post_comment(base, uri, body):
    status, raw = http("POST", base + "/new?uri=" + uri, body)
    if status not in (201, 202):
        raise SystemExit("POST /new?uri=%s failed: HTTP %d %s" % (uri, status, raw[:300]))
    rv = json.loads(raw)
    if rv.get("mode") != 1:
        raise SystemExit("comment was not published (mode=%r) — is [moderation] enabled?" % rv.get("mode"))
    return rv


def cmd_seed(base, n):
    n = int(n)
    for i in range(1, n + 1):
        body = comment(i, "bench")
        if i == 1:
            # A new thread needs a title (or Isso tries to fetch the page
            # from [general] host to read it).
            body["title"] = "Bench thread"
        post_comment(base, THREAD, body)
    body = comment(0, "submissions")
    body["title"] = "Bench submissions thread"
    post_comment(base, SUBMISSIONS, body)
    return 0


def cmd_verify(base, n):
    n = int(n)
    out = {}
    status, raw = http("GET", base + "/?uri=" + THREAD)
    if status != 200:
        raise SystemExit("GET /?uri=%s: HTTP %d" % (THREAD, status))
    listing = json.loads(raw)
    out["listing_top_level"] = len(listing["replies"])
    out["listing_total_replies"] = listing["total_replies"]
    out["listing_hidden_replies"] = listing["hidden_replies"]
    out["listing_bytes"] = len(raw)
    if out["listing_top_level"] != n or out["listing_total_replies"] != n:
        raise SystemExit("listing returned %r, expected %d comments" % (out, n))

    status, raw = http("POST", base + "/count", [THREAD])
    if status != 200 or json.loads(raw) != [n]:
        raise SystemExit("POST /count: HTTP %d %r, expected [%d]" % (status, raw[:200], n))
    out["count"] = json.loads(raw)[0]

    status, raw = http("GET", base + "/feed?uri=" + THREAD, accept="application/atom+xml")
    if status == 200:
        root = ET.fromstring(raw)
        entries = root.findall("{http://www.w3.org/2005/Atom}entry")
        out["feed_available"] = True
        out["feed_entries"] = len(entries)
        out["feed_bytes"] = len(raw)
    else:
        out["feed_available"] = False
        out["feed_status"] = status
    print(json.dumps(out))
    return 0


UNIT_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0, "h": 3600000.0}


def to_ms(value, unit):
    return float(value) * UNIT_MS[unit]


def parse_wrk(text):
    r = {}
    m = re.search(r"Requests/sec:\s+([\d.]+)", text)
    r["requests_per_second"] = float(m.group(1)) if m else None
    for pct, key in (("50", "p50_ms"), ("99", "p99_ms")):
        m = re.search(r"^\s+%s(?:\.000)?%%\s+([\d.]+)(us|ms|s|m|h)\s*$" % pct, text, re.M)
        r[key] = round(to_ms(m.group(1), m.group(2)), 3) if m else None
    m = re.search(r"(\d+) requests in ([\d.]+)(us|ms|s|m|h)", text)
    r["requests"] = int(m.group(1)) if m else None
    r["duration_s"] = round(to_ms(m.group(2), m.group(3)) / 1000.0, 2) if m else None
    m = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", text)
    sock = dict(zip(("connect", "read", "write", "timeout"), map(int, m.groups()))) if m else {
        "connect": 0, "read": 0, "write": 0, "timeout": 0}
    m = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
    wrk_non2xx3xx = int(m.group(1)) if m else 0
    lua = None
    m = re.search(r"^BENCH (\{.*\})\s*$", text, re.M)
    if m:
        lua = json.loads(m.group(1))
    return r, sock, wrk_non2xx3xx, lua


def cmd_parse(results_dir, out_json, peer):
    # Run metadata is handed over by isso.sh through BENCH_META_* variables
    # (each holding JSON) and per-shape load averages in isso-<shape>.load.
    meta = {}
    for key, val in os.environ.items():
        if key.startswith("BENCH_META_") and val:
            name = key[len("BENCH_META_"):].lower()
            try:
                meta[name] = json.loads(val)
            except ValueError:
                meta[name] = val
    shapes = {}
    for shape in SHAPES:
        path = os.path.join(results_dir, "isso-%s.txt" % shape)
        unavailable = os.path.join(results_dir, "isso-%s.unavailable" % shape)
        if os.path.exists(unavailable):
            shapes[shape] = {"available": False, "reason": open(unavailable).read().strip()}
            continue
        if not os.path.exists(path):
            shapes[shape] = {"available": False, "reason": "not run"}
            continue
        text = open(path).read()
        r, sock, wrk_non2xx3xx, lua = parse_wrk(text)
        socket_errors = sum(sock.values())
        non2xx = lua["non_2xx"] if lua else wrk_non2xx3xx
        entry = {
            "requests_per_second": r["requests_per_second"],
            "p50_ms": r["p50_ms"],
            "p99_ms": r["p99_ms"],
            "errors": socket_errors + non2xx,
            "requests": r["requests"],
            "duration_s": r["duration_s"],
            "socket_errors": sock,
            "non_2xx": non2xx,
        }
        if lua:
            entry["ok_2xx"] = lua["ok_2xx"]
            if lua.get("non_2xx_statuses"):
                entry["non_2xx_statuses"] = lua["non_2xx_statuses"]
        if shape == "submissions":
            entry["accepted"] = lua["ok_2xx"] if lua else (r["requests"] or 0) - wrk_non2xx3xx
            entry["accepted_per_second"] = (
                round(entry["accepted"] / r["duration_s"], 2) if r["duration_s"] else None)
        load = os.path.join(results_dir, "isso-%s.load" % shape)
        if os.path.exists(load):
            for line in open(load):
                k, _, v = line.partition(":")
                if k.strip() in ("before", "after"):
                    entry["loadavg_" + k.strip()] = v.strip()
        shapes[shape] = entry
    result = {"peer": peer, "shapes": shapes}
    for k in sorted(meta):
        result[k] = meta[k]
    with open(out_json, "w") as f:
        json.dump(result, f, indent=2)
        f.write("\n")

    # Human table.
    print()
    print(result["peer"])
    print("%-15s %10s %10s %10s %8s %9s %9s" % ("shape", "req/s", "p50 ms", "p99 ms", "errors", "requests", "accepted"))
    for shape in SHAPES:
        e = shapes[shape]
        if e.get("available") is False:
            print("%-15s unavailable: %s" % (shape, e["reason"]))
            continue

        def fmt(v, spec):
            return spec % v if v is not None else "n/a"

        print("%-15s %10s %10s %10s %8d %9s %9s" % (
            shape, fmt(e["requests_per_second"], "%.2f"), fmt(e["p50_ms"], "%.2f"),
            fmt(e["p99_ms"], "%.2f"), e["errors"], fmt(e["requests"], "%d"),
            str(e.get("accepted", "-"))))
    return 0


def main(argv):
    if len(argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    cmd, args = argv[1], argv[2:]
    fn = {"wait": cmd_wait, "seed": cmd_seed, "verify": cmd_verify, "parse": cmd_parse}.get(cmd)
    if fn is None:
        print(__doc__, file=sys.stderr)
        return 2
    return fn(*args)


if __name__ == "__main__":
    sys.exit(main(sys.argv))
