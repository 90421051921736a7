#!/usr/bin/env bash
# Peer benchmark: Isso 0.14.0 (Python) under gunicorn with 2 sync workers,
# measured with wrk on this machine, for comparison with Moderato.
#
# Usage: Benchmarks/peers/isso.sh [--duration 10s] [--out FILE] [--port N]
#
# Environment:
#   ISSO_VENV    venv to create/reuse   (default /tmp/moderato-bench/isso-venv)
#   DURATION     wrk duration           (default 10s; --duration wins)
#   OUT          result JSON            (default /tmp/moderato-bench/isso.json; --out wins)
#   PORT         listen port            (default 8790; --port wins)
#   WRK_THREADS / WRK_CONNECTIONS       (default 2 / 16)
#   WRK_TIMEOUT  wrk per-request timeout (default 30s; wrk's own default of 2s
#                would turn Isso's multi-second thread listings into timeouts)
#   SEED_COMMENTS number of comments in the listed thread (default 100)
#   ISSO_DB_DIR  directory for comments.db (default: the run's temp dir under
#                /tmp/moderato-bench, i.e. on disk; Isso commits every comment with
#                its own connection, so fsync latency dominates submissions —
#                ISSO_DB_DIR=/dev/shm shows the no-fsync ceiling)
#   KEEP_TMP=1   keep the temp dir (config, sqlite db, gunicorn log)
#
# Shapes (one wrk Lua script each in Benchmarks/peers/isso/):
#   thread_listing  GET  /?uri=/bench/thread/          (all 100 comments)
#   submissions     POST /new?uri=/bench/submissions/  (unique author/email/body)
#   count           POST /count  ["/bench/thread/"]
#   feed            GET  /feed?uri=/bench/thread/      (Atom, [rss] limit = 100)
#
# Output: $OUT (JSON) plus raw wrk output isso-<shape>.txt next to it, and a
# short table on stdout. gunicorn is stopped on exit.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
LUA_DIR="$HERE/isso"

DURATION="${DURATION:-10s}"
OUT="${OUT:-/tmp/moderato-bench/isso.json}"
PORT="${PORT:-8790}"
ISSO_VENV="${ISSO_VENV:-/tmp/moderato-bench/isso-venv}"
WRK_THREADS="${WRK_THREADS:-2}"
WRK_CONNECTIONS="${WRK_CONNECTIONS:-16}"
WRK_TIMEOUT="${WRK_TIMEOUT:-30s}"
SEED_COMMENTS="${SEED_COMMENTS:-100}"
GUNICORN_WORKERS=2

# Versions verified together on Python 3.11.7 (Debian 12). isso 0.14.0 needs
# no setuptools/Werkzeug downgrade: it runs on Werkzeug 3.1.9 and gunicorn
# 27.0.1 serving `isso.run:application` (sync workers, --preload as in Isso's
# docs, so the workers share Isso's multiprocessing lock).
PIP_PINS=(isso==0.14.0 gunicorn==27.0.1 Werkzeug==3.1.9 mistune==3.4.0)

usage() {
  awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "${BASH_SOURCE[0]}"
}

while [[ $# -gt 0 ]]; do
  case "$1" in
    --duration) DURATION="$2"; shift 2 ;;
    --duration=*) DURATION="${1#*=}"; shift ;;
    --out) OUT="$2"; shift 2 ;;
    --out=*) OUT="${1#*=}"; shift ;;
    --port) PORT="$2"; shift 2 ;;
    --port=*) PORT="${1#*=}"; shift ;;
    -h|--help) usage; exit 0 ;;
    *) echo "unknown option: $1" >&2; usage >&2; exit 2 ;;
  esac
done

log() { printf '[isso-bench] %s\n' "$*" >&2; }

# --- 1. venv + wrk ---------------------------------------------------------
venv_ok() {
  [[ -x "$ISSO_VENV/bin/python" && -x "$ISSO_VENV/bin/gunicorn" ]] || return 1
  "$ISSO_VENV/bin/python" - "${PIP_PINS[@]}" <<'PY' 2>/dev/null
import sys
from importlib.metadata import version
for pin in sys.argv[1:]:
    name, want = pin.split("==")
    if version(name) != want:
        sys.exit(1)
PY
}

if ! venv_ok; then
  log "creating venv $ISSO_VENV and installing ${PIP_PINS[*]}"
  mkdir -p "$(dirname "$ISSO_VENV")"
  [[ -x "$ISSO_VENV/bin/python" ]] || python3 -m venv "$ISSO_VENV"
  "$ISSO_VENV/bin/pip" install --quiet --disable-pip-version-check "${PIP_PINS[@]}"
  venv_ok || { log "venv check failed after install"; exit 1; }
else
  log "reusing venv $ISSO_VENV"
fi
PY="$ISSO_VENV/bin/python"

