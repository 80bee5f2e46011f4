# Sourced by scripts/test: start a throwaway PostgreSQL server for the test run and export
# TEST_POSTGRES_URL. Installs the server from Debian's packages if it is missing and we are root.
# The server lives in a temporary folder and is stopped and removed when the calling shell exits.

pg_bindir() {
  if command -v pg_config >/dev/null 2>&1 && [ -x "$(pg_config --bindir)/initdb" ]; then
    pg_config --bindir
    return
  fi
  ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1
}

if [ -z "$(pg_bindir)" ] || [ ! -x "$(pg_bindir)/initdb" ]; then
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    echo "PostgreSQL not found: installing it from Debian's packages" >&2
    apt-get update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
  else
    echo "PostgreSQL is not installed. Install it (e.g. 'sudo apt-get install postgresql')," >&2
    echo "or set TEST_POSTGRES_URL to a server where the user may create databases." >&2
    exit 1
  fi
fi

PG_BIN=$(pg_bindir)
PG_DIR=$(mktemp -d /tmp/datapack-pg.XXXXXX)
PG_PORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
PG_AS=()
if [ "$(id -u)" = "0" ]; then
  # initdb refuses to run as root; the Debian package creates the postgres user.
  id postgres >/dev/null 2>&1 || useradd --system --no-create-home postgres
  chown postgres "$PG_DIR"
  PG_AS=(runuser -u postgres --)
fi

"${PG_AS[@]}" "$PG_BIN/initdb" -D "$PG_DIR/data" -U postgres -A trust --no-sync >/dev/null
"${PG_AS[@]}" "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/server.log" -w \
  -o "-p $PG_PORT -k $PG_DIR -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200" start >/dev/null

stop_test_postgres() {
  "${PG_AS[@]}" "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$PG_DIR"
}
trap stop_test_postgres EXIT

export TEST_POSTGRES_URL="postgresql+psycopg://postgres@127.0.0.1:$PG_PORT/postgres"
echo "PostgreSQL $("$PG_BIN/postgres" --version | awk '{print $3}') for the tests on port $PG_PORT" >&2
