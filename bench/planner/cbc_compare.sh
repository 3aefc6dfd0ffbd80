#!/bin/sh
# Compares CBC (60 s) with the planner (0.6 s) on the reference-shape problem (132 people,
# 12 groups, industry mode without soft spreads, i.e. the MILP's own objective
# 100·industry pairs + region pairs). Needs coinor-cbc (apt-get install -y coinor-cbc).
# Usage (from the repository root): bench/planner/cbc_compare.sh [SEEDS] [CBC_SECONDS]
set -eu
seeds=${1:-1}
cbcsec=${2:-60}
command -v cbc > /dev/null || { echo "cbc not found: apt-get install -y coinor-cbc" >&2; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
go build -o "$tmp/rota" ./cmd/rota
echo "| seed | solver | objective | CBC best possible | wall s | status |"
echo "|------|--------|-----------|-------------------|--------|--------|"
for seed in $seeds; do
	"$tmp/rota" plan --synthetic-reference 132 --groups 12 --seed "$seed" --no-soft --emit-lp > "$tmp/ref.lp"
	start=$(date +%s%N)
	cbc "$tmp/ref.lp" sec "$cbcsec" solve solu "$tmp/cbc.sol" > "$tmp/cbc.log" 2>&1 || true
	end=$(date +%s%N)
	status=$(head -1 "$tmp/cbc.sol" 2> /dev/null | sed 's/ - objective value.*//' || echo "no solution")
	obj=$(awk 'NR==1{for(i=1;i<=NF;i++) if($i=="value") {printf "%.0f\n", $(i+1); exit}}' "$tmp/cbc.sol" 2> /dev/null || true)
	# CBC minimises the negated objective internally and logs its bound with that sign.
	bound=$(grep -o 'best possible [-0-9.e+]*' "$tmp/cbc.log" | tail -1 | awk '{v = $3; if (v < 0) v = -v; print v}')
	echo "| $seed | CBC ${cbcsec}s | ${obj:-none} | ${bound:-?} | $(awk "BEGIN{printf \"%.1f\", ($end-$start)/1e9}") | $status |"
	start=$(date +%s%N)
	"$tmp/rota" plan --synthetic-reference 132 --groups 12 --seed "$seed" --no-soft --time-limit 0.6s --until-time-limit --json > "$tmp/plan.json"
	end=$(date +%s%N)
	python3 - "$tmp/plan.json" "$seed" "$(awk "BEGIN{printf \"%.2f\", ($end-$start)/1e9}")" <<'PY'
import json, sys
g = json.load(open(sys.argv[1]))["groups"]
print("| %s | planner 0.6s | %.0f | (own bound %.0f) | %s | search %d ms, hard ok %s |" % (sys.argv[2], g["score"]["total"],
      g["upper_bound"], sys.argv[3], g["run"]["elapsed_ms"], g["hard"]["satisfied"]))
PY
done
