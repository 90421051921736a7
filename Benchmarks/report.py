#!/usr/bin/env python3
"""Benchmark bookkeeping for Benchmarks/run.sh and Benchmarks/scale.sh (standard library only).

  report.py parse   RESULT_DIR OUT_JSON          wrk outputs (<shape>.txt) + metadata → JSON
  report.py table   RESULT_JSON [ISSO_JSON]      Markdown table with targets and peer ratios
  report.py readme  README TABLE_MD [SECTION]    replace the table between the README markers
  report.py engines RESULT_DIR OUT_JSON DURATION SQLite beside PostgreSQL (Benchmarks/postgresql.sh) → JSON + Markdown
  report.py scale   RESULT_DIR OUT_JSON          the 10k vs 1M comparison → JSON + Markdown

wrk is run with --latency and Benchmarks/lua/common.lua, which prints a BENCH {...} line with
exact percentiles and counts of answered (2xx/3xx) and refused responses.
"""
import json
import os
import re
import sys

UNIT_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0, "h": 3600000.0}

SHAPES = [
    ("thread_listing", "Thread listing (100 comments, cached)"),
    ("conditional_listing", "Conditional listing (304)"),
    ("feed", "JSON Feed"),
    ("count", "Count"),
    ("form_submissions", "Form submissions (303, pending)"),
    ("json_submissions", "JSON submissions (201, pending)"),
    ("json_submissions_c64", "JSON submissions, 64 connections (201, pending)"),
    ("moderation_queue", "Moderation queue page (50 comments with hashes, uncached)"),
    ("viral_listing", "Viral post: thread listing, 256 connections, 30 s"),
]
SUSTAINED = ["sustained_%d" % n for n in range(1, 6)]

# Targets of issue 18, on this 2-core machine with wrk sharing the cores (-t2 -c16 -d10s unless
# the shape says otherwise): shares of the bare framework in the same run, not absolute rates.
TARGETS = {
    "thread_listing": {"bare_share": 0.90, "p99_ms": 5.0},
    "form_submissions": {"bare_share": 0.50, "p99_ms": 20.0},
    "json_submissions": {"bare_share": 0.50, "p99_ms": 20.0, "peer_ratio": 20},
    "moderation_queue": {"rps": 2500},
    "viral_listing": {"errors": 0, "p99_ms": 50.0},
}
RSS_LOAD_MB = 64
RSS_IDLE_MB = 30
START_MS = 200


def parse_wrk(text):
    """Requests/s, p50/p99 (ms), requests, answered and refused counts, socket errors."""
    result = {}
    match = re.search(r"Requests/sec:\s+([\d.]+)", text)
    result["requests_per_second"] = float(match.group(1)) if match else None
    match = re.search(r"^BENCH (\{.*\})\s*$", text, re.M)
    bench = json.loads(match.group(1)) if match else {}
    result["p50_ms"] = round(bench["p50_us"] / 1000.0, 3) if bench else None
    result["p99_ms"] = round(bench["p99_us"] / 1000.0, 3) if bench else None
    result["requests"] = bench.get("requests")
    result["answered"] = bench.get("ok_2xx")
    result["refused"] = bench.get("non_2xx")
    if bench.get("non_2xx_statuses"):
        result["refused_statuses"] = bench["non_2xx_statuses"]
    match = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", text)
    result["socket_errors"] = sum(map(int, match.groups())) if match else 0
    result["errors"] = result["socket_errors"] + (result["refused"] or 0)
    duration = bench.get("duration_us")
    if duration and result["answered"] is not None:
        result["answered_per_second"] = round(result["answered"] / (duration / 1e6), 1)
    return result


def read_meta(result_dir):
    meta = {}
    path = os.path.join(result_dir, "meta.json")
    if os.path.exists(path):
        meta = json.load(open(path))
    return meta


