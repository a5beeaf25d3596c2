#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for the library's server tests and benchmarks.
#
#   eval "$(tests/pg_server.sh start)"   # exports ARTICLE_EDITOR_TEST_POSTGRES and PG_SERVER_DIR
#   tests/pg_server.sh stop "$PG_SERVER_DIR"      # stops the server and deletes the cluster
#   tests/pg_server.sh pause|resume "$PG_SERVER_DIR"   # stops / starts it again (tests)
#
# The cluster runs as an unprivileged user (the current one, or "postgres"/"nobody" when run as
# root) on a socket in its own directory and a free loopback port, with trust authentication
# for that socket only: nothing outlives `stop`, and no password is ever written anywhere.
set -euo pipefail

bindir() {
    if command -v pg_ctl >/dev/null; then dirname "$(readlink -f "$(command -v pg_ctl)")"
    else ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1; fi
}

case "${1:-}" in
start)
    BIN="$(bindir)"
    if [ -z "$BIN" ] || [ ! -x "$BIN/initdb" ]; then
        echo "PostgreSQL is not installed (apt-get install postgresql)" >&2; exit 1
    fi
    DIR="$(mktemp -d "${TMPDIR:-/tmp}/article-editor-pg.XXXXXX")"
    RUN=()
    if [ "$(id -u)" = 0 ]; then
        USER_NAME=postgres; id postgres >/dev/null 2>&1 || USER_NAME=nobody
        chown "$USER_NAME" "$DIR"; chmod 700 "$DIR"
        RUN=(runuser -u "$USER_NAME" --)
    fi
    PORT="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
    "${RUN[@]}" "$BIN/initdb" -D "$DIR/data" -U editor -A trust -E UTF8 --locale=C.UTF-8 \
        >"$DIR/initdb.log" 2>&1 || { cat "$DIR/initdb.log" >&2; exit 1; }
    # Settings in the cluster's own file, so `resume` starts it the same way.
    cat >>"$DIR/data/postgresql.auto.conf" <<CONF
port = $PORT
unix_socket_directories = '$DIR'
listen_addresses = ''
fsync = off
synchronous_commit = off
full_page_writes = off
max_connections = 200
CONF
    "${RUN[@]}" "$BIN/pg_ctl" -D "$DIR/data" -l "$DIR/server.log" -w -t 60 start >/dev/null \
        || { cat "$DIR/server.log" >&2; exit 1; }
    "${RUN[@]}" "$BIN/createdb" -h "$DIR" -p "$PORT" -U editor library_test
    echo "export PG_SERVER_DIR='$DIR'"
    echo "export ARTICLE_EDITOR_TEST_POSTGRES='postgresql://editor@/library_test?host=$DIR&port=$PORT'"
    ;;
pause|resume)
    DIR="${2:-${PG_SERVER_DIR:-}}"
    RUN=()
    if [ "$(id -u)" = 0 ]; then RUN=(runuser -u "$(stat -c %U "$DIR")" --); fi
    if "${RUN[@]}" "$(bindir)/pg_ctl" -D "$DIR/data" status >/dev/null 2>&1; then
        [ "$1" = resume ] || "${RUN[@]}" "$(bindir)/pg_ctl" -D "$DIR/data" -m fast -w stop >/dev/null
    elif [ "$1" = resume ]; then
        "${RUN[@]}" "$(bindir)/pg_ctl" -D "$DIR/data" -l "$DIR/server.log" -w -t 60 start >/dev/null
    fi
    ;;
stop)
    DIR="${2:-${PG_SERVER_DIR:-}}"
    [ -n "$DIR" ] && [ -d "$DIR/data" ] || exit 0
    RUN=()
    if [ "$(id -u)" = 0 ]; then RUN=(runuser -u "$(stat -c %U "$DIR")" --); fi
    "${RUN[@]}" "$(bindir)/pg_ctl" -D "$DIR/data" -m immediate -w stop >/dev/null 2>&1 || true
    rm -rf "$DIR"
    ;;
*)
    echo "usage: $0 start | stop DIR | pause DIR | resume DIR" >&2; exit 2 ;;
esac
