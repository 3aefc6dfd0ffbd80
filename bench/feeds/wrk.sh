#!/usr/bin/env bash
# Load test of a member's calendar feed against the same bytes served by nginx as a static
# file, both on loopback: full responses and 304s (If-None-Match), 64 connections, 10 s a run,
# rota and nginx runs interleaved, ROUNDS rounds (default 5); the goals are judged on the
# medians, and the best round of each server is shown too (its least disturbed run).
#
#   bench/feeds/wrk.sh            # run from anywhere in the repository
#   DURATION=30s CONNECTIONS=128 ROUNDS=5 bench/feeds/wrk.sh
#   PIN=0 bench/feeds/wrk.sh      # no CPU pinning: servers and wrk share every core
#
# Goals: rota ≥ 50% of nginx's req/s for full responses, ≥ 80% for 304s, p99 < 10 ms.
#
# Fairness. wrk, the server under test and anything else on the machine share its cores, so
# unpinned numbers mostly measure who wins the scheduler. With PIN=1 (the default on a machine
# with two or more CPUs) wrk runs on WRK_CPUS and each server, one at a time, on SERVER_CPUS:
# both servers get exactly the same cores and neither competes with the load generator.
#   - nginx runs worker_processes = the number of SERVER_CPUS (one worker per core it may use,
#     which is what "auto" means on a dedicated machine; "auto" here would count all CPUs and
#     put two workers on one core), with a production configuration: sendfile, tcp_nopush,
#     open_file_cache, etag on (so it answers If-None-Match with 304), access_log off.
#   - rota runs as shipped (fasthttp in front; GOMAXPROCS defaults to the CPUs it may use), log level info: it
#     writes no per-request log line for feed polls answered from memory, as nginx writes none.
#   - both get keep-alive without a per-connection request limit (keepalive_requests is raised
#     for nginx; Go has no limit), so neither pays for reconnecting.
# The "cpu" columns are the server's CPU use during the run (100% = one core): a server well
# under the cores it was given was limited by wrk, not by itself, and its ratio means little.
# The "µs" columns are the server's CPU time per request, which other work on the machine
# disturbs far less than req/s: their ratio is what each server costs per poll.
# Other work on the machine disturbs the runs: as root the servers and wrk run at nice NICE
# (default -10, the same for all three; NICE=0 turns it off), and the load average is printed.
set -euo pipefail
cd "$(dirname "$0")/../.."

DURATION=${DURATION:-10s}
CONNECTIONS=${CONNECTIONS:-64}
ROUNDS=${ROUNDS:-5}
ROTA_PORT=${ROTA_PORT:-18481}
NGINX_PORT=${NGINX_PORT:-18482}
ncpu=$(nproc)
PIN=${PIN:-$([ "$ncpu" -ge 2 ] && command -v taskset >/dev/null && echo 1 || echo 0)}
if [ "$PIN" = 1 ]; then
  SERVER_CPUS=${SERVER_CPUS:-$((ncpu - 1))}
  WRK_CPUS=${WRK_CPUS:-0-$((ncpu > 2 ? ncpu - 2 : 0))}
  server_run=(taskset -c "$SERVER_CPUS")
  wrk_run=(taskset -c "$WRK_CPUS")
  server_ncpu=$(taskset -c "$SERVER_CPUS" nproc)
  wrk_ncpu=$(taskset -c "$WRK_CPUS" nproc)
else
  server_run=() wrk_run=() server_ncpu=$ncpu wrk_ncpu=$ncpu
fi
THREADS=${THREADS:-$wrk_ncpu}
NICE=${NICE:-$([ "$(id -u)" = 0 ] && echo -10 || echo 0)}
if [ "$NICE" != 0 ]; then
  server_run=(nice -n "$NICE" "${server_run[@]}")
  wrk_run=(nice -n "$NICE" "${wrk_run[@]}")
fi

log() { printf '[wrk.sh] %s\n' "$*" >&2; }

missing=""
command -v wrk >/dev/null || missing=" wrk"
{ command -v nginx || [ -x /usr/sbin/nginx ]; } >/dev/null || missing="$missing nginx"
command -v curl >/dev/null || missing="$missing curl"
command -v pgrep >/dev/null || missing="$missing procps"
if [ -n "$missing" ]; then
  log "installing$missing"
  export DEBIAN_FRONTEND=noninteractive
  # shellcheck disable=SC2086 # one package name per word
  apt-get update -qq && apt-get install -y -qq $missing >/dev/null