def cmd_parse(result_dir, out_json):
    shapes = {}
    for shape, _ in SHAPES:
        path = os.path.join(result_dir, shape + ".txt")
        if not os.path.exists(path):
            continue
        entry = parse_wrk(open(path).read())
        rss = os.path.join(result_dir, shape + ".rss")
        if os.path.exists(rss):
            entry["peak_rss_mb"] = round(int(open(rss).read().strip()) / 1024.0, 1)
        commits = os.path.join(result_dir, shape + ".commits")
        if os.path.exists(commits) and open(commits).read().strip() not in ("", "0"):
            entry["commits"] = int(open(commits).read().strip())
            entry["comments_per_commit"] = round((entry["answered"] or 0) / entry["commits"], 1)
        shapes[shape] = entry
    result = {"shapes": shapes}
    sustained = []
    for shape in SUSTAINED:
        path = os.path.join(result_dir, shape + ".txt")
        if not os.path.exists(path):
            continue
        entry = parse_wrk(open(path).read())
        for suffix, name in ((".rss", "peak_rss_mb"), (".rss_after", "rss_after_mb")):
            extra = os.path.join(result_dir, shape + suffix)
            if os.path.exists(extra):
                entry[name] = round(int(open(extra).read().strip()) / 1024.0, 1)
        sustained.append(entry)
    if sustained:
        result["sustained"] = sustained
        idle = os.path.join(result_dir, "sustained.rss_idle")
        if os.path.exists(idle):
            result["sustained_idle_rss_mb"] = round(int(open(idle).read().strip()) / 1024.0, 1)
    baseline = {}
    for shape in ("thread_listing", "form_submissions", "json_submissions"):
        path = os.path.join(result_dir, "baseline-%s.txt" % shape)
        if os.path.exists(path):
            baseline[shape] = parse_wrk(open(path).read())
    if baseline:
        result["bare_hummingbird"] = baseline
    result.update(read_meta(result_dir))
    with open(out_json, "w") as out:
        json.dump(result, out, indent=2)
        out.write("\n")
    return 0


def verdict(ok):
    return "met" if ok else "**not met**"


def rate_of(shape, entry):
    """Accepted submissions per second for a submission shape, requests per second otherwise."""
    if entry is None:
        return None
    return entry.get("answered_per_second") if "submissions" in shape else entry["requests_per_second"]


