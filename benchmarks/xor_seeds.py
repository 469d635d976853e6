"""How often does the source documents' XOR network learn XOR? Count it over seeds.

The network of the last source document: 2-3-1, sigmoid hidden and output, binary
cross-entropy, SGD, full batch. For each seed it trains from scratch and reports the
final loss and outputs, then counts the seeds where all four outputs are on the right
side of 0.5, where the loss is below 0.1 and 0.05, and where training stalled on the
plateau near ln 2 = 0.693 (every output stuck near 0.5).

    python benchmarks/xor_seeds.py                       # our default initialisation
    python benchmarks/xor_seeds.py --init pytorch        # PyTorch's nn.Linear initialisation
    python benchmarks/xor_seeds.py --init pytorch --epochs 20000
    python benchmarks/xor_seeds.py --hidden-activation tanh
"""

from __future__ import annotations

import argparse
import math

from autograd import no_grad
from autograd.nn import INITS, MLP, losses
from autograd.nn.data import xor
from autograd.nn.optim import SGD


def train_one(seed: int, args: argparse.Namespace) -> tuple[float, float, list[float]]:
    """(first loss, final loss, final outputs) of one training run."""
    X, y = xor()
    model = MLP(2, [3, 1], args.hidden_activation, "sigmoid", seed=seed, init=args.init)
    optimizer = SGD(model.parameters(), lr=args.lr)
    first = math.nan
    for epoch in range(args.epochs):
        loss = losses.binary_cross_entropy([model(x) for x in X], y)
        if epoch == 0:
            first = loss.data
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    with no_grad():
        outputs = [model(x) for x in X]
        final = losses.binary_cross_entropy(outputs, y).data
    return first, final, [o.data for o in outputs]  # type: ignore[union-attr]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--init", choices=INITS, default="scaled")
    parser.add_argument("--hidden-activation", default="sigmoid")
    parser.add_argument("--epochs", type=int, default=5000)
    parser.add_argument("--lr", type=float, default=0.1)
    parser.add_argument("--seeds", type=int, default=20, help="seeds 0 .. N-1 (20)")
    args = parser.parse_args()
    _, y = xor()
    right = below_01 = below_005 = stalled = 0
    for seed in range(args.seeds):
        first, final, outputs = train_one(seed, args)
        ok = all((o > 0.5) == bool(t) for o, t in zip(outputs, y))
        right += ok
        below_01 += final < 0.1
        below_005 += final < 0.05
        stalled += abs(final - math.log(2)) < 0.02
        shown = " ".join(f"{o:.3f}" for o in outputs)
        verdict = "ok" if ok else "--"
        print(f"seed {seed:2}: loss {first:.3f} -> {final:.4f}  outputs {shown}  {verdict}")
    n = args.seeds
    print(
        f"{args.init} init, hidden {args.hidden_activation}, lr {args.lr}, {args.epochs} epochs: "
        f"right side of 0.5 {right}/{n}, loss < 0.1 {below_01}/{n}, < 0.05 {below_005}/{n}, "
        f"stalled near ln 2 {stalled}/{n}"
    )


if __name__ == "__main__":
    main()
