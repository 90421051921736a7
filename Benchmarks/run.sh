#!/usr/bin/env bash
# Moderato's benchmark: builds the release binary, starts it on a temporary database, seeds a
# thread of 100 approved comments and drives it with wrk (-t2 -c16 -d10s by default).
#
#   Benchmarks/run.sh [--with-peers] [--duration 10s]
#   Benchmarks/run.sh --engine postgresql [--duration 10s]   # two servers on one PostgreSQL, beside SQLite
#
# Shapes (Benchmarks/lua/*.lua): thread listing, conditional listing (304), JSON Feed, count, form
# submissions, JSON submissions (distinct authors and bodies, held for moderation, FULL durability),
# then the shapes of issue 18: JSON submissions from 64 connections (accepted/s and comments per
# group commit), the moderation queue page (50 pending comments with hashes, never cached), a
# viral post (the cached listing from 256 connections for 30 s) and a sustained load (five
# back-to-back 12 s JSON submission loads at -c64, RSS after each and once idle).
# Records requests/s, p50/p99, errors and the server's peak RSS per shape, idle RSS, and the time
# from start to the first answered request. Writes Benchmarks/results/latest.json and .md and the
# table in Benchmarks/README.md. --with-peers also runs Benchmarks/peers/isso.sh and reports the
# Moderato/Isso ratios of the same run, and runs the listing and both submission shapes against
# a bare Hummingbird server (Benchmarks/baseline/: no middleware, fixed bytes) to show the
# framework's own ceiling on this machine beside Moderato's figures.
set -euo pipefail
cd "$(dirname "$0")/.."
here="Benchmarks"

with_peers=no
duration=10s
engine=sqlite
while [ $# -gt 0 ]; do
    case "$1" in
        --with-peers) with_peers=yes ;;
        --duration) duration="$2"; shift ;;
        --duration=*) duration="${1#--duration=}" ;;
        --engine) engine="$2"; shift ;;
        --engine=*) engine="${1#--engine=}" ;;
        *) echo "usage: $0 [--with-peers] [--duration 10s] [--engine sqlite|postgresql]" >&2; exit 2 ;;
    esac
    shift
done
case "$engine" in
    sqlite) ;;
    # Two servers sharing one PostgreSQL database, beside one SQLite server (Benchmarks/postgresql.sh).
    postgresql) exec "$here/postgresql.sh" "$duration" ;;
    *) echo "$0: --engine is sqlite or postgresql" >&2; exit 2 ;;
esac

command -v wrk >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq wrk; }
command -v curl >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq curl; }

echo "== building the release binary"
swift build -c release --product moderato
binary="$(swift build -c release --show-bin-path)/moderato"
if [ "$with_peers" = yes ]; then
    echo "== building the bare Hummingbird baseline"
    swift build -c release --package-path "$here/baseline"
fi
# Everything is built (and flushed to disk) before anything is measured: a first run that built
# the baseline between measurements recorded it at a third of the speed it showed on its own.
sync
# The machine may be shared (other builds): the load average beside the figures says how much.
load_before="$(cut -d' ' -f1-3 /proc/loadavg)"
echo "== load average before measuring: $load_before"

