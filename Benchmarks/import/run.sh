#!/usr/bin/env bash
# End-to-end import benchmark: `moderato import` of a ~200 MB WordPress export into a fresh
# SQLite install, release build. Prints the summary, wall time, comments/s and peak RSS.
#   Benchmarks/import/run.sh [--megabytes 200]
set -euo pipefail
cd "$(dirname "$0")/../.."
megabytes=200
[ "${1:-}" = "--megabytes" ] && megabytes="$2"

work=$(mktemp -d /tmp/moderato-import-bench.XXXXXX)
trap 'rm -rf "$work"' EXIT
export_file="/tmp/moderato-import-bench-${megabytes}mb.xml"
[ -f "$export_file" ] || python3 Benchmarks/import/make-wxr.py "$export_file" --megabytes "$megabytes"

swift build -c release --product moderato >&2
binary="$(swift build -c release --show-bin-path)/moderato"
(cd "$work" && "$binary" migrate >/dev/null)

cd "$work"
/usr/bin/time -v "$binary" import "$export_file" --format json > summary.json 2> time.txt
cat summary.json
python3 - "$work" <<'PY'
import json, re, sys
work = sys.argv[1]
summary = json.load(open(f"{work}/summary.json"))
text = open(f"{work}/time.txt").read()
wall = re.search(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (\S+)", text).group(1)
parts = [float(p) for p in wall.split(":")]
seconds = parts[-1] + 60 * parts[-2] + (3600 * parts[-3] if len(parts) > 2 else 0)
rss = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", text).group(1)) / 1024
user = float(re.search(r"User time \(seconds\): (\S+)", text).group(1))
stored = summary["imported"]
print(f"imported {stored} comments into SQLite in {seconds:.2f} s wall ({user:.2f} s user CPU): "
      f"{stored / seconds:,.0f} comments/s, peak RSS {rss:.1f} MB")
PY
