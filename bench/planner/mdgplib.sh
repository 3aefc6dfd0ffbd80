#!/bin/sh
# Runs the planner on every shared MDGPLIB instance with the goal time limits (n=120: 10 s,
# n=240: 30 s, n=480: 60 s) for each seed, and prints objective, best known and gap as a table.
# Usage (from the repository root): bench/planner/mdgplib.sh [DIR] [SEEDS]
#   DIR defaults to ../shared/data/mdgplib, SEEDS to "1 2 3".
set -eu
dir=${1:-../shared/data/mdgplib}
seeds=${2:-1 2 3}
bin=$(mktemp -d)/rota
trap 'rm -rf "$(dirname "$bin")"' EXIT
go build -o "$bin" ./cmd/rota
echo "| instance | seed | limit | objective | best known | gap % | elapsed ms | feasible |"
echo "|----------|------|-------|-----------|------------|-------|------------|----------|"
for f in "$dir"/*.txt; do
	n=$(head -c 20 "$f" | awk '{print $1}')
	case $n in 120) t=10s ;; 240) t=30s ;; *) t=60s ;; esac
	for s in $seeds; do
		"$bin" plan --mdgplib "$f" --time-limit "$t" --seed "$s" --json | python3 -c '
import json, sys
d = json.load(sys.stdin)
bk = d.get("best_known")
gap = d.get("gap_percent")
print("| %s | %s | %s | %.2f | %s | %s | %d | %s |" % (d["instance"], sys.argv[1], sys.argv[2], d["objective"],
      "%.0f" % bk if bk is not None else "-", "%.3f" % gap if gap is not None else "-", d["elapsed_ms"], d["feasible"]))
' "$s" "$t"
	done
done
