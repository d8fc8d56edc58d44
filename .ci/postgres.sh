#!/usr/bin/env bash
# A throw-away PostgreSQL for the audit-trail tests: `eval "$(.ci/postgres.sh)"` starts it (or reuses
# the one already running) and sets DROID_TEST_POSTGRES_URL; `.ci/postgres.sh stop` stops it and
# deletes its files. In .ci/run:
#
#     eval "$(.ci/postgres.sh)"
#     trap '.ci/postgres.sh stop' EXIT
#
# - installs the Debian package `postgresql` with apt-get when initdb is missing (needs root);
# - runs initdb and the server as the `postgres` user when started as root (initdb refuses root);
# - listens on 127.0.0.1 only, on a free port; the unix socket lives in the cluster's own folder;
# - creates a database and a login role with a random password (scram-sha-256 over TCP);
# - prints exactly one line on stdout, `export DROID_TEST_POSTGRES_URL=postgresql://...`; everything
#   else goes to stderr. The URL (it holds the password) is kept in a mode-600 file for reruns.
# The cluster lives in $DROID_CI_PG_DIR (default ${TMPDIR:-/tmp}/droid-ci-postgres).
set -euo pipefail

BASE="${DROID_CI_PG_DIR:-${TMPDIR:-/tmp}/droid-ci-postgres}"
DATA="$BASE/data"
URL_FILE="$BASE/url"
LOG="$BASE/server.log"
DB=droid_audit_test
ROLE=droid_audit_test

say() { echo "postgres.sh: $*" >&2; }

bindir() {
    local dir
    if command -v pg_config >/dev/null 2>&1 && [ -x "$(pg_config --bindir)/initdb" ]; then
        pg_config --bindir
        return
    fi
    dir="$(find /usr/lib/postgresql -mindepth 2 -maxdepth 2 -name bin -type d 2>/dev/null | sort -V | tail -n 1)"
    if [ -n "$dir" ] && [ -x "$dir/initdb" ]; then
        echo "$dir"
    elif command -v initdb >/dev/null 2>&1; then
        dirname "$(command -v initdb)"
    fi
}

# Run a PostgreSQL program as the cluster's owner: `postgres` when we are root, else ourselves.
as_owner() {
    if [ "$(id -u)" -eq 0 ]; then
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}

# Answering on its port, not just a live pid: a killed postmaster can linger as a zombie.
running() {
    [ -n "$BIN" ] && [ -f "$URL_FILE" ] && [ -f "$BASE/port" ] &&
        "$BIN/pg_isready" -q -h 127.0.0.1 -p "$(cat "$BASE/port")" -t 5
}

stop() {
    local pid
    if running; then
        as_owner "$BIN/pg_ctl" stop -D "$DATA" -m fast -w >/dev/null 2>&1 || say "pg_ctl stop failed"
    fi
    if [ -f "$DATA/postmaster.pid" ]; then  # not answering (crashed or stuck): make sure it is gone
        pid="$(head -n 1 "$DATA/postmaster.pid")"
        kill -9 "$pid" 2>/dev/null || true
    fi
    rm -rf "$BASE"
    say "stopped and removed $BASE"
}

install_if_missing() {
    [ -n "$BIN" ] && return
    if [ "$(id -u)" -ne 0 ]; then
        say "initdb not found and not root: install the Debian package postgresql first"
        exit 2
    fi
    say "installing the Debian package postgresql"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -q >&2
    apt-get install -y -q --no-install-recommends postgresql >&2
    BIN="$(bindir)"
    if [ -z "$BIN" ]; then
        say "initdb still not found after installing postgresql"
        exit 2
    fi
}

free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

start() {
    local password port attempt
    rm -rf "$BASE"
    mkdir -p "$BASE"
    chmod 700 "$BASE"
    if [ "$(id -u)" -eq 0 ]; then
        id postgres >/dev/null 2>&1 || useradd --system --home-dir "$BASE" --shell /usr/sbin/nologin postgres
        chown postgres "$BASE"
    fi
    password="$(od -An -tx1 -N16 /dev/urandom | tr -d ' \n')"
    as_owner "$BIN/initdb" -D "$DATA" -U postgres --auth-local=trust --auth-host=scram-sha-256 \
        --encoding=UTF8 --no-locale >"$BASE/initdb.log" 2>&1 || { cat "$BASE/initdb.log" >&2; exit 1; }
    for attempt in 1 2 3; do  # another process may take the port between picking and binding it
        port="$(free_port)"
        if as_owner "$BIN/pg_ctl" start -D "$DATA" -l "$LOG" -w -t 60 \
            -o "-c listen_addresses=127.0.0.1 -p $port -c unix_socket_directories=$BASE" >/dev/null; then
            break
        fi
        say "start on port $port failed (attempt $attempt)"
        [ "$attempt" -eq 3 ] && { tail -n 20 "$LOG" >&2; exit 1; }
    done
    as_owner "$BIN/psql" -X -q -v ON_ERROR_STOP=1 -h "$BASE" -p "$port" -U postgres -d postgres >/dev/null <<SQL
CREATE ROLE $ROLE LOGIN PASSWORD '$password';
CREATE DATABASE $DB OWNER $ROLE;
SQL
    (umask 077 && echo "postgresql://$ROLE:$password@127.0.0.1:$port/$DB" >"$URL_FILE")
    echo "$port" >"$BASE/port"
    say "PostgreSQL $("$BIN/postgres" --version | awk '{print $3}') on 127.0.0.1:$port, cluster in $BASE"
}

BIN="$(bindir)"
case "${1:-start}" in
    stop)
        stop
        ;;
    start)
        install_if_missing
        if running; then
            say "reusing the running cluster in $BASE"
        else
            [ -d "$BASE" ] && stop
            start
        fi
        echo "export DROID_TEST_POSTGRES_URL=$(cat "$URL_FILE")"
        ;;
    *)
        say "usage: $0 [start|stop]"
        exit 2
        ;;
esac
