#!/usr/bin/env python3
"""The table of the rewards issue: each attack on IID and non-IID splits of breast cancer and digits.

Runs `deai devnet --json` with 30% attackers of one kind, and the same run without attackers, and prints one
Markdown row per run: final accuracy beside centralized training and the clean run, the attackers' share of
contributor rewards, attackers and honest owners slashed, and Spearman of honest rewards against Shapley values.

    swift build -c release && scripts/attack-matrix.py [--rounds R] [--attacks a,b] [--datasets d,e] [--seed S]
"""
import argparse
import json
import subprocess
import sys

ATTACKS = ["sign_flip", "label_flip", "gaussian", "boosted", "zeros", "replay", "copycat", "count_liar", "no_reveal"]


def devnet(binary, dataset, non_iid, malicious, attack, rounds, seed):
    command = [binary, "devnet", "--json", "--dataset", dataset, "--rounds", str(rounds), "--seed", str(seed),
               "--malicious", str(malicious)]
    if attack:
        command += ["--attack", attack]
    if non_iid:
        command.append("--non-iid")
    output = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    return json.loads(output)


def row(report, clean, attack, dataset, non_iid):
    owners = [p for p in report["participants"] if p["role"] == "data owner"]
    attackers = [p for p in owners if p["behaviour"] != "honest"]
    honest = [p for p in owners if p["behaviour"] == "honest"]
    rho = report.get("reward_shapley_correlation")
    return "| {} | {} | {} | {:.1f} | {:.1f} | {:.1f} | {:+.1f} | {:.1f} % | {}/{} | {} | {} |".format(
        attack, dataset, "non-IID" if non_iid else "IID", report["final_accuracy"] * 100,
        report["centralized_accuracy"] * 100, clean["final_accuracy"] * 100,
        (report["final_accuracy"] - clean["final_accuracy"]) * 100, report["malicious_reward_share"] * 100,
        sum(1 for p in attackers if p["slashed"] > 0), len(attackers), sum(1 for p in honest if p["slashed"] > 0),
        "—" if rho is None else "{:.2f}".format(rho))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--binary", default=".build/release/deai")
    parser.add_argument("--rounds", type=int, default=10)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--attacks", default=",".join(ATTACKS))
    parser.add_argument("--datasets", default="breast_cancer,digits")
    arguments = parser.parse_args()
    print("| attack | data | split | final % | centralized % | no attackers % | Δ points | attackers' share "
          "| attackers slashed | honest slashed | Spearman |")
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    for dataset in arguments.datasets.split(","):
        for non_iid in (False, True):
            clean = devnet(arguments.binary, dataset, non_iid, 0, None, arguments.rounds, arguments.seed)
            print(row(clean, clean, "none", dataset, non_iid), flush=True)
            for attack in arguments.attacks.split(","):
                report = devnet(arguments.binary, dataset, non_iid, 3, attack, arguments.rounds, arguments.seed)
                print(row(report, clean, attack, dataset, non_iid), flush=True)


if __name__ == "__main__":
    sys.exit(main())
