#!/usr/bin/env bash
# A private PostgreSQL and a private nats-server for the tests (not the system's cluster or
# service). `scripts/test.sh` starts them before `cargo test` and stops them at its end.
#
#   bash scripts/services.sh start    # start both (kept if already running and healthy)
#   bash scripts/services.sh stop     # stop both (safe when nothing runs)
#   bash scripts/services.sh status   # exit 0 when both answer
#   bash scripts/services.sh env      # print the export lines the tests read:
#                                     #   RCIM_TEST_POSTGRES_URL, RCIM_TEST_NATS_URL,
#                                     #   RCIM_TEST_POSTGRES_CA
#
# Everything lives in $RCIM_SERVICES_DIR (default ~/.cache/rcim/services):
#   pg/data            the cluster (initdb once: trust auth, locale C, UTF8, fsync on)
#   pg/run             its unix socket;  pg/postgresql.log  its log
#   pg/tls             a test CA (ca.crt, the RCIM_TEST_POSTGRES_CA) and the server's
#                      certificate it signed: the server also speaks TLS (sslmode=require)
#   nats/              nats-server.conf, nats-server.pid, nats-server.log
# Both listen on 127.0.0.1 only. Ports: RCIM_PG_PORT (55432), RCIM_NATS_PORT (54222),
# RCIM_NATS_MONITOR_PORT (58222, the HTTP monitoring port: /healthz, /varz, /connz).
#
# PostgreSQL refuses to run as root: when run as root, the cluster belongs to the system user
# $RCIM_PG_USER (default rcim-pg, created when missing) and its binaries run as that user. When
# that user cannot reach the services directory (e.g. under /root, mode 700), they run with the
# single capability CAP_DAC_READ_SEARCH (directory search and file read, no write).
set -euo pipefail

SERVICES_DIR="${RCIM_SERVICES_DIR:-$HOME/.cache/rcim/services}"
PG_PORT="${RCIM_PG_PORT:-55432}"
NATS_PORT="${RCIM_NATS_PORT:-54222}"
NATS_MONITOR_PORT="${RCIM_NATS_MONITOR_PORT:-58222}"
PG_USER="${RCIM_PG_USER:-rcim-pg}"
TIMEOUT="${RCIM_SERVICES_TIMEOUT:-60}"

PG_DIR="$SERVICES_DIR/pg"
PG_DATA="$PG_DIR/data"
PG_RUN="$PG_DIR/run"
PG_LOG="$PG_DIR/postgresql.log"
PG_TLS="$PG_DIR/tls"
NATS_DIR="$SERVICES_DIR/nats"
NATS_CONF="$NATS_DIR/nats-server.conf"
NATS_PID="$NATS_DIR/nats-server.pid"
NATS_LOG="$NATS_DIR/nats-server.log"
NATS_OUT="$NATS_DIR/nats-server.out"

PG_URL="postgres://rcim@127.0.0.1:$PG_PORT/rcim_test"
NATS_URL="nats://127.0.0.1:$NATS_PORT"

say() { printf 'services: %s\n' "$*" >&2; }
die() { printf 'services: error: %s\n' "$*" >&2; exit 1; }

# Prints the last lines of the given log files, then fails.
die_with_logs() {
  local msg=$1 f
  shift
  for f in "$@"; do
    if [ -s "$f" ]; then
      printf '\n--- last lines of %s ---\n' "$f" >&2
      tail -n 30 "$f" >&2
    fi
  done
  die "$msg"
}

# True when something accepts TCP connections on 127.0.0.1:$1.
port_open() {
  # shellcheck disable=SC2016 # $1 is expanded by the inner bash
  timeout 3 bash -c 'exec 3<>"/dev/tcp/127.0.0.1/$1"' _ "$1" 2>/dev/null
}

# --- PostgreSQL ----------------------------------------------------------------------------

pg_bindir() {
  if [ -n "${RCIM_PG_BINDIR:-}" ]; then
    printf '%s\n' "$RCIM_PG_BINDIR"
    return
  fi
  local d
  d="$(find /usr/lib/postgresql -mindepth 2 -maxdepth 2 -type d -name bin 2>/dev/null | sort -V | tail -n 1)"
  if [ -z "$d" ] || [ ! -x "$d/initdb" ]; then
    die "no PostgreSQL server binaries under /usr/lib/postgresql/*/bin (run scripts/setup.sh, or set RCIM_PG_BINDIR)"
  fi
  printf '%s\n' "$d"
}

