"""A PyTorch training script for GPU runners, written for the mlactions train action.

It trains a small classifier (a multilayer perceptron on a synthetic two-class data set) and shows
what the train action expects of a training script:

- hyperparameters from MLACTIONS_PARAMS (JSON: epochs, lr, batch_size, hidden, seed), overridable
  on the command line;
- the data set in data/ (train.pt, and test.csv for `mlactions validate` / the gate action), made
  there first when missing: the "download" that the action's data cache saves;
- checkpoints in MLACTIONS_CHECKPOINT_DIR after every epoch, resumed from on start; on SIGTERM (the
  action's timeout, or a cancelled job) the current state is saved at the next batch and the script
  exits with 143 within the action's grace period;
- metrics in MLACTIONS_METRICS_FILE (final values as JSON, or one line per epoch for .jsonl);
- the model as ONNX (input `input`: float32 [batch, features]; output `logits`: [batch, 2]).

    pip install torch  # 1.13 or later, the build for your CUDA version (https://pytorch.org)
    python train.py --out model.onnx
"""

import argparse
import csv
import inspect
import json
import os
import signal
import sys
import time
from pathlib import Path

import torch
from torch import nn

FEATURES = 20


def parse_args() -> argparse.Namespace:
    params = json.loads(os.environ.get("MLACTIONS_PARAMS") or "{}")
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--epochs", type=int, default=int(params.get("epochs", 10)))
    parser.add_argument("--lr", type=float, default=float(params.get("lr", 1e-3)))
    parser.add_argument("--batch-size", type=int, default=int(params.get("batch_size", 128)))
    parser.add_argument("--hidden", type=int, default=int(params.get("hidden", 64)))
    parser.add_argument("--seed", type=int, default=int(params.get("seed", 0)))
    parser.add_argument("--data", type=Path, default=Path("data"))
    parser.add_argument("--out", type=Path, default=Path("model.onnx"))
    parser.add_argument("--metrics", type=Path, default=Path(os.environ.get("MLACTIONS_METRICS_FILE") or "metrics.json"))
    parser.add_argument("--checkpoints", type=Path, default=Path(os.environ.get("MLACTIONS_CHECKPOINT_DIR") or ".checkpoints"))
    return parser.parse_args()


def make_data(folder: Path, seed: int) -> None:
    """Two overlapping Gaussian classes; 80% to train on, 20% held out as CSV for validation."""
    generator = torch.Generator().manual_seed(seed)
    n = 20_000
    labels = torch.randint(0, 2, (n,), generator=generator)
    centers = torch.randn(2, FEATURES, generator=generator)
    x = centers[labels] + 1.5 * torch.randn(n, FEATURES, generator=generator)
    split = int(0.8 * n)
    folder.mkdir(parents=True, exist_ok=True)
    torch.save({"x": x[:split], "y": labels[:split]}, folder / "train.pt")
    with open(folder / "test.csv", "w", newline="") as f:
        writer = csv.writer(f)
        writer.writerow([f"f{i}" for i in range(FEATURES)] + ["label"])
        for row, label in zip(x[split:].tolist(), labels[split:].tolist()):
            writer.writerow([f"{v:.6f}" for v in row] + [label])
    print(f"wrote {folder}/train.pt and {folder}/test.csv", flush=True)


def save_atomic(state: dict, path: Path) -> None:
    """A checkpoint cut short by SIGKILL must not be half a file: write aside, then rename."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(".tmp")
    torch.save(state, partial)
    os.replace(partial, path)


def main() -> int:
    args = parse_args()
    torch.manual_seed(args.seed)
    device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
    print(f"device: {torch.cuda.get_device_name(0) if device.type == 'cuda' else 'cpu'}", flush=True)

    if not (args.data / "train.pt").exists():
        make_data(args.data, args.seed)
    # weights_only: a cached or restored file is data, never code that unpickling would run.
    data = torch.load(args.data / "train.pt", weights_only=True)
    x, y = data["x"].to(device), data["y"].to(device)

    model = nn.Sequential(nn.Linear(FEATURES, args.hidden), nn.ReLU(), nn.Linear(args.hidden, 2)).to(device)
    optimizer = torch.optim.Adam(model.parameters(), lr=args.lr)
    loss_fn = nn.CrossEntropyLoss()

    checkpoint = args.checkpoints / "checkpoint.pt"
    start_epoch = 0
    if checkpoint.exists():
        state = torch.load(checkpoint, map_location=device, weights_only=True)
        model.load_state_dict(state["model"])
        optimizer.load_state_dict(state["optimizer"])
        start_epoch = state["epoch"]
        print(f"resumed from checkpoint at epoch {start_epoch}", flush=True)

    # SIGTERM only raises a flag: the state is saved between two optimizer steps, never during one.
    stopping = False

    def on_sigterm(signum, frame):
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGTERM, on_sigterm)

    def state_at(epoch: int) -> dict:
        return {"model": model.state_dict(), "optimizer": optimizer.state_dict(), "epoch": epoch}

    history = args.metrics.suffix == ".jsonl"
    if history and start_epoch == 0:
        args.metrics.parent.mkdir(parents=True, exist_ok=True)
        args.metrics.write_text("")
    loss = accuracy = float("nan")
    for epoch in range(start_epoch, args.epochs):
        started = time.time()
        model.train()
        order = torch.randperm(len(x), device=device)
        for i in range(0, len(x), args.batch_size):
            if stopping:
                # The weights include part of this epoch; resuming runs the epoch again from its start.
                save_atomic(state_at(epoch), checkpoint)
                print(f"SIGTERM: checkpoint at epoch {epoch} saved", flush=True)
                return 143
            batch = order[i : i + args.batch_size]
            optimizer.zero_grad()
            loss_fn(model(x[batch]), y[batch]).backward()
            optimizer.step()
        model.eval()
        with torch.no_grad():
            logits = model(x)
            loss = loss_fn(logits, y).item()
            accuracy = (logits.argmax(dim=1) == y).float().mean().item()
        save_atomic(state_at(epoch + 1), checkpoint)
        if history:
            with open(args.metrics, "a") as f:
                f.write(json.dumps({"epoch": epoch + 1, "loss": loss, "accuracy": accuracy}) + "\n")
        print(f"epoch {epoch + 1}/{args.epochs} loss {loss:.4f} accuracy {accuracy:.4f} ({time.time() - started:.1f} s)", flush=True)

    if not history:
        args.metrics.parent.mkdir(parents=True, exist_ok=True)
        args.metrics.write_text(json.dumps({"loss": loss, "accuracy": accuracy, "epochs": args.epochs}, indent=2) + "\n")

    model.eval().to("cpu")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    # The TorchScript exporter (torch 2.9 made the dynamo one, which needs onnxscript, the default).
    legacy = {"dynamo": False} if "dynamo" in inspect.signature(torch.onnx.export).parameters else {}
    torch.onnx.export(
        model,
        (torch.zeros(1, FEATURES),),
        str(args.out),
        input_names=["input"],
        output_names=["logits"],
        dynamic_axes={"input": {0: "batch"}, "logits": {0: "batch"}},
        **legacy,
    )
    print(f"wrote {args.out}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
