#!/bin/sh
# Scale: synthetic rosters of 1k, 4k, 10k and 40k people in n·9/100 groups (40,000 into 3,600),
# industry mode, through the whole CLI (roster build, model, bound, search, year plan, JSON out).
# Prints wall time and peak RSS from /usr/bin/time -v. The search stops when a full pass over
# everyone gains less than 0.01% (twice in a row); LIMIT (default 25s) only caps it.
# Usage (from the repository root): bench/planner/scale.sh [LIMIT] [SIZES]
set -eu
limit=${1:-25s}
sizes=${2:-1000 4000 10000 40000}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
go build -o "$tmp/rota" ./cmd/rota
echo "| people | groups | wall s | peak RSS MiB | search ms | iterations | limit hit | score | bound | gap % | hard ok |"
echo "|--------|--------|--------|--------------|-----------|------------|-----------|-------|-------|-------|---------|"
for n in $sizes; do
	g=$((n * 9 / 100))
	/usr/bin/time -v "$tmp/rota" plan --synthetic-reference "$n" --groups "$g" --time-limit "$limit" --json \
		> "$tmp/out.json" 2> "$tmp/time.txt"
	wall=$(awk -F': ' '/Elapsed \(wall clock\)/{print $2}' "$tmp/time.txt" | awk -F: '{ if (NF==3) print $1*3600+$2*60+$3; else print $1*60+$2 }')
	rss=$(awk -F': ' '/Maximum resident set size/{printf "%.0f", $2/1024}' "$tmp/time.txt")
	python3 - "$tmp/out.json" "$n" "$g" "$wall" "$rss" <<'PY'
import json, sys
g = json.load(open(sys.argv[1]))["groups"]
r = g["run"]
print("| %s | %s | %s | %s | %d | %d | %s | %.0f | %.0f | %.2f | %s |" % (sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5],
      r["elapsed_ms"], r["iterations"], r["time_limit_hit"], g["score"]["total"], g["upper_bound"], g["gap_percent"], g["hard"]["satisfied"]))
PY
done