as_root() { [ "$(id -u)" -eq 0 ]; }

ensure_pg_user() {
  as_root || return 0
  id -u "$PG_USER" >/dev/null 2>&1 && return 0
  say "creating system user $PG_USER (owns the private PostgreSQL cluster)"
  useradd --system --user-group --no-create-home --home-dir /nonexistent \
    --shell /usr/sbin/nologin "$PG_USER"
}

# Runs a PostgreSQL binary as the cluster's owner, from inside $PG_DIR.
pg_run() {
  if ! as_root; then
    (cd "$PG_DIR" && "$@" 9>&-)
    return
  fi
  local caps=()
  if ! setpriv --reuid="$PG_USER" --regid="$PG_USER" --init-groups -- test -x "$PG_DIR"; then
    caps=(--inh-caps=+dac_read_search --ambient-caps=+dac_read_search)
  fi
  (cd "$PG_DIR" && setpriv --reuid="$PG_USER" --regid="$PG_USER" --init-groups "${caps[@]}" -- "$@" 9>&-)
}

pg_ready() {
  "$BIN/pg_isready" -q -h 127.0.0.1 -p "$PG_PORT" -U postgres -d postgres -t 2 >/dev/null 2>&1
}

pg_running() {
  [ -f "$PG_DATA/PG_VERSION" ] && pg_run "$BIN/pg_ctl" status -D "$PG_DATA" >/dev/null 2>&1
}

# The port the running postmaster listens on (4th line of postmaster.pid).
pg_running_port() {
  sed -n 4p "$PG_DATA/postmaster.pid" 2>/dev/null || true
}

pg_initdb() {
  [ -f "$PG_DATA/PG_VERSION" ] && return 0
  say "initdb $PG_DATA"
  rm -rf "$PG_DATA"
  # No --no-sync: fsync stays on, here and in the running cluster.
  if ! pg_run "$BIN/initdb" -D "$PG_DATA" -U postgres --auth=trust --locale=C --encoding=UTF8 \
    >"$PG_DIR/initdb.log" 2>&1; then
    die_with_logs "initdb failed" "$PG_DIR/initdb.log"
  fi
  printf "\ninclude_if_exists = 'rcim.conf'\n" >>"$PG_DATA/postgresql.conf"
}

# A test CA and a server certificate it signed for 127.0.0.1 / localhost (made once), copied
# into the cluster as server.crt / server.key (the key readable by the server's user only).
pg_tls_files() {
  if [ ! -f "$PG_TLS/server.crt" ]; then
    say "making a test CA and the server's certificate in $PG_TLS"
    rm -rf "$PG_TLS"
    mkdir -p "$PG_TLS"
    (
      cd "$PG_TLS"
      openssl req -x509 -newkey rsa:2048 -nodes -days 3650 -subj "/CN=rcim test CA" \
        -keyout ca.key -out ca.crt 2>/dev/null
      openssl req -newkey rsa:2048 -nodes -subj "/CN=localhost" -keyout server.key \
        -out server.csr 2>/dev/null
      printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n' >ext
      openssl x509 -req -in server.csr -CA ca.crt -CAkey ca.key -CAcreateserial -days 3650 \
        -extfile ext -out server.crt 2>/dev/null
      chmod 600 ca.key server.key
    ) || die "openssl could not make the test certificates"
  fi
  cp "$PG_TLS/server.crt" "$PG_TLS/server.key" "$PG_DATA/"
  as_root && chown "$PG_USER:" "$PG_DATA/server.crt" "$PG_DATA/server.key"
  chmod 600 "$PG_DATA/server.key"
}

