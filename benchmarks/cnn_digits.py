"""The digits CNN on the scalar engine: nodes and MACs per sample, seconds per epoch, memory.

    python benchmarks/cnn_digits.py                 # the default recipe's epoch: 1000 digits
    python benchmarks/cnn_digits.py --samples 64    # a quick look

Prints a markdown table (CNN.md holds a run), and where the time of one mini-batch goes:
building the graph (forward and loss) against backward and the optimizer step.
Peak memory is the process's maximum resident set size.
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))

from autograd import graph_stats
from autograd.nn import Adam, losses, tasks
from autograd.nn.images import digits


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--samples", type=int, default=1000, help="one epoch of this many (1000)")
    parser.add_argument("--batch-size", type=int, default=16)
    args = parser.parse_args()

    model = tasks.digits_cnn(seed=0)
    images, labels = digits(args.samples, seed=0)
    one = graph_stats(losses.cross_entropy(model(images[0]), labels[0]), model)

    optimizer = Adam(model.parameters(), lr=0.01)
    forward = backward = 0.0
    start = time.perf_counter()
    for first in range(0, args.samples, args.batch_size):
        batch = range(first, min(first + args.batch_size, args.samples))
        t0 = time.perf_counter()
        loss = losses.cross_entropy([model(images[k]) for k in batch], [labels[k] for k in batch])
        t1 = time.perf_counter()
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        t2 = time.perf_counter()
        forward += t1 - t0
        backward += t2 - t1
    epoch = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux

    rows = [
        ("model", repr(model).replace("\n", " ")),
        ("parameters", f"{model.num_parameters():,}"),
        ("nodes per sample (forward + loss)", f"{one.nodes:,}"),
        ("MACs per sample", f"{one.macs:,}"),
        ("operations per sample", ", ".join(f"{k} {v:,}" for k, v in one.op_counts.items())),
        (
            f"seconds per epoch ({args.samples} samples, batches of {args.batch_size})",
            f"{epoch:.1f}",
        ),
        ("of which forward + loss", f"{forward:.1f} s ({forward / epoch:.0%})"),
        ("of which backward + Adam step", f"{backward:.1f} s ({backward / epoch:.0%})"),
        ("seconds per node (forward + backward)", f"{epoch / args.samples / one.nodes:.2e}"),
        ("peak memory (max RSS)", f"{peak:.0f} MiB"),
        ("load average (1, 5, 15 min)", " ".join(f"{x:.2f}" for x in os.getloadavg())),
        ("CPUs", str(os.cpu_count())),
    ]
    print("| quantity | value |\n| --- | --- |")
    for name, value in rows:
        print(f"| {name} | {value} |")


if __name__ == "__main__":
    main()
