#!/usr/bin/env bash
# Twenty seeded non-IID digits devnets with no attacker: nobody may be slashed. Prints one line per seed and fails
# if any honest owner lost stake. Long (a few minutes): run before closing work on rewards, not in CI.
#
#   swift build -c release && scripts/soak-non-iid.sh [SEEDS] [ROUNDS]
set -euo pipefail
cd "$(dirname "$0")/.."
seeds=${1:-20}
rounds=${2:-10}
failed=0
for seed in $(seq 1 "$seeds"); do
  line=$(.build/release/deai devnet --json --dataset digits --non-iid --malicious 0 --rounds "$rounds" --seed "$seed" |
    python3 -c '
import json, sys
r = json.load(sys.stdin)
slashed = sum(1 for p in r["participants"] if p["slashed"] > 0)
drops = [b["test_accuracy"] - a["test_accuracy"] for a, b in zip(r["rounds"], r["rounds"][1:])]
print(slashed, "%.1f %.1f %.1f" % (r["final_accuracy"] * 100, r["centralized_accuracy"] * 100, max(0.0, -min(drops + [0])) * 100))')
  read -r slashed final central drop <<<"$line"
  echo "seed $seed: slashed $slashed, final $final% (centralized $central%), largest drop $drop points"
  [ "$slashed" -eq 0 ] || failed=1
done
exit $failed