# Settings rewritten at each start (ports and paths may change between runs).
pg_write_conf() {
  local run_q=${PG_RUN//\'/\'\'}
  cat >"$PG_DATA/rcim.conf" <<EOF
# Written by scripts/services.sh at each start.
listen_addresses = '127.0.0.1'
port = $PG_PORT
unix_socket_directories = '$run_q'
fsync = on
synchronous_commit = on
full_page_writes = on
max_connections = 300
ssl = on
ssl_cert_file = 'server.crt'
ssl_key_file = 'server.key'
EOF
  as_root && chown "$PG_USER:" "$PG_DATA/rcim.conf"
  chmod 600 "$PG_DATA/rcim.conf"
}

pg_stop() {
  [ -n "${BIN:-}" ] || BIN="$(pg_bindir)"
  if pg_running; then
    say "stopping PostgreSQL ($PG_DATA)"
    pg_run "$BIN/pg_ctl" stop -D "$PG_DATA" -m fast -w -t "$TIMEOUT" >/dev/null ||
      die_with_logs "pg_ctl stop failed" "$PG_LOG"
  fi
}

pg_start() {
  BIN="$(pg_bindir)"
  if pg_running; then
    if [ "$(pg_running_port)" = "$PG_PORT" ] && pg_ready && [ -f "$PG_TLS/ca.crt" ]; then
      say "PostgreSQL already running on 127.0.0.1:$PG_PORT"
      pg_ensure_db
      return
    fi
    say "PostgreSQL running, but not answering, on another port or without TLS: restarting it"
    pg_stop
  fi
  if port_open "$PG_PORT"; then
    die "port $PG_PORT is taken by another process; set RCIM_PG_PORT to a free port"
  fi

  ensure_pg_user
  mkdir -p "$PG_DIR"
  as_root && chown "$PG_USER:" "$PG_DIR"
  chmod 700 "$PG_DIR"
  pg_initdb
  pg_run mkdir -p "$PG_RUN"
  pg_tls_files
  pg_write_conf

  say "starting PostgreSQL on 127.0.0.1:$PG_PORT (log: $PG_LOG)"
  if ! pg_run "$BIN/pg_ctl" start -D "$PG_DATA" -l "$PG_LOG" -w -t "$TIMEOUT" >/dev/null; then
    die_with_logs "PostgreSQL did not start" "$PG_LOG"
  fi
  local waited=0
  until pg_ready; do
    [ "$waited" -lt "$TIMEOUT" ] || die_with_logs "PostgreSQL does not answer on 127.0.0.1:$PG_PORT after ${TIMEOUT}s" "$PG_LOG"
    sleep 1
    waited=$((waited + 1))
  done
  pg_ensure_db
}

# The role `rcim` (superuser: tests create and drop their own databases and schemas) and the
# database `rcim_test` it owns.
pg_ensure_db() {
  local psql=("$BIN/psql" -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$PG_PORT" -U postgres -d postgres -tA)
  if [ "$("${psql[@]}" -c "select 1 from pg_roles where rolname = 'rcim'")" != 1 ]; then
    "${psql[@]}" -c 'create role rcim with login superuser'
  fi
  if [ "$("${psql[@]}" -c "select 1 from pg_database where datname = 'rcim_test'")" != 1 ]; then
    "${psql[@]}" -c 'create database rcim_test owner rcim'
  fi
}

# --- NATS ----------------------------------------------------------------------------------

# True while process $1 exists and is not a zombie (an exited child not yet reaped by init).
alive() {
  local stat
  stat="$(cat "/proc/$1/stat" 2>/dev/null)" || return 1
  stat="${stat##*) }"
  [ "${stat%% *}" != Z ]
}

nats_pid() {
  local pid
  pid="$(cat "$NATS_PID" 2>/dev/null || true)"
  [[ "$pid" =~ ^[0-9]+$ ]] && alive "$pid" || return 1
  [ "$(cat "/proc/$pid/comm" 2>/dev/null || true)" = nats-server ] || return 1
  printf '%s\n' "$pid"
}

# The client port answers with its INFO line, and the monitoring port says healthy.
nats_ready() {
  local info
  # shellcheck disable=SC2016 # $1 is expanded by the inner bash
  info="$(timeout 3 bash -c 'exec 3<>"/dev/tcp/127.0.0.1/$1"; head -c 4 <&3' _ "$NATS_PORT" 2>/dev/null || true)"
  [ "$info" = INFO ] || return 1
  if command -v curl >/dev/null; then
    curl -fsS --max-time 2 "http://127.0.0.1:$NATS_MONITOR_PORT/healthz" >/dev/null 2>&1 || return 1
  fi
}

nats_stop() {
  local pid i
  if pid="$(nats_pid)"; then
    say "stopping nats-server (pid $pid)"
    kill -TERM "$pid" 2>/dev/null || true
    for ((i = 0; i < TIMEOUT * 10; i++)); do
      alive "$pid" || break
      sleep 0.1
    done
    if alive "$pid"; then
      say "nats-server (pid $pid) ignored SIGTERM: SIGKILL"
      kill -KILL "$pid" 2>/dev/null || true
    fi
  fi
  rm -f "$NATS_PID"
}

nats_start() {
  command -v nats-server >/dev/null || die "nats-server is not installed (run scripts/setup.sh)"
  if nats_pid >/dev/null; then
    if grep -qx "listen: \"127.0.0.1:$NATS_PORT\"" "$NATS_CONF" 2>/dev/null &&
      grep -qx "http: \"127.0.0.1:$NATS_MONITOR_PORT\"" "$NATS_CONF" 2>/dev/null && nats_ready; then
      say "nats-server already running on 127.0.0.1:$NATS_PORT"
      return
    fi
    say "nats-server running, but not answering or on other ports: restarting it"
    nats_stop
  fi
  local port
  for port in "$NATS_PORT" "$NATS_MONITOR_PORT"; do
    if port_open "$port"; then
      die "port $port is taken by another process; set RCIM_NATS_PORT / RCIM_NATS_MONITOR_PORT to free ports"
    fi
  done

  mkdir -p "$NATS_DIR"
  rm -f "$NATS_PID"
  cat >"$NATS_CONF" <<EOF
# Written by scripts/services.sh at each start.
listen: "127.0.0.1:$NATS_PORT"
http: "127.0.0.1:$NATS_MONITOR_PORT"
pid_file: "$NATS_PID"
log_file: "$NATS_LOG"
EOF
  say "starting nats-server on 127.0.0.1:$NATS_PORT, monitoring on :$NATS_MONITOR_PORT (log: $NATS_LOG)"
  # Its own session: a Ctrl-C in the terminal running the tests does not reach it; `stop` does.
  # fd 9 (the lock) is closed for it: it outlives this script.
  setsid nats-server -c "$NATS_CONF" </dev/null >"$NATS_OUT" 2>&1 9>&- &
  local bg=$! i
  for ((i = 0; i < TIMEOUT * 10; i++)); do
    nats_pid >/dev/null && nats_ready && return
    alive "$bg" || die_with_logs "nats-server exited" "$NATS_OUT" "$NATS_LOG"
    sleep 0.1
  done
  die_with_logs "nats-server does not answer on 127.0.0.1:$NATS_PORT after ${TIMEOUT}s" "$NATS_OUT" "$NATS_LOG"
}

# --- Commands ------------------------------------------------------------------------------

print_env() {
  printf 'export RCIM_TEST_POSTGRES_URL=%s\n' "$PG_URL"
  printf 'export RCIM_TEST_NATS_URL=%s\n' "$NATS_URL"
  printf 'export RCIM_TEST_POSTGRES_CA=%s\n' "$PG_TLS/ca.crt"
}

lock() {
  mkdir -p "$SERVICES_DIR"
  exec 9>"$SERVICES_DIR/.lock"
  flock -w "$TIMEOUT" 9 || die "another scripts/services.sh holds $SERVICES_DIR/.lock"
}

case "${1:-}" in
start)
  lock
  pg_start
  nats_start
  say "PostgreSQL: $PG_URL"
  say "NATS:       $NATS_URL"
  ;;
stop)
  [ -d "$SERVICES_DIR" ] || exit 0
  lock
  status=0
  nats_stop || status=1
  if [ -f "$PG_DATA/PG_VERSION" ]; then pg_stop || status=1; fi
  exit "$status"
  ;;
status)
  BIN="$(pg_bindir)"
  ok=0
  if pg_running && pg_ready; then say "PostgreSQL: up, $PG_URL"; else say "PostgreSQL: down" && ok=1; fi
  if nats_pid >/dev/null && nats_ready; then say "NATS: up, $NATS_URL"; else say "NATS: down" && ok=1; fi
  exit "$ok"
  ;;
env)
  print_env
  ;;
*)
  printf 'usage: %s start|stop|status|env\n' "$0" >&2
  exit 2
  ;;
esac
