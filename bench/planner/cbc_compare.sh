#!/bin/sh
# Compares CBC (60 s) with the planner on the reference-shape problem (132 people, 12 groups,
# industry mode without soft spreads, i.e. the MILP's own objective 100·industry pairs + region pairs).
# Needs coinor-cbc (apt-get install -y coinor-cbc). Usage: bench/planner/cbc_compare.sh [SEED]
set -eu
seed=${1:-1}
tmp=$(mktemp -d)
go build -o "$tmp/rota" ./cmd/rota
"$tmp/rota" plan --synthetic-reference 132 --groups 12 --seed "$seed" --no-soft --emit-lp > "$tmp/ref.lp"
start=$(date +%s.%N)
cbc "$tmp/ref.lp" sec 60 solve solu "$tmp/cbc.sol" > "$tmp/cbc.log" 2>&1 || true
end=$(date +%s.%N)
cbc_obj=$(awk 'NR==1{for(i=1;i<=NF;i++) if($i=="value"||$i=="objective") {print $(i+1); exit}}' "$tmp/cbc.sol")
cbc_bound=$(grep -o 'best possible [-0-9.e+]*' "$tmp/cbc.log" | tail -1 | awk '{print $3}')
echo "cbc: status=\"$(head -1 "$tmp/cbc.sol")\" objective=$cbc_obj best_possible=${cbc_bound:-?} wall=$(echo "$end - $start" | bc)s"
"$tmp/rota" plan --synthetic-reference 132 --groups 12 --seed "$seed" --no-soft --time-limit 0.6s --until-time-limit --json > "$tmp/plan.json"
python3 - "$tmp/plan.json" <<'PY'
import json,sys
p=json.load(open(sys.argv[1]))
print("planner: objective=%s elapsed=%sms hard_ok=%s" % (p["score"]["total"], p["run"]["elapsed_ms"], p["hard"]["satisfied"]))
PY
rm -rf "$tmp"
