#!/usr/bin/env bash
# Attendance against MariaDB on loopback: the secretariat's bulk sheet (132 rows in one PUT),
# changing and repeated (the idempotent no-op), and members' self check-ins.
#
#   bench/attendance/run.sh            # run from anywhere in the repository
#   N=500 ROUNDS=10 CONCURRENCY=16 bench/attendance/run.sh
#   MYSQL='user:pass@tcp(127.0.0.1:3306)/' bench/attendance/run.sh
#
# It creates a fresh database rota_bench, starts `rota serve` on a free 127.0.0.1 port with the
# demo federation (132 members), and on exit stops the server and drops the database. The
# server, MariaDB and the client share the machine, so the numbers compare runs on one machine;
# they are not capacity planning.
set -euo pipefail
cd "$(dirname "$0")/../.."

N=${N:-200}
ROUNDS=${ROUNDS:-5}
CONCURRENCY=${CONCURRENCY:-12}
MYSQL=${MYSQL:-root@tcp(127.0.0.1:3306)/}
DSN="${MYSQL%/}/rota_bench"

log() { printf '[attendance] %s\n' "$*" >&2; }

tmp=$(mktemp -d)
rota_pid=""
db_made=""
cleanup() {
  if [ -n "$rota_pid" ]; then kill "$rota_pid" 2>/dev/null || true; wait "$rota_pid" 2>/dev/null || true; fi
  if [ -n "$db_made" ]; then "$tmp/attendance" -drop-db -dsn "$DSN" && log "dropped rota_bench" || log "could not drop rota_bench"; fi
  rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

log "building rota and the benchmark client"
go build -trimpath -o "$tmp/rota" ./cmd/rota
go build -trimpath -o "$tmp/attendance" ./bench/attendance

db_made=1
"$tmp/attendance" -create-db -dsn "$DSN"
port=$("$tmp/attendance" -free-port)
password="bench-admin-$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n')"

# Run from the temp dir so no config.yaml is read: every setting comes from here.
export ROTA_DATABASE_DRIVER=mysql ROTA_DATABASE_DSN="$DSN" ROTA_SERVER_ADDR="127.0.0.1:$port" \
  ROTA_SERVER_BASE_URL="http://127.0.0.1:$port" ROTA_DEMO=true ROTA_LOG_LEVEL=warn
(cd "$tmp" && ./rota user add --admin --password "$password" benchadmin >/dev/null)
log "starting rota on 127.0.0.1:$port (MariaDB database rota_bench)"
(cd "$tmp" && exec ./rota serve >"$tmp/rota.log" 2>&1) &
rota_pid=$!
for _ in $(seq 1 150); do
  curl -fs "http://127.0.0.1:$port/readyz" >/dev/null 2>&1 && break
  kill -0 "$rota_pid" 2>/dev/null || { log "rota did not start:"; cat "$tmp/rota.log" >&2; exit 1; }
  sleep 0.2
done
curl -fs "http://127.0.0.1:$port/readyz" >/dev/null || { log "rota is not ready:"; cat "$tmp/rota.log" >&2; exit 1; }

log "measuring: N=$N ROUNDS=$ROUNDS CONCURRENCY=$CONCURRENCY"
status=0
timeout 900 "$tmp/attendance" -url "http://127.0.0.1:$port" -user benchadmin -password "$password" \
  -n "$N" -rounds "$ROUNDS" -concurrency "$CONCURRENCY" || status=$?
if [ "$status" != 0 ]; then
  log "failed; server log:"
  tail -n 30 "$tmp/rota.log" >&2
fi
exit "$status"