fi
NGINX=$(command -v nginx || echo /usr/sbin/nginx)

tmp=$(mktemp -d)
rota_pid="" nginx_pid=""
cleanup() {
  for pid in $rota_pid $nginx_pid; do kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; done
  rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

log "building rota and the seeding program"
go build -trimpath -o "$tmp/rota" ./cmd/rota
go build -trimpath -o "$tmp/seed" ./bench/feeds/seed
token=$("$tmp/seed" -db "$tmp/rota.db")
path="/feeds/$token.ics"

log "starting rota on 127.0.0.1:$ROTA_PORT"
# Run from the temp dir so no config.yaml is read: every setting comes from here.
(cd "$tmp" && ROTA_DATABASE_DSN="$tmp/rota.db" ROTA_DEMO=false ROTA_SERVER_ADDR="127.0.0.1:$ROTA_PORT" \
  ROTA_SERVER_BASE_URL="http://127.0.0.1:$ROTA_PORT" ROTA_LOG_LEVEL=info exec "${server_run[@]}" ./rota serve >"$tmp/rota.log" 2>&1) &
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
cat >"$tmp/nginx.conf" <<CONF
$user_line
worker_processes $server_ncpu;
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
  tcp_nopush on;
  open_file_cache max=1000 inactive=60s;
  open_file_cache_valid 60s;
  keepalive_requests 1000000;
  server {
    listen 127.0.0.1:$NGINX_PORT;
    root $tmp/www;
    etag on;
    add_header Cache-Control "private, no-cache";
  }
}
CONF
log "starting nginx on 127.0.0.1:$NGINX_PORT"
"${server_run[@]}" "$NGINX" -p "$tmp" -c "$tmp/nginx.conf" &
nginx_pid=$!
for _ in $(seq 1 50); do curl -fs -o /dev/null "http://127.0.0.1:$NGINX_PORT$path" && break; sleep 0.1; done
nginx_etag=$(curl -fsSI "http://127.0.0.1:$NGINX_PORT$path" | awk 'tolower($1)=="etag:"{print $2}' | tr -d '\r')
cmp -s <(curl -fsS "http://127.0.0.1:$NGINX_PORT$path") "$tmp/www$path" || { log "nginx serves other bytes"; exit 1; }

for name in rota nginx; do
  etag=$rota_etag; [ "$name" = nginx ] && etag=$nginx_etag
  printf 'wrk.headers["If-None-Match"] = %s\n' "'$etag'" >"$tmp/$name-304.lua"
  port=$ROTA_PORT; [ "$name" = nginx ] && port=$NGINX_PORT
  code=$(curl -s -o /dev/null -w '%{http_code}' -H "If-None-Match: $etag" "http://127.0.0.1:$port$path")
  [ "$code" = 304 ] || { log "$name answered $code to If-None-Match"; exit 1; }
done

# cpu_ticks PID... is the user+system CPU time of the processes and their live children.
clk_tck=$(getconf CLK_TCK)
cpu_ticks() {
  local total=0 pid
  for pid in "$@" $(for p in "$@"; do pgrep -P "$p" || true; done); do
    [ -r "/proc/$pid/stat" ] || continue
    total=$((total + $(awk '{print $14 + $15}' "/proc/$pid/stat")))
  done
  echo "$total"
}

# run NAME URL LUA PID prints "req/s p99_ms bytes/response cpu% cpu_µs/request" for one wrk run.
run() {
  local out t0 t1 c0 c1
  c0=$(cpu_ticks "$4"); t0=$(date +%s.%N)
  out=$("${wrk_run[@]}" wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency ${3:+-s "$3"} "$2")
  t1=$(date +%s.%N); c1=$(cpu_ticks "$4")
  printf '%s\n' "$out" >>"$tmp/wrk-$1.txt"
  if grep -q 'Non-2xx or 3xx' <<<"$out"; then log "$1: errors: $(grep 'Non-2xx' <<<"$out")"; fi
  awk -v cpu=$(((c1 - c0))) -v tck="$clk_tck" -v secs="$(awk -v a="$t0" -v b="$t1" 'BEGIN{print b-a}')" '
    function bytes(v,  n, u) { n = v; u = v; sub(/[A-Za-z]+$/, "", n); sub(/^[0-9.]+/, "", u)
      return n * (u == "KB" ? 1024 : u == "MB" ? 1048576 : u == "GB" ? 1073741824 : 1) }
    /Requests\/sec:/ { rps = $2 }
    /Transfer\/sec:/ { tps = bytes($2) }
    $1 == "99%" { v = $2; unit = v; sub(/[0-9.]+/, "", unit); sub(/[a-z]+$/, "", v)
                  p99 = (unit == "us") ? v / 1000 : (unit == "s") ? v * 1000 : v }
    END { c = 100 * cpu / tck / secs
          printf "%.0f %.2f %.0f %.0f %.1f\n", rps, p99, (rps > 0) ? tps / rps : 0, c, (rps > 0) ? c * 10000 / rps : 0 }' <<<"$out"
}

