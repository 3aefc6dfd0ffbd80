#!/bin/sh
# Reference shape (132 people, 12 groups, 36 leaders, industry mode): score, upper bound and gap
# for the synthetic rosters of seeds 1..5 and for the demo roster (models/demo/demo_roster.csv),
# each with a 0.6 s search limit (the whole CLI run takes about 0.7 s). Usage (from the repository root): bench/planner/reference.sh [LIMIT]
set -eu
limit=${1:-0.6s}
bin=$(mktemp -d)/rota
trap 'rm -rf "$(dirname "$bin")"' EXIT
go build -o "$bin" ./cmd/rota
row() { # label, then the rota plan arguments
	label=$1
	shift
	start=$(date +%s%N)
	"$bin" plan "$@" --time-limit "$limit" --json > "$bin.json"
	end=$(date +%s%N)
	python3 - "$bin.json" "$label" $(((end - start) / 1000000)) <<'PY'
import json, sys
g = json.load(open(sys.argv[1]))["groups"]
t = {x["key"]: x["value"] for x in g["score"]["terms"]}
print("| %-12s | %8.0f | %8.0f | %6.2f%% | %4d | %4d | %5d | %6d | %s |" % (
    sys.argv[2], g["score"]["total"], g["upper_bound"], g["gap_percent"], t.get("industry_pairs", 0),
    t.get("region_pairs", 0), g["run"]["elapsed_ms"], int(sys.argv[3]), g["hard"]["satisfied"]))
PY
}
echo "| roster       |    score |    bound |    gap | ind. | reg. | solve ms | wall ms | hard ok |"
echo "|--------------|----------|----------|--------|------|------|----------|---------|---------|"
for s in 1 2 3 4 5; do
	row "synthetic $s" --synthetic-reference 132 --groups 12 --seed "$s"
done
row "demo" --roster models/demo/demo_roster.csv --seed 1