if ! command -v wrk >/dev/null 2>&1; then
  log "installing wrk via apt"
  if [[ $(id -u) -eq 0 ]]; then SUDO=(); else SUDO=(sudo); fi
  "${SUDO[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${SUDO[@]}" apt-get install -y -qq wrk >/dev/null
fi

# --- 2. config -------------------------------------------------------------
mkdir -p "$(dirname "$OUT")"
OUT="$(cd "$(dirname "$OUT")" && pwd)/$(basename "$OUT")"
RESULTS_DIR="$(dirname "$OUT")"
mkdir -p /tmp/moderato-bench
TMP="$(mktemp -d /tmp/moderato-bench/isso-run.XXXXXX)"
DB_DIR="$TMP"
GUNICORN_PID=""
WORKER_PIDS=""

cleanup() {
  local rc=$?
  set +e
  if [[ -n "$GUNICORN_PID" ]] && kill -0 "$GUNICORN_PID" 2>/dev/null; then
    WORKER_PIDS="$WORKER_PIDS $(pgrep -P "$GUNICORN_PID" 2>/dev/null | tr '\n' ' ')"
    kill -TERM "$GUNICORN_PID" 2>/dev/null
    for _ in $(seq 1 100); do
      kill -0 "$GUNICORN_PID" 2>/dev/null || break
      sleep 0.1
    done
    kill -0 "$GUNICORN_PID" 2>/dev/null && kill -KILL "$GUNICORN_PID" 2>/dev/null
    wait "$GUNICORN_PID" 2>/dev/null
  fi
  # Lingering workers (normally none: they exit with the master).
  for pid in $WORKER_PIDS; do
    kill -0 "$pid" 2>/dev/null && kill -KILL "$pid" 2>/dev/null
  done
  if [[ -f "$TMP/gunicorn.log" ]]; then cp "$TMP/gunicorn.log" "$RESULTS_DIR/isso-gunicorn.log"; fi
  if [[ "${KEEP_TMP:-0}" == "1" ]]; then
    log "kept temp dir $TMP"
  else
    rm -rf "$TMP"
    if [[ "$DB_DIR" != "$TMP" ]]; then rm -rf "$DB_DIR"; fi
  fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

if [[ -n "${ISSO_DB_DIR:-}" ]]; then
  mkdir -p "$ISSO_DB_DIR"
  DB_DIR="$(mktemp -d "$ISSO_DB_DIR/isso-db.XXXXXX")"
fi
DB_PATH="$DB_DIR/comments.db"

if (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; then
  log "port $PORT is already in use; pick another with --port"
  exit 1
fi

# [general] host: Isso answers CORS with this origin and uses it to fetch a
# page's title when a new thread is created without one. We always send a
# title for new threads and Origin: http://127.0.0.1:8080, so nothing needs to
# listen there (Isso only logs "unable to connect to your website" at boot).
# notify = stdout is Isso's default (logs each new comment to the gunicorn log).
cat > "$TMP/isso.cfg" <<EOF
[general]
dbpath = $DB_PATH
host = http://127.0.0.1:8080/
notify = stdout
reply-notifications = false
gravatar = false
latest-enabled = false

[admin]
enabled = false

[moderation]
enabled = false

[server]
listen = http://127.0.0.1:$PORT/

[guard]
enabled = false
require-author = false
require-email = false

[rss]
base = http://127.0.0.1:8080/
limit = $SEED_COMMENTS
EOF

# --- 3. gunicorn -------------------------------------------------------------
GUNICORN_ARGS=(-w "$GUNICORN_WORKERS" -b "127.0.0.1:$PORT" --preload)
# gunicorn >= 25 opens a control socket under ~/.gunicorn by default; not wanted here.
if "$ISSO_VENV/bin/gunicorn" --help 2>/dev/null | grep -q -- '--no-control-socket'; then
  GUNICORN_ARGS+=(--no-control-socket)
fi
log "starting gunicorn ${GUNICORN_ARGS[*]} isso.run"
ISSO_SETTINGS="$TMP/isso.cfg" "$ISSO_VENV/bin/gunicorn" "${GUNICORN_ARGS[@]}" isso.run \
  >"$TMP/gunicorn.log" 2>&1 &
GUNICORN_PID=$!
BASE="http://127.0.0.1:$PORT"
if ! "$PY" "$LUA_DIR/isso_helper.py" wait "$BASE" 60; then
  tail -n 30 "$TMP/gunicorn.log" >&2
  exit 1
fi
WORKER_PIDS="$( (pgrep -P "$GUNICORN_PID" || true) | tr '\n' ' ')"
log "isso up (master $GUNICORN_PID, workers $WORKER_PIDS)"

# --- 4. seed + verify ---------------------------------------------------------
log "seeding $SEED_COMMENTS comments into /bench/thread/"
"$PY" "$LUA_DIR/isso_helper.py" seed "$BASE" "$SEED_COMMENTS"
VERIFY_BEFORE="$("$PY" "$LUA_DIR/isso_helper.py" verify "$BASE" "$SEED_COMMENTS")"
log "verified: $VERIFY_BEFORE"

# --- 5. wrk --------------------------------------------------------------------
rm -f "$RESULTS_DIR"/isso-{thread_listing,submissions,count,feed}.{txt,load,unavailable}
WRK_ARGS=(-t"$WRK_THREADS" -c"$WRK_CONNECTIONS" -d"$DURATION" --timeout "$WRK_TIMEOUT" --latency)

run_shape() {
  local shape="$1" path="$2"
  local raw="$RESULTS_DIR/isso-$shape.txt"
  log "wrk $shape: wrk ${WRK_ARGS[*]} -s $LUA_DIR/$shape.lua $BASE$path"
  {
    echo "before: $(cut -d' ' -f1-3 /proc/loadavg)"
  } >"$RESULTS_DIR/isso-$shape.load"
  {
    echo "# wrk ${WRK_ARGS[*]} -s $LUA_DIR/$shape.lua $BASE$path"
    echo "# uptime before: $(uptime)"
    wrk "${WRK_ARGS[@]}" -s "$LUA_DIR/$shape.lua" "$BASE$path"
    echo "# uptime after: $(uptime)"
  } >"$raw" 2>&1
  echo "after: $(cut -d' ' -f1-3 /proc/loadavg)" >>"$RESULTS_DIR/isso-$shape.load"
  grep -E 'Requests/sec|^ +(50|99)%|Non-2xx|Socket errors' "$raw" | sed "s/^/[isso-bench]   /" >&2 || true
  drain
}

# wrk stops sending at the end of its duration, but gunicorn's sync workers
# still have up to $WRK_CONNECTIONS accepted/queued requests to finish (several
# seconds' worth for the slow thread listing). Wait until a fresh request gets
# through so the next shape does not start behind that backlog.
drain() {
  "$PY" "$LUA_DIR/isso_helper.py" wait "$BASE" 300
  sleep 1
  "$PY" "$LUA_DIR/isso_helper.py" wait "$BASE" 300
  sleep 1
}

# Read-only shapes first, then writes (which go to their own thread anyway).
run_shape thread_listing "/?uri=/bench/thread/"
run_shape count "/count"
if [[ "$("$PY" -c 'import json,sys; print(json.loads(sys.argv[1]).get("feed_available"))' "$VERIFY_BEFORE")" == "True" ]]; then
  run_shape feed "/feed?uri=/bench/thread/"
else
  echo "GET /feed returned non-200 even with [rss] base set" >"$RESULTS_DIR/isso-feed.unavailable"
fi
run_shape submissions "/new?uri=/bench/submissions/"

VERIFY_AFTER="$("$PY" "$LUA_DIR/isso_helper.py" verify "$BASE" "$SEED_COMMENTS")"
SUBMITTED_ROWS="$("$PY" - "$DB_PATH" <<'PY'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
print(db.execute("SELECT COUNT(*) FROM comments c JOIN threads t ON c.tid = t.id WHERE t.uri = '/bench/submissions/' AND c.mode = 1").fetchone()[0] - 1)
PY
)"
log "published submissions in DB: $SUBMITTED_ROWS"

# --- 6. JSON + table -----------------------------------------------------------
VERSIONS="$("$PY" - <<'PY'
import json, platform
from importlib.metadata import version
print(json.dumps({p: version(p) for p in ("isso", "gunicorn", "Werkzeug", "mistune")} | {"python": platform.python_version()}))
PY
)"
WRK_VERSION="$(wrk --version 2>&1 | head -n1 || true)"