median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

log "load average: $(cut -d' ' -f1-3 /proc/loadavg); nice $NICE; pinning: $([ "$PIN" = 1 ] && echo "servers on CPU $SERVER_CPUS, wrk on CPU $WRK_CPUS" || echo off)"
log "wrk: $THREADS threads, $CONNECTIONS connections, $DURATION a run, $ROUNDS rounds"
for round in $(seq 1 "$ROUNDS"); do
  for kind in full 304; do
    for name in rota nginx; do
      port=$ROTA_PORT pid=$rota_pid lua=""
      [ "$name" = nginx ] && port=$NGINX_PORT pid=$nginx_pid
      [ "$kind" = 304 ] && lua="$tmp/$name-304.lua"
      run "$name-$kind" "http://127.0.0.1:$port$path" "$lua" "$pid" >>"$tmp/$name-$kind.results"
      log "round $round $name $kind: $(tail -1 "$tmp/$name-$kind.results" | awk '{printf "%s req/s, p99 %s ms, %s B/resp, cpu %s%%, %s µs cpu/req", $1, $2, $3, $4, $5}')"
    done
  done
done

# col NAME-KIND N is the median of column N over the rounds.
col() { awk -v n="$2" '{ print $n }' "$tmp/$1.results" | median; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.0f%%", (b > 0) ? 100 * a / b : 0 }'; }
verdict() { awk -v a="$1" -v b="$2" -v g="$3" 'BEGIN { print (b > 0 && 100 * a / b >= g) ? "ok" : "MISSED" }'; }
p99_ok() { awk -v p="$1" 'BEGIN { print (p < 10) ? "ok" : "MISSED" }'; }

printf '\nmember feed: %s events, %s bytes; %s connections, %s a run, median of %s rounds; wrk %s threads; %s\n' \
  "$events" "$(wc -c <"$tmp/www$path")" "$CONNECTIONS" "$DURATION" "$ROUNDS" "$THREADS" \
  "$([ "$PIN" = 1 ] && echo "servers pinned to CPU $SERVER_CPUS, wrk to CPU $WRK_CPUS" || echo "$ncpu CPUs shared, no pinning")"
printf '%-9s %11s %11s %7s %9s %9s %8s %8s %8s %9s %8s %8s   %s\n' "" "rota req/s" "nginx req/s" "ratio" "rota p99" "nginx p99" \
  "rota B" "nginx B" "rota cpu" "nginx cpu" "rota µs" "nginx µs" "goals"
for kind in full 304; do
  goal=50; [ "$kind" = 304 ] && goal=80
  r=$(col "rota-$kind" 1) n=$(col "nginx-$kind" 1) rp=$(col "rota-$kind" 2)
  printf '%-9s %11.0f %11.0f %7s %6.2f ms %6.2f ms %8.0f %8.0f %7.0f%% %8.0f%% %8.1f %8.1f   ratio ≥%s%%: %s, p99 <10 ms: %s\n' \
    "$([ "$kind" = full ] && echo "full 200" || echo 304)" "$r" "$n" "$(ratio "$r" "$n")" "$rp" "$(col "nginx-$kind" 2)" \
    "$(col "rota-$kind" 3)" "$(col "nginx-$kind" 3)" "$(col "rota-$kind" 4)" "$(col "nginx-$kind" 4)" \
    "$(col "rota-$kind" 5)" "$(col "nginx-$kind" 5)" \
    "$goal" "$(verdict "$r" "$n" "$goal")" "$(p99_ok "$rp")"
done
best() { awk '$1 > m { m = $1 } END { print m }' "$tmp/$1.results"; }
for kind in full 304; do
  printf '%-9s best round: rota %s req/s, nginx %s req/s, ratio %s\n' "$([ "$kind" = full ] && echo "full 200" || echo 304)" \
    "$(best "rota-$kind")" "$(best "nginx-$kind")" "$(ratio "$(best "rota-$kind")" "$(best "nginx-$kind")")"
done
