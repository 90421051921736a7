#!/usr/bin/env bash
# Moderato on PostgreSQL: two `moderato serve` processes sharing one database, wrk against each at
# once, beside one SQLite server measured the same way in the same run (the machine is shared and
# its figures drift between runs, so only a same-run comparison says anything).
#
#   Benchmarks/run.sh --engine postgresql [--duration 10s]      (runs this script)
#
# Shapes: the thread listing (cached bytes) and JSON and form submissions (held, durable). SQLite:
# wrk -t2 -c16 against its one server. PostgreSQL: wrk -t1 -c8 against each of the two servers at
# the same time (16 connections in all); requests/s are the sum, p50/p99 the slower server's. The
# cluster is Tests/PostgreSQL/cluster.sh's: Debian's PostgreSQL with its default settings
# (fsync and synchronous_commit on), on the same two cores as the servers and wrk.
# Writes Benchmarks/results/engines.json and .md and the table in Benchmarks/README.md.
set -euo pipefail
cd "$(dirname "$0")/.."
here="Benchmarks"
duration="${1:-10s}"

command -v wrk >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq wrk; }
command -v curl >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq curl; }

echo "== building the release binary"
swift build -c release --product moderato
binary="$(swift build -c release --show-bin-path)/moderato"
sync

results="$here/results"
raw="$results/raw-engines"
mkdir -p "$raw"
rm -f "$raw"/*.txt
work="$(mktemp -d /tmp/moderato-bench.XXXXXX)"
export MODERATO_TEST_POSTGRES_STATE
MODERATO_TEST_POSTGRES_STATE="$(mktemp -d /tmp/moderato-bench-postgres.XXXXXX)"
servers=()
cleanup() {
    for pid in "${servers[@]}"; do kill "$pid" 2>/dev/null || true; done
    wait 2>/dev/null || true
    Tests/PostgreSQL/cluster.sh stop || true
    rm -rf "$work" "$MODERATO_TEST_POSTGRES_STATE"
    return 0
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# Submissions are held (mode all); flood gap and rate limit off: wrk is one client.
export MODERATO_MODERATION_MODE=all MODERATO_LIMITS_FLOOD_SECONDS=0 MODERATO_LIMITS_RATE_PER_MINUTE=0

start_server() {  # folder port [VAR=value...]
    local folder="$1" port="$2"; shift 2
    mkdir -p "$folder"
    (cd "$folder" && exec env "$@" "$binary" serve --port "$port") >"$folder/serve-$port.log" 2>&1 &
    servers+=($!)
    until curl -fs "http://127.0.0.1:$port/healthz" >/dev/null 2>&1; do sleep 0.01; done
}

seed() {  # folder port [VAR=value...]
    local folder="$1" port="$2"; shift 2
    for i in $(seq 1 100); do
        curl -fs -o /dev/null -H 'Content-Type: application/json' \
            -d "{\"body\":\"Seed comment $i: a short paragraph of text, with a link https://example.org/$i and some words.\",\"author\":\"Reader $i\",\"email\":\"reader$i@example.org\",\"post\":\"/bench/thread/\"}" \
            "http://127.0.0.1:$port/comments"
    done
    (cd "$folder" && env "$@" "$binary" comments approve $(env "$@" "$binary" comments list --post /bench/thread/ --limit 100 --format ids) >/dev/null)
}

listed() {  # port: how many comments the thread shows
    curl -fs "http://127.0.0.1:$1/comments?post=/bench/thread/&limit=100" | python3 -c 'import json,sys; print(json.load(sys.stdin)["total"])'
}

wait_listed() {  # port
    for _ in $(seq 1 200); do [ "$(listed "$1")" = 100 ] && return 0; sleep 0.05; done
    echo "seeding failed: the thread on port $1 has $(listed "$1") comments" >&2; exit 1
}

shapes=("thread_listing thread_listing.lua" "json_submissions submissions.lua json" "form_submissions submissions.lua form")

echo "== SQLite: one server"
port="$(free_port)"
start_server "$work/sqlite" "$port"
seed "$work/sqlite" "$port"
wait_listed "$port"
for entry in "${shapes[@]}"; do
    read -r shape script arg <<<"$entry"
    wrk -t2 -c16 -d"$duration" --latency -s "$here/lua/$script" "http://127.0.0.1:$port" -- ${arg:-} >"$raw/sqlite-$shape.txt"
    printf '   %-18s %s req/s\n' "$shape" "$(awk '/Requests\/sec/ {print $2}' "$raw/sqlite-$shape.txt")"
done
kill "${servers[0]}"; wait "${servers[0]}" 2>/dev/null || true; servers=()

echo "== PostgreSQL: a throwaway cluster, two servers on one database"
eval "$(Tests/PostgreSQL/cluster.sh start)"
psql="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)/psql"
"$psql" "$MODERATO_TEST_POSTGRES_URL" -qc "CREATE DATABASE moderato_bench"
url="${MODERATO_TEST_POSTGRES_URL%/postgres}/moderato_bench"
port_a="$(free_port)"
port_b="$(free_port)"
start_server "$work/postgresql" "$port_a" MODERATO_DATABASE_URL="$url"
start_server "$work/postgresql" "$port_b" MODERATO_DATABASE_URL="$url"
seed "$work/postgresql" "$port_a" MODERATO_DATABASE_URL="$url"
wait_listed "$port_a"
wait_listed "$port_b"
for entry in "${shapes[@]}"; do
    read -r shape script arg <<<"$entry"
    wrk -t1 -c8 -d"$duration" --latency -s "$here/lua/$script" "http://127.0.0.1:$port_a" -- ${arg:-none} A >"$raw/postgresql-A-$shape.txt" &
    first=$!
    wrk -t1 -c8 -d"$duration" --latency -s "$here/lua/$script" "http://127.0.0.1:$port_b" -- ${arg:-none} B >"$raw/postgresql-B-$shape.txt"
    wait "$first"
    printf '   %-18s A %s + B %s req/s\n' "$shape" "$(awk '/Requests\/sec/ {print $2}' "$raw/postgresql-A-$shape.txt")" \
        "$(awk '/Requests\/sec/ {print $2}' "$raw/postgresql-B-$shape.txt")"
done
stored="$("$psql" "$url" -Atc "SELECT count(*) FROM comments")"
echo "   comments stored in PostgreSQL: $stored"

python3 "$here/report.py" engines "$raw" "$results/engines.json" "$duration" >"$results/engines.md"
python3 "$here/report.py" readme "$here/README.md" "$results/engines.md" engines
echo
cat "$results/engines.md"
