#!/usr/bin/env python3
"""PyTorch reference timings of the GradNets MLPs (CPU, one thread by default).

The baseline that `deno task bench` compares with: the same network, batch and optimiser as
the bench trains with TensorFlow.js, timed in the same way. It is a reference, not a
dependency of the project: `deno task bench` runs it only when a `python3` can import torch
(Debian: `sudo apt-get install -y python3-torch libopenblas0-serial`).

Network (the 2015 notebook's, with the hidden layers of --arch):
  784 -> dense(width) ReLU -> (depth - 2) hidden layers of `width` -> dense(10) -> softmax
  cross-entropy (summed over the batch, as the notebook; --loss-reduction mean for the mean).
  Weights: truncated normal, std 0.1 (--init-std), cut at 2 std; biases 0.1 (--bias). Plain SGD.

Hidden layers (--arch), g fixed (--gate):
  grelu        y = g * relu(x W + b) + (1 - g) * x
  grelu-leaky  u = x W + b; y = g * relu(u) + (1 - g) * u   (a leaky ReLU of slope 1 - g)
  plain        y = relu(x W + b)
  highway      T = sigmoid(x Wt + bt), bt starts at --carry-bias;  y = relu(x W + b) * T + x * (1 - T)
  residual     y = x + relu(x W + b)
  rezero       y = x + a * relu(x W + b), a learnt scalar from 0
  gradual-residual  y = x + g * relu(x W + b)
  scaled-residual   y = x + s * relu(x W + b), s = 1/sqrt(hidden layers)
  scaled-gradual-residual  y = x + g * s * relu(x W + b)
  progressive-residual  y = x + g_i * s * relu(x W + b), g_i = clip(n g - i + 1, 0, 1) for layer i of n
  gradual-rezero    y = x + g * a * relu(x W + b), a learnt scalar from 1

A step is forward, backward and the SGD update of every parameter. Evaluation is a forward
pass over --eval-size images in chunks of --eval-chunk under torch.no_grad(), with argmax.
With --mnist DIR the batches are MNIST's training images and the evaluation its test images
(the IDX files in DIR); otherwise random data of MNIST's shape (the timing is the same: dense
BLAS does not look at the values).

Usage:
  /usr/bin/python3 scripts/bench_torch.py [--depth 50] [--arch grelu] [--steps 100]
      [--repeats 5] [--mnist DIR] [--json]
"""

import argparse
import json
import math
import os
import platform
import re
import resource
import statistics
import sys
import time

import torch
import torch.nn.functional as F
from torch import nn

# The kinds of ARCHITECTURE_KINDS in @gradnets/core, in its order: tests/bench_test.ts checks
# that the two lists agree (without torch), so that the bench can run every architecture.
ARCHS = (
    "grelu",
    "grelu-leaky",
    "plain",
    "highway",
    "residual",
    "rezero",
    "scaled-residual",
    "gradual-residual",
    "scaled-gradual-residual",
    "progressive-residual",
    "gradual-rezero",
)
N_IN = 784
N_OUT = 10


INIT = {"std": 0.1, "bias": 0.1}


def dense(n_in: int, n_out: int, bias: float = None) -> nn.Linear:
    layer = nn.Linear(n_in, n_out)
    std = INIT["std"]
    with torch.no_grad():
        nn.init.trunc_normal_(layer.weight, mean=0.0, std=std, a=-2 * std, b=2 * std)
        layer.bias.fill_(INIT["bias"] if bias is None else bias)
    return layer


class Hidden(nn.Module):
    def __init__(
        self, width: int, arch: str, gate: float, carry_bias: float, index: int, count: int
    ):
        super().__init__()
        self.arch = arch
        self.g = gate
        # The branch scale of the scaled kinds, and this layer's own g for progressive deepening.
        self.s = 1.0 / math.sqrt(count)
        self.g_i = min(1.0, max(0.0, count * gate - (index - 1)))
        self.lin = dense(width, width)
        if arch == "highway":
            self.gate_lin = dense(width, width, bias=carry_bias)
        if arch == "rezero":
            self.alpha = nn.Parameter(torch.zeros(()))
        if arch == "gradual-rezero":
            self.alpha = nn.Parameter(torch.ones(()))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if self.arch == "grelu-leaky":
            return F.leaky_relu(self.lin(x), 1.0 - self.g)
        h = F.relu(self.lin(x))
        if self.arch == "grelu":
            return self.g * h + (1.0 - self.g) * x
        if self.arch == "plain":
            return h
        if self.arch == "highway":
            t = torch.sigmoid(self.gate_lin(x))
            return h * t + x * (1.0 - t)
        if self.arch == "residual":
            return x + h
        if self.arch == "rezero":
            return x + self.alpha * h
        if self.arch == "gradual-residual":
            return x + self.g * h
        if self.arch == "scaled-residual":
            return x + self.s * h
        if self.arch == "scaled-gradual-residual":
            return x + (self.g * self.s) * h
        if self.arch == "progressive-residual":
            return x + (self.g_i * self.s) * h
        if self.arch == "gradual-rezero":
            return x + (self.g * self.alpha) * h
        raise ValueError(self.arch)