def cmd_table(result_json, isso_json=None):
    result = json.load(open(result_json))
    isso = json.load(open(isso_json)) if isso_json and os.path.exists(isso_json) else None
    shapes = result["shapes"]
    bare = result.get("bare_hummingbird", {})
    isso_names = {"thread_listing": "thread_listing", "json_submissions": "submissions", "form_submissions": "submissions",
                  "count": "count", "feed": "feed"}

    def peer_rate(shape):
        if not isso or shape not in isso_names:
            return None
        entry = isso["shapes"].get(isso_names[shape], {})
        return entry.get("accepted_per_second") if "submissions" in shape else entry.get("requests_per_second")

    lines = []
    if result.get("loadavg_before") or result.get("loadavg_after"):
        lines += ["Load average (1, 5, 15 min) before measuring: %s; after Moderato's shapes: %s (2 cores; other work "
                  "on the machine shows here)." % (" ".join(result.get("loadavg_before", ["?"])),
                                                   " ".join(result.get("loadavg_after", ["?"]))), ""]
    lines += [
        "| shape | requests/s | p50 ms | p99 ms | errors | peak RSS MB | Isso requests/s | Moderato/Isso |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for shape, title in SHAPES:
        entry = shapes.get(shape)
        if not entry:
            continue
        rate = rate_of(shape, entry)
        peer = peer_rate(shape)
        lines.append("| %s | %s | %.2f | %.2f | %d | %s | %s | %s |" % (
            title, "{:,.0f}".format(rate), entry["p50_ms"], entry["p99_ms"], entry["errors"], entry.get("peak_rss_mb", ""),
            "%.1f" % peer if peer else "", "%.0f×" % (rate / peer) if peer else ""))
    c64 = shapes.get("json_submissions_c64")
    if c64 and c64.get("comments_per_commit"):
        c16 = shapes.get("json_submissions", {})
        lines.append("")
        lines.append("Group commit: %s accepted/s at 64 connections, %s comments per commit (%s commits counted by perf on "
                     "the server's fsync/fdatasync calls)%s." % (
                         "{:,.0f}".format(rate_of("json_submissions_c64", c64)), c64["comments_per_commit"],
                         "{:,}".format(c64["commits"]),
                         "; %s accepted/s at 16" % "{:,.0f}".format(rate_of("json_submissions", c16)) if c16 else ""))
    sustained = result.get("sustained")
    if sustained:
        lines.append("")
        lines.append("Sustained: five back-to-back 12 s JSON submission loads at 64 connections.")
        lines.append("")
        lines.append("| load | accepted/s | p99 ms | errors | peak RSS MB | RSS after MB |")
        lines.append("|---|---:|---:|---:|---:|---:|")
        for number, entry in enumerate(sustained, 1):
            lines.append("| %d | %s | %.2f | %d | %s | %s |" % (
                number, "{:,.0f}".format(entry.get("answered_per_second") or 0), entry["p99_ms"], entry["errors"],
                entry.get("peak_rss_mb", ""), entry.get("rss_after_mb", "")))
        if "sustained_idle_rss_mb" in result:
            lines.append("| idle, 5 s later | | | | | %s |" % result["sustained_idle_rss_mb"])
    if bare:
        lines.append("")
        lines.append("The framework's ceiling in the same run: a bare Hummingbird server (`Benchmarks/baseline`, no middleware)")
        lines.append("answering the same wrk script with the same bytes (listing) or a fixed 201 after reading the body (submissions).")
        lines.append("")
        lines.append("| shape | bare Hummingbird requests/s | p50 ms | p99 ms | Moderato as a share of it |")
        lines.append("|---|---:|---:|---:|---:|")
        for shape, entry in bare.items():
            rate = rate_of(shape, entry)
            mine = rate_of(shape, shapes.get(shape))
            share = "%.0f%%" % (100.0 * mine / rate) if mine and rate else ""
            lines.append("| %s | %s | %.2f | %.2f | %s |" % (dict(SHAPES)[shape], "{:,.0f}".format(rate), entry["p50_ms"], entry["p99_ms"], share))
    lines.append("")
    lines.append("| target | measured | |")
    lines.append("|---|---|---|")
    for shape, target in TARGETS.items():
        entry = shapes.get(shape)
        if not entry:
            continue
        title = dict(SHAPES)[shape]
        rate = rate_of(shape, entry)
        if "bare_share" in target and shape in bare:
            share = rate / rate_of(shape, bare[shape])
            lines.append("| %s ≥ %.0f%% of bare Hummingbird | %.0f%% (%s vs %s/s) | %s |" % (
                title, 100 * target["bare_share"], 100 * share, "{:,.0f}".format(rate), "{:,.0f}".format(rate_of(shape, bare[shape])),
                verdict(share >= target["bare_share"])))
        if "rps" in target:
            lines.append("| %s ≥ %s/s | %s/s | %s |" % (title, "{:,}".format(target["rps"]), "{:,.0f}".format(rate), verdict(rate >= target["rps"])))
        if "p99_ms" in target:
            lines.append("| %s p99 ≤ %g ms | %.2f ms | %s |" % (title, target["p99_ms"], entry["p99_ms"], verdict(entry["p99_ms"] <= target["p99_ms"])))
        if "errors" in target:
            lines.append("| %s errors = %d | %d | %s |" % (title, target["errors"], entry["errors"], verdict(entry["errors"] <= target["errors"])))
        if "peer_ratio" in target and peer_rate(shape):
            ratio = rate / peer_rate(shape)
            lines.append("| %s ≥ %d× Isso | %.0f× | %s |" % (title, target["peer_ratio"], ratio, verdict(ratio >= target["peer_ratio"])))
    peaks = [entry["peak_rss_mb"] for entry in list(shapes.values()) + (sustained or []) if "peak_rss_mb" in entry]
    if peaks:
        lines.append("| peak RSS under each load (the sustained one too) ≤ %d MB | %.1f MB (highest) | %s |" % (
            RSS_LOAD_MB, max(peaks), verdict(max(peaks) <= RSS_LOAD_MB)))
    if "idle_rss_mb" in result:
        lines.append("| idle RSS ≤ %d MB | %.1f MB | %s |" % (RSS_IDLE_MB, result["idle_rss_mb"], verdict(result["idle_rss_mb"] <= RSS_IDLE_MB)))
    if "start_ms" in result:
        lines.append("| start to first answered request ≤ %d ms | %.0f ms | %s |" % (START_MS, result["start_ms"], verdict(result["start_ms"] <= START_MS)))
    print("\n".join(lines))
    return 0


def cmd_engines(result_dir, out_json, duration):
    """SQLite (one server) beside PostgreSQL (two servers, wrk against each at once)."""
    shapes = [("thread_listing", "Thread listing (100 comments, cached)"),
              ("json_submissions", "JSON submissions (201, pending)"),
              ("form_submissions", "Form submissions (303, pending)")]
    result = {"duration": duration, "shapes": {}}
    lines = ["| shape | SQLite, 1 server: requests/s | p50 ms | p99 ms | PostgreSQL, 2 servers: requests/s (A + B) | p50 ms | p99 ms | errors | PostgreSQL/SQLite |",
             "|---|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for shape, title in shapes:
        paths = {name: os.path.join(result_dir, "%s-%s.txt" % (name, shape)) for name in ("sqlite", "postgresql-A", "postgresql-B")}
        if not all(os.path.exists(path) for path in paths.values()):
            continue
        runs = {name: parse_wrk(open(path).read()) for name, path in paths.items()}
        result["shapes"][shape] = runs

        def rate(entry):
            return entry.get("answered_per_second") if "submissions" in shape else entry["requests_per_second"]

        sqlite = runs["sqlite"]
        a, b = runs["postgresql-A"], runs["postgresql-B"]
        total = rate(a) + rate(b)
        lines.append("| %s | %s | %.2f | %.2f | %s (%s + %s) | %.2f | %.2f | %d | %.0f%% |" % (
            title, "{:,.0f}".format(rate(sqlite)), sqlite["p50_ms"], sqlite["p99_ms"],
            "{:,.0f}".format(total), "{:,.0f}".format(rate(a)), "{:,.0f}".format(rate(b)),
            max(a["p50_ms"], b["p50_ms"]), max(a["p99_ms"], b["p99_ms"]), a["errors"] + b["errors"],
            100.0 * total / rate(sqlite) if rate(sqlite) else 0))
    result.update(read_meta(result_dir))
    json.dump(result, open(out_json, "w"), indent=2)
    print("\n".join(lines))
    return 0


def cmd_readme(readme, table_md, section="results"):
    text = open(readme).read()
    table = open(table_md).read().strip()
    start, end = "<!-- %s:start -->" % section, "<!-- %s:end -->" % section
    before, _, rest = text.partition(start)
    _, _, after = rest.partition(end)
    open(readme, "w").write(before + start + "\n" + table + "\n" + end + after)
    return 0


def cmd_scale(result_dir, out_json):
    sizes = sorted({name.split("-")[0] for name in os.listdir(result_dir) if name.endswith(".txt")}, key=int)
    shapes = ["thread_listing", "uncached_listing", "moderation_queue", "json_submissions"]
    result = {}
    for size in sizes:
        result[size] = {}
        for shape in shapes:
            path = os.path.join(result_dir, "%s-%s.txt" % (size, shape))
            if os.path.exists(path):
                result[size][shape] = parse_wrk(open(path).read())
    json.dump(result, open(out_json, "w"), indent=2)
    lines = ["| shape | " + " | ".join("%s comments: req/s, p50, p99 ms" % "{:,}".format(int(s)) for s in sizes) + " | p50 ratio |",
             "|---|" + "---|" * len(sizes) + "---|"]
    for shape in shapes:
        cells = []
        p50s = []
        for size in sizes:
            entry = result[size].get(shape)
            if not entry:
                cells.append("")
                continue
            rate = entry.get("answered_per_second") if "submissions" in shape else entry["requests_per_second"]
            cells.append("{:,.0f}, {:.2f}, {:.2f}".format(rate, entry["p50_ms"], entry["p99_ms"]))
            p50s.append(entry["p50_ms"])
        ratio = "%.2f×" % (p50s[-1] / p50s[0]) if len(p50s) == 2 and p50s[0] else ""
        lines.append("| %s | %s | %s |" % (shape, " | ".join(cells), ratio))
    print("\n".join(lines))
    return 0


def main(argv):
    commands = {"parse": cmd_parse, "table": cmd_table, "readme": cmd_readme, "scale": cmd_scale, "engines": cmd_engines}
    if len(argv) < 2 or argv[1] not in commands:
        print(__doc__, file=sys.stderr)
        return 2
    return commands[argv[1]](*argv[2:])


if __name__ == "__main__":
    sys.exit(main(sys.argv))
