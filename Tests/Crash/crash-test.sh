#!/usr/bin/env bash
# Kill -9 the release server in the middle of concurrent submissions and check that every comment
# that was acknowledged (201) is in the database afterwards.
#
#   Tests/Crash/crash-test.sh [ROUNDS]     # default 5
#
# Prints one line per round: "round 1: acknowledged N, missing 0". Exits 1 if anything is missing
# or the database fails PRAGMA integrity_check. MODERATO_BIN overrides the binary (default: a
# release build made here).
#
# What it proves: a 201 is only sent after the transaction committed, so a process crash (or a
# kill) loses nothing acknowledged. A kill -9 leaves the OS page cache intact, so it does not
# simulate power loss; for that the promise rests on synchronous = FULL (checked in the tests).
set -euo pipefail
cd "$(dirname "$0")/../.."
rounds="${1:-5}"

if [ -z "${MODERATO_BIN:-}" ]; then
    swift build -c release --product moderato >/dev/null
    MODERATO_BIN="$(swift build -c release --show-bin-path)/moderato"
fi

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

status=0
for round in $(seq 1 "$rounds"); do
    work="$(mktemp -d)"
    port="$(free_port)"
    export MODERATO_LIMITS_FLOOD_SECONDS=0 MODERATO_LIMITS_RATE_PER_MINUTE=0 MODERATO_LOG_LEVEL=warning
    (cd "$work" && exec "$MODERATO_BIN" serve --port "$port") >"$work/serve.log" 2>&1 &
    server=$!
    for _ in $(seq 1 100); do
        curl -fs "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && break
        sleep 0.1
    done

    python3 Tests/Crash/load.py --port "$port" --acked "$work/acked.txt" --threads 8 --seconds 20 &
    load=$!
    # Let the load build up, then kill the server mid-write without warning.
    sleep "$(python3 -c 'import random; print(round(random.uniform(1.5, 4.0), 2))')"
    kill -9 "$server"
    wait "$server" 2>/dev/null || true
    wait "$load" || true

    result="$(python3 - "$work" <<'PY'
import sqlite3, sys
work = sys.argv[1]
acked = [int(line) for line in open(f"{work}/acked.txt") if line.strip()] if __import__("os").path.exists(f"{work}/acked.txt") else []
db = sqlite3.connect(f"{work}/data/moderato.sqlite")
integrity = db.execute("PRAGMA integrity_check").fetchone()[0]
stored = {row[0] for row in db.execute("SELECT id FROM comments")}
missing = [i for i in acked if i not in stored]
print(f"acknowledged {len(acked)}, missing {len(missing)}, stored {len(stored)}, integrity {integrity}")
PY
)"
    echo "round $round: $result"
    case "$result" in
        *"missing 0,"*"integrity ok") ;;
        *) status=1 ;;
    esac

    # The server must come back on the crashed database.
    (cd "$work" && exec "$MODERATO_BIN" serve --port "$port") >>"$work/serve.log" 2>&1 &
    server=$!
    ok=no
    for _ in $(seq 1 100); do
        if curl -fs "http://127.0.0.1:$port/healthz" >/dev/null 2>&1; then ok=yes; break; fi
        sleep 0.1
    done
    kill "$server"; wait "$server" 2>/dev/null || true
    [ "$ok" = yes ] || { echo "round $round: the server did not restart on the crashed database"; status=1; }
    rm -rf "$work"
done
exit "$status"