class Net(nn.Module):
    def __init__(self, depth: int, width: int, arch: str, gate: float, carry_bias: float):
        super().__init__()
        if depth < 2:
            raise ValueError("depth counts the input and output layers: >= 2")
        self.inp = dense(N_IN, width)
        self.hidden = nn.Sequential(
            *[
                Hidden(width, arch, gate, carry_bias, i, depth - 2)
                for i in range(1, depth - 1)
            ]
        )
        self.out = dense(width, N_OUT)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.out(self.hidden(F.relu(self.inp(x))))


def blas_libraries() -> list:
    """BLAS/LAPACK libraries mapped into this process (Linux).

    Debian's python3-torch calls the system libblas.so.3 for its matmuls: the reference BLAS
    (libblas3) is several times slower than OpenBLAS (libopenblas0-serial), so the library is
    part of the result.
    """
    found = set()
    try:
        with open("/proc/self/maps") as maps:
            for line in maps:
                path = line.split()[-1]
                if re.search(r"blas|blis|lapack|mkl", path.rsplit("/", 1)[-1]):
                    found.add(path)
    except OSError:
        pass
    return sorted(found)


def read_idx(path: str) -> torch.Tensor:
    """An unsigned-byte IDX file (MNIST's format) as a uint8 tensor of its shape."""
    with open(path, "rb") as f:
        data = f.read()
    if data[2] != 0x08:
        raise ValueError(f"{path}: not an unsigned-byte IDX file")
    rank = data[3]
    dims = [int.from_bytes(data[4 + 4 * i: 8 + 4 * i], "big") for i in range(rank)]
    body = bytearray(data[4 + 4 * rank:])
    return torch.frombuffer(body, dtype=torch.uint8).reshape(dims)


