#!/bin/sh
# Runs the planner on every shared MDGPLIB instance with the goal time limits
# (n=120: 10 s, n=240: 30 s, n=480: 60 s) and prints objective, best known and gap.
# Usage: bench/planner/mdgplib.sh [DIR]   (run from the repository root)
set -eu
dir=${1:-../shared/data/mdgplib}
go build -o /tmp/rota-bench ./cmd/rota
for f in "$dir"/*.txt; do
	n=$(head -c 20 "$f" | awk '{print $1}')
	case $n in 120) t=10s ;; 240) t=30s ;; *) t=60s ;; esac
	/tmp/rota-bench plan --mdgplib "$f" --time-limit "$t" --seed 1 --json
done
