#!/usr/bin/env bash
# The cost budget: instructions per request, counted by callgrind, which does not care what else
# the machine is doing (wall-clock figures here move by ±30%; these do not).
#
#   Benchmarks/cost.sh            # measure and print instructions per request for each shape
#   Benchmarks/cost.sh --check    # and fail when a shape is more than the tolerance (15%) over
#                                 #   Benchmarks/cost-budget.json (what .ci/run does)
#   Benchmarks/cost.sh --record   # measure and write the figures as the new budget
#   Benchmarks/cost.sh --binary PATH   # measure that binary instead of building the release one
#   COST_KEEP_DUMPS=DIR Benchmarks/cost.sh   # keep each phase's callgrind profile (callgrind_annotate)
#
# Builds the release binary, seeds a temporary database (Benchmarks/seed.py: 1,000 comments over
# 100 posts, mixed statuses, and the 100-comment /bench/thread/), starts `moderato serve` under
# `valgrind --tool=callgrind`, and sends a fixed script (Benchmarks/cost.py): 1,000 JSON
# submissions, 1,000 form submissions, 1,000 cached thread listings and 100 moderation queue
# pages (50 pending comments with hashes), one request at a time, after a warm-up. Each phase's
# counters are zeroed before it and dumped after it, so start-up and warm-up are not counted.
# Results: Benchmarks/results/cost.json. Takes a few minutes once the binary is built.
set -euo pipefail
cd "$(dirname "$0")/.."
here="Benchmarks"

mode=measure
binary=""
while [ $# -gt 0 ]; do
    case "$1" in
        --check) mode=check ;;
        --record) mode=record ;;
        --binary) binary="$2"; shift ;;
        *) echo "usage: $0 [--check | --record] [--binary PATH]" >&2; exit 2 ;;
    esac
    shift
done

command -v valgrind >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq valgrind; }
command -v gcc >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq gcc; }
command -v curl >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq curl; }

if [ -z "$binary" ]; then
    echo "== building the release binary"
    swift build -c release --product moderato
    binary="$(swift build -c release --show-bin-path)/moderato"
fi

work="$(mktemp -d /tmp/moderato-cost.XXXXXX)"
server=""
cleanup() { [ -n "$server" ] && kill "$server" 2>/dev/null; wait 2>/dev/null; rm -rf "$work"; return 0; }
trap cleanup EXIT

port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
base="http://127.0.0.1:$port"
# As run.sh: held for moderation, flood and rate rules off (one client posting back to back).
export MODERATO_MODERATION_MODE=all MODERATO_LIMITS_FLOOD_SECONDS=0 MODERATO_LIMITS_RATE_PER_MINUTE=0
export MODERATO_SERVER_PUBLIC_URL="$base" MODERATO_SITE_URL="$base" MODERATO_SITE_ORIGINS="$base"
# The same hash seeds every run: Swift's per-process random seeding would otherwise move the
# instructions of every dictionary lookup a little.
export SWIFT_DETERMINISTIC_HASHING=1

# valgrind 3.19 (Debian 12) cannot read the DWARF 5 that Swift 6 writes: it measures a copy
# without debug information (the symbol table stays, so profiles still name functions).
objcopy --strip-debug "$binary" "$work/moderato"
binary="$work/moderato"
# … and edits the mask given to rt_sigsuspend in place, which libdispatch keeps in read-only
# memory: a preloaded sigsuspend hands it a copy (Benchmarks/cost/sigsuspend.c).
gcc -O2 -shared -fPIC -o "$work/sigsuspend.so" "$here/cost/sigsuspend.c"

(cd "$work" && "$binary" migrate >/dev/null)
python3 "$here/seed.py" "$work/data/moderato.sqlite" 1000 100 >/dev/null
token="$(cd "$work" && "$binary" tokens create cost 2>/dev/null)"

echo "== $binary under callgrind"
(cd "$work" && LD_PRELOAD="$work/sigsuspend.so" exec valgrind --tool=callgrind --callgrind-out-file="$work/callgrind.out.%p" \
    "$binary" serve --port "$port") >"$work/serve.log" 2>&1 &
server=$!
until curl -fs "$base/healthz" >/dev/null 2>&1; do
    kill -0 "$server" 2>/dev/null || { cat "$work/serve.log" >&2; exit 1; }
    sleep 0.5
done
# valgrind's own pid is the server's: callgrind_control finds it by that.
started="$(date +%s)"
(cd "$work" && python3 "$OLDPWD/$here/cost.py" drive "$base" "$server" "$token" "$work/cost.json")
echo "   measured in $(( $(date +%s) - started )) s"
kill "$server"; wait "$server" 2>/dev/null || true; server=""

mkdir -p "$here/results"
cp "$work/cost.json" "$here/results/cost.json"
case "$mode" in
    check) python3 "$here/cost.py" check "$here/results/cost.json" "$here/cost-budget.json" ;;
    record)
        python3 "$here/cost.py" budget "$here/results/cost.json" "$here/cost-budget.json"
        echo "== recorded in $here/cost-budget.json"
        ;;
    *) [ -f "$here/cost-budget.json" ] && python3 "$here/cost.py" check "$here/results/cost.json" "$here/cost-budget.json" || true ;;
esac