def stats(values: list) -> dict:
    return {"min": min(values), "median": statistics.median(values), "max": max(values)}


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--depth", type=int, default=50,
                   help="layers, input and output included (default 50)")
    p.add_argument("--width", type=int, default=50)
    p.add_argument("--batch", type=int, default=50)
    p.add_argument("--arch", choices=ARCHS, default="grelu")
    p.add_argument("--gate", type=float, default=0.5, help="g (default 0.5)")
    p.add_argument("--carry-bias", type=float, default=-2.0, help="highway's b_T (default -2)")
    p.add_argument("--lr", type=float, default=0.01)
    p.add_argument("--init-std", type=float, default=0.1, help="std of the weights (default 0.1)")
    p.add_argument("--bias", type=float, default=0.1, help="initial biases (default 0.1)")
    p.add_argument("--loss-reduction", choices=("sum", "mean"), default="sum")
    p.add_argument("--steps", type=int, default=100, help="steps per timed repeat")
    p.add_argument("--repeats", type=int, default=5)
    p.add_argument("--warmup", type=int, default=20)
    p.add_argument("--eval-size", type=int, default=10000)
    p.add_argument("--eval-chunk", type=int, default=1000)
    p.add_argument("--threads", type=int, default=1)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--mnist", metavar="DIR", help="folder of MNIST's four IDX files")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    a = p.parse_args(argv)
    for name in ("depth", "steps", "repeats", "batch", "width", "eval_size", "eval_chunk"):
        if getattr(a, name) < (2 if name == "depth" else 1):
            p.error(f"--{name.replace('_', '-')} is too small: {getattr(a, name)}")

    INIT.update(std=a.init_std, bias=a.bias)
    torch.set_num_threads(a.threads)
    torch.manual_seed(a.seed)
    net = Net(a.depth, a.width, a.arch, a.gate, a.carry_bias)
    opt = torch.optim.SGD(net.parameters(), lr=a.lr)
    n_params = sum(t.numel() for t in net.parameters())

    if a.mnist:
        images = read_idx(os.path.join(a.mnist, "train-images-idx3-ubyte"))
        labels = read_idx(os.path.join(a.mnist, "train-labels-idx1-ubyte")).long()
        train_x = images.reshape(len(images), -1).float() / 255
        train_y = labels
        test_x = read_idx(os.path.join(a.mnist, "t10k-images-idx3-ubyte"))
        x_eval = test_x.reshape(len(test_x), -1)[: a.eval_size].float() / 255
        y_eval = read_idx(os.path.join(a.mnist, "t10k-labels-idx1-ubyte")).long()[: a.eval_size]
    else:
        train_x = torch.rand(60000, N_IN)
        train_y = torch.randint(0, N_OUT, (60000,))
        x_eval = torch.rand(a.eval_size, N_IN)
        y_eval = torch.randint(0, N_OUT, (a.eval_size,))
    order = torch.randperm(len(train_x))
    state = {"i": 0, "loss": 0.0, "acc": 0.0, "nonfinite": 0}

    def step() -> torch.Tensor:
        # A batch of shuffled training images, gathered as the bench's trainer does.
        start = (state["i"] * a.batch) % (len(order) - a.batch)
        state["i"] += 1
        idx = order[start: start + a.batch]
        opt.zero_grad(set_to_none=True)
        loss = F.cross_entropy(net(train_x[idx]), train_y[idx], reduction=a.loss_reduction)
        loss.backward()
        opt.step()
        return loss.detach()

    def train_block() -> None:
        losses = [step() for _ in range(a.steps)]
        values = torch.stack(losses).tolist()
        state["loss"] = values[-1]
        state["nonfinite"] += sum(1 for v in values if not math.isfinite(v))

    def evaluate() -> None:
        correct = 0
        with torch.no_grad():
            for s in range(0, len(x_eval), a.eval_chunk):
                logits = net(x_eval[s: s + a.eval_chunk])
                correct += int((logits.argmax(1) == y_eval[s: s + a.eval_chunk]).sum())
        state["acc"] = correct / len(x_eval)

    def timed(fn, per: int) -> tuple:
        # Wall time, and the CPU time of this process (what a loaded machine does not inflate).
        wall, cpu = [], []
        for _ in range(a.repeats):
            t0, c0 = time.perf_counter(), time.process_time()
            fn()
            wall.append((time.perf_counter() - t0) * 1000.0 / per)
            cpu.append((time.process_time() - c0) * 1000.0 / per)
        return stats(wall), stats(cpu)

    for _ in range(a.warmup):
        step()
    evaluate()
    step_ms, step_cpu_ms = timed(train_block, a.steps)
    eval_ms, eval_cpu_ms = timed(evaluate, 1)

    result = {
        "framework": "pytorch",
        "torch_version": torch.__version__,
        "python": platform.python_version(),
        "threads": torch.get_num_threads(),
        "blas": blas_libraries(),
        "arch": a.arch,
        "depth": a.depth,
        "width": a.width,
        "batch": a.batch,
        "params": n_params,
        "data": "mnist" if a.mnist else "random",
        "steps_per_repeat": a.steps,
        "repeats": a.repeats,
        "step_ms": step_ms,
        "step_cpu_ms": step_cpu_ms,
        "eval_examples": len(x_eval),
        "eval_chunk": a.eval_chunk,
        "eval_ms": eval_ms,
        "eval_cpu_ms": eval_cpu_ms,
        "final_loss": state["loss"] if math.isfinite(state["loss"]) else None,
        "nonfinite_steps": state["nonfinite"],
        # ru_maxrss is in KiB on Linux
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024 / 1e6,
    }
    if a.json:
        print(json.dumps(result))
    else:
        print(f"pytorch {torch.__version__}  threads={result['threads']}  arch={a.arch} "
              f"depth={a.depth} width={a.width} batch={a.batch} params={n_params}")
        print("blas: " + (", ".join(result["blas"]) or "unknown"))
        s, e = step_ms, eval_ms
        print(f"train ms/step: min {s['min']:.3f}  median {s['median']:.3f}  max {s['max']:.3f}"
              f"  ({a.repeats} x {a.steps} steps)")
        print(f"eval {len(x_eval)} ms: min {e['min']:.2f}  median {e['median']:.2f}  "
              f"max {e['max']:.2f}  (chunks of {a.eval_chunk})")
        print(f"peak RSS {result['peak_rss_mb']:.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
