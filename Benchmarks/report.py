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
]

# Targets of issue 7, on this 2-core machine with wrk sharing the cores (-t2 -c16 -d10s).
TARGETS = {
    "thread_listing": {"rps": 15000, "p99_ms": 5.0, "peer_ratio": 1000},
    "json_submissions": {"rps": 5000, "p99_ms": 20.0, "peer_ratio": 20},
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
        shapes[shape] = entry
    result = {"shapes": shapes}
    baseline = {}
    for shape in ("thread_listing", "json_submissions"):
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


def cmd_table(result_json, isso_json=None):
    result = json.load(open(result_json))
    isso = json.load(open(isso_json)) if isso_json and os.path.exists(isso_json) else None
    lines = [
        "| shape | requests/s | p50 ms | p99 ms | errors | peak RSS MB | Isso requests/s | Moderato/Isso |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    isso_names = {"thread_listing": "thread_listing", "json_submissions": "submissions", "count": "count", "feed": "feed"}
    for shape, title in SHAPES:
        entry = result["shapes"].get(shape)
        if not entry:
            continue
        rate = entry.get("answered_per_second") if "submissions" in shape else entry["requests_per_second"]
        peer = ""
        ratio = ""
        if isso and shape in isso_names:
            peer_entry = isso["shapes"].get(isso_names[shape], {})
            peer_rate = peer_entry.get("accepted_per_second") if shape == "json_submissions" else peer_entry.get("requests_per_second")
            if peer_rate:
                peer = "%.1f" % peer_rate
                ratio = "%.0f×" % (rate / peer_rate)
        lines.append("| %s | %s | %.2f | %.2f | %d | %s | %s | %s |" % (
            title, "{:,.0f}".format(rate), entry["p50_ms"], entry["p99_ms"], entry["errors"],
            entry.get("peak_rss_mb", ""), peer, ratio))
    bare = result.get("bare_hummingbird")
    if bare:
        lines.append("")
        lines.append("The framework's ceiling in the same run: a bare Hummingbird server (`Benchmarks/baseline`, no middleware)")
        lines.append("answering the same wrk script with the same bytes (listing) or a fixed 201 after reading the body (submissions).")
        lines.append("")
        lines.append("| shape | bare Hummingbird requests/s | p50 ms | p99 ms | Moderato as a share of it |")
        lines.append("|---|---:|---:|---:|---:|")
        for shape, entry in bare.items():
            rate = entry.get("answered_per_second") if "submissions" in shape else entry["requests_per_second"]
            mine_entry = result["shapes"].get(shape, {})
            mine = mine_entry.get("answered_per_second") if "submissions" in shape else mine_entry.get("requests_per_second")
            share = "%.0f%%" % (100.0 * mine / rate) if mine and rate else ""
            lines.append("| %s | %s | %.2f | %.2f | %s |" % (dict(SHAPES)[shape], "{:,.0f}".format(rate), entry["p50_ms"], entry["p99_ms"], share))
    lines.append("")
    lines.append("| target | measured | |")
    lines.append("|---|---|---|")
    shapes = result["shapes"]

    def ratio_for(shape):
        if not isso:
            return None
        peer_entry = isso["shapes"].get(isso_names[shape], {})
        peer_rate = peer_entry.get("accepted_per_second") if shape == "json_submissions" else peer_entry.get("requests_per_second")
        mine = shapes[shape].get("answered_per_second") if shape == "json_submissions" else shapes[shape]["requests_per_second"]
        return mine / peer_rate if peer_rate else None

    for shape, target in TARGETS.items():
        entry = shapes.get(shape)
        if not entry:
            continue
        rate = entry.get("answered_per_second") if shape == "json_submissions" else entry["requests_per_second"]
        lines.append("| %s ≥ %s/s | %s/s | %s |" % (dict(SHAPES)[shape], "{:,}".format(target["rps"]), "{:,.0f}".format(rate), verdict(rate >= target["rps"])))
        lines.append("| %s p99 ≤ %g ms | %.2f ms | %s |" % (dict(SHAPES)[shape], target["p99_ms"], entry["p99_ms"], verdict(entry["p99_ms"] <= target["p99_ms"])))
        ratio = ratio_for(shape)
        if ratio is not None:
            lines.append("| %s ≥ %d× Isso | %.0f× | %s |" % (dict(SHAPES)[shape], target["peer_ratio"], ratio, verdict(ratio >= target["peer_ratio"])))
    peaks = [entry["peak_rss_mb"] for entry in shapes.values() if "peak_rss_mb" in entry]
    if peaks:
        lines.append("| peak RSS under each load ≤ %d MB | %.1f MB (highest) | %s |" % (RSS_LOAD_MB, max(peaks), verdict(max(peaks) <= RSS_LOAD_MB)))
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
