#!/usr/bin/env bash
# Load test of a member's calendar feed against the same bytes served by nginx as a static
# file, both on loopback: full responses and 304s (If-None-Match), 64 connections, 10 s each.
#
#   bench/feeds/wrk.sh            # run from anywhere in the repository
#   DURATION=30s CONNECTIONS=128 bench/feeds/wrk.sh
#
# Goals: rota ≥ 50% of nginx's req/s for full responses, ≥ 80% for 304s, p99 < 10 ms.
# The server, nginx and wrk share the machine's cores, so the numbers are for comparison
# on one machine, not capacity planning.
set -euo pipefail
cd "$(dirname "$0")/../.."

DURATION=${DURATION:-10s}
CONNECTIONS=${CONNECTIONS:-64}
THREADS=${THREADS:-2}
ROTA_PORT=${ROTA_PORT:-18481}
NGINX_PORT=${NGINX_PORT:-18482}

log() { printf '[wrk.sh] %s\n' "$*" >&2; }

missing=""
command -v wrk >/dev/null || missing="wrk"
{ command -v nginx || [ -x /usr/sbin/nginx ]; } >/dev/null || missing="$missing nginx"
if [ -n "$missing" ]; then
  log "installing wrk and nginx"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq && apt-get install -y -qq wrk nginx >/dev/null
fi
NGINX=$(command -v nginx || echo /usr/sbin/nginx)

tmp=$(mktemp -d)
rota_pid="" nginx_pid=""
cleanup() {
  for pid in $rota_pid $nginx_pid; do kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; done
  rm -rf "$tmp"
}
trap cleanup EXIT

log "building rota and the seeding program"
go build -trimpath -o "$tmp/rota" ./cmd/rota
go build -trimpath -o "$tmp/seed" ./bench/feeds/seed
token=$("$tmp/seed" -db "$tmp/rota.db")
path="/feeds/$token.ics"

log "starting rota on 127.0.0.1:$ROTA_PORT"
# Run from the temp dir so no config.yaml is read: every setting comes from here.
(cd "$tmp" && ROTA_DATABASE_DSN="$tmp/rota.db" ROTA_DEMO=false ROTA_SERVER_ADDR="127.0.0.1:$ROTA_PORT" \
  ROTA_SERVER_BASE_URL="http://127.0.0.1:$ROTA_PORT" ROTA_LOG_LEVEL=warn exec ./rota serve >"$tmp/rota.log" 2>&1) &
rota_pid=$!
for _ in $(seq 1 100); do curl -fs "http://127.0.0.1:$ROTA_PORT/healthz" >/dev/null && break; sleep 0.1; done

mkdir -p "$tmp/www/feeds" "$tmp/nginx-temp"
curl -fsS -D "$tmp/rota.headers" -o "$tmp/www$path" "http://127.0.0.1:$ROTA_PORT$path"
rota_etag=$(awk 'tolower($1)=="etag:"{print $2}' "$tmp/rota.headers" | tr -d '\r')
events=$(grep -c '^BEGIN:VEVENT' "$tmp/www$path")
log "member feed: $(wc -c <"$tmp/www$path") bytes, $events events, ETag $rota_etag"

# Workers run as the current user (as root nginx would switch to nobody, who cannot read $tmp).
user_line=""
[ "$(id -u)" = 0 ] && user_line="user $(id -un) $(id -gn);"
cat >"$tmp/nginx.conf" <<EOF
$user_line
worker_processes auto;
daemon off;
pid $tmp/nginx.pid;
error_log $tmp/nginx-error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path $tmp/nginx-temp/body;
  proxy_temp_path $tmp/nginx-temp/proxy;
  fastcgi_temp_path $tmp/nginx-temp/fastcgi;
  uwsgi_temp_path $tmp/nginx-temp/uwsgi;
  scgi_temp_path $tmp/nginx-temp/scgi;
  types { text/calendar ics; }
  charset utf-8;
  charset_types text/calendar;
  sendfile on;
  keepalive_requests 1000000;
  server {
    listen 127.0.0.1:$NGINX_PORT;
    root $tmp/www;
    etag on;
    add_header Cache-Control "private, no-cache";
  }
}
EOF
log "starting nginx on 127.0.0.1:$NGINX_PORT"
"$NGINX" -p "$tmp" -c "$tmp/nginx.conf" &
nginx_pid=$!
for _ in $(seq 1 50); do curl -fs -o /dev/null "http://127.0.0.1:$NGINX_PORT$path" && break; sleep 0.1; done
nginx_etag=$(curl -fsSI "http://127.0.0.1:$NGINX_PORT$path" | awk 'tolower($1)=="etag:"{print $2}' | tr -d '\r')
cmp -s <(curl -fsS "http://127.0.0.1:$NGINX_PORT$path") "$tmp/www$path" || { log "nginx serves other bytes"; exit 1; }

