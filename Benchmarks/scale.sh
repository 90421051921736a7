#!/usr/bin/env bash
# Does the cost stay flat as the database grows? Seeds one database with 10,000 comments and one
# with 1,000,000 (both over 10,000 posts, mixed statuses; Benchmarks/seed.py), then measures on
# each, with the release binary and wrk -t2 -c16:
#   thread_listing     GET /comments?post=/bench/thread/&limit=100   (100 comments, cached)
#   uncached_listing   GET /comments?post=/scale/<random>/&limit=1   (mostly cache misses: the database read)
#   moderation_queue   GET /moderation/comments?status=pending&limit=50 (never cached)
#   json_submissions   POST /comments, distinct authors (group-committed, FULL durability)
#
#   Benchmarks/scale.sh [--duration 10s]
# Results: Benchmarks/results/scale.json and scale.md (and the raw wrk output).
set -euo pipefail
cd "$(dirname "$0")/.."
here="Benchmarks"
duration=10s
[ "${1:-}" = "--duration" ] && duration="$2"

swift build -c release --product moderato
binary="$(swift build -c release --show-bin-path)/moderato"
raw="$here/results/raw-scale"
mkdir -p "$raw"
rm -f "$raw"/*.txt

export MODERATO_MODERATION_MODE=all MODERATO_LIMITS_FLOOD_SECONDS=0 MODERATO_LIMITS_RATE_PER_MINUTE=0 MODERATO_LOG_LEVEL=warning
server=""
work=""
cleanup() { [ -n "$server" ] && kill "$server" 2>/dev/null; wait 2>/dev/null; [ -n "$work" ] && rm -rf "$work"; return 0; }
trap cleanup EXIT

for size in 10000 1000000; do
    work="$(mktemp -d /tmp/moderato-scale.XXXXXX)"
    (cd "$work" && "$binary" migrate >/dev/null)
    python3 "$here/seed.py" "$work/data/moderato.sqlite" "$size" 10000
    token="$(cd "$work" && "$binary" tokens create bench 2>/dev/null)"
    port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
    base="http://127.0.0.1:$port"
    (cd "$work" && exec "$binary" serve --port "$port") >"$work/serve.log" 2>&1 &
    server=$!
    until curl -fs "$base/healthz" >/dev/null 2>&1; do sleep 0.05; done
    echo "== $size comments"
    wrk -t2 -c16 -d"$duration" --latency -s "$here/lua/thread_listing.lua" "$base" >"$raw/$size-thread_listing.txt"
    wrk -t2 -c16 -d"$duration" --latency -s "$here/lua/random_thread.lua" "$base" -- 10000 >"$raw/$size-uncached_listing.txt"
    wrk -t2 -c16 -d"$duration" --latency -s "$here/lua/moderation_queue.lua" "$base" -- "$token" >"$raw/$size-moderation_queue.txt"
    wrk -t2 -c16 -d"$duration" --latency -s "$here/lua/submissions.lua" "$base" -- json >"$raw/$size-json_submissions.txt"
    grep -H "Requests/sec" "$raw/$size"-*.txt
    kill "$server"; wait "$server" 2>/dev/null || true; server=""
    rm -rf "$work"; work=""
done

python3 "$here/report.py" scale "$raw" "$here/results/scale.json" | tee "$here/results/scale.md"
