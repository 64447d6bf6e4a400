"""DP-SGD with Opacus 1.6 (PyTorch CPU) on a CSV data set, for `deai bench privacy`; prints one JSON line.

The data handling and models are those of ../shared/peers/torch_train.py (standardized features; without --test a
stratified 75/25 split, seed 0; mlp = Linear-ReLU-Linear-ReLU-Linear, cnn1d = the MNIST-1D paper's CNN), trained with
Opacus's PrivacyEngine: Poisson sampling with expected batch --batch, per-example clipping to --clip, Gaussian noise
of --sigma x --clip, SGD. Run with the peers' venv python (../shared/peers/setup.sh):

  python scripts/opacus_train.py --train ../shared/datasets/digits.csv --model mlp --epochs 10 --batch 64 --sigma 1
"""
import argparse, json, time, warnings

import numpy as np, pandas as pd, torch
from torch import nn
from torch.utils.data import DataLoader, TensorDataset

warnings.filterwarnings("ignore")
p = argparse.ArgumentParser()
p.add_argument("--train", required=True); p.add_argument("--test")
p.add_argument("--model", choices=["mlp", "cnn1d"], default="mlp"); p.add_argument("--hidden", type=int, default=128)
p.add_argument("--epochs", type=int, default=10); p.add_argument("--batch", type=int, default=64)
p.add_argument("--lr", type=float, default=0.1); p.add_argument("--momentum", type=float, default=0.9)
p.add_argument("--sigma", type=float, default=1.0); p.add_argument("--clip", type=float, default=1.0)
p.add_argument("--delta", type=float, default=1e-5)
p.add_argument("--threads", type=int, default=2); p.add_argument("--seed", type=int, default=0)
a = p.parse_args()
torch.set_num_threads(a.threads); torch.manual_seed(a.seed)

from opacus import PrivacyEngine, __version__ as opacus_version

df = pd.read_csv(a.train); X = df.iloc[:, :-1].to_numpy(np.float32); y = df.iloc[:, -1].to_numpy(np.int64)
if a.test:
    dt = pd.read_csv(a.test); Xte = dt.iloc[:, :-1].to_numpy(np.float32); yte = dt.iloc[:, -1].to_numpy(np.int64)
    Xtr, ytr = X, y
else:
    from sklearn.model_selection import train_test_split
    Xtr, Xte, ytr, yte = train_test_split(X, y, test_size=0.25, random_state=0, stratify=y)
mu, sd = Xtr.mean(0), Xtr.std(0) + 1e-8
Xtr, Xte = (Xtr - mu) / sd, (Xte - mu) / sd
d, k = Xtr.shape[1], int(max(ytr.max(), yte.max()) + 1)

if a.model == "mlp":
    m = nn.Sequential(nn.Linear(d, a.hidden), nn.ReLU(), nn.Linear(a.hidden, a.hidden), nn.ReLU(), nn.Linear(a.hidden, k))
else:
    conv = nn.Sequential(nn.Conv1d(1, 25, 5, 2, 1), nn.ReLU(), nn.Conv1d(25, 25, 3, 2, 1), nn.ReLU(),
                         nn.Conv1d(25, 25, 3, 2, 1), nn.ReLU(), nn.Flatten())
    L = conv(torch.zeros(1, 1, d)).shape[1]
    m = nn.Sequential(nn.Unflatten(1, (1, d)), conv, nn.Linear(L, k))
opt = torch.optim.SGD(m.parameters(), lr=a.lr, momentum=a.momentum)
tensors = [torch.from_numpy(np.ascontiguousarray(v).copy()) for v in (Xtr, ytr, Xte, yte)]
loader = DataLoader(TensorDataset(tensors[0], tensors[1]), batch_size=a.batch)
engine = PrivacyEngine(accountant="rdp")
m, opt, loader = engine.make_private(module=m, optimizer=opt, data_loader=loader, noise_multiplier=a.sigma,
                                     max_grad_norm=a.clip, poisson_sampling=True)
lossf = nn.CrossEntropyLoss()
seen, epoch_times = 0, []
for _ in range(a.epochs):
    t0 = time.perf_counter()
    for xb, yb in loader:
        if len(xb) == 0:
            continue
        opt.zero_grad(); lossf(m(xb), yb).backward(); opt.step(); seen += len(xb)
    epoch_times.append(time.perf_counter() - t0)
with torch.no_grad():
    acc = (m(tensors[2]).argmax(1) == tensors[3]).float().mean().item()
# The first epoch pays for Opacus's hooks being set up; the figure is the median of the others.
steady = sorted(epoch_times[1:] or epoch_times)[len(epoch_times[1:] or epoch_times) // 2]
print(json.dumps({"peer": f"opacus {opacus_version} torch {torch.__version__}", "model": a.model, "epochs": a.epochs,
                  "batch": a.batch, "sigma": a.sigma, "clip": a.clip, "threads": a.threads,
                  "epoch_s": round(steady, 5), "test_acc": round(acc, 4),
                  "epsilon": round(engine.get_epsilon(a.delta), 4), "delta": a.delta}))
