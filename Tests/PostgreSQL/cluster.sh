#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for the tests: one per CI run, never one per test.
#   eval "$(Tests/PostgreSQL/cluster.sh start)"   # exports MODERATO_TEST_POSTGRES_URL
#   Tests/PostgreSQL/cluster.sh restart           # an immediate stop (a crash: no checkpoint), then start
#   Tests/PostgreSQL/cluster.sh stop
# MODERATO_TEST_POSTGRES_STATE picks the folder, so a test can run a cluster of its own.
# Installs Debian's postgresql when it is missing, runs initdb as the postgres user in a fresh
# temporary folder and starts it on a free port on 127.0.0.1 (password authentication over TCP).
set -euo pipefail

STATE=${MODERATO_TEST_POSTGRES_STATE:-/tmp/moderato-test-postgres}

bindir() {
    ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1
}

as_postgres() {
    if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else sudo -u postgres "$@"; fi
}

start() {
    if [ -z "$(bindir)" ]; then
        echo "==> installing postgresql" >&2
        export DEBIAN_FRONTEND=noninteractive
        apt-get update -qq >&2
        apt-get install -y -qq postgresql >&2
    fi
    local bin; bin=$(bindir)
    [ -f "$STATE/data/postmaster.pid" ] && stop
    rm -rf "$STATE"
    mkdir -p "$STATE"
    chown postgres "$STATE"
    local port; port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    local password; password=$(python3 -c 'import secrets; print(secrets.token_hex(16))')
    echo "$password" > "$STATE/password"
    chown postgres "$STATE/password"
    as_postgres "$bin/initdb" -D "$STATE/data" -U postgres --pwfile="$STATE/password" --auth-host=scram-sha-256 \
        --auth-local=trust -E UTF8 --locale=C.UTF-8 >"$STATE/initdb.log" 2>&1 \
        || { cat "$STATE/initdb.log" >&2; exit 1; }
    echo "$port" > "$STATE/port"
    launch
    as_postgres "$bin/psql" -h "$STATE" -p "$port" -U postgres -qc "CREATE DATABASE moderato_template" >&2
    echo "export MODERATO_TEST_POSTGRES_URL=postgres://postgres:$password@127.0.0.1:$port/postgres"
}

launch() {
    local bin; bin=$(bindir)
    local port; port=$(cat "$STATE/port")
    # The server outlives this script: it must not keep a descriptor it inherited (a caller's
    # pipe or socket, such as the one Foundation's Process watches to learn that its child ended).
    (
        for fd in /proc/$BASHPID/fd/*; do
            fd=${fd##*/}
            if [ "$fd" -gt 2 ]; then eval "exec $fd>&-" 2>/dev/null || true; fi
        done
        as_postgres "$bin/pg_ctl" -D "$STATE/data" -l "$STATE/server.log" -w \
            -o "-p $port -k $STATE -c listen_addresses=127.0.0.1 -c max_connections=300 -c fsync=on -c synchronous_commit=on" start
    ) >&2
}

restart() {
    local bin; bin=$(bindir)
    as_postgres "$bin/pg_ctl" -D "$STATE/data" -m immediate -w stop >&2
    launch
}

stop() {
    local bin; bin=$(bindir)
    if [ -n "$bin" ] && [ -f "$STATE/data/postmaster.pid" ]; then
        as_postgres "$bin/pg_ctl" -D "$STATE/data" -m fast -w stop >&2 || true
    fi
}

case "${1:-}" in
    start) start ;;
    restart) restart ;;
    stop) stop ;;
    *) echo "usage: $0 start|restart|stop" >&2; exit 2 ;;
esac