work="$(mktemp -d /tmp/moderato-bench.XXXXXX)"
results="$here/results"
raw="$results/raw"
mkdir -p "$raw"
rm -f "$raw"/*.txt "$raw"/*.rss "$raw"/*.rss_after "$raw"/*.rss_idle "$raw"/*.commits "$raw"/*.perf
port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
base="http://127.0.0.1:$port"

# Submissions are held for moderation (the common case); flood and rate rules are off because
# wrk is one client posting thousands of comments a second. Request logs go to a file.
export MODERATO_MODERATION_MODE=all MODERATO_LIMITS_FLOOD_SECONDS=0 MODERATO_LIMITS_RATE_PER_MINUTE=0
export MODERATO_SERVER_PUBLIC_URL="$base" MODERATO_SITE_URL="$base" MODERATO_SITE_ORIGINS="$base"

server=""
cleanup() { [ -n "$server" ] && kill "$server" 2>/dev/null; wait 2>/dev/null; rm -rf "$work"; return 0; }
trap cleanup EXIT

echo "== starting $binary on $work"
started_ns="$(date +%s%N)"
(cd "$work" && exec "$binary" serve --port "$port") >"$work/serve.log" 2>&1 &
server=$!
until curl -fs "$base/healthz" >/dev/null 2>&1; do sleep 0.005; done
start_ms=$(( ($(date +%s%N) - started_ns) / 1000000 ))
sleep 1
idle_kb="$(awk '/VmRSS/ {print $2}' /proc/$server/status)"
echo "   first answer after ${start_ms} ms (first start: creates the database and secret); idle RSS ${idle_kb} kB"

echo "== seeding /bench/thread/ with 100 approved comments"
for i in $(seq 1 100); do
    curl -fs -o /dev/null -H 'Content-Type: application/json' \
        -d "{\"body\":\"Seed comment $i: a short paragraph of text, with a link https://example.org/$i and some words.\",\"author\":\"Reader $i\",\"email\":\"reader$i@example.org\",\"post\":\"/bench/thread/\"}" \
        "$base/comments"
done
(cd "$work" && "$binary" comments approve $("$binary" comments list --post /bench/thread/ --limit 100 --format ids) >/dev/null)
sleep 0.5
total="$(curl -fs "$base/comments?post=/bench/thread/&limit=100" | python3 -c 'import json,sys; print(json.load(sys.stdin)["total"])')"
[ "$total" = 100 ] || { echo "seeding failed: the thread has $total comments" >&2; exit 1; }
etag="$(curl -fs -D - -o /dev/null "$base/comments?post=/bench/thread/&limit=100" | awk -F': ' 'tolower($1)=="etag" {print $2}' | tr -d '\r')"

run_shape() {  # shape script [args after --]; CONNECTIONS and DURATION override -c16 and --duration
    local shape="$1" script="$2"; shift 2
    echo 5 > "/proc/$server/clear_refs"   # reset the peak RSS (VmHWM) for this load
    wrk -t2 -c"${CONNECTIONS:-16}" -d"${DURATION:-$duration}" --latency -s "$here/lua/$script" "$base" -- "$@" >"$raw/$shape.txt"
    awk '/VmHWM/ {print $2}' "/proc/$server/status" >"$raw/$shape.rss"
    printf '   %-22s %s req/s\n' "$shape" "$(awk '/Requests\/sec/ {print $2}' "$raw/$shape.txt")"
}

# Group commits during a load: SQLite syncs the WAL once per commit (synchronous = FULL), so the
# fsync and fdatasync calls of the server, counted by perf on the syscall tracepoints (no cost to
# the server), are its commits. Writes nothing where perf cannot count them.
commits_during() {  # shape, then the command that makes the load
    local shape="$1" counter=""; shift
    if command -v perf >/dev/null 2>&1 && perf stat -e 'syscalls:sys_enter_fdatasync' true >/dev/null 2>&1; then
        perf stat -x, -e 'syscalls:sys_enter_fdatasync,syscalls:sys_enter_fsync' -p "$server" -o "$raw/$shape.perf" &
        counter=$!
        sleep 0.5
    fi
    "$@"
    if [ -n "$counter" ]; then
        kill -INT "$counter"; wait "$counter" 2>/dev/null || true
        awk -F, '/sys_enter_f/ {sum += $1} END {print sum}' "$raw/$shape.perf" >"$raw/$shape.commits"
    fi
}

echo "== wrk -t2 -c16 -d$duration"
run_shape thread_listing thread_listing.lua
run_shape conditional_listing conditional_listing.lua "$etag"
run_shape feed feed.lua
run_shape count count.lua
run_shape form_submissions submissions.lua form
run_shape json_submissions submissions.lua json

echo "== the shapes of issue 18"
CONNECTIONS=64 commits_during json_submissions_c64 run_shape json_submissions_c64 submissions.lua json
token="$(cd "$work" && "$binary" tokens create bench 2>/dev/null)"
run_shape moderation_queue moderation_queue.lua "$token"
CONNECTIONS=256 DURATION=30s run_shape viral_listing thread_listing.lua
for round in 1 2 3 4 5; do
    CONNECTIONS=64 DURATION=12s run_shape "sustained_$round" submissions.lua json
    awk '/VmRSS/ {print $2}' "/proc/$server/status" >"$raw/sustained_$round.rss_after"
done
sleep 5
awk '/VmRSS/ {print $2}' "/proc/$server/status" >"$raw/sustained.rss_idle"
echo "   RSS after each sustained load: $(cat "$raw"/sustained_?.rss_after | tr '\n' ' ')kB; idle after: $(cat "$raw/sustained.rss_idle") kB"

python3 - "$raw/meta.json" "$start_ms" "$idle_kb" "$duration" "$load_before" <<'PY'
import json, os, platform, subprocess, sys, datetime
out, start_ms, idle_kb, duration = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
load_before = sys.argv[5].split()
cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), "?")
swift = subprocess.run(["swift", "--version"], capture_output=True, text=True).stdout.splitlines()[0]
json.dump({
    "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
    "machine": f"{os.cpu_count()} cores ({cpu}), {round(os.sysconf('SC_PAGE_SIZE') * os.sysconf('SC_PHYS_PAGES') / 2**30)} GiB, {platform.platform()}",
    "swift": swift, "wrk": f"-t2 -c16 -d{duration} --latency", "start_ms": start_ms, "idle_rss_mb": round(idle_kb / 1024, 1),
    "loadavg_before": load_before, "loadavg_after": open("/proc/loadavg").read().split()[:3],
}, open(out, "w"), indent=2)
PY
python3 "$here/report.py" parse "$raw" "$results/latest.json"

isso_json=""
if [ "$with_peers" = yes ]; then
    curl -fs -o "$work/listing.json" "$base/comments?post=/bench/thread/&limit=100"
    kill "$server"; wait "$server" 2>/dev/null || true; server=""

    echo "== the framework's ceiling: bare Hummingbird (Benchmarks/baseline)"
    "$(swift build -c release --package-path "$here/baseline" --show-bin-path)/BareHummingbird" "$port" "$work/listing.json" \
        >"$work/baseline.log" 2>&1 &
    server=$!
    until curl -fs -o /dev/null "$base/comments"; do sleep 0.01; done
    run_shape baseline-thread_listing thread_listing.lua
    run_shape baseline-form_submissions submissions.lua form
    run_shape baseline-json_submissions submissions.lua json
    kill "$server"; wait "$server" 2>/dev/null || true; server=""
    python3 "$here/report.py" parse "$raw" "$results/latest.json"

    echo "== the peer: Isso"
    "$here/peers/isso.sh" --duration "$duration" --out "$raw/isso.json"
    isso_json="$raw/isso.json"
fi

python3 "$here/report.py" table "$results/latest.json" $isso_json >"$results/latest.md"
python3 "$here/report.py" readme "$here/README.md" "$results/latest.md"
echo
cat "$results/latest.md"