export BENCH_META_WRK="$(printf '{"command": "wrk %s -s <shape>.lua", "version": "%s"}' "${WRK_ARGS[*]}" "$WRK_VERSION")"
export BENCH_META_SERVER="$(printf '{"command": "gunicorn %s isso.run", "workers": %d, "worker_class": "sync"}' "${GUNICORN_ARGS[*]}" "$GUNICORN_WORKERS")"
export BENCH_META_VERSIONS="$VERSIONS"
export BENCH_META_MACHINE="$(printf '{"nproc": %d, "loadavg_end": "%s"}' "$(nproc)" "$(cut -d' ' -f1-3 /proc/loadavg)")"
export BENCH_META_SEED="$VERIFY_BEFORE"
export BENCH_META_VERIFY_AFTER="$VERIFY_AFTER"
export BENCH_META_SUBMISSIONS_PUBLISHED_IN_DB="$SUBMITTED_ROWS"
export BENCH_META_DB="$(printf '{"path": "%s", "fstype": "%s", "note": "deleted after the run unless KEEP_TMP=1"}' "$DB_PATH" "$(df -T "$DB_DIR" | awk 'NR==2 {print $2}')")"
"$PY" "$LUA_DIR/isso_helper.py" parse "$RESULTS_DIR" "$OUT" "isso 0.14.0 (gunicorn, 2 workers)"
echo
echo "load average now: $(uptime)"
echo "wrote $OUT (raw wrk output: $RESULTS_DIR/isso-<shape>.txt)"