for name in rota nginx; do
  etag=$rota_etag; [ "$name" = nginx ] && etag=$nginx_etag
  printf 'wrk.headers["If-None-Match"] = %s\n' "'$etag'" >"$tmp/$name-304.lua"
done
code=$(curl -s -o /dev/null -w '%{http_code}' -H "If-None-Match: $rota_etag" "http://127.0.0.1:$ROTA_PORT$path")
[ "$code" = 304 ] || { log "rota answered $code to If-None-Match"; exit 1; }

# run NAME URL [LUA] prints "req/s p99_ms" for one wrk run.
run() {
  local out
  out=$(wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency ${3:+-s "$3"} "$2")
  printf '%s\n' "$out" >"$tmp/wrk-$1.txt"
  if grep -q 'Non-2xx or 3xx' <<<"$out"; then log "$1: errors: $(grep 'Non-2xx' <<<"$out")"; fi
  awk '
    /Requests\/sec:/ { rps = $2 }
    $1 == "99%" { v = $2; unit = v; sub(/[0-9.]+/, "", unit); sub(/[a-z]+$/, "", v)
                  p99 = (unit == "us") ? v / 1000 : (unit == "s") ? v * 1000 : v }
    END { printf "%.0f %.2f\n", rps, p99 }' <<<"$out"
}

log "wrk: $THREADS threads, $CONNECTIONS connections, $DURATION per run"
read -r rota_full_rps rota_full_p99 < <(run rota-full "http://127.0.0.1:$ROTA_PORT$path")
read -r nginx_full_rps nginx_full_p99 < <(run nginx-full "http://127.0.0.1:$NGINX_PORT$path")
read -r rota_304_rps rota_304_p99 < <(run rota-304 "http://127.0.0.1:$ROTA_PORT$path" "$tmp/rota-304.lua")
read -r nginx_304_rps nginx_304_p99 < <(run nginx-304 "http://127.0.0.1:$NGINX_PORT$path" "$tmp/nginx-304.lua")

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.0f%%", (b > 0) ? 100 * a / b : 0 }'; }
verdict() { awk -v r="$1" -v g="$2" 'BEGIN { print (r >= g) ? "ok" : "MISSED" }'; }
full_ratio=$(awk -v a="$rota_full_rps" -v b="$nginx_full_rps" 'BEGIN { print a / b * 100 }')
n304_ratio=$(awk -v a="$rota_304_rps" -v b="$nginx_304_rps" 'BEGIN { print a / b * 100 }')
p99_ok() { awk -v p="$1" 'BEGIN { print (p < 10) ? "ok" : "MISSED" }'; }

printf '\nmember feed: %s events, %s bytes; %s connections, %s each, %s wrk threads, %s CPUs\n' \
  "$events" "$(wc -c <"$tmp/www$path")" "$CONNECTIONS" "$DURATION" "$THREADS" "$(nproc)"
printf '%-14s %12s %12s %12s %12s\n' "" "rota req/s" "nginx req/s" "rota/nginx" "rota p99 ms"
printf '%-14s %12s %12s %12s %12s   (goal ≥50%%: %s, p99<10ms: %s; nginx p99 %s ms)\n' "full 200" \
  "$rota_full_rps" "$nginx_full_rps" "$(ratio "$rota_full_rps" "$nginx_full_rps")" "$rota_full_p99" \
  "$(verdict "$full_ratio" 50)" "$(p99_ok "$rota_full_p99")" "$nginx_full_p99"
printf '%-14s %12s %12s %12s %12s   (goal ≥80%%: %s, p99<10ms: %s; nginx p99 %s ms)\n' "304" \
  "$rota_304_rps" "$nginx_304_rps" "$(ratio "$rota_304_rps" "$nginx_304_rps")" "$rota_304_p99" \
  "$(verdict "$n304_ratio" 80)" "$(p99_ok "$rota_304_p99")" "$nginx_304_p99"
